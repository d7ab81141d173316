/* app.c — the composition root: sets up the parts (store, instruments, media, link,
 * service menu; bind_*.h), owns their lifetime and tears them down in reverse, runs
 * the main loop (SDL window, fullscreen unless --windowed; the flow; the screens;
 * the event queue) and carries out every effect one part asks of another
 * (cab_app_dispatch). Redraws only when something changed and sleeps in
 * SDL_WaitEventTimeout until the next event or timer (no busy loop). */
#include "kiosk/app/app.h"

#include <SDL2/SDL_image.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/bind_devices.h"
#include "kiosk/app/bind_link.h"
#include "kiosk/app/bind_media.h"
#include "kiosk/app/bind_print.h"
#include "kiosk/app/bind_service.h"
#include "kiosk/app/bind_store.h"
#include "kiosk/app/data_lock.h"
#include "kiosk/app/events_sdl.h"
#include "kiosk/app/readings.h"
#include "kiosk/app/test_hook.h"
#include "kiosk/flow/state_log.h"
#include "kiosk/link/link.h"
#include "kiosk/store/store.h"
#include "kiosk/service/ui/hooks.h"
#include "kiosk/ui/i18n.h"
#include "install_dirs.h"
#include "log.h"

static float display_dpi(SDL_Window *w)
{
	float hdpi = 0;
	int idx = SDL_GetWindowDisplayIndex(w);
	if (idx < 0 || SDL_GetDisplayDPI(idx, NULL, &hdpi, NULL) != 0)
		return 0;
	return hdpi;
}

/* --- the dispatcher: one part asks, another does --------------------------------- */

/* A doctor's request (CAB_FX_DOCTOR_REQUEST), already checked against the session
 * and audited by the link binding: screens, instruments, media, the flow. */
static void doctor_request(struct cab_app *a, const struct cab_fx *fx)
{
	struct cab_view *v = &a->view;
	if (v->state == CAB_FLOW_WAITING_ROOM)
		a->doctor_asked = true;
	int kind = -1;
	for (int k = 0; k < CAB_KIND__COUNT; k++)
		if (!strcmp(fx->text, cab_device_kind_name((enum cab_device_kind)k)))
			kind = k;
	switch ((enum cab_req_action)fx->n) {
	case CAB_REQ_MEASURE: {
		int t = cab_app_tile_of_kind((enum cab_device_kind)kind);
		if (t >= 0) {
			v->requested_tile = t;
			cab_bind_devices_measure(a->devices, t);
		}
		break;
	}
	case CAB_REQ_STREAM_START:
	case CAB_REQ_STREAM_STOP:
		if (kind == CAB_KIND_STETHOSCOPE &&
		    cab_bind_media_request(a->media, fx->n, fx->text, fx->id, fx->body_site) == 0)
			v->steth_on = fx->n == CAB_REQ_STREAM_START;
		break;
	case CAB_REQ_CAMERA:
	case CAB_REQ_STILL:
	case CAB_REQ_KEYFRAME:
		cab_bind_media_request(a->media, fx->n, fx->text, fx->id, fx->body_site);
		break;
	case CAB_REQ_MESSAGE:
		snprintf(v->doctor_message, sizeof v->doctor_message, "%s", fx->detail);
		break;
	case CAB_REQ_CALL:
		cab_bind_media_call(a->media); /* starts with the consultation */
		break;
	case CAB_REQ_END:
		if (v->state == CAB_FLOW_CONSULTATION)
			cab_flow_handle(a->flow, CAB_EV_CONSULTATION_ENDED);
		break;
	default:
		break;
	}
	cab_app_sync(a);
	cab_app_maybe_join(a, cab_mono_ms());
}

int cab_app_dispatch(struct cab_app *a, const struct cab_fx *fx)
{
	switch (fx->kind) {
	case CAB_FX_SESSION_BEGAN:
		a->doctor_asked = false;
		cab_bind_link_session(a->link);
		cab_bind_devices_session(a->devices, fx->t0);
		cab_bind_print_clear(a->print);
		return 0;
	case CAB_FX_SESSION_CHANGED: /* the store keeps the session; recovery reads it there */
		return 0;
	case CAB_FX_OUTBOX_QUEUED:
		cab_bind_link_wake(a->link);
		return 0;
	case CAB_FX_CALL_CLOSED:
		cab_bind_link_call_closed(a->link);
		return 0;
	case CAB_FX_INCIDENT:
		cab_bind_store_incident(a->store, fx->text, fx->t0, fx->t1, fx->detail);
		return 0;
	case CAB_FX_AUDIT:
		cab_bind_store_audit(a->store, fx->n, fx->text, fx->detail);
		return 0;
	case CAB_FX_DATA:
		return cab_bind_store_data(a->store, fx->text, fx->body, fx->id, fx->n);
	case CAB_FX_READING:
		cab_bind_store_reading(a->store, fx->p);
		return 0;
	case CAB_FX_DEVICE:
		cab_bind_service_device(a->svc, fx->p);
		return 0;
	case CAB_FX_STETHOSCOPE:
		cab_bind_media_stethoscope(a->media, fx->text);
		return 0;
	case CAB_FX_DOCTOR:
		if (fx->n) { /* released back to the queue: no doctor until the next one takes the patient */
			struct cab_session *s = cab_flow_session(a->flow);
			memset(&s->doctor, 0, sizeof s->doctor);
			a->view.released = true;
			cab_bind_store_audit(a->store, CAB_ACTOR_STATION, "doctor_released", "");
			cab_app_sync(a);
			a->ctx.dirty = true;
			return 0;
		}
		a->view.released = false;
		cab_session_set_doctor(cab_flow_session(a->flow), fx->text, fx->detail, fx->id);
		cab_bind_store_audit(a->store, CAB_ACTOR_STATION, "doctor_assigned", fx->id);
		cab_app_sync(a);
		cab_app_maybe_join(a, cab_mono_ms());
		return 0;
	case CAB_FX_QUEUE:
		a->view.queue_position = fx->n;
		a->view.queue_estimate_s = (int)fx->t0;
		a->ctx.dirty = true;
		return 0;
	case CAB_FX_DOCTOR_REQUEST:
		doctor_request(a, fx);
		return 0;
	case CAB_FX_IDENTITY_CHECKED:
		return cab_bind_store_identity_checked(a->store, fx->text);
	case CAB_FX_PRESCRIPTION:
		if (!a->print)
			return -1;
		cab_bind_print_offer(a->print, fx->text);
		return 0;
	case CAB_FX_LINK_STATUS: /* link thread */
		cab_bind_service_link_status(a->svc, fx->p);
		return 0;
	case CAB_FX_LINK_RTT: /* link thread */
		cab_bind_service_link_rtt(a->svc, fx->t0);
		return 0;
	case CAB_FX_CALL_SIGNAL_IN:
		cab_bind_media_signal(a->media, fx->text);
		return 0;
	case CAB_FX_CALL_SIGNAL_OUT: /* the peer's threads */
		return cab_bind_link_send_signal(a->link, fx->id, fx->text);
	case CAB_FX_OUTBOX_PORT:
		cab_bind_service_outbox_port(a->svc, fx->mp);
		return 0;
	}
	cab_warn("app", "effect %d not handled", (int)fx->kind);
	return -1;
}

void cab_app_fx_incident(struct cab_app *a, const char *kind, int64_t start_ms, int64_t end_ms,
                         const char *detail)
{
	cab_app_dispatch(a, &(struct cab_fx){.kind = CAB_FX_INCIDENT,
	                                     .text = kind,
	                                     .t0 = start_ms,
	                                     .t1 = end_ms,
	                                     .detail = detail});
}

void cab_app_fx_audit(struct cab_app *a, int actor, const char *action, const char *detail)
{
	cab_app_dispatch(a, &(struct cab_fx){.kind = CAB_FX_AUDIT, .n = actor, .text = action, .detail = detail});
}

/* --- the main loop ------------------------------------------------------------------ */

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
			cab_bind_devices_reading(a->devices, ev->payload);
		cab_app_maybe_join(a, cab_mono_ms());
		break;
	}
	case CAB_QEV_QUIT:
		a->quit = true;
		break;
	case CAB_QEV_DEVICE:
		if (ev->payload)
			cab_bind_devices_event(a->devices, ev->payload);
		cab_app_maybe_join(a, cab_mono_ms());
		break;
	case CAB_QEV_LINK:
		if (ev->payload && a->link)
			cab_bind_link_event(a->link, ev->payload);
		break;
	case CAB_QEV_MEDIA:
		if (ev->payload)
			cab_bind_media_event(a->media, ev->payload);
		break;
	case CAB_QEV_PRINT:
		if (ev->payload && a->print)
			cab_bind_print_event(a->print, ev->payload);
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
	if (a->started && map && *map && !cab_svc_hooks_write_map(&a->ctx, map))
		cab_stage_write_map(&a->stage, &a->ctx, map);
}

/* --config FILE (else, installed, $(sysconfdir)/cabin/cabin.ini when it exists, else
 * defaults), then CABIN_DATA_DIR over the data directory. An installed cabin's data
 * directory defaults to systemd's StateDirectory (common/install_dirs.h). */
static int load_config(struct cab_app *a)
{
	static struct cab_config_errors errs;
	static char installed_ini[400];
	cab_config_defaults(&a->cfg);
	const char *file = a->opt.config;
	if (a->paths.installed) {
		snprintf(installed_ini, sizeof installed_ini, "%.300s/cabin.ini", cab_install_config_dir());
		if (!file && access(installed_ini, R_OK) == 0)
			file = installed_ini;
	}
	if (file) {
		cab_info("app", "configuration %s", file);
		snprintf(a->config_path, sizeof a->config_path, "%s", file);
		if (cab_config_load(file, &a->cfg, &errs)) {
			for (int i = 0; i < errs.count && i < CAB_CONFIG_MAX_ERRORS; i++)
				cab_err("app", "%s", errs.e[i].text);
			return -1;
		}
	}
	/* installed, a data directory the file leaves at its default is the StateDirectory */
	static struct cab_config defaults;
	cab_config_defaults(&defaults);
	if (a->paths.installed && !strcmp(a->cfg.data_dir, defaults.data_dir))
		cab_install_state_dir("cabin", a->cfg.data_dir, sizeof a->cfg.data_dir);
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
	/* the pre-call time over [timeouts] precall: tests and demos (0..86400 s) */
	const char *pre = getenv("CABIN_PRECALL_S");
	if (pre && *pre) {
		char *end;
		long v = strtol(pre, &end, 10);
		if (*end || v < 0 || v > 86400) {
			cab_err("app", "CABIN_PRECALL_S: must be a whole number of seconds from 0 to 86400");
			return -1;
		}
		a->cfg.timeout_s[CAB_TMO_PRECALL] = (int)v;
	}
	/* the private keys, wherever they were set (file or environment): apart from the
	 * data, owner-only; the cabin does not start otherwise */
	char kmsg[CAB_CONFIG_PATH * 2 + 160];
	if (cab_config_check_keys(&a->cfg, kmsg, sizeof kmsg)) {
		cab_err("app", "%s", kmsg);
		return -1;
	}
	return 0;
}

static void on_transition(void *user, const struct cab_flow_transition *t)
{
	(void)user;
	cab_info("flow", "%s -> %s (%s)", cab_flow_state_name(t->from), cab_flow_state_name(t->to),
	         cab_flow_event_name(t->event));
}

/* [ui] renderer: "software" asks SDL for its own rasteriser and a shared-memory
 * window surface (no OpenGL context, so no Mesa llvmpipe on a machine without a GPU);
 * "accelerated" leaves SDL's choice (OpenGL where it is). SDL's environment variables
 * (SDL_RENDER_DRIVER, SDL_FRAMEBUFFER_ACCELERATION) still win: default priority. */
static void set_renderer_hints(const struct cab_config *cfg)
{
	if (strcmp(cfg->renderer, "software"))
		return;
	SDL_SetHintWithPriority(SDL_HINT_RENDER_DRIVER, "software", SDL_HINT_DEFAULT);
	SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0", SDL_HINT_DEFAULT);
}

/* Starts the parts once the attract screen is on the glass (the patient sees the
 * cabin at once; docs/memory.md "Start"): the store (key derivation, sqlite), the
 * instruments, the service (recovery of interrupted sessions first), the media, the
 * voice, then the link. Returns 0, or -1 when the store or the instruments cannot. */
static int start_parts(struct cab_app *a)
{
	cab_app_places_load(a); /* 37,000 communes: about 40 ms, not before the first frame */
	cab_bind_store_open(a->store);
	if (!(a->devices = cab_bind_devices_start(a)))
		return -1;
	cab_bind_service_start(a->svc, cab_bind_store_handle(a->store), cab_bind_devices_manager(a->devices),
	                       &a->wd); /* recovery of interrupted sessions first */
	if (cab_bind_service_outbox_expire(a->svc))
		cab_app_dispatch(a, &(struct cab_fx){.kind = CAB_FX_OUTBOX_QUEUED});
	a->expire_due = cab_mono_ms() + 60000;
	const struct cab_app_session *ses = cab_bind_store_session(a->store);
	a->print = cab_bind_print_new(a, ses);
	if (!getenv("CABIN_NO_MEDIA")) {
		a->media = cab_bind_media_start(a, ses);
	}
	cab_app_voice_start(a);
	if (!getenv("CABIN_NO_LINK"))
		a->link = cab_bind_link_start(a, cab_bind_store_handle(a->store), ses);
	cab_test_hook_start(a);
	return 0;
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
	for (int t = 0; t < CAB_TMO__COUNT; t++) /* [timeouts] (the table: config.h) */
		if (cab_timeouts[t].state &&
		    cab_flow_config_set_timeout(&cfg, cab_timeouts[t].key, a->cfg.timeout_s[t]))
			cab_warn("app", "timeout %s not applied", cab_timeouts[t].key);
	cfg.countdown_ms = (int64_t)a->cfg.timeout_s[CAB_TMO_STILL_THERE] * 1000;
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
	ui_i18n_init(a->paths.locale, o->lang);
	cab_app_view_setup(a);
	/* the parts' handles; they start after the first frame (start_parts) */
	a->svc = cab_bind_service_new(a);
	a->store = cab_bind_store_new(a);
	if (!a->svc || !a->store)
		goto out_parts;
	cab_flow_add_observer(a->flow, cab_bind_store_on_transition, a->store);
	cab_watchdog_init(&a->wd, NULL);
	set_renderer_hints(&a->cfg);

	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	Uint32 flags = 0; /* no HiDPI scaling: window points are pixels, as input expects */
	int w = o->windowed ? o->win_w : 1280, h = o->windowed ? o->win_h : 800;
	if (!o->windowed)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	a->win = SDL_CreateWindow("Cabin", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
	if (!a->win) {
		cab_err("app", "window: %s", SDL_GetError());
		goto out_parts;
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
	cab_info("app", "cabin %s: %dx%d %s, language %s, video driver %s", CABIN_VERSION, w, h,
	         o->windowed ? "windowed" : "fullscreen", o->lang, vdrv ? vdrv : "none");

	bool first = true;
	while (!a->quit) {
		if (a->ctx.dirty)
			redraw(a);
		if (first) {
			cab_info("app", "first screen drawn (%s)", cab_flow_state_name(cab_flow_state(a->flow)));
			first = false;
			if (start_parts(a)) {
				rc = 1;
				goto out_ui;
			}
			a->started = true;
			cab_watchdog_ready(&a->wd, "attract");
			a->ctx.dirty = true; /* what the parts report (link, instruments) */
		}
		int64_t now = cab_mono_ms();
		int64_t wait = cab_svc_hooks_wait(cab_app_next_timer(a, now));
		int64_t wd_due = cab_watchdog_due_ms(&a->wd);
		if (wd_due >= 0 && (wait < 0 || wd_due < wait))
			wait = wd_due;
		SDL_Event e;
		int got = wait < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, wait > 60000 ? 60000 : (int)wait);
		if (got) {
			on_sdl_event(a, &e);
			while (!a->quit && SDL_PollEvent(&e))
				on_sdl_event(a, &e);
		}
		now = cab_mono_ms();
		/* the previous iteration (wait + work) must have been short enough to
		 * ping; then a new iteration starts */
		cab_watchdog_service(&a->wd);
		cab_watchdog_tick(&a->wd);
		cab_app_timers(a, now);
		if (now >= a->expire_due) { /* store.outbox_max_age_s, once a minute */
			a->expire_due = now + 60000;
			if (cab_bind_service_outbox_expire(a->svc))
				cab_app_dispatch(a, &(struct cab_fx){.kind = CAB_FX_OUTBOX_QUEUED});
		}
		if (cab_flow_tick(a->flow))
			cab_app_sync(a);
		if (cab_svc_hooks_tick())
			a->ctx.dirty = true;
	}
	rc = 0;
out_ui:
	cab_test_hook_stop();
	cab_watchdog_stopping(&a->wd);
	cab_app_voice_stop(a);
	SDL_StopTextInput();
	ui_ctx_free(&a->ctx);
out_ren:
	cab_events_drain();
	SDL_DestroyRenderer(a->ren);
out_win:
	SDL_DestroyWindow(a->win);
out_parts:
	cab_bind_media_quiet(a->media); /* the sender first: it sends through the link */
	cab_bind_link_stop(a->link);    /* then the link thread, which feeds the receiver */
	a->link = NULL;
	cab_bind_media_stop(a->media);
	a->media = NULL;
	cab_bind_service_stop(a->svc); /* after the link: it meters the link's outbox */
	a->svc = NULL;
	cab_bind_devices_stop(a->devices);
	cab_bind_print_stop(a->print); /* after the queue: a job's result may still come */
	a->print = NULL;
	a->devices = NULL;
	cab_events_drain();
	cab_bind_store_free(a->store);
	a->store = NULL;
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
