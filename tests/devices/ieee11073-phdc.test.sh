#!/bin/sh
# ieee11073-phdc driver replay: the real libusb transport against a umockdev device
# model of the EFM32 PHDC glucometer serving a simulated 11073 agent's APDUs
# (tests/helpers/phdc_emul.c). Prints TAP.
command -v umockdev-wrapper >/dev/null 2>&1 || { echo "1..0 # SKIP umockdev-wrapper not installed"; exit 0; }
[ -x "$BUILD/tests/helpers/phdc_emul" ] || { echo "1..1"; echo "not ok 1 - $BUILD/tests/helpers/phdc_emul not built"; exit 1; }
cd "$CABIN_SRC" || exit 1
ASAN_OPTIONS=${ASAN_OPTIONS:-verify_asan_link_order=0} exec timeout 60 umockdev-wrapper "$BUILD/tests/helpers/phdc_emul"
