#!/usr/bin/env bash
# data_lock.test.sh — one cabin per data directory, and the video driver said at
# start. Real build/cabin processes (CABIN_NO_LINK, CABIN_NO_MEDIA) in an Xvfb: a
# second cabin on the same data_dir exits 1 naming the first one's pid and leaves it
# running; after the first is killed (SIGKILL: no cleanup) a new cabin gets the lock
# at once. Without a display and without SDL_VIDEODRIVER, the cabin warns that it
# runs offscreen; asked for (SDL_VIDEODRIVER=dummy), it only says so. TAP.
set -uo pipefail
CABIN_SRC=${CABIN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$CABIN_SRC/build}
N=8
echo "1..$N"
skip_all() { for ((i = 1; i <= N; i++)); do echo "ok $i - data directory lock # SKIP $1"; done; exit 0; }
command -v Xvfb >/dev/null && command -v xdotool >/dev/null || skip_all "Xvfb or xdotool missing"
T=$(mktemp -d /tmp/cabin-lock.XXXXXX)
pids=() xvfb_pid=
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
for d in $(seq 171 210); do [ -e /tmp/.X11-unix/X$d ] || [ -e /tmp/.X$d-lock ] || break; done
Xvfb ":$d" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do DISPLAY=":$d" xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for f in "$@"; do tail -5 "$f" | sed 's/^/#   /'; done; }
wait_grep() { for _ in $(seq "$3"); do grep -q "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
# start_cabin LOG [VAR=VALUE...]: a cabin on $T/data in the background, its pid in
# $cabin_pid; $nodisplay set: no DISPLAY at all
nodisplay=
start_cabin() {
  local log=$1 disp=(DISPLAY=":$d"); shift
  [ -n "$nodisplay" ] && disp=(-u DISPLAY)
  env -u SDL_VIDEODRIVER -u WAYLAND_DISPLAY "${disp[@]}" CABIN_NO_LINK=1 CABIN_NO_MEDIA=1 \
    CABIN_DATA_DIR="$T/data" SDL_AUDIODRIVER=dummy "$@" "$BUILD/cabin" --windowed 640x480 >"$log" 2>&1 &
  cabin_pid=$!
  pids+=("$cabin_pid")
}
ready='cabin .*: 640x480 windowed'

start_cabin "$T/a.log"; a=$cabin_pid
if wait_grep "$ready" "$T/a.log" 150 && grep -q 'INFO app: video driver: x11$' "$T/a.log" &&
   ! grep -q 'no display' "$T/a.log"; then ok "first cabin runs, says 'video driver: x11', no warning"
else notok "first cabin runs with x11" "$T/a.log"; fi

start_cabin "$T/b.log"; b=$cabin_pid
for _ in $(seq 100); do kill -0 "$b" 2>/dev/null || break; sleep 0.1; done
wait "$b"; rc=$?
if ((rc == 1)) && grep -q "ERROR app: $T/data is in use by another cabin (pid $a)$" "$T/b.log" &&
   ! grep -q "$ready" "$T/b.log"; then ok "second cabin on the same data_dir: exit 1, names pid $a"
else notok "second cabin refused (rc=$rc)" "$T/b.log"; fi
if ! grep -q 'store:' "$T/b.log" && kill -0 "$a" 2>/dev/null &&
   [ "$(cat "$T/data/cabin.lock")" = "$a" ]; then ok "the second one touched nothing: the first still runs and holds the lock"
else notok "first cabin untouched" "$T/a.log" "$T/b.log"; fi

kill -KILL "$a"; wait "$a" 2>/dev/null
start_cabin "$T/c.log"; c=$cabin_pid
if wait_grep "$ready" "$T/c.log" 150 && ! grep -q 'in use' "$T/c.log" && kill -0 "$c" 2>/dev/null &&
   [ "$(cat "$T/data/cabin.lock")" = "$c" ]; then ok "after SIGKILL of the first, a new cabin gets the lock at once"
else notok "new cabin after SIGKILL" "$T/c.log"; fi
kill -TERM "$c"; wait "$c"; rc=$?
if ((rc == 0)); then ok "SIGTERM: the cabin ends cleanly (exit 0)"; else notok "SIGTERM exit (rc=$rc)" "$T/c.log"; fi
start_cabin "$T/d.log"; e=$cabin_pid
if wait_grep "$ready" "$T/d.log" 150; then ok "after a clean exit the lock is free again"
else notok "lock after a clean exit" "$T/d.log"; fi
kill -KILL "$e"; wait "$e" 2>/dev/null

# no display: SDL's offscreen fallback is announced as a warning
nodisplay=1
start_cabin "$T/o.log" CABIN_DATA_DIR="$T/o"; o=$cabin_pid
if wait_grep "$ready" "$T/o.log" 150 &&
   grep -q 'WARN app: no display: running offscreen (video driver offscreen)' "$T/o.log" &&
   grep -q "$ready.*video driver offscreen" "$T/o.log"; then ok "no DISPLAY: warns 'no display: running offscreen'"
else notok "no display warning" "$T/o.log"; fi
kill -KILL "$o"; wait "$o" 2>/dev/null
start_cabin "$T/y.log" SDL_VIDEODRIVER=dummy CABIN_DATA_DIR="$T/y"; y=$cabin_pid
if wait_grep "$ready" "$T/y.log" 150 && grep -q 'INFO app: video driver: dummy$' "$T/y.log" &&
   ! grep -q 'no display' "$T/y.log"; then ok "SDL_VIDEODRIVER=dummy asked for: said, no warning"
else notok "asked-for dummy driver" "$T/y.log"; fi
kill -KILL "$y"; wait "$y" 2>/dev/null
exit 0
