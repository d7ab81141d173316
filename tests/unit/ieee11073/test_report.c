/* test_report.c — measurement reports to readings: the fixed scan reports of the
 * replay fixtures (Antidote H.2.4.1/H.2.4.4 style, LDDI 10404) decoded with the
 * configuration they pair with and compared value by value (value, metric, unit,
 * time); BP compound split; special values; var and multi-person reports; status
 * bits; readings before the session flagged; malformed reports refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <time.h>

#include "cabin/mdc.h"
#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/config.h"
#include "devices/proto/ieee11073/nomenclature.h"
#include "devices/proto/ieee11073/numeric.h"
#include "devices/proto/ieee11073/report.h"
#include "fixture.h"

static struct cab_reading rd[IEEE_REPORT_READINGS_MAX];

static const char *ucum_of(const char *mdc_dim)
{
	static const struct { const char *mdc, *ucum; } u[] = {
		{"MDC_DIM_PERCENT", "%"}, {"MDC_DIM_BEAT_PER_MIN", "/min"}, {"MDC_DIM_MMHG", "mm[Hg]"},
		{"MDC_DIM_KILO_G", "kg"}, {"MDC_DIM_KG_PER_M_SQ", "kg/m2"}, {"MDC_DIM_CENTI_M", "cm"},
	};
	for (size_t k = 0; k < sizeof u / sizeof u[0]; k++)
		if (!strcmp(u[k].mdc, mdc_dim))
			return u[k].ucum;
	fail_msg("unit %s not in the test's table", mdc_dim);
	return NULL;
}

static void time_text(int64_t ms, char *buf, size_t size)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000) / 10);
}

/* Parses config report fixture NAME into C. */
static void load_config(const char *name, struct ieee_config *c)
{
	struct ieee_apdu a;
	size_t len;
	uint8_t *b = fx_hex(name, &len);
	char err[160];
	assert_int_equal(ieee_apdu_parse(b, len, &a, NULL, err, sizeof err), 0);
	assert_int_equal(ieee_config_report_parse(a.u.prst.u.event.info, a.u.prst.u.event.info_len,
	                                          c, err, sizeof err), 0);
	free(b);
}

/* Decodes report fixture NAME with CFG and compares every observation. */
static void check_report(const char *name, const struct ieee_config *cfg)
{
	struct ieee_apdu a;
	size_t len, n = 0, i, j, at = 0;
	uint8_t *b = fx_hex(name, &len);
	char err[192] = "";
	json_t *dec, *root = fx_json(name, &dec), *sum = json_object_get(dec, "summary"), *o;
	struct ieee_report_ctx ctx = {.cfg = cfg, .cabin_time_ms = 1, .session_start_ms = INT64_MIN};
	const uint8_t *info;
	uint16_t info_len, type;

	assert_int_equal(ieee_apdu_parse(b, len, &a, NULL, err, sizeof err), 0);
	assert_int_equal(a.u.prst.invoke_id, fx_hexval(json_object_get(sum, "invoke-id")));
	if (a.u.prst.choice == IEEE_RORS_CONF_ACTION) { /* DataResponse: rel-time, result, type, info */
		info = a.u.prst.u.action.info + 10;
		info_len = (uint16_t)(a.u.prst.u.action.info_len - 10);
		type = (uint16_t)(a.u.prst.u.action.info[6] << 8 | a.u.prst.u.action.info[7]);
		ctx.stored = 1;
	} else {
		info = a.u.prst.u.event.info;
		info_len = a.u.prst.u.event.info_len;
		type = a.u.prst.u.event.event_type;
	}
	assert_int_equal(type, IEEE_NOTI_SCAN_REPORT_FIXED);
	if (ieee_scan_report_decode(type, info, info_len, &ctx, rd, IEEE_REPORT_READINGS_MAX, &n,
	                            err, sizeof err))
		fail_msg("%s: %s", name, err);
	json_array_foreach(json_object_get(sum, "observations"), i, o) {
		const char *metric = json_string_value(json_object_get(o, "metric"));
		const char *unit = ucum_of(json_string_value(json_object_get(o, "unit")));
		const char *when = json_string_value(json_object_get(o, "time"));
		json_t *vals = json_object_get(o, "values");
		json_t *first = json_array_get(vals, 0);
		size_t nv = json_is_array(first) ? json_array_size(first) : json_array_size(vals);
		char t[40];

		for (j = 0; j < nv; j++, at++) {
			const struct cab_reading *r = &rd[at];
			double want = json_number_value(json_is_array(first) ? json_array_get(first, j)
			                                                      : json_array_get(vals, j));
			const char *nm = cab_mdc_name(r->mdc);
			assert_true(at < n);
			assert_int_equal(r->value_kind, CAB_VALUE_NUMBER);
			assert_true(r->value == want);
			assert_non_null(nm);
			assert_int_equal(strncmp(nm, metric, strcspn(metric, " ")), 0);
			assert_string_equal(r->ucum, unit);
			time_text(r->device_time_ms, t, sizeof t);
			assert_string_equal(t, when);
			assert_int_equal(r->person_id, 0xFFFF);
			assert_int_equal(r->cabin_time_ms, 1);
			assert_int_equal(!!(r->flags & CAB_RF_STORED), ctx.stored);
		}
	}
	assert_int_equal(n, at);
	json_decref(root);
	free(b);
}

static void fixed_report_fixtures(void **state)
{
	(void)state;
	struct ieee_config c;

	check_report("antidote_H241_ID_0190_fixed_pulseox", ieee_std_config(0x0190));
	check_report("antidote_H241_ID_02BC_fixed_bp", ieee_std_config(0x02BC));
	load_config("antidote_H221_ID_05DC_config_scale_weight_height_bmi", &c);
	check_report("antidote_H241_ID_05DC_fixed_scale", &c);
	load_config("antidote_H221_config_ext_scale_weight_bodyfat", &c);
	check_report("antidote_H241_fixed_scale", &c);
	check_report("antidote_H244_data_response_fixed", &c);
	load_config("lddi_ExtendedCfg10404_pulseox", &c);
	check_report("lddi_ExtendedMeasure10404_fixed", &c);
}

static void blood_pressure_gives_four_readings(void **state)
{
	(void)state;
	struct ieee_apdu a;
	size_t len, n;
	uint8_t *b = fx_hex("antidote_H241_ID_02BC_fixed_bp", &len);
	char err[160];
	struct ieee_report_ctx ctx = {.cfg = ieee_std_config(0x02BC), .session_start_ms = INT64_MIN};

	assert_int_equal(ieee_apdu_parse(b, len, &a, NULL, err, sizeof err), 0);
	assert_int_equal(ieee_scan_report_decode(a.u.prst.u.event.event_type, a.u.prst.u.event.info,
	                                         a.u.prst.u.event.info_len, &ctx, rd, 16, &n, err,
	                                         sizeof err), 0);
	assert_int_equal(n, 4);
	assert_int_equal(rd[0].mdc, MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS));
	assert_int_equal(rd[1].mdc, MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA));
	assert_int_equal(rd[2].mdc, MDC_FULL(2, MDC_PRESS_BLD_NONINV_MEAN));
	assert_int_equal(rd[3].mdc, MDC_FULL(2, MDC_PULS_RATE_NON_INV));
	assert_true(rd[0].value == 120 && rd[1].value == 80 && rd[2].value == 100 && rd[3].value == 60);
	assert_string_equal(rd[0].ucum, "mm[Hg]");
	assert_string_equal(rd[3].ucum, "/min");
	free(b);
}

/* Builds a report's event-info with the writer. */
static size_t thermometer_fixed(uint8_t *buf, size_t cap, uint16_t sfloat, const uint8_t t[8])
{
	struct ieee_wr w;
	ieee_wr_init(&w, buf, cap);
	ieee_wr_u16(&w, IEEE_DATA_REQ_ID_AGENT_INIT);
	ieee_wr_u16(&w, 0);
	ieee_wr_u16(&w, 1);
	ieee_wr_u16(&w, 14);
	ieee_wr_u16(&w, 1);
	ieee_wr_u16(&w, 10);
	ieee_wr_u16(&w, sfloat);
	ieee_wr_bytes(&w, t, 8);
	return w.pos;
}

static const uint8_t t2026[8] = {0x20, 0x26, 0x11, 0x29, 0x14, 0x00, 0x00, 0x00};

static void special_values_are_not_numbers(void **state)
{
	(void)state;
	uint8_t buf[64];
	size_t n, len = thermometer_fixed(buf, sizeof buf, 0x07FF, t2026);
	char err[160];
	struct ieee_report_ctx ctx = {.cfg = ieee_std_config(0x0320), .session_start_ms = INT64_MIN};

	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, buf, len, &ctx, rd, 4,
	                                         &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rd[0].value_kind, CAB_VALUE_NAN);
	assert_int_equal(rd[0].mdc, MDC_FULL(2, MDC_TEMP_BODY));
	assert_string_equal(rd[0].ucum, "Cel");
	len = thermometer_fixed(buf, sizeof buf, 0x0802, t2026);
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, buf, len, &ctx, rd, 4,
	                                         &n, err, sizeof err), 0);
	assert_int_equal(rd[0].value_kind, CAB_VALUE_NINF);
}

static void before_session_and_stored(void **state)
{
	(void)state;
	uint8_t buf[64];
	size_t n, len = thermometer_fixed(buf, sizeof buf, 0xF16E, t2026); /* 36.6 at 14:00 */
	char err[160];
	int64_t at;
	struct ieee_report_ctx ctx = {.cfg = ieee_std_config(0x0320)};

	assert_int_equal(ieee_abstime_decode(t2026, &at), 0);
	ctx.session_start_ms = at + 60000; /* session began a minute after the measurement */
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, buf, len, &ctx, rd, 4,
	                                         &n, err, sizeof err), 0);
	assert_true(rd[0].value == 36.6);
	assert_true(rd[0].flags & CAB_RF_BEFORE_SESSION);
	ctx.session_start_ms = at - 60000;
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, buf, len, &ctx, rd, 4,
	                                         &n, err, sizeof err), 0);
	assert_false(rd[0].flags & CAB_RF_BEFORE_SESSION);
	/* buffered (stored) report with the clock unset: cannot be shown to be this patient's */
	static const uint8_t unset[8];
	len = thermometer_fixed(buf, sizeof buf, 0xF16E, unset);
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_BUF_SCAN_REPORT_FIXED, buf, len, &ctx, rd,
	                                         4, &n, err, sizeof err), 0);
	assert_int_equal(rd[0].device_time_ms, INT64_MIN);
	assert_true(rd[0].flags & CAB_RF_STORED);
	assert_true(rd[0].flags & CAB_RF_BEFORE_SESSION);
}

static void var_and_multi_person_reports(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct ieee_wr w;
	size_t n, mark;
	char err[160];
	struct ieee_report_ctx ctx = {.cfg = ieee_std_config(0x05DC), .session_start_ms = INT64_MIN};

	/* var: handle 1 with {MSMT_STAT invalid, Simple-Nu 62.4 kg} */
	ieee_wr_init(&w, buf, sizeof buf);
	ieee_wr_u16(&w, IEEE_DATA_REQ_ID_AGENT_INIT);
	ieee_wr_u16(&w, 3);
	ieee_wr_u16(&w, 1);
	mark = ieee_wr_len_begin(&w);
	ieee_wr_u16(&w, 1);
	ieee_wr_u16(&w, 3);
	ieee_wr_u16(&w, 21);
	ieee_wr_u16(&w, 0x7777); /* an attribute Cabin does not know: skipped by its length */
	ieee_wr_u16(&w, 3);
	ieee_wr_bytes(&w, (const uint8_t *)"abc", 3);
	ieee_wr_u16(&w, IEEE_ATTR_MSMT_STAT);
	ieee_wr_u16(&w, 2);
	ieee_wr_u16(&w, IEEE_MS_INVALID | IEEE_MS_MSMT_ONGOING);
	ieee_wr_u16(&w, IEEE_ATTR_NU_VAL_OBS_SIMP);
	ieee_wr_u16(&w, 4);
	ieee_wr_u32(&w, 0xFF000270);
	ieee_wr_len_end(&w, mark);
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_VAR, buf, w.pos, &ctx, rd, 4, &n,
	                                         err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_true(rd[0].value == 62.4);
	assert_int_equal(rd[0].measurement_status, IEEE_MS_INVALID | IEEE_MS_MSMT_ONGOING);
	assert_true(rd[0].flags & CAB_RF_INVALID);
	assert_true(rd[0].flags & CAB_RF_ONGOING);
	assert_int_equal(rd[0].device_time_ms, INT64_MIN);

	/* MP fixed: persons 1 and 2, one weight each */
	ieee_wr_init(&w, buf, sizeof buf);
	ieee_wr_u16(&w, IEEE_DATA_REQ_ID_AGENT_INIT);
	ieee_wr_u16(&w, 0);
	ieee_wr_u16(&w, 2);
	mark = ieee_wr_len_begin(&w);
	for (uint16_t p = 1; p <= 2; p++) {
		size_t m2;
		ieee_wr_u16(&w, p);
		ieee_wr_u16(&w, 1);
		m2 = ieee_wr_len_begin(&w);
		ieee_wr_u16(&w, 1);
		ieee_wr_u16(&w, 12);
		ieee_wr_u32(&w, p == 1 ? 0xFF0002FA : 0xFF0002F8);
		ieee_wr_bytes(&w, t2026, 8);
		ieee_wr_len_end(&w, m2);
	}
	ieee_wr_len_end(&w, mark);
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_MP_FIXED, buf, w.pos, &ctx, rd,
	                                         4, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rd[0].person_id, 1);
	assert_true(rd[0].value == 76.2);
	assert_int_equal(rd[1].person_id, 2);
	assert_true(rd[1].value == 76.0);

	/* MP var: person 7, handle 1 {Simple-Nu 80.5 kg} */
	size_t m2, m3;
	ieee_wr_init(&w, buf, sizeof buf);
	ieee_wr_u16(&w, IEEE_DATA_REQ_ID_AGENT_INIT);
	ieee_wr_u16(&w, 1);
	ieee_wr_u16(&w, 1);
	mark = ieee_wr_len_begin(&w);
	ieee_wr_u16(&w, 7);
	ieee_wr_u16(&w, 1);
	m2 = ieee_wr_len_begin(&w);
	ieee_wr_u16(&w, 1);
	ieee_wr_u16(&w, 1);
	m3 = ieee_wr_len_begin(&w);
	ieee_wr_u16(&w, IEEE_ATTR_NU_VAL_OBS_SIMP);
	ieee_wr_u16(&w, 4);
	ieee_wr_u32(&w, 0xFF000325);
	ieee_wr_len_end(&w, m3);
	ieee_wr_len_end(&w, m2);
	ieee_wr_len_end(&w, mark);
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_MP_VAR, buf, w.pos, &ctx, rd,
	                                         4, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rd[0].person_id, 7);
	assert_true(rd[0].value == 80.5);
	assert_string_equal(rd[0].ucum, "kg");
	/* the var attribute's length must match its type */
	buf[w.pos - 5] = 3;
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_MP_VAR, buf, w.pos, &ctx, rd,
	                                         4, &n, err, sizeof err), IEEE_E_CONFIG);
}

static void malformed_reports_are_refused(void **state)
{
	(void)state;
	uint8_t buf[128];
	size_t n, len;
	char err[192];
	struct ieee_report_ctx ctx = {.cfg = ieee_std_config(0x0320), .session_start_ms = INT64_MIN};
	uint8_t *b;
	struct ieee_apdu a;

	/* a handle outside the configuration */
	len = thermometer_fixed(buf, sizeof buf, 0xF16E, t2026);
	buf[9] = 7;
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, buf, len, &ctx, rd, 4,
	                                         &n, err, sizeof err), IEEE_E_CONFIG);
	assert_non_null(strstr(err, "handle 7 is not in configuration 0x0320"));
	/* observed data not matching the value map */
	len = thermometer_fixed(buf, sizeof buf, 0xF16E, t2026);
	buf[11] = 9;
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, buf, len, &ctx, rd, 4,
	                                         &n, err, sizeof err), IEEE_E_CONFIG);
	assert_non_null(strstr(err, "9 bytes of observed data but its value map says 10"));
	/* invalid BCD time */
	static const uint8_t bad[8] = {0x20, 0x26, 0x1A, 0x29, 0x14, 0x00, 0x00, 0x00};
	len = thermometer_fixed(buf, sizeof buf, 0xF16E, bad);
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, buf, len, &ctx, rd, 4,
	                                         &n, err, sizeof err), IEEE_E_INVALID);
	assert_non_null(strstr(err, "not valid BCD"));
	/* the readings before a fault are kept: the scale report with its 3rd handle broken */
	struct ieee_config c;
	load_config("antidote_H221_ID_05DC_config_scale_weight_height_bmi", &c);
	ctx.cfg = &c;
	b = fx_hex("antidote_H241_ID_05DC_fixed_scale", &len);
	b[22 + 8 + 16 + 16 + 1] = 9; /* 3rd observation's handle -> 9 */
	assert_int_equal(ieee_apdu_parse(b, len, &a, NULL, err, sizeof err), 0);
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, a.u.prst.u.event.info,
	                                         a.u.prst.u.event.info_len, &ctx, rd, 8, &n, err,
	                                         sizeof err), IEEE_E_CONFIG);
	assert_non_null(strstr(err, "handle 9 is not in configuration 0x4000"));
	assert_int_equal(n, 2);
	assert_true(rd[0].value == 76.2 && rd[1].value == 24.3);
	/* output bound: one slot for a 4-observation report */
	b[22 + 8 + 16 + 16 + 1] = 1;
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, a.u.prst.u.event.info,
	                                         a.u.prst.u.event.info_len, &ctx, rd, 1, &n, err,
	                                         sizeof err), IEEE_E_LIMIT);
	assert_int_equal(n, 1);
	/* every truncation of the event-info */
	for (size_t cut = 0; cut < a.u.prst.u.event.info_len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, a.u.prst.u.event.info, cut);
		assert_int_not_equal(ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, copy, cut, &ctx,
		                                             rd, 8, &n, err, sizeof err), 0);
		free(copy);
	}
	free(b);
	/* not a measurement report */
	assert_int_equal(ieee_scan_report_decode(IEEE_NOTI_CONFIG, buf, 4, &ctx, rd, 8, &n, err,
	                                         sizeof err), IEEE_E_UNSUPPORTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixed_report_fixtures),
		cmocka_unit_test(blood_pressure_gives_four_readings),
		cmocka_unit_test(special_values_are_not_numbers),
		cmocka_unit_test(before_session_and_stored),
		cmocka_unit_test(var_and_multi_person_reports),
		cmocka_unit_test(malformed_reports_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
