#!/usr/bin/env bash
# proxy.test.sh — the link through an HTTP CONNECT proxy (tests/helpers/connect_proxy
# on loopback): the whole session passes through the tunnel, TLS still ends at the
# station (certificates checked end to end), and a dead proxy is a clean failure.
. "$(dirname "$0")/lib.sh"
echo "1..4"
start_station || exit 1
"$BUILD/tests/helpers/connect_proxy" >"$T/proxy.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q '^LISTENING' "$T/proxy.out" && break; sleep 0.05; done
PP=$(sed -n 's/^LISTENING //p' "$T/proxy.out")
cabin "${CABIN_CERTS[@]}" --proxy "127.0.0.1:$PP" --session --sent "$T/sent.json" --wait-ms 15000 >"$T/cabin.out" 2>&1
check "the whole session went through the proxy and was acknowledged" grep -q '^ACKED 16/16' "$T/cabin.out"
check "the proxy saw a CONNECT to the station" grep -qx "CONNECT 127.0.0.1:$PORT" "$T/proxy.out"
cabin --cert "$C/cabin.pem" --key "$C/cabin.key" --ca "$C/other-ca.pem" --proxy "127.0.0.1:$PP" --probe --wait-ms 5000 >"$T/bad.out" 2>&1
check "through the proxy the station's certificate is still checked" grep -q '^STATUS refused unknown-ca' "$T/bad.out"
DEAD=$(free_port)
cabin "${CABIN_CERTS[@]}" --proxy "127.0.0.1:$DEAD" --probe --wait-ms 1500 >"$T/dead.out" 2>&1
check "a dead proxy gives 'disconnected', never 'connected'" bash -c "grep -q '^STATUS disconnected' '$T/dead.out' && ! grep -q '^STATUS connected' '$T/dead.out'"
stop_station
exit $failed
