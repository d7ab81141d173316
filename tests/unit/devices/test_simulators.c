/* test_simulators.c — the CMS50 (pty) and Omron (in-process) simulators read back
 * through the real drivers and the device manager: values, faults (no finger,
 * garbage, low signal, unplug mid-stream, cuff error, low battery), incidents and
 * stored-before-session flags; and the plugged-in model of cab_devices_sim_measure:
 * repeated measurements on one device, a fresh device only after an unplug. */
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

#define SPO2 MDC_FULL(2, MDC_PULS_OXIM_SAT_O2)
#define PR MDC_FULL(2, MDC_PULS_OXIM_PULS_RATE)
#define SYS MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS)
#define DIA MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA)
#define PULSE MDC_FULL(2, MDC_PULS_RATE_NON_INV)
#define TEMP MDC_FULL(2, MDC_TEMP_BODY)
#define WAIT 5000 /* deadline of a wait, ms (not an assertion on time) */

static struct cab_devices *start_with(const char *sim, const char *opts, unsigned *handle)
{
	struct cab_devices_config cfg = {.no_hotplug = 1};
	rec_reset();
	struct cab_devices *m = cab_devices_new(&cfg, &rec_callbacks);
	assert_non_null(m);
	assert_int_equal(cab_devices_start(m), 0);
	*handle = cab_devices_add_simulator(m, sim, opts);
	assert_true(*handle > 0);
	assert_true(rec_wait(0, 'a', -1, -1, 0, 0, WAIT) >= 0);
	return m;
}

static int request_when_ready(struct cab_devices *m, unsigned h)
{
	assert_true(rec_wait(0, 's', -1, CAB_DEV_READY, 0, 0, WAIT) >= 0);
	return cab_devices_request_measurement_on(m, h);
}

static void cms50_values_through_the_driver(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("cms50", "spo2=92,pr=71", &h);
	assert_int_equal(request_when_ready(m, h), 1);
	int i = rec_wait(0, 'r', -1, -1, SPO2, 1, WAIT);
	assert_true(i >= 0);
	struct rec_event e = rec_get(i);
	assert_true(e.reading.value == 92);
	assert_int_equal(e.reading.flags, 0);
	assert_string_equal(e.reading.device.driver, "cms50");
	assert_true(e.reading.device.simulated);
	assert_true(e.reading.cabin_time_ms > 0);
	i = rec_wait(i, 'r', -1, -1, PR, 1, WAIT);
	assert_true(i >= 0);
	assert_true(rec_get(i).reading.value == 71);
	assert_true(rec_wait(0, 'w', -1, -1, 0, 0, WAIT) >= 0); /* pleth samples */
	struct cab_device_info info[4];
	assert_int_equal(cab_devices_list(m, info, 4), 1);
	assert_string_equal(info[0].id.driver, "cms50");
	assert_true(info[0].has_driver);
	cab_devices_free(m);
	assert_true(rec_wait(0, 'd', -1, -1, 0, 0, WAIT) >= 0);
}

static void cms50_no_finger(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("cms50", "fault=no-finger", &h);
	assert_true(rec_wait(0, 's', CAB_INC_NO_FINGER, CAB_DEV_IDLE, 0, 0, WAIT) >= 0);
	assert_int_equal(cab_devices_request_measurement_on(m, h), 1);
	assert_int_equal(rec_wait(0, 'r', -1, -1, SPO2, 1, 500), -1); /* never a number */
	cab_devices_free(m);
}

static void cms50_garbage_resyncs(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("cms50", "fault=garbage,spo2=95", &h);
	assert_true(rec_wait(0, 's', CAB_INC_PROTOCOL, -1, 0, 0, WAIT) >= 0);
	cab_devices_request_measurement_on(m, h);
	int i = rec_wait(0, 'r', -1, -1, SPO2, 1, WAIT);
	assert_true(i >= 0);
	assert_true(rec_get(i).reading.value == 95);
	cab_devices_free(m);
}

static void cms50_low_signal(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("cms50", "fault=low-signal", &h);
	assert_true(rec_wait(0, 's', CAB_INC_SIGNAL_WEAK, CAB_DEV_MEASURING, 0, 0, WAIT) >= 0);
	cab_devices_request_measurement_on(m, h);
	int i = rec_wait(0, 'r', -1, -1, SPO2, 1, WAIT);
	assert_true(i >= 0);
	assert_true(rec_get(i).reading.flags & CAB_RF_SIGNAL_WEAK);
	cab_devices_free(m);
}

static void cms50_unplug_mid_stream(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("cms50", "fault=unplug,unplug_ms=400", &h);
	int i = rec_wait(0, 's', CAB_INC_UNPLUGGED_MID_MEASUREMENT, CAB_DEV_GONE, 0, 0, WAIT);
	assert_true(i >= 0);
	assert_true(rec_wait(i, 'd', -1, -1, 0, 0, WAIT) >= 0);
	struct cab_device_info info[4];
	assert_int_equal(cab_devices_list(m, info, 4), 0);
	assert_int_equal(cab_devices_request_measurement_on(m, h), 0);
	cab_devices_free(m);
}

static void omron_new_measurement(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("omron-hem", "sys=141,dia=92,pulse=77,measure_ms=300", &h);
	int i = rec_wait(0, 'r', -1, -1, SYS, 1, WAIT);
	assert_true(i >= 0);
	struct rec_event e = rec_get(i);
	assert_true(e.reading.value == 141);
	assert_int_equal(e.reading.flags, CAB_RF_STORED);
	assert_string_equal(e.reading.ucum, "mm[Hg]");
	assert_string_equal(e.reading.device.model, "M7080IT");
	assert_string_equal(e.reading.device.firmware, "207");
	assert_int_equal(e.reading.device.vid, 0x0590);
	assert_true(e.reading.device_time_ms != INT64_MIN);
	i = rec_wait(i, 'r', -1, -1, DIA, 1, WAIT);
	assert_true(i >= 0 && rec_get(i).reading.value == 92);
	i = rec_wait(i, 'r', -1, -1, PULSE, 1, WAIT);
	assert_true(i >= 0 && rec_get(i).reading.value == 77);
	/* no mean pressure from this device, and the two stored records were not sent */
	assert_int_equal(rec_wait(0, 'r', -1, -1, MDC_FULL(2, MDC_PRESS_BLD_NONINV_MEAN), 0, 0), -1);
	int sys_count = 0;
	for (int k = 0; k < rec_count(); k++)
		sys_count += rec_get(k).what == 'r' && rec_get(k).reading.mdc == SYS;
	assert_int_equal(sys_count, 1);
	cab_devices_free(m);
}

static void omron_irregular_heartbeat(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("omron-hem", "fault=irregular,measure_ms=100", &h);
	int i = rec_wait(0, 'r', -1, -1, PULSE, 1, WAIT);
	assert_true(i >= 0);
	assert_true(rec_get(i).reading.flags & CAB_RF_IRREGULAR_HB);
	cab_devices_free(m);
}

static void omron_cuff_error_gives_no_new_reading(void **state)
{
	(void)state;
	unsigned h;
	setenv("CABIN_OMRON_WAIT_MS", "1200", 1);
	struct cab_devices *m = start_with("omron-hem", "fault=cuff-error,measure_ms=100", &h);
	assert_int_equal(request_when_ready(m, h), 1);
	int i = rec_wait(0, 's', CAB_INC_NO_NEW_MEASUREMENT, -1, 0, 0, WAIT);
	assert_true(i >= 0);
	/* the newest stored record is shown only flagged as before the session */
	int r = rec_wait(0, 'r', -1, -1, SYS, 1, 0);
	assert_true(r >= 0);
	struct rec_event e = rec_get(r);
	assert_int_equal(e.reading.flags, CAB_RF_STORED | CAB_RF_BEFORE_SESSION);
	assert_true(e.reading.value == 119); /* newest synthetic record */
	unsetenv("CABIN_OMRON_WAIT_MS");
	cab_devices_free(m);
}

static void omron_low_battery_times_out(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("omron-hem", "fault=low-battery", &h);
	assert_true(rec_wait(0, 's', CAB_INC_TIMEOUT, CAB_DEV_ERROR, 0, 0, WAIT) >= 0);
	cab_devices_free(m);
}

static void omron_unplug_mid_measurement(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("omron-hem", "fault=unplug,measure_ms=200", &h);
	int i = rec_wait(0, 's', CAB_INC_UNPLUGGED_MID_MEASUREMENT, CAB_DEV_GONE, 0, 0, WAIT);
	assert_true(i >= 0);
	assert_true(rec_wait(i, 'd', -1, -1, 0, 0, WAIT) >= 0);
	assert_int_equal(rec_wait(0, 'r', -1, -1, SYS, 0, 0), -1);
	cab_devices_free(m);
}

static void omron_previous_patient_is_before_session(void **state)
{
	(void)state;
	unsigned h;
	setenv("CABIN_OMRON_WAIT_MS", "800", 1);
	struct cab_devices *m = start_with("omron-hem", "sys=150,dia=95,pulse=80,measure_ms=100", &h);
	int i = rec_wait(0, 'r', -1, -1, SYS, 1, WAIT); /* patient A measures */
	assert_true(i >= 0);
	assert_int_equal(rec_get(i).reading.flags, CAB_RF_STORED);
	cab_devices_set_session_start(m, 4102444800000LL); /* patient B's session begins */
	int from = rec_count();
	assert_int_equal(cab_devices_request_measurement_on(m, h), 1);
	int s = rec_wait(from, 's', CAB_INC_NO_NEW_MEASUREMENT, -1, 0, 0, WAIT);
	assert_true(s >= 0);
	int r = rec_wait(from, 'r', -1, -1, SYS, 1, 0);
	assert_true(r >= 0);
	struct rec_event e = rec_get(r);
	assert_true(e.reading.value == 150); /* A's reading, never shown as B's */
	assert_int_equal(e.reading.flags, CAB_RF_STORED | CAB_RF_BEFORE_SESSION);
	unsetenv("CABIN_OMRON_WAIT_MS");
	cab_devices_free(m);
}

/* Number of final readings of MDC from event FROM on. */
static int readings_of(int from, uint32_t mdc)
{
	int n = 0;
	for (int k = from; k < rec_count(); k++)
		n += rec_get(k).what == 'r' && rec_get(k).reading.mdc == mdc &&
		     !(rec_get(k).reading.flags & CAB_RF_ONGOING);
	return n;
}

/* Waits for the Nth final reading of MDC; returns its index or -1. */
static int nth_reading(uint32_t mdc, int nth)
{
	int i = -1;
	for (int k = 0; k < nth; k++)
		if ((i = rec_wait(i + 1, 'r', -1, -1, mdc, 1, WAIT)) < 0)
			return -1;
	return i;
}

/* One plugged-in device for several measurements: the same handle, one attach,
 * each measurement's own value, and the device list unchanged. */
static void sim_measure_keeps_one_device(const char *sim, const char *first, const char *second,
                                         uint32_t mdc, double v1, double v2)
{
	unsigned h;
	struct cab_devices *m = start_with(sim, first, &h);
	int i = nth_reading(mdc, 1);
	assert_true(i >= 0);
	assert_true(rec_get(i).reading.value == v1);
	assert_int_equal(cab_devices_sim_measure(m, sim, second), h);
	i = nth_reading(mdc, 2);
	assert_true(i >= 0);
	assert_true(rec_get(i).reading.value == v2);
	assert_int_equal(cab_devices_sim_measure(m, sim, first), h);
	i = nth_reading(mdc, 3);
	assert_true(i >= 0);
	assert_true(rec_get(i).reading.value == v1);
	assert_int_equal(readings_of(0, mdc), 3);
	struct cab_device_info info[4];
	assert_int_equal(cab_devices_list(m, info, 4), 1);
	assert_int_equal(info[0].handle, h);
	assert_null(strchr(info[0].syspath, '#'));
	int attached = 0;
	for (int k = 0; k < rec_count(); k++)
		attached += rec_get(k).what == 'a';
	assert_int_equal(attached, 1);
	cab_devices_free(m);
}

static void thermometer_measures_again_on_one_device(void **state)
{
	(void)state;
	sim_measure_keeps_one_device("ieee11073-thermometer", "temp=36.8,measure_ms=100",
	                             "temp=38.5,measure_ms=100", TEMP, 36.8, 38.5);
}

static void omron_measures_again_on_one_device(void **state)
{
	(void)state;
	sim_measure_keeps_one_device("omron-hem", "sys=141,dia=92,pulse=77,measure_ms=100",
	                             "sys=122,dia=81,pulse=64,measure_ms=100", SYS, 141, 122);
}

/* An unplug fault takes the device away; the next measurement plugs one in again
 * at the same path (no "#2"), with a new handle. */
static void sim_measure_after_unplug_plugs_in_again(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start_with("omron-hem", "measure_ms=-1", &h);
	assert_true(rec_wait(0, 's', -1, CAB_DEV_READY, 0, 0, WAIT) >= 0);
	assert_int_equal(cab_devices_sim_measure(m, "omron-hem", "fault=unplug,measure_ms=100"), h);
	int i = rec_wait(0, 'd', -1, -1, 0, 0, WAIT);
	assert_true(i >= 0);
	unsigned h2 = cab_devices_sim_measure(m, "omron-hem", "sys=133,dia=85,pulse=70,measure_ms=300");
	assert_true(h2 > 0 && h2 != h);
	i = rec_wait(i, 'r', -1, -1, SYS, 1, WAIT);
	assert_true(i >= 0 && rec_get(i).reading.value == 133);
	struct cab_device_info info[4];
	assert_int_equal(cab_devices_list(m, info, 4), 1);
	assert_string_equal(info[0].syspath, "sim:omron-hem");
	assert_int_equal(info[0].handle, h2);
	cab_devices_free(m);
}

/* Callbacks that use the calls the threading contract allows inside a callback. */
static struct cab_devices *cb_m;
static volatile int cb_listed, cb_final;
static void c_state(const struct cab_device_info *d, enum cab_dev_state s, enum cab_incident inc,
                    const char *detail, void *u)
{
	(void)inc;
	(void)detail;
	(void)u;
	struct cab_device_info info[4];
	if (cab_devices_list(cb_m, info, 4) >= 1)
		__atomic_store_n(&cb_listed, 1, __ATOMIC_RELEASE);
	if (s == CAB_DEV_MEASURING)
		cab_devices_request_measurement_on(cb_m, d->handle);
}
static void c_reading(const struct cab_device_info *d, const struct cab_reading *r, void *u)
{
	(void)d;
	(void)u;
	if (!(r->flags & CAB_RF_ONGOING))
		__atomic_store_n(&cb_final, 1, __ATOMIC_RELEASE);
	cab_devices_set_session_start(cb_m, r->cabin_time_ms);
}

static void calls_allowed_inside_callbacks(void **state)
{
	(void)state;
	struct cab_devices_config cfg = {.no_hotplug = 1};
	const struct cab_devices_callbacks cb = {.state = c_state, .reading = c_reading};
	cb_m = cab_devices_new(&cfg, &cb);
	assert_int_equal(cab_devices_start(cb_m), 0);
	assert_true(cab_devices_add_simulator(cb_m, "cms50", NULL) > 0);
	for (int i = 0; i < 500 && !__atomic_load_n(&cb_final, __ATOMIC_ACQUIRE); i++) {
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
	}
	assert_true(cb_listed);
	assert_true(cb_final); /* requested from inside a state callback, no deadlock */
	cab_devices_free(cb_m);
}

static void sim_mode_fills_absent_kinds(void **state)
{
	(void)state;
	struct cab_devices_config cfg = {.no_hotplug = 1,
	                                 .sim_kinds = CAB_SIM_KIND(CAB_KIND_PULSE_OXIMETER) | CAB_SIM_KIND(CAB_KIND_BLOOD_PRESSURE)};
	rec_reset();
	struct cab_devices *m = cab_devices_new(&cfg, &rec_callbacks);
	assert_int_equal(cab_devices_start(m), 0);
	struct cab_device_info info[8];
	size_t n = cab_devices_list(m, info, 8);
	int ox = 0, bp = 0;
	for (size_t i = 0; i < n && i < 8; i++) {
		ox += info[i].id.kind == CAB_KIND_PULSE_OXIMETER && info[i].id.simulated;
		bp += info[i].id.kind == CAB_KIND_BLOOD_PRESSURE && info[i].id.simulated;
	}
	assert_int_equal(ox, 1);
	assert_int_equal(bp, 1);
	assert_int_equal(cab_devices_add_simulator(m, "no-such-simulator", NULL), 0);
	cab_devices_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cms50_values_through_the_driver),
		cmocka_unit_test(cms50_no_finger),
		cmocka_unit_test(cms50_garbage_resyncs),
		cmocka_unit_test(cms50_low_signal),
		cmocka_unit_test(cms50_unplug_mid_stream),
		cmocka_unit_test(omron_new_measurement),
		cmocka_unit_test(omron_irregular_heartbeat),
		cmocka_unit_test(omron_cuff_error_gives_no_new_reading),
		cmocka_unit_test(omron_low_battery_times_out),
		cmocka_unit_test(omron_unplug_mid_measurement),
		cmocka_unit_test(omron_previous_patient_is_before_session),
		cmocka_unit_test(calls_allowed_inside_callbacks),
		cmocka_unit_test(sim_mode_fills_absent_kinds),
		cmocka_unit_test(thermometer_measures_again_on_one_device),
		cmocka_unit_test(omron_measures_again_on_one_device),
		cmocka_unit_test(sim_measure_after_unplug_plugs_in_again),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
