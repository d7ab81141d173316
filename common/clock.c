/* clock.c — wall and monotonic clocks, RFC 3339 formatting (see clock.h). */
#include "clock.h"

#include <stdio.h>
#include <time.h>

int64_t cab_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t cab_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t system_now(void *user)
{
	(void)user;
	return cab_mono_ms();
}

const struct cab_clock cab_clock_system = {system_now, NULL};

char *cab_time_rfc3339(int64_t epoch_ms, char *buf, unsigned long size)
{
	time_t s = (time_t)(epoch_ms / 1000);
	int ms = (int)(epoch_ms % 1000);
	struct tm tm;
	if (ms < 0) {
		ms += 1000;
		s -= 1;
	}
	gmtime_r(&s, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
	return buf;
}
