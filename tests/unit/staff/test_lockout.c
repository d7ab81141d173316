/* test_lockout.c — the escalating lockout on its own: 5 tries, 1/5/30 min, reset
 * on success, persistence line format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/staff/lockout.h"

#define MIN (60 * 1000LL)

static void five_tries_then_escalating_locks(void **state)
{
	(void)state;
	struct cab_lockout lo = {0};
	int64_t t = 1000;
	const int64_t expect[] = {1 * MIN, 5 * MIN, 30 * MIN, 30 * MIN};
	for (int lock = 0; lock < 4; lock++) {
		for (int i = 1; i < CAB_LOCKOUT_TRIES; i++) {
			assert_int_equal(cab_lockout_fail(&lo, t), 0);
			assert_int_equal(lo.failures, i);
			assert_int_equal(cab_lockout_remaining(&lo, t), 0);
		}
		assert_int_equal(cab_lockout_fail(&lo, t), expect[lock]);
		assert_int_equal(lo.locks, lock + 1);
		assert_int_equal(cab_lockout_remaining(&lo, t), expect[lock]);
		assert_int_equal(cab_lockout_remaining(&lo, t + expect[lock] - 1), 1);
		t += expect[lock];
		assert_int_equal(cab_lockout_remaining(&lo, t), 0);
		assert_int_equal(lo.failures, 0);
	}
	cab_lockout_success(&lo);
	assert_int_equal(lo.locks, 0);
	for (int i = 1; i < CAB_LOCKOUT_TRIES; i++)
		cab_lockout_fail(&lo, t);
	assert_int_equal(cab_lockout_fail(&lo, t), 1 * MIN);
}

static void format_and_parse(void **state)
{
	(void)state;
	struct cab_lockout lo = {0}, back;
	char line[128];
	for (int i = 0; i < CAB_LOCKOUT_TRIES; i++)
		cab_lockout_fail(&lo, 5000);
	cab_lockout_fail(&lo, 5000);
	assert_int_equal(cab_lockout_format(&lo, 5000 + 20000, line, sizeof line), 38);
	assert_string_equal(line, "failures=1 locks=1 remaining_ms=40000\n");
	/* Re-armed from the new process's clock: 40 s left whatever its origin. */
	assert_int_equal(cab_lockout_parse(&back, line, 7), 0);
	assert_int_equal(back.failures, 1);
	assert_int_equal(back.locks, 1);
	assert_int_equal(cab_lockout_remaining(&back, 7), 40000);
	assert_int_equal(cab_lockout_parse(&back, "failures=0 locks=0 remaining_ms=0\n", 7), 0);
	assert_int_equal(back.locked_until_ms, 0);

	const char *bad[] = {"", "failures=5 locks=0 remaining_ms=0", "failures=0 locks=0",
	                     "failures=0 locks=0 remaining_ms=1800001",
	                     "failures=0 locks=0 remaining_ms=-1", "failures=0 locks=0 remaining_ms=5x"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(cab_lockout_parse(&back, bad[i], 7), -1);
		assert_int_equal(back.failures, 0);
	}
	assert_int_equal(cab_lockout_format(&lo, 0, line, 10), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(five_tries_then_escalating_locks),
		cmocka_unit_test(format_and_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
