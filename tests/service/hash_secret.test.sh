#!/usr/bin/env bash
# hash_secret.test.sh — scripts/hash-secret (Node's scrypt) makes PHC strings that
# the cabin's own verification (common/kdf.c via tests/helpers/verify_secret)
# accepts, with the cabin's parameters; weak secrets are refused.
set -uo pipefail
cd "${CABIN_SRC:-$(dirname "$0")/../..}"
BUILD=${BUILD:-$PWD/build}
v=$BUILD/tests/helpers/verify_secret
echo "1..4"
if ! command -v node >/dev/null || [ ! -x "$v" ]; then
  for i in 1 2 3 4; do echo "ok $i - hash-secret # SKIP node or $v missing"; done; exit 0
fi
h=$(printf %s 482915 | scripts/hash-secret pin)
if [[ $h =~ ^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$ ]]; then
  echo "ok 1 - PIN hash has the cabin's parameters and sizes"; else echo "not ok 1 - PIN hash format: $h"; fi
if echo 482915 | "$v" "$h" && ! echo 482916 | "$v" "$h"; then
  echo "ok 2 - the cabin verifies it (and refuses another PIN)"; else echo "not ok 2 - the cabin verifies it"; fi
p=$(printf %s 'service-cabin-42' | scripts/hash-secret password)
if echo 'service-cabin-42' | "$v" "$p"; then echo "ok 3 - password hash verified by the cabin"
else echo "not ok 3 - password hash verified by the cabin"; fi
fails=0
for bad in 123456 00000 48a915; do printf %s "$bad" | scripts/hash-secret pin >/dev/null 2>&1 && fails=$((fails + 1)); done
printf %s 'short-pass' | scripts/hash-secret password >/dev/null 2>&1 && fails=$((fails + 1))
msg=$(printf %s 123456 | scripts/hash-secret pin 2>&1 >/dev/null)
if ((fails == 0)) && [ "$msg" = "hash-secret: this PIN is too easy to guess" ]; then
  echo "ok 4 - weak secrets refused with a clear message"; else echo "not ok 4 - weak secrets refused ($fails accepted; '$msg')"; fi
