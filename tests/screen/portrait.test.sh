#!/usr/bin/env bash
# portrait.test.sh — the real program in a portrait 1080x1920 window under its own
# Xvfb: attract, language, information, consent, then the identity screen with the
# keyboard panel open; every touchable widget seen is at least 48 px (9 mm at this
# density) and screenshots go to $BUILD/screens/portrait/.
set -uo pipefail
BUILD=${BUILD:-$(cd "$(dirname "$0")/../../build" && pwd)}
out=$BUILD/screens/portrait
mkdir -p "$out"
work=$(mktemp -d "$BUILD/portrait.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
for tool in Xvfb xdotool import; do
  command -v $tool >/dev/null || { echo "1..0 # SKIP $tool not installed"; exit 0; }
done
echo "1..4"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
Xvfb -displayfd 3 -screen 0 1080x1920x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=:$(head -1 "$work/display")
log=$work/state.log map=$work/map
CABIN_UI_MAP=$map SDL_RENDER_DRIVER=software "$BUILD/cabin" --windowed 1080x1920 \
  --state-log "$log" >"$work/cabin.log" 2>&1 &
pids+=($!)
wait_for() { local i; for i in $(seq 100); do "$@" && return 0; sleep 0.1; done; return 1; }
where() { [ -f "$map" ] && awk -v n="$1" '$1 == n && $6 == 1 { printf "%d %d\n", $2 + $4 / 2, $3 + $5 / 2; f = 1; exit } END { exit !f }' "$map"; }
small=
click() {
  local xy; wait_for where "$1" >/dev/null || return 1
  small+=$(awk '!/^#/ && $1 != "results" && ($4 < 48 || $5 < 48) { printf " %s(%dx%d)", $1, $4, $5 }' "$map")
  xy=$(where "$1"); xdotool mousemove $xy click 1; sleep 0.2
}
screen_is() { head -1 "$map" 2>/dev/null | grep -q "^# screen $1 "; }
shot() { sleep 0.3; import -window root "$out/$1.png" 2>/dev/null; }

wait_for screen_is attract; shot attract
click start && wait_for screen_is language && shot language
click lang_fr && wait_for screen_is information && shot information
click next && wait_for screen_is consent && click consent_tele/0 && click consent_data/1 && shot consent
if click next && wait_for screen_is identity; then ok "portrait: attract to identity by clicks"; else
  notok "portrait: attract to identity by clicks"; tail -3 "$log" | sed 's/^/#   /'; fi
click birth_name && wait_for where key/ok >/dev/null && xdotool type --delay 30 "MARTIN" && shot identity-keyboard
if grep -q "^key/é " "$map" && grep -q "^birth_name " "$map"; then ok "keyboard panel with accented keys"; else notok "keyboard panel with accented keys"; fi
click key/ok && shot identity
read -r w h < <(identify -format '%w %h' "$out/identity.png" 2>/dev/null)
if [ "$w" = 1080 ] && [ "$h" = 1920 ]; then ok "portrait screenshots are 1080x1920"; else notok "portrait screenshots are ${w}x$h"; fi
if [ -z "$small" ]; then ok "every touch target is at least 48x48 px"; else notok "targets too small:$small"; fi
