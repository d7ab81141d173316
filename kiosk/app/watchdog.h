/* watchdog.h — the systemd service-manager protocol from the main loop: READY=1 once
 * the first screen shows, STATUS= lines, and WATCHDOG=1 pings sent only while the
 * loop is healthy (its last iteration younger than half of WatchdogSec), so that
 * a hung loop makes the manager (systemd, or tests/helpers/supervisor) restart
 * the cabin. sd_notify(3), sd_watchdog_enabled(3); docs/service.md. */
#ifndef CABIN_APP_WATCHDOG_H
#define CABIN_APP_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"

/* Extra health condition (e.g. "the event queue is draining"); true = healthy. */
typedef bool (*cab_watchdog_check_fn)(void *user);

/* Watchdog state, owned by the main loop's thread. */
struct cab_watchdog {
	struct cab_clock clock;      /* monotonic ms */
	int64_t interval_ms;         /* WatchdogSec in ms; 0 = no watchdog requested */
	int64_t last_tick_ms;        /* start of the last loop iteration */
	int64_t last_ping_ms;        /* last WATCHDOG=1 sent, -1 = never */
	cab_watchdog_check_fn check; /* optional extra condition */
	void *check_user;
	unsigned long pings; /* WATCHDOG=1 sent so far */
};

/* Reads WATCHDOG_USEC/WATCHDOG_PID through sd_watchdog_enabled(); also accepts a
 * WATCHDOG_PID naming our parent (the cage compositor, main process of the unit
 * cabin.service, which sets NotifyAccess=all). CLOCK NULL =
 * cab_clock_system. Returns 1 when a watchdog is requested, 0 when not, -errno
 * when the environment is malformed (then behaves as 0). */
int cab_watchdog_init(struct cab_watchdog *wd, const struct cab_clock *clock);

/* Installs an extra health condition (NULL removes it). */
void cab_watchdog_set_check(struct cab_watchdog *wd, cab_watchdog_check_fn fn, void *user);

/* Tells the manager the cabin is up: "READY=1\nSTATUS=<status>" and a first
 * WATCHDOG=1. A no-op outside a manager (no NOTIFY_SOCKET). */
void cab_watchdog_ready(struct cab_watchdog *wd, const char *status);

/* Sends "STATUS=<text>" (no personal data: e.g. "attract", "session running"). */
void cab_watchdog_status(struct cab_watchdog *wd, const char *status);

/* Sends "STOPPING=1" before a clean exit. */
void cab_watchdog_stopping(struct cab_watchdog *wd);

/* Marks the start of a main-loop iteration. */
void cab_watchdog_tick(struct cab_watchdog *wd);

/* True when the last tick is younger than interval/2 and the extra condition (if
 * any) holds. Always true without a watchdog. */
bool cab_watchdog_healthy(const struct cab_watchdog *wd);

/* Called once per loop iteration after the work: sends WATCHDOG=1 when a watchdog
 * is requested, the loop is healthy and a quarter interval has passed since the
 * last ping. Returns 1 when it pinged, 0 otherwise. */
int cab_watchdog_service(struct cab_watchdog *wd);

/* Milliseconds until cab_watchdog_service() next has something to do (for the
 * loop's wait timeout); -1 when no watchdog is requested. */
int64_t cab_watchdog_due_ms(const struct cab_watchdog *wd);

#endif
