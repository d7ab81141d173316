/* log_limit.c — see log_limit.h. */
#include "common/log_limit.h"

uint64_t cab_log_limit_flush(struct cab_log_limit *l, int64_t now_ms, int64_t period_ms)
{
	if (!l->start_ms || now_ms - l->start_ms < period_ms)
		return 0;
	uint64_t n = l->counted;
	l->start_ms = 0;
	l->logged = 0;
	l->counted = 0;
	return n;
}

int cab_log_limit_take(struct cab_log_limit *l, int64_t now_ms, int64_t period_ms, int burst,
                       uint64_t *flushed)
{
	*flushed = cab_log_limit_flush(l, now_ms, period_ms);
	if (!l->start_ms)
		l->start_ms = now_ms;
	if (l->logged < burst) {
		l->logged++;
		return 1;
	}
	l->counted++;
	return 0;
}
