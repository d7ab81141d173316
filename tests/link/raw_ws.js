// raw_ws.js — a hostile client for the station (tests/link/abuse.test.sh, the bench):
// raw TCP, TLS and WebSocket steps done badly on purpose. Prints one line per event:
// "TLS-UP", "UPGRADED", "TEXT <json>", "CLOSE <code> <reason>", "CLOSED <seconds>".
//   node raw_ws.js PORT CERTDIR MODE [N] [FROM]   (FROM: the loopback source address,
//   e.g. 127.0.0.5, so each case has its own count; N is for flood only)
// MODE: tcp (connect, send nothing), slow-tls (a ClientHello one byte a second),
// tls-idle (TLS handshake, then nothing), ws-idle (upgrade, then no hello),
// binary-first (upgrade, a binary frame first), unmasked (upgrade, an unmasked text
// frame: RFC 6455 5.1 says a server must close on it), flood (N TCP connections from
// the loopback address FROM held open; prints "FLOOD open=K closed-at-once=R" after
// 1.5 s, then "FLOOD-END open=K" when they all closed or after 60 s), hold (N TCP
// connections from FROM kept: each one closed is opened again 500 ms later; prints
// "HOLD opened=M" every second, runs until killed).
'use strict';
const net = require('net'), tls = require('tls'), fs = require('fs'), crypto = require('crypto');
const [port, dir, mode, nArg, from] = process.argv.slice(2);
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const say = (s) => console.log(s);
const end = () => { say(`CLOSED ${secs()}`); process.exit(0); };
if (mode !== 'hold') setTimeout(() => { say(`STILL-OPEN ${secs()}`); process.exit(0); }, 60000);

function frame(opcode, payload, masked) {
  const len = payload.length;
  const head = [0x80 | opcode];
  if (len < 126) head.push((masked ? 0x80 : 0) | len);
  else head.push((masked ? 0x80 : 0) | 126, len >> 8, len & 255);
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const key = crypto.randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([Buffer.from(head), key, body]);
}

function parseFrames(buf) { // server frames are not masked
  const out = [];
  let i = 0;
  while (buf.length - i >= 2) {
    const op = buf[i] & 15;
    let len = buf[i + 1] & 127, h = 2;
    if (len === 126) { if (buf.length - i < 4) break; len = buf.readUInt16BE(i + 2); h = 4; }
    if (buf.length - i < h + len) break;
    out.push({ op, data: buf.subarray(i + h, i + h + len) });
    i += h + len;
  }
  return { frames: out, rest: buf.subarray(i) };
}

function tlsConnect(after) {
  const s = tls.connect({ port: +port, host: '127.0.0.1', servername: 'localhost',
    localAddress: from || '127.0.0.1',
    cert: fs.readFileSync(dir + '/cabin.pem'), key: fs.readFileSync(dir + '/cabin.key'),
    ca: fs.readFileSync(dir + '/ca.pem') }, () => { say('TLS-UP'); after(s); });
  s.on('close', end);
  s.on('error', (e) => say(`ERROR ${e.message}`));
  return s;
}

function upgrade(s, then) {
  s.write('GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\n` +
    'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: cabin-link\r\n\r\n');
  let buf = Buffer.alloc(0), up = false;
  s.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    if (!up) {
      const k = buf.indexOf('\r\n\r\n');
      if (k < 0) return;
      const status = buf.subarray(0, buf.indexOf('\r\n')).toString();
      if (!/ 101 /.test(status)) { say(`HTTP ${status}`); return; }
      up = true; buf = buf.subarray(k + 4); say('UPGRADED'); then(s);
    }
    const r = parseFrames(buf); buf = r.rest;
    for (const f of r.frames) {
      if (f.op === 1) say(`TEXT ${f.data.toString()}`);
      else if (f.op === 8) say(`CLOSE ${f.data.length >= 2 ? f.data.readUInt16BE(0) : 0} ${f.data.subarray(2).toString()}`);
      else say(`FRAME op=${f.op} len=${f.data.length}`);
    }
  });
}

const hello = Buffer.from(JSON.stringify({ type: 'hello', id: 'raw-hello-1', versions: [1],
  cabin: { id: 'CABIN-TEST-01', pharmacy: 'P', phone: '+33100000001', address: {} } }));

if (mode === 'tcp') {
  const s = net.connect({ port: +port, host: '127.0.0.1', localAddress: from || '127.0.0.1' });
  s.on('close', end); s.on('error', () => {});
} else if (mode === 'slow-tls') {
  const s = net.connect({ port: +port, host: '127.0.0.1', localAddress: from || '127.0.0.1' }, () => {
    const ch = Buffer.from('16030100c8010000c40303', 'hex'); let i = 0;
    setInterval(() => { if (i < ch.length) s.write(ch.subarray(i, ++i)); }, 1000);
  });
  s.on('close', end); s.on('error', () => {});
} else if (mode === 'tls-idle') {
  tlsConnect(() => {});
} else if (mode === 'ws-idle') {
  tlsConnect((s) => upgrade(s, () => {}));
} else if (mode === 'binary-first') {
  tlsConnect((s) => upgrade(s, () => s.write(frame(2, Buffer.from([1, 2, 3, 4]), true))));
} else if (mode === 'unmasked') {
  tlsConnect((s) => upgrade(s, () => s.write(frame(1, hello, false))));
} else if (mode === 'masked-hello') { // the control: the same hello, masked, is welcome
  tlsConnect((s) => upgrade(s, () => s.write(frame(1, hello, true))));
} else if (mode === 'flood') {
  const n = +nArg; let open = 0, early = 0, done = 0, told = false;
  const start = Date.now();
  const tell = () => { if (!told) say(`FLOOD open=${open} closed-at-once=${early}`); told = true; };
  for (let i = 0; i < n; i++) {
    const s = net.connect({ port: +port, host: '127.0.0.1', localAddress: from || '127.0.0.1' });
    s.on('connect', () => { open++; });
    s.on('error', () => {});
    s.on('close', () => { open--; done++; if (Date.now() - start < 1500) early++;
      if (done === n) { tell(); say(`FLOOD-END open=0 ${secs()}`); process.exit(0); } });
  }
  setTimeout(tell, 1500);
}
else if (mode === 'hold') {
  const n = +nArg; let opened = 0;
  const one = () => {
    const s = net.connect({ port: +port, host: '127.0.0.1', localAddress: from || '127.0.0.1' });
    s.on('connect', () => { opened++; });
    s.on('error', () => {});
    s.on('close', () => setTimeout(one, 500));
  };
  for (let i = 0; i < n; i++) one();
  setInterval(() => say(`HOLD opened=${opened}`), 1000);
}
