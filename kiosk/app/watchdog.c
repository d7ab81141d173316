/* watchdog.c — sd_notify READY/STATUS/WATCHDOG from a healthy main loop (see
 * watchdog.h). */
#include "kiosk/app/watchdog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "log.h"

static int64_t now(const struct cab_watchdog *wd)
{
	return wd->clock.now_ms(wd->clock.user);
}

/* Under cage the service's main process is cage, our parent: systemd set
 * WATCHDOG_PID to its pid, and the unit says NotifyAccess=all so our pings count. */
static int parent_watchdog(uint64_t *usec)
{
	const char *pid = getenv("WATCHDOG_PID"), *us = getenv("WATCHDOG_USEC");
	char *end;
	if (!pid || !us || strtol(pid, &end, 10) != (long)getppid() || *end)
		return 0;
	unsigned long long v = strtoull(us, &end, 10);
	if (*end || v == 0)
		return 0;
	*usec = v;
	return 1;
}

int cab_watchdog_init(struct cab_watchdog *wd, const struct cab_clock *clock)
{
	uint64_t usec = 0;
	int rc;

	memset(wd, 0, sizeof *wd);
	wd->clock = clock ? *clock : cab_clock_system;
	wd->last_tick_ms = now(wd);
	wd->last_ping_ms = -1;
	rc = sd_watchdog_enabled(0, &usec);
	if (rc == 0)
		rc = parent_watchdog(&usec);
	if (rc > 0) {
		wd->interval_ms = (int64_t)(usec / 1000);
		if (wd->interval_ms < 4)
			wd->interval_ms = 4;
		cab_info("service", "watchdog requested every %lld ms", (long long)wd->interval_ms);
		return 1;
	}
	if (rc < 0)
		cab_warn("service", "watchdog environment malformed (%s): ignored", strerror(-rc));
	return rc;
}

void cab_watchdog_set_check(struct cab_watchdog *wd, cab_watchdog_check_fn fn, void *user)
{
	wd->check = fn;
	wd->check_user = user;
}

static void notify(const char *text)
{
	int rc = sd_notify(0, text);
	if (rc < 0)
		cab_warn("service", "sd_notify failed: %s", strerror(-rc));
}

void cab_watchdog_ready(struct cab_watchdog *wd, const char *status)
{
	char msg[256];
	snprintf(msg, sizeof msg, "READY=1\nSTATUS=%s", status ? status : "ready");
	notify(msg);
	wd->last_tick_ms = now(wd);
	if (wd->interval_ms) {
		notify("WATCHDOG=1");
		wd->last_ping_ms = now(wd);
		wd->pings++;
	}
}

void cab_watchdog_status(struct cab_watchdog *wd, const char *status)
{
	char msg[256];
	(void)wd;
	snprintf(msg, sizeof msg, "STATUS=%s", status ? status : "");
	notify(msg);
}

void cab_watchdog_stopping(struct cab_watchdog *wd)
{
	(void)wd;
	notify("STOPPING=1");
}

void cab_watchdog_tick(struct cab_watchdog *wd)
{
	wd->last_tick_ms = now(wd);
}

bool cab_watchdog_healthy(const struct cab_watchdog *wd)
{
	if (!wd->interval_ms)
		return true;
	if (now(wd) - wd->last_tick_ms >= wd->interval_ms / 2)
		return false;
	return !wd->check || wd->check(wd->check_user);
}

int cab_watchdog_service(struct cab_watchdog *wd)
{
	int64_t t = now(wd);
	if (!wd->interval_ms || !cab_watchdog_healthy(wd))
		return 0;
	if (wd->last_ping_ms >= 0 && t - wd->last_ping_ms < wd->interval_ms / 4)
		return 0;
	notify("WATCHDOG=1");
	wd->last_ping_ms = t;
	wd->pings++;
	return 1;
}

int64_t cab_watchdog_due_ms(const struct cab_watchdog *wd)
{
	if (!wd->interval_ms)
		return -1;
	if (wd->last_ping_ms < 0)
		return 0;
	int64_t left = wd->last_ping_ms + wd->interval_ms / 4 - now(wd);
	return left > 0 ? left : 0;
}
