/* recovery.h — what the cabin does at start-up about sessions a crash, a kill or a
 * watchdog restart interrupted (docs/store.md, "Interrupted sessions"): each one first
 * delivers what the patient already agreed to send (consent given, readings taken,
 * stills: already sealed in the outbox), then is closed as interrupted (an incident
 * "session-interrupted" and session_close reason "interrupted" for the station) and
 * wiped when the station acknowledges the close. A session the station never heard
 * of (no consent yet) is wiped at once. This is the only crash-recovery path; the
 * application binds it to kiosk/store (kiosk/app/bind_service.c). */
#ifndef CABIN_SERVICE_RECOVERY_H
#define CABIN_SERVICE_RECOVERY_H

#include <stdbool.h>

#include "kiosk/staff/audit_sink.h"

#define CAB_RECOVERY_ID_MAX 64 /* pseudonymous session id, NUL included */
#define CAB_RECOVERY_MAX 16    /* sessions handled per start (the rest on the next) */

/* The store side of recovery. Every callback returns a negative errno on failure. */
struct cab_recovery_store {
	/* The oldest session still open into SID: 0 found, 1 none. */
	int (*find_open)(void *user, char sid[CAB_RECOVERY_ID_MAX]);
	/* Closes SID as interrupted: 1 when its data is being delivered (wiped on the
	 * acknowledgement), 0 when it was wiped at once. Must leave SID not open. */
	int (*interrupt)(void *user, const char *sid);
	void *user;
};

/* What a run did. */
struct cab_recovery_result {
	int delivering; /* sessions closed as interrupted whose data goes to the station */
	int wiped;      /* sessions wiped at once (the station never knew them) */
};

/* Runs recovery at start-up: while an open session is found (at most
 * CAB_RECOVERY_MAX), interrupt it. Audit (role system): "recovery.interrupted"
 * (session=<id> delivering|wiped). RESULT (may be NULL) receives the counts. Stops at
 * the first failure (logged; the next start retries). Returns 0 or that code. */
int cab_recovery_run(const struct cab_recovery_store *store, const struct cab_svc_audit *audit,
                     struct cab_recovery_result *result);

#endif
