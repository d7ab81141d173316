/* test_media_packet.c — the media link message: a byte-exact vector from
 * docs/media.md "The sender's packets", round trips, and every malformed-input error. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <string.h>

#include "kiosk/media/media_packet.h"

/* docs/media.md "The sender's packets", example 1: an H.264 keyframe of stream 0, seq 7,
 * pts 1 000 000 us, config 1280x720 @ 30 fps, no extradata, 4-byte payload. */
static const uint8_t example1[] = {
    0x01, 0x01, 0x00, 0x01, 0x03, 0x00, 0x00, 0x0C, /* ver type stream codec flags rsv extlen */
    0x00, 0x00, 0x00, 0x07,                         /* seq */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x0F, 0x42, 0x40, /* pts_us */
    0x00, 0x00, 0x00, 0x04,                         /* payload length */
    0x05, 0x00, 0x02, 0xD0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1E, 0x00, 0x00, /* config */
    0x00, 0x00, 0x01, 0x65,                                                 /* payload */
};

static void parses_documented_example(void **state)
{
	(void)state;
	struct cab_media_packet p;
	assert_int_equal(cab_media_packet_parse(example1, sizeof example1, &p), CAB_MEDIA_PKT_OK);
	assert_int_equal(p.type, CAB_MEDIA_PKT_MEDIA);
	assert_int_equal(p.stream, 0);
	assert_int_equal(p.codec, CAB_MEDIA_CODEC_H264);
	assert_int_equal(p.flags, CAB_MEDIA_FLAG_KEY | CAB_MEDIA_FLAG_CONFIG);
	assert_int_equal(p.seq, 7);
	assert_int_equal(p.pts_us, 1000000);
	assert_int_equal(p.has_config, 1);
	assert_int_equal(p.config.width, 1280);
	assert_int_equal(p.config.height, 720);
	assert_int_equal(p.config.fps, 30);
	assert_int_equal(p.config.extradata_len, 0);
	assert_int_equal(p.payload_len, 4);
	assert_int_equal(p.payload[3], 0x65);
	/* and the writer produces the same bytes */
	uint8_t out[64];
	assert_int_equal(cab_media_packet_size(&p), sizeof example1);
	assert_int_equal(cab_media_packet_write(&p, out, sizeof out), (long)sizeof example1);
	assert_memory_equal(out, example1, sizeof example1);
}

static void opus_config_round_trip(void **state)
{
	(void)state;
	static const uint8_t head[19] = "OpusHead\x01\x01\x38\x01\x80\xBB\x00\x00\x00\x00\x00";
	static const uint8_t payload[3] = {0xFC, 0xFF, 0xFE};
	struct cab_media_packet p = {0}, q;
	p.type = CAB_MEDIA_PKT_MEDIA;
	p.stream = CAB_MEDIA_STREAM_STETHOSCOPE;
	p.codec = CAB_MEDIA_CODEC_OPUS;
	p.flags = CAB_MEDIA_FLAG_KEY;
	p.seq = 0xFFFFFFFFu;
	p.pts_us = INT64_MAX;
	p.has_config = 1;
	p.config.sample_rate = 48000;
	p.config.channels = 1;
	p.config.extradata = head;
	p.config.extradata_len = sizeof head;
	p.payload = payload;
	p.payload_len = sizeof payload;
	uint8_t buf[128];
	long n = cab_media_packet_write(&p, buf, sizeof buf);
	assert_int_equal(n, 24 + 12 + 19 + 3);
	assert_int_equal(buf[4], CAB_MEDIA_FLAG_KEY | CAB_MEDIA_FLAG_CONFIG);
	assert_int_equal(cab_media_packet_parse(buf, (size_t)n, &q), CAB_MEDIA_PKT_OK);
	assert_int_equal(q.seq, 0xFFFFFFFFu);
	assert_int_equal(q.pts_us, INT64_MAX);
	assert_int_equal(q.config.sample_rate, 48000);
	assert_int_equal(q.config.channels, 1);
	assert_int_equal(q.config.extradata_len, 19);
	assert_memory_equal(q.config.extradata, head, 19);
	assert_memory_equal(q.payload, payload, 3);
	/* too small a buffer is refused, nothing written past it */
	assert_int_equal(cab_media_packet_write(&p, buf, (size_t)n - 1), CAB_MEDIA_PKT_ELENGTH);
}

static void still_sha_checked(void **state)
{
	(void)state;
	static const uint8_t jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10,
	                               'J',  'F',  'I',  'F',  0xFF, 0xD9};
	struct cab_media_packet p = {0}, q;
	p.type = CAB_MEDIA_PKT_STILL;
	p.stream = CAB_MEDIA_STREAM_STILL;
	p.codec = CAB_MEDIA_CODEC_JPEG;
	p.flags = CAB_MEDIA_FLAG_KEY;
	p.still_width = 1600;
	p.still_height = 1200;
	p.payload = jpeg;
	p.payload_len = sizeof jpeg;
	assert_int_equal(cab_media_sha256(jpeg, sizeof jpeg, p.still_sha256), 0);
	uint8_t buf[128];
	long n = cab_media_packet_write(&p, buf, sizeof buf);
	assert_int_equal(n, 24 + 36 + (long)sizeof jpeg);
	assert_int_equal(cab_media_packet_parse(buf, (size_t)n, &q), CAB_MEDIA_PKT_OK);
	assert_int_equal(q.still_width, 1600);
	assert_int_equal(q.still_height, 1200);
	buf[n - 3] ^= 1; /* one flipped bit in the image */
	assert_int_equal(cab_media_packet_parse(buf, (size_t)n, &q), CAB_MEDIA_PKT_ESHA);
}

/* SHA-256("abc") from FIPS 180-4 examples (NIST CSRC, SHA256.pdf). */
static void sha256_known_vector(void **state)
{
	(void)state;
	static const uint8_t want[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
	                                 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
	                                 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	                                 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
	uint8_t got[32];
	assert_int_equal(cab_media_sha256((const uint8_t *)"abc", 3, got), 0);
	assert_memory_equal(got, want, 32);
}

static int parse_mod(size_t at, uint8_t v, size_t len)
{
	uint8_t b[sizeof example1];
	memcpy(b, example1, sizeof b);
	if (at < sizeof b)
		b[at] = v;
	struct cab_media_packet p;
	return cab_media_packet_parse(b, len, &p);
}

static void malformed_inputs(void **state)
{
	(void)state;
	struct cab_media_packet p;
	size_t L = sizeof example1;
	assert_int_equal(cab_media_packet_parse(NULL, 10, &p), CAB_MEDIA_PKT_ETRUNC);
	assert_int_equal(cab_media_packet_parse(example1, 0, &p), CAB_MEDIA_PKT_ETRUNC);
	assert_int_equal(cab_media_packet_parse(example1, 23, &p), CAB_MEDIA_PKT_ETRUNC);
	assert_int_equal(parse_mod(0, 2, L), CAB_MEDIA_PKT_EVERSION);
	assert_int_equal(parse_mod(0, 0, L), CAB_MEDIA_PKT_EVERSION);
	assert_int_equal(parse_mod(1, 0, L), CAB_MEDIA_PKT_ETYPE);
	assert_int_equal(parse_mod(1, 3, L), CAB_MEDIA_PKT_ETYPE);
	assert_int_equal(parse_mod(1, 2, L), CAB_MEDIA_PKT_ECODEC); /* STILL must be JPEG */
	assert_int_equal(parse_mod(2, 16, L), CAB_MEDIA_PKT_ESTREAM);
	assert_int_equal(parse_mod(3, 0, L), CAB_MEDIA_PKT_ECODEC);
	assert_int_equal(parse_mod(3, 3, L), CAB_MEDIA_PKT_ECODEC); /* JPEG only in STILL */
	assert_int_equal(parse_mod(3, 9, L), CAB_MEDIA_PKT_ECODEC);
	assert_int_equal(parse_mod(4, 0x07, L), CAB_MEDIA_PKT_EFLAGS);
	assert_int_equal(parse_mod(4, 0x80, L), CAB_MEDIA_PKT_EFLAGS);
	assert_int_equal(parse_mod(5, 1, L), CAB_MEDIA_PKT_EFLAGS);
	assert_int_equal(parse_mod(4, 0x01, L),
	                 CAB_MEDIA_PKT_EEXT); /* ext present, no CONFIG flag */
	assert_int_equal(parse_mod(6, 0x04, L), CAB_MEDIA_PKT_EEXT); /* ext length 1036 > 1024 */
	assert_int_equal(parse_mod(7, 0x0B, L),
	                 CAB_MEDIA_PKT_ELENGTH);                      /* lengths no longer add up */
	assert_int_equal(parse_mod(12, 0x80, L), CAB_MEDIA_PKT_EPTS); /* negative pts */
	assert_int_equal(parse_mod(23, 0x00, L), CAB_MEDIA_PKT_EPAYLOAD); /* empty payload */
	assert_int_equal(parse_mod(20, 0x01, L), CAB_MEDIA_PKT_EPAYLOAD); /* 16 MiB > maximum */
	assert_int_equal(parse_mod(23, 0x05, L), CAB_MEDIA_PKT_ELENGTH);  /* claims one more byte */
	assert_int_equal(parse_mod(0, 1, L - 1), CAB_MEDIA_PKT_ELENGTH);  /* message cut short */
	assert_int_equal(parse_mod(35, 0x01, L), CAB_MEDIA_PKT_EEXT); /* extradata len beyond ext */
	/* a lying extradata length inside a consistent extension */
	uint8_t b[sizeof example1 + 1];
	memcpy(b, example1, sizeof example1);
	b[sizeof example1] = 0;
	b[7] = 0x0D; /* ext 13: 12 fixed + 1 byte, but extradata_len says 0 */
	assert_int_equal(cab_media_packet_parse(b, sizeof b, &p), CAB_MEDIA_PKT_EEXT);
	/* error texts exist for each code */
	for (int e = 0; e >= CAB_MEDIA_PKT_ESHA; e--)
		assert_string_not_equal(cab_media_packet_strerror(e), "unknown error");
	assert_string_equal(cab_media_packet_strerror(-99), "unknown error");
}

static void writer_refuses_bad_packets(void **state)
{
	(void)state;
	uint8_t buf[64], pl[1] = {0};
	struct cab_media_packet p = {0};
	p.type = CAB_MEDIA_PKT_MEDIA;
	p.codec = CAB_MEDIA_CODEC_OPUS;
	p.payload = pl;
	p.payload_len = 1;
	assert_int_equal(cab_media_packet_write(&p, buf, sizeof buf), 25);
	p.stream = 16;
	assert_int_equal(cab_media_packet_write(&p, buf, sizeof buf), CAB_MEDIA_PKT_ESTREAM);
	p.stream = 0;
	p.pts_us = -1;
	assert_int_equal(cab_media_packet_write(&p, buf, sizeof buf), CAB_MEDIA_PKT_EPTS);
	p.pts_us = 0;
	p.payload_len = 0;
	assert_int_equal(cab_media_packet_write(&p, buf, sizeof buf), CAB_MEDIA_PKT_EPAYLOAD);
	p.payload_len = 1;
	p.has_config = 1;
	p.config.extradata_len = 4; /* no extradata pointer */
	assert_int_equal(cab_media_packet_write(&p, buf, sizeof buf), CAB_MEDIA_PKT_EEXT);
	p.config.extradata_len = 2000;
	assert_int_equal(cab_media_packet_write(&p, buf, sizeof buf), CAB_MEDIA_PKT_EEXT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_documented_example),
	    cmocka_unit_test(opus_config_round_trip),
	    cmocka_unit_test(still_sha_checked),
	    cmocka_unit_test(sha256_known_vector),
	    cmocka_unit_test(malformed_inputs),
	    cmocka_unit_test(writer_refuses_bad_packets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
