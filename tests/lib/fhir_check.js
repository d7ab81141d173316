#!/usr/bin/env node
// fhir_check.js — what a receiving platform checks of a posted record, against the test
// FHIR server (tests/lib/fhir_server.js): Usage: fhir_check.js BASE_URL BUNDLE [--post N]
//   --post N  posts BUNDLE N times itself (default 0: the station posted it)
// Then: every resource the server stored validates (the server ran Medplum's validator on
// the post), every reference of every stored resource resolves (GET -> 200), and the
// server holds exactly one resource per Bundle entry (posting again created nothing).
// Prints TAP-style "ok"/"not ok" lines; exit 1 when any fails.
'use strict';
const fs = require('fs');
const [base, file, ...rest] = process.argv.slice(2);
const posts = rest[0] === '--post' ? Number(rest[1]) : 0;
const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
let bad = 0;
const check = (cond, what) => { console.log(`${cond ? 'ok' : 'not ok'} - ${what}`); if (!cond) bad++; };

(async () => {
  for (let i = 0; i < posts; i++) {
    const r = await fetch(base + '/', { method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(bundle) });
    const out = await r.json();
    check(r.status === 200, `post ${i + 1}: HTTP ${r.status}${r.status !== 200 ? ' ' + JSON.stringify(out).slice(0, 400) : ''}`);
    const want = i === 0 ? '201' : '200';
    const st = (out.entry || []).map((e) => e.response.status);
    check(st.length === bundle.entry.length && st.every((s) => s === want), `post ${i + 1}: every entry ${want} (${st.join(',')})`);
  }
  const counts = await (await fetch(base + '/_test/counts')).json();
  const want = {};
  for (const e of bundle.entry) want[e.resource.resourceType] = (want[e.resource.resourceType] || 0) + 1;
  check(JSON.stringify(Object.entries(counts).sort()) === JSON.stringify(Object.entries(want).sort()),
    `server holds one resource per entry: ${JSON.stringify(counts)}`);
  // follow every reference of every stored resource
  let refs = 0, broken = 0;
  for (const type of Object.keys(counts)) {
    const s = await (await fetch(`${base}/${type}?_count=1000`)).json();
    for (const e of s.entry || []) {
      const walk = async (o) => {
        if (Array.isArray(o)) { for (const v of o) await walk(v); return; }
        if (!o || typeof o !== 'object') return;
        if (typeof o.reference === 'string') {
          refs++;
          const r = await fetch(`${base}/${o.reference}`);
          if (r.status !== 200) { broken++; console.log(`# ${type}/${e.resource.id}: ${o.reference} -> ${r.status}`); }
        }
        for (const v of Object.values(o)) await walk(v);
      };
      await walk(e.resource);
    }
  }
  check(refs > 0 && broken === 0, `${refs} references of the stored resources resolve (${broken} broken)`);
  process.exit(bad ? 1 : 0);
})().catch((e) => { console.log(`not ok - ${e}`); process.exit(1); });
