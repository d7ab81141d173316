/* cleaning.h — "cleaning in progress" between two patients: after each session
 * the cabin waits until the pharmacist confirms with the PIN that the cabin and
 * the instruments were cleaned, or until a configured maximum time passes (logged
 * as skipped). Both outcomes go to the audit log. No drawing here. */
#ifndef CABIN_STAFF_CLEANING_H
#define CABIN_STAFF_CLEANING_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/staff/credentials.h"

#define CAB_CLEANING_DEFAULT_MAX_MS (15 * 60 * 1000) /* default maximum wait: 15 min */

/* The cleaning wait. */
struct cab_cleaning {
	bool active;         /* the "cleaning in progress" screen is up */
	int64_t started_ms;  /* clock ms when the session ended */
	int64_t max_ms;      /* maximum wait; 0 = wait for the PIN however long */
	char session_id[64]; /* pseudonymous id of the session just ended */
	struct cab_creds *creds;
	struct cab_clock clock;
	struct cab_svc_audit audit;
};

/* Sets up C (inactive). MAX_MS < 0 = CAB_CLEANING_DEFAULT_MAX_MS. CLOCK, AUDIT NULL =
 * those of CREDS. */
void cab_cleaning_init(struct cab_cleaning *c, struct cab_creds *creds, int64_t max_ms,
                       const struct cab_clock *clock, const struct cab_svc_audit *audit);

/* A session ended: show "cleaning in progress" ("cleaning.started", system). */
void cab_cleaning_start(struct cab_cleaning *c, const char *session_id);

/* The pharmacist confirms with PIN: CAB_AUTH_OK ends the wait ("cleaning.confirmed"
 * with after_s=); other results leave it up (lockout applies). */
enum cab_auth_result cab_cleaning_confirm(struct cab_cleaning *c, const char *pin,
                                          int64_t *wait_ms);

/* Call from the main loop: ends the wait when the maximum time passed
 * ("cleaning.skipped", system, after_s=). Returns true when it ended now. */
bool cab_cleaning_poll(struct cab_cleaning *c);

/* Seconds the screen has been up (for its "waiting for N min" line). */
int64_t cab_cleaning_elapsed_s(const struct cab_cleaning *c);

#endif
