/* media_cabin.c — a test cabin with media: kiosk/link (in-memory outbox) plus
 * kiosk/media, against the real cabin-doctor. It opens a session, streams its lavfi
 * test sources (room camera 1280x720@30 H.264, microphone Opus; the otoscope and the
 * stethoscope tone on request), decodes the station's return stream, answers the
 * doctor's media requests (camera, still, stream_start/stop stethoscope, keyframe),
 * uploads stills as "still" data messages, then closes the session.
 * Prints "SESSION <id>", "REQUEST ...", "STILL-SENT sha256=<hex> bytes=N size=WxH",
 * and at the end key=value lines (rx_* for the station's stream, tx_* for its own)
 * and "DONE <rc>".
 * Usage: media_cabin --url U --cert F --key F --ca F --cabin-id ID --seconds S
 *        [--steth-hz HZ] [--wait-ms MS] [--abort]
 * --abort: after S seconds, exit at once (no session_close, connection dropped), as a
 * cabin that loses power would. */
#include "common/clock.h"
#include "kiosk/link/link.h"
#include "kiosk/link/outbox_mem.h"
#include "kiosk/link/still_msg.h"
#include "kiosk/media/media_receiver.h"
#include "kiosk/media/media_sender.h"
#include "test_cabin.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct cab_link *link_;
static struct cab_outbox_mem *ob;
static struct cab_media_receiver *rx;
static struct cab_media_sender *_Atomic tx;
static char session[37];
static atomic_int connected, camera_now;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char still_site[256], still_request[40];
static int still_pending;

/* receive-side observations (link thread) */
static uint64_t nframes, naudio;
static int64_t first_pts = -1, last_pts = -1, min_dt = INT64_MAX, max_dt;
static int monotonic = 1, rx_w, rx_h;

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&mu);
	vprintf(fmt, ap);
	fflush(stdout);
	pthread_mutex_unlock(&mu);
	va_end(ap);
}

static void put(json_t *m)
{
	cab_test_put(ob, session, m);
	if (link_)
		cab_link_wake(link_);
}

static void put_session_start(void)
{
	cab_test_put_open(ob, session);
	cab_test_put_consent(ob, session);
	cab_test_put_identity(ob, session, NULL); /* the same synthetic patient as link_cabin's */
	if (link_)
		cab_link_wake(link_);
}

static void put_close(void)
{
	cab_test_put_close(ob, session);
	if (link_)
		cab_link_wake(link_);
}

static const char *camera_kind(int i)
{
	return i == 1 ? "otoscope" : i == 2 ? "dermatoscope" : "room-camera";
}

/* --- link callbacks (link thread) ------------------------------------------------ */

static void on_status(const struct cab_link_status *s, void *u)
{
	(void)u;
	out("STATUS %d %s\n", (int)s->state, s->message ? s->message : "");
	atomic_store(&connected, s->state == CAB_LINK_CONNECTED);
}

static void on_request(const struct cab_link_request *rq, void *u)
{
	(void)u;
	struct cab_media_sender *s = atomic_load(&tx);
	out("REQUEST %s %s|%s\n", cab_req_action_name(rq->action), rq->kind, rq->body_site);
	if (!s)
		return;
	switch (rq->action) {
	case CAB_REQ_CAMERA: {
		int i = !strcmp(rq->kind, "otoscope")       ? 1
		        : !strcmp(rq->kind, "dermatoscope") ? 2
		                                            : 0;
		if (cab_media_sender_select_camera(s, i) == 0)
			atomic_store(&camera_now, i);
		break;
	}
	case CAB_REQ_STILL:
		pthread_mutex_lock(&mu);
		snprintf(still_site, sizeof still_site, "%s", rq->body_site);
		snprintf(still_request, sizeof still_request, "%s", rq->id);
		still_pending = 1;
		pthread_mutex_unlock(&mu);
		cab_media_sender_request_still(s, atomic_load(&camera_now));
		break;
	case CAB_REQ_STREAM_START:
	case CAB_REQ_STREAM_STOP:
		if (!strcmp(rq->kind, "stethoscope"))
			cab_media_sender_stethoscope(s, rq->action == CAB_REQ_STREAM_START);
		break;
	case CAB_REQ_KEYFRAME:
		cab_media_sender_request_keyframe(s);
		break;
	default:
		break;
	}
}

static void on_binary(const void *data, size_t len, void *u)
{
	(void)u;
	cab_media_receiver_push(rx, data, len);
}

static void on_video(void *u, const struct cab_media_video_frame *f)
{
	(void)u;
	if (nframes) {
		int64_t d = f->pts_us - last_pts;
		if (d <= 0)
			monotonic = 0;
		if (d < min_dt)
			min_dt = d;
		if (d > max_dt)
			max_dt = d;
	} else {
		first_pts = f->pts_us;
	}
	last_pts = f->pts_us;
	rx_w = f->src_width;
	rx_h = f->src_height;
	nframes++;
}

static void on_audio(void *u, const struct cab_media_audio_chunk *a)
{
	(void)u;
	if (a->stream == CAB_MEDIA_STREAM_AUDIO)
		naudio++;
}

/* --- media callbacks (sender threads) -------------------------------------------- */

static int send_media(void *u, const uint8_t *msg, size_t len, int key)
{
	(void)u;
	(void)key;
	return atomic_load(&connected) ? cab_link_send_media(link_, msg, len) : -1;
}

static void on_still(void *u, struct cab_media_still *st)
{
	(void)u;
	char t[40], sha[65], site[256], req[40];
	for (int i = 0; i < 32; i++)
		sprintf(sha + 2 * i, "%02x", st->sha256[i]);
	pthread_mutex_lock(&mu);
	snprintf(site, sizeof site, "%s", still_site);
	snprintf(req, sizeof req, "%s", still_request);
	still_pending = 0;
	pthread_mutex_unlock(&mu);
	struct cab_still_meta meta = {NULL,
	                              camera_kind(st->camera),
	                              st->width,
	                              st->height,
	                              cab_time_rfc3339(cab_wall_ms(), t, sizeof t),
	                              req[0] ? req : NULL,
	                              site[0] ? site : NULL};
	json_t *msgs = cab_still_msgs(session, &meta, st->jpeg, st->len);
	size_t i, parts = json_array_size(msgs);
	json_t *m;
	json_array_foreach(msgs, i, m) put(json_incref(m));
	json_decref(msgs);
	out("STILL-SENT sha256=%s bytes=%zu size=%dx%d parts=%zu camera=%s\n", sha, st->len,
	    st->width, st->height, parts, camera_kind(st->camera));
	cab_media_still_free(st);
}

static void on_event(void *u, const struct cab_media_event *ev)
{
	(void)u;
	if (ev->type == CAB_MEDIA_EV_SOURCE)
		out("SOURCE %s test=%d\n", ev->label ? ev->label : "?", ev->is_test);
	else if (ev->type == CAB_MEDIA_EV_STILL_FAILED || ev->type == CAB_MEDIA_EV_ERROR)
		out("MEDIA-ERROR %d %s\n", (int)ev->type, ev->text ? ev->text : "");
}

int main(int argc, char **argv)
{
	struct cab_link_config cfg = {.backoff_min_ms = 100,
	                              .backoff_max_ms = 1000,
	                              .ping_interval_ms = 1000,
	                              .media_queue_max = 256};
	double seconds = 8, steth_hz = 180;
	int wait_ms = 40000, rc = 1, abort_at_end = 0;
	cab_test_cabin_config(&cfg);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
		if (cab_test_cabin_option(&cfg, a, v))
			i++;
		else if (!strcmp(a, "--seconds"))
			seconds = atof(v), i++;
		else if (!strcmp(a, "--steth-hz"))
			steth_hz = atof(v), i++;
		else if (!strcmp(a, "--wait-ms"))
			wait_ms = atoi(v), i++;
		else if (!strcmp(a, "--abort"))
			abort_at_end = 1;
		else {
			fprintf(stderr, "media_cabin: unknown option %s\n", a);
			return 2;
		}
	}
	int64_t deadline = cab_mono_ms() + wait_ms;
	ob = cab_outbox_mem_new(100000, 500);
	cab_uuid4(session);
	struct cab_media_receiver_cfg rcfg = {.pixfmt = CAB_MEDIA_PIX_YUV420P,
	                                      .samplefmt = CAB_MEDIA_SAMPLE_S16,
	                                      .on_video = on_video,
	                                      .on_audio = on_audio};
	rx = cab_media_receiver_new(&rcfg);
	struct cab_outbox_port port = cab_outbox_mem_port(ob);
	struct cab_link_callbacks cb = {
	    .on_status = on_status, .on_request = on_request, .on_binary = on_binary};
	char err[256];
	link_ = cab_link_new(&cfg, &port, &cb, err, sizeof err);
	if (!link_ || !rx) {
		printf("CONFIG %s\n", err);
		return 4;
	}
	out("SESSION %s\n", session);
	cab_link_start(link_);
	while (!atomic_load(&connected) && cab_mono_ms() < deadline)
		usleep(10000);
	if (!atomic_load(&connected)) {
		out("FAIL not connected\n");
		goto out;
	}
	put_session_start();

	struct cab_media_sender_cfg mc = {0};
	mc.cameras[0] = (struct cab_media_source_cfg){.label = "room"};
	/* testsrc2 at 1600x1200 gives a ~110 kB JPEG: a still of two "still" parts */
	mc.cameras[1] = (struct cab_media_source_cfg){
	    .label = "otoscope",
	    .test_graph = "testsrc2=size=1600x1200:rate=30,format=yuv420p,realtime"};
	mc.cameras[2] = (struct cab_media_source_cfg){.label = "dermatoscope"};
	mc.n_cameras = 3;
	mc.microphone = (struct cab_media_source_cfg){.label = "microphone"};
	mc.stethoscope =
	    (struct cab_media_source_cfg){.label = "stethoscope", .test_tone_hz = steth_hz};
	mc.steth_band_filter = 1;
	mc.video = 1;
	mc.audio = 1;
	mc.send = send_media;
	mc.on_event = on_event;
	mc.on_still = on_still;
	struct cab_media_sender *s = cab_media_sender_start(&mc);
	if (!s) {
		out("FAIL media sender\n");
		goto out;
	}
	atomic_store(&tx, s);
	int64_t end = cab_mono_ms() + (int64_t)(seconds * 1000);
	while (cab_mono_ms() < end)
		usleep(20000);
	if (abort_at_end) {
		out("ABORT\n");
		_exit(0);
	}
	/* a still being taken finishes before the close */
	for (int i = 0; i < 300; i++) {
		pthread_mutex_lock(&mu);
		int p = still_pending;
		pthread_mutex_unlock(&mu);
		if (!p)
			break;
		usleep(10000);
	}
	struct cab_media_sender_stats ss;
	atomic_store(&tx, NULL);
	cab_media_sender_finish(s, &ss);
	put_close();
	while (!cab_test_all_acked(ob) && cab_mono_ms() < deadline)
		usleep(10000);
	usleep(300000); /* the station's last return packets */
	size_t p, a;
	cab_outbox_mem_counts(ob, &p, &a, NULL);
	uint64_t link_dropped = cab_link_media_dropped(link_);
	cab_link_free(link_); /* no more callbacks: the counters below are final */
	link_ = NULL;
	struct cab_media_receiver_stats rs;
	cab_media_receiver_stats(rx, &rs);
	out("acked=%zu/%zu\n", a, p);
	out("tx_video_packets=%llu\ntx_audio_packets=%llu\ntx_steth_packets=%llu\n"
	    "tx_media_dropped=%llu\ntx_queue_dropped=%llu\n",
	    (unsigned long long)ss.video_packets, (unsigned long long)ss.audio_packets,
	    (unsigned long long)ss.steth_packets, (unsigned long long)link_dropped,
	    (unsigned long long)ss.queue.dropped);
	out("rx_video_frames=%llu\nrx_audio_chunks=%llu\nrx_first_pts_us=%lld\n"
	    "rx_last_pts_us=%lld\nrx_pts_monotonic=%d\nrx_min_dt_us=%lld\nrx_max_dt_us=%lld\n"
	    "rx_size=%dx%d\nrx_decode_errors=%llu\nrx_gaps=%llu\nrx_bad_messages=%llu\n",
	    (unsigned long long)nframes, (unsigned long long)naudio, (long long)first_pts,
	    (long long)last_pts, monotonic, (long long)(nframes > 1 ? min_dt : 0),
	    (long long)max_dt, rx_w, rx_h, (unsigned long long)rs.decode_errors,
	    (unsigned long long)rs.gaps, (unsigned long long)rs.bad_messages);
	rc = a == p ? 0 : 1;
out:
	out("DONE %d\n", rc);
	cab_link_free(link_);
	cab_media_receiver_free(rx);
	cab_outbox_mem_free(ob);
	return rc;
}
