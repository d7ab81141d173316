/* test_omron_hem.c — the Omron HEM-790IT codec against the real USBlyzer capture
 * in tests/devices/omron-hem/fixtures/ (openyou/libomron 7febf17,
 * doc/logs/hem790it/1_2_07_TwoReadings.html; reading layout per libomron issue
 * #25), compared with each fixture's .json; malformed reports and replies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cabin/mdc.h"
#include "devices/proto/omron_hem.h"
#include "fixture.h"

#define FIX "tests/devices/omron-hem/fixtures/"

static json_t *summary(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, FIX "%s.json", name);
	char *t = cab_test_load_text(path);
	json_error_t e;
	json_t *j = json_loads(t, 0, &e);
	free(t);
	assert_non_null(j);
	return j;
}

/* Reassembles every report of a fixture into one message. */
static size_t reassemble(const char *name, uint8_t *msg)
{
	char path[256];
	uint8_t *buf;
	size_t len;
	struct omron_asm a;
	snprintf(path, sizeof path, FIX "%s.hex", name);
	cab_test_load_capture(path, &buf, &len);
	memset(&a, 0, sizeof a);
	assert_int_equal(len % 8, 0);
	int last = 0;
	for (size_t off = 0; off < len; off += 8)
		last = omron_asm_add(&a, buf + off, 8);
	assert_int_equal(last, 1); /* ends with a short report */
	memcpy(msg, a.buf, a.n);
	free(buf);
	return a.n;
}

static void hex_equal(const uint8_t *got, size_t n, const char *want_hex)
{
	char s[256] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(s + strlen(s), sizeof s - strlen(s), "%s%02x", i ? " " : "", got[i]);
	assert_string_equal(s, want_hex);
}

static void gme_reading_matches_fixture(void **state)
{
	(void)state;
	uint8_t m[OMRON_MSG_MAX];
	size_t n = reassemble("gme_reading_2007-01-01_123_78_87", m);
	json_t *j = summary("gme_reading_2007-01-01_123_78_87");
	json_t *s = json_object_get(json_object_get(j, "decoded"), "summary");
	json_t *w = json_object_get(s, "reading");
	hex_equal(m, n, json_string_value(json_object_get(s, "reassembled")));
	const uint8_t *d;
	size_t dl;
	assert_int_equal(omron_reply_parse(m, n, &d, &dl), OMRON_REPLY_OK);
	struct omron_record rec;
	assert_int_equal(omron_record_parse(d, dl, &rec), 0);
	assert_int_equal(rec.year, json_integer_value(json_object_get(w, "year")));
	assert_int_equal(rec.month, json_integer_value(json_object_get(w, "month")));
	assert_int_equal(rec.day, json_integer_value(json_object_get(w, "day")));
	assert_int_equal(rec.hour, json_integer_value(json_object_get(w, "hour")));
	assert_int_equal(rec.minute, json_integer_value(json_object_get(w, "minute")));
	assert_int_equal(rec.second, json_integer_value(json_object_get(w, "second")));
	assert_int_equal(rec.unit, json_integer_value(json_object_get(w, "byte6_unit_number")));
	assert_int_equal(rec.sys, json_integer_value(json_object_get(w, "sys_mmHg")));
	assert_int_equal(rec.dia, json_integer_value(json_object_get(w, "dia_mmHg")));
	assert_int_equal(rec.pulse, json_integer_value(json_object_get(w, "pulse_bpm")));
	assert_int_equal(rec.flags, strtol(json_string_value(json_object_get(w, "flags_word")), NULL, 16));
	assert_int_equal(m[n - 1], strtol(json_string_value(json_object_get(w, "checksum")), NULL, 16));

	struct cab_reading r[3];
	assert_int_equal(omron_record_readings(&rec, CAB_RF_STORED, r), 3);
	assert_int_equal(r[0].mdc, MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS));
	assert_true(r[0].value == 123);
	assert_string_equal(r[0].ucum, "mm[Hg]");
	assert_int_equal(r[1].mdc, MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA));
	assert_true(r[1].value == 78);
	assert_int_equal(r[2].mdc, MDC_FULL(2, MDC_PULS_RATE_NON_INV));
	assert_true(r[2].value == 87);
	assert_string_equal(r[2].ucum, "/min");
	/* 2007-01-01T00:06:38 read as UTC wall time */
	assert_int_equal(r[0].device_time_ms, 1167609998000LL);
	assert_int_equal(r[0].flags, CAB_RF_STORED);
	for (int i = 0; i < 3; i++)
		assert_int_not_equal(r[i].mdc, MDC_FULL(2, MDC_PRESS_BLD_NONINV_MEAN));
	/* the simulator's encoder gives the same bytes back */
	uint8_t back[17];
	assert_int_equal(omron_encode_gme_reply(&rec, back), 17);
	assert_memory_equal(back, m, 17);
	json_decref(j);
}

static void gdc_and_ver_replies_match_fixtures(void **state)
{
	(void)state;
	uint8_t m[OMRON_MSG_MAX];
	const uint8_t *d;
	size_t dl;
	size_t n = reassemble("gdc_reply_count_2", m);
	json_t *j = summary("gdc_reply_count_2");
	json_t *s = json_object_get(json_object_get(j, "decoded"), "summary");
	hex_equal(m, n, json_string_value(json_object_get(s, "reassembled")));
	assert_int_equal(omron_reply_parse(m, n, &d, &dl), OMRON_REPLY_OK);
	assert_int_equal(omron_gdc_count(d, dl), json_integer_value(json_object_get(s, "record_count")));
	json_decref(j);

	n = reassemble("ver_reply_M7080IT_207", m);
	j = summary("ver_reply_M7080IT_207");
	s = json_object_get(json_object_get(j, "decoded"), "summary");
	hex_equal(m, n, json_string_value(json_object_get(s, "reassembled")));
	assert_int_equal(omron_reply_parse(m, n, &d, &dl), OMRON_REPLY_OK);
	char v[32];
	assert_int_equal(omron_ver_string(d, dl, v, sizeof v), 0);
	assert_string_equal(v, json_string_value(json_object_get(s, "version")));
	json_decref(j);
}

static void commands_encode_as_captured(void **state)
{
	(void)state;
	uint8_t *buf, cmd[8], reps[4][8];
	size_t len;
	/* GME index 1: two output reports; compare the valid bytes only (rest is stale) */
	cab_test_load_capture(FIX "gme_command_index1.hex", &buf, &len);
	size_t n = omron_cmd_gme(0, 1, cmd);
	assert_int_equal(omron_split_reports(cmd, n, reps, 4), 2);
	assert_memory_equal(reps[0], buf, 8);
	assert_int_equal(reps[1][0], 1);
	assert_int_equal(reps[1][1], buf[9]);
	free(buf);
	/* END FF FF: first report of the capture, 6 valid bytes */
	cab_test_load_capture(FIX "end_command_and_OFF_reply.hex", &buf, &len);
	n = omron_cmd_end(cmd);
	assert_int_equal(omron_split_reports(cmd, n, reps, 4), 1);
	assert_memory_equal(reps[0], buf, 6);
	/* the replies: "OK" then "OFF\r\n" */
	struct omron_asm a;
	memset(&a, 0, sizeof a);
	assert_int_equal(omron_asm_add(&a, buf + 8, 8), 1);
	assert_int_equal(omron_reply_parse(a.buf, a.n, NULL, NULL), OMRON_REPLY_OK_BARE);
	memset(&a, 0, sizeof a);
	assert_int_equal(omron_asm_add(&a, buf + 16, 8), 1);
	assert_int_equal(omron_reply_parse(a.buf, a.n, NULL, NULL), OMRON_REPLY_OFF);
	free(buf);
	/* VER00 as captured: 05 56 45 52 30 30 */
	n = omron_cmd_ver(cmd);
	omron_split_reports(cmd, n, reps, 4);
	hex_equal(reps[0], 6, "05 56 45 52 30 30");
	/* GDC bank 0 and the mode report */
	n = omron_cmd_gdc(0, cmd);
	hex_equal(cmd, n, "47 44 43 00 00 00 00 00");
	uint8_t mode[2];
	omron_encode_mode(OMRON_MODE_DAILY, mode);
	hex_equal(mode, 2, "74 bc");
}

static void bad_reports_and_replies(void **state)
{
	(void)state;
	struct omron_asm a;
	memset(&a, 0, sizeof a);
	const uint8_t zero[8] = {0};
	const uint8_t eight[8] = {8, 1, 2, 3, 4, 5, 6, 7};
	const uint8_t full[8] = {7, 1, 2, 3, 4, 5, 6, 7};
	assert_int_equal(omron_asm_add(&a, zero, 8), -1);   /* count 0 */
	assert_int_equal(omron_asm_add(&a, eight, 8), -1);  /* count 8 */
	assert_int_equal(omron_asm_add(&a, full, 7), -1);   /* short read */
	assert_int_equal(omron_asm_add(&a, full, 9), -1);   /* long read */
	for (int i = 0; i < OMRON_MSG_MAX / 7; i++)
		assert_int_equal(omron_asm_add(&a, full, 8), 0);
	assert_int_equal(omron_asm_add(&a, full, 8), -1);   /* over the hard maximum */
	/* corrupt checksum of the captured GME reply */
	uint8_t m[17] = {0x4f, 0x4b, 0x00, 0x07, 0x01, 0x01, 0x00, 0x06, 0x26, 0x00, 0x00, 0x7b, 0x4e, 0x57, 0x00, 0x00, 0x45};
	const uint8_t *d;
	size_t dl;
	assert_int_equal(omron_reply_parse(m, 17, &d, &dl), OMRON_REPLY_OK);
	m[16] ^= 1;
	assert_int_equal(omron_reply_parse(m, 17, &d, &dl), OMRON_REPLY_BAD);
	assert_int_equal(omron_reply_parse((const uint8_t *)"NO", 2, &d, &dl), OMRON_REPLY_NO);
	assert_int_equal(omron_reply_parse((const uint8_t *)"XY", 2, &d, &dl), OMRON_REPLY_BAD);
	assert_int_equal(omron_reply_parse((const uint8_t *)"O", 1, &d, &dl), OMRON_REPLY_BAD);
	/* record: wrong length, month 13 */
	struct omron_record rec;
	const uint8_t r13[13] = {7, 13, 1, 0, 6, 38, 0, 0, 123, 78, 87, 0, 0};
	assert_int_equal(omron_record_parse(r13, 13, &rec), -1);
	assert_int_equal(omron_record_parse(r13, 12, &rec), -1);
	assert_int_equal(omron_gdc_count(r13, 3), -1);
}

static void flags_map_to_reading_flags(void **state)
{
	(void)state;
	struct omron_record rec = {.year = 2026, .month = 11, .day = 29, .hour = 9, .sys = 141,
	                           .dia = 92, .pulse = 77, .flags = OMRON_FLAG_IRREGULAR | OMRON_FLAG_MOVEMENT};
	struct cab_reading r[3];
	omron_record_readings(&rec, CAB_RF_STORED | CAB_RF_BEFORE_SESSION, r);
	assert_int_equal(r[0].flags, CAB_RF_STORED | CAB_RF_BEFORE_SESSION | CAB_RF_IRREGULAR_HB | CAB_RF_MOTION);
	uint8_t m[17];
	omron_encode_gme_reply(&rec, m);
	hex_equal(m, 17, "4f 4b 00 1a 0b 1d 09 00 00 00 00 8d 5c 4d 00 03 9a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gme_reading_matches_fixture),
		cmocka_unit_test(gdc_and_ver_replies_match_fixtures),
		cmocka_unit_test(commands_encode_as_captured),
		cmocka_unit_test(bad_reports_and_replies),
		cmocka_unit_test(flags_map_to_reading_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
