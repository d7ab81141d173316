/* hooks.c — the main loop's entry points into the service module (see hooks.h). */
#include "kiosk/service/ui/hooks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "kiosk/staff/credentials.h"
#include "kiosk/service/key_policy.h"
#include "kiosk/service/known_sources.h"
#include "kiosk/service/ui/svc_ui.h"
#include "log.h"

static struct cab_creds creds;
static struct cab_svc_ui svc;
static struct cab_svc_known known;
static char data_dir[512], log_path[600];
static bool started;
/* Passes the flow's transitions to the service menu. */
static void observer(void *user, const struct cab_flow_transition *t)
{
	(void)user;
	cab_svc_ui_flow_observer(&svc, t);
}

int cab_svc_hooks_start(struct cab_flow *flow, struct cab_view *view,
                        const struct cab_svc_bindings *b)
{
	static const struct cab_svc_bindings none;
	struct cab_recovery_result rec = {0, 0};
	if (!b)
		b = &none;
	int rc = 0;
	if (b->data_dir)
		snprintf(data_dir, sizeof data_dir, "%s", b->data_dir);
	else
		rc = -EINVAL; /* the application finds and locks it (kiosk/app) */
	/* Without a store there is nothing to recover: the patient's data lived only in
	 * memory. */
	if (b->recovery && cab_recovery_run(b->recovery, &b->audit, &rec) == 0 &&
	    rec.delivering + rec.wiped)
		cab_warn("service", "%d interrupted session(s): %d delivering to the station, then "
		         "wiped; %d wiped at once", rec.delivering + rec.wiped, rec.delivering, rec.wiped);
	if (!rc)
		rc = cab_creds_open(&creds, data_dir, NULL, &b->audit);
	if (rc)
		cab_err("service", "credentials in %s cannot be opened: %s", data_dir,
		        strerror(-rc));
	if (!rc && b->config && b->config->pharmacist_pin_hash[0] &&
	    cab_creds_apply_config_hash(&creds, CAB_ROLE_PHARMACIST,
	                                b->config->pharmacist_pin_hash) < 0)
		cab_err("service", "service.pharmacist_pin_hash refused");
	if (!rc && b->config && b->config->technician_password_hash[0] &&
	    cab_creds_apply_config_hash(&creds, CAB_ROLE_TECHNICIAN,
	                                b->config->technician_password_hash) < 0)
		cab_err("service", "service.technician_password_hash refused");
	snprintf(log_path, sizeof log_path, "%s/cabin.log", data_dir);
	const char *lp = getenv("CABIN_LOG_FILE"), *ed = getenv("CABIN_EXPORT_DIR"),
	           *mi = getenv("CABIN_MOUNTINFO");
	struct cab_svc_ui_config cfg = {
	    .creds = &creds,
	    .flow = flow,
	    .view = view,
	    .version = CABIN_VERSION,
	    .wd = b->watchdog,
	    .log_path = lp && *lp ? lp : log_path,
	    .export_dir = ed && *ed ? ed : b->config ? b->config->export_dir : "auto",
	    .mountinfo = mi && *mi ? mi : NULL,
	    .cleaning_max_ms = b->config ? (int64_t)b->config->cleaning_max_s * 1000 : -1,
	    .audit = b->audit,
	    .measure = b->measure,
	    .measure_user = b->measure_user,
	    .identity_checked = b->identity_checked,
	    .identity_user = b->identity_user,
	};
	if (b->sources)
		cfg.sources = *b->sources;
	else
		cab_svc_known_sources(&cfg.sources, &known, data_dir);
	const char *cm = getenv("CABIN_CLEANING_MAX_S");
	if (cm && *cm)
		cfg.cleaning_max_ms = (int64_t)(strtod(cm, NULL) * 1000); /* "0.05": tests */
	cab_svc_ui_init(&svc, &cfg);
	if (flow && cab_flow_add_observer(flow, observer, flow))
		cab_err("service", "no room for the service's flow observer");
	started = true;
	return rc;
}

static SDL_Window *kiosk_win;

void cab_svc_hooks_window(SDL_Window *win, bool fullscreen)
{
	if (!fullscreen || !win)
		return;
	kiosk_win = win;
	SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
	SDL_SetWindowAlwaysOnTop(win, SDL_TRUE);
	SDL_SetWindowKeyboardGrab(win, SDL_TRUE);
	SDL_RaiseWindow(win);
}

/* Fullscreen kiosk: never stay minimised, hidden or behind another window. */
static void keep_on_top(const SDL_Event *e)
{
	if (!kiosk_win || e->type != SDL_WINDOWEVENT)
		return;
	switch (e->window.event) {
	case SDL_WINDOWEVENT_MINIMIZED:
	case SDL_WINDOWEVENT_HIDDEN:
	case SDL_WINDOWEVENT_FOCUS_LOST:
		cab_warn("service", "kiosk window lost focus or was minimised: restored");
		SDL_RestoreWindow(kiosk_win);
		SDL_SetWindowFullscreen(kiosk_win, SDL_WINDOW_FULLSCREEN_DESKTOP);
		SDL_RaiseWindow(kiosk_win);
		break;
	default:
		break;
	}
}

bool cab_svc_hooks_key(const SDL_Event *e, SDL_Window *win, bool *quit)
{
	keep_on_top(e);
	if (e->type != SDL_KEYDOWN && e->type != SDL_KEYUP)
		return false;
	enum cab_key_verdict v =
	    cab_key_policy(e->key.keysym.sym, e->key.keysym.mod,
	                   started ? cab_svc_ui_key_screen(&svc) : CAB_KEYS_PATIENT);
	switch (v) {
	case CAB_KEY_ALLOW:
		return false;
	case CAB_KEY_DEBUG_QUIT:
		if (e->type == SDL_KEYDOWN)
			*quit = true;
		return true;
	case CAB_KEY_DEBUG_WINDOWED:
		if (e->type == SDL_KEYDOWN && win) {
			kiosk_win = NULL; /* debug: let the developer out */
			SDL_SetWindowKeyboardGrab(win, SDL_FALSE);
			SDL_SetWindowAlwaysOnTop(win, SDL_FALSE);
			SDL_SetWindowFullscreen(win, 0);
		}
		return true;
	case CAB_KEY_REFUSE:
		break;
	}
	if (e->type == SDL_KEYDOWN)
		cab_debug("service", "key refused: keycode 0x%x mods 0x%x",
		          (unsigned)e->key.keysym.sym, (unsigned)e->key.keysym.mod);
	return true;
}

bool cab_svc_hooks_input(struct ui_ctx *ctx, const struct ui_input *in)
{
	return started && cab_svc_ui_input(&svc, ctx, in, cab_mono_ms());
}

void cab_svc_hooks_draw(struct ui_ctx *ctx)
{
	if (started)
		cab_svc_ui_draw(&svc, ctx);
}

bool cab_svc_hooks_write_map(struct ui_ctx *ctx, const char *path)
{
	return started && cab_svc_ui_write_map(&svc, ctx, path) != 0;
}

int64_t cab_svc_hooks_wait(int64_t wait)
{
	int64_t now = cab_mono_ms();
	int64_t a = started ? cab_svc_ui_next_ms(&svc, now) : -1;
	if (a >= 0 && (wait < 0 || a < wait))
		wait = a;
	return wait;
}

bool cab_svc_hooks_tick(void)
{
	int64_t now = cab_mono_ms();
	return started && cab_svc_ui_poll(&svc, now);
}
