/* media_aenc.c — Opus encoding through a libavfilter conversion graph and an audio
 * FIFO (media_aenc.h). Timestamps: origin of the first frame + samples / 48 kHz, so
 * they stay smooth whatever the capture jitter. */
#include "media_aenc.h"

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <stdio.h>
#include <string.h>

int cab_media_aenc_open(struct cab_media_aenc *a, const struct cab_media_aenc_cfg *cfg)
{
	memset(a, 0, sizeof *a);
	a->cfg = *cfg;
	a->origin_us = -1;
	const AVCodec *codec = avcodec_find_encoder_by_name("libopus");
	if (!codec)
		return AVERROR_ENCODER_NOT_FOUND;
	AVCodecContext *c = avcodec_alloc_context3(codec);
	if (!c)
		return AVERROR(ENOMEM);
	c->sample_rate = CAB_MEDIA_AUDIO_RATE;
	c->sample_fmt = AV_SAMPLE_FMT_FLT;
	av_channel_layout_default(&c->ch_layout, 1);
	c->bit_rate = (int64_t)cfg->kbps * 1000;
	c->time_base = (AVRational){1, CAB_MEDIA_AUDIO_RATE};
	av_opt_set(c->priv_data, "application", cfg->application ? cfg->application : "audio", 0);
	av_opt_set_int(c->priv_data, "vbr", cfg->vbr, 0);
	av_opt_set_double(c->priv_data, "frame_duration", 20.0, 0);
	int rc = avcodec_open2(c, codec, NULL);
	if (rc < 0) {
		avcodec_free_context(&c);
		return rc;
	}
	a->ctx = c;
	a->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLT, 1, 4 * CAB_MEDIA_AUDIO_FRAME);
	a->frame = av_frame_alloc();
	a->filtered = av_frame_alloc();
	if (!a->fifo || !a->frame || !a->filtered) {
		cab_media_aenc_close(a);
		return AVERROR(ENOMEM);
	}
	return 0;
}

/* (Re)builds the conversion graph for the input's format. */
static int build_graph(struct cab_media_aenc *a, const AVFrame *in)
{
	char args[256], layout[64], chain[512];
	avfilter_graph_free(&a->graph);
	a->graph = avfilter_graph_alloc();
	if (!a->graph)
		return AVERROR(ENOMEM);
	if (av_channel_layout_describe(&in->ch_layout, layout, sizeof layout) < 0)
		snprintf(layout, sizeof layout, "mono");
	snprintf(args, sizeof args, "sample_rate=%d:sample_fmt=%s:channel_layout=%s:time_base=1/%d",
	         in->sample_rate, av_get_sample_fmt_name(in->format), layout, in->sample_rate);
	int rc = avfilter_graph_create_filter(&a->in, avfilter_get_by_name("abuffer"), "in", args,
	                                      NULL, a->graph);
	if (rc < 0)
		return rc;
	rc = avfilter_graph_create_filter(&a->out, avfilter_get_by_name("abuffersink"), "out", NULL,
	                                  NULL, a->graph);
	if (rc < 0)
		return rc;
	snprintf(chain, sizeof chain,
	         "aresample=%d,aformat=sample_fmts=flt:sample_rates=%d:channel_layouts=mono%s%s",
	         CAB_MEDIA_AUDIO_RATE, CAB_MEDIA_AUDIO_RATE, a->cfg.filter ? "," : "",
	         a->cfg.filter ? a->cfg.filter : "");
	AVFilterInOut *outputs = avfilter_inout_alloc(), *inputs = avfilter_inout_alloc();
	if (!outputs || !inputs) {
		avfilter_inout_free(&outputs);
		avfilter_inout_free(&inputs);
		return AVERROR(ENOMEM);
	}
	outputs->name = av_strdup("in");
	outputs->filter_ctx = a->in;
	inputs->name = av_strdup("out");
	inputs->filter_ctx = a->out;
	rc = avfilter_graph_parse_ptr(a->graph, chain, &inputs, &outputs, NULL);
	avfilter_inout_free(&outputs);
	avfilter_inout_free(&inputs);
	if (rc < 0)
		return rc;
	rc = avfilter_graph_config(a->graph, NULL);
	if (rc < 0)
		return rc;
	a->in_rate = in->sample_rate;
	a->in_fmt = in->format;
	a->in_channels = in->ch_layout.nb_channels;
	return 0;
}

static int encode_fifo(struct cab_media_aenc *a, cab_media_aenc_emit emit, void *user)
{
	AVPacket *pkt = av_packet_alloc();
	int rc = pkt ? 0 : AVERROR(ENOMEM);
	while (rc == 0 && av_audio_fifo_size(a->fifo) >= CAB_MEDIA_AUDIO_FRAME) {
		AVFrame *f = a->frame;
		av_frame_unref(f);
		f->format = AV_SAMPLE_FMT_FLT;
		f->sample_rate = CAB_MEDIA_AUDIO_RATE;
		av_channel_layout_default(&f->ch_layout, 1);
		f->nb_samples = CAB_MEDIA_AUDIO_FRAME;
		rc = av_frame_get_buffer(f, 0);
		if (rc < 0)
			break;
		av_audio_fifo_read(a->fifo, (void **)f->data, CAB_MEDIA_AUDIO_FRAME);
		f->pts = a->samples_done;
		a->samples_done += CAB_MEDIA_AUDIO_FRAME;
		if (a->cfg.raw) {
			pkt->data = f->data[0];
			pkt->size = CAB_MEDIA_AUDIO_FRAME * (int)sizeof(float);
			int64_t pts_us =
			    a->origin_us + av_rescale(f->pts, 1000000, CAB_MEDIA_AUDIO_RATE);
			a->packets++;
			if (emit(user, pkt, pts_us) < 0)
				rc = AVERROR(EIO);
			pkt->data = NULL;
			pkt->size = 0;
			continue;
		}
		rc = avcodec_send_frame(a->ctx, f);
		while (rc == 0 && (rc = avcodec_receive_packet(a->ctx, pkt)) == 0) {
			/* The encoder shifts pts back by its pre-skip; undo it so that packet n
			 * carries origin + n * 20 ms, the time of its first input sample. */
			int64_t at = pkt->pts + a->ctx->initial_padding;
			int64_t pts_us = a->origin_us +
			                 av_rescale(at < 0 ? 0 : at, 1000000, CAB_MEDIA_AUDIO_RATE);
			a->packets++;
			if (emit(user, pkt, pts_us) < 0)
				rc = AVERROR(EIO);
			av_packet_unref(pkt);
		}
		if (rc == AVERROR(EAGAIN))
			rc = 0;
	}
	av_packet_free(&pkt);
	return rc;
}

int cab_media_aenc_encode(struct cab_media_aenc *a, const AVFrame *frame, int64_t pts_us,
                          cab_media_aenc_emit emit, void *user)
{
	int rc;
	if (!a->graph || a->in_rate != frame->sample_rate || a->in_fmt != frame->format ||
	    a->in_channels != frame->ch_layout.nb_channels) {
		rc = build_graph(a, frame);
		if (rc < 0)
			return rc;
	}
	if (a->origin_us < 0)
		a->origin_us = pts_us;
	AVFrame *copy = av_frame_clone(frame);
	if (!copy)
		return AVERROR(ENOMEM);
	rc = av_buffersrc_add_frame(a->in, copy);
	av_frame_free(&copy);
	if (rc < 0)
		return rc;
	for (;;) {
		rc = av_buffersink_get_frame(a->out, a->filtered);
		if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
			break;
		if (rc < 0)
			return rc;
		rc = av_audio_fifo_write(a->fifo, (void **)a->filtered->data,
		                         a->filtered->nb_samples);
		av_frame_unref(a->filtered);
		if (rc < 0)
			return rc;
	}
	return encode_fifo(a, emit, user);
}

const uint8_t *cab_media_aenc_extradata(const struct cab_media_aenc *a, int *len)
{
	*len = a->ctx ? a->ctx->extradata_size : 0;
	return a->ctx ? a->ctx->extradata : NULL;
}

void cab_media_aenc_close(struct cab_media_aenc *a)
{
	avcodec_free_context(&a->ctx);
	avfilter_graph_free(&a->graph);
	if (a->fifo)
		av_audio_fifo_free(a->fifo);
	a->fifo = NULL;
	av_frame_free(&a->frame);
	av_frame_free(&a->filtered);
}
