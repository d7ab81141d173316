/* dedupe.h — a reading an instrument reports twice reaches the record once. Why
 * here: an instrument that got an error answer (or no answer) to its report sends the
 * same measurement again (an IEEE 11073-20601 agent repeats a confirmed event report
 * whose answer did not come or was an error; a vendor serial or HID instrument resends
 * its last record after a refused one), so
 * the duplicate is one measurement with the same device time stamp, not two. Only the
 * session knows what it already holds, so the check sits where a reading enters the
 * session (kiosk/app/bind_store.c), before the store and the outbox. Readings without
 * an instrument time stamp (continuous pulse oximetry) are never merged: equal values
 * a second apart are two measurements. Pure, no I/O. */
#ifndef CABIN_APP_DEDUPE_H
#define CABIN_APP_DEDUPE_H

#include <stdbool.h>
#include <stdint.h>

#include "cabin/reading.h"

#define CAB_DEDUPE_KEEP 64 /* fingerprints kept per session (oldest forgotten first) */

/* The readings of one session already taken, as fingerprints. */
struct cab_dedupe {
	uint64_t fp[CAB_DEDUPE_KEEP];
	unsigned n;    /* fingerprints stored so far (wraps at CAB_DEDUPE_KEEP) */
};

/* Forgets everything (a new session). */
void cab_dedupe_reset(struct cab_dedupe *d);

/* True when R is a repeat of a reading already seen in this session: same
 * instrument (kind, model, serial), same MDC code, same value (or kind), same UCUM
 * unit, same instrument time stamp (device_time_ms, which must be given). Otherwise
 * remembers R and returns false. */
bool cab_dedupe_seen(struct cab_dedupe *d, const struct cab_reading *r);

#endif
