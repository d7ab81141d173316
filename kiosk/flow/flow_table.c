/* flow_table.c — the patient flow's transition table and the actions its rows run.
 * Each row names the rule it carries out (STYLE.md practice 4); the engine that walks
 * the table is flow.c. */
#include "kiosk/flow/flow_internal.h"

#include "log.h"

/* START: a fresh session with a new pseudonymous id. */
static int act_begin(struct cab_flow *f)
{
	f->end = CAB_END_NONE;
	f->emergency = false;
	if (cab_session_begin(&f->session, f->cfg.wall.now_ms(f->cfg.wall.user)) < 0) {
		cab_err("flow", "cannot draw a session id: start refused");
		return -1;
	}
	return 0;
}

/* Leaving for attract before anything was entered: keep nothing. */
static int act_clear(struct cab_flow *f)
{
	cab_session_clear(&f->session);
	return 0;
}

/* The language must be set before going on (the UI sets it with the choice). */
static int act_need_language(struct cab_flow *f)
{
	return f->session.lang[0] ? 0 : -1;
}

/* Consent before sending: the record must be complete and say yes. */
static int act_need_consent(struct cab_flow *f)
{
	return cab_session_consented(&f->session) ? 0 : -1;
}

/* The patient may refuse: keep nothing, not even the answer. */
static int act_declined(struct cab_flow *f)
{
	cab_session_clear(&f->session);
	f->end = CAB_END_DECLINED;
	return 0;
}

/* Identity before the doctor: the traits were checked and stored. */
static int act_need_identity(struct cab_flow *f)
{
	return f->session.identity_done ? 0 : -1;
}

/* The doctor joins only a consented and identified session. */
static int act_need_consent_identity(struct cab_flow *f)
{
	return cab_session_consented(&f->session) && f->session.identity_done ? 0 : -1;
}

static int act_checks_failed(struct cab_flow *f)
{
	f->end = CAB_END_CHECKS_FAILED;
	return 0;
}

static int act_completed(struct cab_flow *f)
{
	f->end = CAB_END_COMPLETED;
	return 0;
}

static int act_stopped(struct cab_flow *f)
{
	if (f->end == CAB_END_NONE)
		f->end = CAB_END_STOPPED;
	return 0;
}

static int act_aborted(struct cab_flow *f)
{
	if (f->end == CAB_END_NONE)
		f->end = CAB_END_ABORTED;
	return 0;
}

static int act_timed_out(struct cab_flow *f)
{
	if (f->end == CAB_END_NONE)
		f->end = CAB_END_TIMEOUT;
	return 0;
}

/* "I need more time" (issue 16): the engine resets the timer and closes the
 * countdown on every row; the patient who answered gets the state's whole timeout
 * again on top, until the state changes. */
static int act_still_here(struct cab_flow *f)
{
	f->extra_ms = f->cfg.timeout_ms[f->state];
	return 0;
}

static int act_emergency_on(struct cab_flow *f)
{
	f->emergency = true;
	return 0;
}

static int act_emergency_off(struct cab_flow *f)
{
	f->emergency = false;
	return 0;
}

#define A(fn) fn, #fn
#define NOACT NULL, NULL

/* Specific rows first, pseudo-state rows last (first match wins). */
static const struct cab_flow_row rows[] = {
	/* the journey, DESIGN.md "The patient flow" */
	{CAB_FLOW_ATTRACT, CAB_EV_START, CAB_FLOW_LANGUAGE, A(act_begin),
	 "a session starts with a fresh pseudonymous id"},
	{CAB_FLOW_LANGUAGE, CAB_EV_LANGUAGE_CHOSEN, CAB_FLOW_INFORMATION, A(act_need_language),
	 "the patient reads everything in their language"},
	{CAB_FLOW_LANGUAGE, CAB_EV_BACK, CAB_FLOW_ATTRACT, A(act_clear),
	 "the patient may leave: nothing kept"},
	{CAB_FLOW_INFORMATION, CAB_EV_INFORMATION_READ, CAB_FLOW_CONSENT, NOACT,
	 "information before consent"},
	{CAB_FLOW_INFORMATION, CAB_EV_BACK, CAB_FLOW_LANGUAGE, NOACT,
	 "the patient may change language"},
	{CAB_FLOW_CONSENT, CAB_EV_CONSENT_GIVEN, CAB_FLOW_IDENTITY, A(act_need_consent),
	 "consent before sending"},
	{CAB_FLOW_CONSENT, CAB_EV_CONSENT_DECLINED, CAB_FLOW_ENDED, A(act_declined),
	 "the patient may refuse"},
	{CAB_FLOW_CONSENT, CAB_EV_BACK, CAB_FLOW_INFORMATION, NOACT,
	 "information before consent"},
	{CAB_FLOW_IDENTITY, CAB_EV_IDENTITY_VALID, CAB_FLOW_CHECKS, A(act_need_identity),
	 "identity before the doctor"},
	{CAB_FLOW_IDENTITY, CAB_EV_BACK, CAB_FLOW_CONSENT, NOACT,
	 "the patient may read the consent again (nothing sent yet)"},
	{CAB_FLOW_CHECKS, CAB_EV_CHECKS_PASSED, CAB_FLOW_WAITING_ROOM, NOACT,
	 "camera, sound and network checked before the call"},
	{CAB_FLOW_CHECKS, CAB_EV_CHECKS_FAILED, CAB_FLOW_ENDED, A(act_checks_failed),
	 "no call without working camera, sound and network"},
	{CAB_FLOW_WAITING_ROOM, CAB_EV_DOCTOR_JOINED, CAB_FLOW_CONSULTATION,
	 A(act_need_consent_identity), "identity before the doctor"},
	{CAB_FLOW_CONSULTATION, CAB_EV_CONSULTATION_ENDED, CAB_FLOW_SUMMARY, A(act_completed),
	 "the patient sees what was done and sent"},
	{CAB_FLOW_SUMMARY, CAB_EV_SUMMARY_DONE, CAB_FLOW_WIPE, NOACT, "wipe after the end"},
	{CAB_FLOW_ENDED, CAB_EV_ENDED_DONE, CAB_FLOW_WIPE, NOACT, "wipe after the end"},
	{CAB_FLOW_ENDED, CAB_EV_STOP, CAB_FLOW_WIPE, NOACT, "wipe after the end"},
	{CAB_FLOW_WIPE, CAB_EV_WIPE_DONE, CAB_FLOW_ATTRACT, NOACT,
	 "nothing left for the next patient"},
	{CAB_FLOW_WIPE, CAB_EV_TIMEOUT, CAB_FLOW_ATTRACT, NOACT,
	 "nothing left for the next patient"},
	/* from every screen */
	{CAB_FLOW_IN_SESSION, CAB_EV_STOP, CAB_FLOW_ENDED, A(act_stopped),
	 "the patient may stop at any time"},
	{CAB_FLOW_IN_SESSION, CAB_EV_TIMEOUT, CAB_FLOW_WIPE, A(act_timed_out),
	 "an abandoned session is wiped"},
	{CAB_FLOW_IN_SESSION, CAB_EV_STILL_HERE, CAB_FLOW_SAME, A(act_still_here),
	 "ask before ending for inactivity"},
	{CAB_FLOW_ANY, CAB_EV_ABORT, CAB_FLOW_WIPE, A(act_aborted),
	 "abort from every state, nothing kept"},
	{CAB_FLOW_ANY, CAB_EV_EMERGENCY, CAB_FLOW_SAME, A(act_emergency_on),
	 "emergency numbers reachable from every screen"},
	{CAB_FLOW_ANY, CAB_EV_EMERGENCY_CLOSE, CAB_FLOW_SAME, A(act_emergency_off),
	 "emergency numbers reachable from every screen"},
};

const struct cab_flow_row *cab_flow_table(size_t *count)
{
	if (count)
		*count = sizeof rows / sizeof rows[0];
	return rows;
}
