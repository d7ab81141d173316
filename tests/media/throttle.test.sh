#!/usr/bin/env bash
# Link adaptation over a real socket: cabin -> throttle_proxy -> station on 127.0.0.1.
# The cabin starts at 1280x720; after 3 s the proxy limits the cabin's direction to
# 600 kbit/s: the cabin must step down within 5 s; after 6 s the limit is lifted: it
# must step back up (19 s are left for it: a step up that meets the draining backlog
# doubles its hold, 4 s then 8 s). About 28 s of media.
set -uo pipefail
B=${BUILD:?}/tests/helpers
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
echo "1..5"
now_ms() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }

"$B/media_peer" --listen 0 --port-file "$work/st" --role station --seconds 28 --no-audio \
  >"$work/station.out" 2>"$work/station.err" & pids+=($!); sp=$!
for _ in $(seq 100); do [ -s "$work/st" ] && break; sleep 0.1; done
"$B/throttle_proxy" --port-file "$work/px" --target "$(cat "$work/st")" --rate 75000 \
  2>"$work/proxy.err" & pids+=($!); pp=$!
for _ in $(seq 100); do [ -s "$work/px" ] && break; sleep 0.1; done
"$B/media_peer" --connect "$(cat "$work/px")" --role cabin --seconds 28 --adapt --sndbuf 16384 \
  >"$work/cabin.out" 2>"$work/cabin.err" & pids+=($!); cp=$!
sleep 3; on=$(now_ms); kill -USR1 "$pp"
sleep 6; off=$(now_ms); kill -USR2 "$pp"
wait "$cp" "$sp"
pids=("$pp")

ladder() { grep "type=ladder" "$work/cabin.out"; }
first_down=$(ladder | awk -v on="$on" -v off="$off" '{for(i=1;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]} if (v["wall_ms"]>=on && v["wall_ms"]<off && v["rung"]>0) {print v["wall_ms"]-on; exit}}')
before=$(ladder | awk -v on="$on" '{for(i=1;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]} if (v["wall_ms"]<on) n++} END{print n+0}')
up=$(ladder | awk -v off="$off" 'BEGIN{low=-1} {for(i=1;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]} if (v["wall_ms"]<off) low=v["rung"]; else if (low>=0 && v["rung"]<low) {print v["wall_ms"]-off; exit}}')
ok() { if eval "$2"; then echo "ok $1 - $3"; else echo "not ok $1 - $3"; sed 's/^/# /' "$work/cabin.out" | tail -30; grep adaptation "$work/cabin.err" | sed "s/^/# /"; fi; }
ok 1 '[ "$before" = 0 ]' "no quality change while the link is unthrottled"
ok 2 '[ -n "$first_down" ] && [ "$first_down" -le 5000 ]' "stepped down ${first_down:-never} ms after the link was limited to 600 kbit/s (<= 5000)"
ok 3 '[ -n "$up" ]' "stepped back up ${up:-never} ms after the limit was lifted"
drops=$(grep -E '^tx_queue_dropped=' "$work/cabin.out" | cut -d= -f2)
cap=$(grep -E '^tx_video_captured=' "$work/cabin.out" | cut -d= -f2)
ok 4 '[ "${cap:-0}" -ge 756 ]' "capture never waited for the slow link: ${cap:-0} frames captured in 28 s at 30 fps (>= 756); ${drops:-0} messages dropped oldest-first"
errs=$(grep -E '^rx_decode_errors=' "$work/station.out" | cut -d= -f2)
n=$(grep -E '^rx_video_frames=' "$work/station.out" | cut -d= -f2)
ok 5 '[ "${errs:-1}" = 0 ] && [ "${n:-0}" -ge 150 ]' "the station kept decoding (${n:-0} frames) with no decoder error across rung changes"
