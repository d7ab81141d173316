#!/usr/bin/env bash
# delivery.test.sh — cabin-doctor delivers each finished record to a real FHIR REST
# server on loopback (tests/lib/fhir_server.js: Medplum's router, in-memory repository
# and validator): bearer token over HTTP with the server failing the first two posts
# (each failure reported to the doctor and logged, the record kept and retried with
# backoff), then mutual TLS. The server accepts the Bundle (every resource validates),
# every reference resolves, posting the downloaded file again creates nothing.
# About 25 s.
. "$(dirname "$0")/lib.sh"
echo "1..11"
start_fhir() { # PORTFILE ARGS...: starts the test FHIR server, waits for its port
  local pf=$1; shift
  node "$CABIN_SRC/tests/lib/fhir_server.js" --port-file "$pf" "$@" 2>>"$T/fhir.err" &
  PIDS+=($!)
  for _ in $(seq 200); do [ -s "$pf" ] && return 0; sleep 0.05; done
  echo "# fhir server did not start: $(tail -3 "$T/fhir.err")"; return 1
}
wait_for() { # SECONDS COMMAND...: polls until the command succeeds
  local s=$1; shift
  for _ in $(seq $((s * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}
start_fhir "$T/fhir1.port" --token test-token-123 --fail 2 || { echo "Bail out! fhir server"; exit 1; }
F1=http://127.0.0.1:$(cat "$T/fhir1.port")
printf '[fhir]\nbase_url = %s/\ntoken = test-token-123\n' "$F1" >"$T/doctor.ini"
start_station station --config "$T/doctor.ini" || { echo "Bail out! station"; exit 1; }
cabin "${CABIN_CERTS[@]}" --session --sent "$T/sent.json" --wait-ms 15000 >"$T/cabin.out" 2>"$T/cabin.err"
S=$(sed -n 's/^SESSION //p' "$T/cabin.out")
delivered() { grep '"event":"delivery"' "$T/doctor.out" | grep "\"session\":\"$S\"" | grep -q '"text":"record delivered to '; }
check "the record is delivered once the server accepts it" wait_for 30 delivered
check "each failed try is a delivery event for the doctor (tries 1 and 2, HTTP 503, kept)" \
  bash -c "grep '\"event\":\"delivery\"' '$T/doctor.out' | grep -c 'record delivery failed (try [12]): HTTP 503: test: unavailable; kept, next try in [12] s' | grep -qx 2"
check "each failure is in the station's log" \
  bash -c "grep -c 'session $S: record delivery failed' '$T/doctor.err' | grep -qx 2"
check "the backoff doubled: the server saw 3 posts" bash -c "grep -c 'POST / -> ' '$T/fhir.err' | grep -qx 3"
check "the JSON file stays for download" test -s "$DATA/$S.json"
check "the file is a transaction Bundle valid against the FHIR R4 JSON schema" \
  bash -c "node '$CABIN_SRC/tests/lib/fhir_validate.js' '$DATA/$S.json' && grep -q '\"type\": \"transaction\"' '$DATA/$S.json'"
check "the station db marks it delivered" \
  bash -c "test \"\$(sqlite3 '$DATA/station.sqlite' \"SELECT delivered, tries FROM delivery WHERE session='$S'\")\" = '1|3'"
node -e "
const fs=require('fs');const b=JSON.parse(fs.readFileSync('$DATA/$S.json'));
fetch('$F1/_test/counts',{headers:{Authorization:'Bearer test-token-123'}}).then(r=>r.json()).then(c=>console.log(JSON.stringify(c)));" >"$T/counts.json" 2>&1
check "the server holds one resource per entry of the record" \
  node -e "
const b=JSON.parse(require('fs').readFileSync('$DATA/$S.json'));const c=JSON.parse(require('fs').readFileSync('$T/counts.json'));
const w={};for(const e of b.entry)w[e.resource.resourceType]=(w[e.resource.resourceType]||0)+1;
if(JSON.stringify(Object.entries(c).sort())!==JSON.stringify(Object.entries(w).sort())){console.log(JSON.stringify(c),JSON.stringify(w));process.exit(1)}"
stop_station

# Mutual TLS: the server asks for a client certificate signed by the test CA.
start_fhir "$T/fhir2.port" --tls "$C/station.pem" "$C/station.key" "$C/ca.pem" || { echo "Bail out! tls fhir server"; exit 1; }
F2=https://127.0.0.1:$(cat "$T/fhir2.port")
printf '[fhir]\nbase_url = %s/\ncert = %s\nkey = %s\nca = %s\n' "$F2" "$C/cabin.pem" "$C/cabin.key" "$C/ca.pem" >"$T/doctor2.ini"
STARTS=2 start_station station --config "$T/doctor2.ini" || { echo "Bail out! station 2"; exit 1; }
cabin "${CABIN_CERTS[@]}" --session --sent "$T/sent2.json" --wait-ms 15000 >"$T/cabin2.out" 2>"$T/cabin2.err"
S=$(sed -n 's/^SESSION //p' "$T/cabin2.out")
check "over mutual TLS the record is delivered at the first try" wait_for 30 delivered
stop_station
# The strict checks, on a plain server: the record as downloaded, posted twice.
start_fhir "$T/fhir3.port" || { echo "Bail out! fhir server 3"; exit 1; }
check "posted twice: every resource validates, references resolve, nothing created twice" \
  node "$CABIN_SRC/tests/lib/fhir_check.js" "http://127.0.0.1:$(cat "$T/fhir3.port")" "$DATA/$S.json" --post 2
check "the server's validator refuses a broken record (the check can fail)" \
  bash -c "node -e \"const b=JSON.parse(require('fs').readFileSync('$DATA/$S.json'));b.entry[0].resource.birthDate='1984-13-45';b.entry[0].resource.gender='x';fetch('http://127.0.0.1:$(cat "$T/fhir3.port")/',{method:'POST',headers:{'Content-Type':'application/fhir+json'},body:JSON.stringify(b)}).then(r=>process.exit(r.status===400?0:1))\""
exit $failed
