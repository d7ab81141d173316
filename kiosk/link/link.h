/* link.h — the cabin's encrypted link to the doctor station: WebSocket over TLS 1.3
 * (wss://, libwebsockets on OpenSSL) with certificates on both ends, run on its own
 * thread. Data messages come from the outbox port and are acknowledged; the call's
 * signalling goes as `webrtc` messages (its media go peer to peer by WebRTC, never
 * here). No SDL here. Protocol: docs/link-protocol.md;
 * design: docs/link.md.
 *
 * Threading: every callback is called on the link thread (the libwebsockets service
 * loop), never on the caller's; keep them short and hand work to your own thread
 * (the kiosk posts an SDL user event). cab_link_wake(), cab_link_send_signal() and
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
	const char *crl;        /* PEM file of CRLs signed by the CA (tls_crl.h), or NULL/"":
	                           the station's certificate and its chain are checked
	                           against it; re-read before a connection when it changed.
	                           Needs ca. */
	const char *proxy;      /* "host:port" of an HTTP CONNECT proxy, or NULL */
	struct cab_link_identity cabin;
	int ping_interval_ms;    /* 0: 5000. No message for 3 intervals closes the socket */
	int backoff_min_ms;      /* reconnect delay after the first failure; 0: 250 */
	int backoff_max_ms;      /* ceiling of the doubling delay; 0: 10000 */
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
	void (*on_acked)(const char *id, void *user); /* a data message acknowledged */
	void (*on_error)(const char *code, const char *ref, const char *detail, void *user);
	/* The call's signalling from the station (docs/link-protocol.md "WebRTC
	 * signalling"): a validated `webrtc` or `ice_servers` message of SESSION as JSON
	 * text (TYPE is its type name). Not acknowledged: signalling is best effort. */
	void (*on_signal)(const char *type, const char *session, const char *json, void *user);
	/* The doctor's prescription for SESSION (acknowledged by the link before the
	 * callback): RX_JSON is the message's `prescription` object as compact JSON text
	 * {id, date, doctor{name, specialty, rpps}, lines[{medicine, dose, duration, text}],
	 * advice} (docs/link-protocol.md), valid only during the call. */
	void (*on_prescription)(const char *session, const char *rx_json, void *user);
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

/* Sends the call's signal SIGNAL_JSON (a `webrtc` message's `signal` object as JSON
 * text) for SESSION as one `webrtc` message, when connected (welcomed): not kept in
 * the outbox, never resent (a call does not outlive its link). Any thread. Returns
 * 0, or -1 (not connected, not JSON, no memory, the control queue full). */
int cab_link_send_signal(struct cab_link *link, const char *session, const char *signal_json);

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
