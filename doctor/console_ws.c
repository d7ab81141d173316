/* console_ws.c — the console's WebSocket (subprotocol "cabin-console",
 * docs/console.md): opened only with a doctor's certificate and from the console's
 * own origin; every message is checked against the doctor's session (certificate
 * identity, inactivity lock, the patient they hold) before it acts; every action is
 * in the audit trail with the doctor's RPPS. */
#include "doctor/console_internal.h"

#include "cabin/reading.h"
#include "common/clock.h"
#include "common/log.h"
#include "doctor/doctor_cert.h"

#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CON_OUTQ_MAX 8192
#define CON_RX_MAX (128 * 1024)
#define REPORT_FIELD_MAX 4096
#define RX_LINES_MAX 30

size_t con_conn_size(void)
{
	return sizeof(struct con_conn);
}

static int peer_doctor(struct lws *wsi, struct cab_station_doctor *d, char *why, size_t n)
{
	SSL *ssl = lws_get_ssl(wsi);
	X509 *peer = ssl ? SSL_get0_peer_certificate(ssl) : NULL;
	if (!peer) {
		snprintf(why, n, "no certificate");
		return 0;
	}
	return doctor_cert_identity(peer, d, why, n);
}

int con_peer_is_doctor(struct lws *wsi)
{
	struct cab_station_doctor d;
	char why[128];
	return peer_doctor(wsi, &d, why, sizeof why) == 1;
}

void con_send(struct con_conn *k, json_t *msg)
{
	char *s = json_dumps(msg, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(msg);
	if (!s)
		return;
	size_t len = strlen(s);
	struct stn_out *o = k->nout < CON_OUTQ_MAX ? malloc(sizeof *o + LWS_PRE + len) : NULL;
	if (o) {
		o->next = NULL;
		o->len = len;
		memcpy(o->data + LWS_PRE, s, len);
		if (k->tail)
			k->tail->next = o;
		else
			k->head = o;
		k->tail = o;
		k->nout++;
		lws_callback_on_writable(k->wsi);
	} else {
		cab_warn(CON_LOG, "console of %s: output queue full, message dropped", k->doc.rpps);
	}
	free(s);
}

void con_broadcast(struct cab_station *st, json_t *msg)
{
	for (struct con_conn *k = st->console->conns; k; k = k->next)
		if (k->hello && !k->locked)
			con_send(k, json_incref(msg));
}

struct con_conn *con_of_doctor(struct cab_station *st, const char *rpps)
{
	for (struct con_conn *k = st->console->conns; k; k = k->next)
		if (k->hello && !strcmp(k->doc.rpps, rpps))
			return k;
	return NULL;
}

int con_doctors_online(struct cab_station *st)
{
	int n = 0;
	for (struct con_conn *k = st->console->conns; k; k = k->next)
		n += k->hello && !k->locked;
	return n;
}

void con_audit(struct cab_station *st, const struct cab_station_doctor *d, const char *action,
               const char *session, const char *detail)
{
	station_db_audit(st->db, cab_wall_ms(), d->rpps, action, session, detail);
	cab_info(CON_LOG, "doctor %s: %s%s%s", d->rpps, action, session ? " " : "",
	         session ? session : "");
}

static void reply_error(struct con_conn *k, const char *code, const char *detail)
{
	con_send(k, json_pack("{s:s, s:s, s:s}", "type", "error", "code", code, "detail", detail));
}

static json_t *doctor_obj(const struct cab_station_doctor *d)
{
	return json_pack("{s:s, s:s, s:s}", "name", d->name, "specialty", d->specialty, "rpps",
	                 d->rpps);
}

/* --- the doctor's actions ------------------------------------------------------- */

static void send_patient(struct cab_station *st, struct con_conn *k, const char *session)
{
	json_t *p = con_patient_json(st, session);
	if (p)
		con_send(k, p);
}

static void do_take(struct cab_station *st, struct con_conn *k, const char *session)
{
	enum cq_take_result r = cq_take(&st->console->q, session, k->doc.rpps, k->doc.name);
	struct cq_entry *e = cq_find(&st->console->q, session);
	con_audit(st, &k->doc, r == CQ_TAKEN ? "take" : "take-refused", session, NULL);
	if (r == CQ_TAKEN || r == CQ_ALREADY_YOURS) {
		if (r == CQ_TAKEN) {
			json_t *d = doctor_obj(&k->doc);
			char *txt = json_dumps(d, JSON_COMPACT);
			if (txt)
				station_db_put_session_doctor(st->db, session, txt);
			free(txt);
			json_decref(d);
			con_tell_cabin_doctor(st, session, &k->doc, 0);
			con_queue_changed(st);
		}
		con_send(
		    k, json_pack("{s:s, s:s, s:b}", "type", "taken", "session", session, "ok", 1));
		send_patient(st, k, session);
		return;
	}
	const char *why = r == CQ_TAKEN_BY_OTHER  ? "taken-by-other"
	                  : r == CQ_HOLDS_ANOTHER ? "holds-another"
	                  : r == CQ_OFFLINE       ? "cabin-offline"
	                                          : "unknown-session";
	con_send(k,
	         json_pack("{s:s, s:s, s:b, s:s, s:s}", "type", "taken", "session", session, "ok",
	                   0, "reason", why, "by", r == CQ_TAKEN_BY_OTHER && e ? e->doctor : ""));
}

/* Gives the patient RPPS holds back to the queue (the doctor's choice, or their last
 * console closed). */
static void release_held(struct cab_station *st, const struct cab_station_doctor *d,
                         const char *why)
{
	struct cq_entry *e = cq_held_by(&st->console->q, d->rpps);
	if (!e)
		return;
	char session[40];
	snprintf(session, sizeof session, "%s", e->session);
	struct stn_conn *c = stn_conn_for_cabin(st, e->cabin);
	if (c) { /* the call with this doctor, if any, ends on the cabin too */
		json_t *w = cab_msg_new(CAB_MSG_WEBRTC, NULL);
		json_object_set_new(w, "session", json_string(session));
		json_object_set_new(w, "signal", json_pack("{s:s}", "kind", "bye"));
		stn_send_json(c, w);
	}
	cq_release(&st->console->q, session, d->rpps);
	con_audit(st, d, "release", session, why);
	con_tell_cabin_doctor(st, session, d, 1);
	con_queue_changed(st);
}

static int kind_known(const char *k)
{
	for (int i = 1; k && i < CAB_KIND__COUNT; i++)
		if (!strcmp(cab_device_kind_name((enum cab_device_kind)i), k))
			return 1;
	return 0;
}

/* A request from the page {action: measure|stethoscope_start|stethoscope_stop|camera|
 * still|message|end|call, kind, text, body_site} to the held session's cabin. */
static void do_request(struct cab_station *st, struct con_conn *k, struct cq_entry *e, json_t *m)
{
	const char *a = json_string_value(json_object_get(m, "action"));
	const char *kind = json_string_value(json_object_get(m, "kind"));
	const char *text = json_string_value(json_object_get(m, "text"));
	const char *site = json_string_value(json_object_get(m, "body_site"));
	const char *action = NULL;
	if (!a) {
		reply_error(k, "bad-request", "no action");
		return;
	}
	if (!strcmp(a, "measure") && kind_known(kind)) {
		action = "measure";
	} else if (!strcmp(a, "stethoscope_start") || !strcmp(a, "stethoscope_stop")) {
		action =
		    a[12] == 's' && a[13] == 't' && a[14] == 'a' ? "stream_start" : "stream_stop";
		kind = "stethoscope";
	} else if (!strcmp(a, "camera") && kind &&
	           (!strcmp(kind, "room-camera") || !strcmp(kind, "otoscope") ||
	            !strcmp(kind, "dermatoscope"))) {
		action = "camera";
	} else if (!strcmp(a, "still")) {
		action = "still";
		kind = kind_known(kind) ? kind : NULL;
		if (site && strlen(site) > 200) {
			reply_error(k, "bad-request", "body site over 200 characters");
			return;
		}
		if (site && !*site)
			site = NULL;
	} else if (!strcmp(a, "message") && text && *text && strlen(text) <= CAB_LINK_STR_MAX) {
		action = "message";
	} else if (!strcmp(a, "end")) {
		action = "end";
	} else if (!strcmp(a, "call")) {
		if (!e->ready || e->measuring[0]) {
			reply_error(k, "not-ready",
			            e->measuring[0] ? "a measurement is under way"
			                            : "the patient is not ready yet");
			return;
		}
		action = "call";
	}
	if (!action) {
		reply_error(k, "bad-request", "unknown action, kind or empty message");
		return;
	}
	struct stn_conn *c = stn_conn_for_cabin(st, e->cabin);
	if (!c) {
		reply_error(k, "cabin-offline", "the cabin is not connected");
		return;
	}
	if (!strcmp(action, "call")) {
		/* STUN/TURN for both ends before the cabin offers (docs/webrtc.md); without a
		 * [turn] section the page is told there are none (host candidates only) */
		json_t *ice = cab_station_ice_servers_msg(&st->cfg.turn, e->session, cab_wall_ms() / 1000);
		if (ice)
			con_send_ice_servers(st, e->session, json_object_get(ice, "ice_servers"),
			                     json_string_value(json_object_get(ice, "policy")));
		else
			con_send(k, json_pack("{s:s, s:s, s:[], s:s}", "type", "ice_servers", "session",
			                      e->session, "ice_servers", "policy", "all"));
		json_decref(ice);
	}
	json_t *q = cab_msg_new(CAB_MSG_REQUEST, NULL);
	json_object_set_new(q, "session", json_string(e->session));
	json_object_set_new(q, "action", json_string(action));
	if (kind && strcmp(action, "message") && strcmp(action, "end") && strcmp(action, "call"))
		json_object_set_new(q, "kind", json_string(kind));
	if (!strcmp(action, "message"))
		json_object_set_new(q, "text", json_string(text));
	if (site && !strcmp(action, "still"))
		json_object_set_new(q, "body_site", json_string(site));
	con_req_add(st, q);
	char detail[80];
	snprintf(detail, sizeof detail, "%s%s%s", action, kind ? " " : "", kind ? kind : "");
	con_audit(st, &k->doc, "request", e->session, detail);
	stn_send_json(c, q); /* consumed */
}

/* Copies string field NAME of SRC (at most REPORT_FIELD_MAX characters) into DST;
 * -1 when it is not a string or too long. */
static int copy_text(json_t *dst, json_t *src, const char *name)
{
	json_t *v = json_object_get(src, name);
	if (!v) {
		json_object_set_new(dst, name, json_string(""));
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) > REPORT_FIELD_MAX ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	json_object_set(dst, name, v);
	return 0;
}

/* {report{reason,history,examination,conclusion,advice}, prescription{lines[...]}}:
 * stored for the record with the prescription's id kept across saves. */
static void do_save_report(struct cab_station *st, struct con_conn *k, struct cq_entry *e,
                           json_t *m)
{
	static const char *rf[] = {"reason", "history", "examination", "conclusion", "advice"};
	static const char *lf[] = {"medicine", "dose", "duration", "text"};
	json_t *rin = json_object_get(m, "report");
	json_t *lin = json_object_get(json_object_get(m, "prescription"), "lines");
	json_t *report = json_object(), *lines = json_array();
	int bad = !json_is_object(rin) || (lin && !json_is_array(lin)) ||
	          json_array_size(lin) > RX_LINES_MAX;
	for (size_t i = 0; !bad && i < 5; i++)
		bad = copy_text(report, rin, rf[i]);
	for (size_t i = 0; !bad && i < json_array_size(lin); i++) {
		json_t *l = json_array_get(lin, i), *o = json_object();
		bad = !json_is_object(l);
		for (size_t f = 0; !bad && f < 4; f++)
			bad = copy_text(o, l, lf[f]);
		const char *med = json_string_value(json_object_get(o, "medicine"));
		if (!bad && med && *med)
			json_array_append(lines, o);
		json_decref(o);
	}
	if (bad) {
		json_decref(report);
		json_decref(lines);
		reply_error(k, "bad-request", "report fields are texts of at most 4096 characters");
		return;
	}
	json_t *old = station_db_get_report(st->db, e->session);
	const char *oid =
	    json_string_value(json_object_get(json_object_get(old, "prescription"), "id"));
	char id[37];
	if (oid && strlen(oid) < sizeof id)
		snprintf(id, sizeof id, "%s", oid);
	else
		cab_uuid4(id);
	json_decref(old);
	json_t *body = json_pack("{s:o, s:{s:s, s:o}}", "report", report, "prescription", "id", id,
	                         "lines", lines);
	char *txt = json_dumps(body, JSON_COMPACT);
	int rc =
	    txt ? station_db_put_report(st->db, e->session, txt, k->doc.rpps, cab_wall_ms()) : -1;
	free(txt);
	con_audit(st, &k->doc, "report-save", e->session, rc ? "failed" : NULL);
	json_object_set_new(body, "type", json_string("report_saved"));
	json_object_set_new(body, "session", json_string(e->session));
	json_object_set_new(body, "ok", json_boolean(rc == 0));
	con_send(k, body);
}

/* Sends the stored prescription to the cabin (`prescription`, acknowledged). */
static void do_send_prescription(struct cab_station *st, struct con_conn *k, struct cq_entry *e)
{
	json_t *rep = station_db_get_report(st->db, e->session);
	json_t *rx = json_object_get(rep, "prescription");
	struct stn_conn *c = stn_conn_for_cabin(st, e->cabin);
	if (!rx || !json_array_size(json_object_get(rx, "lines")) || !c) {
		json_decref(rep);
		reply_error(k, "bad-request",
		            c ? "save a prescription with at least one line first"
		              : "the cabin is not connected");
		return;
	}
	char date[40];
	cab_time_rfc3339(cab_wall_ms(), date, sizeof date);
	date[10] = 0;
	const char *adv =
	    json_string_value(json_object_get(json_object_get(rep, "report"), "advice"));
	json_t *p = cab_msg_new(CAB_MSG_PRESCRIPTION, NULL);
	json_object_set_new(p, "session", json_string(e->session));
	json_object_set_new(p, "prescription",
	                    json_pack("{s:O, s:s, s:o, s:O, s:s}", "id", json_object_get(rx, "id"),
	                              "date", date, "doctor", doctor_obj(&k->doc), "lines",
	                              json_object_get(rx, "lines"), "advice", adv ? adv : ""));
	json_object_set_new(p, "action", json_string("prescription")); /* for the request list */
	con_req_add(st, p);
	json_object_del(p, "action");
	con_audit(st, &k->doc, "prescription-send", e->session, NULL);
	stn_send_json(c, p);
	json_decref(rep);
}

static void do_webrtc(struct cab_station *st, struct con_conn *k, struct cq_entry *e, json_t *m)
{
	json_t *sig = json_object_get(m, "signal");
	const char *kind = json_string_value(json_object_get(sig, "kind"));
	struct stn_conn *c = stn_conn_for_cabin(st, e->cabin);
	if (!kind || !c) {
		reply_error(k, "bad-request",
		            c ? "signal without kind" : "the cabin is not connected");
		return;
	}
	json_t *w = cab_msg_new(CAB_MSG_WEBRTC, NULL);
	json_object_set_new(w, "session", json_string(e->session));
	json_object_set(w, "signal", sig);
	stn_send_json(c, w);
}

static void snapshot(struct cab_station *st, struct con_conn *k)
{
	con_send(k, con_queue_json(st));
	struct cq_entry *e = cq_held_by(&st->console->q, k->doc.rpps);
	if (e)
		send_patient(st, k, e->session);
}

/* One text message from a console page: the doctor's session is checked first. */
static void on_console_text(struct cab_station *st, struct con_conn *k, const char *buf, size_t len)
{
	json_error_t jerr;
	json_t *m = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	const char *type = json_string_value(json_object_get(m, "type"));
	int64_t now = cab_wall_ms();
	int lock_ms =
	    (st->cfg.console_lock_s > 0 ? st->cfg.console_lock_s : CONSOLE_LOCK_S_DEFAULT) * 1000;
	if (!type) {
		reply_error(k, "bad-json", "a JSON object with a type");
		goto out;
	}
	/* the session: still this doctor's certificate, not idle past the lock */
	struct cab_station_doctor d;
	char why[128];
	if (peer_doctor(k->wsi, &d, why, sizeof why) != 1 || strcmp(d.rpps, k->doc.rpps)) {
		reply_error(k, "unauthorized", "not a doctor's session");
		lws_set_timeout(k->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
		goto out;
	}
	if (!k->locked && now - k->last_ms > lock_ms) {
		k->locked = 1;
		con_audit(st, &k->doc, "lock", NULL, "inactivity");
		con_send(k, json_pack("{s:s}", "type", "locked"));
	}
	if (!strcmp(type, "unlock")) {
		if (k->locked)
			con_audit(st, &k->doc, "unlock", NULL, NULL);
		k->locked = 0;
		k->last_ms = now;
		con_send(k, json_pack("{s:s}", "type", "unlocked"));
		snapshot(st, k);
		goto out;
	}
	if (k->locked) {
		reply_error(k, "locked", "the console is locked");
		goto out;
	}
	k->last_ms = now;
	if (!strcmp(type, "hello")) {
		if (!k->hello)
			con_audit(st, &k->doc, "console-open", NULL, NULL);
		k->hello = 1;
		con_send(k, json_pack("{s:s, s:o, s:i, s:s}", "type", "welcome", "doctor",
		                      doctor_obj(&k->doc), "lock_s", lock_ms / 1000, "station",
		                      st->name));
		snapshot(st, k);
		con_queue_changed(st); /* estimates depend on the doctors online */
		goto out;
	}
	if (!k->hello) {
		reply_error(k, "out-of-order", "hello first");
		goto out;
	}
	if (!strcmp(type, "activity"))
		goto out;
	if (!strcmp(type, "take")) {
		const char *s = json_string_value(json_object_get(m, "session"));
		if (s)
			do_take(st, k, s);
		else
			reply_error(k, "bad-request", "take needs a session");
		goto out;
	}
	/* everything else acts on the patient this doctor holds */
	struct cq_entry *e = cq_held_by(&st->console->q, k->doc.rpps);
	const char *want = json_string_value(json_object_get(m, "session"));
	if (!e || (want && strcmp(want, e->session))) {
		reply_error(k, "not-yours", "take the patient first");
		goto out;
	}
	if (!strcmp(type, "release"))
		release_held(st, &k->doc, "given back");
	else if (!strcmp(type, "request"))
		do_request(st, k, e, m);
	else if (!strcmp(type, "save_report"))
		do_save_report(st, k, e, m);
	else if (!strcmp(type, "send_prescription"))
		do_send_prescription(st, k, e);
	else if (!strcmp(type, "webrtc"))
		do_webrtc(st, k, e, m);
	else
		reply_error(k, "unknown-type", "unknown message type");
out:
	json_decref(m);
}

/* The upgrade: a doctor's certificate and the console's own origin. */
static int filter(struct cab_station *st, struct lws *wsi)
{
	char origin[256] = "", host[256] = "", want[300], why[128];
	struct cab_station_doctor d;
	if (peer_doctor(wsi, &d, why, sizeof why) != 1) {
		cab_warn(CON_LOG, "console refused: %s", why);
		stn_emit_text(st, CAB_SEV_REFUSED, NULL, NULL,
		              "console: not a doctor's certificate");
		return 1;
	}
	if (lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN) <= 0 ||
	    lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) <= 0) {
		cab_warn(CON_LOG, "console refused: no Origin or Host");
		return 1;
	}
	snprintf(want, sizeof want, "https://%s", host);
	if (strcmp(origin, want)) {
		cab_warn(CON_LOG, "console refused: origin is not the console's");
		return 1;
	}
	return 0;
}

int con_ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct cab_station *st = lws_context_user(lws_get_context(wsi));
	struct con_conn *k = user;
	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return filter(st, wsi);
	case LWS_CALLBACK_ESTABLISHED: {
		memset(k, 0, sizeof *k);
		k->wsi = wsi;
		char why[128];
		if (peer_doctor(wsi, &k->doc, why, sizeof why) != 1)
			return -1;
		k->last_ms = cab_wall_ms();
		k->next = st->console->conns;
		st->console->conns = k;
		return 0;
	}
	case LWS_CALLBACK_RECEIVE:
		if (!k->rx_over && k->rx_len + len <= CON_RX_MAX) {
			unsigned char *nb = realloc(k->rx, k->rx_len + len + 1);
			if (!nb)
				return -1;
			k->rx = nb;
			memcpy(k->rx + k->rx_len, in, len);
			k->rx_len += len;
		} else {
			k->rx_over = 1;
		}
		if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
			return 0;
		if (k->rx_over || lws_frame_is_binary(wsi))
			reply_error(k, "too-large", "text messages of at most 128 KiB");
		else
			on_console_text(st, k, (const char *)k->rx, k->rx_len);
		free(k->rx);
		k->rx = NULL;
		k->rx_len = 0;
		k->rx_over = 0;
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE: {
		struct stn_out *o = k->head;
		if (!o)
			return 0;
		k->head = o->next;
		if (!k->head)
			k->tail = NULL;
		k->nout--;
		int n = lws_write(wsi, o->data + LWS_PRE, o->len, LWS_WRITE_TEXT);
		free(o);
		if (n < 0)
			return -1;
		if (k->head)
			lws_callback_on_writable(wsi);
		return 0;
	}
	case LWS_CALLBACK_CLOSED: {
		if (!k->wsi)
			return 0;
		for (struct con_conn **p = &st->console->conns; *p; p = &(*p)->next)
			if (*p == k) {
				*p = k->next;
				break;
			}
		while (k->head) {
			struct stn_out *o = k->head;
			k->head = o->next;
			free(o);
		}
		free(k->rx);
		k->rx = NULL;
		if (k->hello)
			con_audit(st, &k->doc, "console-close", NULL, NULL);
		/* the doctor's last page closed: the patient goes back to the queue */
		if (!con_of_doctor(st, k->doc.rpps))
			release_held(st, &k->doc, "console closed");
		con_queue_changed(st);
		return 0;
	}
	default:
		return 0;
	}
}

/* Every 250 ms: locks idle consoles, broadcasts the queue when it changed (at most
 * four snapshots a second, however many readings arrive). */
static void tick(lws_sorted_usec_list_t *sul)
{
	struct console *con = lws_container_of(sul, struct console, sul);
	struct cab_station *st = con->st;
	int lock_ms =
	    (st->cfg.console_lock_s > 0 ? st->cfg.console_lock_s : CONSOLE_LOCK_S_DEFAULT) * 1000;
	int64_t now = cab_wall_ms();
	for (struct con_conn *k = con->conns; k; k = k->next)
		if (k->hello && !k->locked && now - k->last_ms > lock_ms) {
			k->locked = 1;
			con_audit(st, &k->doc, "lock", NULL, "inactivity");
			con_send(k, json_pack("{s:s}", "type", "locked"));
		}
	if (con->queue_dirty) {
		con->queue_dirty = 0;
		json_t *q = con_queue_json(st);
		con_broadcast(st, q);
		json_decref(q);
	}
	lws_sul_schedule(st->ctx, 0, &con->sul, tick, 250 * 1000);
}

void con_schedule(struct cab_station *st)
{
	lws_sul_schedule(st->ctx, 0, &st->console->sul, tick, 250 * 1000);
}

int con_init(struct cab_station *st)
{
	st->console = calloc(1, sizeof *st->console);
	if (!st->console)
		return -1;
	st->console->st = st;
	return 0;
}

void con_free(struct cab_station *st)
{
	if (!st->console)
		return;
	for (size_t i = 0; i < st->console->ncabins; i++)
		json_decref(st->console->cabins[i].cabin);
	free(st->console);
	st->console = NULL;
}
