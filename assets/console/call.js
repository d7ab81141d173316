// call.js — the doctor's side of the WebRTC call with a cabin (issue 13; docs/webrtc.md).
// The cabin offers three m-lines (0 video sendrecv, 1 microphone sendrecv, 2 stethoscope
// sendonly; webrtcbin names their mids video0, audio1, audio2); this page answers with the doctor's camera and microphone, shows the cabin's
// video, plays its sound and, on its own element, the stethoscope (no processing).
// Signalling goes through the console's WebSocket to the station, which relays it to the
// cabin of the session: messages `webrtc` {session, signal} and `ice_servers`
// {session, ice_servers, policy} (docs/link-protocol.md).
//
//   const call = new CabinCall({send: signal => ws.send(JSON.stringify(
//                                  {type: 'webrtc', session, signal})),
//                               video: videoEl, audio: audioEl, steth: stethEl});
//   on `ice_servers`: call.setIceServers(msg.ice_servers, msg.policy)
//   on `webrtc`:      call.signal(msg.signal)
//   call.hangup()  (sends kind "bye")
'use strict';

class CabinCall {
  // send(signal): hands a signal {kind, sdp | candidate, sdpMLineIndex} to the station.
  // video/audio/steth: <video>/<audio> elements; media: getUserMedia constraints.
  constructor({send, video, audio, steth, local, media, onState}) {
    this.send = send;
    this.el = {video, audio, steth, local};
    this.media = media || {video: {width: 1280, height: 720}, audio: {echoCancellation: true,
      noiseSuppression: true}};
    this.onState = onState || (() => {});
    this.ice = {iceServers: [], iceTransportPolicy: 'all'};
    this.pc = null;
    this.local = null;
    this.pending = []; // candidates that came before the offer
    this.tracks = {video: null, audio: null, steth: null};
    this.mids = {video: null, audio: null, steth: null}; // for getStats' inbound-rtp mid
  }

  // ice_servers [{urls, username, credential}], policy "all" | "relay".
  setIceServers(servers, policy) {
    this.ice = {iceServers: servers || [], iceTransportPolicy: policy === 'relay' ? 'relay' : 'all'};
  }

  async signal(s) {
    if (!s || typeof s.kind !== 'string') return;
    if (s.kind === 'offer') return this._offer(s.sdp);
    if (s.kind === 'candidate') {
      const c = {candidate: s.candidate || '', sdpMLineIndex: s.sdpMLineIndex | 0};
      if (!this.pc || !this.pc.remoteDescription) { this.pending.push(c); return; }
      return this.pc.addIceCandidate(c).catch(e => console.warn('candidate refused', e.message));
    }
    if (s.kind === 'bye') return this._close();
  }

  hangup() {
    if (this.pc) this.send({kind: 'bye'});
    this._close();
  }

  _close() {
    if (this.pc) this.pc.close();
    this.pc = null;
    if (this.local) this.local.getTracks().forEach(t => t.stop());
    this.local = null;
    for (const el of Object.values(this.el)) if (el) el.srcObject = null;
    this.tracks = {video: null, audio: null, steth: null};
    this.onState('closed');
  }

  async _offer(sdp) {
    if (this.pc) this._close(); // a new offer (the cabin restarted its call): start again
    if (!this.local) this.local = await navigator.mediaDevices.getUserMedia(this.media);
    if (this.el.local) this.el.local.srcObject = this.local; // the doctor's own picture
    const pc = this.pc = new RTCPeerConnection({...this.ice, bundlePolicy: 'max-bundle'});
    pc.onicecandidate = e => this.send(e.candidate
      ? {kind: 'candidate', candidate: e.candidate.candidate, sdpMLineIndex: e.candidate.sdpMLineIndex}
      : {kind: 'candidate', candidate: '', sdpMLineIndex: 0});
    pc.onconnectionstatechange = () => this.onState(pc.connectionState);
    pc.ontrack = e => this._track(e);
    await pc.setRemoteDescription({type: 'offer', sdp});
    // The doctor's camera and microphone go on the cabin's sendrecv m-lines 0 and 1.
    for (const [i, t] of pc.getTransceivers().entries()) {
      const kind = t.receiver.track.kind;
      if (i === 2) { t.direction = 'recvonly'; continue; } // stethoscope
      const mine = this.local.getTracks().find(x => x.kind === kind);
      if (mine) { await t.sender.replaceTrack(mine); t.direction = 'sendrecv'; }
    }
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this.send({kind: 'answer', sdp: pc.localDescription.sdp});
    for (const c of this.pending.splice(0)) await pc.addIceCandidate(c).catch(() => {});
  }

  _track(e) {
    const line = this.pc.getTransceivers().indexOf(e.transceiver);
    const which = e.track.kind === 'video' ? 'video' : line === 2 ? 'steth' : 'audio';
    this.tracks[which] = e.track;
    this.mids[which] = e.transceiver.mid;
    const el = this.el[which];
    if (el) { el.srcObject = new MediaStream([e.track]); el.play().catch(() => {}); }
  }
}

if (typeof module !== 'undefined') module.exports = {CabinCall};

// The console page (console.js) hands the relayed signals of the patient this doctor
// holds as DOM events (`cabin-webrtc`, `cabin-ice-servers`) and says when the call can
// no longer go on (`cabin-call-end`: the console's WebSocket closed, the patient was
// given back, the console locked). One CabinCall for the page (docs/console.md).
if (typeof document !== 'undefined' && document.getElementById('remote-video')) {
  const $ = (id) => document.getElementById(id);
  const call = new CabinCall({
    send: (signal) => window.cabinConsole && window.cabinConsole.sendSignal(signal),
    video: $('remote-video'), audio: $('remote-audio'), steth: $('steth-audio'), local: $('local-video'),
    onState: (state) => {
      $('call').dataset.state = state;
      const off = state === 'closed' || state === 'failed';
      $('hangup').hidden = off;
      $('start-call').hidden = !off; // one call at a time
    },
  });
  window.cabinCall = call; // for the tests' getStats()
  const mine = (m) => window.cabinConsole && m.session === window.cabinConsole.session();
  document.addEventListener('cabin-ice-servers', (e) => { if (mine(e.detail)) call.setIceServers(e.detail.ice_servers, e.detail.policy); });
  document.addEventListener('cabin-webrtc', (e) => {
    if (!mine(e.detail)) return;
    call.signal(e.detail.signal).catch((err) => console.error('call:', err));
  });
  document.addEventListener('cabin-call-end', () => call.hangup());
  $('hangup').addEventListener('click', () => call.hangup());
}
