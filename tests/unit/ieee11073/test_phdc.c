/* test_phdc.c — USB PHDC class descriptors (tests/devices/ieee11073-phdc: the EFM32
 * PHDC glucometer example's configuration descriptor) and the ieee11073-phdc driver
 * run by the device manager against its in-process simulators: association, Get MDS,
 * Set-Time, readings with values and units, extended configuration, stored data
 * flagged before the session, faults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cabin/devices.h"
#include "cabin/mdc.h"
#include "devices/proto/ieee11073/phdc.h"
#include "hexfile.h"
#include "recorder.h"

#define WAIT 5000 /* deadline of a wait, ms (bounds a wait; not an assertion on time) */

static uint8_t *load(const char *name, size_t *len)
{
	char path[512], err[128];
	const char *root = getenv("CABIN_SRC");
	uint8_t *b = NULL;
	FILE *f;
	snprintf(path, sizeof path, "%s/tests/devices/ieee11073-phdc/%s.hex", root ? root : ".", name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(cab_capture_read(f, &b, len, err, sizeof err), 0);
	fclose(f);
	return b;
}

static void efm32_glucometer_descriptors(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = load("efm32_phdc_glucometer_config_descriptor", &len);
	struct ieee_phdc_desc d;
	char err[160];

	assert_int_equal(len, 50);
	/* the whole configuration: interface and endpoint descriptors are skipped */
	assert_int_equal(ieee_phdc_parse(b, len, &d, err, sizeof err), 0);
	assert_true(d.has_class_function);
	assert_int_equal(d.data_code, IEEE_PHDC_DATA_11073);
	assert_int_equal(d.capability, 0);
	assert_true(d.has_function_ext);
	assert_int_equal(d.n_specs, 1);
	assert_int_equal(d.specs[0], 0x1011);
	assert_int_equal(ieee_phdc_kind(&d), CAB_KIND_GLUCOMETER);
	assert_int_equal(d.n_qos, 2);
	assert_int_equal(d.n_metadata, 0);
	/* just the interface's extra bytes (what libusb gives), as the driver reads them */
	assert_int_equal(ieee_phdc_parse(b + 18, 10, &d, err, sizeof err), 0);
	assert_int_equal(d.specs[0], 0x1011);

	/* malformed: a descriptor longer than what is left, bLength 0, too many specs */
	assert_int_equal(ieee_phdc_parse(b + 18, 9, &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "bLength 6"));
	uint8_t zero[] = {0x00, 0x20, 0x02, 0x00};
	assert_int_equal(ieee_phdc_parse(zero, sizeof zero, &d, err, sizeof err), -1);
	uint8_t many[] = {0x06, 0x30, 0x00, 0x05, 0x11, 0x10};
	assert_int_equal(ieee_phdc_parse(many, sizeof many, &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "5 specializations"));
	uint8_t shortcf[] = {0x03, 0x20, 0x02};
	assert_int_equal(ieee_phdc_parse(shortcf, sizeof shortcf, &d, err, sizeof err), -1);
	free(b);
}

static struct cab_devices *start_sim(const char *sim, const char *opts, int64_t session_start)
{
	struct cab_devices_config cfg = {.no_hotplug = 1, .session_start_ms = session_start};
	struct cab_devices *m;
	rec_reset();
	m = cab_devices_new(&cfg, &rec_callbacks);
	assert_non_null(m);
	assert_int_equal(cab_devices_start(m), 0);
	assert_true(cab_devices_add_simulator(m, sim, opts) > 0);
	return m;
}

static void thermometer_through_the_driver(void **state)
{
	(void)state;
	struct cab_devices *m = start_sim("ieee11073-thermometer", "temp=37.4,measure_ms=100", 0);
	int i = rec_wait(0, 'r', -1, -1, MDC_FULL(2, MDC_TEMP_BODY), 1, WAIT);
	assert_true(i >= 0);
	struct rec_event e = rec_get(i);
	assert_true(e.reading.value == 37.4);
	assert_string_equal(e.reading.ucum, "Cel");
	assert_int_equal(e.reading.flags, 0);
	assert_string_equal(e.reading.device.driver, "ieee11073-phdc");
	assert_int_equal(e.reading.device.kind, CAB_KIND_THERMOMETER);
	assert_string_equal(e.reading.device.model, "SIM-THERMO");   /* from the MDS */
	assert_string_equal(e.reading.device.serial, "SIM00001");
	assert_true(e.reading.device.system_id[0] != '\0');
	assert_true(e.reading.device_time_ms != INT64_MIN);
	assert_true(e.reading.cabin_time_ms > 0);
	assert_true(rec_wait(0, 's', -1, CAB_DEV_READY, 0, 0, WAIT) >= 0);
	cab_devices_free(m);
}

static void extended_scale_and_stored_data(void **state)
{
	(void)state;
	struct cab_devices *m = start_sim("ieee11073-scale", "weight=80.25,extended=1,stored=1,measure_ms=50", 0);
	uint32_t mass = MDC_FULL(2, MDC_MASS_BODY_ACTUAL);
	int i = rec_wait(0, 'r', -1, -1, mass, 1, WAIT);
	assert_true(i >= 0);
	struct rec_event old = rec_get(i);
	assert_true(old.reading.flags & CAB_RF_BEFORE_SESSION); /* dated 2007 */
	int j = rec_wait(i + 1, 'r', -1, -1, mass, 1, WAIT);
	assert_true(j >= 0);
	struct rec_event now = rec_get(j);
	assert_true(now.reading.value == 80.25);
	assert_string_equal(now.reading.ucum, "kg");
	assert_false(now.reading.flags & CAB_RF_BEFORE_SESSION);
	cab_devices_free(m);
}

static void garbage_is_a_protocol_incident(void **state)
{
	(void)state;
	struct cab_devices *m = start_sim("ieee11073-glucometer", "fault=garbage,measure_ms=50", 0);
	assert_true(rec_wait(0, 's', CAB_INC_PROTOCOL, -1, 0, 0, WAIT) >= 0);
	for (int k = 0; k < rec_count(); k++)
		assert_int_not_equal(rec_get(k).what, 'r');
	cab_devices_free(m);
}

static void unplug_after_association(void **state)
{
	(void)state;
	struct cab_devices *m = start_sim("ieee11073-glucometer", "fault=unplug", 0);
	assert_true(rec_wait(0, 'd', -1, -1, 0, 0, WAIT) >= 0);
	cab_devices_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(efm32_glucometer_descriptors),
		cmocka_unit_test(thermometer_through_the_driver),
		cmocka_unit_test(extended_scale_and_stored_data),
		cmocka_unit_test(garbage_is_a_protocol_incident),
		cmocka_unit_test(unplug_after_association),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
