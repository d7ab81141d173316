// call.js — drives one headless Chromium session (playwright-core) against the cabin's
// WebRTC peer (build/tests/helpers/webrtc_cabin) and relays their signalling (the test's
// stand-in for the station's relay of `webrtc` messages). Prints TAP.
//   node call.js BUILD WORKDIR [--turn-port N --turn-secret S]
// WORKDIR holds doctor.y4m / doctor.wav (the doctor's fake camera and microphone).
'use strict';
const http = require('http'), fs = require('fs'), path = require('path'), readline = require('readline');
const {spawn, execFileSync} = require('child_process');
const {chromium} = require(path.join(__dirname, '../../../scripts/npm/node_modules/playwright-core'));

const [BUILD, WORK] = process.argv.slice(2);
const arg = n => { const i = process.argv.indexOf(n); return i > 0 ? process.argv[i + 1] : null; };
const TURN_PORT = arg('--turn-port'), TURN_SECRET = arg('--turn-secret');
const ROOM = [0x20, 0x80, 0xd0], OTO = [0xb8, 0x3a, 0x2e], DOCTOR = [0xc0, 0x20, 0x80];
let n = 0, failed = 0;
const ok = (cond, what, extra) => {
  n++; if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}${extra !== undefined ? ' # ' + JSON.stringify(extra) : ''}`);
};
const sleep = ms => new Promise(r => setTimeout(r, ms));
const near = (p, want, tol) => p && want.every((w, i) => Math.abs(p[i] - w) <= tol);
async function until(f, ms) { const end = Date.now() + ms; for (;;) { const v = await f(); if (v || Date.now() > end) return v; await sleep(200); } }

const files = {'/': 'page.html', '/call.js': '../../../assets/console/call.js'};
const server = http.createServer((q, r) => {
  const f = files[q.url];
  if (!f) { r.writeHead(404); return r.end(); }
  r.writeHead(200, {'content-type': f.endsWith('.js') ? 'text/javascript' : 'text/html'});
  r.end(fs.readFileSync(path.join(__dirname, f)));
});

// One cabin peer: its stdin/stdout carry JSON lines; messages are kept for the checks.
function cabin(name, args) {
  const p = spawn(path.join(BUILD, 'tests/helpers/webrtc_cabin'), [path.join(WORK, name + '.raw'), ...args],
                  {stdio: ['pipe', 'pipe', fs.openSync(path.join(WORK, name + '.log'), 'w')]});
  const c = {p, msgs: [], waiters: [], send: m => p.stdin.write(JSON.stringify(m) + '\n')};
  readline.createInterface({input: p.stdout}).on('line', l => {
    let m; try { m = JSON.parse(l); } catch (e) { return; }
    c.msgs.push(m); c.onmsg && c.onmsg(m);
    c.waiters = c.waiters.filter(w => !(w.f(m) && (w.r(m), true)));
  });
  c.next = (f, ms) => new Promise(r => { const w = {f, r}; c.waiters.push(w); setTimeout(() => r(null), ms); });
  c.stats = async () => { c.send({cmd: 'stats'}); const m = await c.next(m => m.stats, 5000); return m && m.stats; };
  c.stop = async () => { c.send({cmd: 'stop'}); const m = await c.next(m => m.stats, 10000);
                         await new Promise(r => p.exitCode !== null ? r() : p.on('exit', r)); return m && m.stats; };
  return c;
}

// Relays signalling between the page and a cabin (the station's role in the product).
function wire(page, c) {
  c.onmsg = m => { if (m.signal) page.evaluate(s => call.signal(s), m.signal).catch(() => {}); };
  for (const m of c.msgs) c.onmsg(m);
}

async function main() {
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true, args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${WORK}/doctor.y4m`,
    `--use-file-for-fake-audio-capture=${WORK}/doctor.wav`, '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required']});
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.on('pageerror', e => console.log('# page error', e.message));
  let active = null;
  await page.exposeFunction('toCabin', s => { if (active) active.send({signal: s}); });
  await page.goto(url);

  // --- call 1: host candidates; picture, fps, tones, stethoscope, camera switch, return path
  const c1 = active = cabin('cabin1', ['--camera', `color=c=0x${ROOM.map(x => x.toString(16).padStart(2, '0')).join('')}:s=1280x720:r=30,realtime`]);
  await page.evaluate(() => start(null, 'all'));
  wire(page, c1);
  const st = await until(() => page.evaluate(() => state()).then(s => s === 'connected' && s), 30000);
  ok(st === 'connected', 'call connects (cabin offers, browser answers, ICE on 127.0.0.1)', st);
  await until(async () => (await page.evaluate(() => videoStats())).framesDecoded > 30, 15000);
  const px = await page.evaluate(() => pixel());
  ok(near(px, ROOM, 24), "the console shows the cabin's test picture (centre pixel)", px);
  const v0 = await page.evaluate(() => videoStats()), t0 = Date.now();
  await sleep(4000);
  const v1 = await page.evaluate(() => videoStats());
  const fps = (v1.framesDecoded - v0.framesDecoded) * 1000 / (Date.now() - t0);
  ok(fps >= 25, 'getStats: >= 25 frames decoded per second', {fps: +fps.toFixed(1), size: `${v1.width}x${v1.height}`});
  const mic = await page.evaluate(() => tone('audio', 1500));
  ok(Math.abs(mic.hz - 440) <= 3, "a WebAudio analyser finds the cabin microphone's 440 Hz (through webrtcdsp)", mic);
  c1.send({cmd: 'steth', on: 1});
  await until(async () => (await page.evaluate(() => audioStats())).some(a => a.steth && a.packetsReceived > 50), 10000);
  const steth = await page.evaluate(() => tone('steth', 1500));
  // lavfi sine amplitude 1/8: RMS 0.0884; nothing in the path may change its level much
  ok(Math.abs(steth.hz - 180) <= 2 && steth.rms > 0.0884 * 0.8 && steth.rms < 0.0884 * 1.2,
     'the stethoscope 180 Hz arrives on its own track (m-line 2), level kept (unprocessed)', steth);
  const mic2 = await page.evaluate(() => tone('audio', 1000));
  ok(Math.abs(mic2.hz - 440) <= 3, 'the microphone track still carries 440 Hz, not the stethoscope', mic2);
  c1.send({cmd: 'camera', index: 1});
  const oto = await until(async () => { const p = await page.evaluate(() => pixel()); return near(p, OTO, 24) && p; }, 8000);
  const st2 = await page.evaluate(() => state());
  const offers = c1.msgs.filter(m => m.signal && m.signal.kind === 'offer').length;
  ok(oto && st2 === 'connected' && offers === 1, 'camera switch to the otoscope: its picture, same call (one offer)', {px: oto, state: st2, offers});
  c1.send({cmd: 'camera', index: 0});
  const back = await until(async () => { const p = await page.evaluate(() => pixel()); return near(p, ROOM, 24) && p; }, 8000);
  ok(!!back, 'back to the room camera', back);
  const cs = await c1.stats();
  ok(cs && cs.pictures > 50 && near([cs.r, cs.g, cs.b], DOCTOR, 30),
     "the cabin receives and decodes the doctor's picture", cs && {pictures: cs.pictures, rgb: [cs.r, cs.g, cs.b]});
  await page.evaluate(() => call.hangup());
  const fin = await c1.stop();
  const tone_out = execFileSync(path.join(BUILD, 'tests/helpers/raw_tone'), [path.join(WORK, 'cabin1.raw'), '660']).toString().trim();
  const m = /sounding=(\d+) near=(\d+) median=([-\d.]+)/.exec(tone_out);
  ok(m && +m[1] >= 20 && +m[2] >= +m[1] * 0.9 && Math.abs(+m[3] - 660) <= 1,
     "the cabin plays the doctor's 660 Hz within 1 Hz", tone_out);
  ok(fin && fin.relay === 0, 'host path: no relay incident', fin && {relay: fin.relay});

  // --- call 2: relay only through coturn with REST credentials from common/turn_rest
  if (TURN_PORT) {
    const turl = `turn:127.0.0.1:${TURN_PORT}?transport=udp`;
    const c2 = active = cabin('cabin2', ['--relay', '--turn-rest', turl, TURN_SECRET]);
    const ice = await c2.next(m => m.ice_servers, 10000);
    await page.evaluate(i => start(i, 'relay'), ice.ice_servers);
    wire(page, c2);
    const s2 = await until(() => page.evaluate(() => state()).then(s => s === 'connected' && s), 30000);
    const pr = s2 && await page.evaluate(() => pair());
    ok(s2 === 'connected' && pr && pr.local === 'relay', 'relay only: connected through coturn (REST credentials)', {state: s2, pair: pr});
    const a = await until(async () => { const v = await page.evaluate(() => videoStats()); return v.framesDecoded > 30 && v; }, 15000);
    ok(!!a, 'relay only: video decoded', a);
    const inc = await c2.next(m => m.incident === 'relay-used', 8000) || c2.msgs.find(m => m.incident === 'relay-used');
    ok(!!inc, "the cabin reports the incident 'relay-used'");
    await page.evaluate(() => call.hangup());
    await c2.stop();
  }
  console.log(`1..${n}`);
  await browser.close(); server.close();
  process.exit(failed ? 1 : 0);
}
main().catch(e => { console.log('not ok - ' + e.stack.split('\n').join(' | ')); console.log(`1..${n + 1}`); process.exit(1); });
