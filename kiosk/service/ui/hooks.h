/* hooks.h — the few calls the kiosk's main loop (kiosk/app/app.c) makes into the
 * service module: key filter, staff layer input and drawing, and its timers. State
 * is kept here (main thread only). */
#ifndef CABIN_SERVICE_UI_HOOKS_H
#define CABIN_SERVICE_UI_HOOKS_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/config/config.h"
#include "kiosk/flow/flow.h"
#include "kiosk/staff/audit_sink.h"
#include "kiosk/service/recovery.h"
#include "kiosk/service/sources.h"
#include "kiosk/ui/ui.h"
#include "kiosk/ui/view.h"
#include "kiosk/ui/widget.h"

struct cab_watchdog;

/* What the application binds (any field may be left zero / NULL). */
struct cab_svc_bindings {
	/* The service menu's providers; NULL = cab_svc_known_sources(). */
	const struct cab_svc_sources *sources;
	/* Recovery bound to kiosk/store; NULL = none (no store: nothing outlives the
	 * process). */
	const struct cab_recovery_store *recovery;
	/* The audit sink (bind to cab_store_audit); zero = log lines only. */
	struct cab_svc_audit audit;
	/* Redo a measurement: ask the instrument of view tile TILE (see
	 * struct cab_svc_ui_config.measure); NULL = the tile only resets. */
	int (*measure)(void *user, int tile);
	void *measure_user;
	/* The pharmacist checked the identity document (struct
	 * cab_svc_ui_config.identity_checked); NULL = not possible. */
	int (*identity_checked)(void *user, const char *document);
	void *identity_user;
	/* Data directory, found and locked by the application (kiosk/app/data_lock.h);
	 * NULL: the credentials cannot be opened (-EINVAL). */
	const char *data_dir;
	/* The process's watchdog (kiosk/app/watchdog.h), shown on the software tab;
	 * may be NULL. */
	const struct cab_watchdog *watchdog;
	/* The configuration's [service] section (cleaning maximum, export directory,
	 * credential hashes applied at start); NULL = its defaults. Tests may override
	 * with CABIN_CLEANING_MAX_S (seconds, fractions allowed), CABIN_EXPORT_DIR and
	 * CABIN_MOUNTINFO (the mount table read to find the USB stick). */
	const struct cab_config *config;
};

/* Runs start-up recovery when B->recovery is bound (interrupted sessions deliver
 * then close as interrupted; recovery.h), opens the credentials in the data directory, reads the watchdog
 * request, sets up the staff layer on FLOW and VIEW and observes FLOW (cleaning
 * screen). B may be NULL. Returns 0, or -errno when the
 * credentials cannot be opened (the layer then refuses every secret). Call before
 * the first screen is drawn. */
int cab_svc_hooks_start(struct cab_flow *flow, struct cab_view *view,
                        const struct cab_svc_bindings *b);

/* Kiosk window settings, once the window exists: when FULLSCREEN, the window is
 * kept on top (SDL_SetWindowAlwaysOnTop), grabs the keyboard (window-manager
 * shortcuts reach the key filter instead of the desktop; SDL hint
 * ALLOW_ALT_TAB_WHILE_GRABBED off) and is restored and raised if it is ever
 * minimised or loses focus. --windowed (development) changes nothing. */
void cab_svc_hooks_window(SDL_Window *win, bool fullscreen);

/* Key filter for an SDL_KEYDOWN/SDL_KEYUP event E (key_policy.h). Returns true when
 * the event must be dropped; sets *QUIT for the debug quit key and leaves
 * fullscreen on WIN for the debug windowed key. */
bool cab_svc_hooks_key(const SDL_Event *e, SDL_Window *win, bool *quit);

/* Gives IN to the staff layer first. True when it used it (the patient screens
 * must not see it; re-sync the view from the flow). */
bool cab_svc_hooks_input(struct ui_ctx *ctx, const struct ui_input *in);

/* Draws the staff layer over the screens (before SDL_RenderPresent). */
void cab_svc_hooks_draw(struct ui_ctx *ctx);
/* Test hook (CABIN_UI_MAP): writes the technician screens' widget map to PATH.
 * Returns true when it did (the stage's map must not overwrite it). */
bool cab_svc_hooks_write_map(struct ui_ctx *ctx, const char *path);

/* The loop's wait in ms, shortened for the layer's timers (WAIT < 0 = no other
 * timer). */
int64_t cab_svc_hooks_wait(int64_t wait);

/* After each loop iteration: the layer's timers. Returns true when the screen must
 * be redrawn. */
bool cab_svc_hooks_tick(void);

#endif
