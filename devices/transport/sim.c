/* sim.c — the in-process transport pair simulators use (SOCK_SEQPACKET
 * socketpair): one write is one message (one HID report / one APDU), reads are
 * bounded by poll, and a closed peer reads as CDI_T_GONE — which is how a
 * simulator "unplugs" its instrument. Each message carries a one-byte tag so a
 * feature report (mode select) can travel beside data. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "devices/internal/transports.h"

#define SIM_MSG_MAX 4096 /* hard maximum of one message */

struct sim_impl {
	int fd;
};

/* Receives one message: tag into *TAG, payload into BUF. */
static int sim_recv(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms, int *tag)
{
	struct sim_impl *im = t->impl;
	uint8_t msg[SIM_MSG_MAX + 1];
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
	ssize_t n = recv(im->fd, msg, sizeof msg, MSG_DONTWAIT | MSG_TRUNC);
	if (n == 0)
		return CDI_T_GONE;
	if (n < 0)
		return (errno == EAGAIN) ? CDI_T_TIMEOUT : (errno == ECONNRESET ? CDI_T_GONE : CDI_T_IO);
	if ((size_t)n > sizeof msg || (size_t)n - 1 > len)
		return CDI_T_OVERFLOW;
	*tag = msg[0];
	memcpy(buf, msg + 1, (size_t)n - 1);
	return (int)n - 1;
}

static int sim_send(struct cdi_transport *t, const uint8_t *buf, size_t len, int tag)
{
	struct sim_impl *im = t->impl;
	uint8_t msg[SIM_MSG_MAX + 1];
	if (len > SIM_MSG_MAX)
		return CDI_T_INVALID;
	msg[0] = (uint8_t)tag;
	if (len)
		memcpy(msg + 1, buf, len);
	ssize_t n = send(im->fd, msg, len + 1, MSG_NOSIGNAL);
	if (n < 0)
		return (errno == EPIPE || errno == ECONNRESET) ? CDI_T_GONE : CDI_T_IO;
	return (int)len;
}

static int sim_read(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms)
{
	int tag = 0;
	for (;;) {
		int n = sim_recv(t, buf, len, timeout_ms, &tag);
		if (n < 0 || tag == CDI_SIM_TAG_DATA)
			return n;
		/* a feature report reaching a host end is dropped */
	}
}

static int sim_write(struct cdi_transport *t, const uint8_t *buf, size_t len, int timeout_ms)
{
	(void)timeout_ms;
	return sim_send(t, buf, len, CDI_SIM_TAG_DATA);
}

static void sim_close(struct cdi_transport *t)
{
	if (!t)
		return;
	struct sim_impl *im = t->impl;
	if (im) {
		shutdown(im->fd, SHUT_RDWR);
		close(im->fd);
		free(im);
	}
	free(t);
}

static const struct cdi_transport_ops sim_ops = {
	.name = "sim", .read = sim_read, .write = sim_write, .close = sim_close,
	.set_feature = cdi_sim_send_feature,
};

int cdi_sim_read_msg(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms, int *tag)
{
	if (t->ops != &sim_ops)
		return CDI_T_INVALID;
	return sim_recv(t, buf, len, timeout_ms, tag);
}

int cdi_sim_send_feature(struct cdi_transport *t, const uint8_t *buf, size_t len)
{
	if (t->ops != &sim_ops)
		return CDI_T_INVALID;
	return sim_send(t, buf, len, CDI_SIM_TAG_FEATURE);
}

int cdi_sim_is(const struct cdi_transport *t)
{
	return t && t->ops == &sim_ops;
}

int cdi_sim_pair(struct cdi_transport **host_end, struct cdi_transport **device_end)
{
	int sv[2];
	struct cdi_transport *t[2] = {NULL, NULL};
	struct sim_impl *im[2] = {NULL, NULL};
	*host_end = *device_end = NULL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return CDI_T_IO;
	for (int i = 0; i < 2; i++) {
		t[i] = calloc(1, sizeof *t[i]);
		im[i] = calloc(1, sizeof *im[i]);
		if (!t[i] || !im[i])
			goto fail;
		im[i]->fd = sv[i];
		t[i]->ops = &sim_ops;
		t[i]->impl = im[i];
	}
	*host_end = t[0];
	*device_end = t[1];
	return CDI_T_OK;
fail:
	for (int i = 0; i < 2; i++) {
		free(t[i]);
		free(im[i]);
		close(sv[i]);
	}
	return CDI_T_IO;
}

int cdi_sim_fd(struct cdi_transport *t)
{
	return cdi_sim_is(t) ? ((struct sim_impl *)t->impl)->fd : -1;
}
