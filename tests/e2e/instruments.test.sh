#!/usr/bin/env bash
# instruments.test.sh — simulated instruments stay plugged in, as real ones do: the
# real build/cabin --sim (and cabin-doctor on 127.0.0.1) under Xvfb, driven through
# the test hook. The thermometer (IEEE 11073) and the blood-pressure monitor (Omron)
# each measure twice in one session and once more in a second session: every
# measurement reaches the station with its value, and the cabin's list of attached
# instruments (hook "devices": handle and path) is the same before and after, one
# device per simulator, no repeat instance ("sim:NAME#2").
source "$(dirname "$0")/harness.sh"
need_tools Xvfb xdpyinfo node
echo "1..9"
start_xvfb 1280x800 || { echo "Bail out! no X server"; exit 1; }
start_doctor || { echo "Bail out! cabin-doctor did not start"; exit 1; }
export CABIN_TEST_HOOK_SPEED=4 CABIN_CLEANING_MAX_S=0.2
H=$BUILD/tests/helpers/hook
CABIN_ENV=(CABIN_PRECALL_S=300 CABIN_SIM_VALUES="spo2=97,pr=65,sys=123,dia=78,pulse=87,temp=36.8,weight=72.4,glucose=104")
start_cabin || { echo "Bail out! cabin did not start: $(tail -5 "$T/cabin.log")"; exit 1; }
wait_for 10 state_is attract
devices() { hook devices | cut -d' ' -f2-; }
readings() { hook readings | awk '{print $2}'; }
# station messages of type reading whose summary matches RE
station_readings() { grep '"event":"message"' "$DOC_OUT" | grep '"type":"reading"' | grep -cE -- "$1" || true; }
# measure TILE RE TIMES: taps Measure on TILE, then waits for the session's reading
# count to grow and for the station to have TIMES readings matching RE
measure() {
  local before=$(readings)
  hook tap "measure/$1" >/dev/null &&
    wait_for 15 bash -c "[ \$('$H' '$HOOK' readings | awk '{print \$2}') -gt $before ]" &&
    wait_for 10 bash -c "[ \$(grep '\"event\":\"message\"' '$DOC_OUT' | grep '\"type\":\"reading\"' | grep -cE -- '$2') -ge $3 ]"
}
# one_each LIST: each simulator appears once, none as a repeat instance
one_each() {
  local s
  for s in sim:ieee11073-thermometer sim:omron-hem sim:ieee11073-scale sim:ieee11073-glucometer; do
    [ "$(tr ' ' '\n' <<<"$1" | grep -c ":$s\$")" = 1 ] || return 1
  done
  ! grep -q '#' <<<"$1"
}

"$H" "$HOOK" --session --until waiting_room --timeout-ms 15000 >>"$T/hook.log" 2>&1
at_start=$(devices)
if state_is waiting_room && one_each "$at_start"; then ok "waiting room; one device per simulator: $at_start"
else notok "waiting room; one device per simulator" "state $(hook_state), devices: $at_start"; fi

TEMP='Body temperature.*36\.8|36\.8.*Cel' BP='123'
check "thermometer, first measurement: 36.8 Cel at the station" measure 0 "$TEMP" 1
check "thermometer, second measurement on the same device: a second 36.8 Cel" measure 0 "$TEMP" 2
check "blood pressure, first measurement: 123/78 at the station" measure 1 "$BP" 1
check "blood pressure, second measurement on the same device" measure 1 "$BP" 2
after=$(devices)
if [ "$after" = "$at_start" ]; then ok "same devices, same handles and paths after four measurements"
else notok "same devices after four measurements" "before: $at_start" "after:  $after"; fi

# end this session (stop, confirmed) and start another on the same cabin process
hook tap stop >/dev/null; wait_for 5 hook tap Stop_and_erase; wait_for 5 hook tap next
wait_for 20 state_is attract
"$H" "$HOOK" --session --until waiting_room --timeout-ms 15000 >>"$T/hook.log" 2>&1
check "second session: the thermometer measures again (a third 36.8 Cel)" measure 0 "$TEMP" 3
check "second session: the blood-pressure monitor measures again" measure 1 "$BP" 3
again=$(devices)
if [ "$again" = "$at_start" ]; then ok "second session: still the same devices ($again)"
else notok "second session: still the same devices" "first: $at_start" "now:   $again"; fi
