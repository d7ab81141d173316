/* test_media_v4l2.c — the still-size choice (pure): largest area wins, MJPEG then
 * YUYV on a tie, empty sizes skipped. The ioctl side is covered by
 * tests/media/v4l2_sizes.test.sh against an emulated camera. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <linux/videodev2.h>

#include "kiosk/media/media_v4l2.h"

static void largest_area_then_mjpeg(void **state)
{
	(void)state;
	char size[24], fmt[16];
	const struct cab_media_frame_size a[] = {
	    {V4L2_PIX_FMT_YUYV, 1600, 1200},
	    {V4L2_PIX_FMT_MJPEG, 1600, 1200},
	    {V4L2_PIX_FMT_YUYV, 1280, 1024},
	};
	assert_int_equal(cab_media_pick_still_size(a, 3, size, fmt), 0);
	assert_string_equal(size, "1600x1200");
	assert_string_equal(fmt, "mjpeg");
	const struct cab_media_frame_size b[] = {
	    {V4L2_PIX_FMT_MJPEG, 1024, 768},
	    {V4L2_PIX_FMT_YUYV, 1280, 960}, /* larger: wins though uncompressed */
	    {V4L2_PIX_FMT_H264, 0, 0},
	};
	assert_int_equal(cab_media_pick_still_size(b, 3, size, fmt), 0);
	assert_string_equal(size, "1280x960");
	assert_string_equal(fmt, "yuyv422");
	const struct cab_media_frame_size c[] = {{V4L2_PIX_FMT_H264, 1920, 1080}};
	assert_int_equal(cab_media_pick_still_size(c, 1, size, fmt), 0);
	assert_string_equal(size, "1920x1080");
	assert_string_equal(fmt, ""); /* let libavdevice choose */
	const struct cab_media_frame_size z[] = {{V4L2_PIX_FMT_MJPEG, 0, 480}};
	assert_int_equal(cab_media_pick_still_size(z, 1, size, fmt), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(largest_area_then_mjpeg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
