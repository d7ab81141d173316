/* test_voice.c — spoken guidance through libespeak-ng: French and English text gives
 * non-silent PCM at 22050 Hz, in several sink calls summing to the count returned;
 * bad arguments and unknown languages are refused; an empty text says nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/voice/voice.h"

struct heard {
	long samples;
	int calls;
	int peak;
};

static void sink(const int16_t *pcm, size_t n, void *user)
{
	struct heard *h = user;
	h->calls++;
	h->samples += (long)n;
	for (size_t i = 0; i < n; i++) {
		int a = abs(pcm[i]);
		if (a > h->peak)
			h->peak = a;
	}
}

static struct cab_voice *voice;

static int setup(void **state)
{
	(void)state;
	voice = cab_voice_open(NULL);
	return voice ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cab_voice_close(voice);
	return 0;
}

static void french_and_english_are_spoken(void **state)
{
	(void)state;
	assert_int_equal(cab_voice_rate(voice), 22050);
	struct heard fr = {0}, en = {0};
	long n = cab_voice_say(voice, "fr", "Touchez l'écran pour commencer.", 0, sink, &fr);
	assert_true(n > 22050 / 2); /* more than half a second of speech */
	assert_int_equal(n, fr.samples);
	assert_true(fr.peak > 3000); /* not silence */
	n = cab_voice_say(voice, "en", "Touch the screen to start.", 0, sink, &en);
	assert_true(n > 22050 / 2);
	assert_int_equal(n, en.samples);
	assert_true(en.peak > 3000);
	/* slower speech is longer */
	struct heard slow = {0};
	n = cab_voice_say(voice, "en", "Touch the screen to start.", 100, sink, &slow);
	assert_true(n > en.samples);
}

static void refusals(void **state)
{
	(void)state;
	struct heard h = {0};
	assert_int_equal(cab_voice_say(voice, "de", "Hallo", 0, sink, &h), -1);
	assert_int_equal(cab_voice_say(voice, "fr", NULL, 0, sink, &h), -1);
	assert_int_equal(cab_voice_say(voice, "fr", "Bonjour", 0, NULL, &h), -1);
	assert_int_equal(cab_voice_say(voice, "fr", "Bonjour", 50, sink, &h), -1);
	assert_int_equal(cab_voice_say(NULL, "fr", "Bonjour", 0, sink, &h), -1);
	char *big = malloc(2002);
	memset(big, 'a', 2001);
	big[2001] = 0;
	assert_int_equal(cab_voice_say(voice, "fr", big, 0, sink, &h), -1);
	free(big);
	assert_int_equal(cab_voice_say(voice, "fr", "", 0, sink, &h), 0);
	assert_int_equal(h.calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(french_and_english_are_spoken),
	    cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
