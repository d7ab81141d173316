# harness.sh — shared set-up of the failure suites, the soak and the benchmarks
# (sourced, not run): TAP counters, one Xvfb, development certificates, the real
# cabin-doctor and the real cabin on 127.0.0.1, the cabin's test hook
# (CABIN_TEST_HOOK, kiosk/app/test_hook.h), screenshots, and the checks that end
# every failure: no personal data in the cabin's files, audit chain intact.
# Synthetic identity only: MARTIN Camille, 14/07/1985, Saint-Étienne (42218).
set -uo pipefail
: "${BUILD:?BUILD must be set (tests/run sets it)}"
: "${CABIN_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
T=$(mktemp -d /tmp/cabin-e2e.XXXXXX)
PIDS=()
n=0; failed=0
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds (its output shown otherwise)
check() {
  local d=$1; shift
  if "$@" >"$T/check.out" 2>&1; then ok "$d"; else notok "$d" "$(head -c 1500 "$T/check.out" | sed 's/^/# /')"; fi
}
wait_for() { # wait_for SECONDS COMMAND... — retry every 0.1 s
  local s=$1; shift
  for _ in $(seq $((s * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}
need_tools() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "1..0 # SKIP $tool not installed"; exit 0; }
  done
}

# --- X server -----------------------------------------------------------------------
start_xvfb() { # start_xvfb [WxH]
  Xvfb -displayfd 3 -screen 0 "${1:-1280x800}x24" -nolisten tcp 3>"$T/display" >"$T/xvfb.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.1; done
  export DISPLAY=:$(head -1 "$T/display")
  wait_for 5 xdpyinfo
}
SHOTS=${SHOTS:-$BUILD/screens/e2e-harness}
shot() { mkdir -p "$SHOTS"; sleep 0.3; import -window root "$SHOTS/$1.png" 2>/dev/null; }

# --- certificates and the station -----------------------------------------------------
C=$T/certs
CABIN_ID=CABIN-E2E-01
"$CABIN_SRC/scripts/make-certs" "$C" --cabin-id "$CABIN_ID" >/dev/null 2>&1
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
PORT=$(free_port)
DOC_DATA=$T/station; mkdir -p "$DOC_DATA"
DOC_OUT=$T/doctor.out
STARTS=0
# start_doctor: cabin-doctor --json on $PORT, data $DOC_DATA, stdin from a fifo (doctor_say);
# without its window unless DOCTOR_WINDOW=1 (then on $DISPLAY, SDL's dummy sound)
start_doctor() {
  [ -p "$T/doctor.in" ] || mkfifo "$T/doctor.in"
  local nowin=--no-window
  [ "${DOCTOR_WINDOW:-0}" = 1 ] && nowin=
  SDL_AUDIODRIVER="${SDL_AUDIODRIVER:-dummy}" SDL_RENDER_DRIVER="${SDL_RENDER_DRIVER:-software}" \
  "$BUILD/cabin-doctor" ${DOCTOR_TERMINAL---terminal-doctor} --listen "127.0.0.1:$PORT" --cert "$C/station.pem" --key "$C/station.key" \
    --ca "$C/ca.pem" --data "$DOC_DATA" --json $nowin ${DOCTOR_ARGS:-} <"$T/doctor.in" >>"$DOC_OUT" 2>>"$T/doctor.err" &
  DOC_PID=$!; PIDS+=("$DOC_PID")
  exec 7>"$T/doctor.in"
  STARTS=$((STARTS + 1))
  for _ in $(seq 100); do
    [ "$(grep -c '"event":"listening"' "$DOC_OUT" 2>/dev/null)" -ge "$STARTS" ] && return 0
    sleep 0.05
  done
  echo "# cabin-doctor did not start: $(tail -3 "$T/doctor.err")"; return 1
}
doctor_say() { echo "$*" >&7; }
stop_doctor() { kill -"${1:-TERM}" "$DOC_PID" 2>/dev/null; wait "$DOC_PID" 2>/dev/null; exec 7>&-; }
# doctor_count JQ-LIKE-PATTERN: number of lines of the station's output matching a regex
doctor_count() { grep -c -- "$1" "$DOC_OUT" 2>/dev/null || true; }

# --- the cabin ------------------------------------------------------------------------
CAB_DATA=$T/cabin-data
HOOK=$T/hook.sock
# write_config FILE [identity-timeout-s]: the cabin's INI for this harness
write_config() {
  cat >"$1" <<EOF
[cabin]
id = $CABIN_ID
pharmacy_name = Pharmacie de test
address = 1 rue des Essais
postal_code = 42000
city = Saint-Étienne
country = FR
phone = +33400000000
[station]
url = wss://127.0.0.1:$PORT
cert = $C/cabin.pem
key = $C/cabin.key
ca = $C/ca.pem
[timeouts]
identity = ${2:-300}
[storage]
data_dir = $CAB_DATA
[media]
camera = none
microphone = none
stethoscope = none
otoscope = none
EOF
}
# start_cabin [extra cabin args]: the real cabin, windowed, simulators, test hook;
# CABIN_ENV (array of NAME=VALUE) adds to its environment; sets CAB_PID
CABIN_ENV=()
start_cabin() {
  [ -f "$T/cabin.ini" ] || write_config "$T/cabin.ini"
  env CABIN_TEST_HOOK="$HOOK" CABIN_PRECALL_S="${CABIN_PRECALL_S:-0}" CABIN_CLEANING_MAX_S="${CABIN_CLEANING_MAX_S:-1}" \
    SDL_RENDER_DRIVER="${SDL_RENDER_DRIVER:-software}" SDL_AUDIODRIVER="${SDL_AUDIODRIVER:-dummy}" "${CABIN_ENV[@]}" \
    ${CABIN_WRAP:-} "$BUILD/cabin" --windowed "${CABIN_SIZE:-1280x800}" --sim --config "$T/cabin.ini" \
    --state-log "$T/state.log" "$@" >>"$T/cabin.log" 2>&1 &
  CAB_PID=$!; PIDS+=("$CAB_PID")
  wait_for "${CABIN_START_S:-20}" hook ping
}
hook() { "$BUILD/tests/helpers/hook" "$HOOK" "$@"; }
hook_state() { hook state | awk '{print $2}'; }
state_is() { [ "$(hook_state)" = "$1" ]; }
last_to() { tail -1 "$T/state.log" 2>/dev/null | sed -n 's/.*"to": *"\([a-z_]*\)".*/\1/p'; }

# --- what must hold after every failure -------------------------------------------------
# no_personal_data DIR: the synthetic name, first name, NIR and phone appear nowhere in
# the cabin's database, WAL, journal or shared memory (UTF-8, UTF-16LE/BE, any case)
no_personal_data() {
  node "$CABIN_SRC/tests/e2e/pii-scan.js" "$1" MARTIN Camille 2850742218001 "2 85 07 42 218 001" \
    0612345678 "+33612345678" "06 12 34 56 78" 612345678
}
# doctor_events EVENT [SESSION]: the station's JSON lines of that event (of that session)
doctor_events() { grep -F "\"event\":\"$1\"" "$DOC_OUT" | grep -F "${2:-}"; }
# mean_colour PNG [GEOMETRY]: "R G B SD" of the image (or of its GEOMETRY crop, e.g.
# 400x300+100+50): mean 0-255 per channel and the grey standard deviation 0-255
mean_colour() {
  convert "$1" ${2:+-crop "$2" +repage} -format '%[fx:int(255*mean.r)] %[fx:int(255*mean.g)] %[fx:int(255*mean.b)] %[fx:int(255*standard_deviation)]' info:
}
audit_ok() { "$BUILD/cabin" --verify-audit --data "$1" | grep -q '^ok '; }
