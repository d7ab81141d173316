// call.js — the call in the console page (section#call). The WebRTC call itself is
// written with the cabin's peer (docs/console.md "The call"); until then this file
// only receives the relayed signals so that the relay can be seen working.
'use strict';
document.addEventListener('cabin-webrtc', (e) => { window.lastSignal = e.detail.signal; });
document.addEventListener('cabin-ice-servers', (e) => { window.iceServers = e.detail; });
