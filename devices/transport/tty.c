/* tty.c — serial tty transport (USB-serial adapters, CDC-ACM, pseudo-terminals):
 * raw mode with termios (cfmakeraw), speed and parity set, every read bounded by
 * poll(2). An unplugged adapter (EIO/ENODEV, hang-up) reads as CDI_T_GONE. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/log.h"
#include "devices/internal/transports.h"

struct tty_impl {
	int fd;
};

static int gone_errno(int e)
{
	return e == EIO || e == ENODEV || e == ENXIO || e == EBADF;
}

static int tty_read(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms)
{
	struct tty_impl *im = t->impl;
	if (!buf || !len || timeout_ms < 0)
		return CDI_T_INVALID;
	struct pollfd p = {.fd = im->fd, .events = POLLIN};
	int r;
	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return CDI_T_IO;
	if (r == 0)
		return CDI_T_TIMEOUT;
	if (p.revents & POLLNVAL)
		return CDI_T_GONE;
	ssize_t n = read(im->fd, buf, len);
	if (n > 0)
		return (int)n;
	if (n == 0 || (p.revents & POLLHUP))
		return CDI_T_GONE;
	if (errno == EAGAIN || errno == EINTR)
		return CDI_T_TIMEOUT;
	return gone_errno(errno) ? CDI_T_GONE : CDI_T_IO;
}

static int tty_write(struct cdi_transport *t, const uint8_t *buf, size_t len, int timeout_ms)
{
	struct tty_impl *im = t->impl;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(im->fd, buf + off, len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = {.fd = im->fd, .events = POLLOUT};
			if (poll(&p, 1, timeout_ms) <= 0)
				return CDI_T_TIMEOUT;
			continue;
		}
		return (n < 0 && gone_errno(errno)) ? CDI_T_GONE : CDI_T_IO;
	}
	return (int)len;
}

static void tty_close(struct cdi_transport *t)
{
	if (!t)
		return;
	struct tty_impl *im = t->impl;
	if (im) {
		close(im->fd);
		free(im);
	}
	free(t);
}

static const struct cdi_transport_ops tty_ops = {
	.name = "tty", .read = tty_read, .write = tty_write, .close = tty_close,
};

static speed_t baud_const(unsigned baud)
{
	switch (baud) {
	case 1200: return B1200;
	case 2400: return B2400;
	case 4800: return B4800;
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	case 230400: return B230400;
	default: return 0;
	}
}

int cdi_tty_open(const char *path, const struct cdi_tty_config *cfg, struct cdi_transport **out)
{
	struct termios tio;
	struct tty_impl *im = NULL;
	struct cdi_transport *t = NULL;
	int fd = -1, rc = CDI_T_IO;
	speed_t sp = baud_const(cfg->baud);

	*out = NULL;
	if (!sp)
		return CDI_T_INVALID;
	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		cab_warn("tty", "open %s: %s", path, strerror(errno));
		rc = (errno == ENOENT || errno == ENODEV || errno == ENXIO) ? CDI_T_GONE : CDI_T_IO;
		goto out;
	}
	if (tcgetattr(fd, &tio) < 0) {
		cab_warn("tty", "%s is not a tty: %s", path, strerror(errno));
		goto out;
	}
	cfmakeraw(&tio);
	tio.c_cflag |= CLOCAL | CREAD;
	tio.c_cflag &= ~(tcflag_t)(PARENB | PARODD | CSTOPB | CRTSCTS);
	if (cfg->parity != CDI_PARITY_NONE)
		tio.c_cflag |= PARENB | (cfg->parity == CDI_PARITY_ODD ? PARODD : 0);
	if (cfg->stop_bits == 2)
		tio.c_cflag |= CSTOPB;
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, sp);
	cfsetospeed(&tio, sp);
	if (tcsetattr(fd, TCSANOW, &tio) < 0) {
		cab_warn("tty", "tcsetattr %s: %s", path, strerror(errno));
		goto out;
	}
	tcflush(fd, TCIOFLUSH);
	im = calloc(1, sizeof *im);
	t = calloc(1, sizeof *t);
	if (!im || !t)
		goto out;
	im->fd = fd;
	t->ops = &tty_ops;
	t->impl = im;
	*out = t;
	return CDI_T_OK;
out:
	free(im);
	free(t);
	if (fd >= 0)
		close(fd);
	return rc;
}

int cdi_tty_is(const struct cdi_transport *t)
{
	return t && t->ops == &tty_ops;
}

int cdi_tty_fd(struct cdi_transport *t)
{
	return cdi_tty_is(t) ? ((struct tty_impl *)t->impl)->fd : -1;
}
