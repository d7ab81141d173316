/* usb.c — libusb-1.0 transport: bulk IN/OUT (PHDC, vendor) or HID reports (output
 * by control SET_REPORT, input from the interrupt IN endpoint). Each transport has
 * its own libusb context and uses synchronous transfers with a timeout, so a
 * driver thread never waits longer than it asked. LIBUSB_ERROR_NO_DEVICE reads as
 * CDI_T_GONE. Endpoints are found from the interface descriptor when not given. */
#include <libusb-1.0/libusb.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "devices/internal/driver.h"
#include "devices/internal/transports.h"

#define USB_EXTRA_MAX 512 /* hard maximum of class descriptor bytes kept */

struct usb_impl {
	libusb_context *ctx;
	libusb_device_handle *h;
	struct cdi_usb_config cfg;
	int claimed;
	uint8_t extra[USB_EXTRA_MAX];
	size_t extra_len;   /* bytes kept */
	size_t extra_total; /* bytes the descriptor had */
};

static int map_err(int r)
{
	switch (r) {
	case LIBUSB_ERROR_TIMEOUT: return CDI_T_TIMEOUT;
	case LIBUSB_ERROR_NO_DEVICE: return CDI_T_GONE;
	case LIBUSB_ERROR_OVERFLOW: return CDI_T_OVERFLOW;
	case LIBUSB_ERROR_INVALID_PARAM: return CDI_T_INVALID;
	default: return CDI_T_IO;
	}
}

static int xfer(struct usb_impl *im, uint8_t ep, uint8_t *buf, size_t len, int timeout_ms, int intr)
{
	int done = 0, r;
	if (!ep || len > 0x7FFFFFFF)
		return CDI_T_INVALID;
	if (intr)
		r = libusb_interrupt_transfer(im->h, ep, buf, (int)len, &done, (unsigned)timeout_ms);
	else
		r = libusb_bulk_transfer(im->h, ep, buf, (int)len, &done, (unsigned)timeout_ms);
	if (r == 0 || (r == LIBUSB_ERROR_TIMEOUT && done > 0))
		return done > 0 ? done : ((ep & 0x80) ? CDI_T_TIMEOUT : 0);
	return map_err(r);
}

static int usb_read(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms)
{
	struct usb_impl *im = t->impl;
	if (!buf || !len || timeout_ms < 0)
		return CDI_T_INVALID;
	if (im->cfg.mode == CDI_USB_HID || !im->cfg.ep_in)
		return xfer(im, im->cfg.ep_intr, buf, len, timeout_ms, 1);
	return xfer(im, im->cfg.ep_in, buf, len, timeout_ms, 0);
}

static int usb_write(struct cdi_transport *t, const uint8_t *buf, size_t len, int timeout_ms)
{
	struct usb_impl *im = t->impl;
	if (len > 0xFFFF)
		return CDI_T_INVALID;
	if (im->cfg.mode == CDI_USB_HID) {
		/* HID 1.11 7.2.2 SET_REPORT: bmRequestType 0x21, bRequest 0x09,
		 * wValue = report type (2 = Output) << 8 | report id (0), wIndex = interface */
		int r = libusb_control_transfer(im->h, 0x21, 0x09, 0x0200, (uint16_t)im->cfg.iface,
		                                (uint8_t *)buf, (uint16_t)len, (unsigned)timeout_ms);
		return r < 0 ? map_err(r) : r;
	}
	int r = xfer(im, im->cfg.ep_out, (uint8_t *)buf, len, timeout_ms, 0);
	return r;
}

static void usb_close(struct cdi_transport *t)
{
	if (!t)
		return;
	struct usb_impl *im = t->impl;
	if (im) {
		if (im->h && im->claimed)
			libusb_release_interface(im->h, im->cfg.iface);
		if (im->h)
			libusb_close(im->h);
		if (im->ctx)
			libusb_exit(im->ctx);
		free(im);
	}
	free(t);
}

static const struct cdi_transport_ops usb_ops = {
	.name = "libusb", .read = usb_read, .write = usb_write, .close = usb_close,
	.set_feature = cdi_usb_set_feature,
};

/* Fills endpoints left 0 and the extra bytes from the interface's alt setting 0. */
static void scan_interface(struct usb_impl *im, libusb_device *dev)
{
	struct libusb_config_descriptor *cfg = NULL;
	if (libusb_get_active_config_descriptor(dev, &cfg) < 0 || !cfg)
		return;
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface *itf = &cfg->interface[i];
		if (itf->num_altsetting < 1)
			continue;
		const struct libusb_interface_descriptor *alt = &itf->altsetting[0];
		if (alt->bInterfaceNumber != im->cfg.iface)
			continue;
		im->extra_total = alt->extra_length > 0 ? (size_t)alt->extra_length : 0;
		im->extra_len = im->extra_total < USB_EXTRA_MAX ? im->extra_total : USB_EXTRA_MAX;
		if (im->extra_len)
			memcpy(im->extra, alt->extra, im->extra_len);
		for (int e = 0; e < alt->bNumEndpoints; e++) {
			const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];
			int type = ep->bmAttributes & 3, in = ep->bEndpointAddress & 0x80;
			if (type == LIBUSB_TRANSFER_TYPE_BULK && in && !im->cfg.ep_in)
				im->cfg.ep_in = ep->bEndpointAddress;
			else if (type == LIBUSB_TRANSFER_TYPE_BULK && !in && !im->cfg.ep_out)
				im->cfg.ep_out = ep->bEndpointAddress;
			else if (type == LIBUSB_TRANSFER_TYPE_INTERRUPT && in && !im->cfg.ep_intr)
				im->cfg.ep_intr = ep->bEndpointAddress;
		}
	}
	libusb_free_config_descriptor(cfg);
}

int cdi_usb_open(const struct cdi_candidate *c, const struct cdi_usb_config *cfg,
                 struct cdi_transport **out)
{
	struct usb_impl *im = calloc(1, sizeof *im);
	struct cdi_transport *t = calloc(1, sizeof *t);
	libusb_device **list = NULL;
	int rc = CDI_T_IO, r;

	*out = NULL;
	if (!im || !t)
		goto fail;
	im->cfg = *cfg;
	if ((r = libusb_init(&im->ctx)) < 0) {
		cab_warn("usb", "libusb_init: %s", libusb_error_name(r));
		im->ctx = NULL;
		goto fail;
	}
	ssize_t n = libusb_get_device_list(im->ctx, &list);
	libusb_device *found = NULL;
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor d;
		if (libusb_get_device_descriptor(list[i], &d) < 0)
			continue;
		if (c->busnum && (libusb_get_bus_number(list[i]) != c->busnum ||
		                  libusb_get_device_address(list[i]) != c->devnum))
			continue;
		if ((c->vid && d.idVendor != c->vid) || (c->pid && d.idProduct != c->pid))
			continue;
		found = list[i];
		break;
	}
	if (!found) {
		cab_warn("usb", "device %04x:%04x at %u/%u not found", c->vid, c->pid, c->busnum, c->devnum);
		rc = CDI_T_GONE;
		goto fail;
	}
	if ((r = libusb_open(found, &im->h)) < 0) {
		cab_warn("usb", "open %04x:%04x: %s", c->vid, c->pid, libusb_error_name(r));
		im->h = NULL;
		rc = map_err(r);
		goto fail;
	}
	scan_interface(im, found);
	libusb_free_device_list(list, 1);
	list = NULL;
	if (cfg->detach_kernel)
		libusb_set_auto_detach_kernel_driver(im->h, 1);
	if ((r = libusb_claim_interface(im->h, cfg->iface)) < 0) {
		cab_warn("usb", "claim interface %d: %s", cfg->iface, libusb_error_name(r));
		rc = map_err(r);
		goto fail;
	}
	im->claimed = 1;
	t->ops = &usb_ops;
	t->impl = im;
	*out = t;
	return CDI_T_OK;
fail:
	if (list)
		libusb_free_device_list(list, 1);
	if (im) {
		if (im->h)
			libusb_close(im->h);
		if (im->ctx)
			libusb_exit(im->ctx);
	}
	free(im);
	free(t);
	return rc;
}

int cdi_usb_is(const struct cdi_transport *t)
{
	return t && t->ops == &usb_ops;
}

int cdi_usb_control(struct cdi_transport *t, uint8_t bm_request_type, uint8_t b_request,
                    uint16_t w_value, uint16_t w_index, uint8_t *data, uint16_t len,
                    int timeout_ms)
{
	if (!cdi_usb_is(t))
		return CDI_T_INVALID;
	struct usb_impl *im = t->impl;
	int r = libusb_control_transfer(im->h, bm_request_type, b_request, w_value, w_index, data,
	                                len, (unsigned)timeout_ms);
	return r < 0 ? map_err(r) : r;
}

int cdi_usb_iface_extra(struct cdi_transport *t, uint8_t *buf, size_t len)
{
	if (!cdi_usb_is(t))
		return CDI_T_INVALID;
	struct usb_impl *im = t->impl;
	size_t k = len < im->extra_len ? len : im->extra_len;
	if (k)
		memcpy(buf, im->extra, k);
	return (int)im->extra_total;
}

void cdi_usb_endpoints(struct cdi_transport *t, uint8_t *ep_in, uint8_t *ep_out, uint8_t *ep_intr)
{
	struct usb_impl *im = cdi_usb_is(t) ? t->impl : NULL;
	if (ep_in)
		*ep_in = im ? im->cfg.ep_in : 0;
	if (ep_out)
		*ep_out = im ? im->cfg.ep_out : 0;
	if (ep_intr)
		*ep_intr = im ? im->cfg.ep_intr : 0;
}

int cdi_usb_read_interrupt(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms)
{
	if (!cdi_usb_is(t) || !buf || !len || timeout_ms < 0)
		return CDI_T_INVALID;
	struct usb_impl *im = t->impl;
	return xfer(im, im->cfg.ep_intr, buf, len, timeout_ms, 1);
}

int cdi_usb_set_feature(struct cdi_transport *t, const uint8_t *buf, size_t len)
{
	if (!cdi_usb_is(t) || !len || len > 0xFFFF)
		return CDI_T_INVALID;
	struct usb_impl *im = t->impl;
	/* SET_REPORT, report type 3 (Feature); report id 0 is not sent on the wire */
	const uint8_t *data = buf[0] ? buf : buf + 1;
	uint16_t n = (uint16_t)(buf[0] ? len : len - 1);
	int r = libusb_control_transfer(im->h, 0x21, 0x09, (uint16_t)(0x0300 | buf[0]),
	                                (uint16_t)im->cfg.iface, (uint8_t *)data, n, 1000);
	return r < 0 ? map_err(r) : (int)len;
}
