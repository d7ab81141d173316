#!/usr/bin/env bash
# session.test.sh — a whole scripted session between the test cabin (kiosk/link) and
# the real cabin-doctor on 127.0.0.1 with real certificates: every value arrives,
# the Bundle validates against the FHIR R4 schema, the doctor's identity reaches
# the cabin, duplicates are dropped by message id, binary media frames get through.
. "$(dirname "$0")/lib.sh"
echo "1..9"
start_station || { echo "Bail out! station"; exit 1; }
cabin "${CABIN_CERTS[@]}" --session --sent "$T/sent.json" --wait-ms 15000 >"$T/cabin.out" 2>"$T/cabin.err"
rc=$?
check "cabin played the session, every message acknowledged" grep -q '^ACKED 16/16' "$T/cabin.out"
[ $rc = 0 ] || echo "# $(tail -5 "$T/cabin.out")"
check "cabin received the doctor's identity" grep -qx 'DOCTOR Dr Camille Martin (demo)|Médecine générale|10000000000' "$T/cabin.out"
S=$(sed -n 's/^SESSION //p' "$T/cabin.out")
for _ in $(seq 50); do [ -f "$DATA/$S.json" ] && break; sleep 0.1; done
check "bundle written to DATA/<session>.json" test -s "$DATA/$S.json"
check "bundle validates against the FHIR R4 JSON schema" node "$CABIN_SRC/tests/lib/fhir_validate.js" "$DATA/$S.json"
check "bundle holds every value sent, once, with its unit" node "$CABIN_SRC/tests/lib/bundle_check.js" "$DATA/$S.json" "$T/sent.json" --incident instrument-error
check "station printed 11 readings as JSON events" test "$(grep '"event":"message"' "$T/doctor.out" | grep '"type":"reading"' | grep -c "\"session\":\"$S\"")" = 11

# A close resent after the Bundle went missing (station stopped before writing it).
rm -f "$DATA/$S.json"
sqlite3 "$DATA/station.sqlite" "SELECT body FROM message WHERE session='$S' AND type='session_close'" >"$T/close.txt"
cabin "${CABIN_CERTS[@]}" --raw "$T/close.txt" --wait-ms 1500 >"$T/close.out" 2>&1
check "a resent session_close rewrites a missing Bundle" node "$CABIN_SRC/tests/lib/bundle_check.js" "$DATA/$S.json" "$T/sent.json" --incident instrument-error

# Duplicates: the same data message twice (as a resend after a lost ack would be).
R=$(node -e "
const m={type:'session_open',id:'dup-test-open',session:'dup-test-session',time:'2026-11-29T10:00:00Z'};
const r={type:'incident',id:'dup-test-incident',session:'dup-test-session',incident:{kind:'test',start:'2026-11-29T10:00:01Z'}};
console.log(JSON.stringify(m)); console.log(JSON.stringify(r)); console.log(JSON.stringify(r));")
printf '%s\n' "$R" >"$T/dup.txt"
cabin "${CABIN_CERTS[@]}" --raw "$T/dup.txt" --wait-ms 1500 >"$T/dup.out" 2>&1
check "a repeated message id is acknowledged as duplicate and stored once" \
  bash -c "test \$(grep -c '\"id\":\"dup-test-incident\",\"duplicate\":true' '$T/doctor.out') = 1 && test \$(grep -c '\"id\":\"dup-test-incident\",\"duplicate\":false' '$T/doctor.out') = 1"
check "the duplicate is not in the database twice" \
  bash -c "test \$(sqlite3 '$DATA/station.sqlite' \"SELECT count(*) FROM message WHERE id='dup-test-incident'\") = 1"
stop_station
exit $failed
