// bench.js — the WebRTC call under loss and delay, for `make bench` (JSON lines).
// A UDP relay of ours on 127.0.0.1 stands between the browser and the cabin's peer: the
// cabin's host candidate is rewritten to the relay's port and the browser's candidates
// are not passed on, so every packet (ICE, DTLS, SRTP, RTCP) crosses the relay, which
// drops a set share in each direction and delays the rest by a fixed time.
//   node bench.js BUILD WORKDIR
// Figures per loss level (0, 2, 5 % with 50 ms each way), over SECONDS (12) of call:
// frames decoded per second in the browser, longest freeze (no new frame decoded, ms),
// audio concealment share (concealedSamples / totalSamplesReceived of the microphone
// track), the cabin's final rung; and, on the clean run, glass-to-glass latency cabin ->
// browser (white-square markers: capture time on the sender's clock -> the frame shown
// in the page, both on the wall clock) and the CPU of the cabin's peer process against a
// plain ffmpeg encode of the same source.
'use strict';
const http = require('http'), fs = require('fs'), path = require('path'), readline = require('readline'), dgram = require('dgram');
const {spawn, spawnSync} = require('child_process');
const {chromium} = require(path.join(__dirname, '../../../scripts/npm/node_modules/playwright-core'));
const [BUILD, WORK] = process.argv.slice(2);
const SECONDS = +(process.env.WEBRTC_BENCH_SECONDS || 12);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const out = (name, value, unit, note) => console.log(JSON.stringify({name, value, unit, note}));

// The lossy relay: browser <-> relay socket <-> cabin port.
function lossyRelay(cabinPort, loss, delayMs) {
  const s = dgram.createSocket('udp4');
  let browser = null, seen = 0, dropped = 0, closed = false;
  s.on('message', (msg, from) => {
    seen++;
    const toCabin = from.port !== cabinPort;
    if (toCabin) browser = from;
    if (Math.random() < loss) { dropped++; return; }
    const dst = toCabin ? {port: cabinPort} : browser;
    if (!dst) return;
    setTimeout(() => { if (!closed) s.send(msg, dst.port, "127.0.0.1"); }, delayMs);
  });
  return new Promise(r => s.bind(0, '127.0.0.1', () => r({port: s.address().port, close: () => { closed = true; s.close(); },
                                                           stats: () => ({seen, dropped})})));
}

const files = {'/': 'page.html', '/call.js': '../../../assets/console/call.js'};
const server = http.createServer((q, r) => {
  const f = files[q.url]; if (!f) { r.writeHead(404); return r.end(); }
  r.writeHead(200, {'content-type': f.endsWith('.js') ? 'text/javascript' : 'text/html'});
  r.end(fs.readFileSync(path.join(__dirname, f)));
});

function cpuTicks(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return +f[11] + +f[12]; // utime + stime, clock ticks
}

async function run(page, level, loss, delay, marker) {
  const args = marker ? ['--marker'] : ['--camera', 'testsrc2=s=1280x720:r=30,realtime'];
  const p = spawn(path.join(BUILD, 'tests/helpers/webrtc_cabin'), [path.join(WORK, `b${level}.raw`), ...args],
                  {stdio: ['pipe', 'pipe', fs.openSync(path.join(WORK, `b${level}.log`), 'w')]});
  const send = m => p.stdin.write(JSON.stringify(m) + '\n');
  let relay = null, origin = 0, statsWait = null;
  await page.exposeFunction(`toCabin${level}`, s => { if (s.kind !== 'candidate') send({signal: s}); });
  await page.evaluate(l => { start(null, 'all'); call.send = s => window[`toCabin${l}`](s); marks = []; }, level);
  readline.createInterface({input: p.stdout}).on('line', async l => {
    const m = JSON.parse(l);
    if (m.origin_rt) origin = m.origin_rt;
    if (m.stats && statsWait) statsWait(m.stats);
    if (!m.signal) return;
    const s = m.signal;
    if (s.kind === 'candidate') {
      const c = /^candidate:\S+ 1 UDP \d+ 127\.0\.0\.1 (\d+) typ host/.exec(s.candidate);
      if (!c || relay) return; // one UDP path, through the relay
      relay = await lossyRelay(+c[1], loss, delay);
      s.candidate = s.candidate.replace(` 127.0.0.1 ${c[1]} `, ` 127.0.0.1 ${relay.port} `);
    }
    page.evaluate(x => call.signal(x), s).catch(() => {});
  });
  const t0 = Date.now();
  while (Date.now() - t0 < 30000 && await page.evaluate(() => state()) !== 'connected') await sleep(200);
  await page.evaluate(() => new Promise(r => setTimeout(r, 1500)));
  if (marker) await page.evaluate(() => watchMarkers());
  const cpu0 = cpuTicks(p.pid), a0 = await page.evaluate(() => audioStats());
  const v0 = await page.evaluate(() => videoStats());
  let last = v0.framesDecoded, lastT = Date.now(), longest = 0; const start = Date.now();
  while (Date.now() - start < SECONDS * 1000) {
    await sleep(50);
    const v = await page.evaluate(() => videoStats());
    if (v.framesDecoded !== last) { longest = Math.max(longest, Date.now() - lastT); last = v.framesDecoded; lastT = Date.now(); }
  }
  longest = Math.max(longest, Date.now() - lastT);
  const el = (Date.now() - start) / 1000, v1 = await page.evaluate(() => videoStats());
  const a1 = await page.evaluate(() => audioStats()), cpu1 = cpuTicks(p.pid);
  const mic = x => x.find(a => !a.steth) || {concealed: 0, total: 0};
  const conc = (mic(a1).concealed - mic(a0).concealed) / Math.max(1, mic(a1).total - mic(a0).total);
  const st = await new Promise(r => { statsWait = r; send({cmd: 'stats'}); setTimeout(() => r(null), 5000); });
  const res = {fps: (v1.framesDecoded - v0.framesDecoded) / el, longest, conc, rung: st && st.rung,
               video_off: st && st.video_off, cpu_s_per_s: (cpu1 - cpu0) / 100 / el, relay: relay && relay.stats()};
  if (marker) {
    const marks = await page.evaluate(() => marks);
    res.g2g = marks.map(t => { const k = Math.round((t - origin - 100) / 2000); return t - (origin + 2000 * k); })
                   .filter(d => d > 0 && d < 1000).sort((a, b) => a - b);
  }
  await page.evaluate(() => call.hangup());
  send({cmd: 'stop'});
  await new Promise(r => p.exitCode !== null ? r() : p.on('exit', r));
  if (relay) relay.close();
  return res;
}

// Glass-to-glass browser -> cabin: the doctor's camera is a 640x360 canvas (16:9, so it
// fills the cabin's picture) painted white for 100 ms at each 3 s of the wall clock (not the cabin's 2 s: a reply 2 s late would otherwise pass for a fast one)
// and black otherwise; the cabin's peer prints {"marker_in": ms} when a white picture
// follows a dark one (tests/helpers/webrtc_cabin.c, after decoding and conversion).
// Latency = arrival - the moment the page painted that white frame (both CLOCK_REALTIME).
async function runReverse(page) {
  const p = spawn(path.join(BUILD, 'tests/helpers/webrtc_cabin'), [path.join(WORK, 'r.raw')],
                  {stdio: ['pipe', 'pipe', fs.openSync(path.join(WORK, 'r.log'), 'w')]});
  const send = m => p.stdin.write(JSON.stringify(m) + '\n');
  const arrivals = [];
  await page.exposeFunction('toCabinR', s => send({signal: s}));
  await page.evaluate(() => {
    const c = document.createElement('canvas'); c.width = 640; c.height = 360;
    const g = c.getContext('2d'); window.painted = [];
    let white = false;
    setInterval(() => {
      const t = Date.now(), w = t % 3000 < 100; // the wall clock, as the cabin's CLOCK_REALTIME
      if (w && !white) window.painted.push(t);
      if (w !== white || Math.random() < 0.5) { g.fillStyle = w ? '#fff' : '#000'; g.fillRect(0, 0, 640, 360); }
      white = w;
    }, 5);
    const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async () => {
      const a = await gum({audio: true});
      return new MediaStream([c.captureStream(30).getVideoTracks()[0], ...a.getAudioTracks()]);
    };
    start(null, 'all'); call.send = s => window.toCabinR(s);
  });
  readline.createInterface({input: p.stdout}).on('line', l => {
    const m = JSON.parse(l);
    if (m.marker_in) arrivals.push(m.marker_in);
    if (m.signal) page.evaluate(x => call.signal(x), m.signal).catch(() => {});
  });
  const t0 = Date.now();
  while (Date.now() - t0 < 30000 && await page.evaluate(() => state()) !== 'connected') await sleep(200);
  await sleep(SECONDS * 1000);
  const painted = await page.evaluate(() => window.painted);
  await page.evaluate(() => call.hangup());
  send({cmd: 'stop'});
  await new Promise(r => p.exitCode !== null ? r() : p.on('exit', r));
  return arrivals.map(a => { const k = painted.filter(t => t <= a).pop(); return k ? a - k : -1; })
                 .filter(d => d > 0 && d < 1000).sort((a, b) => a - b);
}

async function main() {
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true, args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${WORK}/doctor.y4m`,
    `--use-file-for-fake-audio-capture=${WORK}/doctor.wav`, '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required']});
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const clean = await run(page, 'm', 0, 0, true);
  if (clean.g2g && clean.g2g.length) {
    const med = clean.g2g[Math.floor(clean.g2g.length / 2)];
    out('webrtc_g2g_cabin_to_browser_ms_median', med, 'ms', `white-square markers (${clean.g2g.length}): capture on the cabin's clock -> frame callback in Chromium, loopback, no added delay; all: ${clean.g2g.join(',')}`);
  }
  const back = await runReverse(page);
  if (back.length)
    out('webrtc_g2g_browser_to_cabin_ms_median', back[Math.floor(back.length / 2)], 'ms', `white canvas frames (${back.length}): painted in Chromium (canvas.captureStream) -> decoded and converted on the cabin's peer (before the screen), loopback, no added delay; all: ${back.join(',')}`);
  out('webrtc_cabin_cpu_s_per_s', +clean.cpu_s_per_s.toFixed(3), 's/s', "CPU of the cabin's peer process (capture, x264 720p30, webrtcdsp, Opus, SRTP, and decoding the doctor's 640x480 video)");
  for (const loss of [0, 2, 5]) {
    const r = await run(page, `l${loss}`, loss / 100, 50, false);
    const note = `UDP relay on loopback: ${loss} % loss each way, 50 ms delay each way, ${SECONDS} s of call; cabin rung at the end ${r.rung}${r.video_off ? ' (audio only)' : ''}; relay ${JSON.stringify(r.relay)}`;
    out(`webrtc_fps_decoded_loss${loss}`, +r.fps.toFixed(1), 'fps', note);
    out(`webrtc_longest_freeze_ms_loss${loss}`, r.longest, 'ms', note);
    out(`webrtc_audio_concealed_share_loss${loss}`, +r.conc.toFixed(4), 'ratio', note);
  }
  await browser.close(); server.close();
  // baseline measured in the same run: a plain ffmpeg encode of the same kind of source
  const t = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; time ffmpeg -loglevel error -re -f lavfi -i testsrc2=s=1280x720:r=30 -t ${SECONDS} -c:v libx264 -preset ultrafast -tune zerolatency -profile:v baseline -b:v 1500k -f null - 2>/dev/null`]);
  const [u, s] = t.stderr.toString().trim().split(/\s+/).map(Number);
  out('webrtc_ffmpeg_cli_cpu_s_per_s', +((u + s) / SECONDS).toFixed(3), 's/s', 'plain ffmpeg: lavfi testsrc2 720p30 -> libx264 ultrafast zerolatency baseline 1500k, same run');
}
main().catch(e => { console.error(e); process.exit(1); });
