/* events.c — the typed event queue on top of SDL user events (see events.h).
 * Each posted event owns a small heap envelope; SDL's own queue is thread-safe. */
#include "kiosk/app/events.h"

#include <SDL2/SDL.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "kiosk/app/events_sdl.h"
#include "log.h"

static _Atomic Uint32 queue_type; /* 0 until cab_events_init(); SDL type otherwise */

static const char *const type_names[CAB_QEV_TYPE_COUNT] = {
    "none", "reading", "device", "link", "media", "store", "flow", "quit", "print",
};

int cab_events_init(void)
{
	if (atomic_load(&queue_type))
		return 0;
	Uint32 t = SDL_RegisterEvents(1);
	if (t == (Uint32)-1) {
		cab_err("events", "no SDL user event left: %s", SDL_GetError());
		return -1;
	}
	atomic_store(&queue_type, t);
	return 0;
}

int cab_event_post(enum cab_event_type type, void *payload, cab_event_free_fn free_fn)
{
	Uint32 t = atomic_load(&queue_type);
	struct cab_event *env = NULL;
	if (!t || type <= CAB_QEV_NONE || type >= CAB_QEV_TYPE_COUNT)
		goto fail;
	env = malloc(sizeof *env);
	if (!env)
		goto fail;
	*env = (struct cab_event){type, payload, free_fn, cab_mono_ms()};
	SDL_Event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = t;
	ev.user.code = (Sint32)type;
	ev.user.data1 = env;
	if (SDL_PushEvent(&ev) != 1) {
		cab_warn("events", "dropped %s event: %s", type_names[type], SDL_GetError());
		goto fail;
	}
	return 0;
fail:
	free(env);
	if (payload && free_fn)
		free_fn(payload);
	return -1;
}

bool cab_event_from_sdl(const SDL_Event *sdl_ev, struct cab_event *out)
{
	Uint32 t = atomic_load(&queue_type);
	if (!t || sdl_ev->type != t || !sdl_ev->user.data1)
		return false;
	struct cab_event *env = sdl_ev->user.data1;
	*out = *env;
	free(env);
	return true;
}

void cab_event_done(struct cab_event *ev)
{
	if (ev->payload && ev->free_fn)
		ev->free_fn(ev->payload);
	memset(ev, 0, sizeof *ev);
}

void cab_events_drain(void)
{
	Uint32 t = atomic_load(&queue_type);
	if (!t)
		return;
	SDL_Event ev;
	while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, t, t) == 1) {
		struct cab_event ce;
		if (cab_event_from_sdl(&ev, &ce))
			cab_event_done(&ce);
	}
}

const char *cab_event_type_name(enum cab_event_type type)
{
	if (type < 0 || type >= CAB_QEV_TYPE_COUNT)
		return "unknown";
	return type_names[type];
}
