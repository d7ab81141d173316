/* app_internal.h — state shared by the app's files (app.c, app_actions.c,
 * render.c). Main thread only. */
#ifndef CABIN_APP_INTERNAL_H
#define CABIN_APP_INTERNAL_H

#include <SDL2/SDL.h>
#include <stdio.h>

#include "kiosk/app/options.h"
#include "kiosk/app/paths.h"
#include "kiosk/app/readings.h"
#include "kiosk/flow/flow.h"
#include "kiosk/ui/stage.h"

/* Text version of the consent screen, recorded with the answers. */
#define CAB_CONSENT_TEXT_VERSION "consent-2026-11-v1"

struct cab_app {
	struct cab_options opt;
	struct cab_paths paths;
	SDL_Window *win;
	SDL_Renderer *ren;
	struct ui_ctx ctx;
	struct cab_stage stage;
	struct cab_view view;
	struct cab_flow *flow;
	struct cab_places *places;
	FILE *state_log;
	int64_t checks_due;      /* next step of the check runner (mono ms), 0: idle */
	int checks_step;
	int64_t wipe_start;      /* when WIPE was entered (mono ms), 0: not wiping */
	int64_t call_start;      /* when CONSULTATION was entered */
	int64_t second_due;      /* next once-a-second refresh (call clock), 0: none */
	struct cab_vitals vitals; /* parts of multi-value readings, per session */
	bool swallow_up;         /* ignore pointer input until the current touch ends */
	bool quit;
};

/* Loads the places and fills the view's fixed parts (cabin name, fee). */
void cab_app_view_setup(struct cab_app *a);

/* Handles an app action raised by the screens. */
void cab_app_action(struct cab_app *a, int act, int arg);

/* Copies what the flow shows into the view (state, dialogs, doctor, end reason). */
void cab_app_sync(struct cab_app *a);

/* Runs the app's own timers (checks, wipe, call clock) at NOW (mono ms). */
void cab_app_timers(struct cab_app *a, int64_t now);

/* Milliseconds until the next app or flow timer, or -1 when none runs. */
int64_t cab_app_next_timer(const struct cab_app *a, int64_t now);

#endif
