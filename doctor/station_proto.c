/* station_proto.c — the link protocol's station side (docs/link-protocol.md): hello
 * and version, data messages stored and acknowledged (session ownership checked),
 * still reassembly, control messages. */
#include "doctor/station_internal.h"

#include "common/log.h"

#include "kiosk/link/still_msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int stn_safe_session(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* A still part was stored: when every part of its still is there, reassemble and
 * verify it (cab_still_assemble) and keep the JPEG as DATA/<session>-still-<id>.jpg. */
static void check_still(struct cab_station *st, struct stn_conn *c, struct cab_msg *m)
{
	json_t *meta = json_object_get(m->root, "still");
	const char *sid = json_string_value(json_object_get(meta, "id"));
	json_t *all = station_db_session_messages(st->db, m->session);
	size_t n = json_array_size(all), k = 0;
	json_t **parts = calloc(n ? n : 1, sizeof *parts);
	uint8_t *jpeg = NULL;
	size_t len = 0;
	char err[200], file[200], path[1400], tmp[1500];
	if (!parts || !stn_safe_session(sid))
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(all, i);
		const char *t = json_string_value(json_object_get(x, "type"));
		const char *xid =
		    json_string_value(json_object_get(json_object_get(x, "still"), "id"));
		if (t && !strcmp(t, "still") && xid && !strcmp(xid, sid))
			parts[k++] = x;
	}
	int r = cab_still_assemble(parts, k, &jpeg, &len, err, sizeof err);
	if (r == -2)
		goto out;
	if (r < 0) {
		char d[300];
		snprintf(d, sizeof d, "still %s: %s", sid, err);
		cab_warn(STN_LOG, "session %s: %s", m->session, d);
		stn_emit_text(st, CAB_SEV_STILL_ERROR, c->cabin, m->session, d);
		goto out;
	}
	cab_still_file_name(m->session, sid, file, sizeof file);
	snprintf(path, sizeof path, "%s/%s", st->dir, file);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f || fwrite(jpeg, 1, len, f) != len || fclose(f) != 0 || rename(tmp, path) != 0) {
		if (f)
			unlink(tmp);
		cab_err(STN_LOG, "session %s: cannot write %s", m->session, path);
		goto out;
	}
	json_t *info = json_deep_copy(meta);
	json_object_del(info, "part");
	json_object_set_new(info, "file", json_string(path));
	struct cab_station_event ev = {.kind = CAB_SEV_STILL,
	                               .cabin = c->cabin,
	                               .session = m->session,
	                               .id = sid,
	                               .msg = info,
	                               .text = path};
	stn_emit(st, &ev);
	con_still(st, m->session, info);
	json_decref(info);
out:
	free(jpeg);
	free(parts);
	json_decref(all);
}

static void on_hello(struct cab_station *st, struct stn_conn *c, struct cab_msg *m,
                     const char *text)
{
	const char *id =
	    json_string_value(json_object_get(json_object_get(m->root, "cabin"), "id"));
	if (strcmp(id, c->cabin)) {
		char d[300];
		snprintf(d, sizeof d, "cabin id \"%.60s\" is not the certificate's (\"%.60s\")", id,
		         c->cabin);
		stn_send_error(st, c, "unauthorized", m->id, d, 1);
		return;
	}
	json_t *vs = json_object_get(m->root, "versions");
	int chosen = 0;
	for (size_t i = 0; i < json_array_size(vs); i++) {
		int v = (int)json_integer_value(json_array_get(vs, i));
		if (v == CAB_LINK_VERSION)
			chosen = v;
	}
	if (!chosen) {
		stn_send_error(st, c, "version", m->id,
		               "no common protocol version (station speaks 1)", 1);
		return;
	}
	c->hello_ok = 1;
	stn_guard_authenticated(st, (int)lws_get_socket_fd(c->wsi));
	station_db_put_hello(st->db, c->cabin, text);
	json_t *w = cab_msg_new(CAB_MSG_WELCOME, NULL);
	json_object_set_new(w, "version", json_integer(chosen));
	json_object_set_new(w, "station", json_string(st->name));
	stn_send_json(c, w);
	struct cab_station_event ev = {
	    .kind = CAB_SEV_HELLO, .cabin = c->cabin, .msg = m->root, .id = m->id};
	stn_emit(st, &ev);
	con_cabin_hello(st, c, m->root);
}

static void on_data(struct cab_station *st, struct stn_conn *c, struct cab_msg *m, const char *text,
                    int64_t rx_us)
{
	const char *type = cab_msg_type_name(m->type);
	if (!stn_safe_session(m->session)) {
		stn_send_error(st, c, "bad-field", m->id,
		               "session ids use only letters, digits, - _ .", 0);
		return;
	}
	if (m->type == CAB_MSG_STILL && !stn_safe_session(json_string_value(json_object_get(
	                                    json_object_get(m->root, "still"), "id")))) {
		stn_send_error(st, c, "bad-field", m->id,
		               "still ids use only letters, digits, - _ .", 0);
		return;
	}
	/* A session belongs to the cabin whose certificate opened it: another cabin's
	 * session_open, data or close for that id is refused and logged, and nothing of
	 * the session is sent to it (the doctor's identity, signalling all
	 * follow this check). Safety does not rest on the ids being unguessable. */
	char owner[128];
	int known = station_db_session_cabin(st->db, m->session, owner, sizeof owner) == 0;
	if (!known && m->type != CAB_MSG_SESSION_OPEN) {
		char d[128];
		snprintf(d, sizeof d, "%s for a session that was not opened", type);
		stn_send_error(st, c, "out-of-order", m->id, d, 0);
		return;
	}
	if (known && strcmp(owner, c->cabin)) {
		if (stn_warn_ok(st, c))
			cab_warn("station", "cabin %s sent %s for session %s of cabin %s: refused",
			         c->cabin, type, m->session, owner);
		stn_send_error(st, c, "unauthorized", m->id, "the session belongs to another cabin", 0);
		return;
	}
	/* A closed session's record was handed off: it is sealed. A resend of a message
	 * already stored is still acknowledged (duplicate); anything new is refused (a
	 * correction would be a new, linked record, never a rewrite). */
	if (known && station_db_has(st->db, m->session, "session_close") == 1 &&
	    station_db_has_id(st->db, m->id) != 1) {
		if (stn_warn_ok(st, c))
			cab_warn("station", "cabin %s sent %s for closed session %s: refused (sealed)",
			         c->cabin, type, m->session);
		stn_send_error(st, c, "sealed", m->id,
		               "the session is closed and its record handed off; nothing is added", 0);
		return;
	}
	stn_batch_begin(st);
	int r =
	    station_db_put_message(st->db, m->id, m->session, c->cabin, type, text, rx_us / 1000);
	if (r < 0) {
		stn_send_error(st, c, "internal", m->id, "the station could not store the message",
		               0);
		return;
	}
	stn_ack_later(st, c, m->id, r == 0); /* sent once the round's commit is durable */
	struct cab_station_event ev = {.kind = CAB_SEV_MESSAGE,
	                               .cabin = c->cabin,
	                               .session = m->session,
	                               .type = type,
	                               .id = m->id,
	                               .duplicate = r == 0,
	                               .msg = m->root,
	                               .rx_us = rx_us};
	stn_emit(st, &ev);
	/* the queue, and the patient's doctor when one holds them (the `doctor` message
	 * goes to the cabin when a doctor takes the patient: console_ws.c) */
	if (m->type != CAB_MSG_SESSION_OPEN ||
	    station_db_has(st->db, m->session, "session_close") != 1)
		con_cabin_data(st, c, m, r == 1);
	if (m->type == CAB_MSG_STILL && r == 1)
		check_still(st, c, m);
	/* The Bundle is (re)written when the session closes, when a late message of a closed
	 * session arrives, and when a resent close finds no Bundle (the station stopped
	 * between storing the close and writing the file). */
	if (station_db_has(st->db, m->session, "session_close") == 1) {
		char path[2048];
		snprintf(path, sizeof path, "%s/%s.json", st->dir, m->session);
		if (r == 1 || access(path, F_OK) != 0)
			stn_write_bundle(st, m->session, c->cabin);
	}
}

void stn_on_text(struct cab_station *st, struct stn_conn *c, const char *buf, size_t len)
{
	int64_t rx_us = stn_now_us();
	struct cab_msg m;
	char ref[CAB_LINK_ID_MAX + 1], err[256];
	enum cab_msg_err e = cab_msg_parse(buf, len, &m, ref, err, sizeof err);
	if (e != CAB_MSGE_OK) {
		stn_send_error(st, c, cab_msg_error_code(e), ref, err, !c->hello_ok);
		return;
	}
	char *text = strndup(buf, len);
	if (!c->hello_ok && m.type != CAB_MSG_HELLO) {
		stn_send_error(st, c, "out-of-order", m.id, "the first message must be hello", 1);
	} else if (m.type == CAB_MSG_HELLO) {
		on_hello(st, c, &m, text);
	} else if (cab_msg_is_data(m.type)) {
		on_data(st, c, &m, text, rx_us);
	} else if (m.type == CAB_MSG_ACK) {
		struct cab_station_event ev = {
		    .kind = CAB_SEV_ACKED,
		    .cabin = c->cabin,
		    .id = json_string_value(json_object_get(m.root, "ack"))};
		stn_emit(st, &ev);
		con_cabin_ack(st, c, ev.id);
	} else if (m.type == CAB_MSG_PING) {
		json_t *p = cab_msg_new(CAB_MSG_PONG, NULL);
		json_object_set_new(p, "ping", json_string(m.id));
		json_object_set(p, "t", json_object_get(m.root, "t"));
		stn_send_json(c, p);
	} else if (m.type == CAB_MSG_ERROR) {
		struct cab_station_event ev = {
		    .kind = CAB_SEV_PEER_ERROR,
		    .cabin = c->cabin,
		    .msg = m.root,
		    .text = json_string_value(json_object_get(m.root, "detail"))};
		stn_emit(st, &ev);
		con_cabin_error(st, c, json_string_value(json_object_get(m.root, "ref")), ev.text);
	} else if (m.type == CAB_MSG_PATIENT_STATE || m.type == CAB_MSG_WEBRTC) {
		if (stn_safe_session(m.session))
			con_cabin_control(st, c, &m);
	} else if (m.type != CAB_MSG_PONG) {
		char d[96];
		snprintf(d, sizeof d, "a station does not accept \"%s\"",
		         cab_msg_type_name(m.type));
		stn_send_error(st, c, "unexpected-type", m.id, d, 0);
	}
	free(text);
	cab_msg_free(&m);
}
