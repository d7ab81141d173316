#!/usr/bin/env bash
# timeout.test.sh — inactivity on the real program under its own Xvfb, with every
# timeout shortened to 2 s (CABIN_TIMEOUT_MS): the "are you still there?" dialog
# appears with its countdown, "I am still here" keeps the session, and silence
# then ends it: wipe, back to the attract screen; the state log shows it.
set -uo pipefail
BUILD=${BUILD:-$(cd "$(dirname "$0")/../../build" && pwd)}
out=$BUILD/screens/timeout
mkdir -p "$out"
work=$(mktemp -d "$BUILD/timeout.XXXXXX")
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
echo "1..6"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=:$(head -1 "$work/display")
log=$work/state.log map=$work/map
CABIN_TIMEOUT_MS=2000 CABIN_UI_MAP=$map SDL_RENDER_DRIVER=software "$BUILD/cabin" \
  --windowed 1280x800 --state-log "$log" --lang en >"$work/cabin.log" 2>&1 &
pids+=($!)
wait_for() { local i; for i in $(seq "${T:-100}"); do "$@" && return 0; sleep 0.1; done; return 1; }
where() { [ -f "$map" ] && awk -v n="$1" '$1 == n && $6 == 1 { printf "%d %d\n", $2 + $4 / 2, $3 + $5 / 2; f = 1; exit } END { exit !f }' "$map"; }
click() { local xy; wait_for where "$1" >/dev/null || return 1; xy=$(where "$1"); xdotool mousemove $xy click 1; sleep 0.15; }
dialog() { head -1 "$map" 2>/dev/null | grep -q "dialog $1\$"; }
screen_is() { head -1 "$map" 2>/dev/null | grep -q "^# screen $1 "; }
last_to() { tail -1 "$log" 2>/dev/null | sed -n 's/.*"to": *"\([a-z_]*\)".*/\1/p'; }

wait_for screen_is attract && click start && wait_for screen_is language
if T=60 wait_for dialog 2; then ok "still-there dialog after 2 s idle"; else notok "still-there dialog after 2 s idle"; fi
import -window root "$out/still-there.png" 2>/dev/null
lines=$(wc -l <"$log")
click I_am_still_here
if wait_for dialog 0 && [ "$(last_to)" = language ]; then ok "'I am still here' keeps the session"; else notok "'I am still here' keeps the session"; fi
if [ "$(wc -l <"$log")" -gt "$lines" ] && tail -1 "$log" | grep -q '"event": "still_here"'; then
  ok "the answer is in the state log"; else notok "the answer is in the state log"; fi
# now say nothing: countdown, then the session is wiped
if T=100 wait_for dialog 2; then ok "countdown shown again"; else notok "countdown shown again"; fi
if T=100 wait_for grep -q '"to": "wipe", "event": "timeout"' "$log"; then ok "silence: timeout -> wipe"; else
  notok "silence: timeout -> wipe"; tail -3 "$log" | sed 's/^/#   /'; fi
if T=100 wait_for screen_is attract && [ "$(last_to)" = attract ]; then ok "back to attract"; else notok "back to attract"; fi
