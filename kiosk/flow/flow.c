/* flow.c — the engine of the patient flow: walks the table of flow_table.c, keeps
 * the inactivity timers and the "still there?" countdown, calls the observers. */
#include "kiosk/flow/flow_internal.h"

#include <stdlib.h>
#include <string.h>

#include "kiosk/config/config.h"
#include "log.h"

static const char *const state_names[CAB_FLOW_STATE_COUNT] = {
	"attract", "language", "information", "consent", "identity", "checks",
	"waiting_room", "consultation", "summary", "ended", "wipe",
};

static const char *const event_names[CAB_EV_COUNT] = {
	"start", "language_chosen", "back", "information_read", "consent_given",
	"consent_declined", "identity_valid", "checks_passed", "checks_failed",
	"doctor_joined", "consultation_ended", "summary_done", "ended_done", "wipe_done",
	"stop", "abort", "timeout", "still_here", "emergency", "emergency_close",
};

static const char *const end_names[] = {
	"none", "completed", "declined", "stopped", "checks_failed", "timeout", "aborted",
};

const char *cab_flow_state_name(enum cab_flow_state s)
{
	if ((unsigned)s < CAB_FLOW_STATE_COUNT)
		return state_names[s];
	switch (s) {
	case CAB_FLOW_ANY: return "any";
	case CAB_FLOW_IN_SESSION: return "in_session";
	case CAB_FLOW_SAME: return "same";
	default: return "unknown";
	}
}

const char *cab_flow_event_name(enum cab_flow_event ev)
{
	return (unsigned)ev < CAB_EV_COUNT ? event_names[ev] : "unknown";
}

const char *cab_flow_end_name(enum cab_flow_end e)
{
	return (unsigned)e < sizeof end_names / sizeof end_names[0] ? end_names[e] : "unknown";
}

int cab_flow_state_from_name(const char *name)
{
	for (int i = 0; name && i < CAB_FLOW_STATE_COUNT; i++)
		if (!strcmp(name, state_names[i]))
			return i;
	return -1;
}

int cab_flow_event_from_name(const char *name)
{
	for (int i = 0; name && i < CAB_EV_COUNT; i++)
		if (!strcmp(name, event_names[i]))
			return i;
	return -1;
}

static int64_t wall_now(void *user)
{
	(void)user;
	return cab_wall_ms();
}

void cab_flow_config_defaults(struct cab_flow_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	for (int t = 0; t < CAB_TMO__COUNT; t++) { /* the one table (kiosk/config) */
		int s = cab_timeouts[t].state ? cab_flow_state_from_name(cab_timeouts[t].key) : -1;
		if (s < 0)
			continue;
		cfg->timeout_ms[s] = (int64_t)cab_timeouts[t].default_s * 1000;
		cfg->ask[s] = cab_timeouts[t].ask;
	}
	cfg->countdown_ms = (int64_t)cab_timeouts[CAB_TMO_STILL_THERE].default_s * 1000;
	cfg->clock = cab_clock_system;
	cfg->wall.now_ms = wall_now;
	cfg->wall.user = NULL;
}

int cab_flow_config_set_timeout(struct cab_flow_config *cfg, const char *name, int seconds)
{
	int s = cab_flow_state_from_name(name);
	if (s < 0 || seconds < 0 || seconds > 24 * 3600)
		return -1;
	cfg->timeout_ms[s] = (int64_t)seconds * 1000;
	return 0;
}

static int64_t mono(const struct cab_flow *f)
{
	return f->cfg.clock.now_ms(f->cfg.clock.user);
}

struct cab_flow *cab_flow_new(const struct cab_flow_config *cfg)
{
	struct cab_flow *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	if (cfg)
		f->cfg = *cfg;
	else
		cab_flow_config_defaults(&f->cfg);
	if (!f->cfg.clock.now_ms)
		f->cfg.clock = cab_clock_system;
	if (!f->cfg.wall.now_ms)
		f->cfg.wall.now_ms = wall_now;
	f->state = CAB_FLOW_ATTRACT;
	f->last_activity_ms = mono(f);
	f->last_left_s = -1;
	return f;
}

void cab_flow_free(struct cab_flow *f)
{
	if (!f)
		return;
	cab_session_clear(&f->session);
	free(f);
}

int cab_flow_add_observer(struct cab_flow *f, cab_flow_observer fn, void *user)
{
	if (!fn || f->n_obs >= CAB_FLOW_MAX_OBSERVERS)
		return -1;
	f->obs[f->n_obs].fn = fn;
	f->obs[f->n_obs].user = user;
	f->n_obs++;
	return 0;
}

static bool row_matches(const struct cab_flow_row *r, enum cab_flow_state s,
                        enum cab_flow_event ev)
{
	if (r->event != ev)
		return false;
	if (r->state == s || r->state == CAB_FLOW_ANY)
		return true;
	if (r->state == CAB_FLOW_IN_SESSION)
		return (s >= CAB_FLOW_LANGUAGE && s <= CAB_FLOW_SUMMARY) || s == CAB_FLOW_ENDED;
	return false;
}

/* Entry step of each state: entering WIPE erases the session ("wipe after the end";
 * DESIGN.md: a refusal or an abort leaves nothing behind). */
static void enter(struct cab_flow *f, enum cab_flow_state s)
{
	if (s == CAB_FLOW_WIPE) {
		cab_session_clear(&f->session);
		f->emergency = false;
	}
}

static void restart_timer(struct cab_flow *f)
{
	f->last_activity_ms = mono(f);
	f->asking = false;
	f->last_left_s = -1;
}

enum cab_flow_result cab_flow_handle(struct cab_flow *f, enum cab_flow_event ev)
{
	size_t n;
	const struct cab_flow_row *rows = cab_flow_table(&n);
	const struct cab_flow_row *row = NULL;
	for (size_t i = 0; i < n && !row; i++)
		if (row_matches(&rows[i], f->state, ev))
			row = &rows[i];
	if (!row) {
		cab_warn("flow", "event %s not handled in state %s", cab_flow_event_name(ev),
		         cab_flow_state_name(f->state));
		return CAB_FLOW_NOT_HANDLED;
	}
	if (row->action && row->action(f) < 0) {
		cab_warn("flow", "event %s refused in state %s (rule: %s)", cab_flow_event_name(ev),
		         cab_flow_state_name(f->state), row->rule);
		return CAB_FLOW_REFUSED;
	}
	struct cab_flow_transition t = {
		.t_ms = f->cfg.wall.now_ms(f->cfg.wall.user),
		.from = f->state,
		.to = row->next == CAB_FLOW_SAME ? f->state : row->next,
		.event = ev,
		.rule = row->rule,
	};
	f->state = t.to;
	if (t.to != t.from) {
		enter(f, t.to);
		f->extra_ms = 0;
	}
	restart_timer(f);
	cab_debug("flow", "%s --%s--> %s (%s)", cab_flow_state_name(t.from),
	          cab_flow_event_name(ev), cab_flow_state_name(t.to), row->rule);
	for (int i = 0; i < f->n_obs; i++)
		f->obs[i].fn(f->obs[i].user, &t);
	return CAB_FLOW_HANDLED;
}

void cab_flow_activity(struct cab_flow *f)
{
	restart_timer(f);
}

/* Seconds left on the countdown at NOW, rounded up; 0 when it has run out. */
static int left_s(const struct cab_flow *f, int64_t now)
{
	int64_t left = f->cfg.countdown_ms - (now - f->ask_start_ms);
	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

/* Feeds TIMEOUT; if the table has no row for it here (a configuration gave a timeout
 * to a state without one), the timer starts over instead of firing at every tick. */
static void timeout_now(struct cab_flow *f)
{
	if (cab_flow_handle(f, CAB_EV_TIMEOUT) != CAB_FLOW_HANDLED)
		restart_timer(f);
}

bool cab_flow_tick(struct cab_flow *f)
{
	int64_t timeout = f->cfg.timeout_ms[f->state];
	if (timeout <= 0)
		return false;
	int64_t now = mono(f);
	if (!f->asking) {
		if (now - f->last_activity_ms < timeout + f->extra_ms)
			return false;
		if (f->cfg.ask[f->state] && f->cfg.countdown_ms > 0) {
			f->asking = true;
			f->ask_start_ms = now;
			f->last_left_s = left_s(f, now);
			cab_info("flow", "no activity in %s: asking whether the patient is still there",
			         cab_flow_state_name(f->state));
			return true;
		}
		timeout_now(f);
		return true;
	}
	int left = left_s(f, now);
	if (left == 0) {
		cab_info("flow", "nobody answered in %s: timeout", cab_flow_state_name(f->state));
		timeout_now(f);
		return true;
	}
	if (left != f->last_left_s) {
		f->last_left_s = left;
		return true;
	}
	return false;
}

int64_t cab_flow_next_tick_ms(const struct cab_flow *f)
{
	int64_t timeout = f->cfg.timeout_ms[f->state];
	if (timeout <= 0)
		return -1;
	int64_t now = mono(f);
	int64_t wait;
	if (!f->asking) {
		wait = f->last_activity_ms + timeout + f->extra_ms - now;
	} else {
		int64_t left = f->cfg.countdown_ms - (now - f->ask_start_ms);
		/* next whole-second boundary of the countdown, or its end */
		wait = left <= 0 ? 0 : (left % 1000 ? left % 1000 : 1000);
	}
	return wait < 0 ? 0 : wait;
}

enum cab_flow_state cab_flow_state(const struct cab_flow *f)
{
	return f->state;
}

int cab_flow_still_there_left_s(const struct cab_flow *f)
{
	if (!f->asking)
		return -1;
	int left = left_s(f, mono(f));
	return left < 1 ? 1 : left;
}

bool cab_flow_emergency_shown(const struct cab_flow *f)
{
	return f->emergency;
}

enum cab_flow_end cab_flow_end_reason(const struct cab_flow *f)
{
	return f->end;
}

struct cab_session *cab_flow_session(struct cab_flow *f)
{
	return &f->session;
}
