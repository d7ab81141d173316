/* media_venc.c — libx264 live encoder with live ladder changes (media_venc.h).
 * Settings follow the x264 documentation (tune zerolatency: no lookahead, no
 * B-frames, sliced threads) and issue 6 (baseline, keyframe every 2 s). */
#include "media_venc.h"

#include <libavcodec/avcodec.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
#include <stddef.h>
#include <string.h>

#include "log.h"

static int open_ctx(struct cab_media_venc *v)
{
	const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
	if (!codec)
		return AVERROR_ENCODER_NOT_FOUND;
	AVCodecContext *c = avcodec_alloc_context3(codec);
	if (!c)
		return AVERROR(ENOMEM);
	c->width = v->width;
	c->height = v->height;
	c->pix_fmt = AV_PIX_FMT_YUV420P;
	c->time_base = (AVRational){1, 1000000};
	c->framerate = (AVRational){v->fps, 1};
	c->gop_size = 2 * v->fps; /* an IDR at least every 2 s */
	c->keyint_min = v->fps;
	c->max_b_frames = 0;
	c->bit_rate = (int64_t)v->kbps * 1000;
	c->rc_max_rate = c->bit_rate;
	c->rc_buffer_size = (int)(c->bit_rate / 2); /* 500 ms VBV: bounded bursts */
	c->thread_count = 2;
	av_opt_set(c->priv_data, "preset", v->preset, 0);
	av_opt_set(c->priv_data, "tune", "zerolatency", 0);
	av_opt_set(c->priv_data, "profile", "baseline", 0);
	av_opt_set(c->priv_data, "forced-idr", "1", 0);
	int rc = avcodec_open2(c, codec, NULL);
	if (rc < 0) {
		avcodec_free_context(&c);
		return rc;
	}
	v->ctx = c;
	av_frame_free(&v->scaled);
	v->scaled = av_frame_alloc();
	if (!v->scaled)
		return AVERROR(ENOMEM);
	v->scaled->format = AV_PIX_FMT_YUV420P;
	v->scaled->width = v->width;
	v->scaled->height = v->height;
	rc = av_frame_get_buffer(v->scaled, 0);
	if (rc < 0)
		return rc;
	v->force_key = 1;
	return 0;
}

int cab_media_venc_open(struct cab_media_venc *v, int width, int height, int fps, uint32_t kbps,
                        const char *preset)
{
	memset(v, 0, sizeof *v);
	v->width = width;
	v->height = height;
	v->fps = fps;
	v->kbps = kbps;
	v->preset = preset ? preset : "ultrafast";
	v->last_pts_us = -1;
	int rc = open_ctx(v);
	if (rc < 0)
		cab_media_venc_close(v);
	return rc;
}

int cab_media_venc_reconfigure(struct cab_media_venc *v, int width, int height, int fps,
                               uint32_t kbps)
{
	avcodec_free_context(&v->ctx);
	sws_freeContext(v->sws);
	v->sws = NULL;
	v->width = width;
	v->height = height;
	v->fps = fps;
	v->kbps = kbps;
	v->next_due_us = 0;
	v->reopen_count++;
	int rc = open_ctx(v);
	if (rc < 0) {
		cab_err("media", "video encoder reopen at %dx%d failed: %s", width, height,
		        av_err2str(rc));
		cab_media_venc_close(v);
	}
	return rc;
}

void cab_media_fit_rect(int src_w, int src_h, int sar_num, int sar_den, int dst_w, int dst_h,
                        int *x, int *y, int *w, int *h)
{
	int64_t sw = src_w, sh = src_h;
	if (sar_num > 0 && sar_den > 0) {
		sw *= sar_num;
		sh *= sar_den;
	}
	int64_t fw = dst_w, fh = dst_h;
	if (sw > 0 && sh > 0) {
		if (sw * dst_h > sh * dst_w) /* wider than the frame: bars above and below */
			fh = dst_w * sh / sw;
		else
			fw = dst_h * sw / sh;
	}
	*w = (int)(fw & ~1);
	*h = (int)(fh & ~1);
	if (*w < 2)
		*w = dst_w < 2 ? dst_w : 2;
	if (*h < 2)
		*h = dst_h < 2 ? dst_h : 2;
	*x = ((dst_w - *w) / 2) & ~1;
	*y = ((dst_h - *h) / 2) & ~1;
}

/* Paints the frame black (BT.601 limited range: Y 16, Cb Cr 128) outside the
 * picture rectangle X, Y, W, H (even values). */
static void paint_bars(struct AVFrame *f, int x, int y, int w, int h)
{
	for (int p = 0; p < 3; p++) {
		int sh = p ? 1 : 0, fw = f->width >> sh, fh = f->height >> sh;
		int px = x >> sh, py = y >> sh, pw = w >> sh, ph = h >> sh;
		uint8_t v = p ? 128 : 16;
		for (int r = 0; r < fh; r++) {
			uint8_t *row = f->data[p] + (ptrdiff_t)r * f->linesize[p];
			if (r < py || r >= py + ph) {
				memset(row, v, (size_t)fw);
			} else {
				memset(row, v, (size_t)px);
				memset(row + px + pw, v, (size_t)(fw - px - pw));
			}
		}
	}
}

void cab_media_venc_request_key(struct cab_media_venc *v)
{
	v->force_key = 1;
}

static int drain(struct cab_media_venc *v, cab_media_venc_emit emit, void *user)
{
	AVPacket *pkt = av_packet_alloc();
	if (!pkt)
		return AVERROR(ENOMEM);
	int rc;
	while ((rc = avcodec_receive_packet(v->ctx, pkt)) == 0) {
		int key = (pkt->flags & AV_PKT_FLAG_KEY) != 0;
		v->keyframes += key;
		if (emit(user, pkt, pkt->pts, key) < 0) {
			av_packet_unref(pkt);
			rc = AVERROR(EIO);
			break;
		}
		av_packet_unref(pkt);
	}
	av_packet_free(&pkt);
	return rc == AVERROR(EAGAIN) || rc == AVERROR_EOF ? 0 : rc;
}

int cab_media_venc_encode(struct cab_media_venc *v, const AVFrame *frame, int64_t pts_us,
                          cab_media_venc_emit emit, void *user)
{
	if (!v->ctx)
		return AVERROR(EINVAL);
	v->frames_in++;
	int64_t period = 1000000 / v->fps;
	/* Accept a frame when it reaches the next slot; tolerate 25 % early jitter. */
	if (v->next_due_us && pts_us < v->next_due_us - period / 4)
		return 0;
	if (pts_us <= v->last_pts_us)
		return 0;
	v->next_due_us = (v->next_due_us && pts_us - v->next_due_us < period)
	                     ? v->next_due_us + period
	                     : pts_us + period;
	int x, y, w, h;
	cab_media_fit_rect(frame->width, frame->height, frame->sample_aspect_ratio.num,
	                   frame->sample_aspect_ratio.den, v->width, v->height, &x, &y, &w, &h);
	v->sws = sws_getCachedContext(v->sws, frame->width, frame->height, frame->format, w, h,
	                              AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL, NULL);
	if (!v->sws)
		return AVERROR(EINVAL);
	int rc = av_frame_make_writable(v->scaled);
	if (rc < 0)
		return rc;
	AVFrame *o = v->scaled;
	uint8_t *dst[4] = {o->data[0] + (ptrdiff_t)y * o->linesize[0] + x,
	                   o->data[1] + (ptrdiff_t)(y / 2) * o->linesize[1] + x / 2,
	                   o->data[2] + (ptrdiff_t)(y / 2) * o->linesize[2] + x / 2, NULL};
	if (w != v->width || h != v->height)
		paint_bars(o, x, y, w, h);
	sws_scale(v->sws, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height,
	          dst, o->linesize);
	v->scaled->pts = pts_us;
	v->scaled->pict_type = v->force_key ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
	v->force_key = 0;
	v->last_pts_us = pts_us;
	rc = avcodec_send_frame(v->ctx, v->scaled);
	if (rc < 0)
		return rc;
	v->frames_encoded++;
	return drain(v, emit, user);
}

void cab_media_venc_close(struct cab_media_venc *v)
{
	avcodec_free_context(&v->ctx);
	sws_freeContext(v->sws);
	v->sws = NULL;
	av_frame_free(&v->scaled);
}
