/* media_source.c — capture inputs via libavdevice with a lavfi test-source fallback
 * (media_source.h). Test graphs are paced to real time by the realtime filters. */
#include "media_source.h"

#include <libavcodec/avcodec.h>
#include <libavdevice/avdevice.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
	avdevice_register_all();
	av_log_set_level(AV_LOG_ERROR);
}

void cab_media_global_init(void)
{
	pthread_once(&once, init_once);
}

static int interrupt_cb(void *opaque)
{
	volatile int *stop = opaque;
	return stop && *stop;
}

/* Builds the default lavfi graph for an absent device into BUF. WITH_TEXT adds the
 * clock overlay (drawtext needs the DejaVu font; the caller retries without). */
static void test_graph(const struct cab_media_source_cfg *cfg, enum cab_media_kind kind,
                       const char *size, int with_text, char *buf, size_t cap)
{
	if (kind == CAB_MEDIA_AUDIO) {
		double hz = cfg->test_tone_hz > 0 ? cfg->test_tone_hz : 440.0;
		snprintf(buf, cap,
		         "sine=frequency=%.3f:sample_rate=48000:samples_per_frame=960,arealtime",
		         hz);
		return;
	}
	int fps = cfg->fps > 0 ? cfg->fps : 30;
	int exam = cfg->label && strcmp(cfg->label, "room") != 0;
	const char *pattern = exam ? "smptehdbars" : "testsrc2";
	char text[256] = "";
	if (with_text)
		snprintf(text, sizeof text,
		         ",drawtext=fontfile=" FONT ":text='TEST %s %%{pts\\:hms}':x=24:y=24:"
		         "fontsize=h/24:fontcolor=white:box=1:boxcolor=black@0.6",
		         cfg->label ? cfg->label : "camera");
	snprintf(buf, cap, "%s=size=%s:rate=%d%s,format=yuv420p,realtime", pattern,
	         size ? size : "1280x720", fps, text);
}

static int open_input(struct cab_media_source *src, const char *fmt_name, const char *url,
                      AVDictionary **opts)
{
	const AVInputFormat *ifmt = av_find_input_format(fmt_name);
	if (!ifmt)
		return AVERROR_DEMUXER_NOT_FOUND;
	src->fmt = avformat_alloc_context();
	if (!src->fmt)
		return AVERROR(ENOMEM);
	src->fmt->interrupt_callback.callback = interrupt_cb;
	src->fmt->interrupt_callback.opaque = (void *)src->stop;
	int rc = avformat_open_input(&src->fmt, url, ifmt, opts);
	if (rc < 0) {
		src->fmt = NULL; /* freed by avformat_open_input on failure */
		return rc;
	}
	rc = avformat_find_stream_info(src->fmt, NULL);
	if (rc < 0)
		return rc;
	enum AVMediaType want =
	    src->kind == CAB_MEDIA_VIDEO ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO;
	rc = av_find_best_stream(src->fmt, want, -1, -1, NULL, 0);
	if (rc < 0)
		return rc;
	src->stream_index = rc;
	AVStream *st = src->fmt->streams[rc];
	const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
	if (!codec)
		return AVERROR_DECODER_NOT_FOUND;
	src->dec = avcodec_alloc_context3(codec);
	if (!src->dec)
		return AVERROR(ENOMEM);
	rc = avcodec_parameters_to_context(src->dec, st->codecpar);
	if (rc < 0)
		return rc;
	src->dec->thread_count = 1;
	rc = avcodec_open2(src->dec, codec, NULL);
	if (rc < 0)
		return rc;
	src->tb_num = st->time_base.num;
	src->tb_den = st->time_base.den;
	src->pkt = av_packet_alloc();
	return src->pkt ? 0 : AVERROR(ENOMEM);
}

/* Opens the configured device. Returns 0 or a negative AVERROR. */
static int open_device(struct cab_media_source *src, const struct cab_media_source_cfg *cfg,
                       const char *size)
{
	AVDictionary *opts = NULL;
	const char *fmt = cfg->format;
	char rate[16];
	int rc;
	if (src->kind == CAB_MEDIA_VIDEO) {
		if (!fmt)
			fmt = "v4l2";
		if (strcmp(fmt, "v4l2") == 0 && access(cfg->device, R_OK) != 0)
			return AVERROR(ENOENT);
		if (size)
			av_dict_set(&opts, "video_size", size, 0);
		snprintf(rate, sizeof rate, "%d", cfg->fps > 0 ? cfg->fps : 30);
		av_dict_set(&opts, "framerate", rate, 0);
		if (cfg->input_format)
			av_dict_set(&opts, "input_format", cfg->input_format, 0);
	} else {
		if (!fmt)
			fmt = "alsa";
		av_dict_set(&opts, "sample_rate", "48000", 0);
		av_dict_set(&opts, "channels", "1", 0);
	}
	rc = open_input(src, fmt, cfg->device, &opts);
	av_dict_free(&opts);
	snprintf(src->desc, sizeof src->desc, "%s %s", fmt, cfg->device);
	return rc;
}

static void close_parts(struct cab_media_source *src)
{
	avcodec_free_context(&src->dec);
	avformat_close_input(&src->fmt);
	av_packet_free(&src->pkt);
}

int cab_media_source_open(struct cab_media_source *src, const struct cab_media_source_cfg *cfg,
                          enum cab_media_kind kind, const char *size, volatile int *stop)
{
	char graph[768];
	int rc = AVERROR(ENOENT);
	cab_media_global_init();
	memset(src, 0, sizeof *src);
	src->kind = kind;
	src->stop = stop;
	if (!size)
		size = cfg->video_size;
	const char *label = cfg->label ? cfg->label : "source";
	if (cfg->device && cfg->device[0]) {
		rc = open_device(src, cfg, size);
		if (rc == 0) {
			cab_info("media", "%s: capturing from %s", label, src->desc);
			return 0;
		}
		cab_warn("media", "%s: device %s unavailable (%s): test source stands in", label,
		         cfg->device, av_err2str(rc));
		close_parts(src);
	}
	src->is_test = 1;
	for (int with_text = 1; with_text >= 0; with_text--) {
		if (cfg->test_graph)
			snprintf(graph, sizeof graph, "%s", cfg->test_graph);
		else
			test_graph(cfg, kind, size, with_text && access(FONT, R_OK) == 0, graph,
			           sizeof graph);
		rc = open_input(src, "lavfi", graph, NULL);
		if (rc == 0) {
			snprintf(src->desc, sizeof src->desc, "lavfi test source");
			return 0;
		}
		close_parts(src);
		if (cfg->test_graph || kind == CAB_MEDIA_AUDIO)
			break;
	}
	cab_err("media", "%s: test source failed: %s", label, av_err2str(rc));
	return rc;
}

int cab_media_source_read(struct cab_media_source *src, AVFrame *frame)
{
	av_frame_unref(frame);
	for (;;) {
		int rc = avcodec_receive_frame(src->dec, frame);
		if (rc == 0) {
			if (frame->best_effort_timestamp != AV_NOPTS_VALUE)
				frame->pts = frame->best_effort_timestamp;
			return 0;
		}
		if (rc != AVERROR(EAGAIN))
			return rc;
		if (src->stop && *src->stop)
			return AVERROR_EXIT;
		rc = av_read_frame(src->fmt, src->pkt);
		if (rc == AVERROR_EOF) {
			avcodec_send_packet(src->dec, NULL);
			continue;
		}
		if (rc < 0)
			return rc;
		if (src->pkt->stream_index == src->stream_index)
			rc = avcodec_send_packet(src->dec, src->pkt);
		av_packet_unref(src->pkt);
		if (rc < 0 && rc != AVERROR(EAGAIN))
			return rc;
	}
}

int64_t cab_media_source_pts_us(const struct cab_media_source *src, int64_t pts)
{
	return av_rescale_q(pts, (AVRational){src->tb_num, src->tb_den}, (AVRational){1, 1000000});
}

void cab_media_source_close(struct cab_media_source *src)
{
	close_parts(src);
}
