/* link.h — the cabin's encrypted link to the doctor station: WebSocket over TLS 1.3
 * (wss://, libwebsockets on OpenSSL) with certificates on both ends, run on its own
 * thread. Data messages come from the outbox port and are acknowledged; media goes
 * through a bounded binary queue. No SDL here. Protocol: docs/link-protocol.md;
 * design: docs/link.md.
 *
 * Threading: every callback is called on the link thread (the libwebsockets service
 * loop), never on the caller's; keep them short and hand work to your own thread
 * (the kiosk posts an SDL user event). cab_link_wake(), cab_link_send_media() and
 * cab_link_free() may be called from any thread. */
#ifndef CABIN_LINK_H
#define CABIN_LINK_H

#include "kiosk/link/message.h"
#include "kiosk/link/outbox_port.h"
#include "kiosk/link/tls_verify.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Who the cabin is; sent in "hello" so the doctor always knows where the patient is. */
struct cab_link_identity {
	char id[64];            /* cabin id; also the CN of its certificate */
	char pharmacy[128];     /* pharmacy name */
	char address_line[160]; /* street address */
	char postal_code[16];
	char city[96];
	char country[8]; /* ISO 3166 code, e.g. "FR" */
	char phone[32];  /* a number that reaches the cabin / pharmacy */
};

/* Configuration; strings are copied by cab_link_new(). */
struct cab_link_config {
	const char *url;        /* "wss://host[:port][/path]"; ws:// is refused */
	const char *cert;       /* cabin certificate chain, PEM file */
	const char *key;        /* its private key, PEM file */
	const char *ca;         /* CA (PEM) that must have issued the station's certificate */
	const char *pin_sha256; /* or: SHA-256 of the station's SubjectPublicKeyInfo, 64 hex
	                           digits; when set, it replaces the CA as trust anchor (dates
	                           and host name are still checked). One of ca / pin needed. */
	const char *proxy;      /* "host:port" of an HTTP CONNECT proxy, or NULL */
	struct cab_link_identity cabin;
	int ping_interval_ms;    /* 0: 5000. No message for 3 intervals closes the socket */
	int backoff_min_ms;      /* reconnect delay after the first failure; 0: 250 */
	int backoff_max_ms;      /* ceiling of the doubling delay; 0: 10000 */
	size_t media_queue_max;  /* binary packets waiting at most; 0: 64 (oldest dropped) */
	int test_no_client_cert; /* tests only: present no certificate (cert/key ignored) */
	int test_skip_hello;     /* tests only: do not send hello on connect */
};

/* Connection states reported by on_status. */
enum cab_link_state {
	CAB_LINK_CONNECTING = 0, /* a connection attempt started */
	CAB_LINK_CONNECTED,      /* TLS + WebSocket up and "welcome" received */
	CAB_LINK_REFUSED,        /* a check failed (see refusal); retried with backoff */
	CAB_LINK_DISCONNECTED,   /* connection lost or impossible; retried with backoff */
};

/* A status change. MESSAGE is plain language ("station certificate has expired"). */
struct cab_link_status {
	enum cab_link_state state;
	enum cab_link_refusal refusal; /* CAB_REFUSE_NONE unless state == REFUSED */
	const char *message;
	int version; /* negotiated protocol version when CONNECTED */
};

/* The media path's state (cab_link_media_stats, on_media_stats). Counters are
 * cumulative since cab_link_new(); byte counts are binary-message payload bytes. */
struct cab_link_media_stats {
	int64_t t_ms;           /* monotonic ms of the sample (cab_mono_ms) */
	int connected;          /* 1: welcomed connection up */
	uint32_t queued_msgs;   /* messages waiting in the link's media queue now */
	uint64_t queued_bytes;  /* their bytes */
	uint64_t dropped_msgs;  /* dropped oldest-first by the full queue */
	uint64_t dropped_bytes; /* their bytes */
	uint64_t written_bytes; /* written to the connection (lws_write) */
	uint64_t acked_bytes;   /* of those, taken by the station: acknowledged by its TCP
	                           (written minus the socket's send queue, SIOCOUTQ; bytes
	                           left unacknowledged by a closed connection count as gone) */
	uint64_t unacked_bytes; /* the socket's send queue at the sample (not yet acknowledged) */
	uint64_t acked_Bps;     /* acknowledged throughput over about 1 s, bytes/s */
};

/* A request from the doctor (acknowledged by the link before the callback). */
struct cab_link_request {
	const char *id, *session;
	enum cab_req_action action;
	const char *kind;      /* instrument kind name (reading.h), "" when none */
	const char *text;      /* text to show, "" when none */
	const char *body_site; /* "still": where the still is taken (free text), "" when none */
};

/* The doctor who takes the session (sent by the station at session_open). */
struct cab_link_doctor {
	const char *session, *name, *specialty, *rpps;
	bool released; /* "released": true — the doctor gave the patient back to the queue */
};

/* The waiting patient's place in the station's queue (link-protocol.md "queue"). */
struct cab_link_queue {
	const char *session;
	int position;   /* 1-based place among the waiting patients */
	int estimate_s; /* the station's estimate of the wait, seconds (-1: none) */
};

/* Callbacks, all optional, all on the link thread. */
struct cab_link_callbacks {
	void (*on_status)(const struct cab_link_status *st, void *user);
	void (*on_request)(const struct cab_link_request *rq, void *user);
	void (*on_doctor)(const struct cab_link_doctor *d, void *user);
	void (*on_queue)(const struct cab_link_queue *q, void *user);
	void (*on_rtt)(int64_t rtt_ms, void *user);                  /* each pong, milliseconds */
	void (*on_binary)(const void *data, size_t len, void *user); /* media from station */
	void (*on_acked)(const char *id, void *user); /* a data message acknowledged */
	void (*on_error)(const char *code, const char *ref, const char *detail, void *user);
	/* The media path's state, every 250 ms while connected (feeds adaptation). */
	void (*on_media_stats)(const struct cab_link_media_stats *st, void *user);
	void *user;
};

struct cab_link;

/* Checks the configuration (URL is wss://, files readable, key matches, CA or pin
 * given) and builds the TLS context; does not connect. On error returns NULL and
 * writes why to ERR. PORT is copied and used only on the link thread. */
struct cab_link *cab_link_new(const struct cab_link_config *cfg, const struct cab_outbox_port *port,
                              const struct cab_link_callbacks *cb, char *err, size_t errsz);

/* Starts the link thread, which connects and keeps reconnecting. 0, or -1. */
int cab_link_start(struct cab_link *link);

/* New outbox items exist: send them now. Any thread. */
void cab_link_wake(struct cab_link *link);

/* Queues one binary WebSocket message (an already built media packet, see
 * docs/link-protocol.md "Binary messages") of LEN bytes (<= 1 MiB). The queue holds
 * media_queue_max packets; when full the oldest is dropped and counted. Packets
 * are only sent while connected; sending is best effort (no ack, no resend).
 * Any thread. Returns 0, or -1 (too large, no memory). */
int cab_link_send_media(struct cab_link *link, const void *data, size_t len);

/* Packets dropped by the media queue since creation. Any thread. */
uint64_t cab_link_media_dropped(struct cab_link *link);

/* Copies the media path's latest state (sampled every 250 ms on the link thread;
 * queue and drop counts are current). Any thread. */
void cab_link_media_stats(struct cab_link *link, struct cab_link_media_stats *out);

/* Tells the station where the waiting patient of SESSION is (link-protocol.md
 * "patient_state"): READY (the patient pressed "I'm ready") and the instrument kind
 * names (cab_device_kind_name) of the N measurements under way. Not kept in the
 * outbox: a state lost with the connection is sent again at the next change. Any
 * thread. 0, or -1 (out of memory). */
int cab_link_send_patient_state(struct cab_link *link, const char *session, bool ready,
                                const char *const *measuring, size_t n);

/* Tests and diagnostics only: sends TEXT as one text message as is (no outbox, no
 * validation) when connected. Any thread. 0, or -1. */
int cab_link_send_raw(struct cab_link *link, const char *text, size_t len);

/* Stops the thread (closing the connection), joins it and frees everything.
 * Unacknowledged messages stay in the outbox. NULL-safe. Any thread but a callback. */
void cab_link_free(struct cab_link *link);

#endif
