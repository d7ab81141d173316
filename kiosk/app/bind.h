/* bind.h — how the cabin program binds its parts to the main thread: the store
 * (bind_store.c), the instruments (bind_devices.c), the doctor link (bind_link.c),
 * media (bind_media.c) and the service module (bind_service.c). Each bind_*.c owns
 * one part; other threads only reach the main thread through the event queue
 * (events.h) with the payloads declared here. Main thread unless said. */
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

/* CAB_QEV_LINK: a link status, the doctor, a request, a round trip, an ack. */
enum cab_linkev_what { CAB_LINKEV_STATUS, CAB_LINKEV_DOCTOR, CAB_LINKEV_REQUEST, CAB_LINKEV_RTT,
	               CAB_LINKEV_ACKED, CAB_LINKEV_ERROR };
struct cab_linkev {
	enum cab_linkev_what what;
	int state;            /* STATUS: enum cab_link_state; REQUEST: enum cab_req_action */
	char session[40];     /* DOCTOR, REQUEST */
	char name[96];        /* DOCTOR: name; REQUEST: instrument kind; ACKED: message id; ERROR: code */
	char specialty[64];   /* DOCTOR */
	char rpps[16];        /* DOCTOR */
	char text[256];       /* STATUS: message; REQUEST: text; ERROR: detail */
	char req_id[40];      /* REQUEST: the request's message id (a still answers it) */
	char body_site[256];  /* REQUEST "still": where the doctor says it is taken, or "" */
	int64_t ms;           /* RTT */
};

/* CAB_QEV_MEDIA: a decoded picture of the doctor, a media state change, or an exam
 * still captured for the doctor. */
enum cab_mediaev_what { CAB_MEDIAEV_FRAME, CAB_MEDIAEV_SELF, CAB_MEDIAEV_STATE, CAB_MEDIAEV_STILL };
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

/* --- store (bind_store.c) ---------------------------------------------------- */

/* Opens the store from the configuration (data directory, key file). Returns 0, or
 * -1 with the reason on screen and in the log (the cabin then runs without one). */
int cab_app_store_open(struct cab_app *a);
/* Observer of the flow: session row, consent, identity, outbox, close, wipe. */
void cab_app_store_on_transition(void *user, const struct cab_flow_transition *t);
/* Stores one reading of the current session and queues it for the station. */
void cab_app_store_reading(struct cab_app *a, const struct cab_reading *r);
/* Records an incident of the current session (or of the cabin when none) and
 * queues it for the station when a session is open there. */
void cab_app_store_incident(struct cab_app *a, const char *kind, int64_t start_ms,
                            int64_t end_ms, const char *detail);
/* Audit row from the cabin (no personal data). */
void cab_app_audit(struct cab_app *a, int actor, const char *action, const char *detail);
void cab_app_store_close(struct cab_app *a);
/* Queues BODY (a data message of TYPE whose "id" is ID, malloc'd; taken and wiped)
 * for the station in the open session (PERSONAL = 1: encrypted, dropped by the
 * wipe if unsent). Returns 0, or -1 when no session is open for the station (BODY
 * is dropped). */
int cab_app_store_data(struct cab_app *a, const char *type, char *body, const char *id, int personal);

/* --- devices (bind_devices.c) ---------------------------------------------- */

int cab_app_devices_start(struct cab_app *a);
void cab_app_devices_event(struct cab_app *a, const struct cab_devev *ev);
void cab_app_devices_reading(struct cab_app *a, const struct cab_reading *r);
/* "Take a measurement" with the instrument of tile TILE (0 thermometer .. 4
 * glucometer), from the patient or the doctor. */
void cab_app_devices_measure(struct cab_app *a, int tile);
/* New session: tiles reset from the attached instruments, session start set. */
void cab_app_devices_session(struct cab_app *a, int64_t start_ms);
void cab_app_devices_stop(struct cab_app *a);
/* Fills the instrument tiles from the instruments attached now (after a view reset). */
void cab_app_devices_fill_tiles(struct cab_app *a);

/* Tile of an instrument kind (0..4), or -1 for kinds without a tile. Pure. */
int cab_app_tile_of_kind(enum cab_device_kind k);

/* --- link (bind_link.c) ------------------------------------------------------ */

int cab_app_link_start(struct cab_app *a);
void cab_app_link_event(struct cab_app *a, const struct cab_linkev *ev);
void cab_app_link_wake(struct cab_app *a);
void cab_app_link_stop(struct cab_app *a);
/* Waiting room: starts the call when the doctor is there and the pre-call
 * measurements are done (or the doctor already asks for something, or the pre-call
 * time CABIN_PRECALL_S, default 120 s, has passed). */
void cab_app_maybe_join(struct cab_app *a, int64_t now_mono);
/* Milliseconds until the pre-call time ends, or -1. */
int64_t cab_app_join_due(const struct cab_app *a, int64_t now_mono);

/* --- media (bind_media.c) ---------------------------------------------------- */

/* Starts receiving (doctor's video and sound) and sending (camera, microphone). */
int cab_app_media_start(struct cab_app *a);
void cab_app_media_event(struct cab_app *a, struct cab_mediaev *ev);
/* Called from the link thread for each binary message. */
void cab_app_media_binary(struct cab_app *a, const void *data, size_t len);
void cab_app_media_rtt(struct cab_app *a, int64_t rtt_ms);
/* The link's media path every 250 ms (link thread): feeds the sender's adaptation
 * with the bytes the station really took, the link's queue and its drops. */
struct cab_link_media_stats;
void cab_app_media_link_stats(struct cab_app *a, const struct cab_link_media_stats *st);
/* A doctor's media request (enum cab_req_action: stream_start/stop, camera, still,
 * keyframe) for instrument KIND (a cab_device_kind_name, "" when none); REQ_ID and
 * BODY_SITE ("" when none) travel with the still that answers a "still" request.
 * Returns 0, or -1 when it cannot be done now (no call running, unknown camera). */
int cab_app_media_request(struct cab_app *a, int action, const char *kind, const char *req_id,
                          const char *body_site);
void cab_app_media_mute(struct cab_app *a, bool muted);
void cab_app_media_stop(struct cab_app *a);
/* Starts the sender on entering the consultation, stops it on leaving. */
void cab_app_media_follow(struct cab_app *a);
/* Stops the sender (before the link stops). */
void cab_app_media_quiet(struct cab_app *a);
/* The call's media figures as "key=value" words into OUT (N bytes): lip sync of the
 * doctor's pictures (presented, dropped, held, unsynced, offsets in µs / ms) and the
 * sender's adaptation (rung, video off, acknowledged throughput, link queue). For
 * the test hook's "media-stats"; no personal data. Main thread. */
void cab_app_media_report(struct cab_app *a, char *out, size_t n);

/* --- service (bind_service.c) ------------------------------------------------ */

/* Reads the marker of the session in progress when the cabin stopped (before the
 * store is opened), then keeps it up to date (session begun, open sent, ended). */
void cab_app_marker_read(struct cab_app *a);
void cab_app_marker_update(struct cab_app *a);
/* Recovery, audit sink, providers, hooks (kiosk/service/ui/hooks.h). */
int cab_app_service_start(struct cab_app *a);
void cab_app_service_stop(struct cab_app *a);
/* From the link thread: the service menu's view of the link (struct cab_link_status *). */
void cab_app_service_link_status(struct cab_app *a, const void *st);
void cab_app_service_link_rtt(struct cab_app *a, int64_t ms);
struct cab_outbox_port;
/* Wraps the link's outbox PORT with the throughput meter of the service menu. */
void cab_app_service_outbox_port(struct cab_app *a, struct cab_outbox_port *port);
/* An instrument event on the main thread: registry and the menu's incidents. */
void cab_app_service_device(struct cab_app *a, const struct cab_devev *ev);

/* --- spoken guidance (bind_voice.c) ----------------------------------------- */

/* Opens the synthesiser and a sound output unless [ui] voice_volume is 0; sets
 * view.voice_level (2, or -1 when the cabin stays silent). Returns 0, or -1 when
 * there is no voice or no sound output (logged; the cabin runs silent). */
int cab_app_voice_start(struct cab_app *a);
/* A screen appeared: says its instruction (cab_screen.say), never in the call. */
void cab_app_voice_screen(struct cab_app *a);
/* CAB_ACT_VOICE_CYCLE (loud -> quiet -> off -> loud) or CAB_ACT_VOICE_REPEAT. */
void cab_app_voice_action(struct cab_app *a, int act);
void cab_app_voice_stop(struct cab_app *a);

#endif
