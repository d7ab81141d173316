/* bind_store.h — the session store (kiosk/store) bound to the patient flow: the
 * session row, consent, identity, readings, incidents and audit rows, and every
 * message for the station written to the outbox (bind_store.c). Main thread. */
#ifndef CABIN_APP_BIND_STORE_H
#define CABIN_APP_BIND_STORE_H

#include <stdint.h>

#include "kiosk/app/bind.h"

struct cab_bind_store;
struct cab_store;

/* A store binding for the cabin A (its flow, view and configuration), without a
 * store yet. Returns NULL when out of memory. */
struct cab_bind_store *cab_bind_store_new(struct cab_app *a);
/* Opens the store from the configuration (data directory, key file). Returns 0, or
 * -1 with the reason in the log (the cabin then runs without one). */
int cab_bind_store_open(struct cab_bind_store *s);
/* The open store, or NULL (handed to the link and the service menu at set-up). */
struct cab_store *cab_bind_store_handle(struct cab_bind_store *s);
/* The current session (read-only, lives as long as S). */
const struct cab_app_session *cab_bind_store_session(const struct cab_bind_store *s);
/* Observer of the flow (cab_flow_add_observer, USER = the binding): session row,
 * consent, identity, outbox, close, wipe. */
void cab_bind_store_on_transition(void *user, const struct cab_flow_transition *t);
/* Stores one reading of the current session and queues it for the station. */
void cab_bind_store_reading(struct cab_bind_store *s, const struct cab_reading *r);
/* Records an incident of the current session (or of the cabin when none) and
 * queues it for the station when a session is open there. */
void cab_bind_store_incident(struct cab_bind_store *s, const char *kind, int64_t start_ms,
                             int64_t end_ms, const char *detail);
/* The pharmacist checked the patient's identity document DOCUMENT ("CN", "PA", "CS"):
 * the identity is queued again with patient.verified (cab_out_identity_verified).
 * Returns 0, or -1 when no identity was sent in an open session. */
int cab_bind_store_identity_checked(struct cab_bind_store *s, const char *document);
/* Audit row from the cabin (no personal data); ACTOR: enum cab_audit_actor. */
void cab_bind_store_audit(struct cab_bind_store *s, int actor, const char *action, const char *detail);
/* Queues BODY (a data message of TYPE whose "id" is ID, malloc'd; taken and wiped)
 * for the station in the open session (PERSONAL = 1: encrypted, dropped by the
 * wipe if unsent). Returns 0, or -1 when no session is open for the station (BODY
 * is dropped). */
int cab_bind_store_data(struct cab_bind_store *s, const char *type, char *body, const char *id,
                        int personal);
/* Closes the store (audit "cabin_stop") and frees S. NULL is a no-op. */
void cab_bind_store_free(struct cab_bind_store *s);

#endif
