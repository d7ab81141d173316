# screen.sh — shared set-up of the screen suites (sourced by tests/screen/*.test.sh):
# a private Xvfb, the TAP plan and counters, the real cabin started with its widget map
# (CABIN_UI_MAP) and state log, and helpers that find a widget in the map and click its
# centre with xdotool. Everything started is killed on exit.
#   screen_setup NAME PLAN WxH   — out=$BUILD/screens/NAME, work dir, Xvfb, "1..PLAN"
#   start_cabin [ENV=VALUE...] -- [cabin options...]   (sets cabin=PID)
# A suite that must not reach a doctor station passes CABIN_NO_LINK=1: with no
# configuration file the cabin's defaults are the demo's (build/certs, 127.0.0.1:8443).
# The data directory is $work/data unless a suite passes CABIN_DATA_DIR.
set -uo pipefail
BUILD=${BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../build" && pwd)}
pids=()
n=0
CLICK_SLEEP=${CLICK_SLEEP:-0.2}

screen_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work"
}

screen_setup() { # NAME PLAN WxH
  out=$BUILD/screens/$1
  mkdir -p "$out"
  work=$(mktemp -d "$BUILD/$1.XXXXXX")
  trap screen_cleanup EXIT
  local tool
  for tool in Xvfb xdotool import; do
    command -v $tool >/dev/null || { echo "1..0 # SKIP $tool not installed"; exit 0; }
  done
  echo "1..$2"
  Xvfb -displayfd 3 -screen 0 "$3x24" -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
  export DISPLAY=:$(head -1 "$work/display")
  for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
  log=$work/state.log map=$work/map
}

start_cabin() { # [ENV=VALUE...] -- [cabin options...]
  local envs=()
  while (($#)) && [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  # a private data directory unless the suite names one: a cabin locks its data_dir,
  # so suites (and helpers running them side by side) must not share $HOME's
  env CABIN_DATA_DIR="$work/data" "${envs[@]}" CABIN_UI_MAP="$map" SDL_RENDER_DRIVER=software "$BUILD/cabin" \
    --state-log "$log" "$@" >"$work/cabin.log" 2>&1 &
  cabin=$!
  pids+=($cabin)
}

ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
wait_for() { local i; for i in $(seq "${T:-100}"); do "$@" && return 0; sleep 0.1; done; return 1; }
where() { [ -f "$map" ] && awk -v n="$1" '$1 == n && $6 == 1 { printf "%d %d\n", $2 + $4 / 2, $3 + $5 / 2; f = 1; exit } END { exit !f }' "$map"; }
# click NAME — a left click at the centre of enabled widget NAME (the map is shown
# as TAP comments when there is none)
click() {
  local xy
  wait_for where "$1" >/dev/null || { echo "# no enabled widget '$1' on screen"; sed 's/^/#   /' "$map" 2>/dev/null | head -40; return 1; }
  xy=$(where "$1"); xdotool mousemove $xy click 1; sleep "$CLICK_SLEEP"
}
screen_is() { head -1 "$map" 2>/dev/null | grep -q "^# screen $1 "; }
dialog() { head -1 "$map" 2>/dev/null | grep -q "dialog $1\$"; }
shot() { sleep 0.3; import -window root "$out/$1.png" 2>/dev/null; }
last_to() { tail -1 "$log" 2>/dev/null | sed -n 's/.*"to": *"\([a-z_]*\)".*/\1/p'; }
