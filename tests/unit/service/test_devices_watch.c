/* test_devices_watch.c — the instruments tab from the real device manager with a
 * simulated pulse oximeter (the CMS50 simulator speaks the instrument's bytes):
 * listed with its driver and state, joined with a registry entry (calibration),
 * a registered but absent instrument listed after it, incidents kept, the driver's
 * self-test (CMS50 real-time packets) passing, its detail kept and recorded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/service/devices_watch.h"
#include "kiosk/service/report.h"

static struct cab_dev_watch *watch;
static char recorded[128];

static void on_state(const struct cab_device_info *d, enum cab_dev_state s, enum cab_incident inc,
                     const char *detail, void *user)
{
	(void)user;
	cab_dev_watch_state(watch, d, s, inc, detail);
}

static int registry(void *user, struct cab_svc_instrument *out, int max)
{
	const struct cab_device_info *sim = user;
	assert_true(max >= 2);
	memset(out, 0, 2 * sizeof *out);
	snprintf(out[0].kind, sizeof out[0].kind, "thermometer");
	snprintf(out[0].model, sizeof out[0].model, "SIM-T1");
	snprintf(out[0].calibration_due, sizeof out[0].calibration_due, "2027-01-31");
	snprintf(out[1].kind, sizeof out[1].kind, "%s", cab_device_kind_name(sim->id.kind));
	snprintf(out[1].model, sizeof out[1].model, "%s", sim->id.model);
	snprintf(out[1].serial, sizeof out[1].serial, "%s", sim->id.serial);
	snprintf(out[1].calibration_due, sizeof out[1].calibration_due, "2027-06-01");
	return 2;
}

static int record(void *user, const struct cab_svc_instrument *in, const char *result, int64_t at)
{
	(void)user;
	snprintf(recorded, sizeof recorded, "%s %s %s %d", in->kind, in->driver, result, at > 0);
	return 0;
}

static void simulated_oximeter(void **state)
{
	(void)state;
	struct cab_dev_watch w;
	struct cab_devices_callbacks cb = {.state = on_state};
	struct cab_devices_config cfg = {.no_hotplug = 1};
	struct cab_devices *m = cab_devices_new(&cfg, &cb);
	assert_non_null(m);
	watch = &w;
	cab_dev_watch_init(&w, m);
	cab_devices_start(m);
	assert_true(cab_devices_add_simulator(m, "cms50", NULL) > 0);
	struct cab_device_info info[4];
	size_t n = 0;
	for (int i = 0; i < 100; i++) {
		n = cab_devices_list(m, info, 4);
		if (n == 1 && info[0].state == CAB_DEV_READY)
			break;
		usleep(50000);
	}
	assert_int_equal(n, 1);
	w.registry = registry;
	w.registry_user = &info[0];
	w.record = record;

	struct cab_svc_instrument out[CAB_SVC_MAX_INSTRUMENTS];
	assert_int_equal(cab_dev_watch_instruments(&w, out, CAB_SVC_MAX_INSTRUMENTS), 2);
	assert_string_equal(out[0].kind, "pulse-oximeter");
	assert_string_equal(out[0].driver, "cms50");
	assert_true(out[0].connected);
	assert_true(out[0].simulated);
	/* The CMS50 streams as soon as it is ready: ready or measuring. */
	assert_true(!strcmp(out[0].state, "ready") || !strcmp(out[0].state, "measuring"));
	assert_string_equal(out[0].calibration_due, "2027-06-01");
	assert_string_equal(out[1].kind, "thermometer");
	assert_false(out[1].connected);

	/* An incident reported by the manager is shown with its instrument. */
	cab_dev_watch_state(&w, &info[0], CAB_DEV_IDLE, CAB_INC_NO_FINGER, "probe off");
	cab_dev_watch_instruments(&w, out, CAB_SVC_MAX_INSTRUMENTS);
	assert_string_equal(out[0].incident, "no-finger: probe off");

	char result[16];
	assert_int_equal(cab_dev_watch_selftest(&w, 0, result, sizeof result), 0);
	assert_string_equal(result, "pass");
	assert_string_equal(recorded, "pulse-oximeter cms50 pass 1");
	/* the driver's own exchange: CMS50 real-time packets counted, detail kept */
	cab_dev_watch_instruments(&w, out, CAB_SVC_MAX_INSTRUMENTS);
	assert_non_null(strstr(out[0].selftest_detail, " real-time packets in "));
	assert_non_null(strstr(out[0].selftest_detail, " ms, 0 framing error(s)"));
	assert_int_equal(cab_dev_watch_selftest(&w, 5, result, sizeof result), -ENODEV);

	/* Without blocking: started, busy while it runs, collected once. */
	int index = -1, polls = 0, rc;
	recorded[0] = '\0';
	assert_int_equal(cab_dev_watch_selftest_poll(&w, &index, result, sizeof result), -ENOENT);
	assert_int_equal(cab_dev_watch_selftest_start(&w, 5), -ENODEV);
	assert_int_equal(cab_dev_watch_selftest_start(&w, 0), 0);
	assert_int_equal(cab_dev_watch_selftest_start(&w, 0), -EBUSY);
	while ((rc = cab_dev_watch_selftest_poll(&w, &index, result, sizeof result)) == 0) {
		polls++;
		usleep(10000);
	}
	assert_int_equal(rc, 1);
	assert_true(polls > 0); /* the CMS50 exchange takes ~1.5 s: the caller was free */
	assert_int_equal(index, 0);
	assert_string_equal(result, "pass");
	assert_string_equal(recorded, "pulse-oximeter cms50 pass 1");
	assert_int_equal(cab_dev_watch_selftest_poll(&w, &index, result, sizeof result), -ENOENT);

	/* The tab's lines. */
	struct cab_svc_sources s = {.instruments = cab_dev_watch_instruments, .devices_user = &w};
	struct cab_svc_report r;
	assert_int_equal(cab_svc_report_instruments(&s, 1795959900000LL, &r), 2);
	assert_non_null(strstr(r.line[1].text, ", simulated), driver cms50, serial "));
	assert_memory_equal(r.line[1].text, "   connected (", 14);
	assert_string_equal(r.line[2].text, "   last incident: no-finger: probe off");

	cab_devices_free(m);
	cab_dev_watch_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(simulated_oximeter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
