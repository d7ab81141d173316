/* test_dedupe.c — a reading an instrument reports twice (a retry after an error
 * answer: same instrument, code, value, unit and instrument time) is kept once; a new
 * measurement (another instrument time), another instrument, or a reading without an
 * instrument time is never merged (kiosk/app/dedupe.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/app/dedupe.h"

static struct cab_reading temp(double v, int64_t dev_ms)
{
	struct cab_reading r;
	memset(&r, 0, sizeof r);
	r.mdc = 0x00024BB8; /* MDC_TEMP_BODY (partition 2, term 19384) */
	r.value_kind = CAB_VALUE_NUMBER;
	r.value = v;
	strcpy(r.ucum, "Cel");
	r.device_time_ms = dev_ms;
	r.cabin_time_ms = dev_ms + 400;
	r.device.kind = CAB_KIND_THERMOMETER;
	strcpy(r.device.model, "SIM-THERMO");
	strcpy(r.device.serial, "T-0001");
	return r;
}

static void retried_report_kept_once(void **state)
{
	(void)state;
	struct cab_dedupe d;
	cab_dedupe_reset(&d);
	struct cab_reading a = temp(36.8, 1767225600000), again = a;
	again.cabin_time_ms += 2500; /* the retry arrives later, same instrument time */
	assert_false(cab_dedupe_seen(&d, &a));
	assert_true(cab_dedupe_seen(&d, &again));
	struct cab_reading next = temp(36.8, 1767225660000); /* a new measurement, same value */
	assert_false(cab_dedupe_seen(&d, &next));
	struct cab_reading other = a;
	strcpy(other.device.serial, "T-0002"); /* another thermometer */
	assert_false(cab_dedupe_seen(&d, &other));
	struct cab_reading notime = temp(97.0, INT64_MIN);
	assert_false(cab_dedupe_seen(&d, &notime));
	assert_false(cab_dedupe_seen(&d, &notime)); /* no instrument time: never merged */
	cab_dedupe_reset(&d); /* next session */
	assert_false(cab_dedupe_seen(&d, &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(retried_report_kept_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
