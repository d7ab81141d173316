/* station.c — the doctor station engine (station.h): libwebsockets server with
 * mutual TLS 1.3, the link protocol's station side (docs/link-protocol.md), storage
 * in station_db, hand-off Bundle on session_close, doctor commands. */
#include "doctor/station.h"

#include "cabin/reading.h"
#include "common/clock.h"
#include "common/log.h"
#include "doctor/doctor_args.h"
#include "doctor/station_db.h"
#include "kiosk/link/fhir_bundle.h"
#include "kiosk/link/link_rate.h"
#include "kiosk/link/link_sock.h"
#include "kiosk/link/message.h"
#include "kiosk/link/still_msg.h"
#include "kiosk/link/tls_verify.h"
#include "kiosk/media/media_sender.h"

#include <libwebsockets.h>
#include <linux/sockios.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define LOG "station"
#define MEDIA_MAX (1024 * 1024)
#define OUTQ_MAX 4096
#define MOUT_MAX                                                                                   \
	8 /* return-media messages waiting for the socket; more waits (the                         \
	     sender's own queue then drops oldest, keyframe-aware) */

struct out {
	struct out *next;
	size_t len;
	unsigned char data[];
};

/* One connected cabin (lws per-session data). */
struct conn {
	struct conn *next;
	struct lws *wsi;
	char cabin[128]; /* certificate CN */
	int hello_ok;
	int closing;
	struct out *head, *tail;
	size_t nout;
	unsigned char *rx;
	size_t rx_len;
	int rx_over;
	struct station_media *media; /* the cabin's open session's media, or NULL */
};

struct cmd {
	struct cmd *next;
	char line[];
};

struct cab_station {
	struct cab_station_config cfg;
	char host[128], cert[1024], key[1024], ca[1024], dir[1024], name[128];
	cab_station_cb cb;
	void *user;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct station_db *db;
	struct conn *conns;
	pthread_mutex_t mu;
	struct cmd *cmds, *cmds_tail;
	atomic_int stop;
	/* The doctor's return media: one sender for the active session's cabin. The sink
	 * (sender's send thread) queues under mu; the service thread writes. */
	struct cab_station_media_cfg media;
	int has_media;
	struct cab_media_sender *tx;
	char tx_cabin[128], tx_session[64];
	struct out *mo_head, *mo_tail;
	int mo_n, mo_closed;
	uint64_t mo_sent;
	pthread_cond_t mo_cv;
	/* adaptation of the return media (service thread): bytes written to the cabin's
	 * connection since the sender started, and how many its TCP acknowledged */
	uint64_t mo_written, mo_acked;
	lws_sorted_usec_list_t sul_adapt;
};

static void emit(struct cab_station *st, struct cab_station_event *ev)
{
	if (st->cb)
		st->cb(ev, st->user);
}

static void emit_text(struct cab_station *st, enum cab_station_ev kind, const char *cabin,
                      const char *session, const char *text)
{
	struct cab_station_event ev = {
	    .kind = kind, .cabin = cabin, .session = session, .text = text};
	emit(st, &ev);
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --- sending ----------------------------------------------------------------- */

static void send_json(struct conn *c, json_t *msg)
{
	char *s = cab_msg_dump_take(msg);
	if (!s)
		return;
	size_t len = strlen(s);
	struct out *o = malloc(sizeof *o + LWS_PRE + len);
	if (o && c->nout < OUTQ_MAX) {
		o->next = NULL;
		o->len = len;
		memcpy(o->data + LWS_PRE, s, len);
		if (c->tail)
			c->tail->next = o;
		else
			c->head = o;
		c->tail = o;
		c->nout++;
		lws_callback_on_writable(c->wsi);
	} else {
		/* A cabin that never reads: the ack is lost, its resend will be acked as a
		 * duplicate. */
		cab_warn(LOG, "cabin %s: output queue full, message dropped", c->cabin);
		free(o);
	}
	free(s);
}

static void send_error(struct cab_station *st, struct conn *c, const char *code, const char *ref,
                       const char *detail, int close_after)
{
	char text[512];
	snprintf(text, sizeof text, "%s: %s", code, detail);
	cab_warn(LOG, "cabin %s: %s", c->cabin, text);
	emit_text(st, CAB_SEV_PROTOCOL_ERROR, c->cabin, NULL, text);
	send_json(c, cab_msg_error_new(code, ref, detail));
	if (close_after) {
		c->closing = 1;
		lws_callback_on_writable(c->wsi);
	}
}

static struct conn *conn_for_cabin(struct cab_station *st, const char *cabin)
{
	for (struct conn *c = st->conns; c; c = c->next)
		if (c->hello_ok && !strcmp(c->cabin, cabin))
			return c;
	return NULL;
}

/* --- media ---------------------------------------------------------------------- */

/* The return sender's sink (its send thread): waits while MOUT_MAX messages are
 * queued, so that the sender's drop-oldest queue does the dropping. */
static int return_sink(void *user, const uint8_t *msg, size_t len, int key)
{
	struct cab_station *st = user;
	(void)key;
	struct out *o = malloc(sizeof *o + LWS_PRE + len);
	if (!o)
		return -1;
	o->next = NULL;
	o->len = len;
	memcpy(o->data + LWS_PRE, msg, len);
	pthread_mutex_lock(&st->mu);
	while (st->mo_n >= MOUT_MAX && !st->mo_closed)
		pthread_cond_wait(&st->mo_cv, &st->mu);
	if (st->mo_closed) {
		pthread_mutex_unlock(&st->mu);
		free(o);
		return -1;
	}
	if (st->mo_tail)
		st->mo_tail->next = o;
	else
		st->mo_head = o;
	st->mo_tail = o;
	st->mo_n++;
	pthread_mutex_unlock(&st->mu);
	lws_cancel_service(st->ctx);
	return 0;
}

static void mo_clear_locked(struct cab_station *st)
{
	while (st->mo_head) {
		struct out *o = st->mo_head;
		st->mo_head = o->next;
		free(o);
	}
	st->mo_tail = NULL;
	st->mo_n = 0;
	pthread_cond_broadcast(&st->mo_cv);
}

static void media_event(void *user, const struct cab_media_event *ev)
{
	(void)user;
	if (ev->type == CAB_MEDIA_EV_SOURCE)
		cab_info(LOG, "return %s: %s", ev->label ? ev->label : "?",
		         ev->is_test ? "test source" : "device");
	else if (ev->type == CAB_MEDIA_EV_ERROR)
		cab_warn(LOG, "return media: %s", ev->text ? ev->text : "error");
}

/* Stops the return media (service thread). */
static void return_stop(struct cab_station *st)
{
	if (!st->tx)
		return;
	pthread_mutex_lock(&st->mu);
	st->mo_closed = 1;
	mo_clear_locked(st);
	pthread_mutex_unlock(&st->mu);
	struct cab_media_sender_stats ss;
	cab_media_sender_finish(st->tx, &ss);
	st->tx = NULL;
	char t[256];
	snprintf(t, sizeof t,
	         "return media to %s stopped: %llu video frames, %llu audio packets, "
	         "%llu dropped",
	         st->tx_cabin, (unsigned long long)ss.video_frames_encoded,
	         (unsigned long long)ss.audio_packets, (unsigned long long)ss.queue.dropped);
	cab_info(LOG, "%s", t);
	pthread_mutex_lock(&st->mu);
	mo_clear_locked(st);
	st->tx_cabin[0] = 0;
	st->tx_session[0] = 0;
	pthread_mutex_unlock(&st->mu);
}

/* Starts the doctor's camera and microphone towards CABIN (service thread). */
static void return_start(struct cab_station *st, const char *cabin, const char *session)
{
	if (!st->has_media || !st->media.send_back)
		return;
	return_stop(st);
	struct cab_media_sender_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.cameras[0] = st->media.camera;
	if (!cfg.cameras[0].label)
		cfg.cameras[0].label = "doctor-camera";
	cfg.n_cameras = 1;
	cfg.microphone = st->media.microphone;
	if (!cfg.microphone.label)
		cfg.microphone.label = "doctor-microphone";
	cfg.video = 1;
	cfg.audio = 1;
	cfg.start_rung = st->media.return_rung;
	cfg.best_rung = st->media.return_rung; /* the configured size is the ceiling */
	cfg.adapt = 1;
	cfg.send = return_sink;
	cfg.send_user = st;
	cfg.on_event = media_event;
	pthread_mutex_lock(&st->mu);
	st->mo_closed = 0;
	st->mo_written = st->mo_acked = 0;
	snprintf(st->tx_cabin, sizeof st->tx_cabin, "%s", cabin);
	snprintf(st->tx_session, sizeof st->tx_session, "%s", session);
	pthread_mutex_unlock(&st->mu);
	st->tx = cab_media_sender_start(&cfg);
	if (!st->tx)
		cab_err(LOG, "cannot start the return media");
}

static void need_key(void *user, const char *cabin);

/* Starts SESSION's incoming media on C (and the return media to its cabin). */
static void media_begin(struct cab_station *st, struct conn *c, const char *session)
{
	if (!st->has_media)
		return;
	if (c->media && !strcmp(station_media_session(c->media), session))
		return;
	if (c->media) {
		json_t *stats = station_media_end(c->media);
		c->media = NULL;
		struct cab_station_event ev = {
		    .kind = CAB_SEV_MEDIA_STATS,
		    .cabin = c->cabin,
		    .session = json_string_value(json_object_get(stats, "session")),
		    .msg = stats,
		    .text = "another session opened"};
		emit(st, &ev);
		json_decref(stats);
	}
	c->media = station_media_new(st->dir, session, c->cabin, &st->media.viewer, need_key, st);
	if (c->media)
		emit_text(st, CAB_SEV_MEDIA_START, c->cabin, session,
		          station_media_recording(c->media));
	return_start(st, c->cabin, session);
}

/* Ends C's media (session closed or cabin gone): counts reported, files closed. */
static void media_end(struct cab_station *st, struct conn *c, const char *why)
{
	if (c->media) {
		json_t *stats = station_media_end(c->media);
		c->media = NULL;
		struct cab_station_event ev = {
		    .kind = CAB_SEV_MEDIA_STATS,
		    .cabin = c->cabin,
		    .session = json_string_value(json_object_get(stats, "session")),
		    .msg = stats,
		    .text = why};
		if (stats && st->tx && !strcmp(st->tx_cabin, c->cabin)) {
			pthread_mutex_lock(&st->mu);
			uint64_t sent = st->mo_sent;
			pthread_mutex_unlock(&st->mu);
			json_object_set_new(stats, "return_messages_sent",
			                    json_integer((json_int_t)sent));
		}
		emit(st, &ev);
		json_decref(stats);
	}
	if (st->tx && !strcmp(st->tx_cabin, c->cabin))
		return_stop(st);
}

/* The station's receiver lost H.264 packets of CABIN: ask it for a keyframe (at most
 * one request a second). */
static void need_key(void *user, const char *cabin)
{
	struct cab_station *st = user;
	static int64_t last_ms;
	struct conn *c = conn_for_cabin(st, cabin);
	if (!c || !c->media || cab_mono_ms() - last_ms < 1000)
		return;
	last_ms = cab_mono_ms();
	json_t *m = cab_msg_new(CAB_MSG_REQUEST, NULL);
	json_object_set_new(m, "session", json_string(station_media_session(c->media)));
	json_object_set_new(m, "action", json_string("keyframe"));
	send_json(c, m);
}

/* --- the hand-off record ------------------------------------------------------ */

static json_t *doctor_json(struct cab_station *st)
{
	return json_pack("{s:s, s:s, s:s}", "name", st->cfg.doctor.name, "specialty",
	                 st->cfg.doctor.specialty, "rpps", st->cfg.doctor.rpps);
}

static void write_bundle(struct cab_station *st, const char *session, const char *cabin)
{
	json_t *msgs = station_db_session_messages(st->db, session);
	json_t *hello = station_db_get_hello(st->db, cabin);
	json_t *doc = doctor_json(st);
	size_t n = json_array_size(msgs);
	json_t **arr = calloc(n ? n : 1, sizeof *arr);
	char t[40], path[2048], tmp[2100];
	if (!msgs || !arr)
		goto out;
	for (size_t i = 0; i < n; i++)
		arr[i] = json_array_get(msgs, i);
	struct cab_fhir_bundle_in in = {session, hello, doc, arr, n};
	json_t *b = cab_fhir_bundle(&in, cab_time_rfc3339(cab_wall_ms(), t, sizeof t));
	snprintf(path, sizeof path, "%s/%s.json", st->dir, session);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (b && json_dump_file(b, tmp, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) == 0 &&
	    rename(tmp, path) == 0) {
		cab_info(LOG, "session %s: bundle written", session);
		emit_text(st, CAB_SEV_BUNDLE, cabin, session, path);
	} else {
		cab_err(LOG, "session %s: cannot write %s", session, path);
	}
	json_decref(b);
out:
	free(arr);
	json_decref(msgs);
	json_decref(hello);
	json_decref(doc);
}

/* --- receiving --------------------------------------------------------------- */

static int safe_session(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* A still part was stored: when every part of its still is there, reassemble and
 * verify it (cab_still_assemble) and keep the JPEG as DATA/<session>-still-<id>.jpg. */
static void check_still(struct cab_station *st, struct conn *c, struct cab_msg *m)
{
	json_t *meta = json_object_get(m->root, "still");
	const char *sid = json_string_value(json_object_get(meta, "id"));
	json_t *all = station_db_session_messages(st->db, m->session);
	size_t n = json_array_size(all), k = 0;
	json_t **parts = calloc(n ? n : 1, sizeof *parts);
	uint8_t *jpeg = NULL;
	size_t len = 0;
	char err[200], file[200], path[1400], tmp[1500];
	if (!parts || !safe_session(sid))
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
		cab_warn(LOG, "session %s: %s", m->session, d);
		emit_text(st, CAB_SEV_STILL_ERROR, c->cabin, m->session, d);
		goto out;
	}
	cab_still_file_name(m->session, sid, file, sizeof file);
	snprintf(path, sizeof path, "%s/%s", st->dir, file);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f || fwrite(jpeg, 1, len, f) != len || fclose(f) != 0 || rename(tmp, path) != 0) {
		if (f)
			unlink(tmp);
		cab_err(LOG, "session %s: cannot write %s", m->session, path);
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
	emit(st, &ev);
	json_decref(info);
out:
	free(jpeg);
	free(parts);
	json_decref(all);
}

/* Media from a cabin without active media (it reconnected mid-session): its latest
 * session still open gets its media back (a new recording file, <session>-2.mkv). */
static void resume_media(struct cab_station *st, struct conn *c)
{
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
	if (open)
		media_begin(st, c, open);
	json_decref(arr);
}

static void on_hello(struct cab_station *st, struct conn *c, struct cab_msg *m, const char *text)
{
	const char *id =
	    json_string_value(json_object_get(json_object_get(m->root, "cabin"), "id"));
	if (strcmp(id, c->cabin)) {
		char d[300];
		snprintf(d, sizeof d, "cabin id \"%.60s\" is not the certificate's (\"%.60s\")", id,
		         c->cabin);
		send_error(st, c, "unauthorized", m->id, d, 1);
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
		send_error(st, c, "version", m->id, "no common protocol version (station speaks 1)",
		           1);
		return;
	}
	c->hello_ok = 1;
	station_db_put_hello(st->db, c->cabin, text);
	json_t *w = cab_msg_new(CAB_MSG_WELCOME, NULL);
	json_object_set_new(w, "version", json_integer(chosen));
	json_object_set_new(w, "station", json_string(st->name));
	send_json(c, w);
	struct cab_station_event ev = {
	    .kind = CAB_SEV_HELLO, .cabin = c->cabin, .msg = m->root, .id = m->id};
	emit(st, &ev);
}

static void on_data(struct cab_station *st, struct conn *c, struct cab_msg *m, const char *text,
                    int64_t rx_us)
{
	const char *type = cab_msg_type_name(m->type);
	if (!safe_session(m->session)) {
		send_error(st, c, "bad-field", m->id, "session ids use only letters, digits, - _ .",
		           0);
		return;
	}
	if (m->type == CAB_MSG_STILL && !safe_session(json_string_value(json_object_get(
	                                    json_object_get(m->root, "still"), "id")))) {
		send_error(st, c, "bad-field", m->id, "still ids use only letters, digits, - _ .",
		           0);
		return;
	}
	if (m->type != CAB_MSG_SESSION_OPEN) {
		char owner[128];
		if (station_db_session_cabin(st->db, m->session, owner, sizeof owner)) {
			char d[128];
			snprintf(d, sizeof d, "%s for a session that was not opened", type);
			send_error(st, c, "out-of-order", m->id, d, 0);
			return;
		}
		if (strcmp(owner, c->cabin)) {
			send_error(st, c, "unauthorized", m->id,
			           "the session belongs to another cabin", 0);
			return;
		}
	}
	int r =
	    station_db_put_message(st->db, m->id, m->session, c->cabin, type, text, rx_us / 1000);
	if (r < 0) {
		send_error(st, c, "internal", m->id, "the station could not store the message", 0);
		return;
	}
	send_json(c, cab_msg_ack(m->id, r == 0));
	struct cab_station_event ev = {.kind = CAB_SEV_MESSAGE,
	                               .cabin = c->cabin,
	                               .session = m->session,
	                               .type = type,
	                               .id = m->id,
	                               .duplicate = r == 0,
	                               .msg = m->root,
	                               .rx_us = rx_us};
	emit(st, &ev);
	if (m->type == CAB_MSG_SESSION_OPEN) {
		json_t *d = cab_msg_new(CAB_MSG_DOCTOR, NULL);
		json_object_set_new(d, "session", json_string(m->session));
		json_object_set_new(d, "doctor", doctor_json(st));
		send_json(c, d);
		if (station_db_has(st->db, m->session, "session_close") != 1)
			media_begin(st, c, m->session);
	}
	if (m->type == CAB_MSG_STILL && r == 1)
		check_still(st, c, m);
	if (m->type == CAB_MSG_SESSION_CLOSE && c->media &&
	    !strcmp(station_media_session(c->media), m->session))
		media_end(st, c, "session closed");
	/* The Bundle is (re)written when the session closes, when a late message of a closed
	 * session arrives, and when a resent close finds no Bundle (the station stopped
	 * between storing the close and writing the file). */
	if (station_db_has(st->db, m->session, "session_close") == 1) {
		char path[2048];
		snprintf(path, sizeof path, "%s/%s.json", st->dir, m->session);
		if (r == 1 || access(path, F_OK) != 0)
			write_bundle(st, m->session, c->cabin);
	}
}

static void on_text(struct cab_station *st, struct conn *c, const char *buf, size_t len)
{
	int64_t rx_us = now_us();
	struct cab_msg m;
	char ref[CAB_LINK_ID_MAX + 1], err[256];
	enum cab_msg_err e = cab_msg_parse(buf, len, &m, ref, err, sizeof err);
	if (e != CAB_MSGE_OK) {
		send_error(st, c, cab_msg_error_code(e), ref, err, !c->hello_ok);
		return;
	}
	char *text = strndup(buf, len);
	if (!c->hello_ok && m.type != CAB_MSG_HELLO) {
		send_error(st, c, "out-of-order", m.id, "the first message must be hello", 1);
	} else if (m.type == CAB_MSG_HELLO) {
		on_hello(st, c, &m, text);
	} else if (cab_msg_is_data(m.type)) {
		on_data(st, c, &m, text, rx_us);
	} else if (m.type == CAB_MSG_ACK) {
		struct cab_station_event ev = {
		    .kind = CAB_SEV_ACKED,
		    .cabin = c->cabin,
		    .id = json_string_value(json_object_get(m.root, "ack"))};
		emit(st, &ev);
	} else if (m.type == CAB_MSG_PING) {
		json_t *p = cab_msg_new(CAB_MSG_PONG, NULL);
		json_object_set_new(p, "ping", json_string(m.id));
		json_object_set(p, "t", json_object_get(m.root, "t"));
		send_json(c, p);
	} else if (m.type == CAB_MSG_ERROR) {
		struct cab_station_event ev = {
		    .kind = CAB_SEV_PEER_ERROR,
		    .cabin = c->cabin,
		    .msg = m.root,
		    .text = json_string_value(json_object_get(m.root, "detail"))};
		emit(st, &ev);
	} else if (m.type != CAB_MSG_PONG) {
		char d[96];
		snprintf(d, sizeof d, "a station does not accept \"%s\"",
		         cab_msg_type_name(m.type));
		send_error(st, c, "unexpected-type", m.id, d, 0);
	}
	free(text);
	cab_msg_free(&m);
}

/* --- doctor commands ----------------------------------------------------------- */

static int kind_known(const char *k)
{
	for (int i = 1; i < CAB_KIND__COUNT; i++)
		if (!strcmp(cab_device_kind_name((enum cab_device_kind)i), k))
			return 1;
	return 0;
}

/* The request action of a "start"/"stop" word (docs/link-protocol.md), or NULL. */
static const char *stream_action(const char *word)
{
	return !word                   ? NULL
	       : !strcmp(word, "start") ? "stream_start"
	       : !strcmp(word, "stop")  ? "stream_stop"
	                                : NULL;
}

static void run_command(struct cab_station *st, char *line)
{
	char res[1024], session[64];
	char *save = NULL, *verb = strtok_r(line, " \t\r\n", &save);
	if (!verb)
		return;
	if (!strcmp(verb, "help")) {
		emit_text(
		    st, CAB_SEV_COMMAND, NULL, NULL,
		    "commands: sessions | measure SESSION KIND | stream start|stop SESSION KIND | "
		    "camera SESSION room|otoscope|dermatoscope | still SESSION [BODY SITE] | "
		    "stetho start|stop SESSION | "
		    "message SESSION TEXT | end SESSION | help  (SESSION may be a unique prefix; "
		    "KIND: thermometer blood-pressure pulse-oximeter scale glucometer stethoscope "
		    "otoscope dermatoscope room-camera)");
		return;
	}
	if (!strcmp(verb, "sessions")) {
		json_t *arr = station_db_sessions(st->db);
		size_t i;
		json_t *s;
		int k = snprintf(res, sizeof res, "%zu session(s)", json_array_size(arr));
		json_array_foreach(arr, i, s)
		{
			const char *cab = json_string_value(json_object_get(s, "cabin"));
			if (k < (int)sizeof res - 100)
				k += snprintf(res + k, sizeof res - (size_t)k, "; %s cabin %s %s%s",
				              json_string_value(json_object_get(s, "session")), cab,
				              json_is_true(json_object_get(s, "closed")) ? "closed"
				                                                         : "open",
				              conn_for_cabin(st, cab) ? " (connected)" : "");
		}
		json_decref(arr);
		emit_text(st, CAB_SEV_COMMAND, NULL, NULL, res);
		return;
	}
	const char *action = NULL, *kind = NULL, *text = NULL, *site = NULL;
	char *sess = NULL;
	if (!strcmp(verb, "measure")) {
		action = "measure";
		sess = strtok_r(NULL, " \t\r\n", &save);
		kind = strtok_r(NULL, " \t\r\n", &save);
	} else if (!strcmp(verb, "stream")) {
		action = stream_action(strtok_r(NULL, " \t\r\n", &save));
		sess = strtok_r(NULL, " \t\r\n", &save);
		kind = strtok_r(NULL, " \t\r\n", &save);
		if (!action) {
			emit_text(st, CAB_SEV_COMMAND, NULL, NULL,
			          "usage: stream start|stop SESSION KIND");
			return;
		}
	} else if (!strcmp(verb, "message")) {
		action = "message";
		sess = strtok_r(NULL, " \t\r\n", &save);
		text = strtok_r(NULL, "\r\n", &save);
		if (!text || !*text) {
			emit_text(st, CAB_SEV_COMMAND, NULL, NULL, "usage: message SESSION TEXT");
			return;
		}
	} else if (!strcmp(verb, "camera")) {
		action = "camera";
		sess = strtok_r(NULL, " \t\r\n", &save);
		char *cam = strtok_r(NULL, " \t\r\n", &save);
		kind = !cam                           ? NULL
		       : !strcmp(cam, "room")         ? "room-camera"
		       : !strcmp(cam, "otoscope")     ? "otoscope"
		       : !strcmp(cam, "dermatoscope") ? "dermatoscope"
		                                      : NULL;
		if (!kind) {
			emit_text(st, CAB_SEV_COMMAND, NULL, NULL,
			          "usage: camera SESSION room|otoscope|dermatoscope");
			return;
		}
	} else if (!strcmp(verb, "still")) {
		action = "still";
		sess = strtok_r(NULL, " \t\r\n", &save);
		site = strtok_r(NULL, "\r\n", &save);
		while (site && (*site == ' ' || *site == '\t'))
			site++;
		if (site && !*site)
			site = NULL;
		if (site && strlen(site) > 200) {
			emit_text(st, CAB_SEV_COMMAND, NULL, NULL, "body site over 200 characters");
			return;
		}
	} else if (!strcmp(verb, "stetho")) {
		action = stream_action(strtok_r(NULL, " \t\r\n", &save));
		kind = "stethoscope";
		sess = strtok_r(NULL, " \t\r\n", &save);
		if (!action) {
			emit_text(st, CAB_SEV_COMMAND, NULL, NULL,
			          "usage: stetho start|stop SESSION");
			return;
		}
	} else if (!strcmp(verb, "end")) {
		action = "end";
		sess = strtok_r(NULL, " \t\r\n", &save);
	} else {
		snprintf(res, sizeof res, "unknown command \"%.40s\" (try help)", verb);
		emit_text(st, CAB_SEV_COMMAND, NULL, NULL, res);
		return;
	}
	if (!sess) {
		emit_text(st, CAB_SEV_COMMAND, NULL, NULL, "a session id is needed (see sessions)");
		return;
	}
	if ((!strcmp(action, "measure") || !strncmp(action, "stream", 6)) &&
	    (!kind || !kind_known(kind))) {
		snprintf(res, sizeof res, "unknown instrument kind \"%.40s\" (see help)",
		         kind ? kind : "");
		emit_text(st, CAB_SEV_COMMAND, NULL, NULL, res);
		return;
	}
	int found = station_db_find_session(st->db, sess, session, sizeof session);
	if (found != 1) {
		snprintf(res, sizeof res,
		         found ? "session prefix \"%.40s\" is ambiguous" : "no session \"%.40s\"",
		         sess);
		emit_text(st, CAB_SEV_COMMAND, NULL, NULL, res);
		return;
	}
	char cabin[128];
	station_db_session_cabin(st->db, session, cabin, sizeof cabin);
	struct conn *c = conn_for_cabin(st, cabin);
	if (!c) {
		snprintf(res, sizeof res, "cabin %.60s of session %.40s is not connected", cabin,
		         session);
		emit_text(st, CAB_SEV_COMMAND, cabin, session, res);
		return;
	}
	json_t *m = cab_msg_new(CAB_MSG_REQUEST, NULL);
	json_object_set_new(m, "session", json_string(session));
	json_object_set_new(m, "action", json_string(action));
	if (kind)
		json_object_set_new(m, "kind", json_string(kind));
	if (text)
		json_object_set_new(m, "text", json_string(text));
	if (site)
		json_object_set_new(m, "body_site", json_string(site));
	snprintf(res, sizeof res, "sent %s%s%s%s%s to session %s (request %s)", action,
	         kind ? " " : "", kind ? kind : "", site ? " at " : "", site ? site : "", session,
	         json_string_value(json_object_get(m, "id")));
	send_json(c, m);
	emit_text(st, CAB_SEV_COMMAND, cabin, session, res);
}

static void drain_commands(struct cab_station *st)
{
	for (;;) {
		pthread_mutex_lock(&st->mu);
		struct cmd *c = st->cmds;
		if (c) {
			st->cmds = c->next;
			if (!st->cmds)
				st->cmds_tail = NULL;
		}
		pthread_mutex_unlock(&st->mu);
		if (!c)
			break;
		run_command(st, c->line);
		free(c);
	}
}

/* --- TLS hooks ----------------------------------------------------------------- */

static void ssl_info(const SSL *ssl, int where, int ret)
{
	if (!(where & SSL_CB_ALERT))
		return;
	struct cab_station *st = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	int alert = ret & 0xff;
	char msg[256];
	if (!st || alert == SSL3_AD_CLOSE_NOTIFY)
		return;
	if (where & SSL_CB_WRITE) {
		if (alert == 116)
			snprintf(msg, sizeof msg,
			         "cabin presented no certificate (missing client certificate)");
		else if (alert == SSL_AD_PROTOCOL_VERSION)
			snprintf(msg, sizeof msg, "cabin offered TLS below 1.3 (refused)");
		else {
			/* certificate verdicts are reported by the verify callback; the rest
			 * (e.g. a cabin closing abruptly) is no refusal */
			cab_debug(LOG, "station sent TLS alert: %s",
			          SSL_alert_desc_string_long(alert));
			return;
		}
	} else {
		snprintf(msg, sizeof msg, "cabin refused the station: TLS alert %s",
		         SSL_alert_desc_string_long(alert));
	}
	cab_warn(LOG, "%s", msg);
	emit_text(st, CAB_SEV_REFUSED, NULL, NULL, msg);
}

/* The station being created: its TLS context is set up inside lws_create_context(),
 * before the context's user pointer can be read back. Creation is not concurrent. */
static struct cab_station *creating;

/* Protocol 0 (HTTP) also receives the TLS callbacks. */
static int http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                   size_t len)
{
	if (reason == LWS_CALLBACK_OPENSSL_LOAD_EXTRA_SERVER_VERIFY_CERTS) {
		SSL_CTX *ctx = user;
		struct cab_station *st = creating; /* set around lws_create_context() */
		SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
		SSL_CTX_set_app_data(ctx, st);
		SSL_CTX_set_info_callback(ctx, ssl_info);
		return 0;
	}
	if (reason == LWS_CALLBACK_OPENSSL_PERFORM_CLIENT_CERT_VERIFICATION) {
		if (len)
			return 0;
		X509_STORE_CTX *xs = user;
		struct cab_station *st = SSL_CTX_get_app_data(SSL_get_SSL_CTX((SSL *)in));
		char msg[256];
		cab_tls_classify_verify(X509_STORE_CTX_get_error(xs), "cabin", msg, sizeof msg);
		cab_warn(LOG, "refused: %s", msg);
		if (st)
			emit_text(st, CAB_SEV_REFUSED, NULL, NULL, msg);
		return 1;
	}
	if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) {
		struct cab_station *st = lws_context_user(lws_get_context(wsi));
		if (st) {
			drain_commands(st);
			pthread_mutex_lock(&st->mu);
			int pending = st->mo_head != NULL;
			char cab[128];
			snprintf(cab, sizeof cab, "%s", st->tx_cabin);
			pthread_mutex_unlock(&st->mu);
			struct conn *tc = pending ? conn_for_cabin(st, cab) : NULL;
			if (tc)
				lws_callback_on_writable(tc->wsi);
		}
		return 0;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static int ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                 size_t len)
{
	struct cab_station *st = lws_context_user(lws_get_context(wsi));
	struct conn *c = user;
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED: {
		memset(c, 0, sizeof *c);
		c->wsi = wsi;
		if (cab_link_sock_low_latency((int)lws_get_socket_fd(wsi)) < 0)
			cab_warn(LOG, "TCP_NOTSENT_LOWAT not set: a slow link will add delay");
		SSL *ssl = lws_get_ssl(wsi);
		X509 *peer = ssl ? SSL_get0_peer_certificate(ssl) : NULL;
		if (!peer || X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName,
		                                       c->cabin, sizeof c->cabin) <= 0)
			snprintf(c->cabin, sizeof c->cabin, "?");
		c->next = st->conns;
		st->conns = c;
		cab_info(LOG, "cabin %s connected", c->cabin);
		emit_text(st, CAB_SEV_CONNECTED, c->cabin, NULL, NULL);
		return 0;
	}
	case LWS_CALLBACK_RECEIVE: {
		size_t cap = lws_frame_is_binary(wsi) ? MEDIA_MAX : CAB_LINK_MSG_MAX;
		if (!c->rx_over && c->rx_len + len <= cap) {
			unsigned char *nb = realloc(c->rx, c->rx_len + len + 1);
			if (!nb)
				return -1;
			c->rx = nb;
			memcpy(c->rx + c->rx_len, in, len);
			c->rx_len += len;
		} else {
			c->rx_over = 1;
		}
		if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
			return 0;
		if (c->rx_over) {
			char d[96];
			snprintf(d, sizeof d, "message over the %zu-byte limit dropped", cap);
			send_error(st, c, "too-large", NULL, d, 0);
		} else if (lws_frame_is_binary(wsi)) {
			if (!c->media && st->has_media && c->hello_ok)
				resume_media(st, c);
			int r = c->media ? station_media_push(c->media, c->rx, c->rx_len) : 0;
			if (!c->media || r < 0) {
				/* counted only, or refused by the packet parser: say so */
				struct cab_station_event ev = {
				    .kind = CAB_SEV_MEDIA,
				    .cabin = c->cabin,
				    .len = c->rx_len,
				    .rx_us = now_us(),
				    .text = r < 0 ? cab_media_packet_strerror(r) : NULL};
				emit(st, &ev);
			}
		} else {
			on_text(st, c, (const char *)c->rx, c->rx_len);
		}
		free(c->rx);
		c->rx = NULL;
		c->rx_len = 0;
		c->rx_over = 0;
		return 0;
	}
	case LWS_CALLBACK_SERVER_WRITEABLE: {
		struct out *o = c->head;
		if (o) {
			c->head = o->next;
			if (!c->head)
				c->tail = NULL;
			c->nout--;
			int n = lws_write(wsi, o->data + LWS_PRE, o->len, LWS_WRITE_TEXT);
			free(o);
			if (n < 0)
				return -1;
			/* again: more text, the close, or return media waiting behind this
			 * message (its sink may be blocked on a full queue and would never
			 * wake the service again) */
			lws_callback_on_writable(wsi);
			return 0;
		}
		if (c->closing) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION,
			                 (unsigned char *)"protocol", 8);
			return -1;
		}
		/* then the return media, when this cabin is the active session's */
		pthread_mutex_lock(&st->mu);
		struct out *mo = NULL;
		if (c->hello_ok && st->mo_head && !strcmp(st->tx_cabin, c->cabin)) {
			mo = st->mo_head;
			st->mo_head = mo->next;
			if (!st->mo_head)
				st->mo_tail = NULL;
			st->mo_n--;
			st->mo_sent++;
			pthread_cond_broadcast(&st->mo_cv);
		}
		int more = st->mo_head != NULL;
		pthread_mutex_unlock(&st->mu);
		if (mo) {
			int n = lws_write(wsi, mo->data + LWS_PRE, mo->len, LWS_WRITE_BINARY);
			if (n >= 0) {
				pthread_mutex_lock(&st->mu);
				st->mo_written += mo->len;
				pthread_mutex_unlock(&st->mu);
			}
			free(mo);
			if (n < 0)
				return -1;
			if (more)
				lws_callback_on_writable(wsi);
		}
		return 0;
	}
	case LWS_CALLBACK_CLOSED: {
		for (struct conn **p = &st->conns; *p; p = &(*p)->next)
			if (*p == c) {
				*p = c->next;
				break;
			}
		while (c->head) {
			struct out *o = c->head;
			c->head = o->next;
			free(o);
		}
		free(c->rx);
		c->rx = NULL;
		media_end(st, c, "cabin disconnected");
		cab_info(LOG, "cabin %s disconnected", c->cabin);
		emit_text(st, CAB_SEV_DISCONNECTED, c->cabin, NULL, NULL);
		return 0;
	}
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
    {"http", http_cb, 0, 0, 0, NULL, 0},
    {CAB_LINK_SUBPROTOCOL, ws_cb, sizeof(struct conn), 64 * 1024, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

struct cab_station *cab_station_new(const struct cab_station_config *cfg, cab_station_cb cb,
                                    void *user, char *err, size_t n)
{
	struct cab_station *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->mo_cv, NULL);
	st->cfg = *cfg;
	if (cfg->media) {
		st->media = *cfg->media;
		st->has_media = 1;
	}
	st->cfg.media = NULL;
	st->cb = cb;
	st->user = user;
	snprintf(st->host, sizeof st->host, "%s", cfg->host ? cfg->host : "127.0.0.1");
	snprintf(st->cert, sizeof st->cert, "%s", cfg->cert ? cfg->cert : "");
	snprintf(st->key, sizeof st->key, "%s", cfg->key ? cfg->key : "");
	snprintf(st->ca, sizeof st->ca, "%s", cfg->ca ? cfg->ca : "");
	snprintf(st->dir, sizeof st->dir, "%s", cfg->data_dir ? cfg->data_dir : ".");
	snprintf(st->name, sizeof st->name, "%s", cfg->name ? cfg->name : "cabin-doctor");
	if (!st->cert[0] || !st->key[0] || !st->ca[0]) {
		snprintf(err, n, "--cert, --key and --ca are all required (mutual TLS)");
		goto fail;
	}
	FILE *f;
	const char *files[] = {st->cert, st->key, st->ca};
	for (int i = 0; i < 3; i++) {
		if (!(f = fopen(files[i], "r"))) {
			snprintf(err, n, "cannot read %s", files[i]);
			goto fail;
		}
		fclose(f);
	}
	/* libwebsockets only logs a CA file it cannot use, then refuses every cabin */
	if (doctor_check_ca_file(st->ca, err, n))
		goto fail;
	st->db = station_db_open(st->dir);
	if (!st->db) {
		snprintf(err, n, "cannot open the database in %s", st->dir);
		goto fail;
	}
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = cfg->port;
	info.iface = st->host;
	info.protocols = protocols;
	info.user = st;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
	               LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT |
	               LWS_SERVER_OPTION_DISABLE_IPV6;
	info.ssl_cert_filepath = st->cert;
	info.ssl_private_key_filepath = st->key;
	info.ssl_ca_filepath = st->ca;
	info.ssl_options_set = SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 | SSL_OP_NO_TLSv1_2;
	info.timeout_secs = 10;
	lws_set_log_level(LLL_ERR, NULL);
	creating = st;
	st->ctx = lws_create_context(&info);
	creating = NULL;
	if (!st->ctx) {
		snprintf(err, n,
		         "cannot listen on %s:%d with TLS (port busy or bad certificate files)",
		         st->host, cfg->port);
		goto fail;
	}
	st->vh = lws_get_vhost_by_name(st->ctx, "default");
	char where[200];
	snprintf(where, sizeof where, "%s:%d", st->host, cab_station_port(st));
	cab_info(LOG, "listening on wss://%s/", where);
	emit_text(st, CAB_SEV_LISTENING, NULL, NULL, where);
	return st;
fail:
	cab_err(LOG, "%s", err);
	cab_station_free(st);
	return NULL;
}

int cab_station_port(struct cab_station *st)
{
	return st->vh ? lws_get_vhost_listen_port(st->vh) : st->cfg.port;
}

/* Every 250 ms (service thread): tells the return sender what the cabin's TCP has
 * acknowledged of the return media (written minus the socket's send queue,
 * SIOCOUTQ), so the return video adapts to the link like the cabin's own
 * (kiosk/media/media_adapt.h). No RTT here: the cabin pings, the station answers. */
static void return_adapt_tick(lws_sorted_usec_list_t *sul)
{
	struct cab_station *st = lws_container_of(sul, struct cab_station, sul_adapt);
	if (st->tx) {
		char cab[128];
		pthread_mutex_lock(&st->mu);
		snprintf(cab, sizeof cab, "%s", st->tx_cabin);
		uint64_t written = st->mo_written;
		pthread_mutex_unlock(&st->mu);
		struct conn *c = conn_for_cabin(st, cab);
		int outq = 0;
		int fd = c ? (int)lws_get_socket_fd(c->wsi) : -1;
		if (fd < 0 || ioctl(fd, SIOCOUTQ, &outq) < 0 || outq < 0)
			outq = 0; /* no connection: what was written is gone */
		uint64_t acked = cab_link_acked_bytes(written, (uint64_t)outq);
		if (acked > st->mo_acked)
			st->mo_acked = acked;
		struct cab_media_link_report r = {
		    .t_ms = cab_mono_ms(), .bytes_acked = st->mo_acked, .rtt_ms = -1};
		cab_media_sender_link_report(st->tx, &r);
		struct cab_media_sender_stats ss;
		cab_media_sender_stats(st->tx, &ss);
		cab_debug(LOG, "return media: %llu B written, %d unacked, %llu acked, queue %llu B",
		          (unsigned long long)written, outq, (unsigned long long)st->mo_acked,
		          (unsigned long long)ss.queue.bytes);
	}
	lws_sul_schedule(st->ctx, 0, &st->sul_adapt, return_adapt_tick, 250 * 1000);
}

int cab_station_run(struct cab_station *st)
{
	lws_sul_schedule(st->ctx, 0, &st->sul_adapt, return_adapt_tick, 250 * 1000);
	while (!atomic_load(&st->stop))
		if (lws_service(st->ctx, 0) < 0)
			break;
	return 0;
}

void cab_station_stop(struct cab_station *st)
{
	atomic_store(&st->stop, 1);
	if (st->ctx)
		lws_cancel_service(st->ctx);
}

int cab_station_command(struct cab_station *st, const char *line)
{
	size_t len = strlen(line);
	if (len > 4096)
		return -1;
	struct cmd *c = malloc(sizeof *c + len + 1);
	if (!c)
		return -1;
	c->next = NULL;
	memcpy(c->line, line, len + 1);
	pthread_mutex_lock(&st->mu);
	if (st->cmds_tail)
		st->cmds_tail->next = c;
	else
		st->cmds = c;
	st->cmds_tail = c;
	pthread_mutex_unlock(&st->mu);
	lws_cancel_service(st->ctx);
	return 0;
}

void cab_station_free(struct cab_station *st)
{
	if (!st)
		return;
	if (st->ctx)
		lws_context_destroy(st->ctx); /* closes every connection: media_end for each */
	return_stop(st);
	pthread_mutex_lock(&st->mu);
	mo_clear_locked(st);
	pthread_mutex_unlock(&st->mu);
	station_db_close(st->db);
	while (st->cmds) {
		struct cmd *c = st->cmds;
		st->cmds = c->next;
		free(c);
	}
	pthread_cond_destroy(&st->mo_cv);
	pthread_mutex_destroy(&st->mu);
	free(st);
}
