#!/usr/bin/env bash
# call.test.sh — the call over WebRTC, end to end (docs/webrtc.md, docs/console.md "The
# call"): the real station (certificates from scripts/make-certs --test, a [turn] section
# naming a coturn started here on loopback), the real cabin (--sim under Xvfb, its lavfi
# test camera, microphone and stethoscope tone, SDL's dummy audio) and headless Chromium
# through playwright-core with the doctor's certificate and fake devices (call.js). The
# doctor takes the patient and starts the call; the browser decodes the cabin's video at
# the cabin's size, gets the stethoscope on its own track; the cabin decodes the doctor's
# 640x480 camera; a second doctor's console receives nothing of the call; hang-up closes
# both peers; the doctor's page closed mid-call ends the cabin's call; relay only through
# coturn works; ending the consultation closes both; a second patient's call with the
# cabin killed mid-call closes the doctor's page; lip sync on the cabin.
# Screenshots: $BUILD/screens/call/ (console and the cabin's call screen). About 100 s.
source "$(dirname "$0")/../e2e/harness.sh"
need_tools Xvfb xdpyinfo node openssl ffmpeg turnserver import
[ -x /usr/bin/chromium ] || { echo "1..0 # SKIP /usr/bin/chromium not installed"; exit 0; }
PW=$CABIN_SRC/scripts/npm/node_modules/playwright-core
[ -d "$PW" ] || { echo "1..0 # SKIP playwright-core not installed (make install-deps)"; exit 0; }
SHOTS=$BUILD/screens/call; rm -rf "$SHOTS"; mkdir -p "$SHOTS"
"$CABIN_SRC/scripts/make-certs" "$C" --cabin-id "$CABIN_ID" --test >/dev/null 2>&1
echo "1..20"
TURN_PID=
keep_logs() { [ "$failed" = 0 ] || cp "$T"/cabin.log "$T"/doctor.err "$DOC_OUT" "$T"/call.err "$T"/turnserver.log "$SHOTS"/ 2>/dev/null; }
trap 'keep_logs; [ -n "$TURN_PID" ] && kill "$TURN_PID" 2>/dev/null; cleanup' EXIT

# the doctor's fake camera and microphone
ffmpeg -loglevel error -y -f lavfi -i "testsrc2=size=640x480:rate=30" -t 3 -pix_fmt yuv420p "$T/doctor.y4m"
ffmpeg -loglevel error -y -f lavfi -i sine=frequency=660:sample_rate=48000 -t 5 -ac 1 -c:a pcm_s16le "$T/doctor.wav"
# coturn on loopback with the REST shared secret (use-auth-secret)
TPORT=$(free_port); SECRET=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
cat >"$T/turnserver.conf" <<CONF
listening-ip=127.0.0.1
relay-ip=127.0.0.1
listening-port=$TPORT
realm=cabin.test
use-auth-secret
static-auth-secret=$SECRET
fingerprint
allow-loopback-peers
no-tls
no-dtls
no-cli
no-multicast-peers
pidfile=$T/turnserver.pid
log-file=$T/turnserver.log
simple-log
CONF
turnserver -c "$T/turnserver.conf" >/dev/null 2>&1 &
TURN_PID=$!
wait_for 10 grep -q "listener opened on\|Total General servers" "$T/turnserver.log"
printf '[turn]\nsecret = %s\nuris = turn:127.0.0.1:%s?transport=udp\nttl = 600\n' "$SECRET" "$TPORT" >"$T/station.ini"

start_xvfb 1280x800 || { echo "Bail out! no X server"; exit 1; }
DOCTOR_TERMINAL= DOCTOR_ARGS="--no-media --config $T/station.ini" start_doctor || { echo "Bail out! cabin-doctor did not start"; exit 1; }
CABIN_ENV=(CABIN_TEST_HOOK_SPEED=4) start_cabin || { echo "Bail out! cabin did not start: $(tail -5 "$T/cabin.log")"; exit 1; }
"$BUILD/tests/helpers/hook" "$HOOK" --session --lang en --until waiting_room --timeout-ms 30000 >>"$T/hook.log" 2>&1
S=$(hook sid | awk '{print $2}')
if state_is waiting_room && [ ${#S} -gt 8 ]; then ok "the patient waits for a doctor"
else notok "the patient waits for a doctor" "state $(hook_state)" "$(tail -3 "$T/hook.log")"; fi
SPKI=$(openssl x509 -in "$C/station.pem" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
CMD=$T/call.cmd ANS=$T/call.ans; : >"$CMD"; : >"$ANS"
ends=0
# the shell answers the page script's questions about the cabin
answer_loop() {
  local done=0
  while kill -0 "$1" 2>/dev/null; do
    local lines; lines=$(wc -l <"$CMD")
    while [ "$done" -lt "$lines" ]; do
      done=$((done + 1)); q=$(sed -n "${done}p" "$CMD")
      case $q in
        ready) wait_for 15 bash -c "'$BUILD/tests/helpers/hook' '$HOOK' patient-ready | grep -q '^ok'" \
                 && echo "ready yes" >>"$ANS" || echo "ready no" >>"$ANS" ;;
        rung) echo "rung $(hook media-stats | tr ' ' '\n' | sed -n 's/^rung=//p')" >>"$ANS" ;;
        doctor-video)
          if wait_for 30 grep -q "the doctor's video decoded at 640x480" "$T/cabin.log" &&
             wait_for 10 bash -c "[ \"\$('$BUILD/tests/helpers/hook' '$HOOK' video | awk '{print \$2}')\" -gt 5 ]"; then
            echo "doctor-video 640x480" >>"$ANS"
          else echo "doctor-video $(grep -o "doctor's video decoded at [0-9x]*" "$T/cabin.log" | tail -1) / $(hook video)" >>"$ANS"; fi ;;
        next-session) hook tap next >/dev/null 2>&1; wait_for 30 state_is attract
          "$BUILD/tests/helpers/hook" "$HOOK" --session --lang en --until waiting_room --timeout-ms 40000 >>"$T/hook.log" 2>&1
          echo "next-session $(hook sid | awk '{print $2}')" >>"$ANS" ;;
        kill-cabin) disown "$CAB_PID" 2>/dev/null; kill -9 "$CAB_PID"; echo "kill-cabin done" >>"$ANS" ;;
        "shot "*) hook redraw >/dev/null; shot "${q#shot }"; echo "shot done" >>"$ANS" ;;
        ended) ends=$((ends + 1))
          wait_for 15 bash -c "[ \$(grep -c 'call ended: [0-9]* pictures' '$T/cabin.log') -eq $ends ] && '$BUILD/tests/helpers/hook' '$HOOK' media-stats | grep -q ' call=0 '" \
            && echo "ended yes" >>"$ANS" || echo "ended no ($(grep -c 'call ended' "$T/cabin.log") ends; $(hook media-stats | grep -o 'call=[0-9]'))" >>"$ANS" ;;
      esac
    done
    sleep 0.2
  done
}
PLAYWRIGHT=$PW NODE_EXTRA_CA_CERTS=$C/ca.pem ORIGIN=https://127.0.0.1:$PORT CERTS=$C SHOTS=$SHOTS SPKI=$SPKI SESSION=$S \
  WORK=$T CMD_FILE=$CMD ANS_FILE=$ANS node "$CABIN_SRC/tests/console/call.js" >"$T/call.tap" 2>"$T/call.err" &
JS=$!
answer_loop $JS
wait $JS
while read -r line; do
  case $line in
    "ok "*) ok "${line#ok * - }" ;;
    "not ok "*) notok "${line#not ok * - }" ;;
    "#   "*) echo "$line" ;;
  esac
done <"$T/call.tap"
[ -s "$T/call.err" ] && sed 's/^/# /' "$T/call.err" | head -20
# the cabin got the station's ice_servers too: each of its peers started with the TURN server
starts=$(grep -c "call: the cabin's peer started" "$T/cabin.log"); with=$(grep -c "call: the cabin's peer started (1 ICE servers, loopback)" "$T/cabin.log")
if [ "$starts" -ge 4 ] && [ "$with" = "$starts" ]; then ok "the cabin got ice_servers at each call start: its $starts peers started with the TURN server"
else notok "the cabin got ice_servers at each call start" "$(grep "peer started" "$T/cabin.log")"; fi
# lip sync on the cabin over WebRTC: the first call's doctor pictures were held against
# the doctor's sound (its end-of-call line, docs/media.md "Lip sync on the cabin")
ls=$(grep -m1 "lip sync:" "$T/cabin.log")
pres=$(sed -n 's/.*lip sync: \([0-9]*\) pictures presented.*/\1/p' <<<"$ls")
p99=$(sed -n 's/.*p99 \([0-9]*\) ms.*/\1/p' <<<"$ls")
if [ "${pres:-0}" -ge 50 ] && [ -n "$p99" ] && [ "$p99" -le 80 ]; then
  ok "lip sync on the cabin: $pres of the doctor's pictures presented against the doctor's sound, p99 offset $p99 ms (<= 80)"
else notok "lip sync on the cabin (>= 50 pictures against the sound, p99 <= 80 ms)" "${ls:-no lip sync line}"; fi
# the relay call was seen by the cabin's peer too (an incident of the record)
if grep -q "call incident relay-used" "$T/cabin.log"; then ok "the cabin's peer saw the relay and reported 'relay-used'"
else notok "the cabin's peer reported 'relay-used'" "$(grep -i 'webrtc\|call' "$T/cabin.log" | tail -5)"; fi
exit $failed
