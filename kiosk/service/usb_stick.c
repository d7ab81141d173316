/* usb_stick.c — mounted USB sticks from libudev and the mount table (see usb_stick.h). */
#include "kiosk/service/usb_stick.h"

#include <errno.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#define LINE_MAX_MI 4096

/* Copies the mount-table field SRC (octal escapes \NNN, proc(5)) into DST. */
static void unescape(const char *src, size_t n, char *dst, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		if (src[i] == '\\' && i + 3 < n && src[i + 1] >= '0' && src[i + 1] <= '3' &&
		    src[i + 2] >= '0' && src[i + 2] <= '7' && src[i + 3] >= '0' &&
		    src[i + 3] <= '7') {
			dst[o++] = (char)((src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 +
			                  (src[i + 3] - '0'));
			i += 3;
		} else {
			dst[o++] = src[i];
		}
	}
	dst[o] = '\0';
}

/* Splits LINE at spaces into at most MAX fields (pointers and lengths). */
static int fields(const char *line, const char **f, size_t *len, int max)
{
	int n = 0;
	const char *p = line;
	while (*p && n < max) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		f[n] = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		len[n] = (size_t)(p - f[n]);
		n++;
	}
	return n;
}

int cab_mountinfo_find(const char *mountinfo, unsigned major, unsigned minor, char *mnt,
                       size_t size, char *fstype, size_t fssize, bool *rw)
{
	char want[32], *line = NULL;
	size_t cap = 0;
	ssize_t got;
	int rc = -ENOENT;
	FILE *f = fopen(mountinfo, "re");
	if (!f)
		return -errno;
	snprintf(want, sizeof want, "%u:%u", major, minor);
	while ((got = getline(&line, &cap, f)) >= 0) {
		const char *fl[16];
		size_t len[16];
		if (got > LINE_MAX_MI)
			continue;
		int n = fields(line, fl, len, 16);
		if (n < 6 || len[2] != strlen(want) || memcmp(fl[2], want, len[2]))
			continue;
		unescape(fl[4], len[4], mnt, size);
		*rw = len[5] >= 2 && !memcmp(fl[5], "rw", 2) && (len[5] == 2 || fl[5][2] == ',');
		if (fstype && fssize) {
			fstype[0] = '\0';
			for (int i = 6; i + 1 < n; i++) /* optional fields end with "-" */
				if (len[i] == 1 && fl[i][0] == '-') {
					unescape(fl[i + 1], len[i + 1], fstype, fssize);
					break;
				}
		}
		rc = 0;
		break;
	}
	free(line);
	fclose(f);
	return rc;
}

static void prop(struct udev_device *d, const char *name, char *dst, size_t size)
{
	const char *v = udev_device_get_property_value(d, name);
	snprintf(dst, size, "%s", v ? v : "");
	for (char *p = dst; *p; p++)
		if (*p == '_')
			*p = ' ';
}

/* Device number of D: the kernel's, else the MAJOR/MINOR properties. */
static int devnum_of(struct udev_device *d, unsigned *maj, unsigned *min)
{
	dev_t n = udev_device_get_devnum(d);
	const char *a = udev_device_get_property_value(d, "MAJOR"),
	           *b = udev_device_get_property_value(d, "MINOR");
	if (n) {
		*maj = major(n);
		*min = minor(n);
		return 0;
	}
	if (!a || !b)
		return -1;
	*maj = (unsigned)strtoul(a, NULL, 10);
	*min = (unsigned)strtoul(b, NULL, 10);
	return 0;
}

int cab_usb_sticks_find(const char *mountinfo, struct cab_usb_stick *out, int max)
{
	struct udev *u = udev_new();
	struct udev_enumerate *e = NULL;
	struct udev_list_entry *it;
	int n = 0;
	if (!u)
		return -ENODEV;
	if (!mountinfo)
		mountinfo = "/proc/self/mountinfo";
	e = udev_enumerate_new(u);
	if (!e || udev_enumerate_add_match_subsystem(e, "block") < 0 ||
	    udev_enumerate_add_match_property(e, "ID_BUS", "usb") < 0 ||
	    udev_enumerate_scan_devices(e) < 0) {
		n = -ENODEV;
		goto out;
	}
	udev_list_entry_foreach(it, udev_enumerate_get_list_entry(e))
	{
		struct udev_device *d =
		    udev_device_new_from_syspath(u, udev_list_entry_get_name(it));
		struct cab_usb_stick s;
		unsigned maj, min;
		if (!d)
			continue;
		memset(&s, 0, sizeof s);
		if (n < max && devnum_of(d, &maj, &min) == 0 &&
		    cab_mountinfo_find(mountinfo, maj, min, s.mountpoint, sizeof s.mountpoint,
		                       s.fstype, sizeof s.fstype, &s.writable) == 0) {
			const char *node = udev_device_get_devnode(d);
			snprintf(s.devnode, sizeof s.devnode, "%s", node ? node : "");
			prop(d, "ID_VENDOR", s.vendor, sizeof s.vendor);
			prop(d, "ID_MODEL", s.model, sizeof s.model);
			prop(d, "ID_FS_LABEL", s.label, sizeof s.label);
			const char *t = udev_device_get_property_value(d, "ID_FS_TYPE");
			if (t && *t)
				snprintf(s.fstype, sizeof s.fstype, "%s", t);
			/* writable ones first */
			int at = n;
			if (s.writable)
				for (at = 0; at < n && out[at].writable; at++)
					;
			memmove(&out[at + 1], &out[at], (size_t)(n - at) * sizeof out[0]);
			out[at] = s;
			n++;
		}
		udev_device_unref(d);
	}
out:
	udev_enumerate_unref(e);
	udev_unref(u);
	return n;
}

char *cab_usb_stick_describe(const struct cab_usb_stick *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s%s (%s, %s) at %s%s", s->vendor, s->vendor[0] ? " " : "",
	         s->model[0] ? s->model : "USB stick", s->label[0] ? " \"" : "", s->label,
	         s->label[0] ? "\"" : "", s->fstype[0] ? s->fstype : "?",
	         s->devnode[0] ? s->devnode : "?", s->mountpoint,
	         s->writable ? "" : " (read-only)");
	return buf;
}
