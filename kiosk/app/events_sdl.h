/* events_sdl.h — the main loop's side of the event queue: recognising a queue event
 * among SDL events. Only the main thread (which owns SDL) includes this. */
#ifndef CABIN_APP_EVENTS_SDL_H
#define CABIN_APP_EVENTS_SDL_H

#include <SDL2/SDL_events.h>
#include <stdbool.h>

#include "kiosk/app/events.h"

/* If SDL_EV is an event posted by cab_event_post(), moves it into OUT (which the
 * caller must then give to cab_event_done()) and returns true; false otherwise. */
bool cab_event_from_sdl(const SDL_Event *sdl_ev, struct cab_event *out);

#endif
