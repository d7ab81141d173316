/* usb_stick.h — finds the USB stick the technician plugged in for the log export:
 * block devices on the USB bus (libudev: subsystem "block", property ID_BUS=usb)
 * holding a filesystem, joined by device number with the mount table
 * (/proc/self/mountinfo, proc(5)) to learn where they are mounted and whether
 * writable. The cabin never mounts anything itself: the pharmacy's automounter or
 * a systemd .mount unit does (docs/service.md "Log export"). No SDL. */
#ifndef CABIN_SERVICE_USB_STICK_H
#define CABIN_SERVICE_USB_STICK_H

#include <stdbool.h>
#include <stddef.h>

#define CAB_USB_STICKS_MAX 4

/* One mounted USB filesystem. Strings "" when unknown. */
struct cab_usb_stick {
	char devnode[64];     /* "/dev/sdb1" */
	char vendor[48];      /* ID_VENDOR ("SanDisk"), underscores as spaces */
	char model[48];       /* ID_MODEL ("Cruzer Blade") */
	char label[48];       /* ID_FS_LABEL, the filesystem's label */
	char fstype[16];      /* ID_FS_TYPE, else the mount table's ("vfat") */
	char mountpoint[256]; /* where it is mounted ("/media/cabin-usb") */
	bool writable;        /* mounted read-write */
};

/* Finds the mount point of device MAJOR:MINOR in the mount table file MOUNTINFO
 * (format of /proc/self/mountinfo, proc(5): field 3 is "major:minor", field 5 the
 * mount point with spaces etc. as octal escapes \040, field 6 the mount options).
 * The first mount wins. Writes the unescaped mount point to MNT (SIZE bytes), the
 * filesystem type to FSTYPE (FSSIZE bytes, may be NULL) and *RW. Returns 0, -ENOENT
 * when the device is not mounted, or -errno when the file cannot be read. Lines
 * longer than 4 KiB are skipped. */
int cab_mountinfo_find(const char *mountinfo, unsigned major, unsigned minor, char *mnt,
                       size_t size, char *fstype, size_t fssize, bool *rw);

/* Lists the mounted USB mass-storage filesystems: every udev block device (disk or
 * partition) with ID_BUS=usb and a device number found in MOUNTINFO (NULL =
 * /proc/self/mountinfo). Fills up to MAX entries of OUT, writable ones first.
 * Returns how many, or -errno when udev is unavailable. */
int cab_usb_sticks_find(const char *mountinfo, struct cab_usb_stick *out, int max);

/* One line for the technician: "SanDisk Cruzer Blade "LOGS" (vfat, /dev/sdb1) at
 * /media/cabin-usb". Returns BUF. */
char *cab_usb_stick_describe(const struct cab_usb_stick *s, char *buf, size_t size);

#endif
