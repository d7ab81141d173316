/* test_layout.c — rectangle arithmetic, theme metrics at the three target sizes,
 * list scrolling and progress geometry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/ui/layout.h"
#include "kiosk/ui/list.h"
#include "kiosk/ui/progress.h"
#include "kiosk/ui/theme.h"

#define RECT_EQ(r, X, Y, W, H)                                                                     \
	do {                                                                                       \
		assert_int_equal((r).x, X);                                                        \
		assert_int_equal((r).y, Y);                                                        \
		assert_int_equal((r).w, W);                                                        \
		assert_int_equal((r).h, H);                                                        \
	} while (0)

static void cuts(void **state)
{
	(void)state;
	SDL_Rect r = {0, 0, 1280, 800};
	SDL_Rect top = ui_cut_top(&r, 89, 0);
	RECT_EQ(top, 0, 0, 1280, 89);
	RECT_EQ(r, 0, 89, 1280, 711);
	SDL_Rect bot = ui_cut_bottom(&r, 110, 10);
	RECT_EQ(bot, 0, 690, 1280, 110);
	RECT_EQ(r, 0, 89, 1280, 591);
	SDL_Rect left = ui_cut_left(&r, 2000, 0); /* clamped to what is there */
	RECT_EQ(left, 0, 89, 1280, 591);
	assert_int_equal(r.w, 0);
}

static void columns_rows_and_remainder(void **state)
{
	(void)state;
	SDL_Rect c[3];
	ui_columns((SDL_Rect){10, 0, 101, 50}, 3, 5, c);
	RECT_EQ(c[0], 10, 0, 30, 50);
	RECT_EQ(c[1], 45, 0, 30, 50);
	RECT_EQ(c[2], 80, 0, 31, 50); /* the last takes the remainder */
	SDL_Rect r[2];
	ui_rows((SDL_Rect){0, 100, 10, 50}, 2, 10, r);
	RECT_EQ(r[0], 0, 100, 10, 20);
	RECT_EQ(r[1], 0, 130, 10, 20);
}

static void grid_and_center(void **state)
{
	(void)state;
	assert_int_equal(ui_grid_columns(1920, 5, 560, 20), 3);
	assert_int_equal(ui_grid_columns(1000, 5, 560, 20), 1);
	assert_int_equal(ui_grid_columns(10000, 5, 100, 20), 5);
	SDL_Rect g[5];
	ui_grid((SDL_Rect){0, 0, 210, 100}, 5, 2, 10, g);
	RECT_EQ(g[0], 0, 0, 100, 26);
	RECT_EQ(g[3], 110, 36, 100, 26);
	RECT_EQ(g[4], 0, 72, 100, 28);
	SDL_Rect c = ui_center((SDL_Rect){0, 0, 100, 100}, 40, 200);
	RECT_EQ(c, 30, 0, 40, 100);
	SDL_Rect in = ui_inset((SDL_Rect){0, 0, 10, 100}, 20);
	RECT_EQ(in, 5, 20, 0, 60);
}

static void theme_scales_with_the_shorter_side(void **state)
{
	(void)state;
	struct ui_theme a, b, c;
	ui_theme_compute(&a, 1920, 1080, 0);
	ui_theme_compute(&b, 1280, 800, 0);
	ui_theme_compute(&c, 1080, 1920, 0);
	assert_false(a.portrait);
	assert_true(c.portrait);
	assert_int_equal(a.target, 48); /* 9 mm at 1080p */
	assert_int_equal(c.target, 48);
	assert_int_equal(b.target, 48); /* never below 48 px (issue 16) */
	assert_int_equal(b.fs_small, 24); /* smallest patient text at 1280x800 */
	assert_int_equal(a.fs_small, 26);
	/* outlines: 3:1 against white at least (relative luminance, WCAG 2.1) */
	assert_true(b.line.r == 112 && b.line.g == 128 && b.line.b == 144);
	ui_theme_set_large(&b, true, 0);
	assert_true(b.large);
	assert_int_equal(b.fs_small, 32);
	assert_int_equal(b.target, 48);
	assert_true(b.ink.r == 0 && b.bg.r == 255);
	ui_theme_set_large(&b, false, 0);
	assert_false(b.large);
	assert_int_equal(b.fs_small, 24);
	assert_int_equal(a.fs_body, c.fs_body);
	assert_true(b.fs_body < a.fs_body);
	assert_true(a.button_h >= a.target && b.button_h >= b.target);
	/* a 10" 1280x800 panel is about 150 dpi: 9 mm is 53 px */
	ui_theme_compute(&b, 1280, 800, 150.0f);
	assert_int_equal(b.target, 53);
}

static void list_scroll_and_hit(void **state)
{
	(void)state;
	assert_int_equal(ui_list_max_scroll(10, 50, 200), 300);
	assert_int_equal(ui_list_max_scroll(3, 50, 200), 0);
	struct ui_list l;
	ui_list_init(&l, NULL, NULL, 0);
	l.w.r = (SDL_Rect){0, 100, 300, 200};
	l.count = 10;
	assert_int_equal(ui_list_row_at(&l, 50, 99), -1);
	assert_int_equal(ui_list_row_at(&l, 50, 100), 0);
	assert_int_equal(ui_list_row_at(&l, 50, 299), 3);
	l.scroll = 120;
	assert_int_equal(ui_list_row_at(&l, 50, 100), 2);
	l.count = 2;
	assert_int_equal(ui_list_row_at(&l, 50, 250), -1);
}

static void progress_fill(void **state)
{
	(void)state;
	assert_int_equal(ui_progress_fill_w(200, 0.5f), 100);
	assert_int_equal(ui_progress_fill_w(200, -1.0f), 0);
	assert_int_equal(ui_progress_fill_w(200, 3.0f), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cuts),
	    cmocka_unit_test(columns_rows_and_remainder),
	    cmocka_unit_test(grid_and_center),
	    cmocka_unit_test(theme_scales_with_the_shorter_side),
	    cmocka_unit_test(list_scroll_and_hit),
	    cmocka_unit_test(progress_fill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
