/* test_gatt.c — the Bluetooth SIG characteristic decoders (devices/proto/gatt.c),
 * value by value. Bytes are built field by field from each specification's field
 * table (clause cited per test) with values whose encoding is worked out in the
 * comment; the blood-pressure value is the one of shared/recipes/ble-dbusmock
 * (120/80/93 mmHg, pulse 62). Special values (SFLOAT/FLOAT NaN, NRes, +INF, -INF),
 * truncations and reserved codes are checked to give no number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cabin/mdc.h"
#include "devices/proto/gatt.h"

#define S2(x) (uint8_t)((x) & 0xFF), (uint8_t)((x) >> 8)

static uint16_t term(const struct cab_reading *r)
{
	return (uint16_t)(r->mdc & 0xFFFF);
}

/* HTS 3.1: flags 0x06 (Celsius, time stamp, type), FLOAT 36.4 = exponent -1 (0xFF),
 * mantissa 364 (0x00016C) -> bytes 6C 01 00 FF; 2024-05-17 08:30:00; type 9
 * (tympanum). */
static void temperature_celsius_tympanum(void **state)
{
	(void)state;
	const uint8_t b[] = {0x06, 0x6C, 0x01, 0x00, 0xFF, 0xE8, 0x07, 5, 17, 8, 30, 0, 9};
	struct gatt_result o;
	assert_int_equal(gatt_decode(GATT_CHR_TEMP_MEAS, b, sizeof b, &o), 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(term(&o.r[0]), MDC_TEMP_TYMP);
	assert_true(o.r[0].value > 36.3999 && o.r[0].value < 36.4001);
	assert_string_equal(o.r[0].ucum, "Cel");
	assert_int_equal(o.temp_type, 9);
	assert_true(o.r[0].device_time_ms == 1715934600000LL); /* 2024-05-17T08:30:00Z */
}

/* HTS 3.1: Fahrenheit (bit 0) without the optional fields: 98.6 degF = mantissa 986
 * (0x0003DA), exponent -1. FLOAT NaN (0x007FFFFF) is no number. */
static void temperature_fahrenheit_and_nan(void **state)
{
	(void)state;
	const uint8_t f[] = {0x01, 0xDA, 0x03, 0x00, 0xFF};
	struct gatt_result o;
	assert_int_equal(gatt_decode(GATT_CHR_TEMP_MEAS, f, sizeof f, &o), 0);
	assert_int_equal(term(&o.r[0]), MDC_TEMP_BODY);
	assert_true(o.r[0].value > 98.5999 && o.r[0].value < 98.6001);
	assert_string_equal(o.r[0].ucum, "[degF]");
	assert_true(o.r[0].device_time_ms == INT64_MIN);
	const uint8_t nan[] = {0x00, 0xFF, 0xFF, 0x7F, 0x00};
	assert_int_equal(gatt_decode(GATT_CHR_TEMP_MEAS, nan, sizeof nan, &o), 0);
	assert_int_equal(o.r[0].value_kind, CAB_VALUE_NAN);
	assert_true(o.r[0].flags & CAB_RF_INVALID);
	/* type 10 is reserved in GSS Temperature Type */
	const uint8_t bad[] = {0x04, 0x6C, 0x01, 0x00, 0xFF, 10};
	assert_int_equal(gatt_decode(GATT_CHR_TEMP_MEAS, bad, sizeof bad, &o), GATT_E_INVALID);
	assert_int_equal(o.n, 0);
}

/* BLS 3.1 with every optional field (the ble-dbusmock recipe's value). */
static void blood_pressure_full(void **state)
{
	(void)state;
	const uint8_t b[] = {0x1E, S2(120), S2(80), S2(93), 0xE8, 0x07, 5, 17, 8, 30, 0,
	                     S2(62), 0x01, S2(0x0005)};
	struct gatt_result o;
	assert_int_equal(gatt_decode(GATT_CHR_BP_MEAS, b, sizeof b, &o), 0);
	assert_int_equal(o.n, 4);
	assert_int_equal(term(&o.r[0]), MDC_PRESS_BLD_NONINV_SYS);
	assert_true(o.r[0].value == 120);
	assert_int_equal(term(&o.r[1]), MDC_PRESS_BLD_NONINV_DIA);
	assert_true(o.r[1].value == 80);
	assert_int_equal(term(&o.r[2]), MDC_PRESS_BLD_NONINV_MEAN);
	assert_true(o.r[2].value == 93);
	assert_int_equal(term(&o.r[3]), MDC_PULS_RATE_NON_INV);
	assert_true(o.r[3].value == 62);
	assert_string_equal(o.r[0].ucum, "mm[Hg]");
	assert_string_equal(o.r[3].ucum, "/min");
	assert_int_equal(o.r[0].person_id, 1);
	/* status 0x0005: body movement + irregular pulse */
	assert_int_equal(o.r[0].measurement_status, 5);
	assert_true(o.r[0].flags & CAB_RF_MOTION);
	assert_true(o.r[0].flags & CAB_RF_IRREGULAR_HB);
	assert_false(o.r[0].flags & CAB_RF_CUFF_ERROR);
	assert_true(o.r[1].device_time_ms == 1715934600000LL);
}

/* BLS 3.1 in kPa: 16.0 kPa = SFLOAT exponent -1 mantissa 160 (0xF0A0); MAP NRes
 * (0x0800), no pulse; user 0xFF = unknown user. Truncated: status announced, absent. */
static void blood_pressure_kpa_specials_truncated(void **state)
{
	(void)state;
	const uint8_t b[] = {0x09, S2(0xF0A0), S2(0xF06B), S2(0x0800), 0xFF};
	struct gatt_result o;
	assert_int_equal(gatt_decode(GATT_CHR_BP_MEAS, b, sizeof b, &o), 0);
	assert_int_equal(o.n, 3);
	assert_string_equal(o.r[0].ucum, "kPa");
	assert_true(o.r[0].value > 15.9999 && o.r[0].value < 16.0001);
	assert_true(o.r[1].value > 10.6999 && o.r[1].value < 10.7001);
	assert_int_equal(o.r[2].value_kind, CAB_VALUE_NRES);
	assert_int_equal(o.r[0].person_id, 0xFFFF);
	const uint8_t t[] = {0x10, S2(120), S2(80), S2(93), 0x00};
	assert_int_equal(gatt_decode(GATT_CHR_BP_MEAS, t, sizeof t, &o), GATT_E_TRUNCATED);
	assert_int_equal(o.n, 0);
	assert_int_equal(gatt_decode(GATT_CHR_BP_MEAS, b, 0, &o), GATT_E_TRUNCATED);
	/* +INF and -INF SFLOAT */
	const uint8_t inf[] = {0x00, S2(0x07FE), S2(0x0802), S2(0x07FF)};
	assert_int_equal(gatt_decode(GATT_CHR_BP_MEAS, inf, sizeof inf, &o), 0);
	assert_int_equal(o.r[0].value_kind, CAB_VALUE_PINF);
	assert_int_equal(o.r[1].value_kind, CAB_VALUE_NINF);
	assert_int_equal(o.r[2].value_kind, CAB_VALUE_NAN);
}

/* PLXS 3.1 spot-check: SpO2 97, PR 65, measurement status (bit 9 stored), device and
 * sensor status bit 5 (low perfusion), PAI 2.5 (0xF019), device clock not set. */
static void plx_spot_check(void **state)
{
	(void)state;
	const uint8_t b[] = {0x1E, S2(97), S2(65), S2(0x0200), 0x20, 0x00, 0x00, S2(0xF019)};
	struct gatt_result o;
	assert_int_equal(gatt_decode(GATT_CHR_PLX_SPOT, b, sizeof b, &o), 0);
	assert_int_equal(o.n, 3);
	assert_int_equal(term(&o.r[0]), MDC_PULS_OXIM_SAT_O2);
	assert_true(o.r[0].value == 97);
	assert_int_equal(term(&o.r[1]), MDC_PULS_OXIM_PULS_RATE);
	assert_true(o.r[1].value == 65);
	assert_int_equal(term(&o.r[2]), MDC_PULS_OXIM_PERF_REL);
	assert_true(o.r[2].value > 2.4999 && o.r[2].value < 2.5001);
	assert_true(o.r[0].flags & CAB_RF_CLOCK_UNSET);
	assert_true(o.r[0].flags & CAB_RF_STORED);
	assert_true(o.r[0].flags & CAB_RF_SIGNAL_WEAK);
	assert_int_equal(o.plx_sensor_status, 0x20);
	/* sensor unconnected to user (bit 11): probe off */
	const uint8_t off[] = {0x04, S2(0x07FF), S2(0x07FF), 0x00, 0x08, 0x00};
	assert_int_equal(gatt_decode(GATT_CHR_PLX_SPOT, off, sizeof off, &o), 0);
	assert_true(o.r[0].flags & CAB_RF_NO_FINGER);
	assert_int_equal(o.r[0].value_kind, CAB_VALUE_NAN);
}

/* PLXS 3.2 continuous: Normal 98/70, Fast 97/71 skipped, PAI absent: live values. */
static void plx_continuous(void **state)
{
	(void)state;
	const uint8_t b[] = {0x01, S2(98), S2(70), S2(97), S2(71)};
	struct gatt_result o;
	assert_int_equal(gatt_decode(GATT_CHR_PLX_CONT, b, sizeof b, &o), 0);
	assert_int_equal(o.n, 2);
	assert_true(o.r[0].value == 98);
	assert_true(o.r[1].value == 70);
	assert_true(o.r[0].flags & CAB_RF_ONGOING);
	assert_int_equal(gatt_decode(GATT_CHR_PLX_CONT, b, 7, &o), GATT_E_TRUNCATED);
}

/* WSS 3.2: SI, time stamp, user 2, BMI and height: 72.5 kg = 14500 x 0.005; BMI 23.7
 * = 237; height 1.750 m = 1750 -> 175.0 cm. Imperial 160.00 lb = 16000 x 0.01, height
 * 69.0 in = 690. 0xFFFF = measurement unsuccessful. */
static void weight_si_imperial_unsuccessful(void **state)
{
	(void)state;
	const uint8_t b[] = {0x0E, S2(14500), 0xE8, 0x07, 5, 17, 8, 30, 0, 2, S2(237), S2(1750)};
	struct gatt_result o;
	assert_int_equal(gatt_decode(GATT_CHR_WEIGHT_MEAS, b, sizeof b, &o), 0);
	assert_int_equal(o.n, 3);
	assert_int_equal(term(&o.r[0]), MDC_MASS_BODY_ACTUAL);
	assert_true(o.r[0].value > 72.4999 && o.r[0].value < 72.5001);
	assert_string_equal(o.r[0].ucum, "kg");
	assert_int_equal(term(&o.r[1]), MDC_RATIO_MASS_BODY_LEN_SQ);
	assert_true(o.r[1].value > 23.6999 && o.r[1].value < 23.7001);
	assert_int_equal(term(&o.r[2]), MDC_LEN_BODY_ACTUAL);
	assert_true(o.r[2].value > 174.9999 && o.r[2].value < 175.0001);
	assert_string_equal(o.r[2].ucum, "cm");
	assert_int_equal(o.r[0].person_id, 2);
	const uint8_t i[] = {0x09, S2(16000), S2(220), S2(690)};
	assert_int_equal(gatt_decode(GATT_CHR_WEIGHT_MEAS, i, sizeof i, &o), 0);
	assert_true(o.r[0].value > 159.9999 && o.r[0].value < 160.0001);
	assert_string_equal(o.r[0].ucum, "[lb_av]");
	assert_true(o.r[2].value > 68.9999 && o.r[2].value < 69.0001);
	assert_string_equal(o.r[2].ucum, "[in_i]");
	const uint8_t u[] = {0x00, 0xFF, 0xFF};
	assert_int_equal(gatt_decode(GATT_CHR_WEIGHT_MEAS, u, sizeof u, &o), 0);
	assert_int_equal(o.r[0].value_kind, CAB_VALUE_NAN);
	assert_true(o.r[0].flags & CAB_RF_INVALID);
	/* WSS 3.1 feature: BMI supported (bit 2), weight resolution 7 (0.005 kg), height 3 */
	const uint8_t feat[] = {0xBC, 0x01, 0, 0}; /* bits 2, 3-6 = 7, 7-9 = 3 */
	double wr, hr;
	int bmi;
	assert_int_equal(gatt_weight_feature(feat, sizeof feat, &wr, &hr, &bmi), 0);
	assert_true(wr == 0.005);
	assert_true(hr == 0.001);
	assert_int_equal(bmi, 1);
}

/* GLS 3.1: seq 7, base 2024-05-17 08:30:00, offset +5 min, 0.00095 kg/L = SFLOAT
 * exponent -5 mantissa 95 (0xB05F) = 95 mg/dL, capillary whole blood (1) at the
 * finger (1). mol/L: 0.0053 mol/L = exponent -4 mantissa 53 (0xC035) = 5.3 mmol/L. */
static void glucose_units_and_time_offset(void **state)
{
	(void)state;
	const uint8_t b[] = {0x03, S2(7), 0xE8, 0x07, 5, 17, 8, 30, 0, S2(5), S2(0xB05F), 0x11};
	struct gatt_result o;
	assert_int_equal(gatt_decode(GATT_CHR_GLUCOSE_MEAS, b, sizeof b, &o), 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.glucose_seq, 7);
	assert_int_equal(term(&o.r[0]), MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD);
	assert_true(o.r[0].value == 95);
	assert_string_equal(o.r[0].ucum, "mg/dL");
	assert_true(o.r[0].device_time_ms == 1715934600000LL + 300000);
	assert_true(o.r[0].flags & CAB_RF_STORED);
	const uint8_t m[] = {0x06, S2(8), 0xE8, 0x07, 5, 17, 8, 31, 0, S2(0xC035), 0x12};
	assert_int_equal(gatt_decode(GATT_CHR_GLUCOSE_MEAS, m, sizeof m, &o), 0);
	assert_true(o.r[0].value == 5.3);
	assert_string_equal(o.r[0].ucum, "mmol/L");
	assert_int_equal(term(&o.r[0]), MDC_CONC_GLU_CAPILLARY_PLASMA);
}

/* GLS: control solution (type 10), HI (annunciation bit 5), LO (bit 6), time fault
 * (bit 11), reserved type 11: marked, never an ordinary value. */
static void glucose_control_hi_lo_reserved(void **state)
{
	(void)state;
	struct gatt_result o;
	const uint8_t ctl[] = {0x02, S2(9), 0xE8, 0x07, 5, 17, 8, 30, 0, S2(0xB05F), 0x1A};
	assert_int_equal(gatt_decode(GATT_CHR_GLUCOSE_MEAS, ctl, sizeof ctl, &o), 0);
	assert_int_equal(term(&o.r[0]), MDC_CONC_GLU_CONTROL);
	assert_true(o.r[0].flags & CAB_RF_CONTROL_SOLUTION);
	const uint8_t hi[] = {0x0A, S2(10), 0xE8, 0x07, 5, 17, 8, 30, 0, S2(0xB05F), 0x11, S2(0x0020)};
	assert_int_equal(gatt_decode(GATT_CHR_GLUCOSE_MEAS, hi, sizeof hi, &o), 0);
	assert_int_equal(o.r[0].value_kind, CAB_VALUE_PINF);
	assert_true(o.r[0].flags & CAB_RF_OUT_OF_RANGE);
	const uint8_t lo[] = {0x0A, S2(11), 0xE8, 0x07, 5, 17, 8, 30, 0, S2(0xB05F), 0x11, S2(0x0840)};
	assert_int_equal(gatt_decode(GATT_CHR_GLUCOSE_MEAS, lo, sizeof lo, &o), 0);
	assert_int_equal(o.r[0].value_kind, CAB_VALUE_NINF);
	assert_true(o.r[0].flags & CAB_RF_CLOCK_UNSET);
	assert_true(o.r[0].device_time_ms == INT64_MIN);
	const uint8_t res[] = {0x02, S2(12), 0xE8, 0x07, 5, 17, 8, 30, 0, S2(0xB05F), 0x1B};
	assert_int_equal(gatt_decode(GATT_CHR_GLUCOSE_MEAS, res, sizeof res, &o), GATT_E_INVALID);
	assert_int_equal(o.n, 0);
	const uint8_t baddate[] = {0x00, S2(13), 0xE8, 0x07, 13, 17, 8, 30, 0};
	assert_int_equal(gatt_decode(GATT_CHR_GLUCOSE_MEAS, baddate, sizeof baddate, &o), GATT_E_INVALID);
	assert_int_equal(gatt_decode(0x2A00, ctl, sizeof ctl, &o), GATT_E_UNKNOWN);
}

/* RACP (GLS 3.6): report records >= seq 0x0102; number of all records; the
 * responses (number 3; success; no records). Delete is never encoded by Cabin. */
static void racp_codec(void **state)
{
	(void)state;
	uint8_t out[7];
	size_t n = gatt_racp_encode(GATT_RACP_REPORT_RECORDS, GATT_RACP_GE, 0x0102, 0, out);
	const uint8_t ge[] = {0x01, 0x03, 0x01, 0x02, 0x01};
	assert_int_equal(n, sizeof ge);
	assert_memory_equal(out, ge, n);
	n = gatt_racp_encode(GATT_RACP_REPORT_NUMBER, GATT_RACP_ALL, 0, 0, out);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], 0x04);
	assert_int_equal(out[1], 0x01);
	struct gatt_racp_reply r;
	const uint8_t num[] = {0x05, 0x00, 0x03, 0x00};
	assert_int_equal(gatt_racp_decode(num, sizeof num, &r), 0);
	assert_int_equal(r.op, GATT_RACP_NUMBER_RESPONSE);
	assert_int_equal(r.count, 3);
	const uint8_t ok[] = {0x06, 0x00, 0x01, 0x01};
	assert_int_equal(gatt_racp_decode(ok, sizeof ok, &r), 0);
	assert_int_equal(r.request_op, 1);
	assert_int_equal(r.code, GATT_RACP_SUCCESS);
	const uint8_t none[] = {0x06, 0x00, 0x01, 0x06};
	assert_int_equal(gatt_racp_decode(none, sizeof none, &r), 0);
	assert_string_equal(gatt_racp_code_text(r.code), "no records found");
	assert_int_equal(gatt_racp_decode(num, 3, &r), GATT_E_TRUNCATED);
	const uint8_t bad[] = {0x06, 0x00, 0x01, 0x0A};
	assert_int_equal(gatt_racp_decode(bad, sizeof bad, &r), GATT_E_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(temperature_celsius_tympanum),
		cmocka_unit_test(temperature_fahrenheit_and_nan),
		cmocka_unit_test(blood_pressure_full),
		cmocka_unit_test(blood_pressure_kpa_specials_truncated),
		cmocka_unit_test(plx_spot_check),
		cmocka_unit_test(plx_continuous),
		cmocka_unit_test(weight_si_imperial_unsuccessful),
		cmocka_unit_test(glucose_units_and_time_offset),
		cmocka_unit_test(glucose_control_hi_lo_reserved),
		cmocka_unit_test(racp_codec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
