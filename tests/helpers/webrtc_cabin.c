/* webrtc_cabin.c — the cabin's WebRTC peer (kiosk/media/media_webrtc.h) with lavfi
 * sources, signalling as JSON lines on stdin/stdout (logs on stderr), for the browser
 * tests and the bench. What it receives is measured here:
 *   - the doctor's sound is written to OUT.raw (S16 48 kHz mono; tests/helpers/raw_tone);
 *   - the doctor's pictures are counted and the centre pixel of the last one is kept;
 *   - a picture whose top-left 32x32 is bright (luma > 200) after a dark one is a
 *     marker: its arrival time (CLOCK_REALTIME ms, comparable with the browser's
 *     performance.timeOrigin + now()) is printed as {"marker_in": t}.
 *   webrtc_cabin OUT.raw [--relay] [--turn URL USER PASS] [--camera GRAPH]
 *                [--steth GRAPH] [--mic GRAPH] [--marker]
 *                [--turn-rest URL SECRET]  (credentials made by common/turn_rest.h for
 *                                           user "test", 600 s, printed as
 *                                           {"ice_servers":[...]} for the browser)
 * stdin lines:  {"signal":{kind,sdp|candidate,sdpMLineIndex}}  {"cmd":"camera","index":N}
 *               {"cmd":"steth","on":0|1}  {"cmd":"stats"}  {"cmd":"stop"}
 * stdout lines: {"signal":{...}}  {"stats":{...}}  {"incident":CODE}  {"marker_in":MS}
 * --marker: the camera graph is black with a white square for 100 ms every 2 s, from
 *   frame 0; {"origin_rt": MS} gives the CLOCK_REALTIME ms of the sender's pts 0, so
 *   white square k was captured at origin_rt + 2000 k (glass-to-glass latency). */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/media/media_webrtc.h"
#include "log.h"
#include "turn_rest.h"

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *raw;
static uint64_t pictures;
static uint8_t centre[4];
static int last_bright;
static struct cab_webrtc *peer;

static int64_t real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void out_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	pthread_mutex_lock(&out_lock);
	fprintf(stdout, "%s\n", s);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	free(s);
	json_decref(j);
}

static void on_signal(void *user, const struct cab_webrtc_signal *s)
{
	(void)user;
	json_t *sig = json_pack("{ss}", "kind", s->kind);
	if (s->sdp)
		json_object_set_new(sig, "sdp", json_string(s->sdp));
	if (s->candidate) {
		json_object_set_new(sig, "candidate", json_string(s->candidate));
		json_object_set_new(sig, "sdpMLineIndex", json_integer(s->mline));
	}
	out_json(json_pack("{so}", "signal", sig));
}

static void on_video(void *user, const struct cab_media_video_frame *f)
{
	(void)user;
	const uint8_t *c =
	    f->data[0] + (size_t)(f->height / 2) * f->linesize[0] + (f->width / 2) * 4;
	/* marker: mean luma of the top-left 32x32 of the picture area */
	unsigned sum = 0;
	for (int y = 0; y < 32; y++)
		for (int x = 0; x < 32; x++) {
			const uint8_t *p = f->data[0] + (size_t)y * f->linesize[0] + x * 4;
			sum += (p[0] * 77u + p[1] * 150u + p[2] * 29u) >> 8;
		}
	int bright = sum / 1024 > 200;
	pthread_mutex_lock(&out_lock);
	pictures++;
	memcpy(centre, c, 4);
	int edge = bright && !last_bright;
	last_bright = bright;
	pthread_mutex_unlock(&out_lock);
	if (edge)
		out_json(json_pack("{sI}", "marker_in", (json_int_t)real_ms()));
}

static void on_audio(void *user, const struct cab_media_audio_chunk *a)
{
	(void)user;
	pthread_mutex_lock(&out_lock);
	fwrite(a->samples, 2, (size_t)a->nb_samples, raw);
	pthread_mutex_unlock(&out_lock);
}

static void on_incident(void *user, const char *code, const char *text)
{
	(void)user;
	(void)text;
	out_json(json_pack("{ss}", "incident", code));
}

static void print_stats(void)
{
	struct cab_webrtc_stats st;
	struct cab_media_sender_stats ms;
	cab_webrtc_stats(peer, &st);
	cab_media_sender_stats(cab_webrtc_sender(peer), &ms);
	pthread_mutex_lock(&out_lock);
	uint64_t pics = pictures;
	int r = centre[0], g = centre[1], b = centre[2];
	pthread_mutex_unlock(&out_lock);
	out_json(json_pack(
	    "{s{sIsIsIsIsIsisisisisfsisIsIsisisisf}}", "stats", "pictures", (json_int_t)pics,
	    "audio_chunks", (json_int_t)st.audio_in_chunks, "video_au_out",
	    (json_int_t)st.video_au_out, "mic_frames_out", (json_int_t)st.mic_frames_out,
	    "steth_packets_out", (json_int_t)st.steth_packets_out, "connected", st.connected,
	    "relay", st.relay, "rung", st.rung, "video_off", st.video_off, "loss", st.loss,
	    "rtt_ms", (int)st.rtt_ms, "longest_freeze_ms", (json_int_t)st.longest_freeze_ms,
	    "encoder_reopens", (json_int_t)ms.encoder_reopens, "r", r, "g", g, "b", b, "cpu_s",
	    ms.cpu_s));
}

static const char *opt(int argc, char **argv, const char *name, int k)
{
	for (int i = 1; i + k < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + k];
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: webrtc_cabin OUT.raw [options]\n");
		return 2;
	}
	raw = fopen(argv[1], "wb");
	if (!raw)
		return 1;
	int marker = opt(argc, argv, "--marker", 0) != NULL;
	const char *cam = opt(argc, argv, "--camera", 1);
	char marker_graph[256];
	if (marker) {
		/* black 1280x720 with a white 160x160 square top-left for 3 of every 60 frames */
		snprintf(marker_graph, sizeof marker_graph,
		         "color=c=black:s=1280x720:r=30,drawbox=x=0:y=0:w=160:h=160:c=white:t=fill:"
		         "enable=lt(mod(n\\,60)\\,3),realtime");
		cam = marker_graph;
	}
	struct cab_webrtc_cfg cfg = {0};
	struct cab_media_sender_cfg *m = &cfg.media;
	m->cameras[0] = (struct cab_media_source_cfg){.label = "room", .test_graph = cam};
	m->cameras[1] = (struct cab_media_source_cfg){
	    .label = "otoscope", .test_graph = "color=c=0xb83a2e:s=1600x1200:r=30,realtime"};
	m->cameras[2] = (struct cab_media_source_cfg){
	    .label = "dermatoscope", .test_graph = "color=c=0x2e7d5b:s=1280x960:r=30,realtime"};
	m->n_cameras = 3;
	m->microphone = (struct cab_media_source_cfg){.label = "microphone",
	                                              .test_graph = opt(argc, argv, "--mic", 1)};
	m->stethoscope = (struct cab_media_source_cfg){.label = "stethoscope",
	                                               .test_graph = opt(argc, argv, "--steth", 1),
	                                               .test_tone_hz = 180};
	m->video = m->audio = 1;
	m->steth_band_filter = 1;
	cfg.loopback_candidates = 1;
	const char *turn = opt(argc, argv, "--turn", 1);
	if (turn) {
		cfg.ice[0].urls[0] = turn;
		cfg.ice[0].n_urls = 1;
		cfg.ice[0].username = opt(argc, argv, "--turn", 2);
		cfg.ice[0].credential = opt(argc, argv, "--turn", 3);
		cfg.n_ice = 1;
	}
	static char tu[CAB_TURN_USER_MAX], tc[CAB_TURN_CRED_MAX];
	const char *rest = opt(argc, argv, "--turn-rest", 1);
	if (rest) {
		if (cab_turn_rest_credentials(opt(argc, argv, "--turn-rest", 2), "test",
		                              (int64_t)time(NULL), 600, tu, tc) != 0)
			return 2;
		cfg.ice[0].urls[0] = rest;
		cfg.ice[0].n_urls = 1;
		cfg.ice[0].username = tu;
		cfg.ice[0].credential = tc;
		cfg.n_ice = 1;
		out_json(json_pack("{s[{s[s]ssss}]}", "ice_servers", "urls", rest, "username", tu,
		                   "credential", tc));
	}
	cfg.relay_only = opt(argc, argv, "--relay", 0) != NULL;
	cfg.out_width = 640;
	cfg.out_height = 360;
	cfg.on_signal = on_signal;
	cfg.on_video = on_video;
	cfg.on_audio = on_audio;
	cfg.on_incident = on_incident;
	peer = cab_webrtc_start(&cfg);
	if (!peer)
		return 1;
	{
		struct timespec mo, rt;
		clock_gettime(CLOCK_MONOTONIC, &mo);
		clock_gettime(CLOCK_REALTIME, &rt);
		int64_t now_mono_us = (int64_t)mo.tv_sec * 1000000 + mo.tv_nsec / 1000;
		int64_t origin = cab_media_sender_origin_us(cab_webrtc_sender(peer));
		out_json(json_pack("{sI}", "origin_rt",
		                   (json_int_t)(real_ms() - (now_mono_us - origin) / 1000)));
	}
	char line[256 * 1024];
	while (fgets(line, sizeof line, stdin)) {
		json_error_t e;
		json_t *j = json_loads(line, 0, &e);
		if (!j)
			continue;
		json_t *sig = json_object_get(j, "signal");
		const char *cmd = json_string_value(json_object_get(j, "cmd"));
		if (sig) {
			struct cab_webrtc_signal s = {
			    json_string_value(json_object_get(sig, "kind")),
			    json_string_value(json_object_get(sig, "sdp")),
			    json_string_value(json_object_get(sig, "candidate")),
			    (int)json_integer_value(json_object_get(sig, "sdpMLineIndex"))};
			cab_webrtc_signal_in(peer, &s);
		} else if (cmd && strcmp(cmd, "camera") == 0) {
			cab_media_sender_select_camera(
			    cab_webrtc_sender(peer),
			    (int)json_integer_value(json_object_get(j, "index")));
		} else if (cmd && strcmp(cmd, "steth") == 0) {
			cab_media_sender_stethoscope(
			    cab_webrtc_sender(peer),
			    (int)json_integer_value(json_object_get(j, "on")));
		} else if (cmd && strcmp(cmd, "stats") == 0) {
			print_stats();
		} else if (cmd && strcmp(cmd, "stop") == 0) {
			json_decref(j);
			break;
		}
		json_decref(j);
	}
	print_stats();
	cab_webrtc_stop(peer);
	fclose(raw);
	return 0;
}
