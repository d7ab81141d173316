/* lockout.h — wrong-try counting per role: five wrong tries lock the role for a
 * growing delay (1 min, then 5 min, then 30 min for every later lock); a success
 * resets everything. Pure: times come from the caller's struct cab_clock. */
#ifndef CABIN_STAFF_LOCKOUT_H
#define CABIN_STAFF_LOCKOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAB_LOCKOUT_TRIES 5 /* wrong tries that trigger a lock */

/* Lock delays in milliseconds by lock count: 1st, 2nd, 3rd and later. */
extern const int64_t cab_lockout_delays_ms[3];

/* State of one role. Times are in the milliseconds of the clock the caller uses. */
struct cab_lockout {
	unsigned failures;       /* wrong tries since the last success or lock end, 0..4 */
	unsigned locks;          /* locks since the last success (escalation level) */
	int64_t locked_until_ms; /* 0 when not locked */
};

/* Milliseconds left on the lock at NOW_MS, 0 when the role may try. When a lock
 * has run out it is cleared here (failures back to 0, the lock count kept). */
int64_t cab_lockout_remaining(struct cab_lockout *lo, int64_t now_ms);

/* Records a wrong try at NOW_MS. Returns the lock delay in ms when this try
 * started a lock, else 0. Must not be called while locked (the caller refuses
 * tries without checking them then). */
int64_t cab_lockout_fail(struct cab_lockout *lo, int64_t now_ms);

/* Records a good try: failures, lock count and lock cleared. */
void cab_lockout_success(struct cab_lockout *lo);

/* Persistence: one line "failures=F locks=L remaining_ms=R\n" where R is the time
 * left on the lock at NOW_MS. A restart therefore never shortens a lock: it
 * resumes with the time left when the state was last written. Returns the
 * number of bytes written (excluding NUL) or -1 when BUF is too small. */
int cab_lockout_format(const struct cab_lockout *lo, int64_t now_ms, char *buf, size_t size);

/* Parses a line written by cab_lockout_format() into LO with the lock re-armed
 * from NOW_MS. Bounds: failures < 5, locks <= 1000, remaining <= 30 min.
 * Returns 0, or -1 (LO reset to zero) on malformed input. */
int cab_lockout_parse(struct cab_lockout *lo, const char *line, int64_t now_ms);

#endif
