/* test_media_venc.c — the live encoder keeps a picture's shape: where a camera frame
 * goes inside the rung's frame (pure cab_media_fit_rect), and a 4:3 exam-camera
 * frame encoded into a 16:9 rung decodes with black bars left and right and the
 * picture between them. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <string.h>

#include "kiosk/media/media_venc.h"

#define FIT(sw, sh, sn, sd, dw, dh, ex, ey, ew, eh)                                                \
	do {                                                                                       \
		int x, y, w, h;                                                                    \
		cab_media_fit_rect(sw, sh, sn, sd, dw, dh, &x, &y, &w, &h);                        \
		assert_int_equal(x, ex);                                                           \
		assert_int_equal(y, ey);                                                           \
		assert_int_equal(w, ew);                                                           \
		assert_int_equal(h, eh);                                                           \
	} while (0)

static void fit_rect(void **state)
{
	(void)state;
	FIT(1280, 720, 0, 0, 640, 360, 0, 0, 640, 360); /* same shape: whole frame */
	FIT(1920, 1080, 1, 1, 1280, 720, 0, 0, 1280, 720);
	FIT(1600, 1200, 0, 0, 640, 360, 80, 0, 480, 360); /* 4:3 otoscope: pillarbox */
	FIT(1280, 960, 0, 0, 1280, 720, 160, 0, 960, 720);
	FIT(2560, 720, 0, 0, 640, 360, 0, 90, 640, 180);  /* wider: letterbox */
	FIT(720, 1280, 0, 0, 640, 360, 218, 0, 202, 360); /* portrait: even sizes */
	FIT(720, 576, 16, 15, 640, 360, 80, 0, 480, 360); /* PAL 4:3 with its pixel aspect */
}

/* decodes each packet the encoder emits; keeps the last picture */
struct dec {
	AVCodecContext *c;
	AVFrame *f, *last;
	int pictures;
};

static int emit(void *user, const AVPacket *pkt, int64_t pts_us, int is_key)
{
	(void)pts_us;
	(void)is_key;
	struct dec *d = user;
	if (avcodec_send_packet(d->c, pkt) < 0)
		return -1;
	while (avcodec_receive_frame(d->c, d->f) == 0) {
		av_frame_unref(d->last);
		av_frame_move_ref(d->last, d->f);
		d->pictures++;
	}
	return 0;
}

static void pillarbox_decodes(void **state)
{
	(void)state;
	struct cab_media_venc v;
	assert_int_equal(cab_media_venc_open(&v, 640, 360, 30, 800, NULL), 0);
	struct dec d = {avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264)),
	                av_frame_alloc(), av_frame_alloc(), 0};
	assert_non_null(d.c);
	assert_int_equal(avcodec_open2(d.c, NULL, NULL), 0);
	AVFrame *in = av_frame_alloc();
	in->format = AV_PIX_FMT_YUV420P;
	in->width = 1600;
	in->height = 1200;
	assert_int_equal(av_frame_get_buffer(in, 0), 0);
	/* BT.601 limited-range red: Y 81, Cb 90, Cr 240 */
	for (int r = 0; r < 1200; r++)
		memset(in->data[0] + r * in->linesize[0], 81, 1600);
	for (int r = 0; r < 600; r++) {
		memset(in->data[1] + r * in->linesize[1], 90, 800);
		memset(in->data[2] + r * in->linesize[2], 240, 800);
	}
	for (int i = 0; i < 3; i++)
		assert_int_equal(cab_media_venc_encode(&v, in, i * 33334, emit, &d), 0);
	assert_true(d.pictures >= 1);
	assert_int_equal(d.last->width, 640);
	assert_int_equal(d.last->height, 360);
	const uint8_t *y = d.last->data[0], *cr = d.last->data[2];
	int ls = d.last->linesize[0], lc = d.last->linesize[2];
	/* black bars 80 pixels wide left and right, the red picture between them */
	assert_in_range(y[180 * ls + 20], 10, 22);
	assert_in_range(y[180 * ls + 620], 10, 22);
	assert_in_range(cr[90 * lc + 10], 120, 136);
	assert_in_range(y[180 * ls + 320], 75, 87);
	assert_in_range(y[10 * ls + 100], 75, 87);
	assert_in_range(cr[90 * lc + 160], 230, 250);
	av_frame_free(&in);
	av_frame_free(&d.f);
	av_frame_free(&d.last);
	avcodec_free_context(&d.c);
	cab_media_venc_close(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fit_rect),
	    cmocka_unit_test(pillarbox_decodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
