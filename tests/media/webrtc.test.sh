#!/usr/bin/env bash
# webrtc.test.sh — the call over WebRTC between the cabin's webrtcbin peer
# (kiosk/media/media_webrtc.c, run by tests/helpers/webrtc_cabin with lavfi sources) and
# the console's call script (assets/console/call.js) in ONE headless Chromium session
# with fake devices from files (the doctor: a 0xc02080 picture, a 660 Hz tone).
# tests/media/webrtc/call.js relays the signalling and checks: the call connects on
# 127.0.0.1; the console shows the cabin's picture (canvas pixel) at >= 25 fps decoded;
# a WebAudio analyser finds the cabin microphone's 440 Hz; the stethoscope's 180 Hz on its
# own track with its level kept; a camera switch without renegotiation; the cabin decodes
# the doctor's picture and plays the doctor's 660 Hz within 1 Hz; then a second call,
# relay only, through coturn started here on a free loopback port with REST credentials
# (use-auth-secret) made by common/turn_rest.c, and the 'relay-used' incident.
# About 30 s.
set -uo pipefail
: "${BUILD:?BUILD must be set (tests/run sets it)}"
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/cabin-webrtc.XXXXXX)
TURN_PID=
cleanup() { [ -n "$TURN_PID" ] && kill "$TURN_PID" 2>/dev/null && wait "$TURN_PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
for t in node ffmpeg turnserver /usr/bin/chromium; do
  command -v "$t" >/dev/null || { echo "1..0 # SKIP $t not installed"; exit 0; }
done
ffmpeg -loglevel error -y -f lavfi -i color=c=0xc02080:s=640x480:r=30 -t 2 -pix_fmt yuv420p "$T/doctor.y4m"
ffmpeg -loglevel error -y -f lavfi -i sine=frequency=660:sample_rate=48000 -t 5 -ac 1 -c:a pcm_s16le "$T/doctor.wav"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
secret=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
cat >"$T/turnserver.conf" <<CONF
listening-ip=127.0.0.1
relay-ip=127.0.0.1
listening-port=$port
realm=cabin.test
use-auth-secret
static-auth-secret=$secret
fingerprint
allow-loopback-peers
no-tls
no-dtls
no-cli
no-multicast-peers
pidfile=$T/turnserver.pid
log-file=$T/turnserver.log
simple-log
CONF
turnserver -c "$T/turnserver.conf" >/dev/null 2>&1 &
TURN_PID=$!
for _ in $(seq 50); do grep -q "listener opened on\|Total General servers" "$T/turnserver.log" 2>/dev/null && break; sleep 0.1; done
node "$here/webrtc/call.js" "$BUILD" "$T" --turn-port "$port" --turn-secret "$secret"
rc=$?
[ $rc = 0 ] || { echo "# cabin1.log:"; tail -5 "$T/cabin1.log" | sed 's/^/#   /'; echo "# cabin2.log:"; tail -5 "$T/cabin2.log" 2>/dev/null | sed 's/^/#   /'; }
exit $rc
