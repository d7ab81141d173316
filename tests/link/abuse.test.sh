#!/usr/bin/env bash
# abuse.test.sh — the station holds under abuse (docs/link.md "The station under
# abuse"), against the real cabin-doctor with small limits (4 unauthenticated
# connections per address, 12 in all) and 2 s steps: a slowloris TLS handshake, TCP
# with nothing sent, TLS then no upgrade, a WebSocket with no hello, a binary frame
# before hello, an unmasked frame (RFC 6455 5.1), a flood from one address and from
# many, a flood of bad messages from a certified cabin — each closed or refused with
# its own message, the log bounded (one line, then a summary), while a well-behaved
# cabin completes its sessions. Each hostile client has its own loopback address
# (127.0.0.x; Linux routes 127/8 to lo). About 40 s.
. "$(dirname "$0")/lib.sh"
echo "1..18"
printf '[station]\nmax_unauthenticated_per_address = 4\nmax_unauthenticated = 12\n[timeouts]\nlink_handshake = 2\nlink_upgrade = 2\nlink_hello = 2\nlog_summary = 3\n' >"$T/abuse.ini"
start_station station --config "$T/abuse.ini" || exit 1
RAW="$CABIN_SRC/tests/link/raw_ws.js"
raw() { node "$RAW" "$PORT" "$C" "$@"; }
# a well-behaved cabin keeps completing sessions during the whole run
( for i in 1 2 3; do cabin "${CABIN_CERTS[@]}" --wait-ms 30000; done >"$T/good.out" 2>&1 ) &
GOOD=$!; PIDS+=("$GOOD")
raw slow-tls 0 127.0.0.11 >"$T/slow.out" &
raw tcp 0 127.0.0.12 >"$T/tcp.out" &
raw tls-idle 0 127.0.0.13 >"$T/tlsidle.out" &
raw ws-idle 0 127.0.0.14 >"$T/wsidle.out" &
raw binary-first 0 127.0.0.15 >"$T/bin.out" &
raw unmasked 0 127.0.0.16 >"$T/unmasked.out" &
raw masked-hello 0 127.0.0.17 >"$T/masked.out" &
MASKED=$!
wait_closed() { for _ in $(seq 200); do grep -q '^CLOSED' "$1" && return 0; sleep 0.05; done; return 1; }
closed_in() { # FILE MIN MAX: closed between MIN and MAX seconds after it started
  wait_closed "$1" && awk -v lo="$2" -v hi="$3" '/^CLOSED/ { exit !($2 >= lo && $2 <= hi) }' "$1"
}
check "slowloris TLS handshake (a byte a second) closed after link_handshake (2 s)" \
  bash -c "$(declare -f wait_closed closed_in); closed_in '$T/slow.out' 1.8 4.5 && grep -q 'connection from 127.0.0.11 closed: no TLS handshake within 2 s' '$T/doctor.err'"
check "TCP with nothing sent closed after link_handshake, same message" \
  bash -c "$(declare -f wait_closed closed_in); closed_in '$T/tcp.out' 1.8 4.5 && grep -q 'connection from 127.0.0.12 closed: no TLS handshake within 2 s' '$T/doctor.err'"
check "TLS then no WebSocket upgrade closed after link_upgrade (2 s)" \
  bash -c "$(declare -f wait_closed closed_in); closed_in '$T/tlsidle.out' 1.8 4.5 && grep -q '^TLS-UP' '$T/tlsidle.out' && grep -q 'connection from 127.0.0.13 closed: no WebSocket upgrade within 2 s' '$T/doctor.err'"
check "a WebSocket with no hello: error out-of-order, then close 1008 'no hello' after link_hello" \
  bash -c "$(declare -f wait_closed closed_in); closed_in '$T/wsidle.out' 1.8 4.5 && grep -q '^TEXT {\"type\":\"error\",.*\"code\":\"out-of-order\",\"ref\":null,\"detail\":\"no hello within 2 s\"}' '$T/wsidle.out' && grep -q '^CLOSE 1008 no hello$' '$T/wsidle.out'"
check "a binary frame before hello: error, close 1008 'binary before hello' at once" \
  bash -c "$(declare -f wait_closed closed_in); closed_in '$T/bin.out' 0 1.5 && grep -q '\"detail\":\"a binary frame before hello: connection closed\"' '$T/bin.out' && grep -q '^CLOSE 1008 binary before hello$' '$T/bin.out'"
check "an unmasked client frame (a valid hello otherwise): close 1002 'unmasked frame', no welcome" \
  bash -c "$(declare -f wait_closed); wait_closed '$T/unmasked.out' && grep -q '^CLOSE 1002 unmasked frame$' '$T/unmasked.out' && ! grep -q welcome '$T/unmasked.out' && grep -q 'sent an unmasked frame: connection closed (1002)' '$T/doctor.err'"
check "the same hello masked is welcome (the control)" \
  bash -c "for _ in \$(seq 100); do grep -q '\"type\":\"welcome\"' '$T/masked.out' && exit 0; sleep 0.05; done; exit 1"
kill "$MASKED" 2>/dev/null
# a flood from one address: 4 held, the rest closed at accept; one log line + a summary
raw flood 60 127.0.0.20 >"$T/flood.out"
check "flood of 60 connections from one address: 4 held, 56 closed at accept" grep -q '^FLOOD open=4 closed-at-once=56' "$T/flood.out"
for _ in $(seq 200); do grep -q 'more connections refused from 127.0.0.20' "$T/doctor.err" && break; sleep 0.05; done
check "... logged once with its reason, then summarised: '55 more connections refused from 127.0.0.20 in the last 3 s'" \
  bash -c "[ \$(grep -c 'connection from 127.0.0.20 refused: 4 connections not authenticated yet from that address (limit 4)' '$T/doctor.err') = 1 ] && grep -q '55 more connections refused from 127.0.0.20 in the last 3 s' '$T/doctor.err'"
check "... and the log stays bounded (at most 4 lines name that address)" \
  bash -c "[ \$(grep -c '127.0.0.20' '$T/doctor.err') -le 4 ]"
# from many addresses: 3 x 4 = 12 fill the total, a 4th address is refused "in all"
for a in 21 22 23; do raw flood 4 127.0.0.$a >"$T/f$a.out" & done
sleep 0.5
raw flood 3 127.0.0.24 >"$T/f24.out"
wait_f() { for _ in $(seq 200); do grep -q FLOOD-END "$1" && return 0; sleep 0.05; done; }
for a in 21 22 23; do wait_f "$T/f$a.out"; done
check "3 addresses x 4 fill the total (12); a 4th address is refused: 'in all (limit 12)'" \
  bash -c "grep -q '^FLOOD open=0 closed-at-once=3' '$T/f24.out' && grep -q 'connection from 127.0.0.24 refused: 12 connections not authenticated yet in all (limit 12)' '$T/doctor.err'"
# a certified cabin floods bad messages: each answered, the log bounded and summarised
node -e 'for (let i = 0; i < 500; i++) console.log("not json " + i)' >"$T/bad.txt"
cabin "${CABIN_CERTS[@]}" --raw "$T/bad.txt" --wait-ms 4000 >"$T/bad.out" 2>&1
check "500 bad messages from a certified cabin: 500 errors bad-json answered" \
  bash -c "[ \$(grep -c '^ERROR bad-json' '$T/bad.out') = 500 ]"
for _ in $(seq 100); do grep -q 'more protocol errors' "$T/doctor.err" && break; sleep 0.05; done
logged=$(grep -c 'cabin CABIN-TEST-01: bad-json' "$T/doctor.err")
summed=$(sed -n 's/.*cabin CABIN-TEST-01: \([0-9]*\) more protocol errors.*/\1/p' "$T/doctor.err" | awk "{s+=\$1} END {print s+0}")
check "... the log has $logged of them one by one (at most 10 per 3 s) and a summary of the rest ($summed): 500 in all" \
  bash -c "[ '$logged' -ge 10 ] && [ '$logged' -le 30 ] && [ \$(( $logged + ${summed:-0} )) = 500 ]"
# another certified cabin floods messages for a session it does not own: each refused
# `unauthorized`, the log bounded the same way
S=s-abuse-owned
node -e "console.log(JSON.stringify({type:'session_open',id:'own-open',session:'$S',time:'2026-11-29T10:00:00Z'}))" >"$T/own.txt"
cabin "${CABIN_CERTS[@]}" --raw "$T/own.txt" --wait-ms 1500 >"$T/own.out" 2>&1
node -e "for (let i = 0; i < 200; i++) console.log(JSON.stringify({type:'incident',id:'x-'+i,session:'$S',incident:{kind:'test',start:'2026-11-29T10:00:01Z'}}))" >"$T/cross.txt"
"$BUILD/tests/helpers/link_cabin" --url "wss://127.0.0.1:$PORT/" --cabin-id CABIN-TEST-02 --cert "$C/cabin2.pem" \
  --key "$C/cabin2.key" --ca "$C/ca.pem" --raw "$T/cross.txt" --wait-ms 4000 >"$T/cross.out" 2>&1
check "200 messages for another cabin's session: 200 refused unauthorized" \
  bash -c "[ \$(grep -c '^ERROR unauthorized x-' '$T/cross.out') = 200 ]"
check "... the log names at most 10 of them a period, the rest summarised" \
  bash -c "n=\$(grep -c 'cabin CABIN-TEST-02 sent incident for session $S of cabin CABIN-TEST-01: refused' '$T/doctor.err'); [ \$n -ge 1 ] && [ \$n -le 20 ] && grep -q 'cabin CABIN-TEST-02: [0-9]* more protocol errors' '$T/doctor.err'"
wait "$GOOD"
check "meanwhile the well-behaved cabin completed its 3 sessions" bash -c "[ \$(grep -c '^ACKED 16/16' '$T/good.out') = 3 ]"
check "the station is still up and answering" bash -c "kill -0 $DOC_PID && grep -q '\"event\":\"listening\"' '$T/doctor.out'"
check "its stderr stayed small (under 120 lines) through all of it" bash -c "[ \$(wc -l <'$T/doctor.err') -lt 120 ]"
exit $failed
