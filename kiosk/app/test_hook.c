/* test_hook.c — the test hook (test_hook.h): a unix socket whose lines become
 * commands run on the main thread, so tests drive the real cabin (the same input
 * path as a finger: taps are SDL mouse events at a widget's centre, found in the
 * stage's widget map) and read its state, frame times and first-frame time. */
#include "kiosk/app/test_hook.h"

#include <SDL2/SDL.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/bind_devices.h"
#include "kiosk/app/bind_link.h"
#include "kiosk/app/bind_media.h"
#include "kiosk/app/bind_store.h"
#include "kiosk/service/ui/hooks.h"
#include "log.h"

#define LINE_MAX_BYTES 1024
#define REPLY_MAX_BYTES 8192
#define REPLY_WAIT_MS 10000

struct hook_req {
	char line[LINE_MAX_BYTES];
	char reply[REPLY_MAX_BYTES];
	bool done;
};

static struct {
	bool on;
	char path[108];
	char map[160];
	int lfd;               /* listening socket */
	int stop[2];           /* pipe: wakes the thread to stop */
	pthread_t th;
	Uint32 ev_type;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct hook_req *timed; /* tap-time waiting for its frame (main thread) */
	int64_t timed_t0_us;
	int64_t first_frame_us; /* CLOCK_REALTIME µs of the first presented frame */
	uint64_t frames;
} H = {.lfd = -1, .stop = {-1, -1}, .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static _Atomic int speed = 1;

int64_t cab_test_hook_ms(int64_t ms)
{
	return ms / atomic_load(&speed);
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --- hook thread: socket lines -> main thread -> reply -------------------------- */

static void finish(struct hook_req *r)
{
	pthread_mutex_lock(&H.mu);
	r->done = true;
	pthread_cond_broadcast(&H.cv);
	pthread_mutex_unlock(&H.mu);
}

/* Posts R to the main thread and waits for its reply (bounded). */
static void run_on_main(struct hook_req *r)
{
	SDL_Event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = H.ev_type;
	ev.user.data1 = r;
	r->done = false;
	if (SDL_PushEvent(&ev) != 1) {
		snprintf(r->reply, sizeof r->reply, "err queue full");
		return;
	}
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += REPLY_WAIT_MS / 1000;
	pthread_mutex_lock(&H.mu);
	while (!r->done)
		if (pthread_cond_timedwait(&H.cv, &H.mu, &dl) == ETIMEDOUT)
			break;
	bool late = !r->done;
	pthread_mutex_unlock(&H.mu);
	if (late) { /* the main thread still owns R: wait for it without a bound */
		pthread_mutex_lock(&H.mu);
		while (!r->done)
			pthread_cond_wait(&H.cv, &H.mu);
		pthread_mutex_unlock(&H.mu);
	}
}

static void serve(int fd)
{
	struct hook_req *r = calloc(1, sizeof *r);
	size_t len = 0;
	if (!r)
		return;
	for (;;) {
		struct pollfd p[2] = {{fd, POLLIN, 0}, {H.stop[0], POLLIN, 0}};
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!p[0].revents)
			continue;
		ssize_t n = read(fd, r->line + len, sizeof r->line - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		r->line[len] = 0;
		char *nl;
		while ((nl = strchr(r->line, '\n'))) {
			*nl = 0;
			size_t rest = len - (size_t)(nl + 1 - r->line);
			char keep[LINE_MAX_BYTES];
			memcpy(keep, nl + 1, rest);
			if (nl > r->line && nl[-1] == '\r')
				nl[-1] = 0;
			run_on_main(r);
			size_t rl = strlen(r->reply);
			r->reply[rl++] = '\n';
			if (write(fd, r->reply, rl) != (ssize_t)rl)
				goto out;
			memcpy(r->line, keep, rest);
			len = rest;
			r->line[len] = 0;
		}
		if (len >= sizeof r->line - 1)
			break; /* a line too long: drop the client */
	}
out:
	free(r);
}

static void *hook_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd p[2] = {{H.lfd, POLLIN, 0}, {H.stop[0], POLLIN, 0}};
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!p[0].revents)
			continue;
		int fd = accept(H.lfd, NULL, NULL);
		if (fd < 0)
			continue;
		serve(fd);
		close(fd);
	}
	return NULL;
}

int cab_test_hook_start(struct cab_app *a)
{
	(void)a;
	const char *path = getenv("CABIN_TEST_HOOK");
	if (!path || !*path)
		return 0;
	if (strlen(path) >= sizeof H.path) {
		cab_err("hook", "CABIN_TEST_HOOK path too long");
		return -1;
	}
	snprintf(H.path, sizeof H.path, "%s", path);
	snprintf(H.map, sizeof H.map, "%s.map", path);
	const char *sp = getenv("CABIN_TEST_HOOK_SPEED");
	int s = sp ? atoi(sp) : 1;
	atomic_store(&speed, s >= 1 && s <= 100 ? s : 1);
	H.ev_type = SDL_RegisterEvents(1);
	if (H.ev_type == (Uint32)-1 || pipe(H.stop))
		return -1;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	unlink(path);
	H.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	mode_t old = umask(0077);
	int rc = H.lfd < 0 ? -1 : bind(H.lfd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (rc || listen(H.lfd, 4) || pthread_create(&H.th, NULL, hook_thread, NULL)) {
		cab_err("hook", "test hook socket %s: %s", path, strerror(errno));
		if (H.lfd >= 0)
			close(H.lfd);
		H.lfd = -1;
		return -1;
	}
	H.on = true;
	cab_warn("hook", "test hook listening on %s (speed x%d)", path, atomic_load(&speed));
	return 0;
}

void cab_test_hook_stop(void)
{
	if (!H.on)
		return;
	if (write(H.stop[1], "x", 1) != 1)
		cab_warn("hook", "stop pipe: %s", strerror(errno));
	pthread_join(H.th, NULL);
	close(H.lfd);
	close(H.stop[0]);
	close(H.stop[1]);
	unlink(H.path);
	unlink(H.map);
	H.on = false;
}

/* --- commands (main thread) ------------------------------------------------------ */

/* Centre of the enabled widget NAME in the current layout; false when absent. */
static bool widget_centre(struct cab_app *a, const char *name, int *x, int *y, char *screen, size_t ssz)
{
	cab_stage_layout(&a->stage, &a->ctx, &a->view);
	if (cab_stage_write_map(&a->stage, &a->ctx, H.map))
		return false;
	FILE *f = fopen(H.map, "r");
	if (!f)
		return false;
	char line[256], n[128];
	int wx, wy, ww, wh, en;
	bool found = false;
	if (screen && ssz)
		screen[0] = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#') {
			if (screen)
				sscanf(line, "# screen %63s", screen);
			continue;
		}
		if (sscanf(line, "%127s %d %d %d %d %d", n, &wx, &wy, &ww, &wh, &en) == 6 && en &&
		    !strcmp(n, name)) {
			*x = wx + ww / 2;
			*y = wy + wh / 2;
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

static void push_button(Uint32 type, int x, int y)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = type;
	e.button.windowID = 0;
	e.button.which = 0;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
	e.button.clicks = 1;
	e.button.x = x;
	e.button.y = y;
	SDL_PushEvent(&e);
}

static int cmd_tap(struct cab_app *a, const char *name, char *out, size_t n)
{
	int x, y;
	char screen[64];
	if (!widget_centre(a, name, &x, &y, screen, sizeof screen)) {
		snprintf(out, n, "err no enabled widget %s on screen %s", name, screen);
		return -1;
	}
	push_button(SDL_MOUSEBUTTONDOWN, x, y);
	push_button(SDL_MOUSEBUTTONUP, x, y);
	snprintf(out, n, "ok %d %d", x, y);
	return 0;
}

static int set_text(char *dst, size_t size, const char *v)
{
	if (strlen(v) >= size)
		return -1;
	snprintf(dst, size, "%s", v);
	return 0;
}

/* form FIELD VALUE: what the patient would type into the identity form. */
static void cmd_form(struct cab_app *a, const char *field, const char *v, char *out, size_t n)
{
	struct cab_id_form *f = &a->view.form;
	int rc = 0;
	if (a->view.state != CAB_FLOW_IDENTITY) {
		snprintf(out, n, "err not on the identity screen");
		return;
	}
	if (!strcmp(field, "birth_name"))
		rc = set_text(f->birth_name, sizeof f->birth_name, v);
	else if (!strcmp(field, "first_names"))
		rc = set_text(f->first_names, sizeof f->first_names, v);
	else if (!strcmp(field, "birth_date"))
		rc = set_text(f->birth_date, sizeof f->birth_date, v);
	else if (!strcmp(field, "sex"))
		f->sex = atoi(v);
	else if (!strcmp(field, "place")) { /* INSEE code: born in France, that commune */
		f->abroad = 0;
		rc = set_text(f->place_code, sizeof f->place_code, v);
		if (!rc)
			rc = set_text(f->place_query, sizeof f->place_query, v);
	} else if (!strcmp(field, "nir"))
		rc = set_text(f->nir, sizeof f->nir, v);
	else if (!strcmp(field, "phone"))
		rc = set_text(f->phone, sizeof f->phone, v);
	else
		rc = -1;
	a->ctx.dirty = true;
	snprintf(out, n, rc ? "err bad field or value" : "ok");
}

/* redraw N: N full frames (layout, draw, present) of the current screen, each
 * timed in µs, as the main loop draws them. */
static void cmd_redraw(struct cab_app *a, int count, char *out, size_t n)
{
	size_t o = (size_t)snprintf(out, n, "ok");
	for (int i = 0; i < count && o + 16 < n; i++) {
		int64_t t0 = mono_us();
		cab_stage_layout(&a->stage, &a->ctx, &a->view);
		cab_stage_draw(&a->stage, &a->ctx, &a->view);
		cab_svc_hooks_draw(&a->ctx);
		SDL_RenderPresent(a->ren);
		o += (size_t)snprintf(out + o, n - o, " %lld", (long long)(mono_us() - t0));
	}
	a->ctx.dirty = false;
}

/* "ok N HANDLE:SYSPATH ..." — the instruments attached now, oldest first. */
static void cmd_devices(struct cab_app *a, char *out, size_t n)
{
	struct cab_device_info list[16];
	struct cab_devices *dm = cab_bind_devices_manager(a->devices);
	size_t count = dm ? cab_devices_list(dm, list, 16) : 0;
	size_t o = (size_t)snprintf(out, n, "ok %zu", count);
	for (size_t i = 0; i < count && i < 16 && o < n; i++)
		o += (size_t)snprintf(out + o, n - o, " %u:%s", list[i].handle, list[i].syspath);
}

static void run(struct cab_app *a, struct hook_req *r)
{
	char *out = r->reply, verb[32] = "", arg1[128] = "", rest[512] = "";
	size_t n = sizeof r->reply;
	int k = sscanf(r->line, "%31s %127s %511[^\n]", verb, arg1, rest);
	(void)k;
	if (!strcmp(verb, "ping")) {
		snprintf(out, n, "ok pong");
	} else if (!strcmp(verb, "state")) {
		snprintf(out, n, "ok %s %d", cab_flow_state_name(cab_flow_state(a->flow)), a->view.still_there_s);
	} else if (!strcmp(verb, "screen")) {
		int x, y;
		char screen[64];
		widget_centre(a, "", &x, &y, screen, sizeof screen);
		snprintf(out, n, "ok %s", screen);
	} else if (!strcmp(verb, "tap")) {
		cmd_tap(a, arg1, out, n);
	} else if (!strcmp(verb, "tap-time")) {
		if (H.timed || cmd_tap(a, arg1, out, n)) {
			if (H.timed)
				snprintf(out, n, "err a timed tap is pending");
		} else {
			H.timed = r;
			H.timed_t0_us = mono_us();
			return; /* answered by cab_test_hook_frame() */
		}
	} else if (!strcmp(verb, "form")) {
		cmd_form(a, arg1, rest, out, n);
	} else if (!strcmp(verb, "tile")) {
		int t = atoi(arg1);
		if (t < 0 || t >= CAB_VIEW_INSTRUMENTS)
			snprintf(out, n, "err no tile %d", t);
		else
			snprintf(out, n, "ok %d %s", (int)a->view.instruments[t].state, a->view.instruments[t].detail);
	} else if (!strcmp(verb, "check")) {
		int t = atoi(arg1);
		if (t < 0 || t >= CAB_VIEW_CHECKS)
			snprintf(out, n, "err no check %d", t);
		else
			snprintf(out, n, "ok %d %s", (int)a->view.checks[t].state, a->view.checks[t].detail);
	} else if (!strcmp(verb, "sim-values")) {
		/* what the next simulated measurement gets (bind_devices.c reads it per
		 * measurement): a test "plugs back" a working instrument */
		setenv("CABIN_SIM_VALUES", arg1, 1);
		snprintf(out, n, "ok");
	} else if (!strcmp(verb, "devices")) {
		cmd_devices(a, out, n);
	} else if (!strcmp(verb, "video")) { /* pictures shown: the doctor's, our self-view */
		snprintf(out, n, "ok %u %u", a->view.video_seq, a->view.self_seq);
	} else if (!strcmp(verb, "media-stats")) { /* lip sync and adaptation figures */
		size_t used = (size_t)snprintf(out, n, "ok ");
		cab_bind_media_report(a->media, out + used, n - used);
	} else if (!strcmp(verb, "exam")) { /* stethoscope shown, exam camera, stills taken */
		snprintf(out, n, "ok %d %d %d", a->view.steth_on ? 1 : 0, a->view.exam_camera, a->view.stills_taken);
	} else if (!strcmp(verb, "readings")) {
		snprintf(out, n, "ok %d", a->view.readings_sent);
	} else if (!strcmp(verb, "sid")) {
		const struct cab_app_session *ses = a->store ? cab_bind_store_session(a->store) : NULL;
		snprintf(out, n, "ok %s", ses && ses->sid[0] ? ses->sid : "-");
	} else if (!strcmp(verb, "link")) {
		snprintf(out, n, "ok %s", cab_bind_link_up(a->link) ? "up" : "down");
	} else if (!strcmp(verb, "patient-ready")) {
		/* tests: tells the station the patient is ready (`patient_state`), as the
		 * waiting room's "I'm ready" does, so that a doctor may start the call */
		const struct cab_app_session *ses = a->store ? cab_bind_store_session(a->store) : NULL;
		static unsigned seq;
		char msg[200];
		int len = snprintf(msg, sizeof msg,
		                   "{\"type\":\"patient_state\",\"id\":\"hook-ready-%u-%lld\",\"session\":\"%s\","
		                   "\"ready\":true,\"measuring\":[]}",
		                   ++seq, (long long)cab_wall_ms(), ses ? ses->sid : "");
		snprintf(out, n, ses && ses->sid[0] && cab_bind_link_send_raw(a->link, msg, (size_t)len) == 0
		                     ? "ok"
		                     : "err no session or no link");
	} else if (!strcmp(verb, "frames")) {
		snprintf(out, n, "ok %llu", (unsigned long long)H.frames);
	} else if (!strcmp(verb, "first-frame")) {
		snprintf(out, n, "ok %lld", (long long)H.first_frame_us);
	} else if (!strcmp(verb, "redraw")) {
		int c = atoi(arg1);
		cmd_redraw(a, c < 1 ? 1 : c > 500 ? 500 : c, out, n);
	} else if (!strcmp(verb, "quit")) {
		a->quit = true;
		snprintf(out, n, "ok");
	} else {
		snprintf(out, n, "err unknown command '%s'", verb);
	}
	finish(r);
}

bool cab_test_hook_sdl_event(struct cab_app *a, const SDL_Event *e)
{
	if (!H.on || e->type != H.ev_type)
		return false;
	run(a, e->user.data1);
	return true;
}

void cab_test_hook_frame(struct cab_app *a)
{
	(void)a;
	if (!H.first_frame_us) /* the first frame comes before the hook starts (app.c) */
		H.first_frame_us = wall_us();
	if (!H.on)
		return;
	H.frames++;
	if (H.timed) {
		struct hook_req *r = H.timed;
		H.timed = NULL;
		snprintf(r->reply, sizeof r->reply, "ok %lld", (long long)(mono_us() - H.timed_t0_us));
		finish(r);
	}
}
