/* app_internal.h — the composition root's own state, shared by its files (app.c,
 * actions.c, render.c, test_hook.c) and read by the bindings (view, flow,
 * configuration): each binding's state is behind its own type (bind_*.h), which
 * only app.c sees whole. Main thread only. */
#ifndef CABIN_APP_INTERNAL_H
#define CABIN_APP_INTERNAL_H

#include <SDL2/SDL.h>
#include <stdio.h>

#include "kiosk/app/bind.h"
#include "kiosk/app/options.h"
#include "kiosk/config/config.h"
#include "kiosk/app/paths.h"
#include "kiosk/app/readings.h"
#include "kiosk/app/watchdog.h"
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
	int data_lock_fd;           /* flock on DATA_DIR/cabin.lock (data_lock.h), -1 */
	struct cab_watchdog wd;     /* systemd's watchdog and readiness (watchdog.h) */
	int64_t checks_due;      /* next step of the check runner (mono ms), 0: idle */
	int checks_step;
	int64_t wipe_start;      /* when WIPE was entered (mono ms), 0: not wiping */
	int64_t call_start;      /* when CONSULTATION was entered */
	int64_t second_due;      /* next once-a-second refresh (call clock), 0: none */
	int64_t waiting_since;   /* mono ms the waiting room was entered, 0: not there */
	bool measure_asked[CAB_VIEW_INSTRUMENTS]; /* the patient touched Measure on the
	                            tile in this waiting room (the call waits for it) */
	int64_t bp_rest_due;     /* mono ms the blood-pressure rest ends (then it measures), 0: none */
	bool doctor_asked;       /* the doctor sent a request while in the waiting room */
	struct cab_vitals vitals; /* parts of multi-value readings, per session */
	bool swallow_up;         /* ignore pointer input until the current touch ends */
	bool quit;
	/* configuration (--config FILE, else defaults) */
	struct cab_config cfg;
	char config_path[512];
	/* the parts, each behind its own type (bind_*.h); NULL when not started */
	struct cab_bind_store *store;
	struct cab_bind_devices *devices;
	struct cab_bind_link *link;
	struct cab_bind_media *media;
	struct cab_bind_service *svc;
	struct cab_bind_print *print; /* the prescription on paper (bind_print.h) */
	int64_t expire_due; /* next check of how long personal data waited (mono ms) */
	bool started;       /* the parts started (after the first frame): the test
	                       hook answers, the UI map is written */
	/* spoken guidance (bind_voice.c), NULL: silent */
	struct cab_app_voice *voice;
};

/* Fills the view's fixed parts (cabin name, fee). */
void cab_app_view_setup(struct cab_app *a);
/* Loads the place lists (INSEE communes, countries) into the view: after the first
 * frame (docs/memory.md "Start"); a missing list is warned, the form then takes
 * the place as typed. */
void cab_app_places_load(struct cab_app *a);

/* Handles an app action raised by the screens. */
void cab_app_action(struct cab_app *a, int act, int arg);

/* Copies what the flow shows into the view (state, dialogs, doctor, end reason). */
void cab_app_sync(struct cab_app *a);

/* Runs the app's own timers (checks, wipe, call clock) at NOW (mono ms). */
void cab_app_timers(struct cab_app *a, int64_t now);

/* Milliseconds until the next app or flow timer, or -1 when none runs. */
int64_t cab_app_next_timer(const struct cab_app *a, int64_t now);

/* Waiting room: starts the call when the doctor is there and the pre-call
 * measurements are done (or the doctor already asks for something, or the pre-call
 * time, [timeouts] precall, has passed). NOW: mono ms. */
void cab_app_maybe_join(struct cab_app *a, int64_t now);
/* Milliseconds until the pre-call time ends, or -1. */
int64_t cab_app_join_due(const struct cab_app *a, int64_t now);

#endif
