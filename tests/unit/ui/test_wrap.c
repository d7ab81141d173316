/* test_wrap.c — line breaking of UTF-8 text with a fixed advance per character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/ui/wrap.h"

/* 10 px per UTF-8 character. */
static int measure10(void *user, const char *s, size_t len)
{
	(void)user;
	int n = 0;
	for (size_t i = 0; i < len; i += ui_utf8_len(s + i))
		n++;
	return n * 10;
}

static void expect_lines(const char *text, int w, const char *const *want, size_t nwant)
{
	struct ui_line l[16];
	size_t n = ui_wrap(text, w, measure10, NULL, l, 16);
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(l[i].len, strlen(want[i]));
		assert_memory_equal(text + l[i].off, want[i], l[i].len);
	}
}

static void breaks_at_spaces(void **state)
{
	(void)state;
	const char *want[] = {"Touchez", "l'écran pour", "commencer"};
	expect_lines("Touchez l'écran pour commencer", 120, want, 3);
}

static void fits_on_one_line(void **state)
{
	(void)state;
	const char *want[] = {"Arrêter"};
	expect_lines("Arrêter", 70, want, 1); /* 7 characters, 9 bytes: width counts characters */
}

static void hard_newlines_and_empty_lines(void **state)
{
	(void)state;
	const char *want[] = {"15", "", "112"};
	expect_lines("15\n\n112\n", 100, want, 3);
}

static void long_word_cut_between_characters(void **state)
{
	(void)state;
	const char *want[] = {"éééé", "éé"};
	expect_lines("éééééé", 40, want, 2);
}

static void empty_text_and_count_beyond_max(void **state)
{
	(void)state;
	struct ui_line l[2];
	assert_int_equal(ui_wrap("", 100, measure10, NULL, l, 2), 0);
	/* five words of width 10 at width 10: five lines, only two written */
	assert_int_equal(ui_wrap("a b c d e", 10, measure10, NULL, l, 2), 5);
	assert_int_equal(l[1].off, 2);
}

static void utf8_steps(void **state)
{
	(void)state;
	const char *s = "aé€𝄞";
	assert_int_equal(ui_utf8_len(s), 1);
	assert_int_equal(ui_utf8_len(s + 1), 2);
	assert_int_equal(ui_utf8_len(s + 3), 3);
	assert_int_equal(ui_utf8_len(s + 6), 4);
	assert_int_equal(ui_utf8_len("\xC3("), 1); /* broken sequence: one byte */
	assert_int_equal(ui_utf8_prev(s, 10), 6);
	assert_int_equal(ui_utf8_prev(s, 6), 3);
	assert_int_equal(ui_utf8_prev(s, 3), 1);
	assert_int_equal(ui_utf8_prev(s, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(breaks_at_spaces),
	    cmocka_unit_test(fits_on_one_line),
	    cmocka_unit_test(hard_newlines_and_empty_lines),
	    cmocka_unit_test(long_word_cut_between_characters),
	    cmocka_unit_test(empty_text_and_count_beyond_max),
	    cmocka_unit_test(utf8_steps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
