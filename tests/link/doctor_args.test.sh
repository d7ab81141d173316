#!/usr/bin/env bash
# doctor_args.test.sh — cabin-doctor refuses bad start-up values with a clear message
# (--listen port, --ca file, --config file), keeps its health data owner-only (files
# 0600, directory 0700), leaves no empty recording behind an aborted session;
# scripts/make-certs without arguments prints its usage.
. "$(dirname "$0")/lib.sh"
echo "1..16"
doc() { "$BUILD/cabin-doctor" --cert "$C/station.pem" --key "$C/station.key" --data "$T/d0" "$@"; }
for p in 99999 65536 abc -1 80x ""; do
  doc --listen "127.0.0.1:$p" --ca "$C/ca.pem" >"$T/o" 2>"$T/e"; rc=$?
  check "--listen 127.0.0.1:$p refused (exit $rc, wants 2)" bash -c "[ $rc = 2 ] &&
    grep -qx 'cabin-doctor: --listen wants HOST:PORT (port 1-65535, or 0 for any free port)' '$T/e'"
done
echo 'this is not a certificate' >"$T/garbage.pem"
doc --listen "127.0.0.1:$PORT" --ca "$T/garbage.pem" >"$T/o" 2>"$T/e"; rc=$?
check "--ca with a garbage file: exit 1, 'FILE: not a PEM CA certificate' (exit $rc)" bash -c "[ $rc = 1 ] &&
  grep -qx 'cabin-doctor: $T/garbage.pem: not a PEM CA certificate' '$T/e'"
doc --listen "127.0.0.1:$PORT" --ca "$C/cabin.pem" >"$T/o" 2>"$T/e"; rc=$?
check "--ca with a leaf (not CA) certificate: exit 1 (exit $rc)" bash -c "[ $rc = 1 ] &&
  grep -qx 'cabin-doctor: $C/cabin.pem: not a PEM CA certificate' '$T/e'"
doc --listen "127.0.0.1:$PORT" --ca "$C/ca.pem" --config "$T/none.ini" >"$T/o" 2>"$T/e"; rc=$?
check "--config missing file: 'PATH: cannot open: No such file or directory' (exit $rc)" bash -c "[ $rc = 2 ] &&
  grep -qx 'cabin-doctor: $T/none.ini: cannot open: No such file or directory' '$T/e'"
printf '[doctor]\nname = Dr Test\nspecialite = x\n' >"$T/bad.ini"
doc --listen "127.0.0.1:$PORT" --ca "$C/ca.pem" --config "$T/bad.ini" >"$T/o" 2>"$T/e"; rc=$?
check "--config unknown setting: 'PATH:3: unknown setting ...' (exit $rc)" bash -c "[ $rc = 2 ] &&
  grep -qx 'cabin-doctor: $T/bad.ini:3: unknown setting specialite in \[doctor\]' '$T/e'"

# Port 0: any free port, the listening event says which.
DATA=$T/data-new   # not there yet: the station creates it
"$BUILD/cabin-doctor" --listen 127.0.0.1:0 --cert "$C/station.pem" --key "$C/station.key" \
  --ca "$C/ca.pem" --data "$DATA" --json </dev/null >"$T/p0.out" 2>"$T/p0.err" &
P0=$!; PIDS+=("$P0")
for _ in $(seq 100); do grep -q '"event":"listening"' "$T/p0.out" && break; sleep 0.05; done
PORT=$(sed -n 's/.*"event":"listening".*"text":"127.0.0.1:\([0-9]*\)".*/\1/p' "$T/p0.out")
check "--listen 127.0.0.1:0 listens on a free port and says which (${PORT:-none})" \
  bash -c "[ -n '$PORT' ] && [ '$PORT' -gt 0 ]"

# A whole session, then an aborted session (open only).
cabin "${CABIN_CERTS[@]}" --session --wait-ms 15000 >"$T/cabin.out" 2>"$T/cabin.err"
S=$(sed -n 's/^SESSION //p' "$T/cabin.out")
node -e "console.log(JSON.stringify({type:'session_open',id:'abort-open-1',session:'abort-session-1',time:'2026-11-29T10:00:00Z'}))" >"$T/abort.txt"
cabin "${CABIN_CERTS[@]}" --raw "$T/abort.txt" --wait-ms 1500 >"$T/abort.out" 2>&1
for _ in $(seq 50); do [ -f "$DATA/$S.json" ] && break; sleep 0.1; done
kill "$P0"; wait "$P0" 2>/dev/null
ls -la "$DATA" | sed 's/^/# /'
check "data directory created 0700" test "$(stat -c %a "$DATA")" = 700
check "session Bundle and database written (${S:-?})" bash -c "
  test -s '$DATA/$S.json' && test -s '$DATA/station.sqlite'"
check "every file in the data directory is 0600" bash -c "
  [ \"\$(find '$DATA' -mindepth 1 ! -perm 600 -printf '%p %m\n')\" = '' ] && [ \$(find '$DATA' -type f | wc -l) -ge 2 ]"
check "the station keeps no media: no recording in the data directory" bash -c "
  [ \"\$(find '$DATA' -name '*.mkv')\" = '' ]"

"$CABIN_SRC/scripts/make-certs" >"$T/o" 2>"$T/e"; rc=$?
check "make-certs without arguments: usage on stderr, exit 2 (exit $rc)" bash -c "[ $rc = 2 ] && [ ! -s '$T/o' ] &&
  [ \"\$(cat '$T/e')\" = 'usage: scripts/make-certs DIR [--cabin-id ID] [--test] | DIR --revoke NAME' ]"
exit $failed
