/* events.h — the one typed event queue between the cabin's threads and its main thread.
 *
 * Device, media, link and store threads post events here; the main thread (which
 * owns SDL and the patient flow) receives them in order. No SDL in this header:
 * device and link code include it without depending on SDL. */
#ifndef CABIN_APP_EVENTS_H
#define CABIN_APP_EVENTS_H

#include <stdint.h>

/* What an event carries. The payload's type is fixed by the event type. */
enum cab_event_type {
	CAB_QEV_NONE = 0,
	CAB_QEV_READING,       /* payload: struct cab_reading * (devices/include/cabin/reading.h) */
	CAB_QEV_DEVICE,        /* payload: device arrival/removal/state, owned by devices/ */
	CAB_QEV_LINK,          /* payload: link state change or received message (kiosk/link) */
	CAB_QEV_MEDIA,         /* payload: decoded frame or media state (kiosk/media) */
	CAB_QEV_STORE,         /* payload: store result, e.g. outbox acknowledged (kiosk/store) */
	CAB_QEV_FLOW,          /* payload: int * flow event number, posted by any thread */
	CAB_QEV_QUIT,          /* payload: NULL; asks the main loop to stop */
	CAB_QEV_PRINT,         /* payload: struct cab_printev * (kiosk/app/bind.h), a print ended */
	CAB_QEV_TYPE_COUNT
};

/* Frees a payload once the main thread has handled (or dropped) the event. */
typedef void (*cab_event_free_fn)(void *payload);

/* One event as the main thread receives it. */
struct cab_event {
	enum cab_event_type type;  /* never CAB_QEV_NONE for a received event */
	void *payload;             /* owned by the queue until cab_event_done() */
	cab_event_free_fn free_fn; /* NULL: payload is not freed */
	int64_t posted_ms;         /* cab_mono_ms() when posted */
};

/* Registers the queue's SDL user event type. Main thread, after SDL_Init().
 * Returns 0, or -1 when SDL has no user event numbers left. */
int cab_events_init(void);

/* Posts an event from any thread. Ownership of PAYLOAD passes to the queue: it is
 * given to FREE_FN after handling, or at once if posting fails. Returns 0, or -1
 * (queue not initialised, type out of range, SDL queue full, out of memory). */
int cab_event_post(enum cab_event_type type, void *payload, cab_event_free_fn free_fn);

/* Releases a received event's payload (calls free_fn) and clears EV. */
void cab_event_done(struct cab_event *ev);

/* Drains and frees every event still queued (at shutdown). Main thread. */
void cab_events_drain(void);

/* Name of an event type for logs ("reading", "link"...). */
const char *cab_event_type_name(enum cab_event_type type);

#endif
