#!/usr/bin/env bash
# render.test.sh — `cabin --render-screens` draws every screen and dialog in French
# and English at 1920x1080, 1280x800 and 1080x1920 with no display at all; each
# expected PNG must exist, have the right size, and not be blank (many colours).
set -uo pipefail
BUILD=${BUILD:-$(cd "$(dirname "$0")/../../build" && pwd)}
out=$BUILD/screens/render
command -v identify >/dev/null || { echo "1..0 # SKIP imagemagick not installed"; exit 0; }
screens="attract language information information-doctor consent identity identity-errors
identity-keyboard identity-place identity-abroad checks checks-failed waiting_room consultation consultation-stethoscope consultation-otoscope summary prescription prescription-failed ended wipe
still-there emergency stop stop-after-identity large-attract large-information large-identity
large-waiting_room"
sizes="1920x1080 1280x800 1080x1920"
total=$(( $(echo $screens | wc -w) * 2 * 3 ))
echo "1..$((total + 3))"
n=0
rm -rf "$out"; mkdir -p "$(dirname "$out")"
start=$(date +%s%N)
env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=offscreen "$BUILD/cabin" --render-screens "$out" >"$BUILD/render.log" 2>&1
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
n=$((n + 1))
if [ $rc = 0 ]; then echo "ok $n - --render-screens exits 0 without a display (${ms} ms)"; else
  echo "not ok $n - --render-screens exited $rc"; sed 's/^/#   /' "$BUILD/render.log" | tail -5; fi
n=$((n + 1))
count=$(ls "$out"/*.png 2>/dev/null | wc -l)
if [ "$count" = "$total" ]; then echo "ok $n - $count files, no more"; else echo "not ok $n - $count files, expected $total"; fi
# one identify run for all files (size and number of distinct colours of each)
declare -A info
while read -r f dim colours; do info[$f]="$dim $colours"; done < <(identify -format '%f %wx%h %k\n' "$out"/*.png 2>/dev/null)
for s in $screens; do
  for lang in fr en; do
    for size in $sizes; do
      n=$((n + 1)); f=$out/$s-$lang-$size.png
      if [ ! -f "$f" ]; then echo "not ok $n - $s-$lang-$size.png missing"; continue; fi
      read -r dim colours <<<"${info[$s-$lang-$size.png]:-none 0}"
      if [ "$dim" != "$size" ]; then echo "not ok $n - $s-$lang-$size.png is $dim"
      elif [ "${colours:-0}" -lt 200 ]; then echo "not ok $n - $s-$lang-$size.png looks blank ($colours colours)"
      else echo "ok $n - $s-$lang-$size.png ($colours colours)"; fi
    done
  done
done
# French and English renders differ (the texts really are translated)
n=$((n + 1))
if ! cmp -s "$out/information-fr-1280x800.png" "$out/information-en-1280x800.png"; then
  echo "ok $n - French and English renders differ"; else echo "not ok $n - French and English renders are identical"; fi
