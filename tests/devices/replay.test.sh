#!/usr/bin/env bash
# Replay and hotplug tests of the instrument drivers through their real transports
# under umockdev (tests/helpers/devices_harness.c): CMS50 on a tty (PTY master in the
# harness, captured stream), Omron on a hidraw model answering with the captured
# HID reports, udev add / remove mid-measurement / add again, and the libusb
# transport on a USB device model with the EFM32 PHDC descriptors. Prints TAP.
set -uo pipefail
: "${BUILD:?}" "${CABIN_SRC:?}"
h=$BUILD/tests/helpers/devices_harness
dir=$CABIN_SRC/tests/devices
if ! command -v umockdev-wrapper >/dev/null; then
  echo "1..1"; echo "ok 1 - replay # SKIP umockdev-wrapper not installed"; exit 0
fi
out=$(mktemp); trap 'rm -f "$out"' EXIT
rc=0
run() { # scenario folder
  CABIN_SRC=$CABIN_SRC timeout -k 5 60 umockdev-wrapper "$h" "$1" "$dir/$2" >>"$out" 2>>"$out.log"
  local s=$?
  ((s != 0)) && rc=1
  ((s == 124)) && echo "not ok - $1 timed out" >>"$out"
  return 0
}
run cms50-tty cms50
run omron-hidraw omron-hem
run hotplug cms50
run usb-transport usb-transport
n=$(grep -cE '^(ok|not ok) - ' "$out")
echo "1..$n"
awk '/^(ok|not ok) - /{ i++; sub(/ - /, " " i " - "); print; next } /^#/{ print }' "$out"
if ((rc)) && ! grep -q '^not ok' "$out"; then echo "# harness failed:"; sed 's/^/# /' "$out.log" | tail -20; fi
rm -f "$out.log"
exit $rc
