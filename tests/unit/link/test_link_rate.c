/* test_link_rate.c — the link's media statistics, pure parts: bytes acknowledged
 * from "written" and the socket's send queue, and the sliding-window throughput. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "kiosk/link/link_rate.h"

static void acked(void **state)
{
	(void)state;
	assert_int_equal(cab_link_acked_bytes(100000, 0), 100000);
	assert_int_equal(cab_link_acked_bytes(100000, 16384), 83616);
	assert_int_equal(cab_link_acked_bytes(100000, 100000), 0);
	assert_int_equal(cab_link_acked_bytes(1000, 4096), 0); /* text bytes in the queue */
	assert_int_equal(cab_link_acked_bytes(0, 0), 0);
}

static void rate_window(void **state)
{
	(void)state;
	struct cab_link_rate r = {0};
	assert_int_equal(cab_link_rate_Bps(&r), 0);
	cab_link_rate_add(&r, 1000, 0);
	assert_int_equal(cab_link_rate_Bps(&r), 0); /* one sample */
	cab_link_rate_add(&r, 1250, 12500);
	assert_int_equal(cab_link_rate_Bps(&r), 50000); /* 12 500 B in 250 ms */
	/* 50 000 B/s for 1 s, then 10 000 B/s: the window is the last >= 1 s */
	cab_link_rate_add(&r, 1500, 25000);
	cab_link_rate_add(&r, 1750, 37500);
	cab_link_rate_add(&r, 2000, 50000);
	assert_int_equal(cab_link_rate_Bps(&r), 50000);
	cab_link_rate_add(&r, 2250, 52500);
	cab_link_rate_add(&r, 2500, 55000);
	cab_link_rate_add(&r, 2750, 57500);
	cab_link_rate_add(&r, 3000, 60000);
	assert_int_equal(cab_link_rate_Bps(&r), 10000); /* 2000 -> 3000: 10 000 B */
	/* more samples than slots: the ring keeps the newest 8 */
	for (int i = 1; i <= 20; i++)
		cab_link_rate_add(&r, 3000 + i * 250, 60000 + (uint64_t)i * 5000);
	assert_int_equal(r.n, CAB_LINK_RATE_SLOTS);
	assert_int_equal(cab_link_rate_Bps(&r), 20000);
	/* the counter went back (a reset): the window restarts */
	cab_link_rate_add(&r, 9000, 10);
	assert_int_equal(r.n, 1);
	assert_int_equal(cab_link_rate_Bps(&r), 0);
	cab_link_rate_add(&r, 9000, 500); /* no time between samples */
	assert_int_equal(cab_link_rate_Bps(&r), 0);
	cab_link_rate_add(&r, 9500, 1010);
	assert_int_equal(cab_link_rate_Bps(&r), 2000); /* oldest held: 9000 -> 9500 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(acked),
	    cmocka_unit_test(rate_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
