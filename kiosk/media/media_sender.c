/* media_sender.c — the sender's API, its send thread (drains the drop-oldest queue
 * into the link sink) and helpers shared by the capture threads (media_video.c,
 * media_audio.c). Requests from other threads are plain fields under one mutex,
 * read by the video thread between frames, so device access stays on one thread. */
#include "media_sender.h"

#include <libavutil/avutil.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "log.h"
#include "media_sender_int.h"

int64_t cab_msend_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void cab_msend_thread_cpu(struct cab_media_sender *s)
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

void cab_msend_event(struct cab_media_sender *s, const struct cab_media_event *ev)
{
	if (s->cfg.on_event)
		s->cfg.on_event(s->cfg.event_user, ev);
}

/* Builds the message for one encoded packet and queues it. */
int cab_msend_queue_packet(struct cab_media_sender *s, struct cab_media_packet *p, int dependent,
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
	struct cab_media_qitem it = {msg,
	                             (size_t)n,
	                             p->stream,
	                             (uint8_t)(p->flags & CAB_MEDIA_FLAG_KEY),
	                             (uint8_t)dependent,
	                             (uint8_t)precious};
	cab_media_queue_push(&s->q, &it);
	return 0;
}

int64_t cab_msend_map_pts(struct pts_map *m, int64_t src_us, int64_t now_us)
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
	cab_msend_thread_cpu(s);
	return NULL;
}

/* ---- API -------------------------------------------------------------------- */

struct cab_media_sender *cab_media_sender_start(const struct cab_media_sender_cfg *cfg)
{
	if (!cfg->send ||
	    (cfg->video && (cfg->n_cameras < 1 || cfg->n_cameras > CAB_MEDIA_MAX_CAMERAS)))
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
	s->origin_us = cab_msend_mono_us();
	int rung = cfg->start_rung < 0 ? 0 : cfg->start_rung;
	s->rung_now = s->req_rung = rung < CAB_MEDIA_LADDER_LEN ? rung : CAB_MEDIA_LADDER_LEN - 1;
	s->req_still = -1;
	s->mic =
	    (struct apipe){.s = s,
	                   .src_cfg = &s->cfg.microphone,
	                   .stream = CAB_MEDIA_STREAM_AUDIO,
	                   .enc_cfg = {cfg->audio_kbps ? cfg->audio_kbps : 32, "voip", 1, NULL,
	                               cfg->on_mic_pcm != NULL}};
	s->steth = (struct apipe){.s = s,
	                          .src_cfg = &s->cfg.stethoscope,
	                          .stream = CAB_MEDIA_STREAM_STETHOSCOPE,
	                          .enc_cfg = {cfg->steth_kbps ? cfg->steth_kbps : 64, "audio", 2,
	                                      cfg->steth_band_filter
	                                          ? "highpass=f=20:poles=2,lowpass=f=2000:poles=2"
	                                          : NULL,
	                                      0}};
	if (pthread_create(&s->send_th, NULL, send_main, s) != 0)
		goto fail;
	s->send_started = 1;
	if (cfg->video) {
		if (pthread_create(&s->video_th, NULL, cab_msend_video_main, s) != 0)
			goto fail;
		s->video_started = 1;
	}
	if (cfg->audio && cab_msend_apipe_start(&s->mic) < 0)
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
	cab_msend_apipe_stop(&s->mic);
	cab_msend_apipe_stop(&s->steth);
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
		rc = cab_msend_apipe_start(&s->steth);
	else
		cab_msend_apipe_stop(&s->steth);
	pthread_mutex_unlock(&s->ctl_lock);
	return rc;
}

void cab_media_sender_mute(struct cab_media_sender *s, int muted)
{
	__atomic_store_n(&s->muted, muted, __ATOMIC_RELAXED);
}

void cab_media_sender_set_video_off(struct cab_media_sender *s, int off)
{
	pthread_mutex_lock(&s->lock);
	s->req_video_off = off ? 1 : 0;
	pthread_mutex_unlock(&s->lock);
}

void cab_media_sender_set_rung(struct cab_media_sender *s, int rung)
{
	if (rung < 0 || rung >= CAB_MEDIA_LADDER_LEN)
		return;
	pthread_mutex_lock(&s->lock);
	s->req_rung = rung;
	pthread_mutex_unlock(&s->lock);
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
