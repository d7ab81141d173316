/* text.c — one-line and wrapped UTF-8 text with SDL2_ttf (blended, anti-aliased). */
#include <stdio.h>
#include <string.h>

#include "kiosk/ui/text_cache.h"
#include "kiosk/ui/ui.h"
#include "kiosk/ui/wrap.h"

#define MAX_LINES 64
#define LINE_BUF 1024

void ui_text_size(struct ui_ctx *ctx, TTF_Font *font, const char *s, int *w, int *h)
{
	(void)ctx;
	*w = 0;
	*h = font ? TTF_FontLineSkip(font) : 0;
	if (font && s && *s)
		TTF_SizeUTF8(font, s, w, NULL);
}

int ui_text_draw(struct ui_ctx *ctx, TTF_Font *font, const char *s, int x, int y,
                 struct ui_rgba c)
{
	if (!font || !s || !*s)
		return 0;
	uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
	struct ui_text_tex t;
	if (ctx->texts) {
		if (ui_text_cache_get(ctx->texts, font, rgba, s, &t))
			return 0;
		SDL_Rect d = {x, y, t.w, t.h};
		SDL_RenderCopy(ctx->r, t.tex, NULL, &d);
		return d.w;
	}
	SDL_Color col = {c.r, c.g, c.b, c.a};
	SDL_Surface *surf = TTF_RenderUTF8_Blended(font, s, col);
	if (!surf)
		return 0;
	SDL_Texture *tx = SDL_CreateTextureFromSurface(ctx->r, surf);
	SDL_Rect d = {x, y, surf->w, surf->h};
	if (tx) {
		SDL_RenderCopy(ctx->r, tx, NULL, &d);
		SDL_DestroyTexture(tx);
	}
	SDL_FreeSurface(surf);
	return d.w;
}

static int measure_font(void *user, const char *s, size_t len)
{
	char buf[LINE_BUF];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = 0;
	int w = 0;
	TTF_SizeUTF8(user, buf, &w, NULL);
	return w;
}

int ui_text_wrapped_height(struct ui_ctx *ctx, TTF_Font *font, const char *s, int w)
{
	(void)ctx;
	if (!font || !s || !*s)
		return 0;
	struct ui_line lines[MAX_LINES];
	size_t n = ui_wrap_cached(ctx->texts, font, w, s, measure_font, lines, MAX_LINES);
	return (int)n * TTF_FontLineSkip(font);
}

int ui_text_draw_wrapped(struct ui_ctx *ctx, TTF_Font *font, const char *s, SDL_Rect r,
                         enum ui_align align, struct ui_rgba c)
{
	if (!font || !s || !*s)
		return 0;
	struct ui_line lines[MAX_LINES];
	size_t n = ui_wrap_cached(ctx->texts, font, r.w, s, measure_font, lines, MAX_LINES);
	if (n > MAX_LINES)
		n = MAX_LINES;
	int skip = TTF_FontLineSkip(font), y = r.y;
	for (size_t i = 0; i < n; i++) {
		if (y + skip > r.y + r.h + skip / 4)
			break;
		char buf[LINE_BUF];
		size_t len = lines[i].len < LINE_BUF - 1 ? lines[i].len : LINE_BUF - 1;
		memcpy(buf, s + lines[i].off, len);
		buf[len] = 0;
		int x = r.x;
		if (align != UI_LEFT) {
			int w = measure_font(font, buf, len);
			x = align == UI_CENTER ? r.x + (r.w - w) / 2 : r.x + r.w - w;
		}
		ui_text_draw(ctx, font, buf, x, y, c);
		y += skip;
	}
	return y - r.y;
}

void ui_text_draw_centered(struct ui_ctx *ctx, TTF_Font *font, const char *s, SDL_Rect r,
                           struct ui_rgba c)
{
	if (!font || !s || !*s)
		return;
	char buf[LINE_BUF];
	snprintf(buf, sizeof buf, "%s", s);
	int w, h;
	ui_text_size(ctx, font, buf, &w, &h);
	size_t len = strlen(buf);
	while (w > r.w && len > 0) { /* cut at a character boundary and add an ellipsis */
		len = ui_utf8_prev(buf, len);
		snprintf(buf + len, sizeof buf - len, "…");
		ui_text_size(ctx, font, buf, &w, &h);
		buf[len] = 0;
		if (w <= r.w) {
			snprintf(buf + len, sizeof buf - len, "…");
			break;
		}
	}
	ui_text_size(ctx, font, buf, &w, &h);
	ui_text_draw(ctx, font, buf, r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, c);
}
