#!/usr/bin/env bash
# commands.test.sh — the doctor's commands typed on cabin-doctor's stdin reach the
# test cabin's request callback (measure, stream start/stop, message, end) and are
# acknowledged; bad commands get a clear answer.
. "$(dirname "$0")/lib.sh"
echo "1..11"
printf '[doctor]\nname = Dr Alex Testeur\nspecialty = Cardiologie\nrpps = 10101010101\n[station]\nname = station-test\n' >"$T/doctor.ini"
start_station station --config "$T/doctor.ini" || exit 1
cabin "${CABIN_CERTS[@]}" --requests 5 --wait-ms 15000 >"$T/cabin.out" 2>"$T/cabin.err" &
CAB=$!; PIDS+=("$CAB")
for _ in $(seq 200); do grep -q '"type":"session_open"' "$T/doctor.out" && break; sleep 0.05; done
S=$(sed -n 's/^SESSION //p' "$T/cabin.out")
sleep 1.5   # let one ping/pong (every second in the test cabin) measure the round trip
echo "help" >&7
echo "measure ${S:0:8} thermometer" >&7
echo "stream start $S otoscope" >&7
echo "stream stop $S otoscope" >&7
echo "message $S Bonjour, le médecin arrive" >&7
echo "measure $S toaster" >&7
echo "end $S" >&7
wait "$CAB"
check "measure reached the cabin (session given by prefix)" grep -qx "REQUEST measure thermometer| session=$S" "$T/cabin.out"
check "stream start reached the cabin" grep -qx "REQUEST stream_start otoscope| session=$S" "$T/cabin.out"
check "stream stop reached the cabin" grep -qx "REQUEST stream_stop otoscope| session=$S" "$T/cabin.out"
check "message reached the cabin with its text" grep -qx "REQUEST message |Bonjour, le médecin arrive session=$S" "$T/cabin.out"
check "end reached the cabin" grep -qx "REQUEST end | session=$S" "$T/cabin.out"
check "the requests came in the order typed" bash -c "grep '^REQUEST' '$T/cabin.out' | cut -d' ' -f2 | tr '\n' ' ' | grep -qx 'measure stream_start stream_stop message end '"
check "the cabin acknowledged the 5 requests (plus the doctor identity)" test "$(grep -c '"event":"acked"' "$T/doctor.out")" = 6
check "help lists the commands" grep -q '"event":"command".*commands: sessions | measure SESSION KIND' "$T/doctor.out"
check "an unknown instrument kind is refused" grep -q 'unknown instrument kind \\"toaster\\"' "$T/doctor.out"
check "the doctor identity from the INI configuration reached the cabin" grep -qx "DOCTOR Dr Alex Testeur|Cardiologie|10101010101" "$T/cabin.out"
check "ping/pong measured a round-trip time" grep -qE '^RTT [0-9]+$' "$T/cabin.out"
stop_station
exit $failed
