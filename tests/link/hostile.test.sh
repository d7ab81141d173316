#!/usr/bin/env bash
# hostile.test.sh — a well-certified but hostile second cabin (CABIN-TEST-02) against
# a session of CABIN-TEST-01 on the real station: its session_open, data and close
# for that id are refused `unauthorized` and logged, and nothing of the session (the
# doctor's identity) reaches it; after the owner's session_close the record is sealed:
# new data is refused `sealed`, a resend of a stored message is still acknowledged.
# About 30 s on a busy machine (most of it making the certificates).
. "$(dirname "$0")/lib.sh"
echo "1..9"
start_station || exit 1
L() { node -e "for (const a of process.argv.slice(1)) console.log(a)" "$@"; }
S=s-hostile-1
t='"time":"2026-11-29T10:00:00Z"'
inc() { echo "{\"type\":\"incident\",\"id\":\"$1\",\"session\":\"$S\",\"incident\":{\"kind\":\"test\",\"start\":\"2026-11-29T10:00:01Z\"}}"; }
L "{\"type\":\"session_open\",\"id\":\"own-open\",\"session\":\"$S\",$t}" "$(inc own-inc)" >"$T/own.txt"
cabin "${CABIN_CERTS[@]}" --raw "$T/own.txt" --wait-ms 1500 >"$T/own.out" 2>&1
check "the owner's session is opened and its data stored" grep -q '"id":"own-inc","duplicate":false' "$T/doctor.out"
L "{\"type\":\"session_open\",\"id\":\"h-open\",\"session\":\"$S\",$t}" "$(inc h-inc)" \
  "{\"type\":\"session_close\",\"id\":\"h-close\",\"session\":\"$S\",$t,\"reason\":\"aborted\"}" >"$T/h.txt"
"$BUILD/tests/helpers/link_cabin" --url "wss://127.0.0.1:$PORT/" --cabin-id CABIN-TEST-02 \
  --cert "$C/cabin2.pem" --key "$C/cabin2.key" --ca "$C/ca.pem" --raw "$T/h.txt" --wait-ms 1500 >"$T/h.out" 2>&1
check "another cabin's session_open for that id is refused unauthorized" grep -q '^ERROR unauthorized h-open the session belongs to another cabin' "$T/h.out"
check "... its data for that id too" grep -q '^ERROR unauthorized h-inc the session belongs to another cabin' "$T/h.out"
check "... and its close" grep -q '^ERROR unauthorized h-close the session belongs to another cabin' "$T/h.out"
check "nothing of the session reached it (no doctor identity), nothing stored" bash -c "! grep -q '^DOCTOR' '$T/h.out' && ! grep -q '\"id\":\"h-' '$T/doctor.out'"
check "the station logged each refusal naming both cabins" bash -c "[ \$(grep -c 'cabin CABIN-TEST-02 sent .* for session $S of cabin CABIN-TEST-01: refused' '$T/doctor.err') = 3 ]"
L "{\"type\":\"session_close\",\"id\":\"own-close\",\"session\":\"$S\",$t,\"reason\":\"completed\"}" >"$T/close.txt"
cabin "${CABIN_CERTS[@]}" --raw "$T/close.txt" --wait-ms 1500 >"$T/close.out" 2>&1
check "the owner closes its session" grep -q '"id":"own-close","duplicate":false' "$T/doctor.out"
L "$(inc late-inc)" "$(inc own-inc)" >"$T/late.txt"
cabin "${CABIN_CERTS[@]}" --raw "$T/late.txt" --wait-ms 1500 >"$T/late.out" 2>&1
check "after the close the record is sealed: new data refused" grep -q '^ERROR sealed late-inc the session is closed and its record handed off; nothing is added' "$T/late.out"
check "a resend of a stored message is still acknowledged as a duplicate" grep -q '"id":"own-inc","duplicate":true' "$T/doctor.out"
exit $failed
