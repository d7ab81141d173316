#!/usr/bin/env bash
# kills.test.sh — more points of the crash matrix (issue 12; the first ones, after the
# readings with the station up and down, are in failures.test.sh): the real
# build/cabin (--sim) SIGKILLed with the real cabin-doctor on 127.0.0.1
#   identity-sent   the identity entered and sent (checks screen), station up
#   identity-down   the same with the station away, back after the restart
#   still-taken     a still the doctor asked for was taken (in the call), station up
#   in-call         during the call, the doctor's measurement request answered
#   during-wipe     the call ended with the station away (the close queued, not yet
#                   acknowledged), killed on the wipe screen
# then restarted on the same data: each message the patient agreed to send is in the
# record exactly once (the station's ids stored once, the Bundle's resources unique),
# the record says what happened (interrupted; completed for the wipe, whose close was
# already queued), the cabin wipes once the station acknowledged, nothing personal remains.
# Screenshots in $BUILD/screens/e2e-kills/.
source "$(dirname "$0")/harness.sh"
need_tools Xvfb xdpyinfo import node
SHOTS=$BUILD/screens/e2e-kills
rm -rf "$SHOTS"; mkdir -p "$SHOTS"
echo "1..30"
start_xvfb 1280x800 || { echo "Bail out! no X server"; exit 1; }
start_doctor || { echo "Bail out! cabin-doctor did not start"; exit 1; }
export CABIN_TEST_HOOK_SPEED=4 CABIN_CLEANING_MAX_S=0.2
H=$BUILD/tests/helpers/hook
write_config "$T/cabin.ini"
# the otoscope's stand-in, so the doctor can ask for a still (docs/media.md "Test sources")
sed -i "s|^otoscope = .*|otoscope = lavfi:color=c=0xb83a2e:s=1600x1200:r=30|" "$T/cabin.ini"

restart_cabin() {
  if [ -n "${CAB_PID:-}" ] && kill -0 "$CAB_PID" 2>/dev/null; then
    hook quit >/dev/null
    wait_for 10 bash -c "grep -q '^State:.*Z' /proc/$CAB_PID/status 2>/dev/null || ! test -e /proc/$CAB_PID"
    kill -9 "$CAB_PID" 2>/dev/null; wait "$CAB_PID" 2>/dev/null
  fi
  CABIN_ENV=("$@"); start_cabin
  wait_for 20 hook ping && wait_for 10 state_is attract
}
session_until() { "$H" "$HOOK" --session --until "$1" --timeout-ms 15000 "${@:2}" >>"$T/hook.log" 2>&1; }
sid() { hook sid | awk '{print $2}'; }
bundle() { echo "$DOC_DATA/$1.json"; }
kill_cabin() { shot "$1-before-kill"; kill -9 "$CAB_PID"; wait "$CAB_PID" 2>/dev/null; }
# stored S TYPE: messages of session S and TYPE the station stored (first time)
stored() { grep "\"session\":\"$1\"" "$DOC_OUT" | grep "\"type\":\"$2\"" | grep -c '"duplicate":false'; }
# once S: no message id of session S stored twice as new, and the Bundle's resources are
# unique (Patient at most one, Observation / Media identifiers distinct)
once() {
  local dup; dup=$(grep "\"session\":\"$1\"" "$DOC_OUT" | grep '"event":"message"' | grep '"duplicate":false' |
    sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | sort | uniq -d | head -1)
  [ -z "$dup" ] && node -e "
const b=require('$(bundle "$1")'), r=b.entry.map(e=>e.resource);
const pats=r.filter(x=>x.resourceType==='Patient').length;
const ids=t=>r.filter(x=>x.resourceType===t).map(x=>JSON.stringify(x.identifier||x.id));
const uniq=a=>new Set(a).size===a.length;
process.exit(pats<=1 && uniq(ids('Observation')) && uniq(ids('Media'))?0:1)"
}
# close_reason S: the reason of the session_close the station stored
close_reason() { grep "\"session\":\"$1\"" "$DOC_OUT" | grep '"type":"session_close"' | grep '"duplicate":false' |
  sed -n 's/.*"reason":"\([a-z-]*\)".*/\1/p' | head -1; }
# after S NAME: the common checks after the restart
after() {
  local s=$1 name=$2
  if wait_for 15 bash -c "grep -q 'session $s handed off and wiped' '$T/cabin.log'"; then ok "$name: wiped once the station acknowledged the close"
  else notok "$name: wiped once the station acknowledged the close" "$(grep "$s" "$T/cabin.log" | tail -2)"; fi
  check "$name: no personal data in the cabin's database, WAL or journal" no_personal_data "$CAB_DATA"
  check "$name: audit chain verifies" audit_ok "$CAB_DATA"
  shot "$name-after"
}

# --- identity sent, station up, then station down -------------------------------------------
identity_case() { # NAME up|down
  local name=$1 station=$2
  restart_cabin CABIN_PRECALL_S=60
  [ "$station" = down ] && stop_doctor KILL
  session_until checks
  s=$(sid)
  [ "$station" = up ] && wait_for 10 bash -c "[ \$(grep '\"session\":\"$s\"' '$DOC_OUT' | grep -c '\"type\":\"identity\"') -ge 1 ]"
  kill_cabin "$name"
  restart_cabin CABIN_PRECALL_S=0
  if state_is attract; then ok "$name: the restarted cabin comes back on attract"; else notok "$name: the restarted cabin comes back on attract" "state $(hook_state)"; fi
  [ "$station" = down ] && { sleep 1; start_doctor; }
  wait_for 20 test -s "$(bundle "$s")"
  if [ "$(stored "$s" identity)" = 1 ] && [ "$(stored "$s" consent)" = 1 ] && once "$s" &&
     node -e "process.exit(require('$(bundle "$s")').entry.filter(e=>e.resource.resourceType==='Patient').length===1?0:1)"; then
    ok "$name: the identity and the consent reach the record once (one Patient)"
  else notok "$name: identity and consent once" "identity $(stored "$s" identity), consent $(stored "$s" consent)"; fi
  if grep -q 'session-interrupted' "$(bundle "$s")" 2>/dev/null && [ "$(close_reason "$s")" = interrupted ]; then
    ok "$name: the record says the session was interrupted"; else notok "$name: the record says interrupted" "close $(close_reason "$s")"; fi
  after "$s" "$name"
}
identity_case identity-sent up
identity_case identity-down down

# --- a still taken in the call ---------------------------------------------------------------
restart_cabin CABIN_PRECALL_S=0
session_until consultation
s=$(sid)
# the patient is ready: the station asks for the call, the cabin's peer starts (stills
# come from its cameras)
wait_for 10 bash -c "$H $HOOK patient-ready | grep -q '^ok'"
wait_for 20 grep -q "call: the cabin's peer started" "$T/cabin.log"
doctor_say "camera ${s:0:8} otoscope"
sleep 1
doctor_say "still ${s:0:8} left ear"
wait_for 20 bash -c "[ \"\$($H $HOOK exam | awk '{print \$4}')\" -ge 1 ]"
kill_cabin still-taken
restart_cabin CABIN_PRECALL_S=0
if state_is attract; then ok "still-taken: the restarted cabin comes back on attract"; else notok "still-taken: back on attract"; fi
wait_for 30 test -s "$(bundle "$s")"
parts=$(stored "$s" still)
if [ "$parts" -ge 1 ] && [ "$(doctor_events still "$s" | wc -l)" = 1 ] && once "$s" &&
   node -e "process.exit(require('$(bundle "$s")').entry.filter(e=>e.resource.resourceType==='Media').length===1?0:1)"; then
  ok "still-taken: the still reaches the record once ($parts part(s) stored once, one Media, the JPEG verified)"
else notok "still-taken: the still once" "parts $parts, still events $(doctor_events still "$s" | wc -l), still-errors $(doctor_events still-error "$s" | wc -l)"; fi
if grep -q 'session-interrupted' "$(bundle "$s")" && [ "$(close_reason "$s")" = interrupted ]; then ok "still-taken: the record says the session was interrupted"
else notok "still-taken: the record says interrupted" "close $(close_reason "$s")"; fi
after "$s" still-taken

# --- during the call, a measurement the doctor asked for ---------------------------------------
restart_cabin CABIN_PRECALL_S=0
session_until consultation
s=$(sid)
doctor_say "measure ${s:0:8} pulse-oximeter"
wait_for 20 bash -c "$H $HOOK tile 2 | grep -q '^ok 2 SpO'" && wait_for 10 bash -c "[ \$($H $HOOK readings | awk '{print \$2}') -ge 1 ]"
shown=$(hook readings | awk '{print $2}')
kill_cabin in-call
restart_cabin CABIN_PRECALL_S=0
if state_is attract; then ok "in-call: the restarted cabin comes back on attract"; else notok "in-call: back on attract"; fi
wait_for 20 test -s "$(bundle "$s")"
n_read=$(stored "$s" reading)
if [ "${shown:-0}" -ge 1 ] && [ "$n_read" -ge "$shown" ] && once "$s"; then ok "in-call: the $shown reading(s) shown reach the record once ($n_read stored)"
else notok "in-call: readings once" "shown ${shown:-0}, stored $n_read"; fi
if grep -q 'session-interrupted' "$(bundle "$s")" && [ "$(close_reason "$s")" = interrupted ]; then
  ok "in-call: the record says the session was interrupted"
else notok "in-call: the record says interrupted" "close $(close_reason "$s")"; fi
after "$s" in-call

# --- during the wipe: the consultation ended normally, the cabin killed before the wipe ------
# The station freezes (SIGSTOP) once the call is up: it reads nothing more, so the
# completed session's close waits in the outbox unacknowledged (session "closing") and
# the wipe waits for its acknowledgement. (A station that is gone ends the call on
# the cabin and sends the patient back to the waiting room; frozen, the link is still
# up for the seconds the test needs.)
restart_cabin CABIN_PRECALL_S=0 CABIN_CLEANING_MAX_S=30
session_until consultation
wait_for 60 state_is consultation || echo "# during-wipe: still $(hook_state) after 60 s: $(tail -3 "$T/hook.log")"
s=$(sid)
kill -STOP "$DOC_PID"
hook tap end_call >/dev/null; wait_for 5 state_is summary
hook tap next >/dev/null
wait_for 10 bash -c "$H $HOOK state | grep -qE '^ok (wipe|attract)'"
reached=$(hook_state)
kill_cabin during-wipe
stop_doctor KILL
start_doctor
restart_cabin CABIN_PRECALL_S=0
if state_is attract; then ok "during-wipe: killed on $reached, the restarted cabin comes back on attract"; else notok "during-wipe: back on attract" "killed on $reached"; fi
wait_for 20 test -s "$(bundle "$s")"
if [ "$(stored "$s" session_close)" = 1 ] && [ "$(stored "$s" identity)" = 1 ] && once "$s"; then
  ok "during-wipe: one close, one identity, nothing twice"; else notok "during-wipe: once" "close $(stored "$s" session_close), identity $(stored "$s" identity)"; fi
reason=$(close_reason "$s")
if [ "$reason" = completed ] && ! grep -q 'session-interrupted' "$(bundle "$s")"; then
  ok "during-wipe: the record says what happened: completed (its close was queued before the kill), no interruption"
else notok "during-wipe: the record says completed" "reason ${reason:-none}"; fi
after "$s" during-wipe
hook quit >/dev/null
exit $failed
