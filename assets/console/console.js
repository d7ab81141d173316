// console.js — the doctor's console page (docs/console.md). Everything that came from a
// cabin or a patient is put into the page with textContent only (never as HTML). One
// WebSocket (subprotocol "cabin-console") to the station that served this page.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  let lang = localStorage.getItem('cabin-console-lang') || (navigator.language || 'fr').slice(0, 2);
  if (!window.CONSOLE_TEXTS[lang]) lang = 'fr';
  const t = (k) => (window.CONSOLE_TEXTS[lang][k] !== undefined ? window.CONSOLE_TEXTS[lang][k] : k);
  let ws = null, connState = 'connecting', me = null, queue = null, patient = null, lastActivity = 0;
  const requests = new Map();

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function send(o) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(o)); }
  function toast(text) { const x = $('toast'); x.textContent = text; x.hidden = false; clearTimeout(toast.tm); toast.tm = setTimeout(() => { x.hidden = true; }, 4000); }
  function hhmm(iso) { const d = new Date(iso); return isNaN(d) ? '' : d.toLocaleTimeString(lang === 'fr' ? 'fr-FR' : 'en-GB', {hour: '2-digit', minute: '2-digit', second: '2-digit'}); }
  function mins(s) { s = Math.max(0, s | 0); return Math.floor(s / 60) + ' min ' + String(s % 60).padStart(2, '0') + ' s'; }
  function dl(target, rows) {
    clear(target);
    for (const [k, v] of rows) { target.appendChild(el('dt', '', t(k))); target.appendChild(el('dd', '', v === undefined || v === null || v === '' ? '—' : v)); }
  }

  function translate() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    document.querySelectorAll('[data-tp]').forEach((e) => { e.placeholder = t(e.dataset.tp); });
    document.title = 'Cabin — ' + t('title');
    $('lang').value = lang;
    $('conn').textContent = t(connState);
    renderQueue(); renderPatient();
  }

  // --- queue -------------------------------------------------------------------------
  function renderQueue() {
    if (!queue) return;
    const ul = $('sessions'); clear(ul);
    const list = queue.sessions.slice().sort((a, b) => (a.position || 999) - (b.position || 999));
    let shown = 0;
    for (const s of list) {
      if (!s.online && !(me && s.rpps === me.rpps)) continue;
      shown++;
      const li = el('li'); li.dataset.session = s.session;
      if (me && s.rpps === me.rpps) li.classList.add('mine');
      const place = s.place || {}, addr = place.address || {};
      const top = el('div', 'q-top');
      top.appendChild(el('span', '', place.pharmacy || s.cabin));
      top.appendChild(el('span', 'pill' + (s.ready ? ' ok' : ''), s.position ? '#' + s.position : (s.rpps === (me && me.rpps) ? t('in_call') : '')));
      li.appendChild(top);
      li.appendChild(el('div', 'q-sub', [addr.city, (s.language || '—').toUpperCase(), t('waiting_for') + ' ' + mins(s.waiting_s), s.readings + ' ' + t('readings_n')].filter(Boolean).join(' · ')));
      const st = el('div', 'q-sub', s.measuring.length ? t('measuring') + ': ' + s.measuring.map((k) => t('k_' + k)).join(', ') : (s.ready ? t('ready') : t('not_ready')));
      li.appendChild(st);
      if (s.doctor) li.appendChild(el('div', 'q-sub', t('taken_by') + ' ' + s.doctor));
      else { const b = el('button', 'primary take', t('take')); b.dataset.session = s.session; b.addEventListener('click', () => send({type: 'take', session: s.session})); li.appendChild(b); }
      ul.appendChild(li);
    }
    $('noone').hidden = shown > 0;
    const cu = $('cabins'); clear(cu);
    for (const c of queue.cabins) {
      const p = c.place || {}, a = p.address || {};
      const li = el('li'); li.dataset.cabin = c.id;
      const top = el('div', 'q-top'); top.appendChild(el('span', '', p.pharmacy || c.id));
      top.appendChild(el('span', 'pill' + (c.state === 'offline' ? ' off' : c.state === 'idle' ? '' : ' warn'), t(c.state === 'idle' ? 'idle' : 'st_' + c.state)));
      li.appendChild(top); li.appendChild(el('div', 'q-sub', [a.city, c.id].filter(Boolean).join(' · ')));
      cu.appendChild(li);
    }
  }

  // --- patient -----------------------------------------------------------------------
  function age(born) {
    const b = new Date(born + 'T00:00:00'), n = new Date();
    if (isNaN(b)) return '';
    let y = n.getFullYear() - b.getFullYear();
    if (n.getMonth() < b.getMonth() || (n.getMonth() === b.getMonth() && n.getDate() < b.getDate())) y--;
    return y + ' ' + t('years');
  }
  function msgsOf(type) { return patient ? patient.messages.filter((m) => m.type === type) : []; }

  function renderReadings() {
    const tb = $('readings'); clear(tb);
    const seen = new Map();
    for (const m of msgsOf('reading')) {
      const o = m.observation || {}, dev = m.device || {};
      const label = (o.code && (o.code.text || (o.code.coding && o.code.coding[0] && o.code.coding[0].display))) || String(m.mdc);
      const tr = el('tr'); tr.dataset.mdc = m.mdc;
      const n = (seen.get(label) || 0) + 1; seen.set(label, n);
      tr.appendChild(el('td', '', label + (n > 1 ? ' (' + n + ')' : '')));
      let val;
      if (o.valueQuantity) val = o.valueQuantity.value + ' ' + (o.valueQuantity.unit || o.valueQuantity.code || '');
      else if (o.component) val = o.component.map((c) => (c.valueQuantity ? c.valueQuantity.value : '?')).join(' / ') + ' ' + ((o.component[0] && o.component[0].valueQuantity && o.component[0].valueQuantity.unit) || '');
      else val = t('again');
      tr.appendChild(el('td', 'value', val));
      tr.appendChild(el('td', '', hhmm(o.effectiveDateTime)));
      tr.appendChild(el('td', '', [dev.model || dev.kind, dev.serial ? 'n° ' + dev.serial : ''].filter(Boolean).join(' ')));
      const fl = el('td');
      for (const note of o.note || []) for (const f of String(note.text || '').split('; ')) if (f) fl.appendChild(el('span', 'flag', f));
      if (o.dataAbsentReason) fl.appendChild(el('span', 'flag', t('again')));
      if (o.status === 'preliminary') fl.appendChild(el('span', 'flag', '…'));
      tr.appendChild(fl);
      tb.appendChild(tr);
    }
  }
  function renderRequests() {
    const ul = $('requests'); clear(ul);
    const list = [...requests.values()].filter((r) => patient && r.session === patient.session).sort((a, b) => b.t_ms - a.t_ms);
    for (const r of list) {
      const li = el('li'); li.dataset.request = r.id; li.dataset.action = r.action; li.dataset.state = r.state;
      li.appendChild(el('span', '', t('a_' + r.action) + (r.kind ? ' · ' + t('k_' + r.kind) : '') + ' — '));
      li.appendChild(el('strong', 'state-' + r.state, t('s_' + r.state)));
      if (r.detail) li.appendChild(el('div', 'muted', r.detail));
      ul.appendChild(li);
    }
  }
  function addStill(s) {
    const f = el('figure'); f.dataset.still = s.id;
    const img = el('img'); img.src = s.url; img.alt = s.body_site || '';
    f.appendChild(img); f.appendChild(el('figcaption', '', [s.body_site, hhmm(s.time), s.camera ? t('k_' + s.camera) : ''].filter(Boolean).join(' · ')));
    f.addEventListener('click', () => { $('viewer-img').src = s.url; $('viewer-cap').textContent = [s.body_site, hhmm(s.time)].filter(Boolean).join(' · '); $('viewer').showModal(); });
    $('stills').appendChild(f);
  }
  function renderPatient() {
    $('patient').hidden = !patient; $('empty').hidden = !!patient;
    if (!patient) return;
    const id = (msgsOf('identity').pop() || {}).patient || {};
    $('pname').textContent = id.birth_name ? id.birth_name + ' ' + (id.first_names || '') : patient.session;
    $('pmeta').textContent = [id.birth_date ? age(id.birth_date) : '', patient.session].filter(Boolean).join(' · ');
    const ins = id.ins || {};
    dl($('identity'), [['birth_name', id.birth_name], ['first_names', id.first_names], ['birth_date', id.birth_date], ['age', id.birth_date ? age(id.birth_date) : ''],
      ['sex', id.sex], ['birth_place', id.birth_place_insee], ['ins', ins.value ? ins.kind + ' ' + ins.value : ''], ['ins_status', ins.status || id.status || t('provisional')], ['phone', id.phone]]);
    const p = patient.place || {}, a = p.address || {}, open = msgsOf('session_open')[0] || {};
    const ph = open.pharmacist_present !== undefined ? open.pharmacist_present : p.pharmacist_present;
    dl($('place'), [['pharmacy', p.pharmacy], ['address', [a.line, [a.postal_code, a.city].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ')], ['cabin_phone', p.phone], ['cabin', patient.cabin],
      ['pharmacist', ph === undefined ? t('unknown') : ph ? t('yes') : t('no')]]);
    const c = (msgsOf('consent').pop() || {}).consent || {};
    const rows = [['consent', c.accepted === undefined ? '' : c.accepted ? t('accepted') : t('refused')], ['language', c.language], ['text_version', c.text_id], ['at', c.time ? new Date(c.time).toLocaleString() : '']];
    for (const ans of c.answers || []) rows.push([String(ans.question || ans.id || '?'), String(ans.answer !== undefined ? ans.answer : '')]);
    dl($('consent'), rows);
    const st = $('pstate');
    const closed = msgsOf('session_close').length > 0;
    st.className = 'pill ' + (closed ? 'off' : patient.measuring.length ? 'warn' : patient.ready ? 'ok' : '');
    st.textContent = closed ? t('closed') : patient.measuring.length ? t('measuring') + ': ' + patient.measuring.map((k) => t('k_' + k)).join(', ') : patient.ready ? t('ready') : t('not_ready');
    $('start-call').disabled = closed || !patient.ready || patient.measuring.length > 0;
    $('callhint').textContent = $('start-call').disabled && !closed ? t('notready') : '';
    $('bundle').href = '/bundle/' + encodeURIComponent(patient.session) + '.json';
    renderReadings(); renderRequests();
  }
  function loadPatient(p) {
    patient = p;
    for (const r of p.requests) requests.set(r.id, r);
    clear($('stills')); for (const s of p.stills) addStill(s);
    const rep = (p.report && p.report.report) || {};
    for (const k of ['reason', 'history', 'examination', 'conclusion', 'advice']) $('r-' + k).value = rep[k] || '';
    clear($('rx-lines'));
    const lines = (p.report && p.report.prescription && p.report.prescription.lines) || [];
    for (const l of lines) addLine(l);
    if (!lines.length) addLine({});
    renderPatient();
  }
  function addLine(l) {
    const tr = el('tr');
    for (const k of ['medicine', 'dose', 'duration', 'text']) { const td = el('td'), i = el('input'); i.maxLength = 4096; i.dataset.k = k; i.value = l[k] || ''; td.appendChild(i); tr.appendChild(td); }
    $('rx-lines').appendChild(tr);
  }
  function reportBody() {
    const report = {};
    for (const k of ['reason', 'history', 'examination', 'conclusion', 'advice']) report[k] = $('r-' + k).value;
    const lines = [...$('rx-lines').querySelectorAll('tr')].map((tr) => { const o = {}; tr.querySelectorAll('input').forEach((i) => { o[i.dataset.k] = i.value; }); return o; }).filter((o) => o.medicine.trim());
    return {type: 'save_report', session: patient.session, report, prescription: {lines}};
  }
  function request(action, extra) { if (patient) send(Object.assign({type: 'request', session: patient.session, action}, extra || {})); }

  // --- the connection --------------------------------------------------------------------
  function onMessage(m) {
    switch (m.type) {
      case 'welcome': me = m.doctor; $('who').textContent = me.name + ' · ' + (me.specialty || '') + ' · RPPS ' + me.rpps; break;
      case 'queue': queue = m; renderQueue(); break;
      case 'taken': if (!m.ok) toast(m.reason === 'taken-by-other' ? t('taken_other') + ' ' + m.by : m.reason); break;
      case 'patient': loadPatient(m); break;
      case 'cabin_msg':
        if (patient && m.session === patient.session) { patient.messages.push(m.message); renderPatient(); }
        break;
      case 'patient_state': if (patient && m.session === patient.session) { patient.ready = m.ready; patient.measuring = m.measuring || []; renderPatient(); } break;
      case 'request_state': requests.set(m.id, m); renderRequests(); break;
      case 'still': if (patient && m.session === patient.session) addStill(m.still); break;
      case 'report_saved': $('saved').textContent = m.ok ? t('saved') + ' ' + hhmm(new Date().toISOString()) : '!'; break;
      case 'locked': lock(true); break;
      case 'unlocked': lock(false); break;
      case 'webrtc': case 'ice_servers': document.dispatchEvent(new CustomEvent('cabin-' + m.type.replace('_', '-'), {detail: m})); break;
      case 'error': if (m.code === 'locked') lock(true); else toast(m.detail); break;
      default: break;
    }
  }
  function lock(on) {
    $('lock').hidden = !on;
    if (on) { document.dispatchEvent(new CustomEvent('cabin-call-end')); patient = null; renderPatient(); clear($('sessions')); clear($('cabins')); }
  }
  function connect() {
    ws = new WebSocket('wss://' + location.host + '/', 'cabin-console');
    ws.onopen = () => { connState = 'online'; $('conn').className = 'pill ok'; $('conn').textContent = t('online'); send({type: 'hello', lang}); };
    ws.onmessage = (e) => { try { onMessage(JSON.parse(e.data)); } catch (err) { console.error(err); } };
    ws.onclose = () => { document.dispatchEvent(new CustomEvent('cabin-call-end')); connState = 'offline'; $('conn').className = 'pill off'; $('conn').textContent = t('offline'); setTimeout(connect, 2000); };
  }
  // the call script (call.js) sends its signals through here
  window.cabinConsole = { take: (session) => send({type: 'take', session}), sendSignal: (signal) => patient && send({type: 'webrtc', session: patient.session, signal}), session: () => patient && patient.session };

  function activity() { const n = Date.now(); if (n - lastActivity > 20000 && $('lock').hidden) { lastActivity = n; send({type: 'activity'}); } }
  ['click', 'keydown', 'mousemove'].forEach((ev) => document.addEventListener(ev, activity, {passive: true}));

  $('lang').addEventListener('change', () => { lang = $('lang').value; localStorage.setItem('cabin-console-lang', lang); translate(); });
  $('release').addEventListener('click', () => { document.dispatchEvent(new CustomEvent('cabin-call-end')); send({type: 'release', session: patient.session}); patient = null; renderPatient(); });
  $('do-measure').addEventListener('click', () => request('measure', {kind: $('measure-kind').value}));
  $('steth-start').addEventListener('click', () => request('stethoscope_start'));
  $('steth-stop').addEventListener('click', () => request('stethoscope_stop'));
  $('do-camera').addEventListener('click', () => request('camera', {kind: $('camera-kind').value}));
  $('do-still').addEventListener('click', () => request('still', {body_site: $('still-site').value}));
  $('do-message').addEventListener('click', () => { const v = $('msg-text').value.trim(); if (v) { request('message', {text: v}); $('msg-text').value = ''; } });
  $('do-end').addEventListener('click', () => request('end'));
  $('start-call').addEventListener('click', () => request('call'));
  $('rx-add').addEventListener('click', () => addLine({}));
  $('save-report').addEventListener('click', () => send(reportBody()));
  $('send-rx').addEventListener('click', () => { send(reportBody()); send({type: 'send_prescription', session: patient.session}); });
  $('unlock').addEventListener('click', () => send({type: 'unlock'}));
  $('viewer-close').addEventListener('click', () => $('viewer').close());
  translate();
  connect();
})();
