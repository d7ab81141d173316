/* candidate.h — turning a libudev device into a struct cdi_candidate (bus, node,
 * USB ids, interfaces), and parsing a USB configuration descriptor's interfaces. */
#ifndef CABIN_DEVICES_CANDIDATE_H
#define CABIN_DEVICES_CANDIDATE_H

#include <libudev.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/internal/driver.h"

/* Subsystems the manager watches, in this order. */
extern const char *const cdi_watched_subsystems[5];

/* Fills C from D. Returns 0, or -1 when D is not something Cabin considers (a
 * usb_interface, a virtual console tty, a sound node other than controlC*). */
int cdi_candidate_from_udev(struct udev_device *d, struct cdi_candidate *c);

/* Lists the interfaces (alt settings included, up to CDI_MAX_IFACES) of the USB
 * descriptors BUF (LEN: device descriptor then configuration descriptors, as in
 * sysfs "descriptors"; USB 2.0 9.6). Every descriptor length is checked. Returns the
 * count, or -1 for malformed descriptors (a length < 2 or past the end). */
int cdi_usb_parse_interfaces(const uint8_t *buf, size_t len, struct cdi_iface *out, int max);

/* Kind of a sound-card candidate (bus CDI_BUS_SOUND): CAB_KIND_STETHOSCOPE when the
 * USB product or manufacturer string names a stethoscope (any case: "stethoscope",
 * "stéthoscope", "Stethoskop"), else CAB_KIND_UNKNOWN. USB Audio Class terminal
 * types (USB Audio Device Class 1.0 "Terminal Types", 0x0201 microphone...) have no
 * code for a stethoscope, so its name is what tells. Pure. */
enum cab_device_kind cdi_sound_kind(const struct cdi_candidate *c);

#endif
