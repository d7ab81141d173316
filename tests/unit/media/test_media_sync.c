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

static void played_clock(void **state)
{
	(void)state;
	/* 100 ms queued and a 20 ms device buffer (960 samples at 48 kHz) */
	assert_int_equal(cab_av_played_clock(2000000, 9600, 96000, 20000), 1880000);
	assert_int_equal(cab_av_played_clock(2000000, 0, 96000, 0), 2000000);
	assert_int_equal(cab_av_played_clock(2000000, 0, 96000, -5), 2000000); /* ignored */
	/* 30 ms of sound queued at the stream's start: not heard yet, clamped to 0 */
	assert_int_equal(cab_av_played_clock(30000, 4800, 96000, 20000), 0);
}

static void offset_stats(void **state)
{
	(void)state;
	struct cab_av_offset_stats s = {0};
	assert_int_equal(cab_av_offset_percentile_ms(&s, 99), -1);
	/* 98 offsets of 0.5 ms, one of -7.9 ms, one of +81 ms */
	for (int i = 0; i < 98; i++)
		cab_av_offset_add(&s, 500);
	cab_av_offset_add(&s, -7900);
	cab_av_offset_add(&s, 81000);
	assert_int_equal(s.n, 100);
	assert_int_equal(s.min_us, -7900);
	assert_int_equal(s.max_us, 81000);
	assert_int_equal(s.max_abs_us, 81000);
	assert_int_equal(s.sum_abs_us, 98 * 500 + 7900 + 81000);
	assert_int_equal(s.hist[0], 98);
	assert_int_equal(s.hist[7], 1);
	assert_int_equal(s.hist[81], 1);
	assert_int_equal(cab_av_offset_percentile_ms(&s, 50), 0);
	assert_int_equal(cab_av_offset_percentile_ms(&s, 98), 0);
	assert_int_equal(cab_av_offset_percentile_ms(&s, 99), 7);
	assert_int_equal(cab_av_offset_percentile_ms(&s, 100), 81);
	cab_av_offset_add(&s, -3000000); /* beyond the histogram: last bin */
	assert_int_equal(s.hist[CAB_AV_HIST_BINS - 1], 1);
	assert_int_equal(cab_av_offset_percentile_ms(&s, 100), CAB_AV_HIST_BINS - 1);
	assert_int_equal(s.min_us, -3000000);
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
	    cmocka_unit_test(played_clock),
	    cmocka_unit_test(offset_stats),
	    cmocka_unit_test(simulated_playback_stays_in_sync),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
