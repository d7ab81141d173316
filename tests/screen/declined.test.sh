#!/usr/bin/env bash
# declined.test.sh — refusing the teleconsultation on the real program (1280x800,
# own Xvfb): the consent screen's "No", confirmed, ends the session politely
# (ENDED, reason shown), then OK wipes and returns to the attract screen. The state
# log must show consent -> ended -> wipe -> attract and nothing in between.
set -uo pipefail
BUILD=${BUILD:-$(cd "$(dirname "$0")/../../build" && pwd)}
out=$BUILD/screens/declined
mkdir -p "$out"
work=$(mktemp -d "$BUILD/declined.XXXXXX")
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
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=:$(head -1 "$work/display")
log=$work/state.log map=$work/map
CABIN_UI_MAP=$map SDL_RENDER_DRIVER=software "$BUILD/cabin" --windowed 1280x800 \
  --state-log "$log" --lang en >"$work/cabin.log" 2>&1 &
pids+=($!)
wait_for() { local i; for i in $(seq 100); do "$@" && return 0; sleep 0.1; done; return 1; }
where() { [ -f "$map" ] && awk -v n="$1" '$1 == n && $6 == 1 { printf "%d %d\n", $2 + $4 / 2, $3 + $5 / 2; f = 1; exit } END { exit !f }' "$map"; }
click() { local xy; wait_for where "$1" >/dev/null || return 1; xy=$(where "$1"); xdotool mousemove $xy click 1; sleep 0.2; }
screen_is() { head -1 "$map" 2>/dev/null | grep -q "^# screen $1 "; }
shot() { sleep 0.3; import -window root "$out/$1.png" 2>/dev/null; }

wait_for screen_is attract && click start && click lang_en && click next && wait_for screen_is consent
click consent_tele/1
# one answer is not enough: the confirm button stays disabled
if ! where next >/dev/null; then ok "confirm disabled until both questions are answered"; else notok "confirm disabled until both questions are answered"; fi
click consent_data/1 && shot consent-refused
click next
if wait_for screen_is ended; then ok "refusal ends the session politely"; else notok "refusal ends the session politely"; fi
shot ended
click next
if wait_for screen_is attract; then ok "OK wipes and returns to attract"; else notok "OK wipes and returns to attract"; fi
got=$(sed -n 's/.*"from": *"\([a-z_]*\)".*"to": *"\([a-z_]*\)".*"event": *"\([a-z_]*\)".*/\1>\2:\3/p' "$log" | tr '\n' ' ' | sed 's/ $//')
want="attract>language:start language>information:language_chosen information>consent:information_read consent>ended:consent_declined ended>wipe:ended_done wipe>attract:wipe_done"
if [ "$got" = "$want" ]; then ok "state log: $got"; else notok "state log: got '$got'"; fi
