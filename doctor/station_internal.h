/* station_internal.h — what the station's own files share (station.h is the public
 * side). One concern a file:
 *   station.c         the engine's life: create, run, stop, free; the command queue;
 *                     events to the caller
 *   station_conn.c    connections: TLS hooks, the cabin-link WebSocket, output queues
 *   station_proto.c   the link protocol's station side (docs/link-protocol.md)
 *   station_record.c  the hand-off record (FHIR Bundle) of a closed session
 *   station_cmd.c     the doctor's commands (a table of verbs)
 *   station_deliver.c the records' delivery to the platform's FHIR server
 * Threading: everything here runs on the station's service thread (cab_station_run),
 * except cab_station_command, which takes `mu`. The call's media never pass here
 * (WebRTC, docs/webrtc.md). */
#ifndef CABIN_STATION_INTERNAL_H
#define CABIN_STATION_INTERNAL_H

#include "doctor/console.h"
#include "doctor/station.h"
#include "doctor/station_db.h"
#include "kiosk/link/message.h"
#include "kiosk/link/tls_crl.h"
#include "common/log_limit.h"

#include <libwebsockets.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define STN_LOG "station"
#define STN_COMMIT_US 2000   /* group commit: the longest a stored message waits */
#define STN_COMMIT_MAX 512   /* ... or this many messages, whichever comes first */
#define STN_MAX_UNAUTH_PER_ADDR 32 /* default of cab_station_config.max_unauth_per_addr */
#define STN_MAX_UNAUTH 512         /* default of cab_station_config.max_unauth */
#define STN_WARN_BURST 10          /* protocol errors a connection logs one by one per
                                      log_summary period; the rest are summarised */

/* One queued outgoing WebSocket message; data has LWS_PRE bytes of head room. */
struct stn_out {
	struct stn_out *next;
	size_t len;
	unsigned char data[];
};

/* One connected cabin (lws per-session data of the cabin-link protocol). */
struct stn_conn {
	struct stn_conn *next;
	struct lws *wsi;
	char cabin[128]; /* certificate CN */
	int hello_ok;
	int closing;
	const char *close_why;        /* close reason sent with 1008 (default "protocol") */
	struct cab_log_limit warns;   /* its protocol errors' log rate limit */
	uint64_t qfull;               /* messages dropped on a full output queue */
	struct stn_out *head, *tail;
	size_t nout;
	unsigned char *rx;
	size_t rx_len;
	int rx_over;
};

/* An acknowledgement waiting for the group commit that makes its message durable. */
struct stn_ack {
	struct stn_ack *next;
	struct stn_conn *c;
	json_t *msg; /* the ack, or an `internal` error when the commit failed */
	json_t *err;
};

/* A doctor command waiting for the service thread. */
struct stn_cmd {
	struct stn_cmd *next;
	char line[];
};

struct cab_station {
	struct cab_station_config cfg;
	char host[128], cert[1024], key[1024], ca[1024], crl_path[1024], dir[1024], name[128];
	struct cab_tls_crl crl; /* the CRL in force (service thread, at each ClientHello) */
	char crl_err[400];      /* why the CRL could not be loaded at creation */
	cab_station_cb cb;
	void *user;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct station_db *db;
	struct stn_conn *conns;
	pthread_mutex_t mu;
	struct stn_cmd *cmds, *cmds_tail;
	atomic_int stop;
	/* group commit (station.c): a transaction is open, and the acks it releases */
	int batch, batch_n;
	struct stn_ack *acks, *acks_tail;
	lws_sorted_usec_list_t sul_commit;
	/* the doctors' console (console.h): queue, pages, requests */
	struct console *console;
	char assets[1024]; /* where the console's page is (ASSETS/console/) */
	struct stn_deliver *deliver; /* NULL when no FHIR server is configured */
	struct stn_guard *guard;     /* connections not authenticated yet (station_guard.c) */
};

/* --- station.c ---------------------------------------------------------------- */
/* Reports EV to the caller's callback (if any). */
void stn_emit(struct cab_station *st, struct cab_station_event *ev);
/* Reports a text event (KIND with TEXT; CABIN and SESSION may be NULL). */
void stn_emit_text(struct cab_station *st, enum cab_station_ev kind, const char *cabin,
                   const char *session, const char *text);
/* CLOCK_REALTIME in microseconds. */
int64_t stn_now_us(void);
/* Group commit: stn_batch_begin opens a transaction (once) and schedules its commit
 * STN_COMMIT_US later, so that what arrives meanwhile shares one sync; stn_ack_later
 * queues C's acknowledgement of ID (DUPLICATE: already stored) until
 * stn_batch_commit has made the round durable, then sends it (or an `internal` error
 * when the commit failed, so that the cabin resends); stn_forget_conn drops C's
 * waiting acks when C closes. */
void stn_batch_begin(struct cab_station *st);
void stn_ack_later(struct cab_station *st, struct stn_conn *c, const char *id, int duplicate);
void stn_batch_commit(struct cab_station *st);
void stn_forget_conn(struct cab_station *st, struct stn_conn *c);
/* Runs the queued doctor commands (service thread). */
void stn_drain_commands(struct cab_station *st);

/* --- station_conn.c ----------------------------------------------------------- */
/* The lws protocol table (HTTP + cabin-link) handed to lws_create_context. */
extern const struct lws_protocols stn_protocols[];
/* The station being created: its TLS context is set up inside lws_create_context(),
 * before the context's user pointer can be read back. Creation is not concurrent. */
extern struct cab_station *stn_creating;
/* Queues MSG (consumed) as a text frame to C; drops it with a warning when C's
 * queue is full (the cabin's resend is then acknowledged as a duplicate). */
void stn_send_json(struct stn_conn *c, json_t *msg);
/* Sends an `error` {CODE, REF, DETAIL} to C, logs and reports it; CLOSE_AFTER closes
 * C (1008) once the queue is written. */
void stn_send_error(struct cab_station *st, struct stn_conn *c, const char *code, const char *ref,
                    const char *detail, int close_after);
/* The rate limit of C's warnings: 1 when the next one may be logged (STN_WARN_BURST a
 * log_summary period); logs the summary of the ones counted in the period before. */
int stn_warn_ok(struct cab_station *st, struct stn_conn *c);
/* The connection of CABIN that has said hello, or NULL. */
struct stn_conn *stn_conn_for_cabin(struct cab_station *st, const char *cabin);

/* --- station_proto.c ---------------------------------------------------------- */
/* One complete text frame BUF[LEN] from C: parsed, checked and answered. */
void stn_on_text(struct cab_station *st, struct stn_conn *c, const char *buf, size_t len);
/* 1 when S uses only letters, digits, '-', '_' and '.' (safe in file names). */
int stn_safe_session(const char *s);

/* --- station_record.c --------------------------------------------------------- */
/* The doctor as {name, specialty, rpps}, new reference. */
json_t *stn_doctor_json(struct cab_station *st);
/* The FHIR Bundle of SESSION's stored messages so far (new reference, NULL on error):
 * its Practitioner is the doctor who took the session in the console, else DOCTOR. */
json_t *stn_bundle_json(struct cab_station *st, const char *session, const char *cabin);
/* Writes DATA/<session>.json (the FHIR Bundle of SESSION's stored messages) and queues
 * its delivery. */
void stn_write_bundle(struct cab_station *st, const char *session, const char *cabin);
/* Keeps the request REQ the station sends to CABIN (a copy with "time" added) with its
 * session's messages: the acts and messages of the record. */
void stn_record_request(struct cab_station *st, const char *cabin, json_t *req);

/* --- station_deliver.c -------------------------------------------------------- */
/* Starts the delivery of records to [fhir] base_url (nothing when unset): a worker
 * thread posts, the service thread keeps the queue (station db) and reports. */
int stn_deliver_start(struct cab_station *st);
/* Stops the worker (a post under way is abandoned; it stays queued). */
void stn_deliver_stop(struct cab_station *st);
/* Queues BUNDLE (the record of SESSION) for delivery, replacing a queued older one. */
void stn_deliver_enqueue(struct cab_station *st, const char *session, json_t *bundle);

/* --- station_guard.c --------------------------------------------------------- */
/* Sets up the count of unauthenticated connections from ST's configuration (limits,
 * timeouts); stn_guard_start schedules its sweep (every 250 ms: steps not done in
 * time are closed, warnings summarised); stn_guard_free undoes both. */
int stn_guard_init(struct cab_station *st);
void stn_guard_start(struct cab_station *st);
void stn_guard_free(struct cab_station *st);
/* A TCP connection FD from SA was accepted: returns 0 to keep it (counted from now),
 * 1 to refuse it (its address or all are at their limit; logged, rate-limited). */
int stn_guard_accept(struct cab_station *st, int fd, const struct sockaddr_storage *sa);
/* FD finished its TLS handshake: a doctor's certificate (DOCTOR 1) is authenticated;
 * a cabin's must now upgrade to the WebSocket within link_upgrade. */
void stn_guard_tls_done(struct cab_station *st, int fd, int doctor);
/* FD's cabin-link WebSocket is up: its hello is due within link_hello. */
void stn_guard_ws_up(struct cab_station *st, int fd);
/* FD's hello was accepted: no longer counted. */
void stn_guard_authenticated(struct cab_station *st, int fd);
/* Connections refused at accept since the start. */
uint64_t stn_guard_refused(const struct cab_station *st);

/* --- station_cmd.c ------------------------------------------------------------ */
/* Runs one doctor command LINE (modified in place); the result is a CAB_SEV_COMMAND. */
void stn_run_command(struct cab_station *st, char *line);

#endif
