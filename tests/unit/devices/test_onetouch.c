/* test_onetouch.c — the LifeScan OneTouch Ultra 2 serial ASCII protocol
 * (devices/proto/onetouch.h): answer lines and their 16-bit sums field by field on
 * lines laid out as LifeScan's "OneTouch Ultra 2 RS-232 Communication Protocol"
 * gives them (the layouts glucometerutils' otultra2 driver parses), malformed lines
 * refused; then the driver on its pseudo-terminal simulator through the device
 * manager: the strip's value exact in mg/dL (also when the meter displays mmol/L),
 * stored records before the session never reported, a control-solution test and
 * HI/LO marked, a clock never set flagged, a bad checksum retried without a
 * duplicate, and a bridge that does not answer like the meter released. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabin/devices.h"
#include "cabin/mdc.h"
#include "devices/proto/onetouch.h"
#include "recorder.h"

#define GLU MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_PLASMA)
#define CTL MDC_FULL(2, MDC_CONC_GLU_CONTROL)
#define WAIT 8000

/* BODY " " sum "\r\n" */
static size_t mk(const char *body, char *out, size_t size)
{
	return (size_t)snprintf(out, size, "%s %04X\r\n", body, ot_checksum(body, strlen(body)));
}

static void lines_and_fields(void **state)
{
	(void)state;
	char l[256], b[128], s10[10], v[32];
	int ultra2 = 0, mmol = -1, count = 0, year = 0;
	int64_t ms = 0;
	/* the sum: "?P02.00.00 30/08/06" = 0x03BC, the bytes summed by hand */
	assert_int_equal(ot_checksum("?P02.00.00 30/08/06", 19), 0x03BC);
	size_t n = mk("?P02.00.00 30/08/06", l, sizeof l);
	assert_int_equal(ot_line(l, n, b, sizeof b), 0);
	assert_int_equal(ot_version(b, v, sizeof v), 0);
	assert_string_equal(v, "P02.00.00 30/08/06");
	n = mk("@ \"ABC12345Y\"", l, sizeof l);
	assert_int_equal(ot_line(l, n, b, sizeof b), 0);
	assert_int_equal(ot_serial(b, s10, &ultra2), 0);
	assert_string_equal(s10, "ABC12345Y");
	assert_int_equal(ultra2, 1);
	assert_int_equal(ot_clock("F \"THU\",\"04/26/12\",\"14:09:42   \"", &ms, &year), 0);
	assert_true(ms == 1335449382000LL); /* 2012-04-26T14:09:42Z */
	assert_int_equal(year, 2012);
	assert_int_equal(ot_unit("SU?,\"MMOL/L\"", &mmol), 0);
	assert_int_equal(mmol, 1);
	assert_int_equal(ot_dump_header("P 003,\"ABC12345Y\",\"MG/DL \"", &count, s10, &mmol), 0);
	assert_int_equal(count, 3);
	assert_int_equal(mmol, 0);
	struct ot_record r;
	assert_int_equal(ot_record("P \"FRI\",\"05/17/24\",\"08:30:00   \",\"  095 \",\"B\",\"03\", 00", &r), 0);
	assert_true(r.time_ms == 1715934600000LL); /* 2024-05-17T08:30:00Z */
	assert_int_equal(r.mgdl, 95);
	assert_int_equal(r.control, 0);
	assert_int_equal(r.parity_error, 0);
	assert_int_equal(r.meal, 'B');
	assert_int_equal(r.comment, 3);
	assert_int_equal(ot_record("P \"FRI\",\"05/17/24\",\"08:31:00   \",\"C 180?\",\"N\",\"00\", 00", &r), 0);
	assert_int_equal(r.control, 1);
	assert_int_equal(r.parity_error, 1);
	assert_int_equal(r.mgdl, 180);
}

static void malformed_refused(void **state)
{
	(void)state;
	char l[256], b[128];
	struct ot_record r;
	int64_t ms;
	int year;
	size_t n = mk("?P02.00.00 30/08/06", l, sizeof l);
	l[3] = '3'; /* a flipped byte */
	assert_int_equal(ot_line(l, n, b, sizeof b), OT_E_CHECKSUM);
	assert_int_equal(ot_line("?P02.00.00 30/08/06\r\n", 21, b, sizeof b), OT_E_CHECKSUM);
	assert_int_equal(ot_line("", 0, b, sizeof b), OT_E_CHECKSUM);
	assert_int_equal(ot_line("\x7f\x80 0000\r\n", 9, b, sizeof b), OT_E_FORMAT);
	assert_int_equal(ot_record("P \"FRI\",\"13/17/24\",\"08:30:00   \",\"  095 \",\"N\",\"00\", 00", &r), OT_E_RANGE);
	assert_int_equal(ot_record("P \"FRI\",\"02/31/24\",\"08:30:00   \",\"  095 \",\"N\",\"00\", 00", &r), OT_E_RANGE);
	assert_int_equal(ot_record("P \"FRI\",\"05/17/24\",\"08:30:00   \",\"  HI  \",\"N\",\"00\", 00", &r), OT_E_FORMAT);
	assert_int_equal(ot_record("P \"FRI\",\"05/17/24\",\"08:30:00   \",\"  095 \",\"X\",\"00\", 00", &r), OT_E_FORMAT);
	assert_int_equal(ot_record("P \"FRI\",\"05/17/24\",\"08:30:00   \",\"  095 \",\"N\",\"12\", 00", &r), OT_E_RANGE);
	assert_int_equal(ot_record("P \"FRI\",\"05/17/24\"", &r), OT_E_FORMAT);
	assert_int_equal(ot_clock("F \"THU\",\"04/26/12\",\"25:09:42   \"", &ms, &year), OT_E_RANGE);
	char s10[10];
	int u;
	assert_int_equal(ot_serial("@ \"abc12345Y\"", s10, &u), OT_E_FORMAT);
}

static struct cab_devices *start(const char *opts, unsigned *h)
{
	struct cab_devices_config cfg = {.no_hotplug = 1};
	rec_reset();
	struct cab_devices *m = cab_devices_new(&cfg, &rec_callbacks);
	assert_non_null(m);
	assert_int_equal(cab_devices_start(m), 0);
	*h = cab_devices_add_simulator(m, "onetouch-ultra2", opts);
	assert_true(*h > 0);
	return m;
}

/* Measures once with OPTS; returns the index of the first glucose reading (or -1). */
static int strip(struct cab_devices *m, const char *opts, uint32_t mdc)
{
	int from = rec_count();
	assert_true(cab_devices_sim_measure(m, "onetouch-ultra2", opts) > 0);
	return rec_wait(from, 'r', -1, -1, mdc, 1, WAIT);
}

static void strip_value_exact(void **state)
{
	(void)state;
	unsigned h;
	setenv("CABIN_OT_POLL_MS", "100", 1);
	struct cab_devices *m = start("mmol=1,stored=3", &h);
	assert_true(rec_wait(0, 's', -1, CAB_DEV_READY, 0, 0, WAIT) >= 0);
	int i = strip(m, "mgdl=126,measure_ms=100", GLU);
	assert_true(i >= 0);
	struct rec_event e = rec_get(i);
	assert_true(e.reading.value == 126);
	assert_string_equal(e.reading.ucum, "mg/dL");
	assert_true(e.reading.flags & CAB_RF_STORED);
	assert_false(e.reading.flags & (CAB_RF_CLOCK_UNSET | CAB_RF_OUT_OF_RANGE | CAB_RF_CONTROL_SOLUTION));
	assert_true(e.reading.device_time_ms != INT64_MIN);
	assert_string_equal(e.reading.device.model, "OneTouch Ultra 2");
	assert_string_equal(e.reading.device.serial, "SIM00001Y");
	/* the 3 records stored before were never reported: only this one */
	int n = 0;
	for (int k = 0; k < rec_count(); k++)
		n += rec_get(k).what == 'r';
	assert_int_equal(n, 1);
	/* control solution, HI and LO marked */
	i = strip(m, "mgdl=180,fault=control,measure_ms=100", CTL);
	assert_true(i >= 0);
	assert_true(rec_get(i).reading.flags & CAB_RF_CONTROL_SOLUTION);
	i = strip(m, "mgdl=601,measure_ms=100", GLU);
	assert_true(i >= 0);
	assert_int_equal(rec_get(i).reading.value_kind, CAB_VALUE_PINF);
	assert_true(rec_get(i).reading.flags & CAB_RF_OUT_OF_RANGE);
	i = strip(m, "mgdl=19,measure_ms=100", GLU);
	assert_true(i >= 0);
	assert_int_equal(rec_get(i).reading.value_kind, CAB_VALUE_NINF);
	cab_devices_free(m);
}

static void clock_unset_and_bad_checksum(void **state)
{
	(void)state;
	unsigned h;
	setenv("CABIN_OT_POLL_MS", "100", 1);
	struct cab_devices *m = start("fault=clock-unset", &h);
	assert_true(rec_wait(0, 's', -1, CAB_DEV_READY, 0, 0, WAIT) >= 0);
	int i = strip(m, "mgdl=88,measure_ms=100,fault=bad-checksum", GLU);
	assert_true(i >= 0);
	struct rec_event e = rec_get(i);
	assert_true(e.reading.value == 88);
	assert_true(e.reading.flags & CAB_RF_CLOCK_UNSET);
	assert_true(e.reading.device_time_ms == INT64_MIN);
	i = strip(m, "mgdl=91,measure_ms=100", GLU);
	assert_true(i >= 0);
	int n88 = 0;
	for (int k = 0; k < rec_count(); k++)
		n88 += rec_get(k).what == 'r' && rec_get(k).reading.value == 88;
	assert_int_equal(n88, 1); /* the retry after the bad sum reported it once */
	cab_devices_free(m);
}

static void unknown_bridge_released(void **state)
{
	(void)state;
	unsigned h;
	struct cab_devices *m = start("fault=not-a-meter", &h);
	assert_true(rec_wait(0, 'd', -1, -1, 0, 0, WAIT) >= 0);
	for (int k = 0; k < rec_count(); k++) {
		assert_true(rec_get(k).what != 'r');
		assert_false(rec_get(k).what == 's' && rec_get(k).state == CAB_DEV_READY);
	}
	struct cab_device_info l[4];
	assert_int_equal(cab_devices_list(m, l, 4), 0);
	cab_devices_free(m);
}

int main(void)
{
	const struct CMUnitTest t[] = {
	    cmocka_unit_test(lines_and_fields),
	    cmocka_unit_test(malformed_refused),
	    cmocka_unit_test(strip_value_exact),
	    cmocka_unit_test(clock_unset_and_bad_checksum),
	    cmocka_unit_test(unknown_bridge_released),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
