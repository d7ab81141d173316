/* test_readings.c — readings from instruments to waiting-room tiles: values with
 * their units in the patient's language, multi-value instruments, ongoing, invalid
 * and pre-session readings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cabin/mdc.h"
#include "kiosk/app/readings.h"

static struct cab_reading reading(enum cab_device_kind kind, uint16_t code, double value,
                                  const char *ucum)
{
	struct cab_reading r;
	memset(&r, 0, sizeof r);
	r.device.kind = kind;
	r.mdc = MDC_FULL(MDC_PART_SCADA, code);
	r.value = value;
	snprintf(r.ucum, sizeof r.ucum, "%s", ucum);
	return r;
}

static void thermometer_in_both_languages(void **state)
{
	(void)state;
	struct cab_view v;
	struct cab_vitals vit = {0};
	memset(&v, 0, sizeof v);
	cab_view_reset(&v);
	struct cab_reading r = reading(CAB_KIND_THERMOMETER, MDC_TEMP_BODY, 37.24, "Cel");
	assert_true(cab_reading_apply(&v, &vit, &r, "fr"));
	assert_int_equal(v.instruments[0].state, CAB_TILE_OK);
	assert_string_equal(v.instruments[0].detail, "37,2 °C");
	assert_true(cab_reading_apply(&v, &vit, &r, "en"));
	assert_string_equal(v.instruments[0].detail, "37.2 °C");
	struct cab_reading w = reading(CAB_KIND_SCALE, 0xE140, 72.45, "kg");
	cab_reading_apply(&v, &vit, &w, "fr");
	assert_string_equal(v.instruments[3].detail, "72,5 kg");
	struct cab_reading g = reading(CAB_KIND_GLUCOMETER, 0x71B8, 95.0, "mg/dL");
	cab_reading_apply(&v, &vit, &g, "en");
	assert_string_equal(v.instruments[4].detail, "95 mg/dL");
}

static void blood_pressure_and_oximetry_combine(void **state)
{
	(void)state;
	struct cab_view v;
	struct cab_vitals vit = {0};
	memset(&v, 0, sizeof v);
	cab_view_reset(&v);
	struct cab_reading s = reading(CAB_KIND_BLOOD_PRESSURE, MDC_PRESS_BLD_NONINV_SYS, 128, "mm[Hg]");
	struct cab_reading d = reading(CAB_KIND_BLOOD_PRESSURE, MDC_PRESS_BLD_NONINV_DIA, 82, "mm[Hg]");
	struct cab_reading p = reading(CAB_KIND_BLOOD_PRESSURE, MDC_PULS_RATE_NON_INV, 71, "/min");
	cab_reading_apply(&v, &vit, &s, "fr");
	cab_reading_apply(&v, &vit, &d, "fr");
	assert_string_equal(v.instruments[1].detail, "128/82 mmHg");
	cab_reading_apply(&v, &vit, &p, "fr");
	assert_string_equal(v.instruments[1].detail, "128/82 mmHg · 71 /min");
	struct cab_reading o = reading(CAB_KIND_PULSE_OXIMETER, MDC_PULS_OXIM_SAT_O2, 97, "%");
	struct cab_reading q = reading(CAB_KIND_PULSE_OXIMETER, MDC_PULS_OXIM_PULS_RATE, 64, "/min");
	cab_reading_apply(&v, &vit, &o, "en");
	cab_reading_apply(&v, &vit, &q, "en");
	assert_string_equal(v.instruments[2].detail, "SpO₂ 97 % · 64 /min");
}

static void ongoing_invalid_and_foreign_readings(void **state)
{
	(void)state;
	struct cab_view v;
	struct cab_vitals vit = {0};
	memset(&v, 0, sizeof v);
	cab_view_reset(&v);
	struct cab_reading r = reading(CAB_KIND_BLOOD_PRESSURE, MDC_PRESS_BLD_NONINV_SYS, 100, "mm[Hg]");
	r.flags = CAB_RF_ONGOING;
	assert_true(cab_reading_apply(&v, &vit, &r, "fr"));
	assert_int_equal(v.instruments[1].state, CAB_TILE_BUSY);
	r.flags = CAB_RF_INVALID;
	cab_reading_apply(&v, &vit, &r, "en");
	assert_int_equal(v.instruments[1].state, CAB_TILE_FAILED);
	assert_string_equal(v.instruments[1].detail, "Please measure again");
	r.flags = 0;
	r.value_kind = CAB_VALUE_NAN;
	cab_reading_apply(&v, &vit, &r, "en");
	assert_int_equal(v.instruments[1].state, CAB_TILE_FAILED);
	struct cab_reading old = reading(CAB_KIND_THERMOMETER, MDC_TEMP_BODY, 38.0, "Cel");
	old.flags = CAB_RF_BEFORE_SESSION; /* not this patient's: ignored */
	assert_false(cab_reading_apply(&v, &vit, &old, "fr"));
	assert_int_equal(v.instruments[0].state, CAB_TILE_IDLE);
	struct cab_reading cam = reading(CAB_KIND_OTOSCOPE, 0, 0, "");
	assert_false(cab_reading_apply(&v, &vit, &cam, "fr"));
	assert_int_equal(cab_reading_tile(CAB_KIND_GLUCOMETER), 4);
	assert_int_equal(cab_reading_tile(CAB_KIND_UNKNOWN), -1);
}

/* The scale's tile keeps the weight as its primary result when BMI and body fat
 * arrive after it; a BMI before any weight does not stand in for it; the blood-
 * pressure tile adds the mean pressure as a secondary value; HI glucose is shown as
 * the meter shows it; a control-solution test never reaches the tile. */
static void primary_results_and_marks(void **state)
{
	(void)state;
	struct cab_view v;
	struct cab_vitals vit = {0};
	memset(&v, 0, sizeof v);
	cab_view_reset(&v);
	struct cab_reading bmi = reading(CAB_KIND_SCALE, MDC_RATIO_MASS_BODY_LEN_SQ, 23.7, "kg/m2");
	assert_true(cab_reading_apply(&v, &vit, &bmi, "en"));
	assert_int_equal(v.instruments[3].state, CAB_TILE_BUSY);
	assert_string_equal(v.instruments[3].detail, "");
	struct cab_reading w = reading(CAB_KIND_SCALE, MDC_MASS_BODY_ACTUAL, 72.5, "kg");
	assert_true(cab_reading_apply(&v, &vit, &w, "en"));
	struct cab_reading fat = reading(CAB_KIND_SCALE, MDC_BODY_FAT, 21.4, "%");
	assert_true(cab_reading_apply(&v, &vit, &fat, "en"));
	assert_int_equal(v.instruments[3].state, CAB_TILE_OK);
	assert_string_equal(v.instruments[3].detail, "72.5 kg · BMI 23.7 · fat 21.4 %");
	struct cab_reading s = reading(CAB_KIND_BLOOD_PRESSURE, MDC_PRESS_BLD_NONINV_SYS, 120, "mm[Hg]");
	struct cab_reading d = reading(CAB_KIND_BLOOD_PRESSURE, MDC_PRESS_BLD_NONINV_DIA, 80, "mm[Hg]");
	struct cab_reading m = reading(CAB_KIND_BLOOD_PRESSURE, MDC_PRESS_BLD_NONINV_MEAN, 93, "mm[Hg]");
	assert_true(cab_reading_apply(&v, &vit, &m, "en"));
	assert_int_equal(v.instruments[1].state, CAB_TILE_BUSY); /* MAP alone is not the result */
	assert_true(cab_reading_apply(&v, &vit, &s, "en"));
	assert_true(cab_reading_apply(&v, &vit, &d, "en"));
	assert_string_equal(v.instruments[1].detail, "120/80 mmHg · MAP 93");
	struct cab_reading hi = reading(CAB_KIND_GLUCOMETER, MDC_CONC_GLU_CAPILLARY_PLASMA, 0, "mg/dL");
	hi.value_kind = CAB_VALUE_PINF;
	hi.flags = CAB_RF_STORED | CAB_RF_OUT_OF_RANGE;
	assert_true(cab_reading_apply(&v, &vit, &hi, "en"));
	assert_string_equal(v.instruments[4].detail, "HI mg/dL");
	struct cab_reading ctl = reading(CAB_KIND_GLUCOMETER, MDC_CONC_GLU_CONTROL, 140, "mg/dL");
	ctl.flags = CAB_RF_STORED | CAB_RF_CONTROL_SOLUTION;
	assert_false(cab_reading_apply(&v, &vit, &ctl, "en"));
	assert_string_equal(v.instruments[4].detail, "HI mg/dL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(thermometer_in_both_languages),
	    cmocka_unit_test(blood_pressure_and_oximetry_combine),
	    cmocka_unit_test(ongoing_invalid_and_foreign_readings),
	    cmocka_unit_test(primary_results_and_marks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
