#!/usr/bin/env bash
# service_instruments.test.sh — the technician's menu on the real cabin under Xvfb
# (xdotool), with simulators speaking the instruments' protocols (--sim), the
# [service] section of a real configuration file (technician password hash,
# cleaning maximum, export_dir = auto), and a USB stick described to libudev by
# umockdev (tests/screen/fixtures/usb-stick.umockdev) whose mount table line comes
# from CABIN_MOUNTINFO (no mount without privileges: the "stick" is a directory).
# Checks: the registry filled from the attached instruments, a real self-test
# (protocol exchange) recorded, a calibration date set and warned, the Data tab's
# oldest outbox age, the export written to the detected stick and named on screen.
# Screenshots in $BUILD/screens/service/.
set -uo pipefail
CABIN_SRC=${CABIN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$CABIN_SRC/build}
N=16
echo "1..$N"
skip_all() { for ((i = 1; i <= N; i++)); do echo "ok $i - service instruments # SKIP $1"; done; exit 0; }
for tool in Xvfb xdotool import umockdev-run sqlite3 openssl; do command -v $tool >/dev/null || skip_all "$tool missing"; done
[ -x "$BUILD/cabin" ] || skip_all "$BUILD/cabin not built"

shots=$BUILD/screens/service
mkdir -p "$shots"
work=$(mktemp -d /tmp/cabin-svc-instr-XXXXXX)
log=$work/cabin.log
xvfb_pid= cabin_pid=
cleanup() {
  [ -n "$cabin_pid" ] && kill "$cabin_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -m 700 "$work/data" "$work/stick"
printf '2026-11-29T13:40:00.000Z INFO app: cabin started\n' >"$work/data/cabin.log"
chmod 600 "$work/data/cabin.log"
printf '98 22 8:17 / %s rw,nosuid,nodev,relatime shared:52 - vfat /dev/sdb1 rw\n' "$work/stick" >"$work/mountinfo"
# Synthetic password service-cabin-42, given only as its hash in [service].
pwd_=$(printf %s service-cabin-42 | "$CABIN_SRC/scripts/hash-secret" password)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" \
  -subj /CN=station-ca-test -days 400 -out "$work/ca.crt" 2>/dev/null
cat >"$work/cabin.ini" <<INI
# test cabin: kept by edits from the service menu
[station]
url = wss://127.0.0.1:9/cabin
cert =
key =
ca = $work/ca.crt

[storage]
data_dir = $work/data

[service]
technician_password_hash = $pwd_
cleaning_max_s = 1200
export_dir = auto

[ui]
# no spoken guidance here: umockdev's preload tracks a bounded number of open files
voice_volume = 0
INI
"$BUILD/cabin" --check-config "$work/cabin.ini" >/dev/null 2>"$work/check.err" || { cat "$work/check.err" | sed 's/^/# /'; }

for d in $(seq 211 250); do [ -e /tmp/.X11-unix/X$d ] || [ -e /tmp/.X$d-lock ] || break; done
Xvfb ":$d" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=":$d"
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

CABIN_UI_MAP=$work/map CABIN_NO_LINK=1 CABIN_NO_MEDIA=1 CABIN_NO_HOTPLUG=1 CABIN_MOUNTINFO=$work/mountinfo SDL_RENDER_DRIVER=software \
  umockdev-run -d "$CABIN_SRC/tests/screen/fixtures/usb-stick.umockdev" -- \
  "$BUILD/cabin" --sim --config "$work/cabin.ini" --windowed 1280x800 --lang en >"$log" 2>&1 &
cabin_pid=$!

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; tail -15 "$log" | sed 's/^/#   /'; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
wait_log() { for ((i = 0; i < $2 * 20; i++)); do grep -qE -- "$1" "$log" && return 0; sleep 0.05; done; return 1; }
shot() { sleep 0.4; import -window root "$shots/$1.png"; }
press() { xdotool mousemove "$1" "$2" mousedown 1 sleep "$3" mouseup 1; }
click() { xdotool mousemove "$1" "$2" click 1; sleep 0.3; }
db=$work/data/cabin.db

wait_log 'app: cabin .* windowed' 15
check "attached simulators are registered with driver, serial and firmware (or unknown)" \
  "wait_log 'instrument registered: pulse-oximeter .* driver cms50' 10 && wait_log 'instrument registered: blood-pressure .* driver omron-hem' 10 && [ \$(sqlite3 '$db' \"SELECT count(*) FROM instruments WHERE driver <> '' AND last_seen_ms >= first_seen_ms AND first_seen_ms > 0\") -ge 2 ]"
check "the configuration's technician hash was installed in the credentials file" \
  "grep -q '^technician \\\$scrypt\\\$ln=15,r=8,p=1\\\$' '$work/data/credentials' && grep -q 'technician credential.config' '$log'"

press 10 10 3.3
click 751 694
xdotool type --delay 30 'service-cabin-42'; xdotool key Return
wait_log 'technician menu.open' 5
sleep 0.5
shot 40-instruments
check "the Instruments tab lists the attached instruments (no 'No instrument registered yet')" \
  "wait_log 'menu tab Instruments: [0-9]+ lines' 3 && ! grep -q 'No instrument registered' '$log'"

selftest() { click 572 733; xdotool type --delay 40 "$1"; xdotool key Return; }
selftest 1
shot 41-selftest-cms50
check "self-test 1 runs the CMS50 protocol exchange and passes (recorded in the registry and audited)" \
  "wait_log 'self-test of pulse-oximeter CMS50D\\+ \\(cms50\\): pass - [0-9]+ real-time packets in [0-9]+ ms, 0 framing error' 8 && wait_log 'technician selftest.run instrument=1 result=pass' 3 && [ \"\$(sqlite3 '$db' \"SELECT last_selftest_result FROM instruments WHERE driver = 'cms50'\")\" = pass ]"
selftest 2
shot 42-selftest-11073
check "self-test 2 asks the IEEE 11073 agent for its MDS and checks its configuration" \
  "wait_log 'self-test of thermometer .*\\(ieee11073-phdc\\): pass - association \\+ Get MDS answered, config 0x[0-9A-F]{4} with [1-9][0-9]* object' 8"
selftest 5
shot 43-selftest-omron
check "self-test 5 runs the Omron identification exchange (VER00, GDC)" \
  "wait_log 'self-test of blood-pressure .*\\(omron-hem\\): pass - VER00 answered [A-Z0-9]+, GDC [0-9]+ record' 8 && wait_log 'technician selftest.run instrument=5 result=pass' 3"
xdotool mousemove 800 400 key Next
shot 43b-instruments-scrolled
xdotool key Prior
selftest 9
check "a self-test of an instrument that is not listed says so" "wait_log 'technician selftest.run instrument=9 result=error' 3"
due=$(date -u -d '+10 days' +%F)
click 1035 733
xdotool type --delay 30 "1 $due"; xdotool key Return
shot 44-calibration
check "calibration date set from the menu (audited, stored) and warned 30 days ahead" \
  "wait_log 'technician calibration.set instrument=1 due=$due' 5 && wait_log 'menu warning:    calibration due $due \\(in (9|10) days\\)' 3 && [ \"\$(sqlite3 '$db' \"SELECT calibration_due FROM instruments WHERE driver = 'cms50'\")\" = '$due' ] && wait_log 'menu tab Instruments: [0-9]+ lines, [0-9]+ warnings' 3"
click 170 230
check "data tab: outbox empty, disk, database, audit chain" "wait_log 'menu tab Data: 4 lines, 0 warnings' 3"
# A message queued 2 h 1 min ago and never acknowledged (the link is off here).
old_ms=$(( $(date +%s) * 1000 - 7260000 ))
sqlite3 -cmd ".timeout 5000" "$db" "INSERT INTO outbox(id, session_id, type, personal, body, created_ms) VALUES('0b9e6c1e-3f0a-4b8e-9a55-2f1d7c4e9a01', '', 'incident', 0, '{}', $old_ms)"
click 800 733
shot 45-data
check "data tab: the age of the oldest outbox entry, warned after 1 h" \
  "wait_log 'menu tab Data: 4 lines, 1 warnings' 3 && grep -qE 'menu warning: Outbox: 1 message\\(s\\) waiting, oldest 2 h 1 min [0-9]+ s old - is the station reachable\\?' '$log'"
click 170 319
shot 46-logs-stick
check "logs tab names the USB stick udev reports and where it is mounted" \
  "wait_log 'menu tab Logs: [0-9]+ lines, 0 warnings' 3"
click 800 733
xdotool type --delay 20 'export-pass-2026'; xdotool key Return
wait_log 'technician logs.exported files=1' 10
shot 47-exported-to-stick
f=$(ls "$work"/stick/cabin-logs-*.cms 2>/dev/null | head -1)
check "the encrypted archive is written on the detected stick and the screen says which" \
  "[ -n '$f' ] && openssl cms -decrypt -binary -inform DER -in '$f' -pwri_password export-pass-2026 2>/dev/null | tar -xOf - cabin-logs/cabin.log | grep -q 'cabin started' && grep -q 'log export: Exported 1 file(s), [0-9]* bytes, as cabin-logs-.*\\.cms to SanDisk Cruzer Blade \"CABINLOGS\" (vfat, /dev/sdb1) at $work/stick' '$log'"
# Configuration: a bad value is refused with the loader's message; a good one is
# written into the file itself (its comment and the hash kept, nothing masked).
click 170 408
shot 48-config
cp "$work/cabin.ini" "$work/cabin.ini.before"
click 800 733
xdotool type --delay 30 'cabin.phone = not-a-phone'; xdotool key Return
sleep 0.5
shot 49-config-refused
check "a bad value typed in the configuration tab is refused and the file is unchanged" \
  "cmp -s '$work/cabin.ini' '$work/cabin.ini.before' && ! grep -q 'config.changed' '$log'"
xdotool key Escape
click 800 733
xdotool type --delay 30 'cabin.phone = +33102030405'; xdotool key Return
check "a good value is saved into the file with its comment and the real hash, and audited" \
  "wait_log 'technician config.changed key=cabin.phone' 5 && grep -qx 'phone = +33102030405' '$work/cabin.ini' && grep -qx '# test cabin: kept by edits from the service menu' '$work/cabin.ini' && grep -qxF 'technician_password_hash = $pwd_' '$work/cabin.ini' && ! grep -q '\*\*\*' '$work/cabin.ini'"
shot 50-config-saved
# The same by touch only: the on-screen keys clicked where the widget map says,
# switching to the symbols layer (&123) for . _ = and back (ABC).
map=$work/map
where() { awk -v n="$1" '$1 == n && $6 == 1 { printf "%d %d\n", $2 + $4 / 2, $3 + $5 / 2; f = 1; exit } END { exit !f }' "$map" 2>/dev/null; }
tap() { local xy i; for i in $(seq 40); do xy=$(where "$1") && break; sleep 0.05; done; [ -n "$xy" ] || { echo "# no key $1"; return 1; }; xdotool mousemove $xy click 1; sleep 0.12; }
taps() { local k; for k in "$@"; do tap "$k" || return 1; done; }
click 800 733
for _ in $(seq 40); do head -1 "$map" 2>/dev/null | grep -q 'screen service-entry' && break; sleep 0.05; done
typed_ok=0
taps key/s key/e key/r key/v key/i key/c key/e key/symbols key/. key/symbols \
  key/c key/l key/e key/a key/n key/i key/n key/g key/symbols key/_ key/symbols key/m key/a key/x \
  key/symbols key/_ key/symbols key/s key/space key/symbols key/= key/space key/6 key/0 key/0 && typed_ok=1
shot 51-config-symbols-layer
taps key/symbols && shot 52-config-letters-layer
check "the &123 key switches to the symbols layer and ABC back (widget map names the keys)" \
  "[ $typed_ok = 1 ] && grep -q '^key/symbols ' '$work/map' && grep -q '^key/a ' '$work/map' && [ -s '$shots/51-config-symbols-layer.png' ]"
tap key/ok
check "service.cleaning_max_s = 600 entered by clicking on-screen keys only is saved" \
  "wait_log 'technician config.changed key=service.cleaning_max_s' 5 && grep -qx 'cleaning_max_s = 600' '$work/cabin.ini' && ! grep -q 'cleaning_max_s = 1200' '$work/cabin.ini'"
shot 53-config-saved-by-touch
echo "# screenshots in $shots"
