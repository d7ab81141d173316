#!/usr/bin/env bash
# media-cut.test.sh — the station killed (SIGKILL) while the test cabin streams, then
# restarted on the same port and data directory: the recording up to about the last
# second before the kill survives and decodes (clusters written through every
# second); the cabin reconnects, its media goes on into DATA/<session>-2.mkv, the
# station asks for a keyframe to resume decoding, and the session closes normally.
. "$(dirname "$0")/lib.sh"
echo "1..5"
start_station station --no-window --return-rung 3 || { echo "Bail out! station"; exit 1; }
"$BUILD/tests/helpers/media_cabin" --url "wss://127.0.0.1:$PORT/" --cabin-id CABIN-TEST-01 \
  "${CABIN_CERTS[@]}" --seconds 8 --wait-ms 40000 >"$T/cabin.out" 2>"$T/cabin.err" &
CAB_PID=$!; PIDS+=("$CAB_PID")
for _ in $(seq 100); do grep -q '"event":"media-start"' "$T/doctor.out" && break; sleep 0.05; done
sleep 3.5
stop_station KILL
sleep 1
STARTS=2 start_station station --no-window --return-rung 3 || { echo "Bail out! restart"; exit 1; }
wait "$CAB_PID"; crc=$?
S=$(sed -n 's/^SESSION //p' "$T/cabin.out")
for _ in $(seq 100); do grep -q '"event":"media-stats"' "$T/doctor.out" && [ -f "$DATA/$S.json" ] && break; sleep 0.1; done
pk() { ffprobe -v error -count_packets -select_streams v -show_entries stream=nb_read_packets -of csv=p=0 "$1" 2>/dev/null; }
n1=$(pk "$DATA/$S.mkv"); n2=$(pk "$DATA/$S-2.mkv")
# 3.5 s of video at 30 fps before the kill: at least 2 s of it must be on disk.
check "the recording of the killed station kept ${n1:-0} frames (>= 60) and decodes" bash -c "
[ '${n1:-0}' -ge 60 ] && ffmpeg -v error -xerror -i '$DATA/$S.mkv' -f null -"
stats=$(grep '"event":"media-stats"' "$T/doctor.out" | grep "\"session\":\"$S\"" | tail -1)
vf=$(node -e "console.log(JSON.parse(process.argv[1]).stats.video_frames)" "$stats" 2>/dev/null)
rec=$(node -e "console.log(JSON.parse(process.argv[1]).stats.recording)" "$stats" 2>/dev/null)
check "after the restart the media went on into <session>-2.mkv (${n2:-0} frames = ${vf:-?} decoded)" bash -c "
[ '$rec' = '$DATA/$S-2.mkv' ] && [ '${n2:-0}' -ge 60 ] && [ '${n2:-0}' = '${vf:-x}' ] && ffmpeg -v error -xerror -i '$DATA/$S-2.mkv' -f null -"
skipped=$(node -e "console.log(JSON.parse(process.argv[1]).stats.skipped)" "$stats" 2>/dev/null)
# (when the first packet after the reconnect happens to be an IDR, nothing is skipped
# and no keyframe is needed)
check "the station asked the cabin for a keyframe to resume decoding (${skipped:-?} packets skipped)" bash -c "
grep -q '^REQUEST keyframe' '$T/cabin.out' || [ '${skipped:-x}' = 0 ]"
check "the session closed normally, everything acknowledged" bash -c "[ $crc = 0 ] && test -s '$DATA/$S.json'"
check "the Bundle validates against the FHIR R4 JSON schema" node "$CABIN_SRC/tests/lib/fhir_validate.js" "$DATA/$S.json"
stop_station
exit $failed
