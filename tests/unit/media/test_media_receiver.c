/* test_media_receiver.c — the receiver on its own: refused messages are counted,
 * an over-large picture is refused by the decoder bound, a keyframe made by the
 * real encoder decodes at the requested size and format. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <libavcodec/avcodec.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/media/media_receiver.h"
#include "kiosk/media/media_venc.h"

struct got {
	int frames, w, h, fmt;
	uint8_t first_rgba[4];
};

static void on_video(void *user, const struct cab_media_video_frame *f)
{
	struct got *g = user;
	g->frames++;
	g->w = f->width;
	g->h = f->height;
	g->fmt = f->format;
	memcpy(g->first_rgba, f->data[0], 4);
}

struct enc_out {
	uint8_t *msg[4];
	size_t len[4];
	int n;
};

static int emit(void *user, const AVPacket *pkt, int64_t pts_us, int key)
{
	struct enc_out *o = user;
	struct cab_media_packet p = {0};
	p.type = CAB_MEDIA_PKT_MEDIA;
	p.codec = CAB_MEDIA_CODEC_H264;
	p.flags = key ? CAB_MEDIA_FLAG_KEY : 0;
	p.seq = (uint32_t)o->n;
	p.pts_us = pts_us;
	p.payload = pkt->data;
	p.payload_len = (uint32_t)pkt->size;
	size_t n = cab_media_packet_size(&p);
	if (o->n >= 4)
		return -1;
	o->msg[o->n] = malloc(n);
	assert_non_null(o->msg[o->n]);
	assert_int_equal(cab_media_packet_write(&p, o->msg[o->n], n), (long)n);
	o->len[o->n++] = n;
	return 0;
}

/* One grey frame WxH encoded by the live encoder into O. */
static void encode_one(int w, int h, struct enc_out *o)
{
	struct cab_media_venc v;
	assert_int_equal(cab_media_venc_open(&v, w, h, 30, 2000, NULL), 0);
	AVFrame *f = av_frame_alloc();
	f->format = AV_PIX_FMT_YUV420P;
	f->width = w;
	f->height = h;
	assert_int_equal(av_frame_get_buffer(f, 0), 0);
	for (int i = 0; i < 3; i++)
		memset(f->data[i], 128, (size_t)f->linesize[i] * (size_t)(i ? h / 2 : h));
	assert_int_equal(cab_media_venc_encode(&v, f, 0, emit, o), 0);
	av_frame_free(&f);
	cab_media_venc_close(&v);
	assert_int_equal(o->n, 1);
}

static void decodes_at_requested_size_rgba(void **state)
{
	(void)state;
	struct got g = {0};
	struct cab_media_receiver_cfg cfg = {CAB_MEDIA_PIX_RGBA,
	                                     320,
	                                     180,
	                                     CAB_MEDIA_SAMPLE_S16,
	                                     0,
	                                     0,
	                                     on_video,
	                                     NULL,
	                                     NULL,
	                                     NULL,
	                                     &g};
	struct cab_media_receiver *r = cab_media_receiver_new(&cfg);
	struct enc_out o = {0};
	encode_one(640, 360, &o);
	assert_int_equal(cab_media_receiver_push(r, o.msg[0], o.len[0]), 0);
	assert_int_equal(g.frames, 1);
	assert_int_equal(g.w, 320);
	assert_int_equal(g.h, 180);
	assert_int_equal(g.fmt, CAB_MEDIA_PIX_RGBA);
	/* mid grey (Y=U=V=128, limited range) converts to about 130,130,130 opaque */
	for (int i = 0; i < 3; i++)
		assert_true(g.first_rgba[i] >= 120 && g.first_rgba[i] <= 140);
	assert_int_equal(g.first_rgba[3], 255);
	struct cab_media_receiver_stats st;
	cab_media_receiver_stats(r, &st);
	assert_int_equal(st.video_width, 640);
	assert_int_equal(st.decode_errors, 0);
	free(o.msg[0]);
	cab_media_receiver_free(r);
}

/* 2560x1440 is above CAB_MEDIA_RX_MAX_PIXELS: refused, counted, nothing shown. */
static void oversized_picture_refused(void **state)
{
	(void)state;
	struct got g = {0};
	struct cab_media_receiver_cfg cfg = {CAB_MEDIA_PIX_YUV420P,
	                                     0,
	                                     0,
	                                     CAB_MEDIA_SAMPLE_S16,
	                                     0,
	                                     0,
	                                     on_video,
	                                     NULL,
	                                     NULL,
	                                     NULL,
	                                     &g};
	struct cab_media_receiver *r = cab_media_receiver_new(&cfg);
	struct enc_out o = {0};
	encode_one(2560, 1440, &o);
	assert_int_equal(cab_media_receiver_push(r, o.msg[0], o.len[0]), 1);
	assert_int_equal(g.frames, 0);
	struct cab_media_receiver_stats st;
	cab_media_receiver_stats(r, &st);
	assert_true(st.decode_errors >= 1);
	free(o.msg[0]);
	cab_media_receiver_free(r);
}

static void bad_messages_counted(void **state)
{
	(void)state;
	struct cab_media_receiver_cfg cfg = {0};
	struct cab_media_receiver *r = cab_media_receiver_new(&cfg);
	uint8_t junk[30] = {2};
	assert_int_equal(cab_media_receiver_push(r, junk, sizeof junk), CAB_MEDIA_PKT_EVERSION);
	assert_int_equal(cab_media_receiver_push(r, junk, 3), CAB_MEDIA_PKT_ETRUNC);
	struct cab_media_receiver_stats st;
	cab_media_receiver_stats(r, &st);
	assert_int_equal(st.bad_messages, 2);
	assert_int_equal(st.messages, 0);
	assert_int_equal(st.last_video_pts_us, -1);
	cab_media_receiver_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decodes_at_requested_size_rgba),
	    cmocka_unit_test(oversized_picture_refused),
	    cmocka_unit_test(bad_messages_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
