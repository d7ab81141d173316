/* test_freestyle_driver.c — the FreeStyle simulators (devices/sim/freestyle_sim.c,
 * the meter's own 64-byte reports) read back through the real driver and the device
 * manager: the new strip result only (stored ones are not this patient's), exact
 * mg/dL, the clock offset, an unset clock flagged, HI marked, a CMD Fail! answer
 * retried without a duplicate, an unplug in the middle of the record list, and the
 * doctor's history request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cabin/devices.h"
#include "cabin/mdc.h"
#include "recorder.h"

#define GLU MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_PLASMA)
#define WAIT 8000 /* deadline of a wait, ms (not an assertion on time) */

static struct cab_devices *start_with(const char *sim, const char *opts, unsigned *handle)
{
	struct cab_devices_config cfg = {.no_hotplug = 1};
	setenv("CABIN_FS_POLL_MS", "100", 1);
	rec_reset();
	struct cab_devices *m = cab_devices_new(&cfg, &rec_callbacks);
	assert_non_null(m);
	assert_int_equal(cab_devices_start(m), 0);
	*handle = cab_devices_add_simulator(m, sim, opts);
	assert_true(*handle > 0);
	assert_true(rec_wait(0, 's', -1, CAB_DEV_READY, 0, 0, WAIT) >= 0);
	return m;
}

static int count_glucose(void)
{
	int n = 0;
	for (int k = 0; k < rec_count(); k++)
		n += rec_get(k).what == 'r' && rec_get(k).reading.mdc == GLU;
	return n;
}

/* Waits until the driver is READY again after a measurement (the poll that found it). */
static void wait_ready_after(int from)
{
	assert_true(rec_wait(from, 's', -1, CAB_DEV_READY, 0, 0, WAIT) >= 0);
}

static void neo_new_result_only(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("freestyle", "measure_ms=-1,clock_offset_s=600", &h);
	assert_int_not_equal(cab_devices_sim_measure(m, "freestyle", "glucose=123,measure_ms=200"), 0);
	int i = rec_wait(0, 'r', -1, -1, GLU, 1, WAIT);
	assert_true(i >= 0);
	struct cab_reading r = rec_get(i).reading;
	assert_true(r.value == 123);
	assert_string_equal(r.ucum, "mg/dL");
	assert_int_equal(r.flags, CAB_RF_STORED);
	assert_string_equal(r.device.driver, "freestyle");
	assert_string_equal(r.device.serial, "SIMNEO1-00001");
	/* the meter runs 10 min ahead; it counts minutes: 540..600 s */
	assert_true(r.clock_offset_ms > 539000 && r.clock_offset_ms <= 600000);
	wait_ready_after(i);
	assert_int_equal(count_glucose(), 1);
	cab_devices_free(m);
}

static void error_answer_retried_without_duplicate(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("freestyle", "measure_ms=-1", &h);
	assert_int_not_equal(
	    cab_devices_sim_measure(m, "freestyle", "glucose=99,measure_ms=150,fault=error-once"), 0);
	int i = rec_wait(0, 'r', -1, -1, GLU, 1, WAIT);
	assert_true(i >= 0);
	wait_ready_after(i);
	assert_int_not_equal(
	    cab_devices_sim_measure(m, "freestyle", "glucose=101,measure_ms=150,fault=bad-checksum"), 0);
	int j = rec_wait(i + 1, 'r', -1, -1, GLU, 1, WAIT);
	assert_true(j >= 0);
	assert_true(rec_get(j).reading.value == 101);
	wait_ready_after(j);
	assert_int_equal(count_glucose(), 2);
	cab_devices_free(m);
}

static void libre_unset_clock_flagged(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("freestyle-libre", "measure_ms=-1,fault=clock-unset", &h);
	assert_int_not_equal(cab_devices_sim_measure(m, "freestyle-libre", "glucose=87,measure_ms=100"), 0);
	int i = rec_wait(0, 'r', -1, -1, GLU, 1, WAIT);
	assert_true(i >= 0);
	struct cab_reading r = rec_get(i).reading;
	assert_true(r.value == 87);
	assert_int_equal(r.flags, CAB_RF_STORED | CAB_RF_CLOCK_UNSET);
	assert_true(r.device_time_ms == INT64_MIN);
	assert_true(r.clock_offset_ms == INT64_MIN);
	cab_devices_free(m);
}

static void neo_hi_marked(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("freestyle", "measure_ms=-1", &h);
	assert_int_not_equal(cab_devices_sim_measure(m, "freestyle", "fault=hi,measure_ms=100"), 0);
	int i = rec_wait(0, 'r', -1, -1, GLU, 1, WAIT);
	assert_true(i >= 0);
	assert_int_equal(rec_get(i).reading.value_kind, CAB_VALUE_PINF);
	assert_true(rec_get(i).reading.flags & CAB_RF_OUT_OF_RANGE);
	cab_devices_free(m);
}

static void unplug_mid_record_list(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("freestyle", "measure_ms=-1", &h);
	assert_int_not_equal(cab_devices_sim_measure(m, "freestyle", "fault=unplug,measure_ms=100"), 0);
	int i = rec_wait(0, 's', CAB_INC_UNPLUGGED_MID_MEASUREMENT, CAB_DEV_GONE, 0, 0, WAIT);
	assert_true(i >= 0);
	assert_true(rec_wait(i, 'd', -1, -1, 0, 0, WAIT) >= 0);
	assert_int_equal(count_glucose(), 0);
	cab_devices_free(m);
}

static void history_on_request(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("freestyle", "measure_ms=-1,stored=3", &h);
	/* since 2024-01-02 00:00 UTC: the synthetic records of 01-02 and 01-03 */
	assert_int_equal(cab_devices_request_history(m, CAB_KIND_GLUCOMETER, 1704153600000LL), 1);
	int i = rec_wait(0, 'r', -1, -1, GLU, 1, WAIT);
	assert_true(i >= 0);
	assert_true(rec_get(i).reading.value == 101);
	assert_int_equal(rec_get(i).reading.flags, CAB_RF_STORED | CAB_RF_HISTORY);
	int j = rec_wait(i + 1, 'r', -1, -1, GLU, 1, WAIT);
	assert_true(j >= 0);
	assert_true(rec_get(j).reading.value == 104);
	assert_int_equal(cab_devices_request_history(m, CAB_KIND_BLOOD_PRESSURE, 0), 0);
	cab_devices_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(neo_new_result_only),
		cmocka_unit_test(error_answer_retried_without_duplicate),
		cmocka_unit_test(libre_unset_clock_flagged),
		cmocka_unit_test(neo_hi_marked),
		cmocka_unit_test(unplug_mid_record_list),
		cmocka_unit_test(history_on_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
