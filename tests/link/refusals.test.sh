#!/usr/bin/env bash
# refusals.test.sh — every way the link must fail closed, each with its own message:
# wrong CA, expired / not-yet-valid station certificate, wrong host name, missing
# client certificate, refused cabin certificate, a TLS 1.2-only peer (openssl
# s_server), a wrong pin; and a right pin accepted.
. "$(dirname "$0")/lib.sh"
echo "1..14"
# probe_expect NAME REGEX ARGS...: the test cabin's first refusal line matches REGEX
probe_expect() {
  local name=$1 re=$2; shift 2
  cabin --probe --wait-ms 6000 "$@" >"$T/probe.out" 2>&1
  local line; line=$(grep -m1 '^STATUS refused' "$T/probe.out")
  if [[ $line =~ $re ]]; then ok "$name: $line"; else notok "$name" "got: ${line:-$(grep -m3 -E 'STATUS|CONFIG' "$T/probe.out" | tr '\n' ' ')}"; fi
}
for cert in station-otherca station-expired station-future station-wronghost; do
  STARTS=1 start_station "$cert" || exit 1
  case $cert in
    station-otherca) probe_expect "station certificate from another CA" '^STATUS refused unknown-ca: station certificate is not issued by a trusted CA' "${CABIN_CERTS[@]}" ;;
    station-expired) probe_expect "expired station certificate" '^STATUS refused expired: station certificate has expired$' "${CABIN_CERTS[@]}" ;;
    station-future) probe_expect "not-yet-valid station certificate" '^STATUS refused not-yet-valid: station certificate is not yet valid$' "${CABIN_CERTS[@]}" ;;
    station-wronghost) probe_expect "station certificate for another host name" '^STATUS refused hostname: station certificate is for another host name' "${CABIN_CERTS[@]}" ;;
  esac
  stop_station; : >"$T/doctor.out"
done
start_station || exit 1
probe_expect "cabin configured with another CA" '^STATUS refused unknown-ca:' --cert "$C/cabin.pem" --key "$C/cabin.key" --ca "$C/other-ca.pem"
probe_expect "no client certificate" '^STATUS refused no-client-cert: the station requires a client certificate' --no-cert --ca "$C/ca.pem"
check "station says the cabin presented no certificate" grep -q '"event":"refused".*cabin presented no certificate' "$T/doctor.out"
probe_expect "expired cabin certificate" '^STATUS refused client-cert: the station refused the cabin certificate \(alert: certificate expired\)' \
  --cert "$C/cabin-expired.pem" --key "$C/cabin-expired.key" --ca "$C/ca.pem"
check "station says the cabin certificate has expired" grep -q 'cabin certificate has expired' "$T/doctor.err"
pin=$(openssl x509 -in "$C/station.pem" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
cabin --probe --wait-ms 6000 --cert "$C/cabin.pem" --key "$C/cabin.key" --pin "$pin" >"$T/pin.out" 2>&1
check "the station's SPKI pin (no CA) is accepted" grep -q '^STATUS connected' "$T/pin.out"
probe_expect "a wrong pin" '^STATUS refused pin: station public key does not match the configured pin$' \
  --cert "$C/cabin.pem" --key "$C/cabin.key" --pin "$(printf x | sha256sum | cut -d' ' -f1)"
"$BUILD/tests/helpers/link_cabin" --url "wss://127.0.0.1:$PORT/" --cabin-id CABIN-IMPOSTOR "${CABIN_CERTS[@]}" --probe --wait-ms 4000 >"$T/imp.out" 2>&1
check "a cabin id other than its certificate's CN is refused" \
  grep -q '^STATUS refused client-cert: the station refused the cabin: cabin id "CABIN-IMPOSTOR" is not the certificate.s ("CABIN-TEST-01")' "$T/imp.out"
node -e "console.log(JSON.stringify({type:'hello',id:'h-v2',versions:[2,3],cabin:{id:'CABIN-TEST-01',pharmacy:'P',phone:'1',address:{}}}))" >"$T/v2.txt"
cabin "${CABIN_CERTS[@]}" --skip-hello --raw "$T/v2.txt" --wait-ms 1500 >"$T/v2.out" 2>&1
check "a hello with no common protocol version gets error 'version' and is closed" \
  bash -c "grep -q '^ERROR version h-v2 no common protocol version (station speaks 1)' '$T/v2.out' && grep -q '^STATUS refused protocol-version' '$T/v2.out'"
stop_station
openssl s_server -accept "127.0.0.1:$PORT" -tls1_2 -cert "$C/station.pem" -key "$C/station.key" -quiet </dev/null >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.05; done
probe_expect "a TLS 1.2-only peer" '^STATUS refused tls-version: the peer does not speak TLS 1.3' "${CABIN_CERTS[@]}"
exit $failed
