#!/usr/bin/env node
// bundle_check.js — compares a hand-off Bundle written by cabin-doctor with what the
// test cabin sent (link_cabin --sent FILE): every reading present exactly once with
// its value and UCUM unit (as an Observation or a BP panel component), plus the
// fixed facts of the synthetic session. Usage: bundle_check.js BUNDLE SENT [--incident KIND]
// Prints one line per failed check; exit 1 when any.
'use strict';
const fs = require('fs');
const [bundleFile, sentFile, ...rest] = process.argv.slice(2);
const b = JSON.parse(fs.readFileSync(bundleFile, 'utf8'));
const sent = JSON.parse(fs.readFileSync(sentFile, 'utf8'));
const errs = [];
const need = (c, what) => { if (!c) errs.push(what); };
const res = (t) => b.entry.map((e) => e.resource).filter((r) => r.resourceType === t);
const MDC = 'urn:iso:std:iso:11073:10101';
// every (mdc, value, unit) in the bundle
const found = [];
for (const o of res('Observation')) {
  const parts = o.component ? o.component : [o];
  for (const p of parts) {
    const mdc = (p.code.coding || []).find((c) => c.system === MDC);
    if (mdc && p.valueQuantity) found.push({ mdc: Number(mdc.code), value: p.valueQuantity.value, unit: p.valueQuantity.code, sys: p.valueQuantity.system });
  }
  need(o.subject && o.subject.reference, `Observation ${o.id} has no subject`);
  need(o.device && o.device.reference, `Observation ${o.id} has no device reference`);
  need(o.effectiveDateTime, `Observation ${o.id} has no effective time`);
}
for (const r of sent.readings) {
  const hits = found.filter((f) => f.mdc === r.mdc && Math.abs(f.value - r.value) < 1e-9 && f.unit === r.unit);
  need(hits.length === 1, `reading mdc=${r.mdc} ${r.value} ${r.unit}: found ${hits.length} times`);
  if (hits[0]) need(hits[0].sys === 'http://unitsofmeasure.org', `reading ${r.mdc}: unit system ${hits[0].sys}`);
}
need(found.length === sent.readings.length, `bundle has ${found.length} values, ${sent.readings.length} were sent`);
const loinc = (code) => res('Observation').some((o) => o.code.coding.some((c) => c.system === 'http://loinc.org' && c.code === code));
for (const c of ['8310-5', '59408-5', '8867-4', '85354-9', '29463-7', '8302-2', '39156-5', '41653-7']) need(loinc(c), `no Observation with LOINC ${c}`);
const bp = res('Observation').find((o) => o.code.coding[0].code === '85354-9');
need(bp && bp.component.length === 3 && bp.component[0].code.coding[0].code === '8480-6' && bp.component[1].code.coding[0].code === '8462-4', 'BP panel components 8480-6, 8462-4, 8478-0');
const SID = 'https://cabin-teleconsultation.github.io/fhir/sid/';
const FRC = 'https://hl7.fr/ig/fhir/core/';
need(b.type === 'transaction', `Bundle.type transaction (got ${b.type})`);
for (const e of b.entry)
  need(e.request && e.request.method === 'POST' && e.request.url === e.resource.resourceType && /^identifier=/.test(e.request.ifNoneExist || ''),
    `entry ${e.resource.resourceType}: request POST with ifNoneExist`);
const p = res('Patient')[0];
need(p, 'no Patient');
if (p) {
  // a NIR typed at the cabin is not a qualified INS: only the cabin's own identifier
  need(p.identifier.length === 1 && p.identifier[0].system === SID + 'patient', `Patient.identifier: no INS (got ${JSON.stringify(p.identifier)})`);
  const rel = (p.extension || []).find((e) => e.url === FRC + 'StructureDefinition/fr-core-identity-reliability');
  need(rel && rel.extension[0].url === 'identityStatus' && rel.extension[0].valueCoding.system === FRC + 'CodeSystem/fr-core-cs-v2-0445' && rel.extension[0].valueCoding.code === 'PROV',
    'Patient.extension[identityReliability].extension[identityStatus].valueCoding = fr-core-cs-v2-0445#PROV');
  const n = p.name[0];
  need(n.use === 'official' && n.family === 'TESTPATIENT' && n.given.join('|') === 'Camille', 'Patient.name[0]: official, TESTPATIENT, given [Camille]');
  const bl = (n.extension || []).find((e) => e.url === FRC + 'StructureDefinition/fr-core-patient-birth-list-given-name');
  need(bl && bl.valueString === 'Camille Alix', 'Patient.name[0].extension[birth-list-given-name].valueString = Camille Alix');
  need(p.birthDate === '1984-05-12' && p.gender === 'female', 'Patient birth date and gender');
  const bpl = (p.extension || []).find((e) => e.url === 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace');
  need(bpl && bpl.valueAddress.extension[0].valueCoding.code === '75056', 'Patient birth place INSEE 75056');
}
const enc = res('Encounter')[0];
need(enc && enc.class.code === 'VR' && enc.status === 'finished', 'Encounter class VR, finished');
const cons = res('Consent');
need(cons.length === 2 && cons.every((c) => c.status === 'active'), `two active Consents, one per answer (got ${cons.length})`);
need(cons.some((c) => c.scope.coding[0].code === 'treatment') && cons.some((c) => c.scope.coding[0].code === 'patient-privacy'), 'Consent scopes treatment and patient-privacy');
const devs = res('Device');
need(devs.length === 6, `5 instrument Devices and the cabin gateway (got ${devs.length})`);
need(devs.some((d) => d.type.coding && d.type.coding[0].code === '531981'), 'gateway Device typed MDC_MOC_VMS_MDS_AHD 531981');
const loc = res('Location')[0];
need(loc && loc.telecom[0].value === '+33100000001' && loc.address.city === 'Paris', 'Location with phone and address');
const pr = res('Practitioner')[0];
need(pr && pr.identifier[0].system === 'urn:oid:1.2.250.1.71.4.2.1' && pr.identifier[0].value === '810000000000' && pr.identifier[0].type.coding[0].code === 'IDNPS', 'Practitioner idNatPs IDNPS 8 + RPPS');
const role = res('PractitionerRole')[0];
need(role && role.code[0].coding[0].code === '10' && role.specialty[0].coding[0].code === 'SM54', 'PractitionerRole Médecin (G15 10), Médecine générale (R38 SM54)');
const ix = rest.indexOf('--incident');
if (ix >= 0) {
  const kind = rest[ix + 1];
  const incs = (enc.extension || []).filter((e) => e.url.endsWith('/technical-incident'));
  const k = incs.filter((e) => e.extension.some((x) => x.url === 'kind' && x.valueCoding && x.valueCoding.code === kind));
  need(k.length === 1, `incident ${kind} recorded once (got ${k.length})`);
  if (kind === 'link-lost' && k[0]) need(k[0].extension.some((x) => x.url === 'period' && x.valuePeriod.end), 'link-lost incident has an end');
}
for (const e of errs) console.log(e);
process.exit(errs.length ? 1 : 0);
