/* station_return.c — a session's media at the station: the cabin's binary frames
 * decoded and recorded (station_media), and the doctor's camera and microphone sent
 * back to the active session's cabin, adapted to what its TCP acknowledged. */
#include "doctor/station_internal.h"

#include "common/log.h"

#include "common/clock.h"
#include "kiosk/link/link_rate.h"
#include "kiosk/media/media_sender.h"

#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define MOUT_MAX                                                                                   \
	8 /* return-media messages waiting for the socket; more waits (the                         \
	     sender's own queue then drops oldest, keyframe-aware) */

/* The return sender's sink (its send thread): waits while MOUT_MAX messages are
 * queued, so that the sender's drop-oldest queue does the dropping. */
static int return_sink(void *user, const uint8_t *msg, size_t len, int key)
{
	struct cab_station *st = user;
	(void)key;
	struct stn_out *o = malloc(sizeof *o + LWS_PRE + len);
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
		struct stn_out *o = st->mo_head;
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
		cab_info(STN_LOG, "return %s: %s", ev->label ? ev->label : "?",
		         ev->is_test ? "test source" : "device");
	else if (ev->type == CAB_MEDIA_EV_ERROR)
		cab_warn(STN_LOG, "return media: %s", ev->text ? ev->text : "error");
}

/* Stops the return media (service thread). */
void stn_return_stop(struct cab_station *st)
{
	if (!st->tx) {
		pthread_mutex_lock(&st->mu);
		mo_clear_locked(st);
		pthread_mutex_unlock(&st->mu);
		return;
	}
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
	cab_info(STN_LOG, "%s", t);
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
	stn_return_stop(st);
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
		cab_err(STN_LOG, "cannot start the return media");
}

static void need_key(void *user, const char *cabin);

/* Starts SESSION's incoming media on C (and the return media to its cabin). */
void stn_media_begin(struct cab_station *st, struct stn_conn *c, const char *session)
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
		stn_emit(st, &ev);
		json_decref(stats);
	}
	c->media = station_media_new(st->dir, session, c->cabin, &st->media.viewer, need_key, st);
	if (c->media)
		stn_emit_text(st, CAB_SEV_MEDIA_START, c->cabin, session,
		              station_media_recording(c->media));
	return_start(st, c->cabin, session);
}

/* Ends C's media (session closed or cabin gone): counts reported, files closed. */
void stn_media_end(struct cab_station *st, struct stn_conn *c, const char *why)
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
		stn_emit(st, &ev);
		json_decref(stats);
	}
	if (st->tx && !strcmp(st->tx_cabin, c->cabin))
		stn_return_stop(st);
}

/* The station's receiver lost H.264 packets of CABIN: ask it for a keyframe (at most
 * one request a second). */
static void need_key(void *user, const char *cabin)
{
	struct cab_station *st = user;
	static int64_t last_ms;
	struct stn_conn *c = stn_conn_for_cabin(st, cabin);
	if (!c || !c->media || cab_mono_ms() - last_ms < 1000)
		return;
	last_ms = cab_mono_ms();
	json_t *m = cab_msg_new(CAB_MSG_REQUEST, NULL);
	json_object_set_new(m, "session", json_string(station_media_session(c->media)));
	json_object_set_new(m, "action", json_string("keyframe"));
	stn_send_json(c, m);
}

/* Media from a cabin without active media (it reconnected mid-session): its latest
 * session still open gets its media back (a new recording file, <session>-2.mkv). */
static void resume_media(struct cab_station *st, struct stn_conn *c)
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
		stn_media_begin(st, c, open);
	json_decref(arr);
}

void stn_media_frame(struct cab_station *st, struct stn_conn *c, const uint8_t *buf, size_t len)
{
	if (!c->media && st->has_media && c->hello_ok)
		resume_media(st, c);
	int r = c->media ? station_media_push(c->media, buf, len) : 0;
	if (!c->media || r < 0) {
		/* counted only, or refused by the packet parser: say so */
		struct cab_station_event ev = {.kind = CAB_SEV_MEDIA,
		                               .cabin = c->cabin,
		                               .len = len,
		                               .rx_us = stn_now_us(),
		                               .text = r < 0 ? cab_media_packet_strerror(r) : NULL};
		stn_emit(st, &ev);
	}
}

int stn_return_write(struct cab_station *st, struct stn_conn *c)
{
	struct lws *wsi = c->wsi;
	pthread_mutex_lock(&st->mu);
	struct stn_out *mo = NULL;
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

void stn_return_wake(struct cab_station *st)
{
	pthread_mutex_lock(&st->mu);
	int pending = st->mo_head != NULL;
	char cab[128];
	snprintf(cab, sizeof cab, "%s", st->tx_cabin);
	pthread_mutex_unlock(&st->mu);
	struct stn_conn *tc = pending ? stn_conn_for_cabin(st, cab) : NULL;
	if (tc)
		lws_callback_on_writable(tc->wsi);
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
		struct stn_conn *c = stn_conn_for_cabin(st, cab);
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
		cab_debug(STN_LOG,
		          "return media: %llu B written, %d unacked, %llu acked, queue %llu B",
		          (unsigned long long)written, outq, (unsigned long long)st->mo_acked,
		          (unsigned long long)ss.queue.bytes);
	}
	lws_sul_schedule(st->ctx, 0, &st->sul_adapt, return_adapt_tick, 250 * 1000);
}

void stn_return_schedule(struct cab_station *st)
{
	lws_sul_schedule(st->ctx, 0, &st->sul_adapt, return_adapt_tick, 250 * 1000);
}
