#!/usr/bin/env bash
# avsync.test.sh — lip sync of the doctor's return stream on the REAL cabin: the real
# cabin-doctor sends test sources with A/V marks (--av-marks 1000: each second a
# white picture and a 100 ms 1 kHz beep at the same pts) over wss + mutual TLS on
# 127.0.0.1 to the real build/cabin under Xvfb, whose sound goes to a file through
# SDL's "disk" audio driver (SDL_DISKAUDIOFILE). Checks the cabin's lip-sync figures
# (test hook "media-stats"): >= 100 pictures presented against the audio clock, every
# one within 80 ms of the sound (issue 6), and the played file holds the beeps at
# 1000 Hz within 1 Hz. With AVSYNC_BENCH=1 it also prints the bench figure
# av_sync_offset_ms_p99 (tests/bench/avsync.bench.sh).
source "$(dirname "$0")/../e2e/harness.sh"
need_tools Xvfb xdpyinfo node
echo "1..7"
start_xvfb 1280x800 || { echo "Bail out! no X server"; exit 1; }
DOCTOR_ARGS="--av-marks 1000 --return-rung 2 --no-audio"
start_doctor || { echo "Bail out! cabin-doctor did not start"; exit 1; }
export CABIN_TEST_HOOK_SPEED=4
PCM=$T/played.s16
CABIN_ENV=(SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$PCM")
start_cabin || { echo "Bail out! cabin did not start: $(tail -5 "$T/cabin.log")"; exit 1; }
wait_for 20 state_is attract
"$BUILD/tests/helpers/hook" "$HOOK" --session --until consultation --timeout-ms 15000 >>"$T/hook.log" 2>&1
if state_is consultation; then ok "the session reaches the consultation"; else notok "the session reaches the consultation" "state $(hook_state)" "$(tail -3 "$T/hook.log")"; fi
# stat KEY: one figure of the cabin's "media-stats"
stat() { echo "$MS" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
for _ in $(seq 150); do
  MS=$(hook media-stats)
  [ "$(stat presented)" -ge 150 ] 2>/dev/null && break
  sleep 0.1
done
echo "# media-stats: $MS"
pres=$(stat presented); maxabs=$(stat max_abs_us); p99=$(stat p99_ms)
if [ "${pres:-0}" -ge 100 ]; then ok "the doctor's pictures are presented against the audio clock ($pres, >= 100)"; else notok "pictures presented against the audio clock: ${pres:-0} (>= 100)" "$MS"; fi
if [ -n "$maxabs" ] && [ "$maxabs" -le 80000 ] && [ "${pres:-0}" -gt 0 ]; then ok "every presented picture within 80 ms of the sound (max |offset| $maxabs us, p99 $p99 ms)"; else notok "every presented picture within 80 ms of the sound (max |offset| ${maxabs:-?} us)" "$MS"; fi
mn=$(stat offset_min_us); mx=$(stat offset_max_us)
if [ "${mn:-1}" -ge -80000 ] && [ "${mx:-99999}" -le 10000 ]; then ok "offsets inside the decision window: $mn .. $mx us (-80000 .. +10000)"; else notok "offsets inside the decision window: ${mn:-?} .. ${mx:-?} us" "$MS"; fi
hook tap end_call >/dev/null; wait_for 5 state_is summary; hook tap next >/dev/null
if wait_for 10 grep -q "lip sync: [0-9]* pictures presented" "$T/cabin.log"; then ok "the call ends with a lip-sync log line: $(grep -o 'lip sync: .*' "$T/cabin.log" | tail -1)"; else notok "the call ends with a lip-sync log line" "$(tail -3 "$T/cabin.log")"; fi
B=$("$BUILD/tests/helpers/pcm_beeps" "$PCM" 48000)
echo "# played sound: $(echo $B)"
beeps=$(echo "$B" | sed -n 's/^beeps=//p'); hz=$(echo "$B" | sed -n 's/^median_hz=//p')
if [ "${beeps:-0}" -ge 3 ]; then ok "the played sound holds the doctor's beeps ($beeps)"; else notok "the played sound holds the doctor's beeps (${beeps:-0}, >= 3)" "$B"; fi
if [ -n "$hz" ] && node -e "process.exit(Math.abs($hz - 1000) <= 1 ? 0 : 1)"; then ok "the beeps play at 1000 Hz within 1 Hz ($hz Hz)"; else notok "the beeps play at 1000 Hz within 1 Hz (${hz:-none})" "$B"; fi
[ "${AVSYNC_BENCH:-0}" = 1 ] && [ -n "$p99" ] && \
  echo "{\"name\": \"av_sync_offset_ms_p99\", \"value\": $p99, \"unit\": \"ms\", \"note\": \"|video pts - audio clock| of the doctor's pictures presented on the real cabin, p99 over $pres frames (max $maxabs us); loopback wss, SDL disk audio\"}"
exit $failed
