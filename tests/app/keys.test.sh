#!/usr/bin/env bash
# keys.test.sh — the private keys are kept apart and owner-only (docs/store.md "Keys
# and sealing"): the real build/cabin keeps its cabin key in DATA_DIR-private (never in
# the data directory), refuses to start with a TLS key readable by group or others, or
# with a key_file inside the data directory; cabin-doctor refuses such a --key too.
set -uo pipefail
: "${BUILD:?BUILD must be set (tests/run sets it)}"; : "${CABIN_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
BUILD=$(cd "$BUILD" && pwd)
echo "1..5"
T=$(mktemp -d /tmp/cabin-keys.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
n=0; failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
"$CABIN_SRC/scripts/make-certs" "$T/certs" 2>/dev/null
C=$T/certs
run_cabin() { # DATA_DIR [ENV...]: the cabin with no window; waits up to 20 s for it to exit or to log its store
  env CABIN_STATION_URL="wss://127.0.0.1:9/" CABIN_DATA_DIR="$1" CABIN_NO_MEDIA=1 CABIN_CERT="$C/cabin.pem" \
    CABIN_CA="$C/ca.pem" SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "${@:2}" \
    "$BUILD/cabin" --windowed 640x480 >"$T/cabin.log" 2>&1 &
  local p=$!; pids+=("$p")
  for _ in $(seq 200); do
    kill -0 "$p" 2>/dev/null || { wait "$p"; echo "exit $?" >>"$T/cabin.log"; return; }
    grep -q 'store open' "$T/cabin.log" && { kill "$p"; wait "$p" 2>/dev/null; return; }
    sleep 0.1
  done
  kill "$p"
}
run_cabin "$T/data" CABIN_KEY="$C/cabin.key"
if grep -q 'store open' "$T/cabin.log" && [ ! -e "$T/data/cabin.key" ] &&
   [ "$(stat -c %a "$T/data-private/cabin.key")" = 600 ] && [ "$(stat -c %a "$T/data-private")" = 700 ]; then
  ok "the cabin key is made in DATA_DIR-private (0700 directory, 0600 file), not in the data directory"
else notok "the cabin key is made in DATA_DIR-private" "$(tail -3 "$T/cabin.log")" "$(ls -la "$T/data" "$T/data-private" 2>&1 | tr '\n' ' ')"; fi
# a key left in the data directory by an older version is moved out at start
mv "$T/data-private/cabin.key" "$T/data/cabin.key"
run_cabin "$T/data" CABIN_KEY="$C/cabin.key"
if grep -q 'moved the cabin key out of the data directory' "$T/cabin.log" && [ ! -e "$T/data/cabin.key" ] &&
   [ -s "$T/data-private/cabin.key" ] && grep -q 'store open' "$T/cabin.log"; then
  ok "an older version's key in the data directory is moved out, and still opens the database"
else notok "an older version's key is moved out" "$(tail -3 "$T/cabin.log")"; fi
cp "$C/cabin.key" "$T/open.key"; chmod 644 "$T/open.key"
run_cabin "$T/data2" CABIN_KEY="$T/open.key"
if grep -q "station.key: $T/open.key has mode 0644: a private key must be readable by its owner only (chmod 600 $T/open.key)" "$T/cabin.log" &&
   grep -q '^exit [1-9]' "$T/cabin.log" && [ ! -e "$T/data2/cabin.db" ]; then
  ok "a TLS key readable by others: the cabin does not start, and says why"
else notok "a TLS key readable by others: the cabin does not start" "$(tail -3 "$T/cabin.log")"; fi
printf '[station]\nca = %s\n[storage]\ndata_dir = %s\nkey_file = %s/cabin.key\n' "$C/ca.pem" "$T/d3" "$T/d3" >"$T/in.ini"
out=$("$BUILD/cabin" --check-config "$T/in.ini" 2>&1); rc=$?
if [ "$rc" = 2 ] && grep -q "storage.key_file: $T/d3/cabin.key is inside storage.data_dir $T/d3: the key must be kept apart from the data it opens" <<<"$out"; then
  ok "a key_file inside the data directory is refused by --check-config (exit 2)"
else notok "a key_file inside the data directory is refused" "rc=$rc $out"; fi
cp "$C/station.key" "$T/station-open.key"; chmod 640 "$T/station-open.key"
out=$("$BUILD/cabin-doctor" --listen 127.0.0.1:0 --cert "$C/station.pem" --key "$T/station-open.key" --ca "$C/ca.pem" \
  --data "$T/doc" --no-window </dev/null 2>&1); rc=$?
if [ "$rc" = 1 ] && grep -q "$T/station-open.key has mode 0640: a private key must be readable by its owner only" <<<"$out"; then
  ok "cabin-doctor refuses a --key readable by its group (exit 1)"
else notok "cabin-doctor refuses a --key readable by its group" "rc=$rc $(tail -2 <<<"$out")"; fi
exit $failed
