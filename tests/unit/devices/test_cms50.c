/* test_cms50.c — the CMS50D+ decoder against the real captures in
 * tests/devices/cms50/fixtures/ (headrotor/contec_data, MarkMLl/Contec_cms50dplus;
 * protocol: Contec "Communication Protocol of Pulse Oximeter V7.0"), compared
 * field by field with the values in each fixture's .json; malformed streams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cabin/mdc.h"
#include "devices/proto/cms50.h"
#include "fixture.h"

#define FIX "tests/devices/cms50/fixtures/"

static json_t *load_json(const char *path)
{
	char *t = cab_test_load_text(path);
	json_error_t e;
	json_t *j = json_loads(t, 0, &e);
	free(t);
	assert_non_null(j);
	return j;
}

/* Checks a decoded packet against one "packet" object of a fixture .json. */
static void check_packet(const struct cms50_realtime *rt, json_t *want)
{
	assert_int_equal(rt->signal, json_integer_value(json_object_get(want, "signal_strength")));
	assert_int_equal(rt->searching_too_long, json_is_true(json_object_get(want, "searching_too_long")));
	assert_int_equal(rt->low_spo2, json_is_true(json_object_get(want, "low_spo2")));
	assert_int_equal(rt->beep, json_is_true(json_object_get(want, "pulse_beep")));
	assert_int_equal(rt->probe_error, json_is_true(json_object_get(want, "probe_error")));
	assert_int_equal(rt->pleth, json_integer_value(json_object_get(want, "pleth")));
	assert_int_equal(rt->searching, json_is_true(json_object_get(want, "searching_pulse")));
	assert_int_equal(rt->bargraph, json_integer_value(json_object_get(want, "bargraph")));
	assert_int_equal(rt->pi_invalid, json_is_true(json_object_get(want, "pi_invalid")));
	assert_int_equal(rt->pulse_rate, json_integer_value(json_object_get(want, "pulse_rate_bpm")));
	assert_int_equal(rt->spo2, json_integer_value(json_object_get(want, "spo2_pct")));
	assert_true(json_is_null(json_object_get(want, "pi_pct")));
	assert_int_equal(rt->pi_x100, -1);
}

static void stream_7_packets_matches_fixture(void **state)
{
	(void)state;
	uint8_t *buf;
	size_t len, off = 0;
	cab_test_load_capture(FIX "realtime_stream_7pkts_spo2_97_pr_65.hex", &buf, &len);
	json_t *j = load_json(FIX "realtime_stream_7pkts_spo2_97_pr_65.json");
	json_t *pkts = json_object_get(json_object_get(json_object_get(j, "decoded"), "summary"), "packets");
	assert_int_equal(json_array_size(pkts), 7);
	struct cms50_parser p;
	memset(&p, 0, sizeof p);
	size_t k = 0;
	while (off < len) {
		struct cms50_packet pkt;
		size_t used;
		enum cms50_res r = cms50_parse_next(&p, buf + off, len - off, &used, &pkt);
		off += used;
		if (r == CMS50_NEED_MORE)
			break;
		assert_int_equal(r, CMS50_PACKET);
		assert_int_equal(pkt.type, CMS50_TYPE_REALTIME);
		assert_true(k < 7);
		check_packet(&pkt.u.rt, json_array_get(pkts, k));
		k++;
	}
	assert_int_equal(k, 7);
	assert_int_equal(p.n, 0);
	assert_int_equal(p.skipped, 0);
	json_decref(j);
	free(buf);
}

static void finger_out_packet_matches_fixture(void **state)
{
	(void)state;
	uint8_t *buf;
	size_t len;
	cab_test_load_capture(FIX "realtime_finger_out.hex", &buf, &len);
	json_t *j = load_json(FIX "realtime_finger_out.json");
	json_t *want = json_object_get(json_object_get(json_object_get(j, "decoded"), "summary"), "packet");
	struct cms50_packet pkt;
	assert_int_equal(len, 9);
	assert_int_equal(cms50_packet_decode(buf, len, &pkt), 0);
	check_packet(&pkt.u.rt, want);
	/* readings: SpO2, PR, PI invalid (not numbers), pleth 64, all flagged no-finger */
	struct cab_reading r[4];
	assert_int_equal(cms50_realtime_readings(&pkt.u.rt, r), 4);
	assert_int_equal(r[0].mdc, MDC_FULL(2, MDC_PULS_OXIM_SAT_O2));
	assert_int_equal(r[0].value_kind, CAB_VALUE_NAN);
	assert_int_equal(r[0].flags, CAB_RF_NO_FINGER | CAB_RF_INVALID);
	assert_int_equal(r[1].mdc, MDC_FULL(2, MDC_PULS_OXIM_PULS_RATE));
	assert_int_equal(r[1].value_kind, CAB_VALUE_NAN);
	assert_int_equal(r[2].value_kind, CAB_VALUE_NAN);
	assert_int_equal(r[3].mdc, MDC_FULL(2, MDC_PULS_OXIM_PLETH));
	assert_int_equal(r[3].value_kind, CAB_VALUE_NUMBER);
	assert_true(r[3].value == 64.0);
	json_decref(j);
	free(buf);
}

static void readings_of_a_live_packet(void **state)
{
	(void)state;
	const uint8_t raw[9] = {0x01, 0xe0, 0x85, 0xb3, 0x96, 0xc1, 0xe1, 0xff, 0xff};
	struct cms50_packet pkt;
	struct cab_reading r[4];
	assert_int_equal(cms50_packet_decode(raw, 9, &pkt), 0);
	cms50_realtime_readings(&pkt.u.rt, r);
	assert_true(r[0].value == 97.0);
	assert_string_equal(r[0].ucum, "%");
	assert_int_equal(r[0].flags, 0);
	assert_true(r[1].value == 65.0);
	assert_string_equal(r[1].ucum, "/min");
	assert_int_equal(r[2].value_kind, CAB_VALUE_NAN); /* PI 0xFFFF */
	assert_int_equal(r[2].flags, CAB_RF_INVALID);
	assert_int_equal(r[0].device_time_ms, INT64_MIN);
}

static void invalid_markers_are_not_numbers(void **state)
{
	(void)state;
	/* SpO2 0x7F, PR 0xFF (bit 3 of the high byte), PI 0x012C = 300 -> 3.00 % */
	uint8_t raw[9] = {0x01, 0x80 | 0x08, 0x85, 0xb3, 0x86, 0xff, 0xff, 0x80 | 0x2c, 0x81};
	struct cms50_packet pkt;
	struct cab_reading r[4];
	assert_int_equal(cms50_packet_decode(raw, 9, &pkt), 0);
	assert_int_equal(pkt.u.rt.pulse_rate, -1);
	assert_int_equal(pkt.u.rt.spo2, -1);
	assert_int_equal(pkt.u.rt.pi_x100, 300);
	cms50_realtime_readings(&pkt.u.rt, r);
	assert_int_equal(r[0].value_kind, CAB_VALUE_NAN);
	assert_true(r[0].flags & CAB_RF_INVALID);
	assert_int_equal(r[1].value_kind, CAB_VALUE_NAN);
	assert_int_equal(r[2].value_kind, CAB_VALUE_NUMBER);
	assert_true(fabs(r[2].value - 3.0) < 1e-9);
}

static void start_command_encodes_as_captured(void **state)
{
	(void)state;
	uint8_t *buf, out[9];
	size_t len;
	cab_test_load_capture(FIX "cmd_0xA1_start_realtime.hex", &buf, &len);
	cms50_encode_cmd(CMS50_CMD_START_REALTIME, out);
	assert_int_equal(len, 9);
	assert_memory_equal(out, buf, 9);
	struct cms50_packet pkt;
	assert_int_equal(cms50_packet_decode(buf, len, &pkt), 0);
	assert_int_equal(pkt.type, CMS50_TYPE_COMMAND);
	assert_int_equal(pkt.u.cmd, 0xA1);
	cms50_encode_cmd(CMS50_CMD_KEEP_ALIVE, out);
	const uint8_t ka[9] = {0x7d, 0x81, 0xaf, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};
	assert_memory_equal(out, ka, 9);
	free(buf);
}

static void garbage_then_resync(void **state)
{
	(void)state;
	const uint8_t in[] = {0xff, 0x93, 0xa5, 0x01, 0xe0, 0x85, 0xb3, 0x96, 0xc1, 0xe1, 0xff, 0xff};
	struct cms50_parser p;
	struct cms50_packet pkt;
	size_t used;
	memset(&p, 0, sizeof p);
	assert_int_equal(cms50_parse_next(&p, in, sizeof in, &used, &pkt), CMS50_ERR_GARBAGE);
	assert_int_equal(used, 3);
	assert_int_equal(p.skipped, 3);
	assert_int_equal(cms50_parse_next(&p, in + 3, sizeof in - 3, &used, &pkt), CMS50_PACKET);
	assert_int_equal(pkt.u.rt.spo2, 97);
}

static void truncated_packet_is_an_error(void **state)
{
	(void)state;
	/* 5 bytes of a real-time packet, then a new packet starts */
	const uint8_t in[] = {0x01, 0xe0, 0x85, 0xb3, 0x96, 0x01, 0xe0, 0x85, 0xb3, 0x96, 0xc1, 0xe1, 0xff, 0xff};
	struct cms50_parser p;
	struct cms50_packet pkt;
	size_t used;
	memset(&p, 0, sizeof p);
	assert_int_equal(cms50_parse_next(&p, in, sizeof in, &used, &pkt), CMS50_ERR_TRUNCATED);
	assert_int_equal(used, 5);
	assert_int_equal(p.truncated, 1);
	assert_int_equal(cms50_parse_next(&p, in + 5, sizeof in - 5, &used, &pkt), CMS50_PACKET);
	/* whole-packet decoder: wrong length for the type, type byte with bit 7, data without */
	assert_int_equal(cms50_packet_decode(in, 5, &pkt), -1);
	const uint8_t bad_type[9] = {0x81, 0xe0, 0x85, 0xb3, 0x96, 0xc1, 0xe1, 0xff, 0xff};
	assert_int_equal(cms50_packet_decode(bad_type, 9, &pkt), -1);
	const uint8_t bad_data[9] = {0x01, 0xe0, 0x05, 0xb3, 0x96, 0xc1, 0xe1, 0xff, 0xff};
	assert_int_equal(cms50_packet_decode(bad_data, 9, &pkt), -1);
	assert_int_equal(cms50_packet_decode(bad_data, 0, &pkt), -1);
	assert_int_equal(cms50_packet_decode(bad_data, 200, &pkt), -1);
}

static void unknown_type_is_skipped_and_counted(void **state)
{
	(void)state;
	uint8_t in[40];
	memset(in, 0x80, sizeof in);
	in[0] = 0x05; /* unknown type followed by 39 bytes with bit 7 set */
	struct cms50_parser p;
	struct cms50_packet pkt;
	size_t used;
	memset(&p, 0, sizeof p);
	enum cms50_res r = cms50_parse_next(&p, in, sizeof in, &used, &pkt);
	assert_int_equal(r, CMS50_ERR_GARBAGE); /* held 9, the rest is garbage */
	assert_int_equal(p.unknown, 1);
	assert_int_equal(p.skipped, sizeof in - CMS50_MAX_PACKET);
}

static void storage_packet(void **state)
{
	(void)state;
	/* type 0F: (97,65) (96,0xFF invalid) (0x7F invalid, 64) */
	const uint8_t raw[8] = {0x0f, 0x80 | 0x08, 0xe1, 0xc1, 0xe0, 0xff, 0xff, 0xc0};
	struct cms50_packet pkt;
	struct cab_reading r[6];
	assert_int_equal(cms50_packet_decode(raw, 8, &pkt), 0);
	assert_int_equal(cms50_storage_readings(&pkt.u.st, r), 6);
	assert_true(r[0].value == 97 && r[1].value == 65);
	assert_true(r[2].value == 96);
	assert_int_equal(r[3].value_kind, CAB_VALUE_NAN);
	assert_int_equal(r[4].value_kind, CAB_VALUE_NAN);
	assert_true(r[5].value == 64);
	assert_true(r[0].flags & CAB_RF_STORED);
	/* padding of an unfilled slot: bytes 0x80 (0 with bit 7) never become 0 % / 0 /min */
	const uint8_t pad[8] = {0x0f, 0x80, 0xe1, 0xc1, 0x80, 0x80, 0x80, 0x80};
	assert_int_equal(cms50_packet_decode(pad, 8, &pkt), 0);
	cms50_storage_readings(&pkt.u.st, r);
	assert_true(r[0].value == 97);
	for (int k = 2; k < 6; k++) {
		assert_int_equal(r[k].value_kind, CAB_VALUE_NAN);
		assert_true(r[k].flags & CAB_RF_INVALID);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stream_7_packets_matches_fixture),
		cmocka_unit_test(finger_out_packet_matches_fixture),
		cmocka_unit_test(readings_of_a_live_packet),
		cmocka_unit_test(invalid_markers_are_not_numbers),
		cmocka_unit_test(start_command_encodes_as_captured),
		cmocka_unit_test(garbage_then_resync),
		cmocka_unit_test(truncated_packet_is_an_error),
		cmocka_unit_test(unknown_type_is_skipped_and_counted),
		cmocka_unit_test(storage_packet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
