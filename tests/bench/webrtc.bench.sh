#!/usr/bin/env bash
# webrtc.bench.sh — the WebRTC call under loss and delay (tests/media/webrtc/bench.js):
# fps decoded, longest freeze and audio concealment at 0/2/5 % loss with 50 ms each way
# through a UDP relay of ours on loopback; glass-to-glass cabin -> browser; the cabin
# peer's CPU against a plain ffmpeg encode measured in the same run. About 80 s.
set -uo pipefail
: "${BUILD:=build}"
here=$(cd "$(dirname "$0")" && pwd)
for t in node ffmpeg /usr/bin/chromium; do command -v "$t" >/dev/null || exit 0; done
T=$(mktemp -d /tmp/cabin-webrtc-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
ffmpeg -loglevel error -y -f lavfi -i color=c=0xc02080:s=640x480:r=30 -t 2 -pix_fmt yuv420p "$T/doctor.y4m"
ffmpeg -loglevel error -y -f lavfi -i sine=frequency=660:sample_rate=48000 -t 5 -ac 1 -c:a pcm_s16le "$T/doctor.wav"
WEBRTC_BENCH_SECONDS=${WEBRTC_BENCH_SECONDS:-10} node "$here/../media/webrtc/bench.js" "$BUILD" "$T"
