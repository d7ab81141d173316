/* bind_store.c — binds the session store (kiosk/store) to the patient flow: a
 * session row when a session starts, the consent record and the identity stored
 * (encrypted), every message for the station written to the outbox before the link
 * sends it (docs/link-protocol.md), the session closed with its hand-off record
 * (wiped when the station acknowledges it) or wiped at once on refusal, stop,
 * timeout or abort; incidents and audit rows. What the other parts do about it
 * (wake the link, reset the tiles, keep the session marker) goes through the
 * dispatcher (bind.h). Main thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/bind_store.h"
#include "kiosk/app/dedupe.h"
#include "kiosk/app/outmsg.h"
#include "kiosk/store/store.h"
#include "log.h"

struct cab_bind_store {
	struct cab_app *app;         /* flow, view, configuration; effects */
	struct cab_store *store;     /* NULL: none opened */
	struct cab_app_session ses;  /* the current session */
	struct cab_dedupe dedupe;    /* readings of this session already taken (dedupe.h) */
};

struct cab_bind_store *cab_bind_store_new(struct cab_app *a)
{
	struct cab_bind_store *s = calloc(1, sizeof *s);
	if (s)
		s->app = a;
	return s;
}

struct cab_store *cab_bind_store_handle(struct cab_bind_store *s)
{
	return s ? s->store : NULL;
}

const struct cab_app_session *cab_bind_store_session(const struct cab_bind_store *s)
{
	return &s->ses;
}

static void fx(struct cab_bind_store *s, enum cab_fx_kind kind, int64_t t0)
{
	cab_app_dispatch(s->app, &(struct cab_fx){.kind = kind, .t0 = t0});
}

int cab_bind_store_open(struct cab_bind_store *s)
{
	struct cab_app *a = s->app;
	char msg[512] = "";
	struct cab_store_options o = {.data_dir = a->cfg.data_dir,
	                              .key_file = a->cfg.key_file[0] ? a->cfg.key_file : NULL};
	int rc = cab_store_open(&o, &s->store, msg, sizeof msg);
	if (rc) {
		cab_err("app", "store not opened (%s): %s", cab_store_status_name(rc), msg);
		s->store = NULL;
		return -1;
	}
	cab_info("app", "store open: %s", cab_store_db_path(s->store));
	cab_bind_store_audit(s, CAB_ACTOR_CABIN, "cabin_start", CABIN_VERSION);
	return 0;
}

void cab_bind_store_free(struct cab_bind_store *s)
{
	if (!s)
		return;
	if (s->store) {
		cab_bind_store_audit(s, CAB_ACTOR_CABIN, "cabin_stop", "");
		cab_store_close(s->store);
	}
	explicit_bzero(&s->ses, sizeof s->ses);
	free(s);
}

void cab_bind_store_audit(struct cab_bind_store *s, int actor, const char *action, const char *detail)
{
	if (s->store)
		cab_store_audit(s->store, (enum cab_audit_actor)actor,
		                actor == CAB_ACTOR_SESSION ? s->ses.sid : "cabin", action, detail ? detail : "");
}

/* Writes one message for the station to the outbox, then wakes the link. */
static void queue(struct cab_bind_store *s, const char *type, char *body, const char *id, int personal)
{
	if (!body) {
		cab_err("app", "%s message could not be built", type);
		return;
	}
	if (s->store && s->ses.sid[0]) {
		int rc = cab_store_outbox_put(s->store, s->ses.sid, type, body, personal, id, NULL);
		if (rc)
			cab_err("app", "outbox: %s not queued (%s)", type, cab_store_status_name(rc));
	}
	explicit_bzero(body, strlen(body));
	free(body);
	fx(s, CAB_FX_OUTBOX_QUEUED, 0);
}

/* Consent given: the session exists for the station from now on (consent before
 * sending): session_open, then the consent record. */
static void open_for_station(struct cab_bind_store *b, const struct cab_session *s)
{
	char id[37];
	if (b->ses.open_sent)
		return;
	b->ses.open_sent = true;
	queue(b, "session_open", cab_out_session_open(b->ses.sid, b->ses.start_ms, id), id, 0);
	queue(b, "consent", cab_out_consent(b->ses.sid, &s->consent, id), id, 1);
	fx(b, CAB_FX_SESSION_CHANGED, 0);
}

static void store_consent(struct cab_bind_store *b, const struct cab_session *s)
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
	if (b->store && cab_store_consent_put(b->store, b->ses.sid, &c))
		cab_err("app", "consent record not stored: %s", cab_store_errmsg(b->store));
}

static void store_identity(struct cab_bind_store *b, const struct cab_session *s)
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
	if (b->store && cab_store_identity_put(b->store, b->ses.sid, &id))
		cab_err("app", "identity not stored: %s", cab_store_errmsg(b->store));
	explicit_bzero(&id, sizeof id);
	char mid[37];
	queue(b, "identity", cab_out_identity(b->ses.sid, p, mid), mid, 1);
}

int cab_bind_store_identity_checked(struct cab_bind_store *b, const char *document)
{
	struct cab_session *s = cab_flow_session(b->app->flow);
	if (!b->ses.sid[0] || !b->ses.open_sent || b->ses.closed || !s->identity_done)
		return -1;
	char mid[37];
	char *body = cab_out_identity_verified(b->ses.sid, &s->identity, document, cab_wall_ms(), mid);
	if (!body)
		return -1;
	queue(b, "identity", body, mid, 1);
	cab_bind_store_audit(b, CAB_ACTOR_PHARMACIST, "identity_document_checked", document);
	cab_info("app", "identity document checked by the pharmacist (%s): identity sent again",
	         document);
	return 0;
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
static void close_completed(struct cab_bind_store *s)
{
	char id[37];
	if (s->ses.closed || !s->ses.sid[0])
		return;
	s->ses.closed = true;
	fx(s, CAB_FX_CALL_CLOSED, 0); /* the call ends while the link is down: said */
	char *body = cab_out_session_close_call(s->ses.sid, cab_wall_ms(), "completed",
	                                        s->ses.call_start_ms, id);
	if (!body || !s->store) {
		free(body);
		return;
	}
	int rc = cab_store_session_close(s->store, s->ses.sid, CAB_OUTCOME_COMPLETED, id, body);
	if (rc)
		cab_err("app", "session close: %s", cab_store_errmsg(s->store));
	free(body);
	fx(s, CAB_FX_OUTBOX_QUEUED, 0);
}

/* Refusal, stop, timeout, abort: the station (when it knows the session) is told
 * why, and the patient's data is wiped now. */
static void close_now(struct cab_bind_store *s, enum cab_flow_end e)
{
	const char *reason;
	enum cab_store_outcome oc = outcome_of(e, &reason);
	if (s->ses.closed || !s->ses.sid[0])
		return;
	s->ses.closed = true;
	if (s->ses.open_sent) {
		char id[37];
		queue(s, "session_close",
		      cab_out_session_close_call(s->ses.sid, cab_wall_ms(), reason, s->ses.call_start_ms, id),
		      id, 0);
	}
	if (s->store && cab_store_session_close(s->store, s->ses.sid, oc, NULL, NULL))
		cab_err("app", "session wipe: %s", cab_store_errmsg(s->store));
	cab_info("app", "session ended (%s): patient data wiped", reason);
}

void cab_bind_store_on_transition(void *user, const struct cab_flow_transition *t)
{
	struct cab_bind_store *b = user;
	struct cab_flow *flow = b->app->flow;
	struct cab_session *s = cab_flow_session(flow);
	if (t->from == CAB_FLOW_ATTRACT && t->to == CAB_FLOW_LANGUAGE) {
		b->ses.sid[0] = 0;
		b->ses.open_sent = b->ses.closed = false;
		b->ses.start_ms = t->t_ms;
		b->ses.call_start_ms = 0;
		cab_dedupe_reset(&b->dedupe);
		if (b->store && cab_store_session_begin(b->store, s->lang, b->ses.sid))
			cab_err("app", "session not started in the store: %s", cab_store_errmsg(b->store));
		if (!b->ses.sid[0]) /* no store: the link still needs an id */
			cab_uuid_v4(b->ses.sid);
		fx(b, CAB_FX_SESSION_BEGAN, t->t_ms);
		fx(b, CAB_FX_SESSION_CHANGED, 0);
		return;
	}
	if (!b->ses.sid[0])
		return;
	switch (t->event) {
	case CAB_EV_CONSENT_GIVEN:
	case CAB_EV_CONSENT_DECLINED:
		store_consent(b, s);
		if (t->event == CAB_EV_CONSENT_GIVEN && cab_session_consented(s))
			open_for_station(b, s);
		break;
	case CAB_EV_IDENTITY_VALID:
		if (s->identity_done)
			store_identity(b, s);
		break;
	default:
		break;
	}
	if (t->to == CAB_FLOW_CONSULTATION && !b->ses.call_start_ms) /* the call's start */
		b->ses.call_start_ms = t->t_ms;
	if (t->to == CAB_FLOW_SUMMARY && t->from == CAB_FLOW_CONSULTATION)
		close_completed(b);
	if ((t->to == CAB_FLOW_ENDED || t->to == CAB_FLOW_WIPE) && !b->ses.closed)
		close_now(b, cab_flow_end_reason(flow));
	if (b->ses.closed)
		fx(b, CAB_FX_SESSION_CHANGED, 0);
	if (t->to == CAB_FLOW_WIPE || t->to == CAB_FLOW_ATTRACT) {
		cab_bind_store_audit(b, CAB_ACTOR_SESSION, "session_end", cab_flow_end_name(cab_flow_end_reason(flow)));
		b->ses.sid[0] = 0;
		fx(b, CAB_FX_SESSION_CHANGED, 0);
	}
}

void cab_bind_store_reading(struct cab_bind_store *b, const struct cab_reading *r)
{
	struct cab_session *s = cab_flow_session(b->app->flow);
	if (!b->ses.sid[0] || b->ses.closed || !s->active)
		return;
	if (cab_dedupe_seen(&b->dedupe, r)) {
		cab_info("app", "reading %08x from %s reported again (same instrument time): kept once",
		         (unsigned)r->mdc, cab_device_kind_name(r->device.kind));
		return;
	}
	if (b->store && cab_store_reading_put(b->store, b->ses.sid, r, NULL))
		cab_err("app", "reading not stored: %s", cab_store_errmsg(b->store));
	if (b->ses.open_sent && cab_session_may_send_readings(s)) {
		char id[37];
		queue(b, "reading", cab_out_reading(b->ses.sid, r, id), id, 1);
		b->app->view.readings_sent++;
	}
}

int cab_bind_store_data(struct cab_bind_store *s, const char *type, char *body, const char *id,
                        int personal)
{
	if (!s->ses.sid[0] || s->ses.closed || !s->ses.open_sent) {
		if (body) {
			explicit_bzero(body, strlen(body));
			free(body);
		}
		return -1;
	}
	queue(s, type, body, id, personal);
	return 0;
}

void cab_bind_store_incident(struct cab_bind_store *s, const char *kind, int64_t start_ms,
                             int64_t end_ms, const char *detail)
{
	bool in_session = s->ses.sid[0] && !s->ses.closed;
	if (s->store && cab_store_incident_add(s->store, in_session ? s->ses.sid : NULL, kind,
	                                       detail ? detail : ""))
		cab_err("app", "incident not stored: %s", cab_store_errmsg(s->store));
	if (in_session && s->ses.open_sent) {
		char id[37];
		queue(s, "incident", cab_out_incident(s->ses.sid, kind, start_ms, end_ms, detail, id), id, 0);
	}
}
