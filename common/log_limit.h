/* log_limit.h — rate limit for repeated warnings, so that one misbehaving peer cannot
 * flood the log: the first BURST events of a period are logged one by one, the rest
 * are only counted, and when the period is over the caller logs one summary line
 * ("... 18230 more in 15 s"). Pure: the caller passes the time. */
#ifndef CABIN_LOG_LIMIT_H
#define CABIN_LOG_LIMIT_H

#include <stdint.h>

/* One stream of warnings (per peer, per kind). Zero-initialised = no period open. */
struct cab_log_limit {
	int64_t start_ms; /* start of the current period, monotonic ms; 0: none */
	int logged;       /* events logged one by one in the period */
	uint64_t counted; /* events only counted in the period */
};

/* An event at NOW_MS (monotonic ms, > 0) for the period PERIOD_MS (> 0) and BURST
 * (>= 0) events logged per period. Returns 1 when this event is to be logged, 0 when
 * it is only counted. When the previous period is over and counted events, *FLUSHED
 * gets their number (the caller logs the summary first), else 0. */
int cab_log_limit_take(struct cab_log_limit *l, int64_t now_ms, int64_t period_ms, int burst,
                       uint64_t *flushed);

/* Without an event: when the period is over, returns the events only counted in it
 * (to summarise; 0: nothing to say) and closes it. */
uint64_t cab_log_limit_flush(struct cab_log_limit *l, int64_t now_ms, int64_t period_ms);

#endif
