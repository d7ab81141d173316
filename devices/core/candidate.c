/* candidate.c — a libudev device as a cdi_candidate: USB ids from the usb_device
 * ancestor (sysfs attributes, or ID_VENDOR_ID/ID_MODEL_ID properties), interfaces
 * from its "descriptors" attribute (USB 2.0 9.6) or from the usb_interface the node
 * hangs off. Every descriptor length is checked. */
#include "devices/core/candidate.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const cdi_watched_subsystems[5] = {"usb", "tty", "hidraw", "video4linux", "sound"};

#define DESC_MAX 4096 /* hard maximum of sysfs descriptors read */

int cdi_usb_parse_interfaces(const uint8_t *buf, size_t len, struct cdi_iface *out, int max)
{
	size_t off = 0;
	int n = 0;
	while (off < len) {
		if (len - off < 2)
			return -1;
		uint8_t blen = buf[off], type = buf[off + 1];
		if (blen < 2 || blen > len - off)
			return -1;
		if (type == 4) { /* INTERFACE: bLength 9 */
			if (blen < 9)
				return -1;
			if (n < max) {
				out[n].number = buf[off + 2];
				out[n].alt = buf[off + 3];
				out[n].if_class = buf[off + 5];
				out[n].if_subclass = buf[off + 6];
				out[n].if_protocol = buf[off + 7];
				n++;
			}
		}
		off += blen;
	}
	return n;
}

static unsigned hex_attr(struct udev_device *d, const char *attr, const char *prop)
{
	const char *v = d ? udev_device_get_sysattr_value(d, attr) : NULL;
	if (!v && d && prop)
		v = udev_device_get_property_value(d, prop);
	return v ? (unsigned)strtoul(v, NULL, 16) : 0;
}

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Reads the binary sysfs descriptors of usb_device U into the candidate. */
static void read_descriptors(struct udev_device *u, struct cdi_candidate *c)
{
	char path[512];
	uint8_t buf[DESC_MAX];
	snprintf(path, sizeof path, "%s/descriptors", udev_device_get_syspath(u));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	if (n > 18) {
		int k = cdi_usb_parse_interfaces(buf + 18, (size_t)n - 18, c->ifaces, CDI_MAX_IFACES);
		c->n_ifaces = k > 0 ? k : 0;
	}
}

static void usb_device_ids(struct udev_device *u, struct udev_device *node, struct cdi_candidate *c)
{
	c->vid = (uint16_t)hex_attr(u, "idVendor", "ID_VENDOR_ID");
	c->pid = (uint16_t)hex_attr(u, "idProduct", "ID_MODEL_ID");
	if (!c->vid)
		c->vid = (uint16_t)hex_attr(node, "idVendor", "ID_VENDOR_ID");
	if (!c->pid)
		c->pid = (uint16_t)hex_attr(node, "idProduct", "ID_MODEL_ID");
	if (u) {
		const char *b = udev_device_get_sysattr_value(u, "busnum");
		const char *a = udev_device_get_sysattr_value(u, "devnum");
		if (!b)
			b = udev_device_get_property_value(u, "BUSNUM");
		if (!a)
			a = udev_device_get_property_value(u, "DEVNUM");
		c->busnum = b ? (uint8_t)atoi(b) : 0;
		c->devnum = a ? (uint8_t)atoi(a) : 0;
		copy_str(c->manufacturer, sizeof c->manufacturer, udev_device_get_sysattr_value(u, "manufacturer"));
		copy_str(c->product, sizeof c->product, udev_device_get_sysattr_value(u, "product"));
		copy_str(c->serial, sizeof c->serial, udev_device_get_sysattr_value(u, "serial"));
	}
	if (!c->serial[0] && node)
		copy_str(c->serial, sizeof c->serial, udev_device_get_property_value(node, "ID_SERIAL_SHORT"));
}

/* The interface a tty/hidraw node hangs off, as ifaces[0]. */
static void node_interface(struct udev_device *d, struct cdi_candidate *c)
{
	struct udev_device *itf = udev_device_get_parent_with_subsystem_devtype(d, "usb", "usb_interface");
	c->iface = -1;
	if (!itf)
		return;
	const char *cls = udev_device_get_sysattr_value(itf, "bInterfaceClass");
	if (!cls)
		return;
	c->ifaces[0].if_class = (uint8_t)strtoul(cls, NULL, 16);
	c->ifaces[0].if_subclass = (uint8_t)hex_attr(itf, "bInterfaceSubClass", NULL);
	c->ifaces[0].if_protocol = (uint8_t)hex_attr(itf, "bInterfaceProtocol", NULL);
	c->ifaces[0].number = (uint8_t)hex_attr(itf, "bInterfaceNumber", NULL);
	c->n_ifaces = 1;
	c->iface = 0;
}

int cdi_candidate_from_udev(struct udev_device *d, struct cdi_candidate *c)
{
	const char *subsys = udev_device_get_subsystem(d);
	const char *devtype = udev_device_get_devtype(d);
	const char *node = udev_device_get_devnode(d);
	const char *sysname = udev_device_get_sysname(d);
	memset(c, 0, sizeof *c);
	c->iface = -1;
	if (!subsys)
		return -1;
	copy_str(c->syspath, sizeof c->syspath, udev_device_get_syspath(d));
	copy_str(c->devnode, sizeof c->devnode, node);
	struct udev_device *usb = udev_device_get_parent_with_subsystem_devtype(d, "usb", "usb_device");

	if (!strcmp(subsys, "usb")) {
		if (!devtype || strcmp(devtype, "usb_device"))
			return -1;
		c->bus = CDI_BUS_USB;
		usb_device_ids(d, NULL, c);
		read_descriptors(d, c);
		return 0;
	}
	if (!strcmp(subsys, "tty")) {
		/* only serial ports on a bus (USB adapters, CDC-ACM), not virtual consoles */
		if (!usb && !udev_device_get_property_value(d, "ID_VENDOR_ID") &&
		    !udev_device_get_property_value(d, "ID_BUS"))
			return -1;
		c->bus = CDI_BUS_TTY;
	} else if (!strcmp(subsys, "hidraw")) {
		c->bus = CDI_BUS_HIDRAW;
		/* HID parent named BUS:VID:PID.N (e.g. 0003:0590:0028.0001) */
		struct udev_device *hid = udev_device_get_parent_with_subsystem_devtype(d, "hid", NULL);
		const char *hn = hid ? udev_device_get_sysname(hid) : NULL;
		unsigned b, v, p;
		if (!hn) { /* the sysfs path itself carries the HID name */
			const char *s = strstr(c->syspath, "/0003:");
			hn = s ? s + 1 : NULL;
		}
		if (hn && sscanf(hn, "%x:%x:%x", &b, &v, &p) == 3) {
			c->vid = (uint16_t)v;
			c->pid = (uint16_t)p;
		}
	} else if (!strcmp(subsys, "video4linux")) {
		c->bus = CDI_BUS_VIDEO;
	} else if (!strcmp(subsys, "sound")) {
		if (!sysname || strncmp(sysname, "controlC", 8))
			return -1;
		c->bus = CDI_BUS_SOUND;
	} else {
		return -1;
	}
	uint16_t v = c->vid, p = c->pid;
	usb_device_ids(usb, d, c);
	if (!c->vid)
		c->vid = v;
	if (!c->pid)
		c->pid = p;
	node_interface(d, c);
	return 0;
}
