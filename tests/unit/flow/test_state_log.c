/* test_state_log.c — the state log's exact JSON lines, alone and written by the
 * observer during a real journey. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/flow/state_log.h"

static void formats_the_exact_line(void **state)
{
	(void)state;
	struct cab_flow_transition t = {1795959900123LL, CAB_FLOW_CONSENT, CAB_FLOW_IDENTITY,
	                                CAB_EV_CONSENT_GIVEN, "consent before sending"};
	char buf[256];
	const char *want = "{\"t\": 1795959900123, \"from\": \"consent\", \"to\": \"identity\", "
	                   "\"event\": \"consent_given\"}\n";
	assert_int_equal(cab_flow_state_log_format(&t, buf, sizeof buf), (int)strlen(want));
	assert_string_equal(buf, want);
	/* too small a buffer is an error, never a truncated line */
	assert_int_equal(cab_flow_state_log_format(&t, buf, strlen(want)), -1);
	assert_int_equal(cab_flow_state_log_format(&t, buf, strlen(want) + 1), (int)strlen(want));
}

static int64_t clock_ms;
static int64_t fake(void *user)
{
	(void)user;
	return clock_ms;
}

static void observer_appends_one_line_per_transition(void **state)
{
	(void)state;
	FILE *fp = tmpfile();
	assert_non_null(fp);
	struct cab_flow_config cfg;
	cab_flow_config_defaults(&cfg);
	cfg.clock = (struct cab_clock){fake, NULL};
	cfg.wall = (struct cab_clock){fake, NULL};
	clock_ms = 1000;
	struct cab_flow *f = cab_flow_new(&cfg);
	assert_int_equal(cab_flow_add_observer(f, cab_flow_state_log_observer, fp), 0);
	cab_flow_handle(f, CAB_EV_START);
	clock_ms = 2500;
	cab_flow_handle(f, CAB_EV_LANGUAGE_CHOSEN);
	cab_flow_handle(f, CAB_EV_WIPE_DONE); /* not handled: no line */
	clock_ms = 3000;
	cab_flow_handle(f, CAB_EV_EMERGENCY);
	clock_ms = 4000;
	cab_flow_handle(f, CAB_EV_ABORT);
	cab_flow_free(f);

	char buf[1024];
	rewind(fp);
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_string_equal(buf,
	    "{\"t\": 1000, \"from\": \"attract\", \"to\": \"language\", \"event\": \"start\"}\n"
	    "{\"t\": 2500, \"from\": \"language\", \"to\": \"information\", \"event\": \"language_chosen\"}\n"
	    "{\"t\": 3000, \"from\": \"information\", \"to\": \"information\", \"event\": \"emergency\"}\n"
	    "{\"t\": 4000, \"from\": \"information\", \"to\": \"wipe\", \"event\": \"abort\"}\n");
}

static void append_reports_errors(void **state)
{
	(void)state;
	struct cab_flow_transition t = {1, CAB_FLOW_WIPE, CAB_FLOW_ATTRACT, CAB_EV_WIPE_DONE, ""};
	assert_int_equal(cab_flow_state_log_append(NULL, &t), -1);
	FILE *full = fopen("/dev/full", "w");
	if (full) {
		assert_int_equal(cab_flow_state_log_append(full, &t), -1);
		fclose(full);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats_the_exact_line),
		cmocka_unit_test(observer_appends_one_line_per_transition),
		cmocka_unit_test(append_reports_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
