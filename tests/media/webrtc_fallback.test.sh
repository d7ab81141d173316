#!/usr/bin/env bash
# webrtc_fallback.test.sh — audio only under real loss and back (docs/webrtc.md
# "Adaptation"): the cabin's peer (tests/helpers/webrtc_cabin) and the console's call.js
# in headless Chromium, every packet through a UDP relay on loopback
# (tests/media/webrtc/fallback.js): clean, then 30 % loss each way until the cabin goes
# audio only (the microphone still arrives, no video), then clean until the video is
# back. 4 checks, about 40 s.
set -uo pipefail
: "${BUILD:?BUILD must be set (tests/run sets it)}"
here=$(cd "$(dirname "$0")" && pwd)
for t in node ffmpeg /usr/bin/chromium; do
  command -v "$t" >/dev/null || { echo "1..0 # SKIP $t not installed"; exit 0; }
done
[ -d "$here/../../scripts/npm/node_modules/playwright-core" ] || { echo "1..0 # SKIP playwright-core not installed"; exit 0; }
T=$(mktemp -d /tmp/cabin-webrtc-fallback.XXXXXX)
trap 'rm -rf "$T"' EXIT
ffmpeg -loglevel error -y -f lavfi -i color=c=0xc02080:s=640x480:r=30 -t 2 -pix_fmt yuv420p "$T/doctor.y4m"
ffmpeg -loglevel error -y -f lavfi -i sine=frequency=660:sample_rate=48000 -t 5 -ac 1 -c:a pcm_s16le "$T/doctor.wav"
node "$here/webrtc/fallback.js" "$BUILD" "$T"
rc=$?
[ $rc = 0 ] || { echo "# cabin peer log:"; grep -i "rung\|audio only\|video" "$T/fallback-cabin.log" | tail -8 | sed 's/^/#   /'; }
exit $rc
