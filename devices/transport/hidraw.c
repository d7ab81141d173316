/* hidraw.c — Linux hidraw transport: reports written and read on /dev/hidrawN,
 * HIDIOCGRAWINFO for the ids, HIDIOCSFEATURE for feature reports. Reads are
 * bounded: poll in short slices, retried until the timeout (the fd may be an
 * emulated one that never signals readiness). ENODEV reads as CDI_T_GONE. */
#include <errno.h>
#include <fcntl.h>
#include <linux/hidraw.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "devices/internal/transports.h"

#define HIDRAW_REPORT_MAX 4096 /* hidraw's own maximum report size */

struct hidraw_impl {
	int fd;
};

static int hid_gone(int e)
{
	return e == ENODEV || e == EIO || e == ENXIO || e == EBADF || e == EPIPE;
}

static int hidraw_read(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms)
{
	struct hidraw_impl *im = t->impl;
	if (!buf || !len || timeout_ms < 0)
		return CDI_T_INVALID;
	int64_t deadline = cab_mono_ms() + timeout_ms;
	for (;;) {
		ssize_t n = read(im->fd, buf, len);
		if (n > 0)
			return (int)n;
		if (n == 0)
			return CDI_T_GONE;
		if (errno != EAGAIN && errno != EINTR)
			return hid_gone(errno) ? CDI_T_GONE : CDI_T_IO;
		int64_t left = deadline - cab_mono_ms();
		if (left <= 0)
			return CDI_T_TIMEOUT;
		struct pollfd p = {.fd = im->fd, .events = POLLIN};
		if (poll(&p, 1, left < 5 ? (int)left : 5) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) &&
		    !(p.revents & POLLIN))
			return CDI_T_GONE;
	}
}

static int hidraw_write(struct cdi_transport *t, const uint8_t *buf, size_t len, int timeout_ms)
{
	struct hidraw_impl *im = t->impl;
	(void)timeout_ms;
	if (!len || len > HIDRAW_REPORT_MAX)
		return CDI_T_INVALID;
	ssize_t n;
	do
		n = write(im->fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return hid_gone(errno) ? CDI_T_GONE : CDI_T_IO;
	return (int)n;
}

static void hidraw_close(struct cdi_transport *t)
{
	if (!t)
		return;
	struct hidraw_impl *im = t->impl;
	if (im) {
		close(im->fd);
		free(im);
	}
	free(t);
}

static const struct cdi_transport_ops hidraw_ops = {
	.name = "hidraw", .read = hidraw_read, .write = hidraw_write, .close = hidraw_close,
	.set_feature = cdi_hidraw_set_feature,
};

int cdi_hidraw_open(const char *path, uint16_t *info_vid, uint16_t *info_pid,
                    struct cdi_transport **out)
{
	struct hidraw_impl *im = NULL;
	struct cdi_transport *t = NULL;
	int rc = CDI_T_IO;
	*out = NULL;
	int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		cab_warn("hidraw", "open %s: %s", path, strerror(errno));
		return (errno == ENOENT || errno == ENODEV) ? CDI_T_GONE : CDI_T_IO;
	}
	if (info_vid || info_pid) {
		struct hidraw_devinfo info;
		memset(&info, 0, sizeof info);
		if (ioctl(fd, HIDIOCGRAWINFO, &info) < 0) {
			cab_warn("hidraw", "HIDIOCGRAWINFO %s: %s", path, strerror(errno));
			goto out;
		}
		if (info_vid)
			*info_vid = (uint16_t)info.vendor;
		if (info_pid)
			*info_pid = (uint16_t)info.product;
	}
	im = calloc(1, sizeof *im);
	t = calloc(1, sizeof *t);
	if (!im || !t)
		goto out;
	im->fd = fd;
	t->ops = &hidraw_ops;
	t->impl = im;
	*out = t;
	return CDI_T_OK;
out:
	free(im);
	free(t);
	close(fd);
	return rc;
}

int cdi_hidraw_is(const struct cdi_transport *t)
{
	return t && t->ops == &hidraw_ops;
}

int cdi_hidraw_set_feature(struct cdi_transport *t, const uint8_t *buf, size_t len)
{
	if (!cdi_hidraw_is(t) || !len || len > HIDRAW_REPORT_MAX)
		return CDI_T_INVALID;
	struct hidraw_impl *im = t->impl;
	uint8_t tmp[HIDRAW_REPORT_MAX];
	memcpy(tmp, buf, len);
	if (ioctl(im->fd, HIDIOCSFEATURE(len), tmp) < 0)
		return hid_gone(errno) ? CDI_T_GONE : CDI_T_IO;
	return (int)len;
}

int cdi_hidraw_fd(struct cdi_transport *t)
{
	return cdi_hidraw_is(t) ? ((struct hidraw_impl *)t->impl)->fd : -1;
}
