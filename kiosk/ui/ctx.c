/* ctx.c — the drawing context: theme from the window size, font and image caches. */
#include <SDL2/SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/ui/text_cache.h"
#include "kiosk/ui/ui.h"
#include "log.h"

int ui_ctx_init(struct ui_ctx *ctx, SDL_Renderer *r, int w, int h, float dpi,
                const char *font_dir, const char *asset_dir)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->r = r;
	ctx->font_dir = font_dir;
	ctx->asset_dir = asset_dir;
	ctx->dpi = dpi;
	ui_theme_compute(&ctx->th, w, h, dpi);
	ctx->texts = ui_text_cache_new(r); /* NULL: text is rendered every time */
	if (!ui_font(ctx, UI_REGULAR, ctx->th.fs_body) || !ui_font(ctx, UI_BOLD, ctx->th.fs_body))
		return -1;
	ctx->dirty = true;
	return 0;
}

static void flush_images(struct ui_ctx *ctx)
{
	for (int i = 0; i < UI_IMAGE_CACHE; i++) {
		if (ctx->images[i].tex)
			SDL_DestroyTexture(ctx->images[i].tex);
		memset(&ctx->images[i], 0, sizeof ctx->images[i]);
	}
	ctx->dirty = true;
}

void ui_ctx_set_large(struct ui_ctx *ctx, bool on)
{
	ui_theme_set_large(&ctx->th, on, ctx->dpi);
	flush_images(ctx);
}

void ui_ctx_resize(struct ui_ctx *ctx, int w, int h, float dpi)
{
	bool large = ctx->th.large;
	ctx->dpi = dpi;
	ui_theme_compute(&ctx->th, w, h, dpi);
	if (large)
		ui_theme_set_large(&ctx->th, true, dpi);
	/* pictures are rasterised for their size on screen: redo them at the new size */
	flush_images(ctx);
}

void ui_ctx_free(struct ui_ctx *ctx)
{
	for (int i = 0; i < UI_FONT_CACHE; i++)
		if (ctx->fonts[i].font)
			TTF_CloseFont(ctx->fonts[i].font);
	ui_text_cache_free(ctx->texts);
	for (int i = 0; i < UI_IMAGE_CACHE; i++)
		if (ctx->images[i].tex)
			SDL_DestroyTexture(ctx->images[i].tex);
	memset(ctx, 0, sizeof *ctx);
}

void ui_ctx_begin_frame(struct ui_ctx *ctx)
{
	ctx->frame++;
}

TTF_Font *ui_font(struct ui_ctx *ctx, enum ui_face face, int px)
{
	if (px < 8)
		px = 8;
	int slot = -1, nearest = -1;
	for (int i = 0; i < UI_FONT_CACHE; i++) {
		if (!ctx->fonts[i].font) {
			if (slot < 0 || ctx->fonts[slot].font)
				slot = i;
			continue;
		}
		if (ctx->fonts[i].face == (int)face && ctx->fonts[i].px == px) {
			ctx->fonts[i].used = ctx->frame;
			return ctx->fonts[i].font;
		}
		if (ctx->fonts[i].face == (int)face &&
		    (nearest < 0 || abs(ctx->fonts[i].px - px) < abs(ctx->fonts[nearest].px - px)))
			nearest = i;
		/* eviction candidate: least recently used, never one of this frame */
		if (ctx->fonts[i].used != ctx->frame && (slot < 0 || (ctx->fonts[slot].font &&
		                                                      ctx->fonts[i].used < ctx->fonts[slot].used)))
			slot = i;
	}
	if (slot < 0) /* every cached font is in use in this frame */
		return nearest >= 0 ? ctx->fonts[nearest].font : NULL;
	char path[512];
	snprintf(path, sizeof path, "%s/%s", ctx->font_dir,
	         face == UI_BOLD ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf");
	TTF_Font *f = TTF_OpenFont(path, px);
	if (!f) {
		cab_err("ui", "font %s: %s", path, TTF_GetError());
		return nearest >= 0 ? ctx->fonts[nearest].font : NULL;
	}
	if (ctx->fonts[slot].font) {
		ui_text_cache_forget_font(ctx->texts, ctx->fonts[slot].font);
		TTF_CloseFont(ctx->fonts[slot].font);
	}
	ctx->fonts[slot].face = (int)face;
	ctx->fonts[slot].px = px;
	ctx->fonts[slot].font = f;
	ctx->fonts[slot].used = ctx->frame;
	return f;
}

void ui_raise(struct ui_ctx *ctx, int action, int arg)
{
	ctx->action = action;
	ctx->action_arg = arg;
	ctx->dirty = true;
}

/* Rasterises the SVG at PATH at the largest size that fits R keeping its aspect
 * ratio (what ui_draw_image then copies 1:1, no scaling at each frame): its own
 * size first (the drawings are a few hundred pixels: cheap), then at the fitted
 * size when that differs. NULL with IMG_GetError() set on failure. */
static SDL_Surface *load_svg_fitted(const char *path, SDL_Rect r)
{
	SDL_RWops *rw = SDL_RWFromFile(path, "rb");
	if (!rw)
		return NULL;
	SDL_Surface *s = IMG_LoadSizedSVG_RW(rw, 0, 0);
	if (s && s->w > 0 && s->h > 0 && r.w > 0 && r.h > 0) {
		double k = (double)r.w / s->w < (double)r.h / s->h ? (double)r.w / s->w : (double)r.h / s->h;
		int fw = (int)(s->w * k + 0.5), fh = (int)(s->h * k + 0.5);
		if (fw > 0 && fh > 0 && (abs(fw - s->w) > 1 || abs(fh - s->h) > 1) &&
		    SDL_RWseek(rw, 0, RW_SEEK_SET) == 0) {
			SDL_Surface *f = s->w * fh >= s->h * fw ? IMG_LoadSizedSVG_RW(rw, fw, 0)
			                                        : IMG_LoadSizedSVG_RW(rw, 0, fh);
			if (f) {
				SDL_FreeSurface(s);
				s = f;
			}
		}
	}
	SDL_RWclose(rw);
	return s;
}

int ui_draw_image(struct ui_ctx *ctx, const char *name, SDL_Rect r)
{
	int slot = -1;
	for (int i = 0; i < UI_IMAGE_CACHE; i++) {
		if ((ctx->images[i].tex || ctx->images[i].failed) && !strcmp(ctx->images[i].name, name)) {
			if (ctx->images[i].failed)
				return -1;
			slot = i;
			break;
		}
	}
	if (slot < 0) {
		for (int i = 0; i < UI_IMAGE_CACHE && slot < 0; i++)
			if (!ctx->images[i].tex && !ctx->images[i].failed)
				slot = i;
		if (slot < 0)
			return -1;
		char path[512];
		snprintf(path, sizeof path, "%s/images/%s", ctx->asset_dir, name);
		/* SVGs are rasterised at their own size: load them big enough for R. */
		SDL_Surface *s = NULL;
		Uint64 t0 = SDL_GetPerformanceCounter();
		size_t nl = strlen(name);
		if (nl > 4 && !strcmp(name + nl - 4, ".svg")) {
			s = load_svg_fitted(path, r);
		} else {
			s = IMG_Load(path);
		}
		if (!s) {
			cab_warn("ui", "image %s: %s", name, IMG_GetError());
			ctx->images[slot].failed = true;
			snprintf(ctx->images[slot].name, sizeof ctx->images[slot].name, "%s", name);
			return -1;
		}
		SDL_Texture *t = SDL_CreateTextureFromSurface(ctx->r, s);
		cab_debug("ui", "image %s: %dx%d loaded in %.1f ms", name, s->w, s->h,
		          (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency());
		ctx->images[slot].w = s->w;
		ctx->images[slot].h = s->h;
		SDL_FreeSurface(s);
		if (!t)
			return -1;
		SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
		ctx->images[slot].tex = t;
		snprintf(ctx->images[slot].name, sizeof ctx->images[slot].name, "%s", name);
	}
	int iw = ctx->images[slot].w, ih = ctx->images[slot].h;
	if (iw <= 0 || ih <= 0)
		return -1;
	double k = (double)r.w / iw < (double)r.h / ih ? (double)r.w / iw : (double)r.h / ih;
	SDL_Rect d = {0, 0, (int)(iw * k), (int)(ih * k)};
	d.x = r.x + (r.w - d.w) / 2;
	d.y = r.y + (r.h - d.h) / 2;
	SDL_RenderCopy(ctx->r, ctx->images[slot].tex, NULL, &d);
	return 0;
}
