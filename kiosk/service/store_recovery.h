/* store_recovery.h — crash recovery (recovery.h) bound to kiosk/store. The store
 * itself wipes every session left open when it is opened (outcome crash_recovery)
 * but does not tell the station; this binding finds that session through a marker
 * file holding its store id (written when the session begins, removed when it ends)
 * and queues the incident for the station in the store's outbox, idempotently. A
 * session closing with its hand-off queued is left to the store (not reported). */
#ifndef CABIN_SERVICE_STORE_RECOVERY_H
#define CABIN_SERVICE_STORE_RECOVERY_H

#include "kiosk/service/marker_store.h"
#include "kiosk/service/recovery.h"

struct cab_store;

struct cab_svc_store_recovery {
	struct cab_store *st;
	struct cab_marker_store markers; /* DATA_DIR/session.open holds the store session id */
	struct cab_recovery_store markers_if;
};

/* Sets up R on the opened store ST and data directory DIR; OUT receives the
 * recovery interface for cab_recovery_run() / struct cab_svc_bindings.recovery. */
void cab_svc_store_recovery_init(struct cab_svc_store_recovery *r, struct cab_store *st,
                                 const char *dir, struct cab_recovery_store *out);

/* The app calls these right after cab_store_session_begin() (with its id) and
 * after the session's close or wipe. Return 0 or -errno. */
int cab_svc_store_recovery_begin(struct cab_svc_store_recovery *r, const char *store_sid);
int cab_svc_store_recovery_end(struct cab_svc_store_recovery *r);

#endif
