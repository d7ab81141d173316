/* media_receiver.c — decoders per stream id, created on the first packet of each
 * stream (media_receiver.h). An H.264 stream that loses a packet (sequence gap)
 * waits for its next keyframe instead of decoding damaged pictures. */
#include "media_receiver.h"

#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "media_source.h"

struct rstream {
	AVCodecContext *dec;
	uint8_t codec;
	int have_seq;
	uint32_t last_seq;
	int waiting_key;
	struct SwsContext *sws;
	SwrContext *swr;
	int swr_in_rate, swr_in_fmt, swr_in_ch;
	uint8_t *conv; /* converted picture or samples */
	size_t conv_cap;
};

struct cab_media_receiver {
	struct cab_media_receiver_cfg cfg;
	struct rstream st[CAB_MEDIA_STREAM_MAX + 1];
	AVPacket *pkt;
	AVFrame *frame;
	pthread_mutex_t lock; /* guards stats */
	struct cab_media_receiver_stats stats;
};

struct cab_media_receiver *cab_media_receiver_new(const struct cab_media_receiver_cfg *cfg)
{
	cab_media_global_init();
	struct cab_media_receiver *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cfg = *cfg;
	if (!r->cfg.out_rate)
		r->cfg.out_rate = 48000;
	if (!r->cfg.out_channels)
		r->cfg.out_channels = 1;
	r->pkt = av_packet_alloc();
	r->frame = av_frame_alloc();
	pthread_mutex_init(&r->lock, NULL);
	r->stats.last_video_pts_us = r->stats.last_audio_pts_us = -1;
	if (!r->pkt || !r->frame) {
		cab_media_receiver_free(r);
		return NULL;
	}
	return r;
}

void cab_media_receiver_free(struct cab_media_receiver *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i <= CAB_MEDIA_STREAM_MAX; i++) {
		avcodec_free_context(&r->st[i].dec);
		sws_freeContext(r->st[i].sws);
		swr_free(&r->st[i].swr);
		av_free(r->st[i].conv);
	}
	av_packet_free(&r->pkt);
	av_frame_free(&r->frame);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

#define STAT_ADD(r, field, n)                                                                      \
	do {                                                                                       \
		pthread_mutex_lock(&(r)->lock);                                                    \
		(r)->stats.field += (n);                                                           \
		pthread_mutex_unlock(&(r)->lock);                                                  \
	} while (0)

static int open_decoder(struct rstream *s, const struct cab_media_packet *p)
{
	const AVCodec *codec = avcodec_find_decoder(
	    p->codec == CAB_MEDIA_CODEC_H264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_OPUS);
	if (!codec)
		return AVERROR_DECODER_NOT_FOUND;
	s->dec = avcodec_alloc_context3(codec);
	if (!s->dec)
		return AVERROR(ENOMEM);
	s->dec->pkt_timebase = (AVRational){1, 1000000};
	if (p->codec == CAB_MEDIA_CODEC_H264) {
		s->dec->thread_count = 1; /* frame threads would add a frame of delay each */
		s->dec->flags |= AV_CODEC_FLAG_LOW_DELAY;
		/* Input-driven allocation bound: no picture larger than this decodes. */
		s->dec->max_pixels = CAB_MEDIA_RX_MAX_PIXELS;
	} else {
		/* Our streams are mono; stereo is accepted, anything else is not ours. */
		int ch = p->has_config && p->config.channels == 2 ? 2 : 1;
		s->dec->sample_rate = 48000;
		av_channel_layout_default(&s->dec->ch_layout, ch);
		if (p->has_config && p->config.extradata_len) {
			s->dec->extradata =
			    av_mallocz(p->config.extradata_len + AV_INPUT_BUFFER_PADDING_SIZE);
			if (!s->dec->extradata)
				return AVERROR(ENOMEM);
			memcpy(s->dec->extradata, p->config.extradata, p->config.extradata_len);
			s->dec->extradata_size = p->config.extradata_len;
		}
	}
	s->codec = p->codec;
	int rc = avcodec_open2(s->dec, codec, NULL);
	if (rc < 0)
		avcodec_free_context(&s->dec);
	return rc;
}

static int grow(struct rstream *s, size_t need)
{
	if (s->conv_cap >= need)
		return 0;
	av_free(s->conv);
	s->conv = av_malloc(need);
	s->conv_cap = s->conv ? need : 0;
	return s->conv ? 0 : -1;
}

static void emit_video(struct cab_media_receiver *r, struct rstream *s, AVFrame *f)
{
	int w = r->cfg.out_width ? r->cfg.out_width : f->width;
	int h = r->cfg.out_height ? r->cfg.out_height : f->height;
	enum AVPixelFormat pf =
	    r->cfg.pixfmt == CAB_MEDIA_PIX_RGBA ? AV_PIX_FMT_RGBA : AV_PIX_FMT_YUV420P;
	struct cab_media_video_frame out = {0};
	int size = av_image_get_buffer_size(pf, w, h, 1);
	s->sws = sws_getCachedContext(s->sws, f->width, f->height, f->format, w, h, pf,
	                              SWS_BILINEAR, NULL, NULL, NULL);
	if (size < 0 || !s->sws || grow(s, (size_t)size) < 0) {
		STAT_ADD(r, decode_errors, 1);
		return;
	}
	uint8_t *data[4];
	int lines[4];
	av_image_fill_arrays(data, lines, s->conv, pf, w, h, 1);
	sws_scale(s->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, data, lines);
	out.width = w;
	out.height = h;
	out.format = r->cfg.pixfmt;
	for (int i = 0; i < 4; i++) {
		out.data[i] = data[i];
		out.linesize[i] = lines[i];
	}
	out.src_width = f->width;
	out.src_height = f->height;
	out.pts_us = f->pts;
	out.is_key = f->key_frame;
	pthread_mutex_lock(&r->lock);
	r->stats.video_frames++;
	r->stats.last_video_pts_us = f->pts;
	r->stats.video_width = f->width;
	r->stats.video_height = f->height;
	pthread_mutex_unlock(&r->lock);
	if (r->cfg.on_video)
		r->cfg.on_video(r->cfg.user, &out);
}

static void emit_audio(struct cab_media_receiver *r, struct rstream *s, int stream, AVFrame *f)
{
	enum AVSampleFormat of =
	    r->cfg.samplefmt == CAB_MEDIA_SAMPLE_F32 ? AV_SAMPLE_FMT_FLT : AV_SAMPLE_FMT_S16;
	if (!s->swr || s->swr_in_rate != f->sample_rate || s->swr_in_fmt != f->format ||
	    s->swr_in_ch != f->ch_layout.nb_channels) {
		AVChannelLayout ol;
		av_channel_layout_default(&ol, r->cfg.out_channels);
		swr_free(&s->swr);
		if (swr_alloc_set_opts2(&s->swr, &ol, of, r->cfg.out_rate, &f->ch_layout, f->format,
		                        f->sample_rate, 0, NULL) < 0 ||
		    swr_init(s->swr) < 0) {
			swr_free(&s->swr);
			STAT_ADD(r, decode_errors, 1);
			return;
		}
		s->swr_in_rate = f->sample_rate;
		s->swr_in_fmt = f->format;
		s->swr_in_ch = f->ch_layout.nb_channels;
	}
	int max = swr_get_out_samples(s->swr, f->nb_samples);
	int bps = av_get_bytes_per_sample(of) * r->cfg.out_channels;
	if (max < 0 || grow(s, (size_t)max * (size_t)bps) < 0) {
		STAT_ADD(r, decode_errors, 1);
		return;
	}
	uint8_t *outp[1] = {s->conv};
	int n = swr_convert(s->swr, outp, max, (const uint8_t **)f->extended_data, f->nb_samples);
	if (n < 0) {
		STAT_ADD(r, decode_errors, 1);
		return;
	}
	struct cab_media_audio_chunk a = {
	    stream, s->conv, n, r->cfg.out_rate, r->cfg.out_channels, r->cfg.samplefmt, f->pts};
	pthread_mutex_lock(&r->lock);
	if (stream == CAB_MEDIA_STREAM_STETHOSCOPE) {
		r->stats.steth_chunks++;
		r->stats.steth_samples += (uint64_t)n;
	} else {
		r->stats.audio_chunks++;
		r->stats.audio_samples += (uint64_t)n;
		r->stats.last_audio_pts_us = f->pts;
	}
	pthread_mutex_unlock(&r->lock);
	if (n > 0 && r->cfg.on_audio)
		r->cfg.on_audio(r->cfg.user, &a);
}

static int decode(struct cab_media_receiver *r, const struct cab_media_packet *p)
{
	struct rstream *s = &r->st[p->stream];
	if (s->dec && s->codec != p->codec) { /* the stream changed codec: start afresh */
		avcodec_free_context(&s->dec);
		s->have_seq = 0;
	}
	int was_waiting = s->waiting_key;
	if (s->have_seq && p->seq != s->last_seq + 1) {
		STAT_ADD(r, gaps, 1);
		if (p->codec == CAB_MEDIA_CODEC_H264)
			s->waiting_key = 1;
	}
	s->have_seq = 1;
	s->last_seq = p->seq;
	if (!s->dec && p->codec == CAB_MEDIA_CODEC_H264 && !(p->flags & CAB_MEDIA_FLAG_KEY))
		s->waiting_key = 1; /* joined mid-stream */
	if (s->waiting_key && !was_waiting && !(p->flags & CAB_MEDIA_FLAG_KEY) &&
	    r->cfg.on_need_keyframe)
		r->cfg.on_need_keyframe(r->cfg.user, p->stream);
	if (s->waiting_key) {
		if (!(p->flags & CAB_MEDIA_FLAG_KEY)) {
			STAT_ADD(r, skipped, 1);
			return 0;
		}
		s->waiting_key = 0;
	}
	if (!s->dec) {
		int rc = open_decoder(s, p);
		if (rc < 0) {
			cab_err("media", "stream %u: decoder: %s", p->stream, av_err2str(rc));
			STAT_ADD(r, decode_errors, 1);
			return 1;
		}
	}
	AVPacket *pkt = r->pkt;
	if (av_new_packet(pkt, (int)p->payload_len) < 0)
		return 1;
	memcpy(pkt->data, p->payload, p->payload_len);
	pkt->pts = pkt->dts = p->pts_us;
	if (p->flags & CAB_MEDIA_FLAG_KEY)
		pkt->flags |= AV_PKT_FLAG_KEY;
	int rc = avcodec_send_packet(s->dec, pkt);
	av_packet_unref(pkt);
	if (rc < 0) {
		STAT_ADD(r, decode_errors, 1);
		if (p->codec == CAB_MEDIA_CODEC_H264)
			s->waiting_key = 1;
		return 1;
	}
	while ((rc = avcodec_receive_frame(s->dec, r->frame)) == 0) {
		AVFrame *f = r->frame;
		if (f->decode_error_flags) {
			STAT_ADD(r, decode_errors, 1);
		} else if (p->codec == CAB_MEDIA_CODEC_H264) {
			emit_video(r, s, f);
		} else {
			emit_audio(r, s, p->stream, f);
		}
		av_frame_unref(f);
	}
	return rc == AVERROR(EAGAIN) || rc == AVERROR_EOF ? 0 : 1;
}

int cab_media_receiver_push(struct cab_media_receiver *r, const uint8_t *msg, size_t len)
{
	struct cab_media_packet p;
	int rc = cab_media_packet_parse(msg, len, &p);
	if (rc != CAB_MEDIA_PKT_OK) {
		pthread_mutex_lock(&r->lock);
		uint64_t n = ++r->stats.bad_messages;
		pthread_mutex_unlock(&r->lock);
		if (n <= 10 || n % 1000 == 0) /* a peer sending junk must not flood the log */
			cab_warn("media", "refused message of %zu bytes: %s (%llu so far)", len,
			         cab_media_packet_strerror(rc), (unsigned long long)n);
		return rc;
	}
	STAT_ADD(r, messages, 1);
	if (p.type == CAB_MEDIA_PKT_STILL) {
		STAT_ADD(r, stills, 1);
		if (r->cfg.on_still)
			r->cfg.on_still(r->cfg.user, &p);
		return 0;
	}
	return decode(r, &p);
}

void cab_media_receiver_stats(struct cab_media_receiver *r, struct cab_media_receiver_stats *out)
{
	pthread_mutex_lock(&r->lock);
	*out = r->stats;
	pthread_mutex_unlock(&r->lock);
}
