#!/usr/bin/env bash
# cli.test.sh — the cabin program's command line: --version, --help, refused
# options (exit 2 with a message), an unwritable state log (exit 1, no window).
set -uo pipefail
BUILD=${BUILD:-$(cd "$(dirname "$0")/../../build" && pwd)}
cabin=$BUILD/cabin
n=0
t() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
echo "1..8"
t "--version prints the version" '[[ $("$cabin" --version) =~ ^cabin\ [0-9a-z.-]+$ ]]'
t "--help lists every option" 'h=$("$cabin" --help) && for o in --windowed --render-screens --state-log --lang --sim --version --help; do grep -q -- "$o" <<<"$h" || exit 1; done'
t "unknown option: exit 2" '"$cabin" --bogus 2>/dev/null; [ $? = 2 ]'
t "unknown option: says which" '{ "$cabin" --bogus 2>&1 || true; } | grep -q "unknown option .--bogus."'
t "--windowed needs WxH" '"$cabin" --windowed 1280 2>/dev/null; [ $? = 2 ]'
t "--lang only fr or en" '{ "$cabin" --lang de 2>&1 || true; } | grep -q "expected fr or en"'
t "option without its value" '{ "$cabin" --state-log 2>&1 || true; } | grep -q "needs a value"'
t "unwritable state log: exit 1" 'SDL_VIDEODRIVER=dummy "$cabin" --windowed 640x480 --state-log /nonexistent/dir/s.log 2>/dev/null; [ $? = 1 ]'
