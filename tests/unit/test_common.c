/* test_common.c — common/ helpers and the public device names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cabin/reading.h"
#include "clock.h"
#include "log.h"

static void rfc3339_formats_utc_with_milliseconds(void **state)
{
	(void)state;
	char buf[32];
	/* 2026-11-29T13:45:00.123Z = 1795959900 s + 123 ms */
	assert_string_equal(cab_time_rfc3339(1795959900123LL, buf, sizeof buf),
	                    "2026-11-29T13:45:00.123Z");
	assert_string_equal(cab_time_rfc3339(0, buf, sizeof buf), "1970-01-01T00:00:00.000Z");
}

/* Text from the other end cannot forge a log line or drive a terminal. */
static void log_escape_controls(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(cab_log_escape("kind\n2026-12-04 ERROR forged\x1b[2J", out, sizeof out), 38);
	assert_string_equal(out, "kind\\x0a2026-12-04 ERROR forged\\x1b[2J");
	cab_log_escape("Saint-\xc3\x89tienne \xc2\x9b" "31m \x7f", out, sizeof out);
	assert_string_equal(out, "Saint-\xc3\x89tienne \\x9b31m \\x7f");
	assert_int_equal(cab_log_escape("\x01\x02", out, 6), 4); /* room for one escape only */
	assert_string_equal(out, "\\x01");
}

static void kind_and_special_names(void **state)
{
	(void)state;
	assert_string_equal(cab_device_kind_name(CAB_KIND_PULSE_OXIMETER), "pulse-oximeter");
	assert_string_equal(cab_device_kind_name((enum cab_device_kind)999), "unknown");
	assert_string_equal(cab_value_kind_name(CAB_VALUE_NRES), "NRes");
	assert_null(cab_value_kind_name(CAB_VALUE_NUMBER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc3339_formats_utc_with_milliseconds),
		cmocka_unit_test(kind_and_special_names),
		cmocka_unit_test(log_escape_controls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
