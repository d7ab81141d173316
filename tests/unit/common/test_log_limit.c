/* test_log_limit.c — the warning rate limit (common/log_limit.h): the first BURST of a
 * period logged, the rest counted, the count handed back once when the period ends. */
#include "common/log_limit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void burst_then_counted_then_summary(void **state)
{
	(void)state;
	struct cab_log_limit l = {0};
	uint64_t f = 99;
	assert_int_equal(cab_log_limit_take(&l, 1000, 15000, 2, &f), 1);
	assert_int_equal(f, 0);
	assert_int_equal(cab_log_limit_take(&l, 1001, 15000, 2, &f), 1);
	for (int i = 0; i < 18230; i++) {
		assert_int_equal(cab_log_limit_take(&l, 1002 + i / 10, 15000, 2, &f), 0);
		assert_int_equal(f, 0);
	}
	/* the period is not over: nothing to summarise yet */
	assert_int_equal(cab_log_limit_flush(&l, 15999, 15000), 0);
	/* over: 18230 more, once */
	assert_int_equal(cab_log_limit_flush(&l, 16000, 15000), 18230);
	assert_int_equal(cab_log_limit_flush(&l, 40000, 15000), 0);
	/* a new period logs again */
	assert_int_equal(cab_log_limit_take(&l, 40001, 15000, 2, &f), 1);
	assert_int_equal(f, 0);
}

static void summary_handed_back_by_the_next_event(void **state)
{
	(void)state;
	struct cab_log_limit l = {0};
	uint64_t f;
	assert_int_equal(cab_log_limit_take(&l, 5, 60000, 1, &f), 1);
	assert_int_equal(cab_log_limit_take(&l, 6, 60000, 1, &f), 0);
	assert_int_equal(cab_log_limit_take(&l, 7, 60000, 1, &f), 0);
	/* a minute later the next event logs, and the two counted come back first */
	assert_int_equal(cab_log_limit_take(&l, 60005, 60000, 1, &f), 1);
	assert_int_equal(f, 2);
	/* burst 0: everything counted */
	struct cab_log_limit z = {0};
	assert_int_equal(cab_log_limit_take(&z, 1, 10, 0, &f), 0);
	assert_int_equal(cab_log_limit_flush(&z, 11, 10), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(burst_then_counted_then_summary),
	    cmocka_unit_test(summary_handed_back_by_the_next_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
