# lib.sh — shared helpers of the link suites (sourced, not run): TAP counters,
# certificates, a free loopback port, starting/stopping cabin-doctor, cleanup.
set -uo pipefail
: "${BUILD:?BUILD must be set (tests/run sets it)}"; : "${CABIN_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
T=$(mktemp -d /tmp/cabin-link-test.XXXXXX)
PIDS=()
n=0; failed=0
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check() { # DESCRIPTION COMMAND...: ok when the command succeeds
  local d=$1; shift
  if "$@" >"$T/check.out" 2>&1; then ok "$d"; else notok "$d" "$(head -c 1500 "$T/check.out" | sed 's/^/# /')"; fi
}
C=$T/certs
"$CABIN_SRC/scripts/make-certs" "$C" --test --cabin-id CABIN-TEST-01 2>/dev/null
CABIN_CERTS=(--cert "$C/cabin.pem" --key "$C/cabin.key" --ca "$C/ca.pem")
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
PORT=$(free_port)
DATA=$T/data; mkdir -p "$DATA"
# start_station [CERTNAME] [extra args...]: starts cabin-doctor --json on $PORT with stdin
# from the fifo $T/doctor.in; sets DOC_PID; the events go to $T/doctor.out.
start_station() {
  local cert=${1:-station}; shift || true
  [ -p "$T/doctor.in" ] || mkfifo "$T/doctor.in"
  "$BUILD/cabin-doctor" --terminal-doctor --listen "127.0.0.1:$PORT" --cert "$C/$cert.pem" --key "$C/$cert.key" \
    --ca "$C/ca.pem" --data "$DATA" --json "$@" <"$T/doctor.in" >>"$T/doctor.out" 2>>"$T/doctor.err" &
  DOC_PID=$!; PIDS+=("$DOC_PID")
  exec 7>"$T/doctor.in"   # keep the fifo open for writing: stdin stays open
  for _ in $(seq 100); do
    grep -q '"event":"listening"' "$T/doctor.out" 2>/dev/null && grep -c '"event":"listening"' "$T/doctor.out" | grep -q "^${STARTS:-1}$" && return 0
    sleep 0.05
  done
  echo "# cabin-doctor did not start: $(tail -3 "$T/doctor.err")"; return 1
}
stop_station() { kill "${1:-TERM}" "$DOC_PID" 2>/dev/null; wait "$DOC_PID" 2>/dev/null; exec 7>&-; }
cabin() { "$BUILD/tests/helpers/link_cabin" --url "wss://127.0.0.1:$PORT/" --cabin-id CABIN-TEST-01 "$@"; }
