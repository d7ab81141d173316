/* app_internal.h — state shared by the app's files (app.c, app_actions.c,
 * render.c). Main thread only. */
#ifndef CABIN_APP_INTERNAL_H
#define CABIN_APP_INTERNAL_H

#include <SDL2/SDL.h>
#include <stdio.h>

#include "kiosk/app/bind.h"
#include "kiosk/app/options.h"
#include "kiosk/config/config.h"
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
	int data_lock_fd;           /* flock on DATA_DIR/cabin.lock (data_lock.h), -1 */
	int64_t checks_due;      /* next step of the check runner (mono ms), 0: idle */
	int checks_step;
	int64_t wipe_start;      /* when WIPE was entered (mono ms), 0: not wiping */
	int64_t call_start;      /* when CONSULTATION was entered */
	int64_t second_due;      /* next once-a-second refresh (call clock), 0: none */
	struct cab_vitals vitals; /* parts of multi-value readings, per session */
	bool swallow_up;         /* ignore pointer input until the current touch ends */
	bool quit;
	/* configuration (--config FILE, else defaults) */
	struct cab_config cfg;
	char config_path[512];
	/* store (bind_store.c) */
	struct cab_store *store;
	char sid[40];            /* the store's id of the current session, "" when none */
	bool sid_open_sent;      /* session_open queued for the station */
	bool sid_closed;         /* session_close queued or the session wiped */
	int64_t session_start;   /* wall ms */
	/* devices (bind_devices.c) */
	struct cab_devices *devices;
	unsigned tile_handle[CAB_VIEW_INSTRUMENTS]; /* device that feeds each tile, 0 none */
	bool tile_simulated[CAB_VIEW_INSTRUMENTS];
	bool tile_measured[CAB_VIEW_INSTRUMENTS];   /* a reading of this session arrived */
	unsigned steth_handle;   /* USB stethoscope the instruments layer found, 0 none */
	char steth_alsa[16];     /* its ALSA device ("hw:N,0"), used when [media] stethoscope = auto */
	/* link (bind_link.c) */
	struct cab_link *link;
	struct cab_store *link_store; /* the link thread's own store handle */
	bool link_up;
	int64_t link_lost_ms;    /* wall ms the link dropped during a session, 0 none */
	int64_t rtt_ms;          /* last round trip, -1 unknown */
	int64_t waiting_since;   /* mono ms the waiting room was entered */
	bool doctor_asked;       /* the doctor sent a request while in the waiting room */
	/* media (bind_media.c) */
	struct cab_app_media *media;
	/* service (bind_service.c) */
	struct cab_app_service *svc;
	/* spoken guidance (bind_voice.c), NULL: silent */
	struct cab_app_voice *voice;
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
