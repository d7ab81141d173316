#!/usr/bin/env bash
# Media loopback session: two media_peer processes on 127.0.0.1 (cabin and station)
# each send test-source video (1280x720, 30 fps, H.264) and sound (Opus) to the other
# and decode what they receive; the cabin also sends a still and the stethoscope tone;
# the station records what it receives to Matroska. About 8 s of media.
set -uo pipefail
B=${BUILD:?}/tests/helpers
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
echo "1..11"

"$B/media_peer" --listen 0 --port-file "$work/port" --role cabin --seconds 6.5 --still-at 2 \
  --steth-hz 180 >"$work/cabin.out" 2>"$work/cabin.err" & pids+=($!)
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
"$B/media_peer" --connect "$(cat "$work/port")" --role station --seconds 6.5 \
  --record "$work/session.mkv" >"$work/station.out" 2>"$work/station.err" & pids+=($!)
wait "${pids[@]}"; rc=$?
pids=()

val() { grep -E "^$2=" "$work/$1.out" | head -1 | cut -d= -f2; }
ok() { if eval "$2"; then echo "ok $1 - $3"; else echo "not ok $1 - $3"; shift 3; for f in "$@"; do sed 's/^/# /' "$work/$f" | tail -40; done; fi; }

n_st=$(val station rx_video_frames); n_ca=$(val cabin rx_video_frames)
ok 1 '[ "$rc" = 0 ] && [ "${n_st:-0}" -ge 150 ]' "station decoded ${n_st:-0} frames of the cabin's video (>= 150)" station.out station.err
ok 2 '[ "${n_ca:-0}" -ge 150 ]' "cabin decoded ${n_ca:-0} frames of the station's video (>= 150)" cabin.out cabin.err

ts_ok() { # role: pts strictly increasing, 33.3 ms apart, span matching the count
  local r=$1 n first last mn mx span
  n=$(val "$r" rx_video_frames); first=$(val "$r" rx_first_pts_us); last=$(val "$r" rx_last_pts_us)
  mn=$(val "$r" rx_min_dt_us); mx=$(val "$r" rx_max_dt_us)
  span=$((last - first)); expect=$(( (n - 1) * 100000 / 3 ))
  [ "$(val "$r" rx_pts_monotonic)" = 1 ] && [ "$mn" -ge 33000 ] && [ "$mx" -le 34000 ] &&
    [ "$first" -ge 0 ] && [ $((span - expect)) -le 2000 ] && [ $((expect - span)) -le 2000 ]
}
ok 3 'ts_ok station && ts_ok cabin' "timestamps increase by 33.3 ms both ways (pts span matches the frame count)" station.out cabin.out
clean() { [ "$(val "$1" rx_decode_errors)" = 0 ] && [ "$(val "$1" rx_gaps)" = 0 ] && [ "$(val "$1" rx_bad_messages)" = 0 ]; }
ok 4 'clean station && clean cabin' "no decoder error, sequence gap or refused message either way" station.out cabin.out
tx=$(val cabin tx_still_sha); rxs=$(val station rx_still_sha)
ok 5 '[ -n "$tx" ] && [ "$tx" = "$rxs" ] && [ "$(val station rx_still_size)" = 1600x1200 ]' \
  "still 1600x1200 arrived with its SHA-256 intact ($tx)" station.out cabin.out
hz=$(val station rx_steth_hz)
ok 6 'awk -v h="${hz:-0}" "BEGIN{exit !(h > 179 && h < 181)}"' "stethoscope decodes to the 180 Hz test tone (${hz:-none} Hz)" station.out
probe=$(ffprobe -v error -count_packets -show_entries stream=codec_name,profile,width,height,nb_read_packets \
  -of compact=p=0:nk=1 "$work/session.mkv" 2>&1)
vpk=$(echo "$probe" | awk -F'|' '$1=="h264"{print $5}')
ok 7 'echo "$probe" | grep -q "^h264|Constrained Baseline|1280|720|" && [ "${vpk:-0}" -ge 150 ] && [ "$(echo "$probe" | grep -c "^opus")" = 2 ]' \
  "recording: Matroska with H.264 Constrained Baseline 1280x720 (${vpk:-0} packets) and two Opus tracks" station.out
ok 8 'ffmpeg -v error -xerror -i "$work/session.mkv" -f null - 2>"$work/ff.err"' "the recording decodes without error" ff.err
ok 9 '[ "$(val cabin tx_video_test_source)" = 1 ] && grep -q "type=source label=room stream=0 test=1" "$work/cabin.out"' \
  "the API reports that the test source stands in for the absent camera" cabin.out
kg=$(val station rx_max_keyframe_gap_us)
ok 10 '[ "${kg:-0}" -gt 0 ] && [ "$kg" -le 2000000 ]' "an IDR at least every 2 s (longest gap between keyframes ${kg:-none} us)" station.out
la=$(val station rx_last_audio_pts_us); lv=$(val station rx_last_pts_us)
ok 11 '[ "${la:--1}" -ge 0 ] && d=$((la - lv)) && [ "${d#-}" -le 80000 ]' "audio and video share the sender's clock: last pts ${la:-none} vs ${lv:-none} us (within 80 ms)" station.out
