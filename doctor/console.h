/* console.h — the doctors' console inside the station (docs/console.md): what the
 * rest of the station tells it (cabins, their messages, acknowledgements) and the
 * lws protocol of the console's WebSocket (subprotocol "cabin-console"). Files:
 *   console_http.c   the page and its assets over HTTPS, stills, the Bundle download
 *   console_ws.c     the console WebSocket: the doctor's session, their actions
 *   console_feed.c   what the cabins say, routed to the queue and the doctor's page
 *   console_queue.c  the waiting queue (pure)
 * Everything runs on the station's service thread. */
#ifndef CABIN_CONSOLE_H
#define CABIN_CONSOLE_H

#include "kiosk/link/message.h"

#include <jansson.h>
#include <libwebsockets.h>

#define CONSOLE_SUBPROTOCOL "cabin-console"
#define CONSOLE_LOCK_S_DEFAULT 600 /* inactivity lock of a console, seconds */

struct cab_station;
struct stn_conn;

/* Sets up the console's state in ST (queue, timers). 0, or -1 out of memory. */
int con_init(struct cab_station *st);
/* Starts the console's 1 s tick (locks, queue broadcasts); after lws is up. */
void con_schedule(struct cab_station *st);
/* Frees the console's state (after the lws context is gone). */
void con_free(struct cab_station *st);

/* --- from the cabin link (station_proto.c / station_conn.c) ---------------------- */
/* Cabin C said hello (HELLO is its message): its open sessions join the queue. */
void con_cabin_hello(struct cab_station *st, struct stn_conn *c, json_t *hello);
/* Cabin C's link closed. */
void con_cabin_gone(struct cab_station *st, struct stn_conn *c);
/* A data message M from C was stored (FRESH 0 for a duplicate). */
void con_cabin_data(struct cab_station *st, struct stn_conn *c, const struct cab_msg *m, int fresh);
/* A control message for the console from C: patient_state or webrtc. */
void con_cabin_control(struct cab_station *st, struct stn_conn *c, const struct cab_msg *m);
/* C acknowledged message ID / refused message REF with DETAIL. */
void con_cabin_ack(struct cab_station *st, struct stn_conn *c, const char *id);
void con_cabin_error(struct cab_station *st, struct stn_conn *c, const char *ref,
                     const char *detail);
/* A still arrived whole (INFO: its metadata, id, camera, body_site, time, request). */
void con_still(struct cab_station *st, const char *session, json_t *info);
/* Sends `ice_servers` {session, ice_servers, policy} to SESSION's cabin and to its
 * doctor's console (the call's TURN credentials). SERVERS is borrowed. 0, or -1 when
 * the session has no connected cabin. */
int con_send_ice_servers(struct cab_station *st, const char *session, json_t *servers,
                         const char *policy);

/* --- lws ------------------------------------------------------------------------ */
/* HTTP on the station's port (protocol 0's LWS_CALLBACK_HTTP): URI is the path. */
int con_http(struct lws *wsi, const char *uri);
/* The console WebSocket's protocol callback. */
int con_ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len);
/* Size of the console connection's per-session data. */
size_t con_conn_size(void);
/* 1 when the peer certificate of WSI is a doctor's (OU=doctor with a valid RPPS). */
int con_peer_is_doctor(struct lws *wsi);

#endif
