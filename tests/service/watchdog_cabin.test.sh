#!/usr/bin/env bash
# watchdog_cabin.test.sh — the watchdog contract with the real cabin: under
# tests/helpers/supervisor (systemd's notify/watchdog protocol) in Xvfb, the cabin
# says READY=1 and pings from its main loop; a patient starts a session; the cabin
# is frozen (SIGSTOP: its loop stops, as in a hang); the supervisor kills and
# restarts it; the new cabin aborts and wipes the interrupted session, queues one
# incident for the station (in the store's outbox: kiosk/app/bind_service.c), and is
# back on the attract screen.
set -uo pipefail
CABIN_SRC=${CABIN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$CABIN_SRC/build}
N=7
echo "1..$N"
skip_all() { for ((i = 1; i <= N; i++)); do echo "ok $i - real cabin watchdog # SKIP $1"; done; exit 0; }
grep -q cab_svc_hooks_tick "$CABIN_SRC/kiosk/app/app.c" 2>/dev/null || skip_all "kiosk/app does not call the service hooks yet"
for tool in Xvfb xdotool import; do command -v $tool >/dev/null || skip_all "$tool missing"; done
[ -x "$BUILD/cabin" ] && [ -x "$BUILD/tests/helpers/supervisor" ] || skip_all "cabin or supervisor not built"

shots=$BUILD/screens/service
mkdir -p "$shots"
work=$(mktemp -d /tmp/cabin-wdcabin-XXXXXX)
log=$work/log
mkdir -m 700 "$work/data"
xvfb_pid= sup_pid=
cleanup() {
  [ -n "$sup_pid" ] && kill -TERM "$sup_pid" 2>/dev/null && sleep 1 && kill -KILL "$sup_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
for d in $(seq 131 170); do [ -e /tmp/.X11-unix/X$d ] || [ -e /tmp/.X$d-lock ] || break; done
Xvfb ":$d" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=":$d"
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; tail -20 "$log" | sed 's/^/#   /'; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
wait_log() { for ((i = 0; i < $2 * 20; i++)); do grep -qE -- "$1" "$log" && return 0; sleep 0.05; done; return 1; }

CABIN_NO_LINK=1 CABIN_DATA_DIR=$work/data SDL_RENDER_DRIVER=software \
  "$BUILD/tests/helpers/supervisor" --watchdog-ms 2000 --restart-ms 200 --max-starts 4 -- \
  "$BUILD/cabin" --windowed 1280x800 --lang en >"$log" 2>&1 &
sup_pid=$!

check "the cabin reports READY=1 and pings the watchdog" "wait_log 'ready pid' 15 && wait_log 'first watchdog ping' 5"
pid1=$(sed -nE 's/^supervisor: start 1 pid ([0-9]+)$/\1/p' "$log")
sleep 0.5
xdotool mousemove 640 500 click 1
open_sid() { python3 -c 'import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
r = db.execute("SELECT id FROM sessions WHERE state = ?", ("open",)).fetchone()
print(r[0] if r else "")' "$work/data/cabin.db" 2>/dev/null; }
check "a patient starts a session (open in the store)" \
  "wait_log 'flow: attract -> language' 5 && for i in \$(seq 50); do [ -n \"\$(open_sid)\" ] && break; sleep 0.1; done; [ -n \"\$(open_sid)\" ]"
sid=$(open_sid)
kill -STOP "$pid1"
check "the frozen cabin is stopped by the supervisor after the watchdog interval" \
  "wait_log 'watchdog timeout pid $pid1' 8 && wait_log 'exit pid $pid1 signal' 8"
check "it is started again" "wait_log '^supervisor: start 2 pid' 5"
pid2=$(sed -nE 's/^supervisor: start 2 pid ([0-9]+)$/\1/p' "$log")
check "the new cabin wipes the interrupted session (before consent: nothing to deliver)" \
  "wait_log 'system recovery.interrupted session=$sid wiped' 10 && [ -z \"\$(open_sid)\" ]"
incidents() { python3 -c 'import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(db.execute("SELECT count(*) FROM incidents WHERE kind = ? AND session_id = ?", ("session-interrupted", sys.argv[2])).fetchone()[0],
      db.execute("SELECT count(*) FROM outbox WHERE session_id = ?", (sys.argv[2],)).fetchone()[0])' "$work/data/cabin.db" "$sid" 2>/dev/null; }
check "one incident recorded, nothing queued for a station that never knew the session" "[ \"\$(incidents)\" = '1 0' ]"
wait_log "ready pid $pid2" 15
sleep 1
import -window root "$shots/20-after-restart.png"
kill -TERM "$sup_pid"; wait "$sup_pid"; sup_pid=
check "back on attract, watchdog fed, clean stop (STOPPING=1, exit 0)" \
  "grep -q 'first watchdog ping pid $pid2' '$log' && ! grep -q 'flow: attract -> language' <(sed -n '/start 2 pid/,\$p' '$log') && grep -q 'stopping pid $pid2' '$log' && grep -q 'exit pid $pid2 status 0' '$log'"
