/* pty.c — the serial simulators' pseudo-terminal (see pty.h). */
#include "devices/sim/pty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/log.h"

int cdi_sim_pty_open(const char *who, char *path, size_t size)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, path, size) != 0) {
		cab_err("sim", "%s: pseudo-terminal: %s", who, strerror(errno));
		if (m >= 0)
			close(m);
		return -1;
	}
	struct termios t;
	if (tcgetattr(m, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(m, TCSANOW, &t);
	}
	return m;
}

void cdi_sim_pty_candidate(struct cdi_candidate *c, const char *path, const char *name,
                           const char *manufacturer, const char *product, int kind)
{
	memset(c, 0, sizeof *c);
	c->bus = CDI_BUS_SIM;
	snprintf(c->syspath, sizeof c->syspath, "sim:%s", name);
	snprintf(c->devnode, sizeof c->devnode, "%s", path);
	snprintf(c->sim_name, sizeof c->sim_name, "%s", name);
	snprintf(c->manufacturer, sizeof c->manufacturer, "%s", manufacturer);
	snprintf(c->product, sizeof c->product, "%s", product);
	c->simulated = 1;
	c->sim_kind = kind;
	c->iface = -1;
}
