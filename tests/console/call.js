// call.js — the call over WebRTC from the doctors' console (call.test.sh starts the
// real station and the real cabin): headless Chromium with fake devices (the doctor's
// camera: a 640x480 file; a 660 Hz tone) takes the patient, starts the call and checks
// what the browser receives (getStats: frames decoded and their exact size, the
// stethoscope on its own track), that a second doctor's console hears nothing of it,
// hang-up, the relay-only path through coturn, and the end of the consultation.
// Prints TAP lines; asks the shell about the cabin through CMD_FILE / ANS_FILE.
// Env: PLAYWRIGHT, ORIGIN, CERTS, SHOTS, SPKI, SESSION, WORK (doctor.y4m, doctor.wav).
'use strict';
const fs = require('fs');
const {chromium} = require(process.env.PLAYWRIGHT);
const {ORIGIN, CERTS, SHOTS, SPKI, SESSION, WORK} = process.env;
let n = 0, failed = 0;
const ok = (c, d, extra) => { n++; if (!c) failed++; console.log(`${c ? 'ok' : 'not ok'} ${n} - ${d}`); if (!c && extra !== undefined) console.log('#   ' + JSON.stringify(extra)); };
const pass = (d) => fs.readFileSync(`${CERTS}/${d}.p12.pass`, 'utf8').trim();
const shot = async (p, name) => p.screenshot({path: `${SHOTS}/${name}.png`});
const wait = async (fn, ms = 30000) => { const end = Date.now() + ms; while (Date.now() < end) { try { const v = await fn(); if (v) return v; } catch (e) { /* not yet */ } await new Promise((r) => setTimeout(r, 250)); } return null; };
const ask = (line) => fs.appendFileSync(process.env.CMD_FILE, line + '\n');
const answered = {}; // answers already read, per question
const answer = async (key, ms = 40000) => wait(() => {
  const l = fs.readFileSync(process.env.ANS_FILE, 'utf8').split('\n').filter((x) => x.startsWith(key + ' '));
  return l.length > (answered[key] || 0) ? (answered[key] = l.length, l.pop().slice(key.length + 1)) : null;
}, ms);

// In the page: the call's inbound video, audio tracks, selected pair.
const pageStats = () => (async () => {
  const c = window.cabinCall;
  if (!c || !c.pc) return {state: 'none'};
  const out = {state: c.pc.connectionState, video: null, audio: [], pair: null};
  const st = await c.pc.getStats();
  const byId = new Map(); st.forEach((s) => byId.set(s.id, s));
  st.forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') out.video = {frames: s.framesDecoded || 0, w: s.frameWidth, h: s.frameHeight};
    if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audio.push({mid: s.mid, steth: s.mid === c.mids.steth, packets: s.packetsReceived || 0});
    if (s.type === 'transport' && s.selectedCandidatePairId) {
      const p = byId.get(s.selectedCandidatePairId);
      if (p) out.pair = {local: (byId.get(p.localCandidateId) || {}).candidateType, remote: (byId.get(p.remoteCandidateId) || {}).candidateType};
    }
  });
  out.stethEl = !!(document.getElementById('steth-audio').srcObject && document.getElementById('steth-audio').srcObject.getAudioTracks().length);
  out.stethTrack = c.tracks.steth ? c.tracks.steth.id : null;
  out.micTrack = c.tracks.audio ? c.tracks.audio.id : null;
  out.remoteVideo = [document.getElementById('remote-video').videoWidth, document.getElementById('remote-video').videoHeight];
  return out;
})();

// Dominant frequency (Hz) of a received track, by a WebAudio analyser in the page.
const toneOf = (which) => (async (w) => {
  const track = window.cabinCall.tracks[w];
  if (!track) return -1;
  const ac = new AudioContext(); await ac.resume();
  const src = ac.createMediaStreamSource(new MediaStream([track])), an = ac.createAnalyser();
  an.fftSize = 16384; src.connect(an);
  await new Promise((r) => setTimeout(r, 1500));
  const f = new Float32Array(an.frequencyBinCount); an.getFloatFrequencyData(f);
  let k = 1; for (let i = 2; i < f.length - 1; i++) if (f[i] > f[k]) k = i;
  await ac.close();
  return k * ac.sampleRate / an.fftSize;
})(which);

const LADDER = ['1280x720', '960x540', '640x360', '640x360'];

(async () => {
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--ignore-certificate-errors-spki-list=' + SPKI,
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${WORK}/doctor.y4m`, `--use-file-for-fake-audio-capture=${WORK}/doctor.wav`,
      '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required']});
  const ctxOf = async (who) => browser.newContext({viewport: {width: 1366, height: 768}, locale: 'fr-FR',
    permissions: ['camera', 'microphone'],
    clientCertificates: [{origin: ORIGIN, pfxPath: `${CERTS}/${who}.p12`, passphrase: pass(who)}]});
  try {
    // the second doctor's console watches every message its WebSocket receives
    const ctx2 = await ctxOf('doctor2');
    const p2 = await ctx2.newPage();
    const seen2 = [];
    p2.on('websocket', (ws) => ws.on('framereceived', (f) => { try { const m = JSON.parse(f.payload); seen2.push(m.type + ':' + (m.session || '')); } catch (e) { /* binary */ } }));
    await p2.goto(ORIGIN + '/');

    const ctx = await ctxOf('doctor');
    const errors = [], seen = [];
    const open = async () => { // the doctor's console page, taking the patient
      const pg = await ctx.newPage();
      pg.on('pageerror', (e) => errors.push(e.message));
      pg.on('websocket', (ws) => ws.on('framereceived', (f) => { try { const m = JSON.parse(f.payload); seen.push(m); } catch (e) { /* binary */ } }));
      await pg.goto(ORIGIN + '/');
      const li = `#sessions li[data-session="${SESSION}"] button.take`;
      await wait(() => pg.$(li));
      await pg.click(li);
      return [pg, await wait(async () => !(await pg.isHidden('#patient')) && 'yes')];
    };
    let [p, took] = await open();
    ask('ready');
    const ready = await answer('ready');
    const canCall = await wait(async () => !(await p.isDisabled('#start-call')) && 'yes', 20000);
    ok(took && ready === 'yes' && canCall, 'the doctor takes the patient, who is ready: "Start the call" is enabled', {took, ready, canCall});

    // --- the call, host candidates on 127.0.0.1 -----------------------------------------------
    await p.click('#start-call');
    const ice = await wait(() => seen.find((m) => m.type === 'ice_servers' && m.session === SESSION));
    const turn = ice && ice.ice_servers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
    ok(turn && new RegExp(`^\\d{10}:${SESSION}$`).test(turn.username) && turn.credential.length === 28,
      'the console gets ice_servers at call start: TURN REST credentials "<expiry>:<session>" from [turn]', ice);
    const up = await wait(async () => { const s = await p.evaluate(pageStats); return s.state === 'connected' && s.video && s.video.frames > 10 && s; }, 45000);
    ok(up, 'the console and the cabin connect (RTCPeerConnection connected, video decoding)', up || await p.evaluate(pageStats));
    if (up) {
      const a = await p.evaluate(pageStats);
      await new Promise((r) => setTimeout(r, 2000));
      const b = await p.evaluate(pageStats);
      ask('rung');
      const rung = await answer('rung');
      const size = `${b.video.w}x${b.video.h}`;
      ok(b.video.frames - a.video.frames >= 30 && size === LADDER[+rung], `the browser decodes the cabin's video: ${b.video.frames - a.video.frames} frames in 2 s, ${size} = the cabin's rung ${rung} (${LADDER[+rung]})`, {a, b, rung});
      ok(b.pair && b.pair.local === 'host' && b.pair.remote === 'host', 'policy "all": the selected pair is host to host on loopback', b.pair);
      ok(b.remoteVideo[0] === b.video.w && b.remoteVideo[1] === b.video.h, `the console's <video> shows it at ${b.remoteVideo.join('x')}`, b.remoteVideo);
    } else for (let i = 0; i < 3; i++) ok(false, 'the call did not connect');
    ask('doctor-video');
    const dv = await answer('doctor-video');
    ok(dv === '640x480', "the cabin decodes the doctor's camera at its exact size (640x480) and shows it", dv);
    // the stethoscope: started by the doctor, on its own track and element
    await p.click('#steth-start');
    const steth = await wait(async () => { const s = await p.evaluate(pageStats); const t = s.audio.find((x) => x.steth); return t && t.packets > 100 && s; }, 20000);
    const hz = steth ? await p.evaluate(toneOf, 'steth') : -1;
    ok(steth && steth.stethEl && steth.stethTrack && steth.stethTrack !== steth.micTrack && Math.abs(hz - 150) < 3,
      `the stethoscope arrives on its own track (m-line 2) and element, its test tone at ${hz.toFixed(1)} Hz`, {steth, hz});
    await p.$eval('#call', (e) => e.scrollIntoView());
    await shot(p, 'call-01-console');
    ask('shot call-02-cabin');
    await answer('shot');

    // --- hang up from the console: both peers close -------------------------------------------
    await p.click('#hangup');
    const closed = await wait(async () => (await p.evaluate(() => !window.cabinCall.pc && document.getElementById('call').dataset.state)) === 'closed' && 'closed', 5000);
    ask('ended');
    const ended = await answer('ended');
    ok(closed && ended === 'yes', 'hang up: the console closes its peer and the cabin ends its call (bye)', {closed, ended});

    // --- the doctor's page closes mid-call: the station hangs up for it -----------------------
    await p.click('#start-call');
    const again = await wait(async () => { const st = await p.evaluate(pageStats); return st.state === 'connected' && st.video && st.video.frames > 10; }, 45000);
    await p.close();
    ask('ended');
    const ended3 = await answer('ended');
    ok(again && ended3 === 'yes', "the doctor's page closes mid-call: the station gives the patient back and says bye, the cabin ends its call", {again, ended3});
    [p, took] = await open();
    const canCall2 = await wait(async () => !(await p.isDisabled('#start-call')) && 'yes', 20000);

    // --- again, relay only through coturn ---------------------------------------------------------
    await p.evaluate(() => { const c = window.cabinCall, set = c.setIceServers.bind(c); c.setIceServers = (s) => set(s, 'relay'); });
    await p.click('#start-call');
    const relay = await wait(async () => { const s = await p.evaluate(pageStats); return s.state === 'connected' && s.video && s.video.frames > 30 && s.pair && s.pair.local === 'relay' && s; }, 45000);
    ok(took && canCall2 && relay, `the doctor takes the patient again; iceTransportPolicy "relay": the call goes through coturn on loopback (local ${relay && relay.pair.local}, remote ${relay && relay.pair.remote}), ${relay && relay.video.frames} frames decoded`, relay || await p.evaluate(pageStats));

    // --- the doctor ends the consultation: the cabin says bye, the console closes ---------------
    await p.click('#do-end');
    const closed2 = await wait(async () => (await p.evaluate(() => !window.cabinCall.pc && document.getElementById('call').dataset.state)) === 'closed' && 'closed', 15000);
    ask('ended');
    const ended2 = await answer('ended');
    ok(closed2 && ended2 === 'yes', 'ending the consultation closes both peers (the cabin sends bye)', {closed2, ended2});

    // --- a second patient; the cabin's link dies mid-call: the doctor's page hangs up -----------
    ask('next-session');
    const s2 = await answer('next-session', 90000);
    const li2 = `#sessions li[data-session="${s2}"] button.take`;
    const took2 = await wait(() => p.$(li2), 30000);
    if (took2) await p.click(li2);
    ask('ready');
    await answer('ready');
    const canCall3 = await wait(async () => !(await p.isHidden('#start-call')) && !(await p.isDisabled('#start-call')) && 'yes', 20000);
    if (canCall3) await p.click('#start-call');
    const up3 = await wait(async () => { const st = await p.evaluate(pageStats); return st.state === 'connected' && st.video && st.video.frames > 10; }, 45000);
    ask('kill-cabin');
    await answer('kill-cabin');
    const gone = await wait(async () => (await p.evaluate(() => !window.cabinCall.pc && document.getElementById('call').dataset.state)) === 'closed' && 'closed', 15000);
    ok(up3 && gone === 'closed', `the cabin's link dies mid-call (cabin killed): the station says bye, the doctor's page closes its peer`, {s2, took2: !!took2, canCall3, up3: !!up3, gone});

    const leaked = seen2.filter((t) => /^(webrtc|ice_servers):/.test(t));
    ok(seen2.length > 0 && leaked.length === 0, `the second doctor's console received ${seen2.length} messages, none of them webrtc or ice_servers`, leaked);
    const mine = seen.filter((m) => m.type === 'webrtc').map((m) => m.signal.kind);
    ok(mine.includes('offer') && mine.includes('candidate') && mine.includes('bye'), `the holding doctor's console got the cabin's offer, its candidates and a bye (${mine.length} webrtc messages)`, mine);
    ok(errors.length === 0, 'no script error in the console page', errors);
  } catch (e) {
    ok(false, 'the driver stopped: ' + e.message, e.stack);
  }
  await browser.close();
  process.exit(failed ? 1 : 0);
})();
