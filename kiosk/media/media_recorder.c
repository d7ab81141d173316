/* media_recorder.c — Matroska recording of received packets (media_recorder.h).
 * H.264 parameter sets come from the first keyframe through libavcodec's
 * extract_extradata bitstream filter; Opus tracks carry the OpusHead of the stream
 * config (RFC 7845 §5.1), or a mono 48 kHz one until it is known. */
#include "media_recorder.h"

#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "media_packet.h"
#include "media_source.h"

#define MAX_TRACKS 8
#define MAX_PENDING 256

const struct cab_media_track cab_media_default_tracks[3] = {
    {CAB_MEDIA_STREAM_VIDEO, CAB_MEDIA_CODEC_H264},
    {CAB_MEDIA_STREAM_AUDIO, CAB_MEDIA_CODEC_OPUS},
    {CAB_MEDIA_STREAM_STETHOSCOPE, CAB_MEDIA_CODEC_OPUS},
};

struct track {
	struct cab_media_track t;
	AVStream *st;
	int have_key;     /* H.264: a keyframe seen (decoding can start) */
	int64_t last_dts; /* in the stream time base, strictly increasing */
	uint8_t extradata[512];
	int extradata_len;
	int width, height;
};

struct pending {
	uint8_t *msg;
	size_t len;
};

struct cab_media_recorder {
	AVFormatContext *oc;
	struct track tr[MAX_TRACKS];
	int n;
	struct pending pend[MAX_PENDING];
	int npend;
	int64_t base_us; /* pts subtracted so the file starts near 0 */
	int failed;
	struct cab_media_recorder_stats st;
};

static struct track *find(struct cab_media_recorder *r, uint8_t stream, uint8_t codec)
{
	for (int i = 0; i < r->n; i++)
		if (r->tr[i].t.stream == stream && r->tr[i].t.codec == codec)
			return &r->tr[i];
	return NULL;
}

struct cab_media_recorder *cab_media_recorder_open(const char *path,
                                                   const struct cab_media_track *tracks, int n)
{
	if (n < 1 || n > MAX_TRACKS)
		return NULL;
	cab_media_global_init();
	struct cab_media_recorder *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	int rc = avformat_alloc_output_context2(&r->oc, NULL, "matroska", path);
	if (rc < 0 || !r->oc)
		goto fail;
	rc = avio_open(&r->oc->pb, path, AVIO_FLAG_WRITE);
	if (rc < 0)
		goto fail;
	r->n = n;
	r->base_us = -1;
	for (int i = 0; i < n; i++) {
		r->tr[i].t = tracks[i];
		r->tr[i].last_dts = INT64_MIN;
	}
	return r;
fail:
	cab_err("media", "recorder: cannot create the file: %s", av_err2str(rc));
	if (r->oc)
		avio_closep(&r->oc->pb);
	avformat_free_context(r->oc);
	free(r);
	return NULL;
}

/* Extracts SPS/PPS from an H.264 keyframe with the extract_extradata filter. */
static void h264_extradata(struct track *t, const struct cab_media_packet *p)
{
	const AVBitStreamFilter *f = av_bsf_get_by_name("extract_extradata");
	AVBSFContext *bsf = NULL;
	AVPacket *pkt = av_packet_alloc();
	if (!f || !pkt || av_bsf_alloc(f, &bsf) < 0)
		goto out;
	bsf->par_in->codec_id = AV_CODEC_ID_H264;
	bsf->par_in->codec_type = AVMEDIA_TYPE_VIDEO;
	if (av_bsf_init(bsf) < 0 || av_new_packet(pkt, (int)p->payload_len) < 0)
		goto out;
	memcpy(pkt->data, p->payload, p->payload_len);
	if (av_bsf_send_packet(bsf, pkt) < 0 || av_bsf_receive_packet(bsf, pkt) < 0)
		goto out;
	size_t sz = 0;
	uint8_t *x = av_packet_get_side_data(pkt, AV_PKT_DATA_NEW_EXTRADATA, &sz);
	if (x && sz > 0 && sz <= sizeof t->extradata) {
		memcpy(t->extradata, x, sz);
		t->extradata_len = (int)sz;
	}
out:
	av_packet_free(&pkt);
	av_bsf_free(&bsf);
}

/* A mono 48 kHz OpusHead with libopus' 312-sample pre-skip (RFC 7845 §5.1). */
static int default_opus_head(uint8_t *b)
{
	static const uint8_t head[19] = {'O',  'p',  'u',  's',  'H',  'e',  'a', 'd', 1, 1,
	                                 0x38, 0x01, 0x80, 0xBB, 0x00, 0x00, 0,   0,   0};
	memcpy(b, head, sizeof head);
	return (int)sizeof head;
}

static int write_header(struct cab_media_recorder *r)
{
	for (int i = 0; i < r->n; i++) {
		struct track *t = &r->tr[i];
		AVStream *st = avformat_new_stream(r->oc, NULL);
		if (!st)
			return AVERROR(ENOMEM);
		t->st = st;
		AVCodecParameters *par = st->codecpar;
		if (t->t.codec == CAB_MEDIA_CODEC_H264) {
			par->codec_type = AVMEDIA_TYPE_VIDEO;
			par->codec_id = AV_CODEC_ID_H264;
			par->width = t->width ? t->width : 1280;
			par->height = t->height ? t->height : 720;
		} else {
			par->codec_type = AVMEDIA_TYPE_AUDIO;
			par->codec_id = AV_CODEC_ID_OPUS;
			par->sample_rate = 48000;
			av_channel_layout_default(&par->ch_layout, 1);
			if (!t->extradata_len)
				t->extradata_len = default_opus_head(t->extradata);
			par->initial_padding = 312;
		}
		if (t->extradata_len) {
			par->extradata =
			    av_mallocz((size_t)t->extradata_len + AV_INPUT_BUFFER_PADDING_SIZE);
			if (!par->extradata)
				return AVERROR(ENOMEM);
			memcpy(par->extradata, t->extradata, (size_t)t->extradata_len);
			par->extradata_size = t->extradata_len;
		}
		st->time_base = (AVRational){1, 1000};
	}
	/* Crash-safe enough for a live record: a cluster at least every second, written
	 * through at once, and no more than 1 s held back waiting for a silent track
	 * (the stethoscope is silent most of the time); a killed station loses about
	 * the last second, not the session. */
	AVDictionary *opts = NULL;
	av_dict_set(&opts, "cluster_time_limit", "1000", 0);
	r->oc->flush_packets = 1;
	r->oc->max_interleave_delta = 1000000;
	int rc = avformat_write_header(r->oc, &opts);
	av_dict_free(&opts);
	if (rc >= 0)
		r->st.header_written = 1;
	return rc;
}

static int write_packet(struct cab_media_recorder *r, const struct cab_media_packet *p)
{
	struct track *t = find(r, p->stream, p->codec);
	if (!t || !t->st || (t->t.codec == CAB_MEDIA_CODEC_H264 && !t->have_key)) {
		r->st.ignored++;
		return 0;
	}
	int64_t rel = p->pts_us - r->base_us;
	int64_t ts = av_rescale_q(rel < 0 ? 0 : rel, (AVRational){1, 1000000}, t->st->time_base);
	if (ts <= t->last_dts) {
		r->st.ignored++;
		return 0;
	}
	AVPacket *pkt = av_packet_alloc();
	if (!pkt || av_new_packet(pkt, (int)p->payload_len) < 0) {
		av_packet_free(&pkt);
		return AVERROR(ENOMEM);
	}
	memcpy(pkt->data, p->payload, p->payload_len);
	pkt->pts = pkt->dts = ts;
	pkt->stream_index = t->st->index;
	if (p->flags & CAB_MEDIA_FLAG_KEY)
		pkt->flags |= AV_PKT_FLAG_KEY;
	t->last_dts = ts;
	int rc = av_interleaved_write_frame(r->oc, pkt);
	av_packet_free(&pkt);
	if (rc >= 0)
		r->st.written++;
	return rc;
}

/* Notes what a packet tells about its track before the header exists. */
static void learn(struct cab_media_recorder *r, const struct cab_media_packet *p)
{
	struct track *t = find(r, p->stream, p->codec);
	if (!t)
		return;
	if (p->has_config && p->codec == CAB_MEDIA_CODEC_H264 && !t->width) {
		t->width = p->config.width;
		t->height = p->config.height;
	}
	if (p->has_config && p->codec == CAB_MEDIA_CODEC_OPUS && !t->extradata_len &&
	    p->config.extradata_len && p->config.extradata_len <= sizeof t->extradata) {
		memcpy(t->extradata, p->config.extradata, p->config.extradata_len);
		t->extradata_len = p->config.extradata_len;
	}
	if (p->codec == CAB_MEDIA_CODEC_H264 && (p->flags & CAB_MEDIA_FLAG_KEY) &&
	    !t->extradata_len)
		h264_extradata(t, p);
}

static int ready(const struct cab_media_recorder *r)
{
	for (int i = 0; i < r->n; i++)
		if (r->tr[i].t.codec == CAB_MEDIA_CODEC_H264 && !r->tr[i].extradata_len)
			return 0;
	return 1;
}

/* Writes the header, then every buffered message in arrival order. */
static int flush_pending(struct cab_media_recorder *r)
{
	int rc = write_header(r);
	for (int i = 0; i < r->npend; i++) {
		struct cab_media_packet p;
		if (rc >= 0 && cab_media_packet_parse(r->pend[i].msg, r->pend[i].len, &p) == 0) {
			struct track *t = find(r, p.stream, p.codec);
			if (t && p.codec == CAB_MEDIA_CODEC_H264 && (p.flags & CAB_MEDIA_FLAG_KEY))
				t->have_key = 1;
			rc = write_packet(r, &p);
		}
		free(r->pend[i].msg);
	}
	r->npend = 0;
	return rc;
}

int cab_media_recorder_write(struct cab_media_recorder *r, const uint8_t *msg, size_t len)
{
	struct cab_media_packet p;
	int rc = 0;
	if (r->failed)
		return -1;
	if (cab_media_packet_parse(msg, len, &p) != CAB_MEDIA_PKT_OK) {
		r->st.refused++;
		return 0;
	}
	if (p.type != CAB_MEDIA_PKT_MEDIA || !find(r, p.stream, p.codec)) {
		r->st.ignored++;
		return 0;
	}
	if (!r->st.header_written) {
		if (r->base_us < 0)
			r->base_us = p.pts_us;
		if (r->base_us > p.pts_us)
			r->base_us = p.pts_us;
		learn(r, &p);
		uint8_t *copy = malloc(len);
		if (!copy)
			return -1;
		memcpy(copy, msg, len);
		r->pend[r->npend++] = (struct pending){copy, len};
		if (ready(r) || r->npend == MAX_PENDING)
			rc = flush_pending(r);
	} else {
		struct track *t = find(r, p.stream, p.codec);
		if (p.codec == CAB_MEDIA_CODEC_H264 && (p.flags & CAB_MEDIA_FLAG_KEY))
			t->have_key = 1;
		rc = write_packet(r, &p);
	}
	if (rc < 0) {
		cab_err("media", "recorder: write failed: %s", av_err2str(rc));
		r->failed = 1;
		return -1;
	}
	return 0;
}

void cab_media_recorder_stats(const struct cab_media_recorder *r,
                              struct cab_media_recorder_stats *out)
{
	*out = r->st;
}

int cab_media_recorder_close(struct cab_media_recorder *r)
{
	if (!r)
		return 0;
	int rc = 0;
	if (!r->failed && !r->st.header_written && r->npend > 0)
		rc = flush_pending(r);
	for (int i = 0; i < r->npend; i++)
		free(r->pend[i].msg);
	if (!r->failed && r->st.header_written && rc >= 0)
		rc = av_write_trailer(r->oc);
	avio_closep(&r->oc->pb);
	avformat_free_context(r->oc);
	free(r);
	return rc < 0 ? -1 : 0;
}
