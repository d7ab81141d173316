/* marker_store.h — a stand-in for kiosk/store in crash recovery, used until the
 * application binds recovery to the real store (docs/service.md): three files in
 * the data directory record an open session and its leftovers, and incidents are
 * queued one per line. Same contract as struct cab_recovery_store. */
#ifndef CABIN_SERVICE_MARKER_STORE_H
#define CABIN_SERVICE_MARKER_STORE_H

#include "kiosk/service/recovery.h"

/* Files in DIR: "session.open" holds the pseudonymous id of the open session;
 * "patient.data" stands for patient data left behind; "incidents" gets one line
 * "<code> <session id>" per queued incident, never twice the same. */
struct cab_marker_store {
	char dir[512];
};

/* Fills S and the recovery interface OUT bound to it, for data directory DIR. */
void cab_marker_store_init(struct cab_marker_store *s, const char *dir,
                           struct cab_recovery_store *out);

/* A session began (ID written to session.open, patient.data created) or closed
 * normally (both removed). Return 0 or -errno. */
int cab_marker_session_open(struct cab_marker_store *s, const char *id);
int cab_marker_session_close(struct cab_marker_store *s);

#endif
