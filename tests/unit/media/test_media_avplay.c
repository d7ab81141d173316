/* test_media_avplay.c — the lip-sync presenter thread (media_avplay.h) against a
 * scripted audio clock: late pictures dropped, due ones presented with their exact
 * offset, early ones held until the sound reaches them, a busy screen counted, and
 * pictures shown unsynced when there is no sound. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "kiosk/media/media_avplay.h"

struct fake {
	atomic_ullong queued; /* bytes "still in the device" */
	atomic_int accept;    /* present() takes the picture */
	atomic_int shown;
	int64_t last_pts;
};

static int present(void *u, struct cab_avplay_frame *f)
{
	struct fake *k = u;
	if (!atomic_load(&k->accept))
		return 0;
	k->last_pts = f->pts_us;
	free(f->rgba);
	atomic_fetch_add(&k->shown, 1);
	return 1;
}

static uint64_t queued(void *u)
{
	struct fake *k = u;
	return atomic_load(&k->queued);
}

static void frame(struct cab_avplay *p, int64_t pts)
{
	static uint8_t px[4 * 4 * 2];
	struct cab_media_video_frame f = {.width = 4,
	                                  .height = 2,
	                                  .format = CAB_MEDIA_PIX_RGBA,
	                                  .data = {px},
	                                  .linesize = {16},
	                                  .pts_us = pts};
	cab_avplay_video(p, &f);
}

/* Waits (up to 5 s) until the player has handled every queued picture in the
 * expected way: FIELD-by-field totals. */
static void settle(struct cab_avplay *p, struct cab_avplay_stats *st, uint64_t done)
{
	for (int i = 0; i < 500; i++) {
		cab_avplay_stats(p, st);
		if (st->presented + st->dropped + st->unsynced + st->busy + st->resyncs >= done)
			return;
		nanosleep(&(struct timespec){0, 10000000}, NULL);
	}
}

static void present_hold_drop(void **state)
{
	(void)state;
	struct fake k = {.accept = 1};
	struct cab_avplay_cfg cfg = {.present = present,
	                             .audio_queued = queued,
	                             .audio_bytes_per_s = 96000,
	                             .device_latency_us = 20000,
	                             .user = &k};
	struct cab_avplay *p = cab_avplay_new(&cfg);
	assert_non_null(p);
	/* sound up to 1.100 s queued, 80 ms of it (7680 B) still queued, 20 ms in the
	 * device: the clock is 1.000 s */
	atomic_store(&k.queued, 7680);
	cab_avplay_audio(p, 1080000, 960, 48000);
	struct cab_avplay_stats st;
	frame(p, 900000);  /* 100 ms late: dropped */
	frame(p, 950000);  /* 50 ms late: presented, offset -50 ms */
	frame(p, 1005000); /* 5 ms early: presented */
	frame(p, 1500000); /* 500 ms early: held */
	settle(p, &st, 3);
	nanosleep(&(struct timespec){0, 50000000}, NULL);
	cab_avplay_stats(p, &st);
	assert_int_equal(st.frames_in, 4);
	assert_int_equal(st.dropped, 1);
	assert_int_equal(st.presented, 2);
	assert_int_equal(st.held, 1);
	assert_int_equal(st.offsets.min_us, -50000);
	assert_int_equal(st.offsets.max_us, 5000);
	assert_int_equal(k.last_pts, 1005000);
	/* the sound reaches 1.500 s: the held picture is presented, offset 0 */
	atomic_store(&k.queued, 0);
	cab_avplay_audio(p, 1500000, 960, 48000); /* ends at 1.520 s, minus 20 ms in the device */
	settle(p, &st, 4);
	assert_int_equal(st.presented, 3);
	assert_int_equal(st.held, 1);
	assert_int_equal(k.last_pts, 1500000);
	assert_int_equal(st.offsets.n, 3);
	assert_int_equal(st.offsets.max_abs_us, 50000);
	assert_int_equal(st.offsets.hist[0], 1); /* the held one, offset 0 */
	/* the screen busy with the previous picture: counted, not presented */
	atomic_store(&k.accept, 0);
	frame(p, 1500000);
	settle(p, &st, 5);
	assert_int_equal(st.busy, 1);
	assert_int_equal(st.presented, 3);
	cab_avplay_reset(p);
	cab_avplay_stats(p, &st);
	assert_int_equal(st.frames_in, 0);
	assert_int_equal(st.offsets.n, 0);
	/* no sound since the reset: pictures are shown as they come, unsynced */
	atomic_store(&k.accept, 1);
	frame(p, 42);
	settle(p, &st, 1);
	assert_int_equal(st.unsynced, 1);
	assert_int_equal(st.presented, 0);
	cab_avplay_free(p);
}

static void overflow_drops_oldest(void **state)
{
	(void)state;
	struct fake k = {.accept = 1};
	struct cab_avplay_cfg cfg = {
	    .present = present, .audio_queued = queued, .audio_bytes_per_s = 96000, .user = &k};
	struct cab_avplay *p = cab_avplay_new(&cfg);
	assert_non_null(p);
	cab_avplay_audio(p, 0, 960, 48000); /* clock at 20 ms: every picture below is early */
	for (int i = 0; i < CAB_AVPLAY_MAX_FRAMES + 3; i++)
		frame(p, 1000000 + i * 33333);
	struct cab_avplay_stats st;
	cab_avplay_stats(p, &st);
	assert_int_equal(st.frames_in, CAB_AVPLAY_MAX_FRAMES + 3);
	assert_int_equal(st.overflow, 3);
	assert_int_equal(st.presented, 0);
	cab_avplay_free(p); /* frees the held pictures (ASan / valgrind check) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(present_hold_drop),
	    cmocka_unit_test(overflow_drops_oldest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
