#!/usr/bin/env bash
# service_french.test.sh — the technician's menu in French on the real cabin
# (--sim --lang fr) under Xvfb: the Instruments tab's lines, buttons and "more
# lines" cue read exactly from the widget map (the menu writes what it shows,
# "# label" / "# line" / "# cue"), while the log keeps its English menu lines.
# Screenshot: $BUILD/screens/service/60-instruments-fr.png.
set -uo pipefail
CABIN_SRC=${CABIN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$CABIN_SRC/build}
N=6
echo "1..$N"
skip_all() { for ((i = 1; i <= N; i++)); do echo "ok $i - service menu in French # SKIP $1"; done; exit 0; }
for tool in Xvfb xdotool import; do command -v $tool >/dev/null || skip_all "$tool missing"; done
[ -x "$BUILD/cabin" ] || skip_all "$BUILD/cabin not built"
[ -f "$BUILD/locale/fr/LC_MESSAGES/cabin.mo" ] || skip_all "French catalogue not built"

shots=$BUILD/screens/service
mkdir -p "$shots"
work=$(mktemp -d /tmp/cabin-svc-fr-XXXXXX)
log=$work/cabin.log map=$work/map
xvfb_pid= cabin_pid=
cleanup() {
  [ -n "$cabin_pid" ] && kill "$cabin_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -m 700 "$work/data"
# Synthetic password service-cabin-42, given only as its hash in [service].
pwd_=$(printf %s service-cabin-42 | "$CABIN_SRC/scripts/hash-secret" password)
cat >"$work/cabin.ini" <<INI
[station]
url = wss://127.0.0.1:9/cabin

[storage]
data_dir = $work/data

[service]
technician_password_hash = $pwd_
INI

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=:$(head -1 "$work/display")
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

CABIN_LOG=debug CABIN_UI_MAP=$map CABIN_NO_LINK=1 CABIN_NO_MEDIA=1 CABIN_NO_HOTPLUG=1 SDL_RENDER_DRIVER=software \
  "$BUILD/cabin" --sim --config "$work/cabin.ini" --windowed 1280x800 --lang fr >"$log" 2>&1 &
cabin_pid=$!

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; grep '^# ' "$map" 2>/dev/null | sed 's/^/#   /'; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
wait_log() { for ((i = 0; i < $2 * 20; i++)); do grep -qE -- "$1" "$log" && return 0; sleep 0.05; done; return 1; }
# has LINE — the menu's map holds exactly LINE (fixed string, whole line)
has() { for ((i = 0; i < 60; i++)); do grep -qxF -- "$1" "$map" 2>/dev/null && return 0; sleep 0.05; done; return 1; }

wait_log 'app: cabin .* windowed' 15
wait_log 'instrument registered: blood-pressure .* driver omron-hem' 10
xdotool mousemove 10 10 mousedown 1 sleep 3.3 mouseup 1
xdotool mousemove 751 694 click 1; sleep 0.3
xdotool type --delay 30 'service-cabin-42'; xdotool key Return
wait_log 'technician menu.open' 5
for ((i = 0; i < 60; i++)); do head -1 "$map" | grep -q 'screen service-menu' && break; sleep 0.05; done
sleep 0.5
import -window root "$shots/60-instruments-fr.png"
check "the Instruments tab's buttons are in French" \
  "has '# label Run_a_self-test Lancer un autotest' && has '# label Calibration_date Date d'\\''étalonnage' && has '# label Instruments Appareils' && has '# label Close_the_service_menu Fermer le menu de maintenance'"
check "the first instrument's lines are in French, exactly" \
  "has '# line 1. oxymètre de pouls  CMS50D+' && grep -qxE '# line    connecté \\((mesure en cours|prêt), simulé\\), pilote cms50, n° série inconnu, firmware inconnu' '$map' && grep -qxE '# line    vu la première fois [0-9-]{10} [0-9:]{5} UTC, la dernière fois [0-9-]{10} [0-9:]{5} UTC' '$map'"
check "calibration and self-test lines in French" \
  "has '# line    date d'\\''étalonnage inconnue' && has '# line    aucun autotest pour l'\\''instant' && has '# line 2. thermomètre  IEEE 11073 thermometer (simulated)'"
check "the list runs past the bottom at 1280x800 and the cue says how many more lines" \
  "grep -qxE '# cue ▼ [0-9]+ ligne\\(s\\) de plus : faites glisser vers le haut' '$map'"
check "the log keeps the menu lines in English" \
  "wait_log 'menu warning:    calibration due date unknown' 3 && wait_log 'menu line: 1. pulse-oximeter  CMS50D\\+' 3 && ! grep -q 'étalonnage' '$log'"
# Dragging the lines up scrolls them: the fifth instrument comes into view and,
# at the end, the cue is gone.
xdotool mousemove 800 600 mousedown 1 mousemove 800 500 sleep 0.1 mousemove 800 400 sleep 0.1 mousemove 800 150 sleep 0.1 mouseup 1
sleep 0.5
import -window root "$shots/61-instruments-fr-dragged.png"
# (with the patient text at 24 px and more, instrument 4 is below the fold at 1280x800)
check "dragging the list up shows the lines below (instruments 4 and 5) and the cue goes" \
  "for ((j = 0; j < 40; j++)); do grep -qE '^# line 5\. tensiomètre ' '$map' && break; sleep 0.05; done; grep -qE '^# line 5\. tensiomètre ' '$map' && has '# line 4. lecteur de glycémie  IEEE 11073 glucometer (simulated)' && ! grep -q '^# cue ▼' '$map'"
echo "# screenshot in $shots/60-instruments-fr.png"
