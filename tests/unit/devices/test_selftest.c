/* test_selftest.c — cab_devices_selftest on the real drivers and the simulators
 * that speak each instrument's bytes: the CMS50 real-time stream (framed packets
 * counted), the Omron HEM identification exchange (VER00 + GDC) and the IEEE
 * 11073-20601 Get MDS on a running association (configuration checked); an
 * unknown handle. Exact detail texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* clang-format off: cmocka.h needs the four above first */
#include <cmocka.h>
/* clang-format on */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cabin/devices.h"
#include "log.h"

/* Runs the self-test of H and checks its result is WANT (1 pass, 0 fail). */
static void selftest_is(struct cab_devices *m, unsigned h, int want, char *detail, size_t size)
{
	int rc = cab_devices_selftest(m, h, 5000, detail, size);
	if (rc != want)
		fail_msg("self-test %d, want %d: %s", rc, want, detail);
}

/* Starts simulator NAME and waits until its driver reports ready. */
static unsigned ready(struct cab_devices *m, const char *name, const char *opts)
{
	unsigned h = cab_devices_add_simulator(m, name, opts);
	assert_true(h > 0);
	for (int i = 0; i < 200; i++) {
		struct cab_device_info info[8];
		size_t n = cab_devices_list(m, info, 8);
		for (size_t k = 0; k < n && k < 8; k++)
			if (info[k].handle == h &&
			    (info[k].state == CAB_DEV_READY || info[k].state == CAB_DEV_MEASURING))
				return h;
		usleep(25000);
	}
	fail_msg("%s never ready", name);
	return 0;
}

static void matches(const char *text, const char *re)
{
	regex_t r;
	assert_int_equal(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
	int rc = regexec(&r, text, 0, NULL, 0);
	regfree(&r);
	if (rc)
		fail_msg("\"%s\" does not match /%s/", text, re);
}

static void selftest_per_driver(void **state)
{
	(void)state;
	struct cab_devices_config cfg = {.no_hotplug = 1};
	struct cab_devices *m = cab_devices_new(&cfg, NULL);
	char detail[96];
	assert_non_null(m);
	assert_int_equal(cab_devices_start(m), 0);

	unsigned ox = ready(m, "cms50", NULL);
	selftest_is(m, ox, 1, detail, sizeof detail);
	matches(detail, "^[0-9]+ real-time packets in [0-9]+ ms, 0 framing error\\(s\\)$");

	unsigned bp = ready(m, "omron-hem", "measure_ms=-1,stored=2");
	selftest_is(m, bp, 1, detail, sizeof detail);
	assert_string_equal(detail, "VER00 answered M7080IT, GDC 2 record(s)");

	unsigned th = ready(m, "ieee11073-thermometer", "measure_ms=-1");
	selftest_is(m, th, 1, detail, sizeof detail);
	assert_string_equal(detail,
	                    "association + Get MDS answered, config 0x0320 with 1 object(s)");
	/* twice in a row: the association goes on */
	selftest_is(m, th, 1, detail, sizeof detail);

	/* bytes with the sync bit set in the stream: framing errors, the self-test fails */
	unsigned bad = ready(m, "cms50", "fault=garbage");
	selftest_is(m, bad, 0, detail, sizeof detail);
	matches(detail,
	        "^[0-9]+ real-time packets in [0-9]+ ms, [1-9][0-9]* framing error\\(s\\)$");

	assert_int_equal(cab_devices_selftest(m, 999, 500, detail, sizeof detail), -ENODEV);
	assert_string_equal(detail, "");
	cab_devices_free(m);
}

int main(void)
{
	cab_log_set_level(CAB_LOG_ERROR);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(selftest_per_driver),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
