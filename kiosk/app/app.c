/* app.c — the kiosk's main loop: SDL window (fullscreen unless --windowed), the
 * flow, the screens, the event queue. Redraws only when something changed and
 * sleeps in SDL_WaitEventTimeout until the next event or timer (no busy loop). */
#include "kiosk/app/app.h"

#include <SDL2/SDL_image.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/data_lock.h"
#include "kiosk/app/events_sdl.h"
#include "kiosk/app/readings.h"
#include "kiosk/app/test_hook.h"
#include "kiosk/flow/state_log.h"
#include "kiosk/service/ui/hooks.h"
#include "kiosk/ui/i18n.h"
#include "log.h"

static float display_dpi(SDL_Window *w)
{
	float hdpi = 0;
	int idx = SDL_GetWindowDisplayIndex(w);
	if (idx < 0 || SDL_GetDisplayDPI(idx, NULL, &hdpi, NULL) != 0)
		return 0;
	return hdpi;
}

static void on_queue_event(struct cab_app *a, struct cab_event *ev)
{
	switch (ev->type) {
	case CAB_QEV_FLOW:
		if (ev->payload)
			cab_flow_handle(a->flow, (enum cab_flow_event) * (int *)ev->payload);
		cab_app_sync(a);
		break;
	case CAB_QEV_READING: {
		enum cab_flow_state st = cab_flow_state(a->flow);
		/* measurements belong to the waiting room and the consultation: the tile
		 * shows it (readings.c), the store keeps it and queues it (bind_devices.c) */
		if (ev->payload && (st == CAB_FLOW_WAITING_ROOM || st == CAB_FLOW_CONSULTATION) &&
		    cab_reading_apply(&a->view, &a->vitals, ev->payload, ui_i18n_lang()))
			a->ctx.dirty = true;
		if (ev->payload)
			cab_app_devices_reading(a, ev->payload);
		cab_app_maybe_join(a, cab_mono_ms());
		break;
	}
	case CAB_QEV_QUIT:
		a->quit = true;
		break;
	case CAB_QEV_DEVICE:
		if (ev->payload)
			cab_app_devices_event(a, ev->payload);
		cab_app_maybe_join(a, cab_mono_ms());
		break;
	case CAB_QEV_LINK:
		if (ev->payload)
			cab_app_link_event(a, ev->payload);
		break;
	case CAB_QEV_MEDIA:
		if (ev->payload)
			cab_app_media_event(a, ev->payload);
		break;
	default:
		cab_debug("app", "%s event not handled", cab_event_type_name(ev->type));
		break;
	}
	cab_event_done(ev);
}

static void on_sdl_event(struct cab_app *a, const SDL_Event *e)
{
	struct cab_event ce;
	if (cab_test_hook_sdl_event(a, e)) /* tests only: CABIN_TEST_HOOK */
		return;
	if (cab_svc_hooks_key(e, a->win, &a->quit))
		return;
	if (cab_event_from_sdl(e, &ce)) {
		on_queue_event(a, &ce);
		return;
	}
	switch (e->type) {
	case SDL_QUIT:
		a->quit = true;
		return;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
			int w, h;
			SDL_GetRendererOutputSize(a->ren, &w, &h);
			ui_ctx_resize(&a->ctx, w, h, display_dpi(a->win));
		}
		a->ctx.dirty = true;
		return;
	default:
		break;
	}
	struct ui_input in;
	int w, h;
	SDL_GetRendererOutputSize(a->ren, &w, &h);
	if (!ui_input_from_sdl(e, w, h, &in))
		return;
	if (cab_svc_hooks_input(&a->ctx, &in)) { /* the pharmacist's or technician's layer */
		cab_flow_activity(a->flow);
		cab_app_sync(a);
		a->ctx.dirty = true;
		return;
	}
	if (a->swallow_up) { /* the rest of the touch that answered "still there?" */
		if (in.kind == UI_IN_UP || in.kind == UI_IN_CANCEL)
			a->swallow_up = false;
		if (in.kind != UI_IN_KEY && in.kind != UI_IN_TEXT)
			return;
	}
	if (a->view.still_there_s >= 0 &&
	    (in.kind == UI_IN_DOWN || in.kind == UI_IN_KEY || in.kind == UI_IN_TEXT)) {
		/* any touch or key while the countdown runs answers it (and is logged) */
		a->swallow_up = in.kind == UI_IN_DOWN;
		cab_app_action(a, CAB_ACT_STILL_HERE, 0);
		return;
	}
	cab_flow_activity(a->flow);
	a->ctx.now = SDL_GetTicks();
	int act = cab_stage_input(&a->stage, &a->ctx, &a->view, &in);
	if (act != CAB_ACT_NONE)
		cab_app_action(a, act, a->ctx.action_arg);
	if (cab_flow_still_there_left_s(a->flow) != a->view.still_there_s)
		cab_app_sync(a);
}

static void redraw(struct cab_app *a)
{
	cab_stage_layout(&a->stage, &a->ctx, &a->view);
	cab_stage_draw(&a->stage, &a->ctx, &a->view);
	cab_svc_hooks_draw(&a->ctx);
	SDL_RenderPresent(a->ren);
	cab_test_hook_frame(a);
	a->ctx.dirty = false;
	const char *map = getenv("CABIN_UI_MAP"); /* test hook: where each widget is */
	if (map && *map && !cab_svc_hooks_write_map(&a->ctx, map))
		cab_stage_write_map(&a->stage, &a->ctx, map);
}

/* --config FILE (else defaults), then CABIN_DATA_DIR over the data directory. */
static int load_config(struct cab_app *a)
{
	static struct cab_config_errors errs;
	cab_config_defaults(&a->cfg);
	if (a->opt.config) {
		snprintf(a->config_path, sizeof a->config_path, "%s", a->opt.config);
		if (cab_config_load(a->opt.config, &a->cfg, &errs)) {
			for (int i = 0; i < errs.count && i < CAB_CONFIG_MAX_ERRORS; i++)
				cab_err("app", "%s", errs.e[i].text);
			return -1;
		}
	}
	/* environment over the file (tests, demos; docs/service.md) */
	static const struct {
		const char *env;
		size_t off;
	} envs[] = {{"CABIN_DATA_DIR", offsetof(struct cab_config, data_dir)},
	            {"CABIN_STATION_URL", offsetof(struct cab_config, station_url)},
	            {"CABIN_CERT", offsetof(struct cab_config, cert)},
	            {"CABIN_KEY", offsetof(struct cab_config, key)},
	            {"CABIN_CA", offsetof(struct cab_config, ca)}};
	for (size_t i = 0; i < sizeof envs / sizeof envs[0]; i++) {
		const char *v = getenv(envs[i].env);
		if (v && *v)
			snprintf((char *)&a->cfg + envs[i].off, CAB_CONFIG_PATH, "%s", v);
	}
	return 0;
}

static void on_transition(void *user, const struct cab_flow_transition *t)
{
	(void)user;
	cab_info("flow", "%s -> %s (%s)", cab_flow_state_name(t->from), cab_flow_state_name(t->to),
	         cab_flow_event_name(t->event));
}

int cab_app_run(const struct cab_options *o)
{
	static struct cab_app app; /* large (view, stage): not on the stack */
	struct cab_app *a = &app;
	int rc = 1;
	memset(a, 0, sizeof *a);
	a->data_lock_fd = -1;
	a->opt = *o;
	cab_paths_find(&a->paths);
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		cab_err("app", "SDL_Init: %s", SDL_GetError());
		return 1;
	}
	/* Without a display SDL falls back to a driver that shows nothing: say which one
	 * runs, and warn when nobody asked for an invisible one. */
	const char *vdrv = SDL_GetCurrentVideoDriver(), *asked = getenv("SDL_VIDEODRIVER");
	cab_info("app", "video driver: %s", vdrv ? vdrv : "none");
	if (vdrv && (!strcmp(vdrv, "offscreen") || !strcmp(vdrv, "dummy")) && !(asked && *asked))
		cab_warn("app", "no display: running offscreen (video driver %s), nothing is shown; "
		         "set DISPLAY or WAYLAND_DISPLAY, or SDL_VIDEODRIVER=%s if this is meant",
		         vdrv, vdrv);
	if (TTF_Init() != 0) {
		cab_err("app", "TTF_Init: %s", TTF_GetError());
		goto out_sdl;
	}
	IMG_Init(IMG_INIT_PNG);
	if (cab_events_init())
		goto out_ttf;
	if (o->state_log && !(a->state_log = fopen(o->state_log, "a"))) {
		cab_err("app", "cannot open state log %s", o->state_log);
		goto out_ttf;
	}
	if (load_config(a))
		goto out_ttf;
	pid_t owner;
	char lerr[PATH_MAX + 64];
	a->data_lock_fd = cab_data_lock(a->cfg.data_dir, &owner, lerr, sizeof lerr);
	if (a->data_lock_fd == -1) {
		cab_err("app", "%s is in use by another cabin (pid %ld)", a->cfg.data_dir, (long)owner);
		goto out_ttf;
	}
	if (a->data_lock_fd < 0) /* the store reports the directory's problem itself */
		cab_warn("app", "data directory not locked: %s", lerr);
	struct cab_flow_config cfg;
	cab_flow_config_defaults(&cfg);
	for (int t = 0; t < CAB_TMO__COUNT; t++)
		if (cab_flow_config_set_timeout(&cfg, cab_config_timeout_name((enum cab_flow_timeout)t),
		                                a->cfg.timeout_s[t]))
			cab_warn("app", "timeout %s not applied", cab_config_timeout_name((enum cab_flow_timeout)t));
	const char *tmo = getenv("CABIN_TIMEOUT_MS"); /* tests and demos: every timeout this long */
	if (tmo && atoll(tmo) > 0) {
		for (int s = 0; s < CAB_FLOW_STATE_COUNT; s++)
			if (cfg.timeout_ms[s] > 0)
				cfg.timeout_ms[s] = atoll(tmo);
		cfg.countdown_ms = atoll(tmo);
		cab_warn("app", "CABIN_TIMEOUT_MS: every inactivity timeout is %s ms", tmo);
	}
	a->flow = cab_flow_new(&cfg);
	if (!a->flow)
		goto out_log;
	cab_flow_add_observer(a->flow, on_transition, a);
	if (a->state_log)
		cab_flow_add_observer(a->flow, cab_flow_state_log_observer, a->state_log);
	cab_flow_add_observer(a->flow, cab_app_store_on_transition, a);
	ui_i18n_init(a->paths.locale, o->lang);
	cab_app_view_setup(a);
	cab_app_marker_read(a);
	cab_app_store_open(a);
	cab_app_service_start(a); /* recovery of an interrupted session first */
	cab_app_devices_start(a);
	cab_app_voice_start(a);
	if (!getenv("CABIN_NO_MEDIA"))
		cab_app_media_start(a);
	if (!getenv("CABIN_NO_LINK"))
		cab_app_link_start(a);

	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	Uint32 flags = 0; /* no HiDPI scaling: window points are pixels, as input expects */
	int w = o->windowed ? o->win_w : 1280, h = o->windowed ? o->win_h : 800;
	if (!o->windowed)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	a->win = SDL_CreateWindow("Cabin", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
	if (!a->win) {
		cab_err("app", "window: %s", SDL_GetError());
		goto out_flow;
	}
	a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_PRESENTVSYNC);
	if (!a->ren)
		a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
	if (!a->ren) {
		cab_err("app", "renderer: %s", SDL_GetError());
		goto out_win;
	}
	if (!o->windowed)
		SDL_ShowCursor(SDL_DISABLE);
	cab_svc_hooks_window(a->win, !o->windowed);
	SDL_GetRendererOutputSize(a->ren, &w, &h);
	if (ui_ctx_init(&a->ctx, a->ren, w, h, display_dpi(a->win), a->paths.fonts, a->paths.assets))
		goto out_ren;
	cab_stage_init(&a->stage, &a->view);
	SDL_StartTextInput();
	cab_test_hook_start(a);
	cab_info("app", "cabin %s: %dx%d %s, language %s, video driver %s", CABIN_VERSION, w, h,
	         o->windowed ? "windowed" : "fullscreen", o->lang, vdrv ? vdrv : "none");

	bool first = true;
	while (!a->quit) {
		if (a->ctx.dirty)
			redraw(a);
		if (first) {
			cab_svc_hooks_ready();
			first = false;
		}
		int64_t now = cab_mono_ms();
		int64_t wait = cab_svc_hooks_wait(cab_app_next_timer(a, now));
		SDL_Event e;
		int got = wait < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, wait > 60000 ? 60000 : (int)wait);
		if (got) {
			on_sdl_event(a, &e);
			while (!a->quit && SDL_PollEvent(&e))
				on_sdl_event(a, &e);
		}
		now = cab_mono_ms();
		cab_app_timers(a, now);
		if (cab_flow_tick(a->flow))
			cab_app_sync(a);
		if (cab_svc_hooks_tick())
			a->ctx.dirty = true;
	}
	rc = 0;
	cab_test_hook_stop();
	cab_app_service_stop(a);
	cab_app_voice_stop(a);
	SDL_StopTextInput();
	ui_ctx_free(&a->ctx);
out_ren:
	cab_events_drain();
	SDL_DestroyRenderer(a->ren);
out_win:
	SDL_DestroyWindow(a->win);
out_flow:
	cab_app_media_quiet(a);   /* the sender first: it sends through the link */
	cab_app_link_stop(a);     /* then the link thread, which feeds the receiver */
	cab_app_media_stop(a);
	cab_app_devices_stop(a);
	cab_events_drain();
	cab_app_store_close(a);
	cab_flow_free(a->flow);
	cab_places_free(a->places);
out_log:
	if (a->state_log)
		fclose(a->state_log);
out_ttf:
	if (a->data_lock_fd >= 0)
		close(a->data_lock_fd); /* releases the lock, after the store is closed */
	IMG_Quit();
	TTF_Quit();
out_sdl:
	SDL_Quit();
	return rc;
}
