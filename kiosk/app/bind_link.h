/* bind_link.h — the doctor link (kiosk/link) bound to the main thread: started on
 * the store's outbox, its callbacks posted to the event queue, the link's state
 * shown, its loss recorded, and the doctor and the doctor's requests handed on as
 * effects (bind_link.c). Main thread unless said. */
#ifndef CABIN_APP_BIND_LINK_H
#define CABIN_APP_BIND_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/app/bind.h"

struct cab_bind_link;
struct cab_store;
struct cab_link;

/* Starts the link of the cabin A (its configuration) on STORE's outbox (a handle of
 * its own, for the link thread), for the session SES (read-only). Returns the
 * binding (its link NULL when it could not start: logged and, for a bad
 * configuration, an incident), or NULL when out of memory. */
struct cab_bind_link *cab_bind_link_start(struct cab_app *a, struct cab_store *store,
                                          const struct cab_app_session *ses);
/* A link event from the queue: status, doctor, request, round trip. */
void cab_bind_link_event(struct cab_bind_link *l, const struct cab_linkev *ev);
/* Something is waiting in the outbox: the link thread sends it. */
void cab_bind_link_wake(struct cab_bind_link *l);
/* A session began: its link-loss time is reset. */
void cab_bind_link_session(struct cab_bind_link *l);
/* The call ended (hand-off record queued): a loss of the link still open is
 * recorded as an incident "link-lost". */
void cab_bind_link_call_closed(struct cab_bind_link *l);
/* The link exists (a station is configured) / is connected now. NULL: false. */
bool cab_bind_link_configured(const struct cab_bind_link *l);
bool cab_bind_link_up(const struct cab_bind_link *l);
/* The call's peer (any thread): sends SIGNAL_JSON (a `webrtc` message's `signal`)
 * for SESSION. Returns 0, or -1 when there is no link or it is down. */
int cab_bind_link_send_signal(struct cab_bind_link *l, const char *session, const char *signal_json);
/* Tests only (the test hook): sends TEXT as one text message, no outbox. 0, or -1. */
int cab_bind_link_send_raw(struct cab_bind_link *l, const char *text, size_t len);
/* Sends the waiting patient's state (link-protocol.md "patient_state": ready, the
 * instrument kinds measuring now, from V's tiles) when it changed since the last one
 * sent in the open session. NULL-safe. */
void cab_bind_link_patient_state(struct cab_bind_link *l, const struct cab_view *v);
/* Stops the link thread, closes its store handle and frees L. NULL is a no-op. */
void cab_bind_link_stop(struct cab_bind_link *l);

#endif
