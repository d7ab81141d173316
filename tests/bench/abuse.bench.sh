#!/usr/bin/env bash
# abuse.bench.sh — a cabin's session time while the station is under abuse, on the
# real cabin-doctor (default limits: 32 unauthenticated connections per address, 512
# in all) run under an ordinary 1,024-descriptor limit, on 127.0.0.1:
#   link_session_p99_ms       p99 of 30 sessions of the test cabin (TLS, hello,
#                             session_open, 14 data messages, session_close, all
#                             acknowledged: tests/helpers/link_cabin), nothing else
#   link_session_p99_idle_ms  the same with 1,000 idle TCP connections held open
#                             from one address (127.0.0.2; each one closed is opened
#                             again 500 ms later), measured in the same run
# Before the limits, 1,100 idle connections from one address took the station's
# descriptors and real cabins went into multi-second retries (issue 12).
. "$(dirname "$0")/../link/lib.sh"
fig() { printf '{"name": "%s", "value": %s, "unit": "%s", "note": "%s"}\n' "$1" "$2" "$3" "$4"; }
p99() { node -e "const v=require('fs').readFileSync(0,'utf8').trim().split(/\s+/).map(Number).sort((a,b)=>a-b);
console.log(v[Math.min(v.length-1,Math.floor(0.99*(v.length-1)+0.5))], v[Math.floor((v.length-1)/2)], v.length)"; }
# the station with the ordinary limit of descriptors
ulimit -n 1024
start_station || exit 1
sessions() { # OUT: 30 sessions, one after the other, wall ms each ("fail" when not all acked)
  : >"$1"
  for _ in $(seq 30); do
    local t0; t0=$(date +%s%3N)
    if cabin "${CABIN_CERTS[@]}" --wait-ms 20000 2>/dev/null | grep -q '^ACKED'; then
      echo $(( $(date +%s%3N) - t0 )) >>"$1"
    else echo 20000 >>"$1"; fi
  done
}
sessions "$T/base"
read -r base_p99 base_med base_n < <(p99 <"$T/base")
fig link_session_p99_ms "$base_p99" ms "p99 of $base_n test-cabin sessions (connect, TLS 1.3, hello, open, 14 messages, close, all acked; process start included), median $base_med ms, no other connection; cabin-doctor under ulimit -n 1024"
node "$CABIN_SRC/tests/link/raw_ws.js" "$PORT" "$C" hold 1000 127.0.0.2 >"$T/hold.out" &
HOLD=$!; PIDS+=("$HOLD")
for _ in $(seq 100); do grep -q '^HOLD' "$T/hold.out" && break; sleep 0.1; done
sessions "$T/idle"
held=$(tail -1 "$T/hold.out" | sed 's/^HOLD opened=//')
kill "$HOLD" 2>/dev/null
read -r idle_p99 idle_med idle_n < <(p99 <"$T/idle")
fig link_session_p99_idle_ms "$idle_p99" ms "p99 of $idle_n sessions while 1,000 idle TCP connections from 127.0.0.2 are kept open (each closed one opened again 500 ms later; $held connections in all: the station keeps 32, closes the rest at accept and the 32 after 10 s), median $idle_med ms; baseline in the same run: $base_p99 ms"
