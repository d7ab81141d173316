#!/usr/bin/env bash
# watchdog.test.sh — the watchdog contract end to end: tests/helpers/supervisor (the
# protocol systemd uses: NOTIFY_SOCKET, WATCHDOG_USEC, READY=1, WATCHDOG=1) runs
# tests/helpers/wd_probe, whose main loop pings through kiosk/app/watchdog.c,
# opens a session, then hangs. The supervisor must kill and restart it; the new
# instance sees it was restarted after a session and comes back on "attract". A
# crash (SIGKILL) restarts it too. (What becomes of the interrupted session is the
# kill matrix's job, on the real cabin: tests/e2e/killmatrix.test.sh.) WD_PROG may name another program taking DIR (the real cabin later).
set -uo pipefail
BUILD=${BUILD:-$(cd "$(dirname "$0")/../.." && pwd)/build}
sup=$BUILD/tests/helpers/supervisor
prog=${WD_PROG:-$BUILD/tests/helpers/wd_probe}
work=$(mktemp -d /tmp/cabin-wdtest-XXXXXX)
log=$work/log
sup_pid=
cleanup() {
  if [ -n "$sup_pid" ] && kill -0 "$sup_pid" 2>/dev/null; then
    kill -TERM "$sup_pid" 2>/dev/null; sleep 0.5; kill -KILL "$sup_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "1..9"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; echo "# log:"; sed 's/^/#   /' "$log"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
# wait_for PATTERN SECONDS: true once PATTERN appears in the log.
wait_for() {
  local i
  for ((i = 0; i < $2 * 20; i++)); do grep -qE "$1" "$log" && return 0; sleep 0.05; done
  return 1
}

# wait_count PATTERN N SECONDS: true once PATTERN appears N times in the log.
wait_count() {
  local i
  for ((i = 0; i < $3 * 20; i++)); do (($(grep -cE "$1" "$log") >= $2)) && return 0; sleep 0.05; done
  return 1
}

if [ ! -x "$sup" ] || [ ! -x "$prog" ]; then
  for i in $(seq 1 9); do echo "ok $i - watchdog # SKIP $sup or $prog not built"; done
  exit 0
fi

touch "$work/hang-once"
mkdir -p "$work/data"; mv "$work/hang-once" "$work/data/"
"$sup" --watchdog-ms 1000 --restart-ms 100 --max-starts 5 -- "$prog" "$work/data" >"$log" 2>&1 &
sup_pid=$!

check "first start reports READY=1" "wait_for 'ready pid' 5"
pid1=$(sed -nE 's/^supervisor: start 1 pid ([0-9]+)$/\1/p' "$log")
check "the probe pings the watchdog from its loop" "wait_for 'first watchdog ping pid $pid1' 5"
check "the hung loop is killed (SIGABRT) after the watchdog interval" \
  "wait_for 'watchdog timeout pid $pid1' 5 && wait_for 'exit pid $pid1 signal 6' 5"
check "the supervisor restarts it" "wait_for '^supervisor: start 2 pid' 5"
pid2=$(sed -nE 's/^supervisor: start 2 pid ([0-9]+)$/\1/p' "$log")
check "the restarted program knows it stopped during a session" \
  "wait_for 'restarted after a session' 5"
# Two and a half watchdog intervals later, the second instance must still be alive and on attract.
sleep 2.5
check "the restarted program is back on attract and keeps the watchdog fed" \
  "grep -q 'status pid $pid2: attract' '$log' && ! grep -q 'watchdog timeout pid $pid2' '$log' && kill -0 $pid2"
kill -KILL "$pid2" 2>/dev/null
check "a crash (SIGKILL) is restarted too, with a clean start" \
  "wait_for 'exit pid $pid2 signal 9' 5 && wait_for '^supervisor: start 3 pid' 5 && wait_count 'clean start' 2 5 && [ \$(grep -c 'clean start' '$log') -eq 2 ]"
pid3=$(sed -nE 's/^supervisor: start 3 pid ([0-9]+)$/\1/p' "$log")
wait_for "ready pid $pid3" 5
kill -TERM "$sup_pid"
wait "$sup_pid"; rc=$?
check "stopping the supervisor stops the program cleanly (STOPPING=1, status 0)" \
  "[ $rc -eq 0 ] && grep -q 'stopping pid $pid3' '$log' && grep -q 'exit pid $pid3 status 0' '$log' && ! kill -0 $pid3 2>/dev/null"
sup_pid=
