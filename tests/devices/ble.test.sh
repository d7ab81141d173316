#!/usr/bin/env bash
# ble.test.sh — Bluetooth LE instruments through BlueZ over D-Bus: the real
# `cabin-devices watch --ble` on a mocked BlueZ (python3-dbusmock's bluez5 template on
# a private bus, tests/devices/ble/mock_bluez.py) with GATT services whose values are
# built from the Bluetooth SIG specifications: discovery of adopted instruments only,
# connection and subscription, exact readings, a malformed indication refused with
# nothing lost, reconnection, the Glucose RACP, forgetting. Prints TAP
# (tests/devices/ble/ble_gatt.py).
set -uo pipefail
: "${BUILD:?}" "${CABIN_SRC:?}"
command -v dbus-daemon >/dev/null || { echo "1..0 # SKIP dbus-daemon not installed"; exit 0; }
/usr/bin/python3 -c 'import dbusmock' 2>/dev/null || { echo "1..0 # SKIP python3-dbusmock not installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
BUILD=$(cd "$BUILD" && pwd) TMPDIR_BLE=$tmp timeout 180 /usr/bin/python3 "$CABIN_SRC/tests/devices/ble/ble_gatt.py" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || { echo "# cabin-devices log:"; sed 's/^/#   /' "$tmp/watch.log" 2>/dev/null | tail -30; grep -v 'fd limit' "$tmp/err" | sed 's/^/#   /' | tail -20; }
exit $rc
