/* test_numeric.c — FLOAT-Type, SFLOAT-Type and AbsoluteTime of IEEE 11073-20601 on
 * the numeric-types fixtures (tests/devices/ieee11073/{float,sfloat}_vectors: rules of
 * 20601 with values from LDDI/Antidote samples and the special values listed in
 * nordicsemi/Android-nRF-Connect issue #137), compared value by value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <math.h>

#include "devices/proto/ieee11073/mder.h"
#include "devices/proto/ieee11073/numeric.h"
#include "fixture.h"

static enum cab_value_kind kind_of(const char *special)
{
	if (!strcmp(special, "NaN")) return CAB_VALUE_NAN;
	if (!strcmp(special, "NRes")) return CAB_VALUE_NRES;
	if (!strcmp(special, "+INF")) return CAB_VALUE_PINF;
	if (!strcmp(special, "-INF")) return CAB_VALUE_NINF;
	if (!strcmp(special, "Reserved")) return CAB_VALUE_RESERVED;
	fail_msg("unknown special %s", special);
	return CAB_VALUE_NUMBER;
}

/* Decodes every vector of fixture NAME (WIDTH bytes each) and compares. */
static void check_vectors(const char *name, int width)
{
	size_t len, i;
	uint8_t *b = fx_hex(name, &len);
	json_t *dec, *root = fx_json(name, &dec), *v;
	json_t *vectors = json_object_get(json_object_get(dec, "summary"), "vectors");

	assert_int_equal(len, json_array_size(vectors) * (size_t)width);
	json_array_foreach(vectors, i, v) {
		json_t *d = json_object_get(v, "decoder");
		const uint8_t *p = b + i * (size_t)width;
		struct ieee_num n = width == 4
		    ? ieee_float_decode((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3])
		    : ieee_sfloat_decode((uint16_t)(p[0] << 8 | p[1]));
		json_t *special = json_object_get(d, "special");

		if (special) {
			assert_int_equal(n.kind, kind_of(json_string_value(special)));
			assert_true(n.value == 0.0);
		} else {
			assert_int_equal(n.kind, CAB_VALUE_NUMBER);
			assert_int_equal(n.exponent, json_integer_value(json_object_get(d, "exponent")));
			assert_int_equal(n.mantissa, json_integer_value(json_object_get(d, "mantissa")));
			/* exact: the nearest double to mantissa * 10^exponent, as JSON parses it */
			assert_true(n.value == json_number_value(json_object_get(d, "value")));
		}
	}
	json_decref(root);
	free(b);
}

static void float_vectors(void **state)
{
	(void)state;
	check_vectors("float_vectors", 4);
}

static void sfloat_vectors(void **state)
{
	(void)state;
	check_vectors("sfloat_vectors", 2);
}

static void encode_round_trips(void **state)
{
	(void)state;
	assert_int_equal(ieee_sfloat_from_double(120.0, 1), 0x0078);
	assert_int_equal(ieee_sfloat_from_double(60.0, 1), 0x003C);
	assert_int_equal(ieee_sfloat_from_double(36.6, 1), 0xF16E);
	assert_int_equal(ieee_float_from_double(76.2, 1), 0xFF0002FA);
	assert_int_equal(ieee_float_from_double(NAN, 1), 0x007FFFFF);
	assert_int_equal(ieee_sfloat_from_double(INFINITY, 1), 0x07FF);
	/* too large for 12 bits at one decimal: precision is dropped, not the value */
	struct ieee_num n = ieee_sfloat_decode(ieee_sfloat_from_double(12345.0, 1));
	assert_true(n.value == 12350.0);
	n = ieee_float_decode(ieee_float_from_double(-37.25, 2));
	assert_true(n.value == -37.25);
}

static void abstime_decodes_bcd(void **state)
{
	(void)state;
	const uint8_t t[8] = {0x20, 0x07, 0x12, 0x06, 0x12, 0x10, 0x00, 0x50};
	int64_t ms;
	assert_int_equal(ieee_abstime_decode(t, &ms), 0);
	assert_int_equal(ms, 1196943000000LL + 500); /* 2007-12-06T12:10:00.50 */
	uint8_t back[8];
	ieee_abstime_encode(ms, back);
	assert_memory_equal(back, t, 8);
}

static void abstime_rejects_invalid_bcd(void **state)
{
	(void)state;
	int64_t ms = 0;
	static const uint8_t bad[][8] = {
		{0x20, 0x0A, 0x12, 0x06, 0x12, 0x10, 0x00, 0x00}, /* nibble A */
		{0x20, 0x07, 0x13, 0x06, 0x12, 0x10, 0x00, 0x00}, /* month 13 */
		{0x20, 0x07, 0x00, 0x06, 0x12, 0x10, 0x00, 0x00}, /* month 0 */
		{0x20, 0x07, 0x02, 0x30, 0x12, 0x10, 0x00, 0x00}, /* 30 February */
		{0x20, 0x07, 0x02, 0x29, 0x12, 0x10, 0x00, 0x00}, /* 2007 not leap */
		{0x20, 0x07, 0x12, 0x06, 0x24, 0x10, 0x00, 0x00}, /* hour 24 */
		{0x20, 0x07, 0x12, 0x06, 0x12, 0x60, 0x00, 0x00}, /* minute 60 */
		{0x20, 0x07, 0x12, 0x06, 0x12, 0x10, 0x00, 0xF0}, /* fraction F0 */
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		assert_int_equal(ieee_abstime_decode(bad[k], &ms), IEEE_E_INVALID);
	const uint8_t leap[8] = {0x20, 0x08, 0x02, 0x29, 0x00, 0x00, 0x00, 0x00};
	assert_int_equal(ieee_abstime_decode(leap, &ms), 0);
}

static void reader_checks_every_length(void **state)
{
	(void)state;
	const uint8_t b[5] = {1, 2, 3, 4, 5};
	struct ieee_rd r;
	size_t saved;

	ieee_rd_init(&r, b, sizeof b);
	assert_int_equal(ieee_rd_u32(&r), 0x01020304u);
	assert_int_equal(ieee_rd_u16(&r), 0);       /* only one byte left */
	assert_int_equal(r.err, IEEE_E_TRUNCATED);
	assert_int_equal(ieee_rd_u8(&r), 0);        /* sticky: nothing more is read */
	assert_non_null(strstr(r.msg, "at byte 4"));

	ieee_rd_init(&r, b, sizeof b);
	saved = ieee_rd_enter(&r, 2, "inner");
	assert_int_equal(ieee_rd_u16(&r), 0x0102);
	assert_int_equal(ieee_rd_u8(&r), 0);        /* the element ends here */
	assert_int_equal(r.err, IEEE_E_TRUNCATED);
	ieee_rd_leave(&r, saved);

	/* a list whose count is absurd is refused before anything is read */
	const uint8_t list[] = {0xFF, 0xFF, 0x00, 0x00};
	ieee_rd_init(&r, list, sizeof list);
	assert_int_equal(ieee_rd_list(&r, 10, "things", &saved), 0);
	assert_int_equal(r.err, IEEE_E_LIMIT);

	/* the writer stops at its capacity */
	uint8_t out[3];
	struct ieee_wr w;
	ieee_wr_init(&w, out, sizeof out);
	ieee_wr_u16(&w, 0xABCD);
	ieee_wr_u16(&w, 0x1234);
	assert_int_equal(w.err, IEEE_E_NOSPACE);
	assert_int_equal(w.pos, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(float_vectors),
		cmocka_unit_test(sfloat_vectors),
		cmocka_unit_test(encode_round_trips),
		cmocka_unit_test(abstime_decodes_bcd),
		cmocka_unit_test(abstime_rejects_invalid_bcd),
		cmocka_unit_test(reader_checks_every_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
