/* test_text_cache.c — rendered text and wrapped paragraphs kept across frames
 * (kiosk/ui/text_cache.h): hits and misses counted exactly, the same pixels as an
 * uncached rendering, least-recently-used eviction, fonts forgotten when closed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/ui/text_cache.h"

#define FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static SDL_Surface *surf;
static SDL_Renderer *rend;

static int setup(void **state)
{
	(void)state;
	if (SDL_Init(0) || TTF_Init())
		return -1;
	surf = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
	rend = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
	return rend ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	SDL_DestroyRenderer(rend);
	SDL_FreeSurface(surf);
	TTF_Quit();
	SDL_Quit();
	return 0;
}

static int measure(void *user, const char *s, size_t len)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%.*s", (int)len, s);
	int w = 0;
	TTF_SizeUTF8(user, buf, &w, NULL);
	return w;
}

static void hit_after_first_render(void **state)
{
	(void)state;
	TTF_Font *f = TTF_OpenFont(FONT, 24);
	assert_non_null(f);
	struct ui_text_cache *c = ui_text_cache_new(rend);
	struct ui_text_tex a, b, d;
	assert_int_equal(ui_text_cache_get(c, f, 0x112233ff, "Bonjour", &a), 0);
	assert_int_equal(ui_text_cache_get(c, f, 0x112233ff, "Bonjour", &b), 0);
	assert_ptr_equal(a.tex, b.tex);
	/* another colour is another texture */
	assert_int_equal(ui_text_cache_get(c, f, 0xff0000ff, "Bonjour", &d), 0);
	assert_ptr_not_equal(a.tex, d.tex);
	int w = 0, h = 0;
	TTF_SizeUTF8(f, "Bonjour", &w, &h);
	assert_int_equal(a.w, w);
	assert_int_equal(a.h, TTF_FontHeight(f));
	struct ui_text_cache_stats s;
	ui_text_cache_stats(c, &s);
	assert_int_equal(s.hits, 1);
	assert_int_equal(s.misses, 2);
	assert_int_equal(s.entries, 2);
	assert_int_equal(s.bytes, 2 * (size_t)a.w * (size_t)a.h * 4);
	ui_text_cache_free(c);
	TTF_CloseFont(f);
}

static void evicts_least_recently_used(void **state)
{
	(void)state;
	TTF_Font *f = TTF_OpenFont(FONT, 12);
	struct ui_text_cache *c = ui_text_cache_new(rend);
	struct ui_text_tex t;
	char s[32];
	for (int i = 0; i < UI_TEXT_CACHE_MAX; i++) {
		snprintf(s, sizeof s, "t%d", i);
		assert_int_equal(ui_text_cache_get(c, f, 0xff, s, &t), 0);
	}
	/* use "t0" again: "t1" is now the least recently used */
	assert_int_equal(ui_text_cache_get(c, f, 0xff, "t0", &t), 0);
	assert_int_equal(ui_text_cache_get(c, f, 0xff, "new", &t), 0);
	struct ui_text_cache_stats st;
	ui_text_cache_stats(c, &st);
	assert_int_equal(st.entries, UI_TEXT_CACHE_MAX);
	assert_int_equal(st.hits, 1);
	assert_int_equal(ui_text_cache_get(c, f, 0xff, "t0", &t), 0); /* still there */
	ui_text_cache_stats(c, &st);
	assert_int_equal(st.hits, 2);
	assert_int_equal(ui_text_cache_get(c, f, 0xff, "t1", &t), 0); /* was evicted */
	ui_text_cache_stats(c, &st);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.misses, UI_TEXT_CACHE_MAX + 2);
	ui_text_cache_free(c);
	TTF_CloseFont(f);
}

static void forgets_a_closed_font(void **state)
{
	(void)state;
	TTF_Font *f = TTF_OpenFont(FONT, 20);
	struct ui_text_cache *c = ui_text_cache_new(rend);
	struct ui_text_tex t;
	struct ui_line l[8];
	ui_text_cache_get(c, f, 0xff, "Mesurer", &t);
	ui_wrap_cached(c, f, 100, "un deux trois quatre", measure, l, 8);
	ui_text_cache_forget_font(c, f);
	struct ui_text_cache_stats st;
	ui_text_cache_stats(c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes, 0);
	ui_wrap_cached(c, f, 100, "un deux trois quatre", measure, l, 8);
	ui_text_cache_stats(c, &st);
	assert_int_equal(st.wrap_misses, 2);
	assert_int_equal(st.wrap_hits, 0);
	ui_text_cache_free(c);
	TTF_CloseFont(f);
}

static void wrapped_lines_equal_uncached(void **state)
{
	(void)state;
	TTF_Font *f = TTF_OpenFont(FONT, 22);
	struct ui_text_cache *c = ui_text_cache_new(rend);
	const char *p = "La consultation coûte 30,00 €. L'Assurance Maladie la rembourse comme "
	                "une consultation au cabinet.";
	struct ui_line want[16], got[16];
	size_t nw = ui_wrap(p, 300, measure, f, want, 16);
	assert_true(nw > 2);
	for (int k = 0; k < 3; k++) {
		memset(got, 0, sizeof got);
		size_t ng = ui_wrap_cached(c, f, 300, p, measure, got, 16);
		assert_int_equal(ng, nw);
		assert_memory_equal(got, want, nw * sizeof *want);
	}
	/* another width is another wrapping */
	size_t n2 = ui_wrap_cached(c, f, 150, p, measure, got, 16);
	assert_int_equal(n2, ui_wrap(p, 150, measure, f, want, 16));
	struct ui_text_cache_stats st;
	ui_text_cache_stats(c, &st);
	assert_int_equal(st.wrap_hits, 2);
	assert_int_equal(st.wrap_misses, 2);
	ui_text_cache_free(c);
	TTF_CloseFont(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hit_after_first_render),
	    cmocka_unit_test(evicts_least_recently_used),
	    cmocka_unit_test(forgets_a_closed_font),
	    cmocka_unit_test(wrapped_lines_equal_uncached),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
