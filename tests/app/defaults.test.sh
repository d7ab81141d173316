#!/usr/bin/env bash
# defaults.test.sh — the cabin with no configuration file reaches a station that uses
# what `scripts/make-certs build/certs` writes: the real build/cabin, run from a
# directory holding build/certs/{cabin.pem,cabin.key,ca.pem} (CN CABIN-DEV-0001),
# says hello to cabin-doctor on 127.0.0.1, which accepts it only when the cabin id
# equals its certificate's CN. Only the station's port is given (CABIN_STATION_URL:
# 8443 may be taken on a shared machine) and the data directory (CABIN_DATA_DIR).
set -uo pipefail
: "${BUILD:?BUILD must be set (tests/run sets it)}"; : "${CABIN_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
echo "1..3"
T=$(mktemp -d /tmp/cabin-defaults.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for f in "$@"; do tail -5 "$f" | sed 's/^/#   /'; done; }
wait_grep() { for _ in $(seq "$3"); do grep -q "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

"$CABIN_SRC/scripts/make-certs" "$T/build/certs" 2>/dev/null
if [ -f "$T/build/certs/cabin.pem" ] && [ -f "$T/build/certs/ca.pem" ] &&
   openssl x509 -in "$T/build/certs/cabin.pem" -noout -subject | grep -q 'CN *= *CABIN-DEV-0001\b'; then
  ok "make-certs writes cabin.pem, cabin.key, ca.pem with CN CABIN-DEV-0001"
else notok "make-certs writes cabin.pem, cabin.key, ca.pem with CN CABIN-DEV-0001"; fi

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
mkfifo "$T/doctor.in"
"$BUILD/cabin-doctor" --terminal-doctor --listen "127.0.0.1:$port" --cert "$T/build/certs/station.pem" \
  --key "$T/build/certs/station.key" --ca "$T/build/certs/ca.pem" --data "$T/doctor" --json \
  --no-window <"$T/doctor.in" >"$T/doctor.out" 2>"$T/doctor.err" &
pids+=($!)
exec 7>"$T/doctor.in" # keeps the station's stdin open
wait_grep '"event":"listening"' "$T/doctor.out" 100 || notok "cabin-doctor listens" "$T/doctor.err"

# no --config: every link setting but the port comes from kiosk/config/defaults.c
(cd "$T" && exec env CABIN_STATION_URL="wss://127.0.0.1:$port" CABIN_DATA_DIR="$T/data" CABIN_NO_MEDIA=1 \
  SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$BUILD/cabin" --windowed 640x480 >"$T/cabin.log" 2>&1) &
pids+=($!)
if wait_grep '"event":"hello".*"cabin":"CABIN-DEV-0001"' "$T/doctor.out" 150; then
  ok "cabin with no configuration file: hello accepted, cabin CABIN-DEV-0001"
else notok "cabin with no configuration file: hello accepted, cabin CABIN-DEV-0001" "$T/doctor.out" "$T/cabin.log"; fi
if grep -q '"event":"refused"' "$T/doctor.out"; then notok "no refusal at the station" "$T/doctor.out"
else ok "no refusal at the station"; fi
