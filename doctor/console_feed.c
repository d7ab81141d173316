/* console_feed.c — what the cabins say, for the console (docs/console.md): the
 * queue's sessions and cabins, the held patient's messages forwarded live to their
 * doctor's page, the states of the doctor's requests (sent, acknowledged, done,
 * failed and why), the cabins' `queue` places and `doctor` messages. */
#include "doctor/console_internal.h"

#include "common/clock.h"
#include "common/log.h"
#include "kiosk/link/still_msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct con_cabin *con_cabin_find(struct cab_station *st, const char *id)
{
	for (size_t i = 0; i < st->console->ncabins; i++)
		if (!strcmp(st->console->cabins[i].id, id))
			return &st->console->cabins[i];
	return NULL;
}

void con_tell_cabin_doctor(struct cab_station *st, const char *session,
                           const struct cab_station_doctor *d, int released)
{
	struct cq_entry *e = cq_find(&st->console->q, session);
	struct stn_conn *c = e ? stn_conn_for_cabin(st, e->cabin) : NULL;
	if (!c)
		return;
	json_t *m = cab_msg_new(CAB_MSG_DOCTOR, NULL);
	json_object_set_new(m, "session", json_string(session));
	json_object_set_new(m, "doctor",
	                    json_pack("{s:s, s:s, s:s}", "name", d->name, "specialty", d->specialty,
	                              "rpps", d->rpps));
	if (released)
		json_object_set_new(m, "released", json_true());
	stn_send_json(c, m);
}

/* The console page of the doctor holding SESSION (unlocked), or NULL. */
static struct con_conn *holder(struct cab_station *st, const char *session)
{
	struct cq_entry *e = cq_find(&st->console->q, session);
	if (!e || !e->rpps[0])
		return NULL;
	for (struct con_conn *k = st->console->conns; k; k = k->next)
		if (k->hello && !k->locked && !strcmp(k->doc.rpps, e->rpps))
			return k;
	return NULL;
}

static void forward(struct cab_station *st, const char *session, json_t *msg)
{
	struct con_conn *k = holder(st, session);
	if (k)
		con_send(k, json_incref(msg));
	json_decref(msg);
}

json_t *con_queue_json(struct cab_station *st)
{
	struct console *con = st->console;
	json_t *ss = json_array(), *cs = json_array();
	int64_t now = cab_wall_ms();
	for (size_t i = 0; i < con->q.n; i++) {
		struct cq_entry *e = &con->q.e[i];
		struct con_cabin *cb = con_cabin_find(st, e->cabin);
		json_t *meas = json_array();
		char m[CQ_MEASURING_MAX], *save = NULL;
		snprintf(m, sizeof m, "%s", e->measuring);
		for (char *t = strtok_r(m, ",", &save); t; t = strtok_r(NULL, ",", &save))
			json_array_append_new(meas, json_string(t));
		json_array_append_new(
		    ss,
		    json_pack("{s:s, s:s, s:O?, s:I, s:I, s:s, s:i, s:b, s:o, s:i, s:s, s:s, s:b}",
		              "session", e->session, "cabin", e->cabin, "place",
		              cb ? cb->cabin : NULL, "opened_ms", (json_int_t)e->opened_ms,
		              "waiting_s", (json_int_t)((now - e->opened_ms) / 1000), "language",
		              e->language, "readings", e->readings, "ready", e->ready, "measuring",
		              meas, "position", e->position, "doctor", e->doctor, "rpps", e->rpps,
		              "online", e->online));
	}
	for (size_t i = 0; i < con->ncabins; i++) {
		struct con_cabin *cb = &con->cabins[i];
		const char *state = cb->online ? "idle" : "offline";
		for (size_t j = 0; cb->online && j < con->q.n; j++)
			if (!strcmp(con->q.e[j].cabin, cb->id))
				state = con->q.e[j].rpps[0] ? "consultation" : "waiting";
		json_array_append_new(cs, json_pack("{s:s, s:O?, s:s}", "id", cb->id, "place",
		                                    cb->cabin, "state", state));
	}
	return json_pack("{s:s, s:o, s:o, s:i}", "type", "queue", "sessions", ss, "cabins", cs,
	                 "doctors_online", con_doctors_online(st));
}

void con_queue_changed(struct cab_station *st)
{
	struct console *con = st->console;
	cq_positions(&con->q);
	int doctors = con_doctors_online(st);
	for (size_t i = 0; i < con->q.n; i++) {
		struct cq_entry *e = &con->q.e[i];
		if (!e->position) {
			e->sent_position = 0;
			continue;
		}
		int est = cq_estimate_s(e->position, doctors);
		if (e->position == e->sent_position && est == e->sent_estimate)
			continue;
		struct stn_conn *c = stn_conn_for_cabin(st, e->cabin);
		if (!c)
			continue;
		json_t *m = cab_msg_new(CAB_MSG_QUEUE, NULL);
		json_object_set_new(m, "session", json_string(e->session));
		json_object_set_new(m, "position", json_integer(e->position));
		json_object_set_new(m, "estimate_s", json_integer(est));
		stn_send_json(c, m);
		e->sent_position = e->position;
		e->sent_estimate = est;
	}
	con->queue_dirty = 1;
}

/* --- requests -------------------------------------------------------------------- */

static struct con_req *req_find(struct cab_station *st, const char *id)
{
	for (size_t i = 0; id && i < st->console->nreq; i++)
		if (!strcmp(st->console->req[i].id, id))
			return &st->console->req[i];
	return NULL;
}

void con_req_add(struct cab_station *st, json_t *req)
{
	struct console *con = st->console;
	struct con_req *r = &con->req[con->req_next];
	con->req_next = (con->req_next + 1) % CON_REQ_MAX;
	if (con->nreq < CON_REQ_MAX)
		con->nreq++;
	memset(r, 0, sizeof *r);
	const char *kind = json_string_value(json_object_get(req, "kind"));
	snprintf(r->id, sizeof r->id, "%s", json_string_value(json_object_get(req, "id")));
	snprintf(r->session, sizeof r->session, "%s",
	         json_string_value(json_object_get(req, "session")));
	snprintf(r->action, sizeof r->action, "%s",
	         json_string_value(json_object_get(req, "action")));
	snprintf(r->kind, sizeof r->kind, "%s", kind ? kind : "");
	snprintf(r->state, sizeof r->state, "sent");
	const char *text = json_string_value(json_object_get(req, "text"));
	const char *site = json_string_value(json_object_get(req, "body_site"));
	snprintf(r->detail, sizeof r->detail, "%s", text ? text : site ? site : "");
	r->t_ms = cab_wall_ms();
	con_req_notify(st, r);
}

json_t *con_req_json(const struct con_req *r)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "type", "request_state", "id",
	                 r->id, "session", r->session, "action", r->action, "kind", r->kind,
	                 "state", r->state, "detail", r->detail, "t_ms", (json_int_t)r->t_ms);
}

void con_req_notify(struct cab_station *st, const struct con_req *r)
{
	forward(st, r->session, con_req_json(r));
}

static void req_set(struct cab_station *st, struct con_req *r, const char *state,
                    const char *detail)
{
	snprintf(r->state, sizeof r->state, "%s", state);
	if (detail)
		snprintf(r->detail, sizeof r->detail, "%s", detail);
	con_req_notify(st, r);
}

void con_cabin_ack(struct cab_station *st, struct stn_conn *c, const char *id)
{
	(void)c;
	struct con_req *r = req_find(st, id);
	if (!r || strcmp(r->state, "sent"))
		return;
	/* a measurement or a still is done when its result arrives */
	int waits = !strcmp(r->action, "measure") || !strcmp(r->action, "still");
	req_set(st, r, waits ? "acknowledged" : "done", NULL);
}

void con_cabin_error(struct cab_station *st, struct stn_conn *c, const char *ref,
                     const char *detail)
{
	(void)c;
	struct con_req *r = req_find(st, ref);
	if (r)
		req_set(st, r, "failed", detail ? detail : "refused by the cabin");
}

void con_still(struct cab_station *st, const char *session, json_t *info)
{
	const char *rq = json_string_value(json_object_get(info, "request"));
	const char *id = json_string_value(json_object_get(info, "id"));
	struct con_req *r = req_find(st, rq);
	if (r)
		req_set(st, r, "done", NULL);
	json_t *s = json_deep_copy(info);
	json_object_del(s, "file");
	char url[200];
	snprintf(url, sizeof url, "/still/%s/%s.jpg", session, id ? id : "");
	json_object_set_new(s, "url", json_string(url));
	forward(st, session,
	        json_pack("{s:s, s:s, s:o}", "type", "still", "session", session, "still", s));
}

/* --- the cabins ------------------------------------------------------------------- */

/* The terminal doctor (cab_station_config.terminal_doctor) takes SESSION. */
static void terminal_take(struct cab_station *st, struct cq_entry *e)
{
	const struct cab_station_doctor *d = &st->cfg.doctor;
	enum cq_take_result r = cq_take(&st->console->q, e->session, d->rpps, d->name);
	if (r == CQ_HOLDS_ANOTHER) { /* the terminal doctor serves every cabin at once */
		snprintf(e->rpps, sizeof e->rpps, "%s", d->rpps);
		snprintf(e->doctor, sizeof e->doctor, "%s", d->name);
		r = CQ_TAKEN;
	}
	if (r == CQ_TAKEN || r == CQ_ALREADY_YOURS)
		con_tell_cabin_doctor(st, e->session, d, 0);
}

void con_cabin_hello(struct cab_station *st, struct stn_conn *c, json_t *hello)
{
	struct console *con = st->console;
	struct con_cabin *cb = con_cabin_find(st, c->cabin);
	if (!cb && con->ncabins < CON_CABIN_MAX) {
		cb = &con->cabins[con->ncabins++];
		memset(cb, 0, sizeof *cb);
		snprintf(cb->id, sizeof cb->id, "%s", c->cabin);
	}
	if (cb) {
		json_decref(cb->cabin);
		cb->cabin = json_deep_copy(json_object_get(hello, "cabin"));
		cb->online = 1;
	}
	/* its session still open (the station restarted, the link came back) waits again */
	json_t *arr = station_db_sessions(st->db);
	const char *open = NULL;
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
	{
		const char *cab = json_string_value(json_object_get(x, "cabin"));
		if (cab && !strcmp(cab, c->cabin) && !json_is_true(json_object_get(x, "closed")))
			open = json_string_value(json_object_get(x, "session"));
	}
	if (open && !cq_find(&con->q, open))
		cq_open(&con->q, open, c->cabin, cab_wall_ms());
	json_decref(arr);
	cq_cabin_online(&con->q, c->cabin, 1);
	for (size_t k = 0; k < con->q.n; k++) {
		struct cq_entry *e = &con->q.e[k];
		e->sent_position = 0; /* the cabin learns its place again */
		if (!strcmp(e->cabin, c->cabin) && e->rpps[0]) {
			struct cab_station_doctor d;
			memset(&d, 0, sizeof d);
			json_t *sd = station_db_get_session_doctor(st->db, e->session);
			snprintf(d.name, sizeof d.name, "%s", e->doctor);
			snprintf(d.rpps, sizeof d.rpps, "%s", e->rpps);
			const char *sp = json_string_value(json_object_get(sd, "specialty"));
			snprintf(d.specialty, sizeof d.specialty, "%s",
			         sp                        ? sp
			         : st->cfg.terminal_doctor ? st->cfg.doctor.specialty
			                                   : "");
			json_decref(sd);
			con_tell_cabin_doctor(st, e->session, &d, 0);
		}
	}
	con_queue_changed(st);
}

void con_cabin_gone(struct cab_station *st, struct stn_conn *c)
{
	if (!c->hello_ok)
		return;
	struct con_cabin *cb = con_cabin_find(st, c->cabin);
	if (cb && !stn_conn_for_cabin(st, c->cabin))
		cb->online = 0;
	if (!stn_conn_for_cabin(st, c->cabin)) /* its calls end: the doctors' pages hang up */
		for (size_t i = 0; i < st->console->q.n; i++)
			if (!strcmp(st->console->q.e[i].cabin, c->cabin))
				forward(st, st->console->q.e[i].session,
				        json_pack("{s:s, s:s, s:{s:s}}", "type", "webrtc", "session",
				                  st->console->q.e[i].session, "signal", "kind", "bye"));
	cq_cabin_online(&st->console->q, c->cabin, 0);
	con_queue_changed(st);
}

/* A stored message as the page sees it: still parts without their data. */
static json_t *for_page(json_t *m)
{
	const char *t = json_string_value(json_object_get(m, "type"));
	if (t && !strcmp(t, "still"))
		return NULL; /* stills reach the page whole (con_still) */
	return json_incref(m);
}

void con_cabin_data(struct cab_station *st, struct stn_conn *c, const struct cab_msg *m, int fresh)
{
	struct console *con = st->console;
	struct cq_entry *e = NULL;
	if (m->type == CAB_MSG_SESSION_OPEN) {
		e = cq_open(&con->q, m->session, c->cabin, cab_wall_ms());
		if (e && st->cfg.terminal_doctor)
			terminal_take(st, e);
		con_queue_changed(st);
		return;
	}
	e = cq_find(&con->q, m->session);
	if (!e || !fresh)
		return;
	if (m->type == CAB_MSG_CONSENT) {
		const char *lang = json_string_value(
		    json_object_get(json_object_get(m->root, "consent"), "language"));
		snprintf(e->language, sizeof e->language, "%s", lang ? lang : "");
		con->queue_dirty = 1;
	} else if (m->type == CAB_MSG_READING) {
		e->readings++;
		con->queue_dirty = 1;
		const char *kind =
		    json_string_value(json_object_get(json_object_get(m->root, "device"), "kind"));
		/* the oldest measure request of that instrument still waiting is done */
		for (size_t i = 0; kind && i < con->nreq; i++) {
			struct con_req *r =
			    &con->req[(con->req_next + CON_REQ_MAX - con->nreq + i) % CON_REQ_MAX];
			if (!strcmp(r->session, m->session) && !strcmp(r->action, "measure") &&
			    !strcmp(r->kind, kind) &&
			    (!strcmp(r->state, "sent") || !strcmp(r->state, "acknowledged"))) {
				req_set(st, r, "done", NULL);
				break;
			}
		}
	} else if (m->type == CAB_MSG_INCIDENT) {
		const char *detail = json_string_value(
		    json_object_get(json_object_get(m->root, "incident"), "detail"));
		const char *kind = json_string_value(
		    json_object_get(json_object_get(m->root, "incident"), "kind"));
		for (size_t i = 0; detail && i < con->nreq; i++) {
			struct con_req *r = &con->req[i];
			if (r->id[0] && strstr(detail, r->id) && strcmp(r->state, "done"))
				req_set(st, r, "failed", kind);
		}
	}
	json_t *pm = for_page(m->root);
	if (pm)
		forward(st, m->session,
		        json_pack("{s:s, s:s, s:o}", "type", "cabin_msg", "session", m->session,
		                  "message", pm));
	if (m->type == CAB_MSG_SESSION_CLOSE) {
		/* the call ends with its session: the doctor's page hangs up, whether or not
		 * the cabin's own bye comes before this close */
		forward(st, m->session,
		        json_pack("{s:s, s:s, s:{s:s}}", "type", "webrtc", "session", m->session,
		                  "signal", "kind", "bye"));
		cq_close(&con->q, m->session);
		con_queue_changed(st);
	}
}

void con_cabin_control(struct cab_station *st, struct stn_conn *c, const struct cab_msg *m)
{
	struct cq_entry *e = cq_find(&st->console->q, m->session);
	if (!e && m->type == CAB_MSG_WEBRTC &&
	    !strcmp(json_string_value(json_object_get(json_object_get(m->root, "signal"), "kind")) ?: "", "bye"))
		return; /* the call's last word after its session closed: nothing to relay */
	if (!e || strcmp(e->cabin, c->cabin)) {
		stn_send_error(st, c, "out-of-order", m->id, "no such session waiting or in a call",
		               0);
		return;
	}
	if (m->type == CAB_MSG_PATIENT_STATE) {
		e->ready = json_is_true(json_object_get(m->root, "ready"));
		json_t *arr = json_object_get(m->root, "measuring");
		size_t i;
		json_t *v;
		e->measuring[0] = 0;
		json_array_foreach(arr, i, v)
		{
			const char *k = json_string_value(v);
			size_t l = strlen(e->measuring);
			if (k && l + strlen(k) + 2 < sizeof e->measuring && !strchr(k, ','))
				snprintf(e->measuring + l, sizeof e->measuring - l, "%s%s",
				         l ? "," : "", k);
		}
		st->console->queue_dirty = 1;
		forward(st, m->session,
		        json_pack("{s:s, s:s, s:b, s:O}", "type", "patient_state", "session",
		                  m->session, "ready", e->ready, "measuring", arr));
		if (st->cfg.terminal_doctor && e->ready && !e->measuring[0] && !e->called) {
			json_t *q = cab_msg_new(CAB_MSG_REQUEST, NULL);
			json_object_set_new(q, "session", json_string(e->session));
			json_object_set_new(q, "action", json_string("call"));
			stn_send_json(c, q);
			e->called = 1;
		}
	} else if (m->type == CAB_MSG_WEBRTC) {
		if (!holder(st, m->session)) {
			cab_warn(CON_LOG, "webrtc signal for session %s: no console holds it",
			         m->session);
			stn_send_error(st, c, "bad-field", m->id, "no doctor holds this session", 0);
			return;
		}
		forward(st, m->session,
		        json_pack("{s:s, s:s, s:O}", "type", "webrtc", "session", m->session,
		                  "signal", json_object_get(m->root, "signal")));
	}
}

int con_send_ice_servers(struct cab_station *st, const char *session, json_t *servers,
                         const char *policy)
{
	struct cq_entry *e = cq_find(&st->console->q, session);
	struct stn_conn *c = e ? stn_conn_for_cabin(st, e->cabin) : NULL;
	if (!c)
		return -1;
	json_t *m = cab_msg_new(CAB_MSG_ICE_SERVERS, NULL);
	json_object_set_new(m, "session", json_string(session));
	json_object_set(m, "ice_servers", servers);
	json_object_set_new(m, "policy", json_string(policy ? policy : "all"));
	json_t *page = json_deep_copy(m);
	json_object_del(page, "id");
	forward(st, session, page);
	stn_send_json(c, m);
	return 0;
}

json_t *con_patient_json(struct cab_station *st, const char *session)
{
	struct cq_entry *e = cq_find(&st->console->q, session);
	if (!e)
		return NULL;
	struct con_cabin *cb = con_cabin_find(st, e->cabin);
	json_t *all = station_db_session_messages(st->db, session);
	json_t *msgs = json_array(), *stills = json_array(), *reqs = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(all, i, x)
	{
		const char *t = json_string_value(json_object_get(x, "type"));
		json_t *meta = json_object_get(x, "still");
		if (t && !strcmp(t, "still")) {
			/* a whole still: its file was kept (station_proto.c check_still) */
			const char *sid = json_string_value(json_object_get(meta, "id"));
			char file[200], path[1400], url[200];
			if (!sid || json_integer_value(json_object_get(meta, "part")) != 0 ||
			    !stn_safe_session(sid))
				continue;
			cab_still_file_name(session, sid, file, sizeof file);
			snprintf(path, sizeof path, "%s/%s", st->dir, file);
			if (access(path, R_OK))
				continue;
			json_t *s = json_deep_copy(meta);
			json_object_del(s, "part");
			snprintf(url, sizeof url, "/still/%s/%s.jpg", session, sid);
			json_object_set_new(s, "url", json_string(url));
			json_array_append_new(stills, s);
			continue;
		}
		json_array_append(msgs, x);
	}
	json_decref(all);
	for (size_t k = 0; k < st->console->nreq; k++) {
		struct con_req *r =
		    &st->console
		         ->req[(st->console->req_next + CON_REQ_MAX - st->console->nreq + k) %
		               CON_REQ_MAX];
		if (!strcmp(r->session, session))
			json_array_append_new(reqs, con_req_json(r));
	}
	json_t *rep = station_db_get_report(st->db, session);
	json_t *meas = json_array();
	char m[CQ_MEASURING_MAX], *save = NULL;
	snprintf(m, sizeof m, "%s", e->measuring);
	for (char *t = strtok_r(m, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(meas, json_string(t));
	return json_pack("{s:s, s:s, s:s, s:O?, s:o, s:o, s:o, s:o?, s:b, s:o, s:b}", "type",
	                 "patient", "session", session, "cabin", e->cabin, "place",
	                 cb ? cb->cabin : NULL, "messages", msgs, "stills", stills, "requests",
	                 reqs, "report", rep, "ready", e->ready, "measuring", meas, "online",
	                 e->online);
}
