/* transport.h — the table every byte transport fills (libusb bulk/interrupt, HID
 * reports, serial tty, hidraw, in-process simulator pipe). Protocol code talks only
 * to this table, never to USB, tty or HID directly (STYLE.md #3).
 *
 * Internal to devices/: prefix cdi_. */
#ifndef CABIN_DEVICES_TRANSPORT_H
#define CABIN_DEVICES_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

/* Errors returned (negative) by transport operations. */
enum cdi_transport_err {
	CDI_T_OK = 0,
	CDI_T_TIMEOUT = -1,   /* nothing arrived before the timeout */
	CDI_T_GONE = -2,      /* the device was unplugged / the peer closed */
	CDI_T_IO = -3,        /* any other I/O error (see the log) */
	CDI_T_OVERFLOW = -4,  /* the device sent more than the buffer holds */
	CDI_T_INVALID = -5,   /* bad argument */
	CDI_T_NOT_MINE = -6   /* (a driver's open) the device did not answer like this
	                         driver's instrument: the manager releases it, no error */
};

struct cdi_transport;

/* Operations of one transport. Mandatory: read, write, close. Optional:
 * set_feature. Transports are opened by their constructors (transports.h). */
struct cdi_transport_ops {
	const char *name;  /* "libusb-bulk", "hid", "tty", "hidraw", "sim" */
	/* Reads up to LEN bytes into BUF, waiting at most TIMEOUT_MS (>= 0). Returns the
	 * count (> 0) or a negative cdi_transport_err. One call returns at most one
	 * USB transfer / HID report; a tty returns what is available. */
	int (*read)(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms);
	/* Writes LEN bytes (one transfer / report). Returns LEN or a negative error. */
	int (*write)(struct cdi_transport *t, const uint8_t *buf, size_t len, int timeout_ms);
	/* Releases everything; T is freed. Safe after CDI_T_GONE. */
	void (*close)(struct cdi_transport *t);
	/* Optional (NULL when the transport has none): sends a HID feature report,
	 * BUF[0] = report id (0 when unnumbered). Returns LEN or a negative error. */
	int (*set_feature)(struct cdi_transport *t, const uint8_t *buf, size_t len);
};

/* A transport instance: ops plus the implementation's own state. */
struct cdi_transport {
	const struct cdi_transport_ops *ops;
	void *impl;
};

#endif
