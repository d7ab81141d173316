/* media_sender.c — capture/encode threads feeding the drop-oldest queue, and the
 * send thread that drains it into the link sink (media_sender.h, docs/media.md).
 * Requests from other threads are plain fields under one mutex, read by the video
 * thread between frames, so device access stays on one thread. */
#include "media_sender.h"

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "log.h"
#include "media_aenc.h"
#include "media_packet.h"
#include "media_venc.h"

/* One audio pipeline (microphone or stethoscope). */
struct apipe {
	struct cab_media_sender *s;
	const struct cab_media_source_cfg *src_cfg;
	struct cab_media_aenc_cfg enc_cfg;
	uint8_t stream;
	pthread_t th;
	int running;
	volatile int stop;
	uint32_t seq;
	int is_test;
	struct cab_media_aenc enc;
	uint64_t packets;
};

struct cab_media_sender {
	struct cab_media_sender_cfg cfg;
	struct cab_media_queue q;
	int64_t origin_us;
	volatile int stop;
	pthread_mutex_t lock;          /* guards the request fields, stats, adapt */
	pthread_mutex_t ctl_lock;      /* serialises stethoscope start/stop */
	pthread_t video_th, send_th;
	int video_started, send_started;
	/* requests */
	int req_camera, req_still, req_key, req_rung, req_video_off, muted;
	/* video thread state */
	uint32_t vseq;
	int camera, rung_now, video_off_now, video_is_test;
	struct cab_media_venc venc;
	/* audio */
	struct apipe mic, steth;
	/* adaptation */
	struct cab_media_adapt adapt;
	/* stats */
	uint64_t captured, stills, bytes_sent, send_errors;
	double cpu_s;
};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void add_thread_cpu(struct cab_media_sender *s)
{
	struct rusage ru;
	if (getrusage(RUSAGE_THREAD, &ru) != 0)
		return;
	double t = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	pthread_mutex_lock(&s->lock);
	s->cpu_s += t;
	pthread_mutex_unlock(&s->lock);
}

static void event(struct cab_media_sender *s, const struct cab_media_event *ev)
{
	if (s->cfg.on_event)
		s->cfg.on_event(s->cfg.event_user, ev);
}

/* Builds the message for one encoded packet and queues it. */
static int queue_packet(struct cab_media_sender *s, struct cab_media_packet *p, int dependent,
                        int precious)
{
	size_t len = cab_media_packet_size(p);
	uint8_t *msg = malloc(len);
	if (!msg)
		return -1;
	long n = cab_media_packet_write(p, msg, len);
	if (n < 0) {
		cab_err("media", "packet write: %s", cab_media_packet_strerror((int)n));
		free(msg);
		return -1;
	}
	struct cab_media_qitem it = {msg, (size_t)n, p->stream, (uint8_t)(p->flags & CAB_MEDIA_FLAG_KEY),
	                             (uint8_t)dependent, (uint8_t)precious};
	cab_media_queue_push(&s->q, &it);
	return 0;
}

/* ---- video ------------------------------------------------------------------ */

static int video_emit(void *user, const AVPacket *pkt, int64_t pts_us, int is_key)
{
	struct cab_media_sender *s = user;
	struct cab_media_packet p = {0};
	p.type = CAB_MEDIA_PKT_MEDIA;
	p.stream = CAB_MEDIA_STREAM_VIDEO;
	p.codec = CAB_MEDIA_CODEC_H264;
	p.flags = is_key ? CAB_MEDIA_FLAG_KEY : 0;
	p.seq = s->vseq++;
	p.pts_us = pts_us < 0 ? 0 : pts_us;
	p.payload = pkt->data;
	p.payload_len = (uint32_t)pkt->size;
	if (is_key) {
		p.has_config = 1;
		p.config.width = (uint16_t)s->venc.width;
		p.config.height = (uint16_t)s->venc.height;
		p.config.fps = (uint8_t)s->venc.fps;
	}
	return queue_packet(s, &p, 1, 0);
}

/* Maps source timestamps onto the sender clock: anchored at the first frame, then
 * following the source's own spacing, re-anchored if it drifts by over 500 ms. */
struct pts_map {
	int have;
	int64_t src0, clk0, last;
};

static int64_t map_pts(struct pts_map *m, int64_t src_us, int64_t now_us)
{
	if (!m->have || src_us == AV_NOPTS_VALUE) {
		m->have = src_us != AV_NOPTS_VALUE;
		m->src0 = src_us;
		m->clk0 = now_us;
	}
	int64_t t = m->clk0 + (src_us == AV_NOPTS_VALUE ? 0 : src_us - m->src0);
	if (t > now_us + 500000 || t < now_us - 500000) {
		m->src0 = src_us;
		m->clk0 = now_us;
		t = now_us;
	}
	if (t <= m->last)
		t = m->last + 1;
	m->last = t;
	return t;
}

static int open_camera(struct cab_media_sender *s, struct cab_media_source *src, int index,
                       struct pts_map *pm)
{
	cab_media_source_close(src);
	int rc = cab_media_source_open(src, &s->cfg.cameras[index], CAB_MEDIA_VIDEO, NULL, &s->stop);
	memset(pm, 0, sizeof *pm);
	if (rc < 0)
		return rc;
	s->camera = index;
	s->video_is_test = src->is_test;
	struct cab_media_event ev = {CAB_MEDIA_EV_SOURCE, CAB_MEDIA_STREAM_VIDEO, src->is_test,
	                             s->cfg.cameras[index].label, 0, src->desc};
	event(s, &ev);
	cab_media_venc_request_key(&s->venc);
	return 0;
}

/* Captures one still of camera INDEX at its full resolution (the live source is
 * released first when it is the same device). */
static void take_still(struct cab_media_sender *s, struct cab_media_source *live, int index,
                       struct pts_map *pm)
{
	const struct cab_media_source_cfg *cfg = &s->cfg.cameras[index];
	struct cab_media_source src;
	struct cab_media_still still = {0};
	AVFrame *f = av_frame_alloc();
	int same = index == s->camera, rc = f ? 0 : AVERROR(ENOMEM);
	if (same)
		cab_media_source_close(live);
	const char *size = cfg->still_size;
	int absent = !cfg->device || !cfg->device[0];
	if (!size && absent)
		size = "1600x1200";
	if (rc == 0)
		rc = cab_media_source_open(&src, cfg, CAB_MEDIA_VIDEO, size, &s->stop);
	if (rc == 0) {
		/* A real camera's first frames may be dark while exposure settles. */
		int frames = src.is_test ? 1 : 4;
		for (int i = 0; i < frames && rc == 0; i++)
			rc = cab_media_source_read(&src, f);
		if (rc == 0)
			rc = cab_media_still_encode(f, 3, &still);
		still.is_test = src.is_test;
		cab_media_source_close(&src);
	}
	av_frame_free(&f);
	if (same && open_camera(s, live, index, pm) < 0)
		cab_err("media", "camera %d did not reopen after the still", index);
	if (rc < 0) {
		struct cab_media_event ev = {CAB_MEDIA_EV_STILL_FAILED, CAB_MEDIA_STREAM_STILL, 0,
		                             cfg->label, 0, av_err2str(rc)};
		event(s, &ev);
		return;
	}
	still.camera = index;
	still.pts_us = mono_us() - s->origin_us;
	pthread_mutex_lock(&s->lock);
	s->stills++;
	uint32_t seq = (uint32_t)s->stills - 1;
	pthread_mutex_unlock(&s->lock);
	if (s->cfg.send_stills) {
		struct cab_media_packet p = {0};
		p.type = CAB_MEDIA_PKT_STILL;
		p.stream = CAB_MEDIA_STREAM_STILL;
		p.codec = CAB_MEDIA_CODEC_JPEG;
		p.flags = CAB_MEDIA_FLAG_KEY;
		p.seq = seq;
		p.pts_us = still.pts_us;
		p.still_width = (uint16_t)still.width;
		p.still_height = (uint16_t)still.height;
		memcpy(p.still_sha256, still.sha256, 32);
		p.payload = still.jpeg;
		p.payload_len = (uint32_t)still.len;
		queue_packet(s, &p, 0, 1);
	}
	cab_info("media", "still from %s: %dx%d, %zu bytes", cfg->label ? cfg->label : "camera",
	         still.width, still.height, still.len);
	if (s->cfg.on_still)
		s->cfg.on_still(s->cfg.event_user, &still); /* takes ownership */
	else
		cab_media_still_free(&still);
}

static void apply_rung(struct cab_media_sender *s, int rung)
{
	const struct cab_media_rung *r = &cab_media_ladder[rung];
	if (cab_media_venc_reconfigure(&s->venc, r->width, r->height, r->fps, r->kbps) < 0) {
		struct cab_media_event ev = {CAB_MEDIA_EV_ERROR, CAB_MEDIA_STREAM_VIDEO, 0, NULL, rung,
		                             "video encoder reopen failed"};
		event(s, &ev);
		return;
	}
	s->rung_now = rung;
	cab_info("media", "video now %dx%d@%d %u kbit/s", r->width, r->height, r->fps, r->kbps);
	struct cab_media_event ev = {CAB_MEDIA_EV_LADDER, CAB_MEDIA_STREAM_VIDEO, 0, NULL, rung, ""};
	event(s, &ev);
}

static void *video_main(void *arg)
{
	struct cab_media_sender *s = arg;
	struct cab_media_source src = {0};
	struct pts_map pm = {0};
	AVFrame *f = av_frame_alloc();
	const struct cab_media_rung *r0 = &cab_media_ladder[s->rung_now];
	int rc = f ? 0 : AVERROR(ENOMEM);
	if (rc == 0)
		rc = cab_media_venc_open(&s->venc, r0->width, r0->height, r0->fps, r0->kbps,
		                         s->cfg.x264_preset);
	if (rc == 0)
		rc = open_camera(s, &src, 0, &pm);
	while (rc == 0 && !s->stop) {
		pthread_mutex_lock(&s->lock);
		int cam = s->req_camera, still = s->req_still, key = s->req_key;
		int rung = s->req_rung, off = s->req_video_off;
		s->req_still = -1;
		s->req_key = 0;
		pthread_mutex_unlock(&s->lock);
		if (still >= 0)
			take_still(s, &src, still, &pm);
		if (cam != s->camera && open_camera(s, &src, cam, &pm) < 0) {
			cab_err("media", "camera %d failed: back to camera 0", cam);
			pthread_mutex_lock(&s->lock);
			s->req_camera = 0;
			pthread_mutex_unlock(&s->lock);
			rc = open_camera(s, &src, 0, &pm);
			continue;
		}
		if (rung != s->rung_now)
			apply_rung(s, rung);
		if (off != s->video_off_now) {
			s->video_off_now = off;
			struct cab_media_event ev = {off ? CAB_MEDIA_EV_VIDEO_OFF : CAB_MEDIA_EV_VIDEO_ON,
			                             CAB_MEDIA_STREAM_VIDEO, 0, NULL, s->rung_now,
			                             off ? "link too poor for video" : "video back"};
			event(s, &ev);
			if (!off)
				cab_media_venc_request_key(&s->venc);
		}
		if (!s->venc.ctx) {
			rc = AVERROR(EINVAL);
			break;
		}
		if (key || cab_media_queue_take_key_request(&s->q, CAB_MEDIA_STREAM_VIDEO))
			cab_media_venc_request_key(&s->venc);
		if (!src.dec) { /* the camera did not come back after a still: try once more */
			rc = open_camera(s, &src, s->camera, &pm);
			if (rc < 0)
				break;
		}
		rc = cab_media_source_read(&src, f);
		if (rc < 0)
			break;
		int64_t now = mono_us() - s->origin_us;
		int64_t pts = map_pts(&pm, f->pts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE
		                                : cab_media_source_pts_us(&src, f->pts), now);
		pthread_mutex_lock(&s->lock);
		s->captured++;
		pthread_mutex_unlock(&s->lock);
		if (s->video_off_now)
			continue;
		rc = cab_media_venc_encode(&s->venc, f, pts, video_emit, s);
	}
	if (rc < 0 && rc != AVERROR_EXIT && !s->stop) {
		cab_err("media", "video pipeline stopped: %s", av_err2str(rc));
		struct cab_media_event ev = {CAB_MEDIA_EV_ERROR, CAB_MEDIA_STREAM_VIDEO, 0, NULL, 0,
		                             "video pipeline stopped"};
		event(s, &ev);
	}
	cab_media_source_close(&src);
	av_frame_free(&f);
	add_thread_cpu(s);
	return NULL;
}

/* ---- audio ------------------------------------------------------------------ */

static int audio_emit(void *user, const AVPacket *pkt, int64_t pts_us)
{
	struct apipe *a = user;
	struct cab_media_packet p = {0};
	p.type = CAB_MEDIA_PKT_MEDIA;
	p.stream = a->stream;
	p.codec = CAB_MEDIA_CODEC_OPUS;
	p.flags = CAB_MEDIA_FLAG_KEY;
	p.pts_us = pts_us < 0 ? 0 : pts_us;
	p.payload = pkt->data;
	p.payload_len = (uint32_t)pkt->size;
	if (a->seq % 50 == 0) { /* config once a second (50 x 20 ms) */
		int n = 0;
		const uint8_t *x = cab_media_aenc_extradata(&a->enc, &n);
		p.has_config = 1;
		p.config.sample_rate = CAB_MEDIA_AUDIO_RATE;
		p.config.channels = 1;
		if (n > 0 && n <= 256) {
			p.config.extradata = x;
			p.config.extradata_len = (uint16_t)n;
		}
	}
	p.seq = a->seq++;
	a->packets++;
	return queue_packet(a->s, &p, 0, 0);
}

static void *audio_main(void *arg)
{
	struct apipe *a = arg;
	struct cab_media_sender *s = a->s;
	struct cab_media_source src = {0};
	struct pts_map pm = {0};
	AVFrame *f = av_frame_alloc();
	int rc = f ? cab_media_aenc_open(&a->enc, &a->enc_cfg) : AVERROR(ENOMEM);
	if (rc == 0)
		rc = cab_media_source_open(&src, a->src_cfg, CAB_MEDIA_AUDIO, NULL, &a->stop);
	if (rc == 0) {
		a->is_test = src.is_test;
		struct cab_media_event ev = {CAB_MEDIA_EV_SOURCE, a->stream, src.is_test,
		                             a->src_cfg->label, 0, src.desc};
		event(s, &ev);
	}
	while (rc == 0 && !a->stop && !s->stop) {
		rc = cab_media_source_read(&src, f);
		if (rc < 0)
			break;
		int64_t now = mono_us() - s->origin_us;
		int64_t pts = map_pts(&pm, f->pts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE
		                                : cab_media_source_pts_us(&src, f->pts), now);
		if (a->stream == CAB_MEDIA_STREAM_AUDIO && __atomic_load_n(&s->muted, __ATOMIC_RELAXED))
			continue;
		rc = cab_media_aenc_encode(&a->enc, f, pts, audio_emit, a);
	}
	if (rc < 0 && rc != AVERROR_EXIT && !a->stop && !s->stop) {
		cab_err("media", "%s pipeline stopped: %s", a->src_cfg->label, av_err2str(rc));
		struct cab_media_event ev = {CAB_MEDIA_EV_ERROR, a->stream, 0, a->src_cfg->label, 0,
		                             "audio pipeline stopped"};
		event(s, &ev);
	}
	cab_media_source_close(&src);
	cab_media_aenc_close(&a->enc);
	av_frame_free(&f);
	add_thread_cpu(s);
	return NULL;
}

static int apipe_start(struct apipe *a)
{
	if (a->running)
		return 0;
	a->stop = 0;
	a->seq = 0;
	if (pthread_create(&a->th, NULL, audio_main, a) != 0)
		return -1;
	a->running = 1;
	return 0;
}

static void apipe_stop(struct apipe *a)
{
	if (!a->running)
		return;
	a->stop = 1;
	pthread_join(a->th, NULL);
	a->running = 0;
}

/* ---- send ------------------------------------------------------------------- */

static void *send_main(void *arg)
{
	struct cab_media_sender *s = arg;
	struct cab_media_qitem it;
	while (!s->stop) {
		int rc = cab_media_queue_pop(&s->q, &it, 200);
		if (rc < 0)
			break;
		if (rc == 0)
			continue;
		int sent = s->cfg.send(s->cfg.send_user, it.msg, it.len, it.key);
		pthread_mutex_lock(&s->lock);
		if (sent < 0)
			s->send_errors++;
		else
			s->bytes_sent += it.len;
		pthread_mutex_unlock(&s->lock);
		free(it.msg);
	}
	add_thread_cpu(s);
	return NULL;
}

/* ---- API -------------------------------------------------------------------- */

struct cab_media_sender *cab_media_sender_start(const struct cab_media_sender_cfg *cfg)
{
	if (!cfg->send || (cfg->video && (cfg->n_cameras < 1 || cfg->n_cameras > CAB_MEDIA_MAX_CAMERAS)))
		return NULL;
	cab_media_global_init();
	struct cab_media_sender *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cfg = *cfg;
	if (cab_media_queue_init(&s->q, cfg->queue_max_msgs ? cfg->queue_max_msgs : 256,
	                         cfg->queue_max_bytes ? cfg->queue_max_bytes : 384u << 10) < 0) {
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->ctl_lock, NULL);
	s->origin_us = mono_us();
	cab_media_adapt_init(&s->adapt, cfg->start_rung);
	s->rung_now = s->req_rung = s->adapt.rung;
	s->req_still = -1;
	s->mic = (struct apipe){.s = s, .src_cfg = &s->cfg.microphone, .stream = CAB_MEDIA_STREAM_AUDIO,
	                        .enc_cfg = {cfg->audio_kbps ? cfg->audio_kbps : 32, "voip", 1, NULL}};
	s->steth = (struct apipe){.s = s, .src_cfg = &s->cfg.stethoscope,
	                          .stream = CAB_MEDIA_STREAM_STETHOSCOPE,
	                          .enc_cfg = {cfg->steth_kbps ? cfg->steth_kbps : 64, "audio", 2,
	                                      cfg->steth_band_filter
	                                          ? "highpass=f=20:poles=2,lowpass=f=2000:poles=2"
	                                          : NULL}};
	if (pthread_create(&s->send_th, NULL, send_main, s) != 0)
		goto fail;
	s->send_started = 1;
	if (cfg->video) {
		if (pthread_create(&s->video_th, NULL, video_main, s) != 0)
			goto fail;
		s->video_started = 1;
	}
	if (cfg->audio && apipe_start(&s->mic) < 0)
		goto fail;
	return s;
fail:
	cab_media_sender_stop(s);
	return NULL;
}

/* Stops and joins every thread; the sender's memory stays for the final stats. */
static void halt(struct cab_media_sender *s)
{
	s->stop = 1;
	s->mic.stop = s->steth.stop = 1;
	pthread_mutex_lock(&s->ctl_lock);
	apipe_stop(&s->mic);
	apipe_stop(&s->steth);
	pthread_mutex_unlock(&s->ctl_lock);
	if (s->video_started)
		pthread_join(s->video_th, NULL);
	cab_media_venc_close(&s->venc);
	cab_media_queue_close(&s->q);
	if (s->send_started)
		pthread_join(s->send_th, NULL);
	s->video_started = s->send_started = 0;
}

static void release(struct cab_media_sender *s)
{
	cab_media_queue_destroy(&s->q);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->ctl_lock);
	free(s);
}

void cab_media_sender_stop(struct cab_media_sender *s)
{
	if (!s)
		return;
	halt(s);
	release(s);
}

void cab_media_sender_finish(struct cab_media_sender *s, struct cab_media_sender_stats *out)
{
	halt(s);
	cab_media_sender_stats(s, out);
	release(s);
}

int64_t cab_media_sender_origin_us(const struct cab_media_sender *s)
{
	return s->origin_us;
}

void cab_media_sender_request_keyframe(struct cab_media_sender *s)
{
	pthread_mutex_lock(&s->lock);
	s->req_key = 1;
	pthread_mutex_unlock(&s->lock);
}

int cab_media_sender_select_camera(struct cab_media_sender *s, int index)
{
	if (index < 0 || index >= s->cfg.n_cameras)
		return -1;
	pthread_mutex_lock(&s->lock);
	s->req_camera = index;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int cab_media_sender_request_still(struct cab_media_sender *s, int index)
{
	if (index < 0 || index >= s->cfg.n_cameras || !s->video_started)
		return -1;
	int rc = 0;
	pthread_mutex_lock(&s->lock);
	if (s->req_still >= 0)
		rc = -1;
	else
		s->req_still = index;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int cab_media_sender_stethoscope(struct cab_media_sender *s, int on)
{
	int rc = 0;
	pthread_mutex_lock(&s->ctl_lock);
	if (on)
		rc = apipe_start(&s->steth);
	else
		apipe_stop(&s->steth);
	pthread_mutex_unlock(&s->ctl_lock);
	return rc;
}

void cab_media_sender_mute(struct cab_media_sender *s, int muted)
{
	__atomic_store_n(&s->muted, muted, __ATOMIC_RELAXED);
}

void cab_media_sender_set_rung(struct cab_media_sender *s, int rung)
{
	if (rung < 0 || rung >= CAB_MEDIA_LADDER_LEN || s->cfg.adapt)
		return;
	pthread_mutex_lock(&s->lock);
	s->req_rung = rung;
	pthread_mutex_unlock(&s->lock);
}

struct cab_media_adapt_out cab_media_sender_link_report(struct cab_media_sender *s,
                                                        const struct cab_media_link_report *r)
{
	struct cab_media_qstats qs;
	cab_media_queue_stats(&s->q, &qs);
	pthread_mutex_lock(&s->lock);
	struct cab_media_link_sample smp = {
	    .t_ms = r->t_ms, .bytes_sent = s->bytes_sent, .bytes_acked = r->bytes_acked,
	    .queue_bytes = qs.bytes + r->link_queue_bytes, .queue_msgs = qs.depth,
	    .drops = qs.dropped, .rtt_ms = r->rtt_ms};
	struct cab_media_adapt_out o = cab_media_adapt_update(&s->adapt, &smp);
	if (s->cfg.adapt) {
		s->req_rung = o.rung;
		s->req_video_off = o.video_off;
	}
	pthread_mutex_unlock(&s->lock);
	if (o.changed)
		cab_info("media", "adaptation: %s (rung %d%s, %.0f kbit/s acked, delay %.0f ms)",
		         o.reason, o.rung, o.video_off ? ", audio only" : "",
		         s->adapt.tput_Bps * 8 / 1000, s->adapt.delay_ms);
	return o;
}

void cab_media_sender_stats(struct cab_media_sender *s, struct cab_media_sender_stats *out)
{
	memset(out, 0, sizeof *out);
	cab_media_queue_stats(&s->q, &out->queue);
	pthread_mutex_lock(&s->lock);
	out->video_frames_captured = s->captured;
	out->video_frames_encoded = s->venc.frames_encoded;
	out->video_keyframes = s->venc.keyframes;
	out->video_packets = s->vseq;
	out->audio_packets = s->mic.packets;
	out->steth_packets = s->steth.packets;
	out->stills = s->stills;
	out->bytes_sent = s->bytes_sent;
	out->send_errors = s->send_errors;
	out->encoder_reopens = s->venc.reopen_count;
	out->rung = s->rung_now;
	out->video_off = s->video_off_now;
	out->camera = s->camera;
	out->video_is_test = s->video_is_test;
	out->audio_is_test = s->mic.is_test;
	out->steth_is_test = s->steth.is_test;
	out->steth_running = s->steth.running;
	out->cpu_s = s->cpu_s;
	pthread_mutex_unlock(&s->lock);
}
