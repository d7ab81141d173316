#!/usr/bin/env bash
# service_bluetooth.test.sh — the technician's Bluetooth tab on the real cabin under
# Xvfb (xdotool, the widget map CABIN_UI_MAP), on a mocked BlueZ: a private D-Bus bus
# as the system bus with python3-dbusmock's bluez5 template
# (tests/devices/ble/serve_bluez.py), where a blood-pressure monitor in pairing mode
# shows up once a discovery runs and indicates a measurement once subscribed.
# Checks: scan (discovery filtered on the health services), the monitor listed, pair
# (bonded, trusted, written to DATA_DIR/bluetooth-instruments, audited), the device
# manager attaching it as an instrument (driver ble-gatt) and taking its reading,
# forget (removed from BlueZ and from the list, detached). Screenshots in
# $BUILD/screens/service/.
set -uo pipefail
CABIN_SRC=${CABIN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$CABIN_SRC/build}
N=7
echo "1..$N"
skip_all() { for ((i = 1; i <= N; i++)); do echo "ok $i - service bluetooth # SKIP $1"; done; exit 0; }
for tool in Xvfb xdotool import dbus-daemon; do command -v $tool >/dev/null || skip_all "$tool missing"; done
/usr/bin/python3 -c 'import dbusmock' 2>/dev/null || skip_all "python3-dbusmock missing"
[ -x "$BUILD/cabin" ] || skip_all "$BUILD/cabin not built"

shots=$BUILD/screens/service
mkdir -p "$shots"
work=$(mktemp -d /tmp/cabin-svc-bt-XXXXXX)
log=$work/cabin.log
xvfb_pid= cabin_pid= mock_pid=
cleanup() {
  [ -n "$cabin_pid" ] && kill "$cabin_pid" 2>/dev/null
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -m 700 "$work/data"
pwd_=$(printf %s service-cabin-42 | "$CABIN_SRC/scripts/hash-secret" password)
cat >"$work/cabin.ini" <<INI
[station]
url = wss://127.0.0.1:9/cabin

[storage]
data_dir = $work/data

[service]
technician_password_hash = $pwd_

[ui]
voice_volume = 0
INI

/usr/bin/python3 "$CABIN_SRC/tests/devices/ble/serve_bluez.py" "$work/bus" >"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 100); do [ -s "$work/bus" ] && break; sleep 0.1; done
[ -s "$work/bus" ] || skip_all "the mocked BlueZ did not start"
export DBUS_SYSTEM_BUS_ADDRESS=$(cat "$work/bus")
BLE=C0:FF:EE:00:01:10
DEV=/org/bluez/hci0/dev_C0_FF_EE_00_01_10

for d in $(seq 251 290); do [ -e /tmp/.X11-unix/X$d ] || [ -e /tmp/.X$d-lock ] || break; done
Xvfb ":$d" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=":$d"
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

CABIN_LOG=debug CABIN_UI_MAP=$work/map CABIN_NO_LINK=1 CABIN_NO_MEDIA=1 CABIN_NO_HOTPLUG=1 CABIN_BT_SCAN_MS=1000 \
  SDL_RENDER_DRIVER=software "$BUILD/cabin" --config "$work/cabin.ini" --windowed 1280x800 --lang en >"$log" 2>&1 &
cabin_pid=$!

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; grep -E 'bluetooth|ble|menu' "$log" | tail -12 | sed 's/^/#   /'; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
wait_log() { for ((i = 0; i < $2 * 20; i++)); do grep -qE -- "$1" "$log" && return 0; sleep 0.05; done; return 1; }
shot() { sleep 0.4; import -window root "$shots/$1.png"; }
map=$work/map
where() { awk -v n="$1" '$1 == n && $6 == 1 { printf "%d %d\n", $2 + $4 / 2, $3 + $5 / 2; f = 1; exit } END { exit !f }' "$map" 2>/dev/null; }
tap() { local xy= i; for i in $(seq 60); do xy=$(where "$1") && break; sleep 0.05; done; [ -n "$xy" ] || { echo "# no widget $1"; return 1; }; xdotool mousemove $xy click 1; sleep 0.2; }
number() { tap "$1" && xdotool type --delay 40 "$2" && xdotool key Return; }
busctl_() { busctl --address="$DBUS_SYSTEM_BUS_ADDRESS" "$@"; }

wait_log 'first screen drawn|app: cabin .* windowed' 30
for _ in 1 2 3 4 5; do
  xdotool mousemove 10 10 mousedown 1 sleep 3.3 mouseup 1
  for ((i = 0; i < 40; i++)); do grep -q 'Technician' "$map" 2>/dev/null && break 2; sleep 0.05; done
done
xdotool mousemove 751 694 click 1; sleep 0.3
xdotool type --delay 30 'service-cabin-42'; xdotool key Return
wait_log 'technician menu.open' 10
tap Bluetooth
check "the Bluetooth tab opens with nothing paired yet" \
  "wait_log 'menu line: No Bluetooth instrument yet: switch one on in pairing mode, then Scan' 5"
shot 60-bluetooth-empty
tap Scan
check "Scan: a discovery filtered on the health services over LE finds the monitor in pairing mode" \
  "wait_log 'technician bluetooth.scan result=ok found=1' 15 && wait_log 'menu line: 1\\. BP Monitor \\(synthetic\\) \\(blood-pressure\\)$' 5 && wait_log 'menu line:     $BLE$' 1 && grep -q 'monitor advertising' '$work/mock.log'"
shot 61-bluetooth-scanned
number Pair 1
check "Pair 1: bonded and trusted in BlueZ, written to the cabin's list, audited" \
  "wait_log 'technician bluetooth.pair address=$BLE result=ok' 15 && grep -qx '$BLE' '$work/data/bluetooth-instruments' && busctl_ get-property org.bluez $DEV org.bluez.Device1 Paired | grep -q true && busctl_ get-property org.bluez $DEV org.bluez.Device1 Trusted | grep -q true"
check "the paired monitor becomes an instrument: attached to driver ble-gatt, connected, subscribed" \
  "wait_log 'devices: attached ble $BLE 0000:0000 -> ble-gatt' 10 && wait_log 'ble: $BLE connected: 1 characteristic\\(s\\) subscribed' 10"
tap Bluetooth # shown again now that the device manager connected it
check "the tab lists it as used by the cabin, paired and connected" \
  "wait_log 'menu line:     $BLE - used by the cabin, paired, connected$' 10"
shot 62-bluetooth-paired
tap Instruments
check "the Instruments tab registers it like a USB instrument (blood-pressure, driver ble-gatt, its address as serial)" \
  "wait_log 'instrument registered: blood-pressure BP Monitor \\(synthetic\\) driver ble-gatt serial $BLE' 10"
shot 63-instruments-with-bluetooth
tap Bluetooth
number Forget 1
check "Forget 1: removed from BlueZ and from the cabin's list, the instrument detached" \
  "wait_log 'technician bluetooth.forget address=$BLE result=ok' 15 && ! grep -q '$BLE' '$work/data/bluetooth-instruments' && ! busctl_ get-property org.bluez $DEV org.bluez.Device1 Address >/dev/null 2>&1 && wait_log 'ble-gatt $BLE: unplugged' 10"
shot 64-bluetooth-forgotten
echo "# screenshots in $shots"
