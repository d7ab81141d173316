#!/usr/bin/env bash
# cut.test.sh — the link cut mid-session: the station is killed (SIGKILL) once the
# first half of the session is acknowledged, readings are taken while it is down,
# then it is restarted on the same port and data directory. Nothing may be lost or
# duplicated, and the outage must be recorded in the Bundle as an incident.
. "$(dirname "$0")/lib.sh"
echo "1..7"
start_station || exit 1
cabin "${CABIN_CERTS[@]}" --cut --sent "$T/sent.json" --wait-ms 30000 >"$T/cabin.out" 2>"$T/cabin.err" &
CAB=$!; PIDS+=("$CAB")
for _ in $(seq 300); do grep -q '^CUT-NOW' "$T/cabin.out" && break; sleep 0.05; done
check "first half acknowledged before the cut" grep -q '^CUT-NOW' "$T/cabin.out"
stop_station KILL
for _ in $(seq 100); do grep -q '^QUEUED-WHILE-DOWN' "$T/cabin.out" && break; sleep 0.05; done
check "the cabin saw the link drop and queued readings meanwhile" grep -q '^QUEUED-WHILE-DOWN' "$T/cabin.out"
sleep 1
STARTS=2 start_station || exit 1
wait "$CAB"; rc=$?
check "after the restart every message is acknowledged" grep -q '^ACKED 16/16' "$T/cabin.out"
[ $rc = 0 ] || echo "# $(tail -3 "$T/cabin.out" | tr '\n' ' ')"
S=$(sed -n 's/^SESSION //p' "$T/cabin.out")
for _ in $(seq 50); do [ -f "$DATA/$S.json" ] && break; sleep 0.1; done
check "bundle validates against the FHIR R4 JSON schema" node "$CABIN_SRC/tests/lib/fhir_validate.js" "$DATA/$S.json"
check "nothing lost, nothing duplicated, the outage recorded as a link-lost incident" \
  node "$CABIN_SRC/tests/lib/bundle_check.js" "$DATA/$S.json" "$T/sent.json" --incident link-lost
check "the station's database holds each of the 16 messages once" \
  test "$(sqlite3 "$DATA/station.sqlite" "SELECT count(*), count(DISTINCT id) FROM message WHERE session='$S'")" = "16|16"
check "the cabin reconnected by itself (two connections seen by the station)" \
  test "$(grep -c '"event":"hello"' "$T/doctor.out")" -ge 2
stop_station
exit $failed
