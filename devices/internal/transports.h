/* transports.h — constructors of the transports behind struct cdi_transport_ops
 * (transport.h): libusb-1.0 (bulk/interrupt, or HID reports over control SET_REPORT
 * + interrupt IN), serial tty (termios), hidraw, and the in-process simulator pair.
 * Each returns 0 and *OUT, or a negative cdi_transport_err (errors are logged). */
#ifndef CABIN_DEVICES_TRANSPORTS_H
#define CABIN_DEVICES_TRANSPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "devices/internal/transport.h"

struct cdi_candidate;

/* ---- libusb-1.0 (devices/transport/usb.c) ---- */

enum cdi_usb_mode {
	CDI_USB_BULK = 0, /* read: bulk IN (or interrupt IN if no bulk IN); write: bulk OUT */
	CDI_USB_HID       /* read: interrupt IN report; write: control SET_REPORT(Output) */
};

/* Which interface and endpoints to use. Endpoints 0 are found from the interface
 * descriptor (first bulk IN, first bulk OUT, first interrupt IN). */
struct cdi_usb_config {
	int iface;           /* bInterfaceNumber to claim */
	enum cdi_usb_mode mode;
	uint8_t ep_in, ep_out, ep_intr;
	int detach_kernel;   /* 1: detach a kernel driver (usbhid) first */
};

/* Opens the USB device at C->busnum/C->devnum (matching C->vid/pid), claims the
 * interface. Uses its own libusb context and synchronous transfers. */
int cdi_usb_open(const struct cdi_candidate *c, const struct cdi_usb_config *cfg,
                 struct cdi_transport **out);
/* A control transfer on the default pipe (bmRequestType decides the direction).
 * Returns the byte count or a negative cdi_transport_err. */
int cdi_usb_control(struct cdi_transport *t, uint8_t bm_request_type, uint8_t b_request,
                    uint16_t w_value, uint16_t w_index, uint8_t *data, uint16_t len,
                    int timeout_ms);
/* Copies the class-specific descriptor bytes that follow the claimed interface's
 * descriptor (the "extra" bytes: PHDC 0x20/0x30/0x21/0x22 descriptors) into BUF.
 * Returns the full length available (may exceed LEN: only LEN copied) or < 0. */
int cdi_usb_iface_extra(struct cdi_transport *t, uint8_t *buf, size_t len);
/* Endpoints in use (after auto-discovery). */
void cdi_usb_endpoints(struct cdi_transport *t, uint8_t *ep_in, uint8_t *ep_out,
                       uint8_t *ep_intr);
/* Reads from the interrupt IN endpoint (PHDC's optional third pipe). */
int cdi_usb_read_interrupt(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms);

/* 1 when T is a libusb transport. */
int cdi_usb_is(const struct cdi_transport *t);
/* Sends a feature report with SET_REPORT (type Feature). BUF[0] = report id (0 for
 * unnumbered reports: not sent on the wire). Returns LEN or < 0. */
int cdi_usb_set_feature(struct cdi_transport *t, const uint8_t *buf, size_t len);

/* ---- serial tty (devices/transport/tty.c) ---- */

enum cdi_parity { CDI_PARITY_NONE = 0, CDI_PARITY_ODD, CDI_PARITY_EVEN };

struct cdi_tty_config {
	unsigned baud;           /* 9600, 19200, 38400, 57600, 115200 */
	enum cdi_parity parity;
	int stop_bits;           /* 1 or 2 */
};

/* Opens PATH raw (cfmakeraw), 8 data bits, at CFG's speed and parity; flushes. */
int cdi_tty_open(const char *path, const struct cdi_tty_config *cfg, struct cdi_transport **out);

/* 1 when T is a tty transport; its file descriptor (or -1). */
int cdi_tty_is(const struct cdi_transport *t);
int cdi_tty_fd(struct cdi_transport *t);

/* ---- hidraw (devices/transport/hidraw.c) ---- */

/* Opens /dev/hidrawN. If INFO_VID/INFO_PID are non-NULL they get HIDIOCGRAWINFO's
 * ids. Writes are output reports (first byte = report id, 0 when unnumbered). */
int cdi_hidraw_open(const char *path, uint16_t *info_vid, uint16_t *info_pid,
                    struct cdi_transport **out);
/* Sends a feature report (HIDIOCSFEATURE). BUF[0] = report id. */
int cdi_hidraw_set_feature(struct cdi_transport *t, const uint8_t *buf, size_t len);

/* 1 when T is a hidraw transport; its file descriptor (or -1). */
int cdi_hidraw_is(const struct cdi_transport *t);
int cdi_hidraw_fd(struct cdi_transport *t);

/* ---- in-process pair (devices/transport/sim.c) ---- */

/* A connected pair over a SOCK_SEQPACKET socketpair: what one end writes the other
 * reads, message by message (one write = one report). Closing one end makes the
 * other's reads return CDI_T_GONE. */
int cdi_sim_pair(struct cdi_transport **host_end, struct cdi_transport **device_end);

/* Message tags on the pair: data (what read/write carry) or a feature report. */
#define CDI_SIM_TAG_DATA    0
#define CDI_SIM_TAG_FEATURE 1

/* Device end: receives one message of either kind; *TAG gets CDI_SIM_TAG_*. */
int cdi_sim_read_msg(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms, int *tag);
/* Host end: sends a feature report (BUF[0] = report id) to the device end. */
int cdi_sim_send_feature(struct cdi_transport *t, const uint8_t *buf, size_t len);
/* 1 when T is a sim-pair end; its socket (or -1). */
int cdi_sim_is(const struct cdi_transport *t);
int cdi_sim_fd(struct cdi_transport *t);

/* Sends a feature report on any transport that has them (hidraw, libusb HID, sim).
 * BUF[0] = report id (0 when unnumbered). Returns LEN or < 0 (CDI_T_INVALID for a
 * tty). */
int cdi_transport_set_feature(struct cdi_transport *t, const uint8_t *buf, size_t len);

/* File descriptor behind a tty, hidraw or sim transport (for poll), or -1. */
int cdi_transport_fd(struct cdi_transport *t);

#endif
