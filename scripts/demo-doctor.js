// demo-doctor.js — the headless demo's doctor (scripts/run-demo without a display): the
// doctors' console in headless Chromium (playwright-core, Debian's chromium) with the
// demo doctor's certificate and fake camera and microphone. Takes the first patient who
// waits, starts the call when they are ready, keeps it SECONDS, then ends the
// consultation. Screenshots of the console in OUT (console-queue.png, console-call.png).
//   node scripts/demo-doctor.js ORIGIN CERTS OUT [SECONDS]
// Env: PLAYWRIGHT (playwright-core's directory), NODE_EXTRA_CA_CERTS=CERTS/ca.pem.
'use strict';
const fs = require('fs');
const [origin, certs, out, secs] = process.argv.slice(2);
const {chromium} = require(process.env.PLAYWRIGHT);
const say = (m) => console.log('demo-doctor: ' + m);
const wait = async (fn, ms) => { const end = Date.now() + ms; while (Date.now() < end) { try { const v = await fn(); if (v) return v; } catch (e) { /* not yet */ } await new Promise((r) => setTimeout(r, 500)); } return null; };

(async () => {
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection',
      '--autoplay-policy=no-user-gesture-required']});
  try {
    const ctx = await browser.newContext({viewport: {width: 1366, height: 768}, locale: 'fr-FR',
      permissions: ['camera', 'microphone'],
      clientCertificates: [{origin, pfxPath: `${certs}/doctor.p12`,
        passphrase: fs.readFileSync(`${certs}/doctor.p12.pass`, 'utf8').trim()}]});
    const p = await ctx.newPage();
    await p.goto(origin + '/');
    say('console open, waiting for a patient');
    const take = await wait(() => p.$('#sessions button.take'), 600000);
    if (!take) throw new Error('no patient came');
    await p.screenshot({path: `${out}/console-queue.png`});
    await take.click();
    say('patient taken; waiting until they are ready');
    if (!await wait(async () => !(await p.isHidden('#start-call')) && !(await p.isDisabled('#start-call')), 300000))
      throw new Error('the patient never became ready');
    await p.click('#start-call');
    const up = await wait(async () => p.evaluate(() => window.cabinCall && window.cabinCall.pc &&
      window.cabinCall.pc.connectionState === 'connected' && document.getElementById('remote-video').videoWidth), 60000);
    say(up ? `call connected: the cabin's video at ${up} px wide` : 'the call did not connect');
    await new Promise((r) => setTimeout(r, 3000));
    await p.$eval('#call', (e) => e.scrollIntoView());
    await p.screenshot({path: `${out}/console-call.png`});
    fs.writeFileSync(`${out}/call-connected`, up ? 'yes\n' : 'no\n');
    await new Promise((r) => setTimeout(r, 1000 * (+secs || 20)));
    await p.click('#do-end');
    say('consultation ended');
    await new Promise((r) => setTimeout(r, 2000));
  } catch (e) {
    say('stopped: ' + e.message);
  }
  await browser.close();
})();
