/* test_media_queue.c — the bounded send queue: drop-oldest, counters, H.264
 * streams skipped to their next keyframe after a loss, precious stills kept,
 * pushing never blocks while the consumer is stalled. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <stdlib.h>
#include <string.h>

#include "kiosk/media/media_queue.h"

static int push(struct cab_media_queue *q, uint8_t stream, uint8_t tag, size_t len, int key,
                int dep, int precious)
{
	struct cab_media_qitem it = {malloc(len),  len,          stream,
	                             (uint8_t)key, (uint8_t)dep, (uint8_t)precious};
	assert_non_null(it.msg);
	memset(it.msg, tag, len);
	return cab_media_queue_push(q, &it);
}

static uint8_t pop_tag(struct cab_media_queue *q)
{
	struct cab_media_qitem it;
	assert_int_equal(cab_media_queue_pop(q, &it, 0), 1);
	uint8_t t = it.msg[0];
	free(it.msg);
	return t;
}

static void drops_oldest_and_counts(void **state)
{
	(void)state;
	struct cab_media_queue q;
	assert_int_equal(cab_media_queue_init(&q, 3, 1 << 20), 0);
	for (uint8_t i = 1; i <= 5; i++)
		assert_int_equal(push(&q, 1, i, 10, 1, 0, 0), 1); /* audio: independent */
	struct cab_media_qstats st;
	cab_media_queue_stats(&q, &st);
	assert_int_equal(st.pushed, 5);
	assert_int_equal(st.dropped, 2);
	assert_int_equal(st.dropped_bytes, 20);
	assert_int_equal(st.depth, 3);
	assert_int_equal(st.bytes, 30);
	assert_int_equal(pop_tag(&q), 3);
	assert_int_equal(pop_tag(&q), 4);
	assert_int_equal(pop_tag(&q), 5);
	struct cab_media_qitem it;
	assert_int_equal(cab_media_queue_pop(&q, &it, 10), 0); /* empty: timeout */
	cab_media_queue_close(&q);
	assert_int_equal(cab_media_queue_pop(&q, &it, 10), -1);
	assert_int_equal(push(&q, 1, 9, 10, 1, 0, 0), -1);
	cab_media_queue_destroy(&q);
}

static void byte_limit(void **state)
{
	(void)state;
	struct cab_media_queue q;
	assert_int_equal(cab_media_queue_init(&q, 100, 100), 0);
	push(&q, 1, 1, 40, 1, 0, 0);
	push(&q, 1, 2, 40, 1, 0, 0);
	push(&q, 1, 3, 40, 1, 0, 0); /* 120 > 100: the first goes */
	struct cab_media_qstats st;
	cab_media_queue_stats(&q, &st);
	assert_int_equal(st.bytes, 80);
	assert_int_equal(pop_tag(&q), 2);
	cab_media_queue_destroy(&q);
	assert_int_equal(cab_media_queue_init(&q, 0, 100), -1);
	assert_int_equal(cab_media_queue_init(&q, CAB_MEDIA_QUEUE_MAX_ITEMS + 1, 100), -1);
}

/* Video (dependent) packets: when one is dropped, the rest of its group is useless;
 * they go too, later deltas are refused until a keyframe, and a keyframe is asked. */
static void video_skips_to_next_keyframe(void **state)
{
	(void)state;
	struct cab_media_queue q;
	assert_int_equal(cab_media_queue_init(&q, 4, 1 << 20), 0);
	push(&q, 0, 10, 10, 1, 1, 0); /* K */
	push(&q, 0, 11, 10, 0, 1, 0); /* P */
	push(&q, 1, 50, 10, 1, 0, 0); /* audio */
	push(&q, 0, 12, 10, 0, 1, 0); /* P */
	assert_int_equal(cab_media_queue_take_key_request(&q, 0), 0);
	/* full: pushing audio drops the K, and with it both P of its group */
	assert_int_equal(push(&q, 1, 51, 10, 1, 0, 0), 1);
	struct cab_media_qstats st;
	cab_media_queue_stats(&q, &st);
	assert_int_equal(st.dropped, 3);
	assert_int_equal(st.depth, 2);
	assert_int_equal(cab_media_queue_take_key_request(&q, 0), 1);
	assert_int_equal(cab_media_queue_take_key_request(&q, 0), 0); /* taken once */
	assert_int_equal(push(&q, 0, 13, 10, 0, 1, 0), 0);            /* P refused */
	assert_int_equal(push(&q, 0, 14, 10, 1, 1, 0), 1);            /* K accepted */
	assert_int_equal(push(&q, 0, 15, 10, 0, 1, 0), 1);            /* P after it fine */
	assert_int_equal(pop_tag(&q), 50);
	assert_int_equal(pop_tag(&q), 51);
	assert_int_equal(pop_tag(&q), 14);
	assert_int_equal(pop_tag(&q), 15);
	cab_media_queue_destroy(&q);
}

/* A dropped delta before a queued keyframe does not break the stream. */
static void keyframe_in_queue_recovers(void **state)
{
	(void)state;
	struct cab_media_queue q;
	assert_int_equal(cab_media_queue_init(&q, 3, 1 << 20), 0);
	push(&q, 0, 1, 10, 0, 1, 0); /* P (oldest) */
	push(&q, 0, 2, 10, 1, 1, 0); /* K */
	push(&q, 0, 3, 10, 0, 1, 0); /* P */
	push(&q, 0, 4, 10, 0, 1, 0); /* drops 1 only: the K is queued */
	assert_int_equal(cab_media_queue_take_key_request(&q, 0), 0);
	assert_int_equal(pop_tag(&q), 2);
	assert_int_equal(pop_tag(&q), 3);
	assert_int_equal(pop_tag(&q), 4);
	cab_media_queue_destroy(&q);
}

static void precious_kept(void **state)
{
	(void)state;
	struct cab_media_queue q;
	assert_int_equal(cab_media_queue_init(&q, 2, 1 << 20), 0);
	push(&q, 3, 77, 10, 1, 0, 1); /* still */
	push(&q, 1, 1, 10, 1, 0, 0);
	push(&q, 1, 2, 10, 1, 0, 0); /* drops audio 1, not the still */
	assert_int_equal(pop_tag(&q), 77);
	assert_int_equal(pop_tag(&q), 2);
	/* only precious left: a new ordinary message is refused, not the still */
	push(&q, 3, 78, 10, 1, 0, 1);
	push(&q, 3, 79, 10, 1, 0, 1);
	assert_int_equal(push(&q, 1, 3, 10, 1, 0, 0), 0);
	assert_int_equal(pop_tag(&q), 78);
	assert_int_equal(pop_tag(&q), 79);
	cab_media_queue_destroy(&q);
}

/* With no consumer at all, 10 000 pushes return at once and memory stays bounded. */
static void never_blocks(void **state)
{
	(void)state;
	struct cab_media_queue q;
	assert_int_equal(cab_media_queue_init(&q, 64, 4096), 0);
	for (int i = 0; i < 10000; i++)
		push(&q, (uint8_t)(i % 2), (uint8_t)i, 100, i % 30 == 0, i % 2 == 0, 0);
	struct cab_media_qstats st;
	cab_media_queue_stats(&q, &st);
	assert_true(st.bytes <= 4096);
	assert_true(st.depth <= 64);
	assert_int_equal(st.dropped,
	                 10000 - st.depth); /* every message not queued now was dropped */
	assert_int_equal(st.popped, 0);
	assert_true(st.dropped >= 10000 - 64);
	cab_media_queue_destroy(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(drops_oldest_and_counts),
	    cmocka_unit_test(byte_limit),
	    cmocka_unit_test(video_skips_to_next_keyframe),
	    cmocka_unit_test(keyframe_in_queue_recovers),
	    cmocka_unit_test(precious_kept),
	    cmocka_unit_test(never_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
