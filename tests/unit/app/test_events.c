/* test_events.c — the typed event queue: posting from another thread, order,
 * payload ownership (freed exactly once, also on drain and on failure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <pthread.h>
#include <stdlib.h>

#include "kiosk/app/events.h"
#include "kiosk/app/events_sdl.h"

static int freed;

static void count_free(void *p)
{
	freed++;
	free(p);
}

static int *boxed(int v)
{
	int *p = malloc(sizeof *p);
	*p = v;
	return p;
}

static void *poster(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++)
		cab_event_post(CAB_QEV_READING, boxed(i), count_free);
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	return SDL_Init(SDL_INIT_EVENTS) == 0 && cab_events_init() == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	SDL_Quit();
	return 0;
}

static void refused_before_valid_type(void **state)
{
	(void)state;
	freed = 0;
	assert_int_equal(cab_event_post(CAB_QEV_NONE, boxed(1), count_free), -1);
	assert_int_equal(cab_event_post(CAB_QEV_TYPE_COUNT, boxed(1), count_free), -1);
	assert_int_equal(freed, 2); /* ownership passed: freed at once */
	assert_string_equal(cab_event_type_name(CAB_QEV_LINK), "link");
	assert_string_equal(cab_event_type_name((enum cab_event_type)99), "unknown");
}

static void from_a_thread_in_order(void **state)
{
	(void)state;
	freed = 0;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, poster, NULL), 0);
	pthread_join(t, NULL);
	SDL_Event e;
	int next = 0;
	while (SDL_PollEvent(&e)) {
		struct cab_event ce;
		if (!cab_event_from_sdl(&e, &ce))
			continue;
		assert_int_equal(ce.type, CAB_QEV_READING);
		assert_int_equal(*(int *)ce.payload, next);
		assert_true(ce.posted_ms > 0);
		next++;
		cab_event_done(&ce);
		assert_null(ce.payload);
	}
	assert_int_equal(next, 100);
	assert_int_equal(freed, 100);
}

static void drain_frees_what_is_left(void **state)
{
	(void)state;
	freed = 0;
	for (int i = 0; i < 5; i++)
		assert_int_equal(cab_event_post(CAB_QEV_LINK, boxed(i), count_free), 0);
	assert_int_equal(cab_event_post(CAB_QEV_QUIT, NULL, NULL), 0);
	cab_events_drain();
	assert_int_equal(freed, 5);
	SDL_Event e;
	struct cab_event ce;
	while (SDL_PollEvent(&e))
		assert_false(cab_event_from_sdl(&e, &ce));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(refused_before_valid_type),
	    cmocka_unit_test(from_a_thread_in_order),
	    cmocka_unit_test(drain_frees_what_is_left),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
