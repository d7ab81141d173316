/* test_media_sync.c — the A/V decision: present within the window, hold early
 * frames, drop frames more than 80 ms late, resync on unrelated clocks. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "kiosk/media/media_sync.h"

static void decisions(void **state)
{
	(void)state;
	struct cab_av_decision d;
	d = cab_av_decide(1000000, 1000000, 1);
	assert_int_equal(d.action, CAB_AV_PRESENT);
	assert_int_equal(d.offset_us, 0);
	d = cab_av_decide(1010000, 1000000, 1); /* 10 ms early: still in the window */
	assert_int_equal(d.action, CAB_AV_PRESENT);
	d = cab_av_decide(1010001, 1000000, 1); /* just past the early edge */
	assert_int_equal(d.action, CAB_AV_WAIT);
	assert_int_equal(d.wait_us, 10001);
	d = cab_av_decide(1033333, 1000000, 1);
	assert_int_equal(d.action, CAB_AV_WAIT);
	assert_int_equal(d.wait_us, 33333);
	d = cab_av_decide(920000, 1000000, 1); /* exactly 80 ms late: shown */
	assert_int_equal(d.action, CAB_AV_PRESENT);
	assert_int_equal(d.offset_us, -80000);
	d = cab_av_decide(919999, 1000000, 1); /* beyond 80 ms late: dropped */
	assert_int_equal(d.action, CAB_AV_DROP);
	d = cab_av_decide(5000000, 1000000, 1); /* 4 s apart: unrelated, resync */
	assert_int_equal(d.action, CAB_AV_RESYNC);
	d = cab_av_decide(0, 3000000, 1);
	assert_int_equal(d.action, CAB_AV_RESYNC);
	d = cab_av_decide(0, 3000000, 0); /* no audio clock: present */
	assert_int_equal(d.action, CAB_AV_PRESENT);
	assert_int_equal(d.wait_us, 0);
}

static void audio_clock(void **state)
{
	(void)state;
	/* 48 kHz mono S16 = 96 000 B/s; 9 600 B queued = 100 ms still to play. */
	assert_int_equal(cab_av_audio_clock(2000000, 9600, 96000), 1900000);
	assert_int_equal(cab_av_audio_clock(2000000, 0, 96000), 2000000);
	assert_int_equal(cab_av_audio_clock(2000000, 9600, 0), 2000000);
}

/* A 30 fps video stream shown on a 30 Hz display against an audio clock that runs
 * 5 % fast: the display cannot show every frame, the decisions drop the late ones
 * and keep every shown frame within 80 ms of the audio. */
static void simulated_playback_stays_in_sync(void **state)
{
	(void)state;
	int64_t next = 0;
	int shown = 0, dropped = 0;
	for (int64_t t = 0; t < 10000000; t += 33333) { /* 30 Hz display refresh */
		int64_t audio = t * 105 / 100;
		for (;;) {
			struct cab_av_decision d = cab_av_decide(next, audio, 1);
			if (d.action == CAB_AV_WAIT)
				break;
			if (d.action == CAB_AV_DROP) {
				dropped++;
				next += 33333;
				continue;
			}
			assert_true(d.offset_us >= -80000 && d.offset_us <= 10000);
			shown++;
			next += 33333;
			break;
		}
	}
	assert_true(shown > 270);
	assert_true(dropped > 5 && dropped < 30); /* about 5 % of 300 frames */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decisions),
	    cmocka_unit_test(audio_clock),
	    cmocka_unit_test(simulated_playback_stays_in_sync),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
