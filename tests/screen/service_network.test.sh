#!/usr/bin/env bash
# service_network.test.sh — the Network tab of the technician's menu measuring the
# upload throughput on a real link: the real cabin and cabin-doctor on 127.0.0.1
# with scripts/make-certs certificates (mutual TLS); three messages already in the
# cabin's outbox are sent on connection and acknowledged by the station, and the
# tab shows the bytes acknowledged per second over the last 10 s. Under Xvfb with
# xdotool; screenshot in $BUILD/screens/service/.
set -uo pipefail
CABIN_SRC=${CABIN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$CABIN_SRC/build}
N=4
echo "1..$N"
skip_all() { for ((i = 1; i <= N; i++)); do echo "ok $i - service network # SKIP $1"; done; exit 0; }
for tool in Xvfb xdotool import sqlite3 openssl python3; do command -v $tool >/dev/null || skip_all "$tool missing"; done
for b in cabin cabin-doctor tests/helpers/store_tool; do [ -x "$BUILD/$b" ] || skip_all "$BUILD/$b not built"; done

shots=$BUILD/screens/service
mkdir -p "$shots"
work=$(mktemp -d /tmp/cabin-svc-net-XXXXXX)
log=$work/cabin.log
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

"$CABIN_SRC/scripts/make-certs" "$work/certs" >/dev/null 2>&1
mkdir -m 700 "$work/data" "$work/doctor"
"$BUILD/tests/helpers/store_tool" open "$work/data" >/dev/null
# Three session_open messages (synthetic sessions, no personal data) already queued.
body_bytes=0
for i in 1 2 3; do
  id=$(python3 -c 'import uuid; print(uuid.uuid4())')
  body="{\"type\":\"session_open\",\"id\":\"$id\",\"session\":\"svc-net-test-$i\",\"time\":\"$(date -u +%Y-%m-%dT%H:%M:%S.000Z)\"}"
  body_bytes=$((body_bytes + ${#body}))
  sqlite3 -cmd ".timeout 5000" "$work/data/cabin.db" \
    "INSERT INTO outbox(id, session_id, type, personal, body, created_ms) VALUES('$id', 'svc-net-test-$i', 'session_open', 0, '$body', $(date +%s)000)"
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pwd_=$(printf %s service-cabin-42 | "$CABIN_SRC/scripts/hash-secret" password)
cat >"$work/cabin.ini" <<INI
[cabin]
id = CABIN-DEV-0001

[station]
url = wss://127.0.0.1:$port
cert = $work/certs/cabin.pem
key = $work/certs/cabin.key
ca = $work/certs/ca.pem

[storage]
data_dir = $work/data

[service]
technician_password_hash = $pwd_
INI
printf '[doctor]\nname = Dr Test\nspecialty = Test\nrpps = 10101010101\n[station]\nname = test station\n' >"$work/doctor.ini"

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=:$(head -1 "$work/display")

start_station() {
  "$BUILD/cabin-doctor" --terminal-doctor --no-window --no-media --listen "127.0.0.1:$port" --cert "$work/certs/station.pem" \
    --key "$work/certs/station.key" --ca "$work/certs/ca.pem" --data "$work/doctor" \
    --config "$work/doctor.ini" </dev/null >"$work/doctor.log" 2>&1 &
  pids+=($!)
}
# The cabin starts with the station down, so that its three queued messages are
# acknowledged while the Network tab is already on screen, whatever the machine's pace.
CABIN_LOG=debug CABIN_UI_MAP=$work/map CABIN_NO_MEDIA=1 CABIN_NO_HOTPLUG=1 SDL_RENDER_DRIVER=software \
  "$BUILD/cabin" --config "$work/cabin.ini" --windowed 1280x800 --lang en >"$log" 2>&1 &
pids+=($!)

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; grep 'menu line' "$log" | tail -8 | sed 's/^/#   /'; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
wait_log() { for ((i = 0; i < $2 * 20; i++)); do grep -qE -- "$1" "$log" && return 0; sleep 0.05; done; return 1; }
wait_db() { for ((i = 0; i < $2 * 20; i++)); do [ "$(sqlite3 -cmd '.timeout 2000' "$work/data/cabin.db" "$1")" = "$3" ] && return 0; sleep 0.05; done; return 1; }
# refresh_until RE SECONDS — touches the tab's "Update" button until a menu line matches RE.
refresh_until() {
  local end=$((SECONDS + $2))
  while ((SECONDS < end)); do
    grep -qE -- "$1" "$log" && return 0
    xdotool mousemove 800 733 click 1
    sleep 0.5
  done
  grep -qE -- "$1" "$log"
}

wait_log 'first screen drawn' 30
# The staff gesture: a 3 s press in the top-left corner, repeated until the PIN pad is up.
for _ in 1 2 3 4 5; do
  xdotool mousemove 10 10 mousedown 1 sleep 3.3 mouseup 1
  for ((i = 0; i < 40; i++)); do grep -q 'Technician' "$work/map" 2>/dev/null && break 2; sleep 0.05; done
done
xdotool mousemove 751 694 click 1; sleep 0.3
xdotool type --delay 30 'service-cabin-42'; xdotool key Return
wait_log 'technician menu.open' 10
xdotool mousemove 170 141 click 1
wait_log 'menu line: Link: ' 10
start_station
check "the three queued messages are acknowledged by the station over mutual TLS" \
  "wait_db \"SELECT count(*) FROM outbox WHERE state = 'done'\" 30 3"
# bytes acknowledged in the 10 s window: 8 * bytes / 10000 ms = kbit/s (2 decimals below 10)
want=$(python3 -c "print('%.2f' % ($body_bytes * 8 / 10000))")
check "network tab: link connected and station reachable" \
  "refresh_until 'menu line: Link: connected - protocol version [0-9]+' 20 && refresh_until 'menu line: Station 127.0.0.1 port $port reachable, round trip' 20"
check "network tab: upload throughput = bytes acknowledged in the last 10 s ($body_bytes bytes: $want kbit/s)" \
  "refresh_until 'menu line: Upload throughput $want kbit/s acknowledged by the station \\(3 message\\(s\\) in the last 10 s\\)' 8"
import -window root "$shots/50-network-throughput.png"
check "once the 10 s window has passed, nothing acknowledged in it" \
  "refresh_until 'menu line: Upload throughput: nothing acknowledged in the last 10 s' 30"
import -window root "$shots/51-network-after-window.png"
