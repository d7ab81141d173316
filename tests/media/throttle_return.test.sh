#!/usr/bin/env bash
# throttle_return.test.sh — the doctor's return stream adapts too: the real
# cabin-doctor sends its (test) camera at 960x540 (--return-rung 1, its ceiling) to the
# real build/cabin under Xvfb through tests/helpers/throttle_proxy --reverse, which
# limits the station-to-cabin direction to 200 kbit/s once the call runs (the test
# pattern encodes to about 400 kbit/s at 960x540): the
# station's return sender must step down within 5 s (on what the cabin's TCP
# acknowledged, SIOCOUTQ on the station's socket) and the cabin must then receive a
# smaller picture; when the limit is lifted the station steps back up. Station steps
# are read from cabin-doctor's log ("adaptation: ..."), the picture size from the
# cabin's test hook ("media-stats": doctor_video).
source "$(dirname "$0")/../e2e/harness.sh"
need_tools Xvfb xdpyinfo node
echo "1..4"
start_xvfb 1280x800 || { echo "Bail out! no X server"; exit 1; }
DOCTOR_ARGS="--return-rung 1 --no-audio"
start_doctor || { echo "Bail out! cabin-doctor did not start"; exit 1; }
"$BUILD/tests/helpers/throttle_proxy" --port-file "$T/px" --target "$PORT" --rate 25000 --reverse \
  2>"$T/proxy.err" & PX=$!; PIDS+=("$PX")
wait_for 10 test -s "$T/px"
write_config "$T/cabin.ini"
sed -i "s|^url = .*|url = wss://127.0.0.1:$(cat "$T/px")|" "$T/cabin.ini"
export CABIN_TEST_HOOK_SPEED=4
start_cabin || { echo "Bail out! cabin did not start: $(tail -5 "$T/cabin.log")"; exit 1; }
wait_for 20 state_is attract
"$BUILD/tests/helpers/hook" "$HOOK" --session --until consultation --timeout-ms 15000 >>"$T/hook.log" 2>&1
now_ms() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }
stat() { echo "$MS" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
wait_for 15 bash -c "$BUILD/tests/helpers/hook $HOOK media-stats | grep -q 'doctor_video=960x540'"
MS=$(hook media-stats)
if state_is consultation && [ "$(stat doctor_video)" = 960x540 ]; then ok "the cabin receives the doctor's video at 960x540 through the proxy"; else notok "the cabin receives the doctor's video at 960x540" "state $(hook_state)" "$MS"; fi
sleep 2
on=$(now_ms); kill -USR1 "$PX"
small=""
for _ in $(seq 80); do
  MS=$(hook media-stats)
  [ "$(stat doctor_video)" != 960x540 ] && { small=$(( $(now_ms) - on )); size=$(stat doctor_video); break; }
  sleep 0.1
done
sleep 3
off=$(now_ms); kill -USR2 "$PX"
big=""
for _ in $(seq 200); do
  MS=$(hook media-stats)
  [ "$(stat doctor_video)" = 960x540 ] && { big=$(( $(now_ms) - off )); break; }
  sleep 0.1
done
# station steps, as epoch ms, from its log's UTC stamps
steps() { grep 'adaptation:' "$T/doctor.err" | while read -r ts rest; do echo "$(date -d "$ts" +%s%3N) $rest"; done; }
steps >"$T/steps"
down=$(awk -v on="$on" '$1>=on && /lower quality|audio only/ {print $1-on; exit}' "$T/steps")
if [ -n "$down" ] && [ "$down" -le 5000 ]; then ok "station: return video stepped down $down ms after the station-to-cabin direction was limited to 200 kbit/s (<= 5000)"; else notok "station: return video stepped down within 5 s (${down:-never})" "$(cat "$T/steps")"; fi
if [ -n "$small" ]; then ok "the cabin then receives a smaller picture ($size, $small ms after the limit)"; else notok "the cabin receives a smaller picture" "$MS"; fi
up=$(awk -v off="$off" '$1>=off && /raise quality|video back/ {print $1-off; exit}' "$T/steps")
if [ -n "$up" ] && [ -n "$big" ]; then ok "limit lifted: the station stepped back up ($up ms) and the cabin gets 960x540 again ($big ms)"; else notok "limit lifted: back up (station ${up:-never}, cabin ${big:-never})" "$(cat "$T/steps")"; fi
sed 's/^/# /' "$T/steps"
[ "$failed" = 0 ] && [ -z "${KEEP_DEBUG:-}" ] || { echo "# cabin:"; grep -E 'link|media' "$T/cabin.log" | tail -15 | sed 's/^/#   /'; echo "# station:"; grep -E "adaptation|return media" "$T/doctor.err" | tail -${KEEP_DEBUG:-15} | sed 's/^/#   /'; echo "# proxy: $(cat "$T/proxy.err")"; }
hook tap end_call >/dev/null; wait_for 5 state_is summary; hook tap next >/dev/null
exit $failed
