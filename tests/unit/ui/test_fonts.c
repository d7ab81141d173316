/* test_fonts.c — the font cache never closes a font handed out during the current
 * frame (a widget may hold several while drawing), and evicts old frames' fonts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/ui/ui.h"

static void fonts_of_this_frame_stay_open(void **state)
{
	(void)state;
	static struct ui_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.font_dir = "/usr/share/fonts/truetype/dejavu";
	assert_int_equal(TTF_Init(), 0);
	ui_ctx_begin_frame(&ctx);
	TTF_Font *first = ui_font(&ctx, UI_BOLD, 20);
	assert_non_null(first);
	assert_ptr_equal(ui_font(&ctx, UI_BOLD, 20), first); /* cached */
	/* more sizes than the cache holds, all in one frame */
	for (int px = 21; px < 21 + 2 * UI_FONT_CACHE; px++)
		assert_non_null(ui_font(&ctx, UI_REGULAR, px));
	/* the first one is still open and usable */
	assert_ptr_equal(ui_font(&ctx, UI_BOLD, 20), first);
	assert_true(TTF_FontHeight(first) > 0);
	/* next frame: asking for a new size evicts an old frame's font, not a fresh one */
	ui_ctx_begin_frame(&ctx);
	TTF_Font *fresh = ui_font(&ctx, UI_BOLD, 20);
	TTF_Font *other = ui_font(&ctx, UI_BOLD, 99);
	assert_non_null(other);
	assert_ptr_equal(ui_font(&ctx, UI_BOLD, 20), fresh);
	assert_true(TTF_FontHeight(fresh) > 0);
	ctx.r = NULL;
	ui_ctx_free(&ctx);
	TTF_Quit();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fonts_of_this_frame_stay_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
