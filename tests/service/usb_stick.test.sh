#!/usr/bin/env bash
# usb_stick.test.sh — finding the USB stick for the log export (kiosk/service/
# usb_stick.c) with libudev under umockdev: four block devices described in
# tests/service/fixtures/block-devices.umockdev (a USB partition mounted rw, a USB
# disk mounted read-only, a USB partition not mounted, an internal ATA disk mounted)
# and a mount table in /proc/self/mountinfo format (CABIN_MOUNTINFO's role). Real:
# libudev enumeration and property matching; faked: the devices (umockdev) and the
# mount table (a file: mounting needs privileges).
set -uo pipefail
CABIN_SRC=${CABIN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$CABIN_SRC/build}
N=4
echo "1..$N"
skip_all() { for ((i = 1; i <= N; i++)); do echo "ok $i - usb stick # SKIP $1"; done; exit 0; }
command -v umockdev-run >/dev/null || skip_all "umockdev-run missing"
tool=$BUILD/tests/helpers/usb_sticks
[ -x "$tool" ] || skip_all "$tool not built"
work=$(mktemp -d /tmp/cabin-usb-XXXXXX)
trap 'rm -rf "$work"' EXIT
dev=$CABIN_SRC/tests/service/fixtures/block-devices.umockdev
n=0
check() { n=$((n + 1)); if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; printf '#   got:  %s\n#   want: %s\n' "$2" "$3"; fi; }

cat >"$work/mountinfo" <<'MI'
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
99 22 8:32 / /media/ro\040stick ro,relatime shared:60 - exfat /dev/sdc ro
98 22 8:17 / /media/cabin-usb rw,nosuid,nodev,relatime shared:52 - vfat /dev/sdb1 rw,fmask=0022
MI
got=$(umockdev-run -d "$dev" -- "$tool" "$work/mountinfo" | tr '\n' '|')
check "only mounted USB filesystems, the writable one first" "$got" \
  '2|SanDisk Cruzer Blade "CABINLOGS" (vfat, /dev/sdb1) at /media/cabin-usb|Kingston DataTraveler (exfat, /dev/sdc) at /media/ro stick (read-only)|'
grep -v 8:17 "$work/mountinfo" >"$work/mi2"
got=$(umockdev-run -d "$dev" -- "$tool" "$work/mi2" | tr '\n' '|')
check "stick removed from the mount table: only the read-only one" "$got" \
  '1|Kingston DataTraveler (exfat, /dev/sdc) at /media/ro stick (read-only)|'
: >"$work/empty"
got=$(umockdev-run -d "$dev" -- "$tool" "$work/empty" | tr '\n' '|')
check "nothing mounted: none (the internal disk is never offered)" "$got" '0|'
got=$(umockdev-run -d "$dev" -- "$tool" "$work/missing" | tr '\n' '|')
check "an unreadable mount table: none" "$got" '0|'
