#!/usr/bin/env bash
# revocation.test.sh — certificate revocation at both ends (docs/link.md "Trust"):
# the station (--crl) refuses a revoked cabin, and a revoked doctor on the console, each
# with its own message naming the serial; the cabin ([station] crl, --crl here) refuses
# a revoked station; a CRL rewritten while both run takes effect at the next handshake
# without a restart; a cabin that is not revoked keeps working throughout.
. "$(dirname "$0")/lib.sh"
echo "1..11"
cp "$C/crl.pem" "$T/empty-crl.pem"
serial() { openssl x509 -in "$C/$1.pem" -noout -serial | cut -d= -f2; }
check "make-certs always writes an empty, valid CRL signed by the CA" \
  bash -c "openssl crl -in '$C/crl.pem' -noout -CAfile '$C/ca.pem' 2>&1 | grep -q 'verify OK' && openssl crl -in '$C/crl.pem' -noout -text | grep -q 'No Revoked Certificates'"
start_station station --crl "$C/crl.pem" || exit 1
check "the station loads the CRL at start" grep -q "CRL $C/crl.pem: 1 list(s), 0 revoked certificate(s)" "$T/doctor.err"
c2() { "$BUILD/tests/helpers/link_cabin" --url "wss://127.0.0.1:$PORT/" --cabin-id CABIN-TEST-02 \
  --cert "$C/cabin2.pem" --key "$C/cabin2.key" --ca "$C/ca.pem" "$@"; }
c2 --probe --wait-ms 6000 >"$T/c2a.out" 2>&1
check "cabin2 connects while not revoked" grep -q '^STATUS connected' "$T/c2a.out"
"$CABIN_SRC/scripts/make-certs" "$C" --revoke cabin2 2>"$T/revoke.out"
check "make-certs --revoke cabin2 names the serial and lists it in the CRL" \
  bash -c "grep -q 'cabin2.pem revoked (serial $(serial cabin2))' '$T/revoke.out' && openssl crl -in '$C/crl.pem' -noout -text | grep -q 'Serial Number: $(serial cabin2)'"
c2 --probe --wait-ms 6000 >"$T/c2b.out" 2>&1
check "the running station refuses the revoked cabin at its next handshake (no restart)" \
  grep -q '^STATUS refused revoked: the station says the cabin certificate is revoked (alert: certificate revoked)$' "$T/c2b.out"
check "the station logs it with the serial, apart from other refusals" \
  grep -q "refused: cabin certificate revoked (serial $(serial cabin2), depth 0)" "$T/doctor.err"
check "the station reported the new list" grep -q "CRL $C/crl.pem loaded: 1 list(s), 1 revoked certificate(s)" "$T/doctor.err"
cabin "${CABIN_CERTS[@]}" --crl "$T/empty-crl.pem" --wait-ms 20000 >"$T/ok.out" 2>&1
check "a cabin that is not revoked still completes a session (its own CRL checked)" grep -q '^ACKED' "$T/ok.out"
code=$(curl -s -o /dev/null -w '%{http_code}' --cert "$C/doctor.pem" --key "$C/doctor.key" --cacert "$C/ca.pem" "https://127.0.0.1:$PORT/" 2>/dev/null)
"$CABIN_SRC/scripts/make-certs" "$C" --revoke doctor 2>/dev/null
code2=$(curl -s -o /dev/null -w '%{http_code}' --cert "$C/doctor.pem" --key "$C/doctor.key" --cacert "$C/ca.pem" "https://127.0.0.1:$PORT/" 2>/dev/null)
check "the console: a doctor's certificate opens it, then once revoked is refused" \
  bash -c "[ '$code' = 200 ] && [ '$code2' = 000 ] && grep -q 'refused: doctor certificate revoked (serial $(serial doctor), depth 0)' '$T/doctor.err'"
# the cabin side, while it runs: connected with the empty CRL, then the station is
# revoked in the file it reads; the station restarts (same certificate) and the
# running cabin refuses it at its reconnection
cp "$T/empty-crl.pem" "$T/cabin-crl.pem"
: >"$T/empty.txt"
cabin "${CABIN_CERTS[@]}" --crl "$T/cabin-crl.pem" --raw "$T/empty.txt" --wait-ms 60000 >"$T/live.out" 2>&1 &
LIVE=$!; PIDS+=("$LIVE")
for _ in $(seq 300); do grep -q '^STATUS connected' "$T/live.out" && break; sleep 0.05; done
"$CABIN_SRC/scripts/make-certs" "$C" --revoke station 2>/dev/null
cp "$C/crl.pem" "$T/cabin-crl.new" && mv "$T/cabin-crl.new" "$T/cabin-crl.pem"
stop_station; STARTS=2 start_station station || exit 1
for _ in $(seq 400); do grep -q '^STATUS refused' "$T/live.out" && break; sleep 0.05; done
kill "$LIVE" 2>/dev/null; wait "$LIVE" 2>/dev/null
check "the running cabin refuses the revoked station after the CRL changed (no restart)" \
  grep -q "^STATUS refused revoked: station certificate revoked (serial $(serial station), depth 0)$" "$T/live.out"
check "... having connected before with the empty list" \
  bash -c "grep -n '^STATUS connected' '$T/live.out' | head -1 | cut -d: -f1 | { read a; b=\$(grep -n '^STATUS refused' '$T/live.out' | head -1 | cut -d: -f1); [ \"\$a\" -lt \"\$b\" ]; }"
exit $failed
