/* clock.h — time sources. Code that decides on time (timeouts, lockouts, backoff)
 * takes a struct cab_clock so tests can inject their own. */
#ifndef CABIN_CLOCK_H
#define CABIN_CLOCK_H

#include <stdint.h>

/* Milliseconds since the Unix epoch (UTC), from CLOCK_REALTIME. */
int64_t cab_wall_ms(void);

/* Milliseconds from an arbitrary origin that never goes back (CLOCK_MONOTONIC). */
int64_t cab_mono_ms(void);

/* An injectable clock: now_ms(user) returns monotonic milliseconds. */
struct cab_clock {
	int64_t (*now_ms)(void *user);
	void *user;
};

/* The real monotonic clock. */
extern const struct cab_clock cab_clock_system;

/* Formats epoch milliseconds as RFC 3339 UTC with milliseconds
 * ("2026-11-29T13:45:00.123Z") into BUF (at least 25 bytes). Returns BUF. */
char *cab_time_rfc3339(int64_t epoch_ms, char *buf, unsigned long size);

#endif
