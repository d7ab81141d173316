/* media_audio.c — the sender's audio threads: microphone and stethoscope capture
 * (or their test sources) encoded to Opus, each packet queued for the link
 * (media_sender_int.h). */
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <string.h>

#include "log.h"
#include "media_sender_int.h"

static int audio_emit(void *user, const AVPacket *pkt, int64_t pts_us)
{
	struct apipe *a = user;
	if (a->enc_cfg.raw) {
		a->packets++;
		a->s->cfg.on_mic_pcm(a->s->cfg.send_user, (const float *)(const void *)pkt->data,
		                     pkt->size / (int)sizeof(float), pts_us);
		return 0;
	}
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
	return cab_msend_queue_packet(a->s, &p, 0, 0);
}

void *cab_msend_audio_main(void *arg)
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
		                             a->src_cfg->label,   0,         src.desc};
		cab_msend_event(s, &ev);
	}
	while (rc == 0 && !a->stop && !s->stop) {
		rc = cab_media_source_read(&src, f);
		if (rc < 0)
			break;
		int64_t now = cab_msend_mono_us() - s->origin_us;
		int64_t pts = cab_msend_map_pts(&pm,
		                                f->pts == AV_NOPTS_VALUE
		                                    ? AV_NOPTS_VALUE
		                                    : cab_media_source_pts_us(&src, f->pts),
		                                now);
		if (a->stream == CAB_MEDIA_STREAM_AUDIO &&
		    __atomic_load_n(&s->muted, __ATOMIC_RELAXED))
			continue;
		rc = cab_media_aenc_encode(&a->enc, f, pts, audio_emit, a);
	}
	if (rc < 0 && rc != AVERROR_EXIT && !a->stop && !s->stop) {
		cab_err("media", "%s pipeline stopped: %s", a->src_cfg->label, av_err2str(rc));
		struct cab_media_event ev = {
		    CAB_MEDIA_EV_ERROR, a->stream, 0,
		    a->src_cfg->label,  0,         "audio pipeline stopped"};
		cab_msend_event(s, &ev);
	}
	cab_media_source_close(&src);
	cab_media_aenc_close(&a->enc);
	av_frame_free(&f);
	cab_msend_thread_cpu(s);
	return NULL;
}

int cab_msend_apipe_start(struct apipe *a)
{
	if (a->running)
		return 0;
	a->stop = 0;
	a->seq = 0;
	if (pthread_create(&a->th, NULL, cab_msend_audio_main, a) != 0)
		return -1;
	a->running = 1;
	return 0;
}

void cab_msend_apipe_stop(struct apipe *a)
{
	if (!a->running)
		return;
	a->stop = 1;
	pthread_join(a->th, NULL);
	a->running = 0;
}
