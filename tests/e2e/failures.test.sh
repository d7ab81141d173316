#!/usr/bin/env bash
# failures.test.sh — the cabin's failures end to end: the real build/cabin (with
# --sim) and the real build/cabin-doctor on 127.0.0.1 with certificates from
# scripts/make-certs, one Xvfb and one station for the whole suite, the patient
# driven through the cabin's test hook (taps go through the real input path).
# Scenarios: consent refused; inactivity timeout at the identity screen (2 s in the
# configuration file); garbage on the CMS50 oximeter's line; the oximeter unplugged
# mid-measurement; the link cut during the call (cabin-doctor SIGKILLed, restarted on
# the same port and data); the cabin SIGKILLed mid-session and restarted. Each ends
# on a clear screen (screenshots in $BUILD/screens/e2e-failures/), then: no personal
# data in the cabin's database, WAL or journal, and `cabin --verify-audit` says ok.
source "$(dirname "$0")/harness.sh"
need_tools Xvfb xdpyinfo import node
SHOTS=$BUILD/screens/e2e-failures
rm -rf "$SHOTS"; mkdir -p "$SHOTS"
echo "1..49"
start_xvfb 1280x800 || { echo "Bail out! no X server"; exit 1; }
start_doctor || { echo "Bail out! cabin-doctor did not start"; exit 1; }
export CABIN_TEST_HOOK_SPEED=4 CABIN_CLEANING_MAX_S=0.2
H=$BUILD/tests/helpers/hook

# restart_cabin [env...]: a fresh cabin process on the same data directory
restart_cabin() {
  if [ -n "${CAB_PID:-}" ] && kill -0 "$CAB_PID" 2>/dev/null; then
    hook quit >/dev/null
    wait_for 10 bash -c "grep -q '^State:.*Z' /proc/$CAB_PID/status 2>/dev/null || ! test -e /proc/$CAB_PID"
    kill -9 "$CAB_PID" 2>/dev/null; wait "$CAB_PID" 2>/dev/null
  fi
  CABIN_ENV=("$@"); start_cabin
  wait_for 20 hook ping && wait_for 10 state_is attract
}
# after_failure NAME: the common end of every scenario
after_failure() {
  shot "$1-end"
  if wait_for 15 state_is attract; then ok "$1: back on the attract screen"; else notok "$1: back on the attract screen" "state $(hook_state)"; fi
  check "$1: no personal data in the cabin's database, WAL or journal" no_personal_data "$CAB_DATA"
  check "$1: audit chain verifies" audit_ok "$CAB_DATA"
  shot "$1-attract"
}
session_until() { "$H" "$HOOK" --session --until "$1" --timeout-ms 15000 "${@:2}" >>"$T/hook.log" 2>&1; }
sid() { hook sid | awk '{print $2}'; }
bundle() { echo "$DOC_DATA/$1.json"; }

# --- 1. consent refused --------------------------------------------------------------------
restart_cabin CABIN_PRECALL_S=0 || { echo "Bail out! cabin did not start: $(tail -5 "$T/cabin.log")"; exit 1; }
session_until consent
s=$(sid)
hook tap consent_tele/1 >/dev/null; hook tap consent_data/1 >/dev/null; sleep 0.2
hook tap next >/dev/null
if wait_for 5 state_is ended; then ok "consent refused: the polite ending"; else notok "consent refused: the polite ending" "state $(hook_state)"; fi
shot consent-refused-ended
if [ "$(grep -c "\"session\":\"$s\"" "$DOC_OUT")" = 0 ]; then ok "consent refused: nothing sent to the station"; else notok "consent refused: nothing sent to the station"; fi
hook tap next >/dev/null
after_failure consent-refused

# --- 2. inactivity timeout at the identity screen (2 s in the configuration file) --------
write_config "$T/cabin.ini" 2
restart_cabin CABIN_PRECALL_S=0
session_until identity
hook form birth_name MARTIN >/dev/null; hook form first_names Camille >/dev/null; hook form phone 0612345678 >/dev/null
if wait_for 6 bash -c "[ \"\$($H $HOOK state | awk '{print \$3}')\" -ge 0 ]"; then ok "identity timeout: \"are you still there?\" after 2 s"; else notok "identity timeout: \"are you still there?\" after 2 s"; fi
shot identity-still-there
if wait_for 40 bash -c "grep -q '\"from\": \"identity\", \"to\": \"wipe\", \"event\": \"timeout\"' $T/state.log"; then
  ok "identity timeout: no answer -> wipe"; else notok "identity timeout: no answer -> wipe" "$(tail -2 "$T/state.log")"; fi
after_failure identity-timeout
write_config "$T/cabin.ini"

# --- 3. garbage on the CMS50 oximeter's line -------------------------------------------------
restart_cabin CABIN_PRECALL_S=8 CABIN_SIM_VALUES="spo2=97,pr=65,sys=123,dia=78,pulse=87,temp=36.8,weight=72.4,glucose=104,fault=garbage"
session_until waiting_room
s=$(sid)
hook tap measure/2 >/dev/null
if wait_for 10 bash -c "$H $HOOK readings | grep -q '^ok [1-9]'" && wait_for 10 bash -c "$H $HOOK tile 2 | grep -qE '^ok 2 SpO.+ 97'"; then
  ok "garbage: the oximeter still measures SpO2 97 % (reading stored and sent)"; else notok "garbage: the oximeter still measures" "$(hook tile 2) / $(hook readings)"; fi
shot garbage-measured
wait_for 20 state_is consultation; sleep 0.5
hook tap end_call >/dev/null; wait_for 5 state_is summary; hook tap next >/dev/null
wait_for 10 test -s "$(bundle "$s")"
if node -e "
const b=require('$(bundle "$s")'), o=b.entry.map(e=>e.resource).filter(r=>r.resourceType==='Observation');
process.exit(o.some(r=>r.code.coding.some(c=>c.code==='59408-5') && r.valueQuantity && r.valueQuantity.value===97)?0:1)"; then
  ok "garbage: the SpO2 97 % reading is in the Bundle"; else notok "garbage: the SpO2 97 % reading is in the Bundle"; fi
if grep -q 'protocol-error' "$(bundle "$s")" 2>/dev/null || grep -q 'protocol' "$T/cabin.log"; then ok "garbage: the protocol error is noticed"; else notok "garbage: the protocol error is noticed"; fi
after_failure garbage

# --- 4. the blood-pressure monitor unplugged mid-measurement, then plugged back ------------
# Omron HEM simulator with fault=unplug: the link drops inside the GME reply, while the
# monitor is measuring; the retry switches on a fresh simulator without the fault.
SIMV="spo2=97,pr=65,sys=123,dia=78,pulse=87,temp=36.8,weight=72.4,glucose=104"
restart_cabin CABIN_PRECALL_S=8 CABIN_SIM_VALUES="$SIMV,fault=unplug,unplug_ms=600000"
session_until waiting_room
s=$(sid)
hook tap measure/1 >/dev/null
if wait_for 10 bash -c "$H $HOOK tile 1 | grep -qiE '^ok 3 .*(unplug|débranch)'"; then ok "unplug: the tile says what happened ($(hook tile 1 | cut -d' ' -f3-))"; else notok "unplug: the tile says what happened" "$(hook tile 1)"; fi
shot unplug-message
if hook tile 1 | grep -qiE 'plug it back|plug in, touch Measure|rebranch'; then ok "unplug: the message asks to plug it back and measure again"; else notok "unplug: the message asks for a retry" "$(hook tile 1)"; fi
hook sim-values "$SIMV" >/dev/null
before=$(hook readings | awk '{print $2}')
if hook tap measure/1 >/dev/null && wait_for 10 bash -c "[ \$($H $HOOK readings | awk '{print \$2}') -gt $before ]"; then
  ok "unplug: the retry measures ($(hook tile 1 | cut -d' ' -f3-))"; else notok "unplug: the retry measures" "$(hook tile 1)"; fi
shot unplug-retry
wait_for 20 state_is consultation; sleep 0.3
hook tap end_call >/dev/null; wait_for 5 state_is summary; hook tap next >/dev/null
if wait_for 10 test -s "$(bundle "$s")" && grep -q 'unplugged-mid-measurement' "$(bundle "$s")"; then ok "unplug: the incident is in the Bundle"; else notok "unplug: the incident is in the Bundle" "$(grep -o 'instrument-error[^}]*' "$(bundle "$s")" | head -2)"; fi
if node -e "
const b=require('$(bundle "$s")'), o=b.entry.map(e=>e.resource).filter(r=>r.resourceType==='Observation');
process.exit(o.some(r=>r.code.coding.some(c=>c.code==='85354-9')&&JSON.stringify(r.component).includes('\"value\":123'))?0:1)"; then
  ok "unplug: the retried blood pressure 123/78 is in the Bundle"; else notok "unplug: the retried blood pressure is in the Bundle"; fi
after_failure unplug

# --- 5. the link cut during the call and restored ------------------------------------------------
restart_cabin CABIN_PRECALL_S=0
session_until consultation
s=$(sid)
# the patient is ready: the (terminal) doctor's station asks for the call, the cabin's peer starts
wait_for 10 bash -c "$H $HOOK patient-ready | grep -q '^ok'"
calls0=$(grep -c "call: the cabin's peer started" "$T/cabin.log")
wait_for 20 bash -c "[ \$(grep -c \"call: the cabin's peer started\" '$T/cabin.log') -gt $calls0 ]"
doctor_say "measure ${s:0:8} pulse-oximeter"
sleep 0.3
stop_doctor KILL
if wait_for 10 bash -c "$H $HOOK link | grep -q down"; then ok "link cut: the cabin sees the link down"; else notok "link cut: the cabin sees the link down"; fi
shot link-down
wait_for 5 bash -c "$H $HOOK tile 2 | grep -q '^ok 2 SpO'"
sleep 1
start_doctor
if wait_for 15 bash -c "$H $HOOK link | grep -q up"; then ok "link restored: the cabin reconnects"; else notok "link restored: the cabin reconnects"; fi
if grep -q "call ended: the link to the station is lost" "$T/cabin.log" && hook media-stats | grep -q ' call=0 '; then
  ok "link cut: the cabin ended its call (its peer stopped; no signalling without the link)"
else notok "link cut: the cabin ended its call" "$(grep 'call' "$T/cabin.log" | tail -3)" "$(hook media-stats | grep -o 'call=[0-9]')"; fi
# the doctor calls again once the link is back: a new offer, a new peer
calls1=$(grep -c "call: the cabin's peer started" "$T/cabin.log")
wait_for 10 bash -c "$H $HOOK patient-ready | grep -q '^ok'"
if wait_for 20 bash -c "[ \$(grep -c \"call: the cabin's peer started\" '$T/cabin.log') -gt $calls1 ]"; then
  ok "link restored: a new call starts (the cabin's peer again, $((calls1 + 1)) in all)"
else notok "link restored: a new call starts" "$(grep 'call' "$T/cabin.log" | tail -3)"; fi
shot link-restored
hook tap end_call >/dev/null; wait_for 5 state_is summary; hook tap next >/dev/null
wait_for 10 test -s "$(bundle "$s")"
readings=$(grep "\"session\":\"$s\"" "$DOC_OUT" | grep '"type":"reading"' | grep -c '"duplicate":false')
if [ "$readings" -ge 1 ] && node -e "
const b=require('$(bundle "$s")'), ids=b.entry.filter(e=>e.resource.resourceType==='Observation').map(e=>JSON.stringify(e.resource.identifier));
process.exit(ids.length>=1 && new Set(ids).size===ids.length?0:1)"; then
  ok "link restored: readings sent meanwhile arrive once ($readings stored, none twice in the Bundle)"; else notok "link restored: readings arrive once ($readings)"; fi
if grep -q 'link-lost' "$(bundle "$s")" 2>/dev/null; then ok "link cut: the link-lost incident is in the Bundle"; else notok "link cut: the link-lost incident is in the Bundle"; fi
after_failure link-cut

# --- 6. the kill matrix: the cabin SIGKILLed after readings, station up then down -------------
# The patient saw a reading on a tile; the cabin is killed; restarted (station back): what
# the patient agreed to send reaches the record once, the record names the interruption,
# and nothing personal remains once the station acknowledged the close.
readings_sent() { $H $HOOK readings 2>/dev/null | awk '{print $2}'; }
kill_case() { # kill_case NAME up|down
  local name=$1 station=$2
  restart_cabin CABIN_PRECALL_S=60
  session_until waiting_room
  s=$(sid)
  [ "$station" = down ] && stop_doctor KILL # the readings are taken with the station away
  hook tap measure/2 >/dev/null # the pulse oximeter: SpO2 and pulse rate on the tile
  wait_for 20 bash -c "$H $HOOK tile 2 | grep -q '^ok 2 '" && wait_for 5 bash -c "[ \$($H $HOOK readings | awk '{print \$2}') -ge 1 ]"
  local shown; shown=$(readings_sent)
  kill -9 "$CAB_PID"; wait "$CAB_PID" 2>/dev/null
  restart_cabin CABIN_PRECALL_S=0
  if state_is attract; then ok "$name: the restarted cabin comes back on attract"; else notok "$name: the restarted cabin comes back on attract"; fi
  [ "$station" = down ] && { sleep 1; start_doctor; }
  if wait_for 20 test -s "$(bundle "$s")" && grep -q 'session-interrupted' "$(bundle "$s")"; then ok "$name: the Bundle records the interrupted session"; else notok "$name: the Bundle records the interrupted session"; fi
  local stored; stored=$(grep "\"session\":\"$s\"" "$DOC_OUT" | grep '"type":"reading"' | grep -c '"duplicate":false')
  if [ "$shown" -ge 1 ] && [ "$stored" -ge "$shown" ] && node -e "
const b=require('$(bundle "$s")'), ids=b.entry.filter(e=>e.resource.resourceType==='Observation').map(e=>JSON.stringify(e.resource.identifier));
process.exit(ids.length===$stored && new Set(ids).size===ids.length?0:1)"; then
    ok "$name: the $shown reading(s) the patient saw reach the record, each once ($stored stored)"; else notok "$name: readings reach the record once (shown $shown, stored $stored)"; fi
  if wait_for 15 bash -c "grep -q 'session $s handed off and wiped' '$T/cabin.log'"; then ok "$name: wiped once the station acknowledged the close"; else notok "$name: wiped once the station acknowledged the close"; fi
  after_failure "$name"
}
kill_case killed-station-up up
kill_case killed-station-down down
# started under umask 022 (this shell's), the cabin's database files are still 0600
check "the cabin's database, WAL and shared-memory files are 0600 under umask 022" bash -c "
umask 022; modes=\$(stat -c '%a' '$CAB_DATA'/cabin.db*); echo \$modes; [ -n \"\$modes\" ] && ! echo \"\$modes\" | grep -qv '^600\$'"

# every Bundle the station wrote (garbage, unplug, link cut, cabin killed) is valid FHIR R4
if [ -d "$CABIN_SRC/scripts/npm/node_modules/@asymmetrik" ]; then
  check "the station's $(ls "$DOC_DATA"/*.json | wc -l) Bundles validate against the FHIR R4 schema" node "$CABIN_SRC/tests/lib/fhir_validate.js" "$DOC_DATA"/*.json
else
  skip "the Bundles validate against the FHIR R4 schema" "scripts/npm/node_modules missing (run scripts/install-deps)"
fi
hook quit >/dev/null
exit $failed
