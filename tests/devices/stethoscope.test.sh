#!/usr/bin/env bash
# stethoscope.test.sh — a USB stethoscope is found by the instruments layer: under
# umockdev (tests/devices/stethoscope/device.umockdev: two USB Audio Class sound
# cards with synthetic ids, "USB Digital Stethoscope" and a plain "USB PnP Sound
# Device"), `cabin-devices list --json` gives the first the kind "stethoscope" and
# leaves the second unknown (a microphone); the real cabin, under the same umockdev
# and its own Xvfb with `[media] stethoscope = auto`, takes the stethoscope's ALSA
# device hw:1,0 for its stethoscope stream. Prints TAP.
set -uo pipefail
: "${BUILD:?}" "${CABIN_SRC:?}"
for tool in umockdev-run Xvfb node; do
  command -v $tool >/dev/null || { echo "1..0 # SKIP $tool not installed"; exit 0; }
done
desc=$CABIN_SRC/tests/devices/stethoscope/device.umockdev
tmp=$(mktemp -d); xpid=; cpid=
trap '[ -n "$cpid" ] && kill $cpid 2>/dev/null; [ -n "$xpid" ] && kill $xpid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; shift; for l in "$@"; do echo "#   $l"; done; }
echo "1..3"

timeout 20 umockdev-run -d "$desc" -- "$BUILD/cabin-devices" list --json >"$tmp/list" 2>"$tmp/list.err"
kinds=$(node -e "
const l = require('fs').readFileSync('$tmp/list', 'utf8').trim().split('\n').filter(Boolean).map(JSON.parse);
console.log(l.map(e => e.device).map(d => d.devnode + '=' + d.kind + '/' + d.bus + '/' + d.usb).sort().join(' '))" 2>&1)
want="/dev/snd/controlC1=stethoscope/sound/1209:0001 /dev/snd/controlC2=unknown/sound/1209:0002"
if [ "$kinds" = "$want" ]; then ok "cabin-devices list: the stethoscope's sound card is kind stethoscope, the other sound card is not"
else no "cabin-devices list: kinds of the sound cards" "got:  $kinds" "want: $want" "$(head -3 "$tmp/list.err")"; fi

# the cabin: found by the instruments layer, used for the stethoscope stream
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$tmp/display" >/dev/null 2>&1 &
xpid=$!
for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
printf '[storage]\ndata_dir = %s/data\n[media]\ncamera = none\nmicrophone = none\nstethoscope = auto\n' "$tmp" >"$tmp/cabin.ini"
DISPLAY=:$(head -1 "$tmp/display") CABIN_NO_LINK=1 SDL_AUDIODRIVER=dummy SDL_RENDER_DRIVER=software \
  umockdev-run -d "$desc" -- "$BUILD/cabin" --windowed 1280x800 --config "$tmp/cabin.ini" >"$tmp/cabin.log" 2>&1 &
cpid=$!
for _ in $(seq 150); do grep -q 'stethoscope .* found on\|first frame\|attract' "$tmp/cabin.log" 2>/dev/null && break; sleep 0.1; done
sleep 1
if grep -q 'stethoscope USB Digital Stethoscope found on hw:1,0' "$tmp/cabin.log"; then ok "the cabin takes the stethoscope the instruments layer found: hw:1,0"
else no "the cabin takes the stethoscope the instruments layer found" "$(grep -i 'steth\|sound' "$tmp/cabin.log" | head -5)"; fi
if ! grep -q 'found on hw:2' "$tmp/cabin.log"; then ok "the plain sound card is not taken for a stethoscope"
else no "the plain sound card is not taken for a stethoscope"; fi
exit $fail
