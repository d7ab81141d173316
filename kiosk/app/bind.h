/* bind.h — what the cabin program's bindings share: the event payloads other
 * threads post to the main thread (events.h), the session reference the store
 * binding owns, and the one way a binding reaches another part: an effect (struct
 * cab_fx) handed to the dispatcher in app.c (cab_app_dispatch). Each binding —
 * store (bind_store.h), instruments (bind_devices.h), doctor link (bind_link.h),
 * media (bind_media.h), service menu (bind_service.h) — owns its state behind its
 * own type and includes no other binding's header; only app.c (the composition
 * root) includes them all. Main thread unless said. */
#ifndef CABIN_APP_BIND_H
#define CABIN_APP_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabin/devices.h"
#include "cabin/reading.h"
#include "kiosk/flow/flow.h"

struct cab_app;

/* --- event payloads (posted by other threads, freed with free()) ------------ */

/* CAB_QEV_DEVICE: an instrument came, went or changed state. */
enum cab_devev_what { CAB_DEVEV_ATTACHED, CAB_DEVEV_DETACHED, CAB_DEVEV_STATE };
struct cab_devev {
	enum cab_devev_what what;
	struct cab_device_info info; /* copy taken in the callback */
	enum cab_dev_state state;
	enum cab_incident incident;
	char detail[96];
};

/* CAB_QEV_LINK: a link status, the doctor, a request, a round trip, an ack, a
 * prescription. */
enum cab_linkev_what { CAB_LINKEV_STATUS, CAB_LINKEV_DOCTOR, CAB_LINKEV_REQUEST, CAB_LINKEV_RTT,
	               CAB_LINKEV_ACKED, CAB_LINKEV_ERROR, CAB_LINKEV_SIGNAL,
	               CAB_LINKEV_PRESCRIPTION, CAB_LINKEV_QUEUE };
struct cab_linkev {
	enum cab_linkev_what what;
	int state;            /* STATUS: enum cab_link_state; REQUEST: enum cab_req_action;
	                         DOCTOR: 1 released back to the queue; QUEUE: position */
	char session[40];     /* DOCTOR, REQUEST */
	char name[96];        /* DOCTOR: name; REQUEST: instrument kind; ACKED: message id; ERROR: code */
	char specialty[64];   /* DOCTOR */
	char rpps[16];        /* DOCTOR */
	char text[256];       /* STATUS: message; REQUEST: text; ERROR: detail */
	char req_id[40];      /* REQUEST: the request's message id (a still answers it) */
	char body_site[256];  /* REQUEST "still": where the doctor says it is taken, or "" */
	int64_t ms;           /* RTT; QUEUE: the estimate in seconds (-1 none) */
	char *json;           /* SIGNAL: the `webrtc` or `ice_servers` message; PRESCRIPTION:
	                         the prescription object (JSON text); owned, freed (wiped)
	                         with cab_linkev_free() */
};

/* CAB_QEV_PRINT: a print job of the patient's prescription ended (kiosk/print). */
struct cab_printev {
	int err;              /* enum cab_print_err */
	char session[40];     /* the session it was printed for */
	char detail[300];     /* CUPS's words (no personal data), "" when printed */
	int64_t start_ms, end_ms; /* wall ms the job was sent / ended */
};
/* Frees a struct cab_linkev and its json. */
void cab_linkev_free(void *p);

/* CAB_QEV_MEDIA: a decoded picture of the doctor, a media state change, an exam
 * still captured for the doctor, or an incident of the call. */
enum cab_mediaev_what { CAB_MEDIAEV_FRAME, CAB_MEDIAEV_SELF, CAB_MEDIAEV_STATE, CAB_MEDIAEV_STILL,
	                 CAB_MEDIAEV_INCIDENT /* a call incident: code in text */ };
struct cab_mediaev {
	enum cab_mediaev_what what;
	int w, h;             /* FRAME/SELF: RGBA picture size; STILL: JPEG size in pixels */
	int event;            /* STATE: enum cab_media_event_type */
	int is_test;          /* STATE SOURCE: lavfi test source */
	int camera;           /* STATE SOURCE, STILL: camera index (0 room, 1 otoscope, 2 dermatoscope) */
	char text[128];
	unsigned char *rgba;  /* FRAME/SELF: w*h*4 bytes, owned (freed with the payload) */
	unsigned char *jpeg;  /* STILL: the JPEG (len bytes), owned */
	size_t len;           /* STILL */
	unsigned char sha256[32]; /* STILL: SHA-256 (FIPS 180-4) of the JPEG */
};
void cab_mediaev_free(void *p);

/* --- the session, as the store binding keeps it --------------------------------- */

/* The current session as the cabin and the station know it. Written only by the
 * store binding (bind_store.c); the others read it through the const pointer the
 * application hands them at set-up. */
struct cab_app_session {
	char sid[40];       /* the store's id of the current session, "" when none */
	bool open_sent;     /* session_open queued for the station */
	bool closed;        /* session_close queued or the session wiped */
	int64_t start_ms;   /* wall ms the session began */
	int64_t call_start_ms; /* wall ms the call (consultation screen) began, 0: no call */
};

/* --- effects: one part asks for something another part does ------------------- */

/* What a binding asks of the rest of the cabin. app.c's dispatcher decides which
 * part carries it out; the fields each kind uses are listed with it. Kinds marked
 * (link thread) are raised on the link thread and go only to parts that are safe
 * there. */
enum cab_fx_kind {
	/* store: a session began at T0 (wall ms): tiles, link and join state reset. */
	CAB_FX_SESSION_BEGAN,
	/* store: the session's progress changed (began, open sent, closed, ended):
	 * the marker of the session in progress follows. */
	CAB_FX_SESSION_CHANGED,
	/* store: a message was written to the outbox: the link sends it. */
	CAB_FX_OUTBOX_QUEUED,
	/* store: the consultation's hand-off record was queued (the call ended):
	 * a link loss still open becomes an incident. */
	CAB_FX_CALL_CLOSED,
	/* any: an incident KIND (TEXT) from T0 to T1 (wall ms, T1 0: open), DETAIL. */
	CAB_FX_INCIDENT,
	/* any: an audit row: actor N (enum cab_audit_actor), action TEXT, DETAIL. */
	CAB_FX_AUDIT,
	/* media: a data message of type TEXT, id ID, body BODY (taken), personal N:
	 * queued in the open session; the dispatcher returns 0 or -1 (dropped). */
	CAB_FX_DATA,
	/* devices: a finished reading P (struct cab_reading) of this patient. */
	CAB_FX_READING,
	/* devices: an instrument event P (struct cab_devev) for the service menu. */
	CAB_FX_DEVICE,
	/* devices: the USB stethoscope's ALSA device is TEXT ("" when it went). */
	CAB_FX_STETHOSCOPE,
	/* link: the doctor was assigned: name TEXT, specialty DETAIL, RPPS ID; N = 1:
	 * the doctor gave the patient back to the queue. */
	CAB_FX_DOCTOR,
	/* link: the patient's place N in the queue, the wait estimate T0 seconds (-1). */
	CAB_FX_QUEUE,
	/* link: the doctor asked for action N (enum cab_req_action) with instrument
	 * kind TEXT ("" none), message DETAIL, request id ID and, for a still, where
	 * it is taken BODY_SITE ("" none). */
	CAB_FX_DOCTOR_REQUEST,
	/* link: the doctor's prescription for the session: JSON text TEXT (the
	 * `prescription` object), offered to the patient for printing. */
	CAB_FX_PRESCRIPTION,
	/* service (pharmacist overlay): the identity document TEXT ("CN", "PA", "CS") was
	 * checked: the identity goes again, verified; returns 0 or -1 (none sent yet). */
	CAB_FX_IDENTITY_CHECKED,
	/* link (link thread): the link's status P (struct cab_link_status). */
	CAB_FX_LINK_STATUS,
	/* link (link thread): a round trip of T0 ms. */
	CAB_FX_LINK_RTT,
	/* link: the call's signalling for the session: TEXT the `webrtc` or `ice_servers`
	 * message as JSON (docs/link-protocol.md "WebRTC signalling"), or NULL when the
	 * link was lost (the call ends). */
	CAB_FX_CALL_SIGNAL_IN,
	/* media (any thread): the cabin's peer has signal TEXT (the `signal` object as
	 * JSON) for session ID: the link sends it as a `webrtc` message. */
	CAB_FX_CALL_SIGNAL_OUT,
	/* link: the outbox port MP (struct cab_outbox_port) the link will use; the
	 * service menu may wrap it (throughput meter) before the link starts. */
	CAB_FX_OUTBOX_PORT,
};

struct cab_fx {
	enum cab_fx_kind kind;
	int n;                 /* see the kind */
	int64_t t0, t1;        /* see the kind */
	const char *text;      /* see the kind */
	const char *detail;
	const char *id;
	const char *body_site;
	char *body;            /* DATA: malloc'd, taken and wiped */
	const void *p;         /* see the kind */
	void *mp;              /* OUTBOX_PORT: the port, may be changed */
	size_t len;
};

/* The dispatcher (app.c): carries out FX. Returns 0, or -1 when the part that
 * should carry it out is absent or refuses (CAB_FX_DATA: the body was dropped). */
int cab_app_dispatch(struct cab_app *a, const struct cab_fx *fx);

/* Shorthands for the commonest effects. */
void cab_app_fx_incident(struct cab_app *a, const char *kind, int64_t start_ms, int64_t end_ms,
                         const char *detail);
void cab_app_fx_audit(struct cab_app *a, int actor, const char *action, const char *detail);

/* --- spoken guidance (bind_voice.c) ----------------------------------------- */

/* Opens the synthesiser and a sound output unless [ui] voice_volume is 0; sets
 * view.voice_level (2, or -1 when the cabin stays silent). Returns 0, or -1 when
 * there is no voice or no sound output (logged; the cabin runs silent). */
int cab_app_voice_start(struct cab_app *a);
/* A screen appeared: says its instruction (cab_screen.say), never in the call. */
void cab_app_voice_screen(struct cab_app *a);
/* CAB_ACT_VOICE_CYCLE (loud -> quiet -> off -> loud) or CAB_ACT_VOICE_REPEAT. */
void cab_app_voice_action(struct cab_app *a, int act);
/* The "are you still there?" warning heard as well as seen (issue 16): a two-note
 * chime (880 Hz then 660 Hz, 0.2 s each, at the voice volume; also when the voice
 * is off, but not when the cabin has no voice output), then the question spoken
 * when the voice is on. */
void cab_app_voice_alert(struct cab_app *a);
/* Measure was touched on instrument tile TILE: says the guide's steps
 * (cab_waiting_guide_step) when the voice is on, cutting what was being said. */
void cab_app_voice_guide(struct cab_app *a, int tile);
void cab_app_voice_stop(struct cab_app *a);

#endif
