/* station.h — the reference doctor station's engine (used by cabin-doctor and the
 * link benchmark): accepts cabins over wss with mutual TLS 1.3, stores and
 * acknowledges their data messages, writes each session's FHIR Bundle, and sends the
 * doctor's requests. libwebsockets server on the calling thread (cab_station_run). */
#ifndef CABIN_STATION_H
#define CABIN_STATION_H

#include "kiosk/config/config.h"

#include <jansson.h>
#include <stdint.h>

/* A doctor: the terminal doctor of the configuration, or a console doctor from
 * their certificate (doctor_cert.h). */
struct cab_station_doctor {
	char name[128];
	char specialty[128];
	char rpps[32]; /* RPPS number (11 digits), FHIR system urn:oid:1.2.250.1.71.4.2.1 */
};

/* The platform's FHIR server the records are delivered to ([fhir] in the config file):
 * HTTPS with a client certificate (cert + key) and/or a bearer token; ca = the server's
 * CA (PEM), "" for the system's. */
struct cab_station_fhir {
	char base_url[512];
	char token[512];
	char cert[1024], key[1024], ca[1024];
};

/* The configuration's [turn] section (docs/webrtc.md): coturn's shared secret
 * (`static-auth-secret`), the STUN/TURN URLs handed to both ends, credential lifetime. */
struct cab_station_turn {
	char secret[128]; /* empty: no TURN, only the STUN urls (if any) */
	char uris[512];   /* comma-separated: "turn:h:3478?transport=udp, turns:h:443?transport=tcp" */
	int ttl_s;        /* seconds the credentials stay valid; 0: 3600 */
	int relay_only;   /* policy "relay" (tests, networks that forbid direct paths) */
};

/* Builds the `ice_servers` message for SESSION at NOW (Unix seconds) from T:
 * one RTCIceServer for the stun: urls, one with REST credentials
 * (common/turn_rest.h) for the turn:/turns: urls. Returns a new message or NULL when
 * T names no usable url (or the secret is missing for TURN urls). */
json_t *cab_station_ice_servers_msg(const struct cab_station_turn *t, const char *session,
                                    int64_t now);

struct cab_station_config {
	const char *host;            /* address to listen on, e.g. "127.0.0.1" */
	int port;                    /* 0: any free port (see cab_station_port) */
	const char *cert, *key, *ca; /* station certificate/key, CA of the cabins (PEM) */
	const char *crl;             /* PEM CRL(s) of that CA, or NULL/"": a revoked cabin or
	                                doctor is refused at the handshake; the file is
	                                re-read when it changes (kiosk/link/tls_crl.h) */
	const char *data_dir;        /* station.sqlite and <session>.json go here */
	const char *name;            /* station name sent in "welcome" */
	struct cab_station_doctor doctor;
	const char *assets;  /* the source tree's assets/ (the console page in console/);
	                        NULL: $CABIN_ASSETS, else found beside the binary */
	int console_lock_s;  /* a console locks after this many idle seconds (0: 600) */
	int terminal_doctor; /* 1: DOCTOR takes every session when it opens (the terminal
	                        commands' doctor, for scripts); 0: doctors take patients
	                        in the console */
	struct cab_station_fhir fhir;              /* where records go; base_url "" = nowhere */
	struct cab_station_turn turn;              /* [turn]: TURN REST credentials for calls */
	/* abuse (docs/link.md "The station under abuse"): connections not authenticated
	 * yet (no TLS handshake, WebSocket or hello) allowed from one address and in all;
	 * beyond, a new connection is closed at accept. 0: the defaults (32, 512) */
	int max_unauth_per_addr, max_unauth;
	/* the station's rows of cab_timeouts[] ([timeouts] of --config), seconds;
	 * 0: the table's default (the flow's rows are not used here) */
	int timeout_s[CAB_TMO__COUNT];
};

/* What the station reports (on its own thread). */
enum cab_station_ev {
	CAB_SEV_LISTENING = 0, /* text: "host:port" */
	CAB_SEV_CONNECTED,     /* a cabin's WebSocket is up; cabin = certificate CN */
	CAB_SEV_HELLO,         /* msg = the hello */
	CAB_SEV_REFUSED,       /* TLS / certificate refusal; text says which */
	CAB_SEV_DISCONNECTED,
	CAB_SEV_MESSAGE,        /* a data message (msg), duplicate set when already stored */
	CAB_SEV_ACKED,          /* the cabin acknowledged a request (id) */
	CAB_SEV_PROTOCOL_ERROR, /* a message refused: text = code: detail */
	CAB_SEV_PEER_ERROR,     /* the cabin sent an error message (msg) */
	CAB_SEV_BUNDLE,         /* text = path of the written Bundle */
	CAB_SEV_COMMAND,        /* text = the result of a doctor command */
	CAB_SEV_RTT,            /* rtt_ms set */
	CAB_SEV_STILL,          /* a still arrived whole: text = JPEG path, msg = still meta */
	CAB_SEV_STILL_ERROR,    /* a still's parts did not check out: text says why */
	CAB_SEV_DELIVERY,       /* a record's delivery: text = "delivered ..." or the failure */
};

struct cab_station_event {
	enum cab_station_ev kind;
	const char *cabin;   /* may be NULL */
	const char *session; /* may be NULL */
	const char *type;    /* message type for MESSAGE */
	const char *id;      /* message id */
	int duplicate;
	json_t *msg; /* borrowed, may be NULL */
	const char *text;
	int64_t rx_us; /* CLOCK_REALTIME microseconds when the message was complete */
	int64_t rtt_ms;
	size_t len;
};

typedef void (*cab_station_cb)(const struct cab_station_event *ev, void *user);

struct cab_station;

/* Creates the station (opens the database, loads certificates, listens). NULL and
 * ERR filled on error. */
struct cab_station *cab_station_new(const struct cab_station_config *cfg, cab_station_cb cb,
                                    void *user, char *err, size_t n);

/* The port listened on. */
int cab_station_port(struct cab_station *st);

/* Runs the service loop until cab_station_stop(). Returns 0. */
int cab_station_run(struct cab_station *st);

/* Asks the loop to return; any thread, async-signal-safe enough (a pipe write). */
void cab_station_stop(struct cab_station *st);

/* Queues a doctor command line (any thread): "help", "sessions",
 * "measure SESSION KIND", "message SESSION TEXT...", "stream start|stop SESSION KIND",
 * "camera SESSION room|otoscope|dermatoscope", "still SESSION [BODY SITE...]",
 * "stetho start|stop SESSION", "end SESSION". SESSION may be a unique prefix. The result comes back
 * as a CAB_SEV_COMMAND event. Returns 0, or -1 when the line is too long. */
int cab_station_command(struct cab_station *st, const char *line);

/* Frees everything (after run returned). NULL-safe. */
void cab_station_free(struct cab_station *st);

#endif
