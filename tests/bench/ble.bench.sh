#!/usr/bin/env bash
# ble.bench.sh — Bluetooth LE connect-to-first-reading on a mocked BlueZ
# (tests/bench/ble_connect.py). Skipped without dbus-daemon or python3-dbusmock.
set -uo pipefail
: "${BUILD:=build}"
command -v dbus-daemon >/dev/null || exit 0
/usr/bin/python3 -c 'import dbusmock' 2>/dev/null || exit 0
exec /usr/bin/python3 "$(dirname "$0")/ble_connect.py"
