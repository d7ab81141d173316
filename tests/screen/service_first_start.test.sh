#!/usr/bin/env bash
# service_first_start.test.sh — first start of a cabin without credentials, on the
# real binary under Xvfb: the pharmacist's pad says no PIN is set; the technician's
# button on the pad asks to choose a password (rules applied), opens the menu, and
# sets the pharmacist PIN, which then opens the overlay. The credentials file holds
# only scrypt hashes, mode 0600. Screenshots in $BUILD/screens/service/. Xvfb and
# the cabin: tests/lib/screen.sh.
set -uo pipefail
CABIN_SRC=${CABIN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$CABIN_SRC/build}
N=6
skip_all() { echo "1..$N"; for ((i = 1; i <= N; i++)); do echo "ok $i - first start # SKIP $1"; done; exit 0; }
grep -q cab_svc_hooks_input "$CABIN_SRC/kiosk/app/app.c" 2>/dev/null || skip_all "kiosk/app does not call the service hooks yet"
for tool in Xvfb xdotool import convert; do command -v $tool >/dev/null || skip_all "$tool missing"; done
[ -x "$BUILD/cabin" ] || skip_all "$BUILD/cabin not built"

source "$CABIN_SRC/tests/lib/screen.sh"
screen_setup service_first_start "$N" 1280x800
shots=$BUILD/screens/service # shared with service.test.sh
mkdir -p "$shots"
clog=$work/cabin.log # the cabin's own log (audit events); $log is its state log
start_cabin CABIN_NO_LINK=1 CABIN_DATA_DIR=$work/data -- --windowed 1280x800 --lang en

notok() { n=$((n + 1)); echo "not ok $n - $1"; tail -15 "$clog" | sed 's/^/#   /'; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
wait_log() { for ((i = 0; i < $2 * 20; i++)); do grep -qE -- "$1" "$clog" && return 0; sleep 0.05; done; return 1; }
shot() { sleep 0.4; import -window root "$shots/$1.png"; }
press() { xdotool mousemove "$1" "$2" mousedown 1 sleep "$3" mouseup 1; }

wait_log 'app: cabin .* windowed' 10
sleep 0.5
press 10 10 3.3
xdotool type --delay 40 482915; xdotool key Return
shot 30-first-start-no-pin
check "without a PIN the pad refuses and says so" "wait_log 'pharmacist auth.not_set' 5"
xdotool mousemove 751 694 click 1
sleep 0.3
shot 31-first-start-tech
xdotool type --delay 30 'short'; xdotool key Return
check "first start asks for a technician password; a short one is refused" "wait_log 'technician credential.rejected rule=1' 5"
xdotool type --delay 30 'service-cabin-42'; xdotool key Return
check "the chosen password is set and opens the menu" "wait_log 'technician credential.set first=1' 5 && wait_log 'menu.open first_start=1' 5"
xdotool mousemove 170 497 click 1; sleep 0.3
xdotool mousemove 500 740 click 1; sleep 0.3
xdotool type --delay 40 735102; xdotool key Return
check "the technician sets the pharmacist PIN" "wait_log 'pharmacist credential.set first=1' 5"
check "credentials file: two scrypt hashes, mode 0600, no clear secret" \
  "[ \"\$(stat -c %a '$work/data/credentials')\" = 600 ] && [ \$(grep -c '\\\$scrypt\\\$ln=15,r=8,p=1\\\$' '$work/data/credentials') -eq 2 ] && ! grep -qE '735102|service-cabin-42' '$work/data/credentials'"
xdotool key Escape; sleep 0.3
press 10 10 3.3
xdotool type --delay 40 735102; xdotool key Return
shot 32-first-start-overlay
check "the new PIN opens the pharmacist overlay" "wait_log 'pharmacist overlay.open' 5"
