/* text_cache.h — rendered text kept as textures, so that a frame re-draws a string
 * it drew before with one SDL_RenderCopy instead of re-rasterising it with SDL2_ttf
 * (TTF_RenderUTF8_Blended is the largest part of a frame with the software renderer:
 * docs/performance.md). Keyed by (font, colour, exact UTF-8 bytes); least recently
 * used entries go first when the cache holds UI_TEXT_CACHE_MAX entries or
 * UI_TEXT_CACHE_BYTES bytes of pixels. Main thread only (it owns the renderer). */
#ifndef CABIN_UI_TEXT_CACHE_H
#define CABIN_UI_TEXT_CACHE_H

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include "kiosk/ui/wrap.h"
#include <stddef.h>
#include <stdint.h>

#define UI_TEXT_CACHE_MAX 512                 /* entries */
#define UI_TEXT_CACHE_BYTES (24 * 1024 * 1024) /* ARGB pixels, 4 bytes each */

struct ui_text_cache;

/* A cached rendering: the texture (owned by the cache) and its size in pixels. */
struct ui_text_tex {
	SDL_Texture *tex;
	int w, h;
};

/* A new empty cache for renderer R, or NULL when out of memory. */
struct ui_text_cache *ui_text_cache_new(SDL_Renderer *r);

/* Destroys every texture and the cache (NULL is fine). */
void ui_text_cache_free(struct ui_text_cache *c);

/* The texture of S (NUL-terminated UTF-8, not empty) in FONT with colour RGBA
 * (0xRRGGBBAA), rendered on first use. Returns 0 and fills OUT, or -1 when SDL2_ttf or
 * SDL cannot render it (nothing cached then). OUT->tex stays valid until the next call
 * that may evict (any get) or a forget/free. */
int ui_text_cache_get(struct ui_text_cache *c, TTF_Font *font, uint32_t rgba, const char *s,
                      struct ui_text_tex *out);

/* Drops every entry rendered with FONT (called before the font is closed: a new font
 * may later get the same address). */
void ui_text_cache_forget_font(struct ui_text_cache *c, const TTF_Font *font);

#define UI_WRAP_CACHE_MAX 256 /* wrapped paragraphs kept */
#define UI_WRAP_LINES_MAX 64  /* lines kept per paragraph (more are wrapped again) */

/* The lines of S (UTF-8) wrapped at MAX_W pixels in FONT with MEASURE (ui_wrap's
 * contract), remembered per (font, width, string): layout and drawing of one label,
 * frame after frame, shape the text with HarfBuzz once instead of once per candidate
 * break each time. Fills up to MAX lines and returns the line count ui_wrap gives. */
size_t ui_wrap_cached(struct ui_text_cache *c, TTF_Font *font, int max_w, const char *s,
                      ui_measure_fn measure, struct ui_line *lines, size_t max);

/* Counts for benchmarks and tests: entries held, pixel bytes held, hits, misses. */
struct ui_text_cache_stats {
	size_t entries, bytes;
	uint64_t hits, misses;
	uint64_t wrap_hits, wrap_misses;
};
void ui_text_cache_stats(const struct ui_text_cache *c, struct ui_text_cache_stats *out);

#endif
