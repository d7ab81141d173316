// fallback.js — audio only under real loss, and back (issue 13 "Adaptation"): the cabin's
// peer (tests/helpers/webrtc_cabin, 1280x720 test camera) and the console's call.js in
// headless Chromium, every packet through a UDP relay of ours on loopback (the cabin's
// host candidate rewritten to it, as in bench.js) that drops a share each way. Clean
// first; then 30 % loss: the cabin steps down the ladder and goes audio only (its
// stats video_off = 1) while the browser keeps receiving the microphone; then clean
// again: the video comes back and the browser decodes frames again. Prints TAP.
//   node fallback.js BUILD WORKDIR
'use strict';
const http = require('http'), fs = require('fs'), path = require('path'), readline = require('readline'), dgram = require('dgram');
const {spawn} = require('child_process');
const {chromium} = require(path.join(__dirname, '../../../scripts/npm/node_modules/playwright-core'));
const [BUILD, WORK] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let n = 0, failed = 0;
const ok = (c, d, extra) => { n++; if (!c) failed++; console.log(`${c ? 'ok' : 'not ok'} ${n} - ${d}`); if (!c && extra !== undefined) console.log('#   ' + JSON.stringify(extra)); };

// browser <-> relay <-> cabin port; LOSS may be changed while it runs
function lossyRelay(cabinPort) {
  const s = dgram.createSocket('udp4');
  const st = {loss: 0, seen: 0, dropped: 0, closed: false, browser: null};
  s.on('message', (msg, from) => {
    st.seen++;
    const toCabin = from.port !== cabinPort;
    if (toCabin) st.browser = from;
    if (Math.random() < st.loss) { st.dropped++; return; }
    const dst = toCabin ? {port: cabinPort} : st.browser;
    if (dst && !st.closed) s.send(msg, dst.port, '127.0.0.1');
  });
  return new Promise((r) => s.bind(0, '127.0.0.1', () => r({port: s.address().port, st, close: () => { st.closed = true; s.close(); }})));
}

const files = {'/': 'page.html', '/call.js': '../../../assets/console/call.js'};
const server = http.createServer((q, r) => {
  const f = files[q.url]; if (!f) { r.writeHead(404); return r.end(); }
  r.writeHead(200, {'content-type': f.endsWith('.js') ? 'text/javascript' : 'text/html'});
  r.end(fs.readFileSync(path.join(__dirname, f)));
});

async function main() {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true, args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${WORK}/doctor.y4m`,
    `--use-file-for-fake-audio-capture=${WORK}/doctor.wav`, '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required']});
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const p = spawn(path.join(BUILD, 'tests/helpers/webrtc_cabin'), [path.join(WORK, 'f.raw'), '--camera', 'testsrc2=s=1280x720:r=30,realtime'],
                  {stdio: ['pipe', 'pipe', fs.openSync(path.join(WORK, 'fallback-cabin.log'), 'w')]});
  const send = (m) => p.stdin.write(JSON.stringify(m) + '\n');
  let relay = null, statsWait = null;
  const stats = () => new Promise((r) => { statsWait = r; send({cmd: 'stats'}); setTimeout(() => r(null), 3000); });
  await page.exposeFunction('toCabin', (s) => { if (s.kind !== 'candidate') send({signal: s}); });
  await page.evaluate(() => { start(null, 'all'); call.send = (s) => window.toCabin(s); });
  readline.createInterface({input: p.stdout}).on('line', async (l) => {
    const m = JSON.parse(l);
    if (m.stats && statsWait) { statsWait(m.stats); statsWait = null; }
    if (!m.signal) return;
    const s = m.signal;
    if (s.kind === 'candidate') {
      const c = /^candidate:\S+ 1 UDP \d+ 127\.0\.0\.1 (\d+) typ host/.exec(s.candidate);
      if (!c || relay) return; // one UDP path, through the relay
      relay = await lossyRelay(+c[1]);
      s.candidate = s.candidate.replace(` 127.0.0.1 ${c[1]} `, ` 127.0.0.1 ${relay.port} `);
    }
    page.evaluate((x) => call.signal(x), s).catch(() => {});
  });
  console.log('1..4');
  try {
    const t0 = Date.now();
    while (Date.now() - t0 < 30000 && await page.evaluate(() => state()) !== 'connected') await sleep(200);
    await sleep(2000);
    const v0 = await page.evaluate(() => videoStats());
    ok(relay && v0.framesDecoded > 20, `clean: connected through the relay, ${v0.framesDecoded} frames decoded`, v0);
    // 30 % loss each way: down the ladder, then audio only
    relay.st.loss = 0.30; const tlEnd = 45000;
    const tl = Date.now();
    let off = null, seen = [];
    while (Date.now() - tl < tlEnd) {
      await sleep(500);
      const s = await stats();
      if (s) seen.push(`${s.rung}${s.video_off ? "off" : ""}@${((Date.now() - tl) / 1000).toFixed(1)} loss=${s.loss} rtt=${s.rtt_ms}`);
      if (s && s.video_off) { off = (Date.now() - tl) / 1000; break; }
    }
    ok(off !== null, `30 % loss: the cabin goes audio only after ${off} s (rungs ${[...new Set(seen.map((x) => x.split('@')[0]))].join(' > ')})`, seen);
    await sleep(1500);
    const va = await page.evaluate(() => videoStats()), aa = await page.evaluate(() => audioStats());
    await sleep(3000);
    const vb = await page.evaluate(() => videoStats()), ab = await page.evaluate(() => audioStats());
    const mic = (x) => x.find((a) => !a.steth) || {packetsReceived: 0};
    const micIn = mic(ab).packetsReceived - mic(aa).packetsReceived, vidIn = vb.framesDecoded - va.framesDecoded;
    ok(off !== null && micIn > 40 && vidIn <= 3, `audio only: the microphone keeps arriving (${micIn} packets in 3 s through the loss), no video (${vidIn} frames)`, {micIn, vidIn});
    // clean again: the video comes back
    relay.st.loss = 0;
    const tc = Date.now();
    let on = null;
    while (Date.now() - tc < 40000) {
      await sleep(500);
      const s = await stats();
      if (s && !s.video_off) { on = (Date.now() - tc) / 1000; break; }
    }
    await sleep(3000);
    const vc = await page.evaluate(() => videoStats());
    ok(on !== null && vc.framesDecoded - vb.framesDecoded > 20, `loss gone: the video is back after ${on} s, ${vc.framesDecoded - vb.framesDecoded} frames decoded since (${vc.width}x${vc.height})`, {on, vc});
  } catch (e) {
    ok(false, 'the driver stopped: ' + e.message, e.stack);
  }
  await page.evaluate(() => call.hangup()).catch(() => {});
  send({cmd: 'stop'});
  await new Promise((r) => { if (p.exitCode !== null) r(); else { p.on('exit', r); setTimeout(() => { p.kill(); r(); }, 10000); } });
  if (relay) relay.close();
  await browser.close(); server.close();
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.error(e); process.exit(1); });
