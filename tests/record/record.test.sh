#!/usr/bin/env bash
# record.test.sh — the record builder (kiosk/link/fhir_*.c) on a synthetic session with
# every kind of content (tests/record/session.json: consent, identity, the call, a
# measurement asked for, readings, a message, a still asked for, an incident, the
# doctor's report and a two-line prescription): the transaction Bundle validates
# (FHIR R4 JSON schema), a real FHIR server (Medplum's router, tests/lib/fhir_server.js)
# accepts it with every resource valid, its references resolve, posting twice creates
# nothing new. About 5 s.
set -uo pipefail
: "${BUILD:?BUILD must be set (tests/run sets it)}"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/cabin-record-test.XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
echo "1..4"
n=0; failed=0
check() { local d=$1; shift; n=$((n + 1)); if out=$("$@" 2>&1); then echo "ok $n - $d"; else failed=1; echo "not ok $n - $d"; echo "$out" | head -20 | sed 's/^/# /'; fi; }
check "the builder writes the record of the synthetic session" \
  bash -c "'$BUILD/tests/helpers/fhir_record' '$SRC/tests/record/session.json' >'$T/b.json'"
check "the record validates against the FHIR R4 JSON schema" node "$SRC/tests/lib/fhir_validate.js" "$T/b.json"
check "it holds each kind of resource the law and the profiles ask for" node -e "
const b=require('$T/b.json'), c={};for(const e of b.entry)c[e.resource.resourceType]=(c[e.resource.resourceType]||0)+1;
const want={Patient:1,Organization:1,Location:1,Practitioner:1,PractitionerRole:1,Encounter:1,Consent:2,Device:4,Communication:1,Procedure:2,Observation:2,Media:1,ServiceRequest:2,MedicationRequest:2,Composition:1};
if(JSON.stringify(Object.entries(c).sort())!==JSON.stringify(Object.entries(want).sort())){console.log(JSON.stringify(c));process.exit(1)}"
node "$SRC/tests/lib/fhir_server.js" --port-file "$T/port" 2>"$T/fhir.err" &
PID=$!
for _ in $(seq 200); do [ -s "$T/port" ] && break; sleep 0.05; done
check "posted twice to Medplum's router: valid, references resolve, nothing created twice" \
  node "$SRC/tests/lib/fhir_check.js" "http://127.0.0.1:$(cat "$T/port")" "$T/b.json" --post 2
exit $failed
