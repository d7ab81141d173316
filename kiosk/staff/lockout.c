/* lockout.c — escalating lockout after wrong tries (see lockout.h). */
#include "kiosk/staff/lockout.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const int64_t cab_lockout_delays_ms[3] = {60 * 1000, 5 * 60 * 1000, 30 * 60 * 1000};

int64_t cab_lockout_remaining(struct cab_lockout *lo, int64_t now_ms)
{
	if (!lo->locked_until_ms)
		return 0;
	if (now_ms < lo->locked_until_ms)
		return lo->locked_until_ms - now_ms;
	lo->locked_until_ms = 0;
	lo->failures = 0;
	return 0;
}

int64_t cab_lockout_fail(struct cab_lockout *lo, int64_t now_ms)
{
	if (++lo->failures < CAB_LOCKOUT_TRIES)
		return 0;
	unsigned level = lo->locks < 2 ? lo->locks : 2;
	int64_t delay = cab_lockout_delays_ms[level];
	lo->failures = 0;
	if (lo->locks < 1000)
		lo->locks++;
	lo->locked_until_ms = now_ms + delay;
	if (lo->locked_until_ms == 0) /* 0 means "not locked" */
		lo->locked_until_ms = 1;
	return delay;
}

void cab_lockout_success(struct cab_lockout *lo)
{
	memset(lo, 0, sizeof *lo);
}

int cab_lockout_format(const struct cab_lockout *lo, int64_t now_ms, char *buf, size_t size)
{
	int64_t left =
	    lo->locked_until_ms && lo->locked_until_ms > now_ms ? lo->locked_until_ms - now_ms : 0;
	int n = snprintf(buf, size, "failures=%u locks=%u remaining_ms=%" PRId64 "\n", lo->failures,
	                 lo->locks, left);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

int cab_lockout_parse(struct cab_lockout *lo, const char *line, int64_t now_ms)
{
	unsigned f, l;
	long long r;
	int used = 0;
	memset(lo, 0, sizeof *lo);
	if (sscanf(line, "failures=%u locks=%u remaining_ms=%lld%n", &f, &l, &r, &used) != 3)
		return -1;
	if (line[used] != '\0' && line[used] != '\n')
		return -1;
	if (f >= CAB_LOCKOUT_TRIES || l > 1000 || r < 0 || r > cab_lockout_delays_ms[2])
		return -1;
	lo->failures = f;
	lo->locks = l;
	lo->locked_until_ms = r ? now_ms + r : 0;
	return 0;
}
