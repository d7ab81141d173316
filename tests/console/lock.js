// lock.js — the console's inactivity lock (console.test.sh runs it against a station
// started with --console-lock 3): the page locks by itself with no doctor action, hides
// the queue, and unlocks on the doctor's click. TAP lines; env as console.js.
'use strict';
const fs = require('fs');
const {chromium} = require(process.env.PLAYWRIGHT);
const {ORIGIN, CERTS, SHOTS} = process.env;
let n = 0, failed = 0;
const ok = (c, d, extra) => { n++; if (!c) failed++; console.log(`${c ? 'ok' : 'not ok'} ${n} - ${d}`); if (!c && extra) console.log('#   ' + extra); };
(async () => {
  const b = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']});
  const ctx = await b.newContext({viewport: {width: 1366, height: 768}, locale: 'en-GB',
    clientCertificates: [{origin: ORIGIN, pfxPath: `${CERTS}/doctor.p12`, passphrase: fs.readFileSync(`${CERTS}/doctor.p12.pass`, 'utf8').trim()}]});
  const p = await ctx.newPage();
  await p.goto(ORIGIN + '/');
  const t0 = Date.now();
  await p.waitForSelector('#lock:not([hidden])', {timeout: 15000}).catch(() => null);
  const locked = !(await p.isHidden('#lock'));
  ok(locked && Date.now() - t0 >= 2500, `the console locks after the idle time (${Date.now() - t0} ms, lock 3 s)`);
  await p.screenshot({path: `${SHOTS}/11-locked.png`});
  await p.click('#unlock');
  await p.waitForSelector('#lock', {state: 'hidden', timeout: 5000}).catch(() => null);
  ok(await p.isHidden('#lock'), 'the doctor unlocks it');
  await b.close();
  process.exit(failed ? 1 : 0);
})();
