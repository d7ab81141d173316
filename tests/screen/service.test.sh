#!/usr/bin/env bash
# service.test.sh — the staff layer on the real cabin binary under Xvfb, driven by
# xdotool: the staff corner long press (top-left), PIN pad (wrong then right PIN),
# overlay (start and cancel a session), the cleaning screen (confirmed with the PIN,
# then skipped after the configured maximum), the lockout after five wrong PINs,
# the pad's technician button, password, service menu tabs, setting the
# pharmacist PIN with the rules, and the refused window-manager keys. Audit events
# are read from the cabin's log; screenshots go to $BUILD/screens/service/. Xvfb and
# the cabin: tests/lib/screen.sh.
set -uo pipefail
CABIN_SRC=${CABIN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$CABIN_SRC/build}
N=23
skip_all() { echo "1..$N"; for ((i = 1; i <= N; i++)); do echo "ok $i - service screens # SKIP $1"; done; exit 0; }
grep -q cab_svc_hooks_input "$CABIN_SRC/kiosk/app/app.c" 2>/dev/null || skip_all "kiosk/app does not call the service hooks yet"
for tool in Xvfb xdotool import convert node; do command -v $tool >/dev/null || skip_all "$tool missing"; done
[ -x "$BUILD/cabin" ] || skip_all "$BUILD/cabin not built"

source "$CABIN_SRC/tests/lib/screen.sh"
screen_setup service "$N" 1280x800
shots=$out
clog=$work/cabin.log # the cabin's own log (audit events); $log is its state log

# Synthetic credentials: PIN 482915, password service-cabin-42 (scripts/hash-secret).
mkdir -m 700 "$work/data"
pin=$(printf %s 482915 | "$CABIN_SRC/scripts/hash-secret" pin)
pwd_=$(printf %s service-cabin-42 | "$CABIN_SRC/scripts/hash-secret" password)
(umask 077; printf 'pharmacist %s\ntechnician %s\n' "$pin" "$pwd_" >"$work/data/credentials")
printf '2026-11-29T13:40:00.000Z INFO app: cabin started\n2026-11-29T13:41:00.000Z WARN link: station unreachable, retrying\n' >"$work/data/cabin.log"
chmod 600 "$work/data/cabin.log"

# A "station" listening on loopback, and the cabin's certificate expiring in 20 days.
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
node -e "require('net').createServer(c=>c.end()).listen($port,'127.0.0.1')" &
pids+=($!)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/cabin.key" \
  -subj /CN=cabin-test -days 20 -out "$work/cabin.crt" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" \
  -subj /CN=station-ca-test -days 400 -out "$work/ca.crt" 2>/dev/null

start_cabin CABIN_STATION_URL=wss://127.0.0.1:$port/cabin CABIN_CERT=$work/cabin.crt CABIN_CA=$work/ca.crt \
  CABIN_DATA_DIR=$work/data CABIN_CLEANING_MAX_S=6 CABIN_EXPORT_DIR=$work/usb -- --windowed 1280x800 --lang en

notok() { n=$((n + 1)); echo "not ok $n - $1"; tail -15 "$clog" | sed 's/^/#   /'; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
wait_log() { # PATTERN SECONDS
  for ((i = 0; i < $2 * 20; i++)); do grep -qE -- "$1" "$clog" && return 0; sleep 0.05; done; return 1
}
count() { grep -cE -- "$1" "$clog"; }
shot() { sleep 0.4; import -window root "$shots/$1.png"; }
pixel() { convert "$shots/$1.png" -format "%[pixel:p{$2,$3}]" info:; }
press() { xdotool mousemove "$1" "$2" mousedown 1 sleep "$3" mouseup 1; }
click_at() { xdotool mousemove "$1" "$2" click 1; sleep 0.15; } # X Y: the staff screens have no widget map
typepin() { xdotool type --delay 50 "$1"; xdotool key Return; }

wait_log 'app: cabin .* windowed' 10
sleep 0.5
shot 01-attract

# Staff: long press in the top-left corner (over the logo).
press 10 10 3.3
shot 02-pin-pad
check "a 3 s press in the top-left corner opens the PIN pad" "[ \"\$(pixel 02-pin-pad 786 598)\" = 'srgb(0,94,160)' ]"
for _ in 1 2 3 4 5 6; do click_at 492 290; done
click_at 786 598
wait_log 'pharmacist auth.fail tries=1' 5
shot 03-pin-wrong
check "a wrong PIN typed on the pad is refused and audited" "[ \$(count 'pharmacist auth.fail tries=1') -eq 1 ] && ! grep -q 'overlay.open' '$clog'"
typepin 482915
wait_log 'pharmacist overlay.open' 5
shot 04-overlay
check "the right PIN opens the overlay" "grep -q 'pharmacist auth.ok' '$clog' && [ \"\$(pixel 04-overlay 905 221)\" = 'srgb(190,30,45)' ]"
click_at 372 221
check "start a session from the overlay" "wait_log 'flow: attract -> language' 5 && grep -q 'pharmacist.start_session arg=0 ok=1' '$clog'"
shot 05-session-started
press 10 10 3.3
typepin 482915
wait_log 'overlay.open' 5
click_at 905 221
check "cancel the session from the overlay (abort, wipe)" "wait_log 'pharmacist.cancel_session arg=1 ok=1' 5 && wait_log '-> wipe \\(abort\\)' 5"
check "back on attract, the cleaning screen comes up" "wait_log 'system cleaning.started session=[0-9a-f-]{36}' 10"
shot 06-cleaning
click_at 300 600
sleep 0.5
check "a patient touch does not start a session while cleaning" "[ \$(count 'flow: attract -> language') -eq 1 ]"
typepin 482915
check "the pharmacist confirms the cleaning with the PIN (audited)" "wait_log 'pharmacist cleaning.confirmed session=[0-9a-f-]{36} after_s=[0-9]+' 5"
shot 07-after-cleaning

# Second session, cleaning not confirmed: skipped after the configured maximum (6 s).
press 10 10 3.3
typepin 482915
wait_log 'overlay.open' 5
click_at 372 221
wait_log 'start_session arg=0 ok=1' 5
press 10 10 3.3
typepin 482915
sleep 0.5
click_at 905 221
wait_log 'cleaning.started.*' 10
check "unconfirmed cleaning is logged as skipped after its maximum time" "wait_log 'system cleaning.skipped session=[0-9a-f-]{36} after_s=6' 10"

# Five wrong PINs lock the pharmacist out for 1 min.
press 10 10 3.3
for _ in 1 2 3 4 5; do typepin 111112; sleep 0.3; done
wait_log 'pharmacist auth.lockout lock=1 seconds=60' 5
shot 08-pin-locked
check "five wrong PINs lock the pad for 1 min" "grep -q 'pharmacist auth.fail tries=5' '$clog' && grep -q 'auth.lockout lock=1 seconds=60' '$clog'"
typepin 482915
check "while locked even the right PIN is refused" "wait_log 'pharmacist auth.refused remaining_s=' 5 && [ \$(count 'overlay.open') -eq 4 ]"
click_at 529 694

# Technician: the same corner, then the pad's "Technician" button; password, menu.
press 10 10 3.3
click_at 751 694
shot 09-tech-login
xdotool type --delay 30 'wrong-password-1'; xdotool key Return
check "a wrong technician password is refused" "wait_log 'technician auth.fail tries=1' 5"
xdotool type --delay 30 'service-cabin-42'; xdotool key Return
check "the technician password opens the service menu" "wait_log 'technician menu.open' 5"
shot 10-menu-instruments
click_at 170 141; shot 11-menu-network
check "network tab: station reachable on loopback, certificate expiring in 20 days warned" \
  "[ \"\$(pixel 11-menu-network 30 141)\" = 'srgb(0,62,110)' ] && wait_log 'menu tab Network: 6 lines, 2 warnings' 3"
click_at 170 230; shot 12-menu-data
check "data tab: disk state, database, outbox and audit lines (4, store bound: none warned)" "wait_log 'menu tab Data: 4 lines, 0 warnings' 3"
click_at 170 319; shot 13-menu-logs
click_at 170 497; shot 14-menu-software
# Set the pharmacist PIN: a trivial one is refused with its rule, then a good one.
click_at 500 740
sleep 0.3
xdotool type --delay 40 123456; xdotool key Return
shot 15-pin-rule
check "a trivial new PIN is refused with the rule" "wait_log 'pharmacist credential.rejected rule=4' 5"
xdotool key BackSpace BackSpace BackSpace BackSpace BackSpace BackSpace
xdotool type --delay 40 735102; xdotool key Return
check "the technician sets a new pharmacist PIN" "wait_log 'pharmacist credential.set first=0' 5 && grep -q '^pharmacist \\\$scrypt\\\$ln=15,r=8,p=1\\\$' '$work/data/credentials' && ! grep -q 735102 '$work/data/credentials'"
# Export the logs to the "USB stick" (a directory here) as an encrypted archive.
mkdir -p "$work/usb"
click_at 170 319
click_at 800 740
sleep 0.3
xdotool type --delay 20 'export-pass-2026'; xdotool key Return
wait_log 'technician logs.exported files=1' 10
f=$(ls "$work"/usb/cabin-logs-*.cms 2>/dev/null | head -1)
check "logs exported encrypted; openssl cms + tar open them" "[ -n '$f' ] && openssl cms -decrypt -binary -inform DER -in '$f' -pwri_password export-pass-2026 2>/dev/null | tar -xOf - cabin-logs/cabin.log | grep -q 'station unreachable'"
shot 16-menu-logs-exported
click_at 170 748
check "closing the menu is audited" "wait_log 'technician menu.close' 5"

# Hardening: window-manager keys on the patient screen do nothing.
before=$(count 'flow: ')
xdotool key alt+F4 alt+Tab super ctrl+alt+BackSpace F11 ctrl+q ctrl+w Escape
sleep 1
shot 17-after-keys
check "Alt-F4, Alt-Tab, Super, Ctrl-Alt-Backspace, F11, Ctrl-Q/W, Esc: still running, no transition" \
  "kill -0 $cabin && [ \$(count 'flow: ') -eq $before ] && xwininfo -root -tree | grep -q '\"Cabin\": (\"cabin\" \"cabin\")  1280x800+0+0'"
check "the new PIN works after all that" "press 10 10 3.3; typepin 735102; sleep 1; [ \$(count 'overlay.open') -eq 5 ]"
shot 18-overlay-new-pin
click_at 905 409 # "Instruments" (row 3 of the overlay's 5 x 2 grid)
shot 19-overlay-instruments
check "the overlay shows the instruments panel (audited)" "wait_log 'pharmacist pharmacist.show_instruments arg=5 ok=1' 3"
check "no personal data in the log (no PIN, no password)" "! grep -qE '482915|735102|service-cabin-42|export-pass' '$clog'"
echo "# screenshots in $shots"
