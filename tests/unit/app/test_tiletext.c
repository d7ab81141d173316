/* test_tiletext.c — instrument tile slots and texts (kiosk/app/tiletext.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "cabin/mdc.h"
#include "kiosk/app/tiletext.h"

#define S(code) MDC_FULL(MDC_PART_SCADA, code)

static void slots(void **state)
{
	(void)state;
	assert_int_equal(cab_tile_slot(0, S(MDC_TEMP_BODY)), 0);
	assert_int_equal(cab_tile_slot(0, S(MDC_TEMP_TYMP)), 0);
	assert_int_equal(cab_tile_slot(1, S(MDC_PRESS_BLD_NONINV_SYS)), 0);
	assert_int_equal(cab_tile_slot(1, S(MDC_PRESS_BLD_NONINV_DIA)), 1);
	assert_int_equal(cab_tile_slot(1, S(MDC_PULS_RATE_NON_INV)), 2);
	assert_int_equal(cab_tile_slot(1, S(MDC_PRESS_BLD_NONINV_MEAN)), -1);
	assert_int_equal(cab_tile_slot(2, S(MDC_PULS_OXIM_SAT_O2)), 0);
	assert_int_equal(cab_tile_slot(2, S(MDC_PULS_OXIM_PULS_RATE)), 1);
	assert_int_equal(cab_tile_slot(2, S(MDC_PULS_OXIM_PERF_REL)), -1);
	assert_int_equal(cab_tile_slot(3, S(MDC_MASS_BODY_ACTUAL)), 0);
	assert_int_equal(cab_tile_slot(3, S(MDC_LEN_BODY_ACTUAL)), -1);
	assert_int_equal(cab_tile_slot(4, S(MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD)), 0);
	/* a code of another partition or tile is not shown */
	assert_int_equal(cab_tile_slot(0, MDC_FULL(MDC_PART_DIM, MDC_TEMP_BODY)), -1);
	assert_int_equal(cab_tile_slot(0, S(MDC_MASS_BODY_ACTUAL)), -1);
	assert_int_equal(cab_tile_slot(7, S(MDC_TEMP_BODY)), -1);
}

static void texts(void **state)
{
	(void)state;
	char buf[64];
	double none[4] = {NAN, NAN, NAN, NAN};
	double temp[4] = {36.8, NAN, NAN, NAN};
	double bp[4] = {123, 78, 87, NAN};
	double bp2[4] = {123, 78, NAN, NAN};
	double ox[4] = {97, 65, NAN, NAN};
	double kg[4] = {72.4, NAN, NAN, NAN};
	double glu[4] = {104, NAN, NAN, NAN};
	assert_string_equal(cab_tile_text(0, none, "fr", buf, sizeof buf), "");
	assert_string_equal(cab_tile_text(0, temp, "fr", buf, sizeof buf), "36,8 °C");
	assert_string_equal(cab_tile_text(0, temp, "en", buf, sizeof buf), "36.8 °C");
	assert_string_equal(cab_tile_text(1, bp, "fr", buf, sizeof buf), "123/78 mmHg · 87 /min");
	assert_string_equal(cab_tile_text(1, bp2, "en", buf, sizeof buf), "123/78 mmHg");
	double sys_only[4] = {123, NAN, NAN, NAN};
	assert_string_equal(cab_tile_text(1, sys_only, "en", buf, sizeof buf), "");
	assert_string_equal(cab_tile_text(2, ox, "fr", buf, sizeof buf), "SpO2 97 % · 65 /min");
	assert_string_equal(cab_tile_text(3, kg, "fr", buf, sizeof buf), "72,4 kg");
	assert_string_equal(cab_tile_text(4, glu, "en", buf, sizeof buf), "104 mg/dL");
	char tiny[6];
	assert_string_equal(cab_tile_text(1, bp, "en", tiny, sizeof tiny), "123/7"); /* truncated, terminated */
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(slots), cmocka_unit_test(texts)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
