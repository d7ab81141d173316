#!/usr/bin/env bash
# cli.test.sh — `cabin --check-config FILE` and `cabin --verify-audit [--data DIR]`
# as real commands (output and exit codes), and a real full disk on a small tmpfs
# when this machine lets us mount one. Prints TAP.
set -uo pipefail
BUILD=${BUILD:-$(pwd)/build}
CABIN_SRC=${CABIN_SRC:-$(pwd)}
cabin=$BUILD/cabin
tool=$BUILD/tests/helpers/store_tool
tmp=$(mktemp -d)
mnt=
cleanup() {
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
n=0; failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
echo "1..14"

# 1. the example configuration is valid and printed back
out=$("$cabin" --check-config "$CABIN_SRC/assets/config/cabin.example.ini" 2>"$tmp/err"); rc=$?
if ((rc == 0)) && grep -qx 'id = CABIN-DEV-0001' <<<"$out" && grep -qx 'waiting_room = 900' <<<"$out" \
   && [ ! -s "$tmp/err" ]; then ok "example configuration: exit 0, printed"
else bad "example configuration" "rc=$rc" "$(head -3 "$tmp/err")"; fi

# 2. errors: exit 2, each as FILE:LINE: key: why, on stderr only
cat >"$tmp/bad.ini" <<'INI'
[cabin]
id = ok-1
latitude = 123
[station]
url = http://127.0.0.1:8443
colour = red
INI
out=$("$cabin" --check-config "$tmp/bad.ini" 2>"$tmp/err"); rc=$?
expect="$tmp/bad.ini:3: cabin.latitude: must be a number of degrees from -90 to 90 (WGS 84)
$tmp/bad.ini:5: station.url: must be a wss:// URL with a host and an optional port (got \"http://127.0.0.1:8443\")
$tmp/bad.ini:6: station.colour: unknown key
$tmp/bad.ini: 3 problems"
if ((rc == 2)) && [ -z "$out" ] && [ "$(cat "$tmp/err")" = "$expect" ]; then ok "bad configuration: exit 2, file:line:key messages"
else bad "bad configuration" "rc=$rc" "$(cat "$tmp/err")"; fi

# 3. missing file
"$cabin" --check-config "$tmp/none.ini" >/dev/null 2>"$tmp/err"; rc=$?
if ((rc == 2)) && grep -q "^$tmp/none.ini: cannot open: No such file or directory$" "$tmp/err"; then ok "missing file: exit 2"
else bad "missing file" "rc=$rc" "$(cat "$tmp/err")"; fi

# 4. secrets are masked
printf '[station]\nkey_passphrase = Pa55-synthetic\nproxy = http://u:Pw-synthetic@127.0.0.1:3128\n' >"$tmp/secret.ini"
out=$("$cabin" --check-config "$tmp/secret.ini" 2>&1); rc=$?
if ((rc == 0)) && ! grep -q synthetic <<<"$out" && grep -qx 'key_passphrase = \*\*\*\*\*\*\*\*' <<<"$out" \
   && grep -qx 'proxy = http://u:\*\*\*\*\*\*\*\*@127.0.0.1:3128' <<<"$out"; then ok "secrets masked"
else bad "secrets masked" "rc=$rc"; fi

# 5. usage
"$cabin" --check-config >/dev/null 2>"$tmp/err"; rc=$?
if ((rc == 2)) && grep -q '^usage: cabin --check-config FILE$' "$tmp/err"; then ok "--check-config without FILE: usage, exit 2"
else bad "usage" "rc=$rc"; fi

# 5b. file content quoted in messages cannot reach the terminal raw: control and
# non-ASCII bytes come out as \xHH (an OSC title-setting sequence, a CSI clear)
printf '[station]\nurl = wss://h\033]0;pwned\007\n[x\233J]\nk = 1\n' >"$tmp/garbage.ini"
"$cabin" --check-config "$tmp/garbage.ini" >/dev/null 2>"$tmp/err"; rc=$?
expect="$tmp/garbage.ini:2: station.url: must be a wss:// URL with a host and an optional port (got \"wss://h\\x1b]0;pwned\\x07\")
$tmp/garbage.ini:4: x\\x9bJ.k: unknown key (no section [x\\x9bJ])
$tmp/garbage.ini: 2 problems"
if ((rc == 2)) && ! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f-\xff]' "$tmp/err" && [ "$(cat "$tmp/err")" = "$expect" ]; then
  ok "garbage bytes escaped as \\xHH in messages"
else bad "garbage bytes escaped" "rc=$rc" "$(cat -A "$tmp/err")"; fi

# 5c. an empty file: no position claimed (latitude/longitude printed empty)
: >"$tmp/empty.ini"
out=$("$cabin" --check-config "$tmp/empty.ini" 2>&1); rc=$?
if ((rc == 0)) && grep -qx 'latitude = ' <<<"$out" && grep -qx 'longitude = ' <<<"$out"; then ok "defaults: latitude/longitude unset"
else bad "defaults: latitude/longitude unset" "rc=$rc" "$(grep itude <<<"$out")"; fi

# 5d. unavailable language, French postal code, country code
printf '[cabin]\npostal_code = ABCDE\ncountry = fr\n[ui]\nlanguages = xx,fr\n' >"$tmp/values.ini"
"$cabin" --check-config "$tmp/values.ini" >/dev/null 2>"$tmp/err"; rc=$?
expect="$tmp/values.ini:3: cabin.country: must be an ISO 3166-1 alpha-2 code in capitals, like FR
$tmp/values.ini:5: ui.languages: no translation for \"xx\" (available: fr, en)
$tmp/values.ini:2: cabin.postal_code: must be 5 digits when country is FR
$tmp/values.ini: 3 problems"
if ((rc == 2)) && [ "$(cat "$tmp/err")" = "$expect" ]; then ok "languages, postal code and country checked"
else bad "languages, postal code and country" "rc=$rc" "$(cat "$tmp/err")"; fi

# 6. verify-audit on a populated store
rows=$("$tool" populate "$tmp/data" 5)
out=$("$cabin" --verify-audit --data "$tmp/data"); rc=$?
if ((rc == 0)) && [ "$out" = "ok $rows" ] && ((rows == 15)); then ok "verify-audit: ok $rows, exit 0"
else bad "verify-audit intact" "rc=$rc out=$out rows=$rows"; fi

# 7. a changed row is found
sqlite3 "$tmp/data/cabin.db" "DROP TRIGGER audit_no_update; UPDATE audit SET action = 'nothing' WHERE seq = 7;"
out=$("$cabin" --verify-audit --data "$tmp/data"); rc=$?
if ((rc == 1)) && [ "$out" = "broken at row 7: hash does not match the row's content: the row was changed" ]
then ok "verify-audit: changed row 7 found, exit 1"
else bad "verify-audit changed row" "rc=$rc out=$out"; fi

# 8. a deleted row is found
sqlite3 "$tmp/data/cabin.db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3;"
out=$("$cabin" --verify-audit --data "$tmp/data"); rc=$?
if ((rc == 1)) && [ "$out" = "broken at row 4: expected row 3 here: a row was deleted" ]
then ok "verify-audit: deleted row 3 found, exit 1"
else bad "verify-audit deleted row" "rc=$rc out=$out"; fi

# 9. no database
out=$("$cabin" --verify-audit --data "$tmp/nothing"); rc=$?
if ((rc == 1)) && [ "$out" = "error: no database at $tmp/nothing/cabin.db" ]; then ok "verify-audit: no database, exit 1"
else bad "verify-audit no database" "rc=$rc out=$out"; fi

# 10. default data directory (XDG_DATA_HOME/cabin) without --data
"$tool" populate "$tmp/xdg/cabin" 2 >/dev/null
out=$(XDG_DATA_HOME=$tmp/xdg "$cabin" --verify-audit); rc=$?
if ((rc == 0)) && [ "$out" = "ok 6" ]; then ok "verify-audit: default data directory"
else bad "verify-audit default dir" "rc=$rc out=$out"; fi

# 11. a real full file system: a 600 KiB tmpfs
mnt=$tmp/small; mkdir -p "$mnt"
if mount -t tmpfs -o size=600k tmpfs "$mnt" 2>/dev/null; then
  out=$("$tool" fill "$mnt/data"); rc=$?
  again=$("$tool" open "$mnt/data" 2>/dev/null); rc2=$?
  if ((rc == 3)) && grep -q "^full: The cabin's storage is full or refuses writes" <<<"$out" \
     && { [ "$again" = ok ] || grep -q "^error: The cabin's storage is full" <<<"$again"; }; then
    ok "full tmpfs: clear message; reopening gives ok or the same clear message"
  else bad "full tmpfs" "rc=$rc $out" "reopen rc=$rc2 $again"; fi
  umount "$mnt"; mnt=
else
  mnt=
  skip "full tmpfs" "cannot mount a tmpfs here (not root or no CAP_SYS_ADMIN); test_faults covers it with RLIMIT_FSIZE and VFS injection"
fi
exit $failed
