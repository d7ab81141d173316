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
  constructor({send, video, audio, steth, media, onState}) {
    this.send = send;
    this.el = {video, audio, steth};
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
    this.onState('closed');
  }

  async _offer(sdp) {
    if (this.pc) this._close(); // a new offer (the cabin restarted its call): start again
    if (!this.local) this.local = await navigator.mediaDevices.getUserMedia(this.media);
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

// The console page (console.js) hands relayed signals as DOM events; the call is
// wired to them in a later change (docs/console.md "The call"): until then they are
// kept where the relay's test can see them.
document.addEventListener('cabin-webrtc', (e) => { window.lastSignal = e.detail.signal; });
document.addEventListener('cabin-ice-servers', (e) => { window.iceServers = e.detail; });
