/* draw.c — filled and outlined rounded rectangles and circles with the SDL renderer
 * (scanline spans, no anti-aliasing: crisp on every renderer, including software). */
#include <math.h>

#include "kiosk/ui/ui.h"

void ui_set_color(struct ui_ctx *ctx, struct ui_rgba c)
{
	SDL_SetRenderDrawBlendMode(ctx->r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(ctx->r, c.r, c.g, c.b, c.a);
}

void ui_fill_rect(struct ui_ctx *ctx, SDL_Rect r, struct ui_rgba c)
{
	ui_set_color(ctx, c);
	SDL_RenderFillRect(ctx->r, &r);
}

/* Horizontal inset of a rounded corner of RADIUS at row DY from the corner's top. */
static int corner_inset(int radius, int dy)
{
	double y = radius - dy - 0.5;
	double x = sqrt((double)radius * radius - y * y);
	return radius - (int)lround(x);
}

void ui_fill_round(struct ui_ctx *ctx, SDL_Rect r, int radius, struct ui_rgba c)
{
	if (r.w <= 0 || r.h <= 0)
		return;
	if (radius * 2 > r.h)
		radius = r.h / 2;
	if (radius * 2 > r.w)
		radius = r.w / 2;
	ui_set_color(ctx, c);
	if (radius <= 0) {
		SDL_RenderFillRect(ctx->r, &r);
		return;
	}
	SDL_Rect mid = {r.x, r.y + radius, r.w, r.h - 2 * radius};
	SDL_RenderFillRect(ctx->r, &mid);
	for (int dy = 0; dy < radius; dy++) {
		int in = corner_inset(radius, dy);
		SDL_Rect top = {r.x + in, r.y + dy, r.w - 2 * in, 1};
		SDL_Rect bot = {r.x + in, r.y + r.h - 1 - dy, r.w - 2 * in, 1};
		SDL_RenderFillRect(ctx->r, &top);
		SDL_RenderFillRect(ctx->r, &bot);
	}
}

void ui_stroke_round(struct ui_ctx *ctx, SDL_Rect r, int radius, int width, struct ui_rgba c)
{
	if (r.w <= 2 * width || r.h <= 2 * width) {
		ui_fill_round(ctx, r, radius, c);
		return;
	}
	/* outline = outer filled minus inner: draw the ring row by row */
	if (radius * 2 > r.h)
		radius = r.h / 2;
	if (radius * 2 > r.w)
		radius = r.w / 2;
	int ir = radius - width > 0 ? radius - width : 0;
	SDL_Rect in = {r.x + width, r.y + width, r.w - 2 * width, r.h - 2 * width};
	ui_set_color(ctx, c);
	for (int y = 0; y < r.h; y++) {
		int oin = 0;
		if (y < radius)
			oin = corner_inset(radius, y);
		else if (y >= r.h - radius)
			oin = corner_inset(radius, r.h - 1 - y);
		int yy = r.y + y;
		if (yy < in.y || yy >= in.y + in.h) {
			SDL_Rect s = {r.x + oin, yy, r.w - 2 * oin, 1};
			SDL_RenderFillRect(ctx->r, &s);
			continue;
		}
		int iy = yy - in.y, iin = 0;
		if (iy < ir)
			iin = corner_inset(ir, iy);
		else if (iy >= in.h - ir)
			iin = corner_inset(ir, in.h - 1 - iy);
		int left_end = in.x + iin;
		SDL_Rect ls = {r.x + oin, yy, left_end - (r.x + oin), 1};
		SDL_Rect rs = {in.x + in.w - iin, yy, (r.x + r.w - oin) - (in.x + in.w - iin), 1};
		if (ls.w > 0)
			SDL_RenderFillRect(ctx->r, &ls);
		if (rs.w > 0)
			SDL_RenderFillRect(ctx->r, &rs);
	}
}

void ui_fill_circle(struct ui_ctx *ctx, int cx, int cy, int radius, struct ui_rgba c)
{
	SDL_Rect r = {cx - radius, cy - radius, 2 * radius, 2 * radius};
	ui_fill_round(ctx, r, radius, c);
}
