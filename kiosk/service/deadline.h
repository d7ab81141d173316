/* deadline.h — how close a date is, for warnings in the service menu: instrument
 * calibration due dates and certificate expiry dates (warned 30 days ahead). Pure. */
#ifndef CABIN_SERVICE_DEADLINE_H
#define CABIN_SERVICE_DEADLINE_H

#include <stdint.h>

#define CAB_WARN_DAYS 30 /* warning window before a deadline, days */
#define CAB_DAY_MS (24LL * 3600 * 1000)

/* State of a deadline at a given time. */
enum cab_deadline_state {
	CAB_DEADLINE_UNKNOWN = 0, /* no date known */
	CAB_DEADLINE_OK,          /* more than the warning window ahead */
	CAB_DEADLINE_SOON,        /* within the warning window: warn */
	CAB_DEADLINE_DUE,         /* reached within the last 24 h: warn */
	CAB_DEADLINE_PAST,        /* passed more than 24 h ago: warn, strongly */
};

/* State of DEADLINE_MS (epoch ms; <= 0 = unknown) at NOW_MS with a warning window
 * of WARN_DAYS days. *DAYS_LEFT (may be NULL) gets whole days left, rounded down,
 * negative once passed. */
enum cab_deadline_state cab_deadline_state(int64_t deadline_ms, int64_t now_ms, int warn_days,
                                           int *days_left);

/* "unknown", "ok", "soon", "due", "past". */
const char *cab_deadline_name(enum cab_deadline_state s);

#endif
