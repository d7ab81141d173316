/* media_peer.c — one end of a media session over loopback TCP (tests/lib/media_wire):
 * it sends its own test-source streams and decodes the other end's, answers pings
 * and acknowledges bytes so the other end can adapt, optionally records what it
 * receives to Matroska. Prints "event ..." lines and a final key=value summary.
 * Usage: media_peer (--listen PORT --port-file F | --connect PORT) --seconds S
 *        [--role NAME] [--rung R] [--adapt] [--still-at SEC] [--steth-hz HZ]
 *        [--record FILE] [--no-audio] [--sndbuf BYTES] [--linger SEC] */
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/media/media_receiver.h"
#include "kiosk/media/media_recorder.h"
#include "kiosk/media/media_sender.h"
#include "media_tone.h"
#include "media_wire.h"

static struct cab_wire wire;
static struct cab_media_receiver *rx;
static struct cab_media_recorder *rec;
static _Atomic uint64_t acked_bytes, rx_bytes;
static _Atomic int32_t rtt_ms = -1;
static int64_t t0_us;
static const char *role = "peer";
static struct cab_media_sender *_Atomic sender;
static _Atomic uint64_t key_requests_rx;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* receive-side observations (reader thread only, read after join) */
static uint64_t nframes;
static int64_t first_pts = -1, last_pts = -1, min_dt = INT64_MAX, max_dt = 0;
static int monotonic = 1, min_w = 1 << 30, max_w;
static int64_t last_key_pts = -1, max_key_gap; /* longest time between two IDRs */
static float *steth;
static size_t nsteth, capsteth;
static char still_sha_rx[65], still_sha_tx[65];
static int still_w, still_h;

static void hex(const uint8_t *b, char *out)
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&out_lock);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	printf("event t_ms=%lld wall_ms=%lld role=%s ",
	       (long long)((cab_wire_now_us() - t0_us) / 1000),
	       (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, role);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	va_end(ap);
}

static int sink(void *user, const uint8_t *msg, size_t len, int key)
{
	(void)user;
	(void)key;
	return cab_wire_send(&wire, 'M', msg, len);
}

static void on_video(void *user, const struct cab_media_video_frame *f)
{
	(void)user;
	if (last_pts >= 0) {
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
	if (f->is_key) {
		if (last_key_pts >= 0 && f->pts_us - last_key_pts > max_key_gap)
			max_key_gap = f->pts_us - last_key_pts;
		last_key_pts = f->pts_us;
	}
	if (f->src_width < min_w)
		min_w = f->src_width;
	if (f->src_width > max_w)
		max_w = f->src_width;
	nframes++;
}

static void on_audio(void *user, const struct cab_media_audio_chunk *a)
{
	(void)user;
	if (a->stream != CAB_MEDIA_STREAM_STETHOSCOPE)
		return;
	if (nsteth + (size_t)a->nb_samples > capsteth) {
		capsteth = (nsteth + (size_t)a->nb_samples) * 2;
		float *n = realloc(steth, capsteth * sizeof *steth);
		if (!n)
			return;
		steth = n;
	}
	memcpy(steth + nsteth, a->samples, (size_t)a->nb_samples * sizeof(float));
	nsteth += (size_t)a->nb_samples;
}

static void on_rx_still(void *user, const struct cab_media_packet *p)
{
	(void)user;
	hex(p->still_sha256, still_sha_rx);
	still_w = p->still_width;
	still_h = p->still_height;
	say("type=still_received bytes=%u", p->payload_len);
}

static void on_tx_still(void *user, struct cab_media_still *st)
{
	(void)user;
	hex(st->sha256, still_sha_tx);
	say("type=still_taken bytes=%zu width=%d height=%d", st->len, st->width, st->height);
	cab_media_still_free(st);
}

static void on_event(void *user, const struct cab_media_event *ev)
{
	(void)user;
	if (ev->type == CAB_MEDIA_EV_LADDER) {
		const struct cab_media_rung *r = &cab_media_ladder[ev->rung];
		say("type=ladder rung=%d width=%d height=%d fps=%d kbps=%u", ev->rung, r->width,
		    r->height, r->fps, r->kbps);
	} else if (ev->type == CAB_MEDIA_EV_VIDEO_OFF || ev->type == CAB_MEDIA_EV_VIDEO_ON) {
		say("type=%s", ev->type == CAB_MEDIA_EV_VIDEO_OFF ? "video_off" : "video_on");
	} else if (ev->type == CAB_MEDIA_EV_SOURCE) {
		say("type=source label=%s stream=%d test=%d", ev->label ? ev->label : "?",
		    ev->stream, ev->is_test);
	} else {
		say("type=other code=%d", (int)ev->type);
	}
}

/* The receiver lost an H.264 message: ask the other end for a keyframe ('K'). */
static void on_need_key(void *user, int stream)
{
	(void)user;
	uint8_t b = (uint8_t)stream;
	cab_wire_try_send(&wire, 'K', &b, 1);
}

static void *reader_main(void *arg)
{
	(void)arg;
	uint8_t *buf = malloc(CAB_WIRE_MAX);
	uint8_t kind;
	size_t len;
	int64_t last_ack = 0;
	while (buf && cab_wire_recv(&wire, &kind, buf, CAB_WIRE_MAX, &len) == 1) {
		if (kind == 'M') {
			cab_media_receiver_push(rx, buf, len);
			if (rec)
				cab_media_recorder_write(rec, buf, len);
			uint64_t total = atomic_fetch_add(&rx_bytes, len) + len;
			int64_t now = cab_wire_now_us();
			if (now - last_ack >= 50000) {
				uint8_t b[8];
				for (int i = 0; i < 8; i++)
					b[i] = (uint8_t)(total >> (56 - 8 * i));
				if (cab_wire_try_send(&wire, 'A', b, 8) == 1)
					last_ack = now; /* acks are cumulative: a skipped one costs
					                   nothing */
			}
		} else if ((kind == 'A' || kind == 'Q') && len == 8) {
			uint64_t v = 0;
			for (int i = 0; i < 8; i++)
				v = (v << 8) | buf[i];
			if (kind == 'A')
				atomic_store(&acked_bytes, v);
			else
				atomic_store(&rtt_ms,
				             (int32_t)((cab_wire_now_us() - (int64_t)v) / 1000));
		} else if (kind == 'K') {
			struct cab_media_sender *sp = atomic_load(&sender);
			atomic_fetch_add(&key_requests_rx, 1);
			if (sp)
				cab_media_sender_request_keyframe(sp);
		} else if (kind == 'P' && len == 8) {
			cab_wire_try_send(&wire, 'Q', buf,
			                  8); /* a lost pong is a lost RTT sample */
		}
	}
	free(buf);
	return NULL;
}

static _Atomic int pinging = 1;

/* Pings every 200 ms from its own thread: a ping may wait behind a large media
 * message on a slow link (that is what the RTT should show), the adaptation loop
 * must not. */
static void *pinger_main(void *arg)
{
	(void)arg;
	while (atomic_load(&pinging)) {
		uint64_t now = (uint64_t)cab_wire_now_us();
		uint8_t b[8];
		for (int i = 0; i < 8; i++)
			b[i] = (uint8_t)(now >> (56 - 8 * i));
		if (cab_wire_send(&wire, 'P', b, 8) < 0)
			break;
		usleep(200000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int listen_port = -1, connect_port = -1, rung = 0, adapt = 0, audio = 1, sndbuf = 0;
	double seconds = 6, still_at = -1, steth_hz = 0, linger = 1.0;
	const char *port_file = NULL, *record = NULL;
	static const struct option opts[] = {{"listen", 1, 0, 'l'},   {"connect", 1, 0, 'c'},
	                                     {"seconds", 1, 0, 's'},  {"role", 1, 0, 'r'},
	                                     {"rung", 1, 0, 'g'},     {"adapt", 0, 0, 'a'},
	                                     {"still-at", 1, 0, 't'}, {"steth-hz", 1, 0, 'h'},
	                                     {"record", 1, 0, 'o'},   {"no-audio", 0, 0, 'n'},
	                                     {"sndbuf", 1, 0, 'b'},   {"port-file", 1, 0, 'p'},
	                                     {"linger", 1, 0, 'L'},   {0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen_port = atoi(optarg);
			break;
		case 'c':
			connect_port = atoi(optarg);
			break;
		case 's':
			seconds = atof(optarg);
			break;
		case 'r':
			role = optarg;
			break;
		case 'g':
			rung = atoi(optarg);
			break;
		case 'a':
			adapt = 1;
			break;
		case 't':
			still_at = atof(optarg);
			break;
		case 'h':
			steth_hz = atof(optarg);
			break;
		case 'o':
			record = optarg;
			break;
		case 'n':
			audio = 0;
			break;
		case 'b':
			sndbuf = atoi(optarg);
			break;
		case 'p':
			port_file = optarg;
			break;
		case 'L':
			linger = atof(optarg);
			break;
		default:
			fprintf(stderr, "media_peer: bad option\n");
			return 2;
		}
	}
	int fd = -1;
	if (listen_port >= 0) {
		int bound = 0, lfd = cab_wire_listen(listen_port, &bound);
		if (lfd < 0)
			return 1;
		if (port_file) {
			FILE *f = fopen(port_file, "w");
			if (!f)
				return 1;
			fprintf(f, "%d\n", bound);
			fclose(f);
		}
		fd = cab_wire_accept(lfd, 15000);
		close(lfd);
	} else if (connect_port > 0) {
		fd = cab_wire_connect(connect_port, 10000);
	}
	if (fd < 0) {
		fprintf(stderr, "media_peer: no connection\n");
		return 1;
	}
	if (sndbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	cab_wire_init(&wire, fd);
	t0_us = cab_wire_now_us();

	struct cab_media_receiver_cfg rcfg = {CAB_MEDIA_PIX_YUV420P,
	                                      0,
	                                      0,
	                                      CAB_MEDIA_SAMPLE_F32,
	                                      48000,
	                                      1,
	                                      on_video,
	                                      on_audio,
	                                      on_rx_still,
	                                      on_need_key,
	                                      NULL};
	rx = cab_media_receiver_new(&rcfg);
	if (record)
		rec = cab_media_recorder_open(record, cab_media_default_tracks, 3);
	if (!rx || (record && !rec))
		return 1;
	struct cab_media_sender_cfg cfg = {0};
	cfg.cameras[0] = (struct cab_media_source_cfg){.label = "room"};
	cfg.cameras[1] = (struct cab_media_source_cfg){.label = "otoscope"};
	cfg.n_cameras = 2;
	cfg.microphone = (struct cab_media_source_cfg){.label = "microphone"};
	cfg.stethoscope =
	    (struct cab_media_source_cfg){.label = "stethoscope", .test_tone_hz = steth_hz};
	cfg.steth_band_filter = 1;
	cfg.video = 1;
	cfg.audio = audio;
	cfg.start_rung = rung;
	cfg.adapt = adapt;
	cfg.send_stills = 1;
	cfg.queue_max_msgs = 120;
	cfg.send = sink;
	cfg.on_event = on_event;
	cfg.on_still = on_tx_still;
	pthread_t reader;
	if (pthread_create(&reader, NULL, reader_main, NULL) != 0)
		return 1;
	struct cab_media_sender *s = cab_media_sender_start(&cfg);
	if (!s)
		return 1;
	atomic_store(&sender, s);
	if (steth_hz > 0)
		cab_media_sender_stethoscope(s, 1);
	int still_done = 0;
	pthread_t pinger;
	if (pthread_create(&pinger, NULL, pinger_main, NULL) != 0)
		return 1;
	while (cab_wire_now_us() - t0_us < (int64_t)(seconds * 1e6)) {
		usleep(100000);
		int64_t now = cab_wire_now_us();
		struct cab_media_link_report lr = {now / 1000, atomic_load(&acked_bytes), 0, 0,
		                                   atomic_load(&rtt_ms), 0};
		struct cab_media_adapt_out ao = cab_media_sender_link_report(s, &lr);
		if (getenv("MEDIA_PEER_TRACE"))
			fprintf(stderr, "trace t=%lld acked=%llu rtt=%d rung=%d off=%d\n",
			        (long long)((now - t0_us) / 1000),
			        (unsigned long long)lr.bytes_acked, lr.rtt_ms, ao.rung,
			        ao.video_off);
		if (!still_done && still_at >= 0 && now - t0_us >= (int64_t)(still_at * 1e6)) {
			cab_media_sender_request_still(s, 1);
			still_done = 1;
		}
	}
	struct cab_media_sender_stats ss;
	atomic_store(&sender, NULL);
	cab_media_sender_finish(s, &ss);
	atomic_store(&pinging, 0);
	pthread_join(pinger, NULL);
	usleep((useconds_t)(linger * 1e6)); /* let the other end finish sending */
	shutdown(fd, SHUT_WR);
	pthread_join(reader, NULL);
	close(fd);

	struct cab_media_receiver_stats rs;
	cab_media_receiver_stats(rx, &rs);
	printf("role=%s\n", role);
	printf("tx_video_packets=%llu\ntx_keyframes=%llu\ntx_queue_dropped=%llu\ntx_send_errors=%"
	       "llu\n",
	       (unsigned long long)ss.video_packets, (unsigned long long)ss.video_keyframes,
	       (unsigned long long)ss.queue.dropped, (unsigned long long)ss.send_errors);
	printf("tx_keyframe_requests=%llu\n", (unsigned long long)atomic_load(&key_requests_rx));
	printf("tx_video_captured=%llu\n", (unsigned long long)ss.video_frames_captured);
	printf("tx_final_rung=%d\ntx_video_test_source=%d\n", ss.rung, ss.video_is_test);
	printf("rx_video_frames=%llu\nrx_first_pts_us=%lld\nrx_last_pts_us=%lld\n",
	       (unsigned long long)nframes, (long long)first_pts, (long long)last_pts);
	printf("rx_pts_monotonic=%d\nrx_min_dt_us=%lld\nrx_max_dt_us=%lld\n", monotonic,
	       (long long)(nframes > 1 ? min_dt : 0), (long long)max_dt);
	printf("rx_max_keyframe_gap_us=%lld\n", (long long)max_key_gap);
	printf("rx_min_width=%d\nrx_max_width=%d\n", nframes ? min_w : 0, max_w);
	printf("rx_decode_errors=%llu\nrx_gaps=%llu\nrx_bad_messages=%llu\nrx_skipped=%llu\n",
	       (unsigned long long)rs.decode_errors, (unsigned long long)rs.gaps,
	       (unsigned long long)rs.bad_messages, (unsigned long long)rs.skipped);
	printf("rx_last_audio_pts_us=%lld\n", (long long)rs.last_audio_pts_us);
	printf("rx_audio_chunks=%llu\nrx_stills=%llu\n", (unsigned long long)rs.audio_chunks,
	       (unsigned long long)rs.stills);
	printf("rx_still_sha=%s\nrx_still_size=%dx%d\ntx_still_sha=%s\n", still_sha_rx, still_w,
	       still_h, still_sha_tx);
	if (nsteth > 9600)
		printf("rx_steth_hz=%.3f\nrx_steth_seconds=%.2f\n",
		       cab_test_tone_hz(steth + 4800, nsteth - 4800, 48000, 0.01f),
		       nsteth / 48000.0);
	if (rec) {
		struct cab_media_recorder_stats rcs;
		cab_media_recorder_stats(rec, &rcs);
		printf("rec_written=%llu\nrec_close=%d\n", (unsigned long long)rcs.written,
		       cab_media_recorder_close(rec));
	}
	cab_media_receiver_free(rx);
	free(steth);
	return 0;
}
