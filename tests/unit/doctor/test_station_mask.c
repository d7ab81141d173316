/* test_station_mask.c — the RFC 6455 5.1 masking follower (doctor/station_mask.h):
 * frames built by hand after an HTTP request, masked and not, split anywhere. */
#include "doctor/station_mask.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n";

/* A frame: opcode, MASKED, payload of LEN bytes (value 'a'), into OUT; its size. */
static size_t frame(unsigned char *out, int opcode, int masked, size_t len)
{
	size_t k = 0;
	out[k++] = (unsigned char)(0x80 | opcode);
	unsigned char m = masked ? 0x80 : 0;
	if (len < 126) {
		out[k++] = (unsigned char)(m | len);
	} else if (len < 65536) {
		out[k++] = m | 126;
		out[k++] = (unsigned char)(len >> 8);
		out[k++] = (unsigned char)len;
	} else {
		out[k++] = m | 127;
		for (int i = 7; i >= 0; i--)
			out[k++] = (unsigned char)((uint64_t)len >> (8 * i));
	}
	if (masked)
		for (int i = 0; i < 4; i++)
			out[k++] = (unsigned char)(0x11 * (i + 1));
	memset(out + k, 'a', len);
	return k + len;
}

static unsigned char buf[200000];

static void masked_frames_pass_whole_or_byte_by_byte(void **state)
{
	(void)state;
	size_t n = strlen(req);
	memcpy(buf, req, n);
	n += frame(buf + n, 1, 1, 5);
	n += frame(buf + n, 2, 1, 300);    /* 16-bit length */
	n += frame(buf + n, 2, 1, 70000);  /* 64-bit length */
	n += frame(buf + n, 9, 1, 0);      /* a ping, empty */
	struct stn_mask m = {0};
	assert_int_equal(stn_mask_feed(&m, buf, n), 0);
	assert_int_equal(m.frames, 4);
	struct stn_mask b = {0};
	for (size_t i = 0; i < n; i++)
		assert_int_equal(stn_mask_feed(&b, buf + i, 1), 0);
	assert_int_equal(b.frames, 4);
}

static void an_unmasked_frame_is_caught(void **state)
{
	(void)state;
	size_t n = strlen(req);
	memcpy(buf, req, n);
	n += frame(buf + n, 1, 1, 200);
	size_t first = n;
	n += frame(buf + n, 1, 0, 10); /* the second frame is not masked */
	struct stn_mask m = {0};
	assert_int_equal(stn_mask_feed(&m, buf, first), 0);
	assert_int_equal(stn_mask_feed(&m, buf + first, n - first), 1);
	assert_int_equal(stn_mask_feed(&m, buf, 1), 1); /* sticky */
	/* the request's own bytes are not taken for frames */
	struct stn_mask h = {0};
	assert_int_equal(stn_mask_feed(&h, (const unsigned char *)req, strlen(req) - 1), 0);
	assert_int_equal(h.frames, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(masked_frames_pass_whole_or_byte_by_byte),
	    cmocka_unit_test(an_unmasked_frame_is_caught),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
