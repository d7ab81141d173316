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
# the unmodified cabin-devices binary against a umockdev script replay of the capture
script=$(mktemp)
node "$dir/cms50/make-script.js" "$dir/cms50" >"$script"
(cd "$dir/cms50" && timeout -k 5 30 umockdev-run -d device.umockdev -s "/dev/ttyUSB0=$script" -- \
   "$BUILD/cabin-devices" read /dev/ttyUSB0 --timeout 10 >"$script.out" 2>"$script.err")
s=$?
if ((s == 0)) && diff -u "$dir/cms50/expected_replay.jsonl" "$script.out" >"$script.diff"; then
  echo "ok - cabin-devices read /dev/ttyUSB0 under umockdev-run script replay: readings equal expected_replay.jsonl" >>"$out"
else
  { echo "not ok - cabin-devices read under script replay (exit $s; 133 = script mismatch)"; sed 's/^/# /' "$script.diff" "$script.err" | head -20; } >>"$out"
  rc=1
fi
rm -f "$script" "$script.out" "$script.err" "$script.diff"

# cabin-devices list on the two device descriptions: each node taken by its driver;
# nothing answers on the hidraw node (plain file), so the Omron shows "error"
lst=$(cd "$dir" && timeout -k 5 30 umockdev-run -d cms50/device.umockdev -d omron-hem/device.umockdev -- \
      "$BUILD/cabin-devices" list --wait 500 2>/dev/null)
if grep -qE '^1 +tty +/dev/ttyUSB0 +10c4:ea60 cms50 +pulse-oximeter +ready +CMS50D\+$' <<<"$lst" &&
   grep -qE '^2 +hidraw +/dev/hidraw0 +0590:0028 omron-hem +blood-pressure +error ' <<<"$lst"; then
  echo "ok - cabin-devices list under umockdev-run: tty -> cms50 (ready), hidraw -> omron-hem (no answer: error)" >>"$out"
else
  { echo "not ok - cabin-devices list under umockdev-run"; sed 's/^/# /' <<<"$lst"; } >>"$out"
  rc=1
fi
n=$(grep -cE '^(ok|not ok) - ' "$out")
echo "1..$n"
awk '/^(ok|not ok) - /{ i++; sub(/ - /, " " i " - "); print; next } /^#/{ print }' "$out"
if ((rc)) && ! grep -q '^not ok' "$out"; then echo "# harness failed:"; sed 's/^/# /' "$out.log" | tail -20; fi
rm -f "$out.log"
exit $rc
