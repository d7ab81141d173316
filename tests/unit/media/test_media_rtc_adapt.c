/* test_media_rtc_adapt.c — the WebRTC ladder controller (media_rtc_adapt.h) against
 * scripted RTCP feedback, one sample every 500 ms. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "kiosk/media/media_rtc_adapt.h"

/* Feeds samples of LOSS / REMB from T to END (ms, step 500); returns the last output. */
static struct cab_rtc_adapt_out run(struct cab_rtc_adapt *a, int64_t *t, int64_t end, double loss,
                                    uint32_t remb)
{
	struct cab_rtc_adapt_out o = {a->rung, a->video_off, 0, NULL};
	for (; *t < end; *t += 500) {
		struct cab_rtc_feedback fb = {*t, loss, 60, remb};
		o = cab_rtc_adapt_update(a, &fb);
	}
	return o;
}

static void test_clean_link_stays_on_top(void **st)
{
	(void)st;
	struct cab_rtc_adapt a;
	int64_t t = 0;
	cab_rtc_adapt_init(&a, 0, 0);
	run(&a, &t, 60000, 0.0, 0);
	assert_int_equal(a.rung, 0);
	assert_int_equal(a.video_off, 0);
}

static void test_loss_steps_down_to_audio_only_then_back(void **st)
{
	(void)st;
	struct cab_rtc_adapt a;
	int64_t t = 0;
	cab_rtc_adapt_init(&a, 0, 0);
	run(&a, &t, 1500, 0.2, 0); /* 1.5 s of 20 % loss: not yet */
	assert_int_equal(a.rung, 0);
	run(&a, &t, 2500, 0.2, 0); /* 2 s: one rung down */
	assert_int_equal(a.rung, 1);
	run(&a, &t, 2500 + 3 * 2000, 0.2, 0); /* two more rungs: 640x360@15 */
	assert_int_equal(a.rung, 3);
	assert_int_equal(cab_media_ladder[3].width, 640);
	assert_int_equal(cab_media_ladder[3].fps, 15);
	assert_int_equal(a.video_off, 0);
	run(&a, &t, t + 3000, 0.2, 0); /* 3 s more at the lowest rung: audio only */
	assert_int_equal(a.video_off, 1);
	/* clear: video back after the (doubled or not) hold, then one rung per hold */
	int64_t clear_from = t;
	while (a.video_off && t < clear_from + 40000)
		run(&a, &t, t + 500, 0.0, 0);
	assert_int_equal(a.video_off, 0);
	assert_true(t - clear_from >= 4000);
	run(&a, &t, t + 200000, 0.0, 0);
	assert_int_equal(a.rung, 0);
}

static void test_moderate_loss_holds(void **st)
{
	(void)st;
	struct cab_rtc_adapt a;
	int64_t t = 0;
	cab_rtc_adapt_init(&a, 2, 0);
	run(&a, &t, 60000, 0.05, 0); /* 5 %: neither congested nor clear */
	assert_int_equal(a.rung, 2);
	assert_int_equal(a.video_off, 0);
}

static void test_remb_jumps_to_fitting_rung(void **st)
{
	(void)st;
	struct cab_rtc_adapt a;
	int64_t t = 0;
	cab_rtc_adapt_init(&a, 0, 0);
	struct cab_rtc_feedback fb = {0, 0.0, 50, 400}; /* 400 kbit/s: 85 % = 340 -> rung 3 */
	struct cab_rtc_adapt_out o = cab_rtc_adapt_update(&a, &fb);
	assert_int_equal(o.changed, 1);
	assert_int_equal(o.rung, 3);
	assert_string_equal(o.reason, "remb");
	t = 500;
	run(&a, &t, 30000, 0.0, 400); /* stays: the next rung (500) does not fit */
	assert_int_equal(a.rung, 3);
	fb = (struct cab_rtc_feedback){t, 0.0, 50, 100}; /* under every rung */
	o = cab_rtc_adapt_update(&a, &fb);
	assert_int_equal(o.video_off, 1);
	run(&a, &t, t + 60000, 0.0, 2500);
	assert_int_equal(a.video_off, 0);
	assert_int_equal(a.rung, 0);
}

static void test_best_rung_caps_the_climb(void **st)
{
	(void)st;
	struct cab_rtc_adapt a;
	int64_t t = 0;
	cab_rtc_adapt_init(&a, 3, 2);
	run(&a, &t, 120000, 0.0, 0);
	assert_int_equal(a.rung, 2);
}

static void test_failed_step_up_doubles_hold(void **st)
{
	(void)st;
	struct cab_rtc_adapt a;
	int64_t t = 0;
	cab_rtc_adapt_init(&a, 2, 0);
	run(&a, &t, 4500, 0.0, 0); /* 4 s clear: up to rung 1 */
	assert_int_equal(a.rung, 1);
	run(&a, &t, t + 1000, 0.3, 0); /* congested within 5 s of the step up */
	assert_int_equal(a.hold_ms, 8000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean_link_stays_on_top),
	    cmocka_unit_test(test_loss_steps_down_to_audio_only_then_back),
	    cmocka_unit_test(test_moderate_loss_holds),
	    cmocka_unit_test(test_remb_jumps_to_fitting_rung),
	    cmocka_unit_test(test_best_rung_caps_the_climb),
	    cmocka_unit_test(test_failed_step_up_doubles_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
