/* common.c — operations that dispatch on the transport kind: feature reports and
 * the file descriptor behind a transport. */
#include "devices/internal/transports.h"

int cdi_transport_set_feature(struct cdi_transport *t, const uint8_t *buf, size_t len)
{
	if (!t || !t->ops->set_feature)
		return CDI_T_INVALID;
	return t->ops->set_feature(t, buf, len);
}

int cdi_transport_fd(struct cdi_transport *t)
{
	int fd = cdi_hidraw_fd(t);
	if (fd < 0)
		fd = cdi_sim_fd(t);
	if (fd < 0)
		fd = cdi_tty_fd(t);
	return fd;
}
