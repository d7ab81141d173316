/* media_still.c — JPEG still encoding with libavcodec's mjpeg encoder and
 * libswscale (full-range YUV 4:2:0, as JFIF expects: ITU-T T.871). */
#include "media_still.h"

#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <stdlib.h>
#include <string.h>

#include "media_packet.h"

int cab_media_still_encode(const AVFrame *frame, int quality, struct cab_media_still *out)
{
	AVCodecContext *c = NULL;
	AVFrame *yuv = NULL;
	AVPacket *pkt = NULL;
	struct SwsContext *sws = NULL;
	int rc;
	memset(out, 0, sizeof *out);
	const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
	if (!codec)
		return AVERROR_ENCODER_NOT_FOUND;
	c = avcodec_alloc_context3(codec);
	yuv = av_frame_alloc();
	pkt = av_packet_alloc();
	if (!c || !yuv || !pkt) {
		rc = AVERROR(ENOMEM);
		goto out;
	}
	c->width = frame->width;
	c->height = frame->height;
	c->pix_fmt = AV_PIX_FMT_YUVJ420P;
	c->time_base = (AVRational){1, 25};
	c->flags |= AV_CODEC_FLAG_QSCALE;
	c->global_quality = FF_QP2LAMBDA * (quality > 0 ? quality : 3);
	rc = avcodec_open2(c, codec, NULL);
	if (rc < 0)
		goto out;
	yuv->format = AV_PIX_FMT_YUVJ420P;
	yuv->width = frame->width;
	yuv->height = frame->height;
	rc = av_frame_get_buffer(yuv, 0);
	if (rc < 0)
		goto out;
	sws = sws_getContext(frame->width, frame->height, frame->format, frame->width,
	                     frame->height, AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, NULL, NULL, NULL);
	if (!sws) {
		rc = AVERROR(EINVAL);
		goto out;
	}
	sws_scale(sws, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height,
	          yuv->data, yuv->linesize);
	yuv->pts = 0;
	yuv->quality = c->global_quality;
	rc = avcodec_send_frame(c, yuv);
	if (rc >= 0)
		rc = avcodec_send_frame(c, NULL);
	if (rc >= 0)
		rc = avcodec_receive_packet(c, pkt);
	if (rc < 0)
		goto out;
	if (pkt->size <= 0 || (size_t)pkt->size > CAB_MEDIA_PKT_MAX_PAYLOAD) {
		rc = AVERROR(E2BIG);
		goto out;
	}
	out->jpeg = malloc((size_t)pkt->size);
	if (!out->jpeg) {
		rc = AVERROR(ENOMEM);
		goto out;
	}
	memcpy(out->jpeg, pkt->data, (size_t)pkt->size);
	out->len = (size_t)pkt->size;
	out->width = frame->width;
	out->height = frame->height;
	if (cab_media_sha256(out->jpeg, out->len, out->sha256) < 0) {
		cab_media_still_free(out);
		rc = AVERROR(EINVAL);
		goto out;
	}
	rc = 0;
out:
	sws_freeContext(sws);
	av_packet_free(&pkt);
	av_frame_free(&yuv);
	avcodec_free_context(&c);
	return rc;
}

void cab_media_still_free(struct cab_media_still *out)
{
	free(out->jpeg);
	memset(out, 0, sizeof *out);
}
