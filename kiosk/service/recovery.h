/* recovery.h — what the cabin does at start-up about a session a crash, a kill or
 * a watchdog restart interrupted: abort it, wipe what it left and queue an
 * incident for the station, then show the attract screen. The decision is pure
 * (cab_recovery_decide); cab_recovery_run carries it out through a small store
 * interface the application binds to kiosk/store (docs/service.md, "Crash recovery"). */
#ifndef CABIN_SERVICE_RECOVERY_H
#define CABIN_SERVICE_RECOVERY_H

#include <stdbool.h>

#include "kiosk/staff/audit_sink.h"

#define CAB_RECOVERY_ID_MAX 64 /* pseudonymous session id, NUL included */

/* What the store knows at start-up, before any screen shows. */
struct cab_recovery_facts {
	bool session_open;                    /* a session was started and never closed */
	bool handoff_acked;                   /* the station acknowledged its hand-off record */
	bool patient_data_left;               /* identity, consent or readings still stored */
	char session_id[CAB_RECOVERY_ID_MAX]; /* pseudonymous id of that session, or "" */
};

/* The plan, in the order it is carried out. */
struct cab_recovery_plan {
	bool queue_incident;  /* 1. outbox an incident for the station (no personal data) */
	bool abort_session;   /* 2. mark the session aborted (state "interrupted") */
	bool wipe;            /* 3. erase the patient data it left */
	const char *incident; /* incident code: "session-interrupted", or NULL */
};

/* Decides from FACTS. Rules: an open session whose hand-off record was not
 * acknowledged was interrupted: incident "session-interrupted", abort, wipe. An
 * open session whose hand-off was acknowledged only missed its closing wipe:
 * abort (close) and wipe, no incident (the station has the record). No open
 * session but patient data left (a wipe cut short): wipe. Nothing open, nothing
 * left: nothing to do. Pure. */
struct cab_recovery_plan cab_recovery_decide(const struct cab_recovery_facts *facts);

/* The store side of recovery, bound by the application to kiosk/store. Every
 * callback returns 0 or a negative errno; each must be idempotent (recovery may
 * itself be interrupted and run again on the next start): the incident is keyed
 * by the session id so the outbox keeps one. */
struct cab_recovery_store {
	int (*inspect)(void *user, struct cab_recovery_facts *out);
	int (*queue_incident)(void *user, const char *session_id, const char *incident);
	int (*abort_session)(void *user, const char *session_id);
	int (*wipe)(void *user, const char *session_id);
	void *user;
};

/* Runs recovery at start-up: inspect, decide, then incident, abort, wipe in that
 * order, stopping at the first failure (logged; the next start retries). Audit
 * (role system): "recovery.interrupted" (session=<id>), "recovery.wiped".
 * PLAN (may be NULL) receives the plan. Returns 0, or the failing callback's code. */
int cab_recovery_run(const struct cab_recovery_store *store, const struct cab_svc_audit *audit,
                     struct cab_recovery_plan *plan);

#endif
