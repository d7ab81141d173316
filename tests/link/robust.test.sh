#!/usr/bin/env bash
# robust.test.sh — malformed, oversized, unknown, incomplete and out-of-order
# messages sent by a cabin over the real link: each is refused with an error message
# naming the problem; the connection survives (or, before hello, closes cleanly).
. "$(dirname "$0")/lib.sh"
echo "1..12"
start_station || exit 1
node -e "
const L=(o)=>console.log(JSON.stringify(o));
console.log('{\"type\": \"reading\", \"id\": ');                       // malformed
L({type:'reading',id:'big-1',session:'s',pad:'x'.repeat(300*1024)});     // oversized
L({type:'teleport',id:'unk-1'});                                          // unknown type
L({type:'reading',id:'miss-1',session:'s-robust',mdc:1,device:{kind:'scale'}}); // no observation
L({type:'reading',id:'ooo-1',session:'never-opened',mdc:1,device:{kind:'scale'},observation:{resourceType:'Observation'}});
L({type:'session_open',id:'open-1',session:'s-robust',time:'2026-11-29T10:00:00Z'});
L({type:'identity',id:'nir-1',session:'s-robust',patient:{birth_name:'X',first_names:'Y',birth_date:'1984-05-12',sex:'female',birth_place_insee:'75056',ins:{kind:'NIR',value:'284057505612300'}}});
L({type:'incident',id:'after-1',session:'s-robust',incident:{kind:'test',start:'2026-11-29T10:00:01Z'}});
" >"$T/bad.txt"
cabin "${CABIN_CERTS[@]}" --raw "$T/bad.txt" --wait-ms 2500 >"$T/raw.out" 2>&1
check "malformed JSON refused as bad-json" grep -q '^ERROR bad-json - not JSON' "$T/raw.out"
check "a 300 KiB message refused as too-large" grep -q '^ERROR too-large - message over the 262144-byte limit' "$T/raw.out"
check "an unknown type refused as unknown-type" grep -q '^ERROR unknown-type unk-1 unknown message type "teleport"' "$T/raw.out"
check "a missing field refused as missing-field" grep -q '^ERROR missing-field miss-1 reading: missing field "observation"' "$T/raw.out"
check "a reading for a session never opened refused as out-of-order" grep -q '^ERROR out-of-order ooo-1 reading for a session that was not opened' "$T/raw.out"
check "an INS with a wrong key refused as bad-field" grep -q '^ERROR bad-field nir-1 patient.ins.value is not 15 characters with a valid key' "$T/raw.out"
check "the connection survived: a valid message after the errors is acknowledged" grep -q '"event":"message".*"id":"after-1","duplicate":false' "$T/doctor.out"
check "the cabin was still connected at the end" grep -q '^CONNECTED-AT-END 1' "$T/raw.out"
node -e "console.log(JSON.stringify({type:'session_open',id:'early-1',session:'s2',time:'2026-11-29T10:00:00Z'}))" >"$T/early.txt"
cabin "${CABIN_CERTS[@]}" --skip-hello --raw "$T/early.txt" --wait-ms 1500 >"$T/early.out" 2>&1
check "data before hello refused as out-of-order" grep -q '^ERROR out-of-order early-1 the first message must be hello' "$T/early.out"
check "then the station closed the connection cleanly" grep -q '^STATUS disconnected' "$T/early.out"
stop_station

# A peer that accepts TCP and then says nothing (the CONNECT proxy helper waits for a
# request head that a TLS ClientHello never completes) is dropped after 3 s.
"$BUILD/tests/helpers/connect_proxy" >"$T/silent.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q '^LISTENING' "$T/silent.out" && break; sleep 0.05; done
SP=$(sed -n 's/^LISTENING //p' "$T/silent.out")
"$BUILD/tests/helpers/link_cabin" --url "wss://127.0.0.1:$SP/" "${CABIN_CERTS[@]}" --probe --wait-ms 7000 >"$T/silent.log" 2>&1
check "a silent peer is dropped after 3 s without welcome, then retried" \
  bash -c "test \$(grep -c 'no welcome from the station within 3 s' '$T/silent.log') -ge 2 && ! grep -q '^STATUS connected' '$T/silent.log'"
# Nothing listening: the reconnect delay doubles from 100 ms up to the 1 s ceiling.
DEAD=$(free_port)
CABIN_LOG=debug "$BUILD/tests/helpers/link_cabin" --url "wss://127.0.0.1:$DEAD/" "${CABIN_CERTS[@]}" --probe --wait-ms 3500 >"$T/dead.log" 2>&1
check "reconnect backoff grows 100, 200, 400, 800, 1000, 1000 ms" \
  bash -c "grep -o 'reconnect in [0-9]* ms' '$T/dead.log' | head -6 | awk '{printf \"%s \", \$3}' | grep -qx '100 200 400 800 1000 1000 '"
exit $failed
