/* bind_store.c — binds the session store (kiosk/store) to the patient flow: a
 * session row when a session starts, the consent record and the identity stored
 * (encrypted), every message for the station written to the outbox before the link
 * sends it (docs/link-protocol.md), the session closed with its hand-off record
 * (wiped when the station acknowledges it) or wiped at once on refusal, stop,
 * timeout or abort; incidents and audit rows. Main thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/outmsg.h"
#include "kiosk/store/store.h"
#include "log.h"

int cab_app_store_open(struct cab_app *a)
{
	char msg[512] = "";
	struct cab_store_options o = {.data_dir = a->cfg.data_dir,
	                              .key_file = a->cfg.key_file[0] ? a->cfg.key_file : NULL};
	int rc = cab_store_open(&o, &a->store, msg, sizeof msg);
	if (rc) {
		cab_err("app", "store not opened (%s): %s", cab_store_status_name(rc), msg);
		a->store = NULL;
		return -1;
	}
	cab_info("app", "store open: %s", cab_store_db_path(a->store));
	cab_app_audit(a, CAB_ACTOR_CABIN, "cabin_start", CABIN_VERSION);
	return 0;
}

void cab_app_store_close(struct cab_app *a)
{
	if (!a->store)
		return;
	cab_app_audit(a, CAB_ACTOR_CABIN, "cabin_stop", "");
	cab_store_close(a->store);
	a->store = NULL;
}

void cab_app_audit(struct cab_app *a, int actor, const char *action, const char *detail)
{
	if (a->store)
		cab_store_audit(a->store, (enum cab_audit_actor)actor,
		                actor == CAB_ACTOR_SESSION ? a->sid : "cabin", action, detail ? detail : "");
}

/* Writes one message for the station to the outbox, then wakes the link. */
static void queue(struct cab_app *a, const char *type, char *body, const char *id, int personal)
{
	if (!body) {
		cab_err("app", "%s message could not be built", type);
		return;
	}
	if (a->store && a->sid[0]) {
		int rc = cab_store_outbox_put(a->store, a->sid, type, body, personal, id, NULL);
		if (rc)
			cab_err("app", "outbox: %s not queued (%s)", type, cab_store_status_name(rc));
	}
	explicit_bzero(body, strlen(body));
	free(body);
	cab_app_link_wake(a);
}

/* Consent given: the session exists for the station from now on (consent before
 * sending): session_open, then the consent record. */
static void open_for_station(struct cab_app *a, const struct cab_session *s)
{
	char id[37];
	if (a->sid_open_sent)
		return;
	a->sid_open_sent = true;
	queue(a, "session_open", cab_out_session_open(a->sid, a->session_start, id), id, 0);
	queue(a, "consent", cab_out_consent(a->sid, &s->consent, id), id, 1);
}

static void store_consent(struct cab_app *a, const struct cab_session *s)
{
	struct cab_store_consent c;
	memset(&c, 0, sizeof c);
	snprintf(c.text_version, sizeof c.text_version, "%s", s->consent.text_version);
	snprintf(c.language, sizeof c.language, "%s", s->consent.lang);
	c.n_answers = 2;
	snprintf(c.answers[0].question, sizeof c.answers[0].question, "teleconsultation");
	c.answers[0].accepted = s->consent.teleconsultation == CAB_ANSWER_YES;
	snprintf(c.answers[1].question, sizeof c.answers[1].question, "readings");
	c.answers[1].accepted = s->consent.readings == CAB_ANSWER_YES;
	c.recorded_ms = s->consent.time_ms;
	if (a->store && cab_store_consent_put(a->store, a->sid, &c))
		cab_err("app", "consent record not stored: %s", cab_store_errmsg(a->store));
}

static void store_identity(struct cab_app *a, const struct cab_session *s)
{
	const struct cab_identity *p = &s->identity;
	struct cab_store_identity id;
	memset(&id, 0, sizeof id);
	snprintf(id.birth_name, sizeof id.birth_name, "%.127s", p->birth_name);
	snprintf(id.first_names, sizeof id.first_names, "%.127s", p->first_names);
	snprintf(id.birth_date, sizeof id.birth_date, "%04u-%02u-%02u", (unsigned)p->birth_date.year % 10000u,
	         (unsigned)p->birth_date.month % 13u, (unsigned)p->birth_date.day % 32u);
	snprintf(id.sex, sizeof id.sex, "%s", p->sex == CAB_SEX_FEMALE ? "F" : "M");
	snprintf(id.birth_place, sizeof id.birth_place, "%s", p->birthplace.code);
	snprintf(id.nir, sizeof id.nir, "%s", p->ins);
	snprintf(id.phone, sizeof id.phone, "%s", p->phone);
	if (a->store && cab_store_identity_put(a->store, a->sid, &id))
		cab_err("app", "identity not stored: %s", cab_store_errmsg(a->store));
	explicit_bzero(&id, sizeof id);
	char mid[37];
	queue(a, "identity", cab_out_identity(a->sid, p, mid), mid, 1);
}

/* Outcome of a session that did not end normally, from the flow's end reason. */
static enum cab_store_outcome outcome_of(enum cab_flow_end e, const char **reason)
{
	switch (e) {
	case CAB_END_DECLINED:
		*reason = "refused";
		return CAB_OUTCOME_REFUSED;
	case CAB_END_TIMEOUT:
		*reason = "timeout";
		return CAB_OUTCOME_TIMEOUT;
	case CAB_END_CHECKS_FAILED:
		*reason = "checks-failed";
		return CAB_OUTCOME_ERROR;
	default:
		*reason = "aborted";
		return CAB_OUTCOME_ABORTED;
	}
}

/* The consultation ended: the hand-off record (session_close) goes to the outbox
 * and the session waits for its acknowledgement, which wipes it (kiosk/store). */
static void close_completed(struct cab_app *a)
{
	char id[37];
	if (a->sid_closed || !a->sid[0])
		return;
	a->sid_closed = true;
	if (a->link_lost_ms) { /* the call ends while the link is down: say so */
		cab_app_store_incident(a, "link-lost", a->link_lost_ms, 0, "link down at the end of the call");
		a->link_lost_ms = 0;
	}
	char *body = cab_out_session_close(a->sid, cab_wall_ms(), "completed", id);
	if (!body || !a->store) {
		free(body);
		return;
	}
	int rc = cab_store_session_close(a->store, a->sid, CAB_OUTCOME_COMPLETED, id, body);
	if (rc)
		cab_err("app", "session close: %s", cab_store_errmsg(a->store));
	free(body);
	cab_app_link_wake(a);
}

/* Refusal, stop, timeout, abort: the station (when it knows the session) is told
 * why, and the patient's data is wiped now. */
static void close_now(struct cab_app *a, enum cab_flow_end e)
{
	const char *reason;
	enum cab_store_outcome oc = outcome_of(e, &reason);
	if (a->sid_closed || !a->sid[0])
		return;
	a->sid_closed = true;
	if (a->sid_open_sent) {
		char id[37];
		queue(a, "session_close", cab_out_session_close(a->sid, cab_wall_ms(), reason, id), id, 0);
	}
	if (a->store && cab_store_session_close(a->store, a->sid, oc, NULL, NULL))
		cab_err("app", "session wipe: %s", cab_store_errmsg(a->store));
	cab_info("app", "session ended (%s): patient data wiped", reason);
}

void cab_app_store_on_transition(void *user, const struct cab_flow_transition *t)
{
	struct cab_app *a = user;
	struct cab_session *s = cab_flow_session(a->flow);
	if (t->from == CAB_FLOW_ATTRACT && t->to == CAB_FLOW_LANGUAGE) {
		a->sid[0] = 0;
		a->sid_open_sent = a->sid_closed = false;
		a->link_lost_ms = 0;
		a->doctor_asked = false;
		a->session_start = t->t_ms;
		cab_dedupe_reset(&a->dedupe);
		if (a->store && cab_store_session_begin(a->store, s->lang, a->sid))
			cab_err("app", "session not started in the store: %s", cab_store_errmsg(a->store));
		if (!a->sid[0]) /* no store: the link still needs an id */
			cab_uuid_v4(a->sid);
		cab_app_devices_session(a, t->t_ms);
		return;
	}
	if (!a->sid[0])
		return;
	switch (t->event) {
	case CAB_EV_CONSENT_GIVEN:
	case CAB_EV_CONSENT_DECLINED:
		store_consent(a, s);
		if (t->event == CAB_EV_CONSENT_GIVEN && cab_session_consented(s))
			open_for_station(a, s);
		break;
	case CAB_EV_IDENTITY_VALID:
		if (s->identity_done)
			store_identity(a, s);
		break;
	default:
		break;
	}
	if (t->to == CAB_FLOW_SUMMARY && t->from == CAB_FLOW_CONSULTATION)
		close_completed(a);
	if ((t->to == CAB_FLOW_ENDED || t->to == CAB_FLOW_WIPE) && !a->sid_closed)
		close_now(a, cab_flow_end_reason(a->flow));
	if (t->to == CAB_FLOW_WIPE || t->to == CAB_FLOW_ATTRACT) {
		cab_app_audit(a, CAB_ACTOR_SESSION, "session_end", cab_flow_end_name(cab_flow_end_reason(a->flow)));
		a->sid[0] = 0;
	}
}

void cab_app_store_reading(struct cab_app *a, const struct cab_reading *r)
{
	struct cab_session *s = cab_flow_session(a->flow);
	if (!a->sid[0] || a->sid_closed || !s->active)
		return;
	if (cab_dedupe_seen(&a->dedupe, r)) {
		cab_info("app", "reading %08x from %s reported again (same instrument time): kept once",
		         (unsigned)r->mdc, cab_device_kind_name(r->device.kind));
		return;
	}
	if (a->store && cab_store_reading_put(a->store, a->sid, r, NULL))
		cab_err("app", "reading not stored: %s", cab_store_errmsg(a->store));
	if (a->sid_open_sent && cab_session_may_send_readings(s)) {
		char id[37];
		queue(a, "reading", cab_out_reading(a->sid, r, id), id, 1);
		a->view.readings_sent++;
	}
}

int cab_app_store_data(struct cab_app *a, const char *type, char *body, const char *id, int personal)
{
	if (!a->sid[0] || a->sid_closed || !a->sid_open_sent) {
		if (body) {
			explicit_bzero(body, strlen(body));
			free(body);
		}
		return -1;
	}
	queue(a, type, body, id, personal);
	return 0;
}

void cab_app_store_incident(struct cab_app *a, const char *kind, int64_t start_ms, int64_t end_ms,
                            const char *detail)
{
	bool in_session = a->sid[0] && !a->sid_closed;
	if (a->store && cab_store_incident_add(a->store, in_session ? a->sid : NULL, kind,
	                                       detail ? detail : ""))
		cab_err("app", "incident not stored: %s", cab_store_errmsg(a->store));
	if (in_session && a->sid_open_sent) {
		char id[37];
		queue(a, "incident", cab_out_incident(a->sid, kind, start_ms, end_ms, detail, id), id, 0);
	}
}
