/* common.c — the screen table and drawing helpers shared by the screens. */
#include <stdio.h>

#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/progress.h"
#include "kiosk/ui/screen.h"

const struct cab_screen *cab_screen_for(enum cab_flow_state state)
{
	switch (state) {
	case CAB_FLOW_LANGUAGE:
		return &cab_screen_language;
	case CAB_FLOW_INFORMATION:
		return &cab_screen_information;
	case CAB_FLOW_CONSENT:
		return &cab_screen_consent;
	case CAB_FLOW_IDENTITY:
		return &cab_screen_identity;
	case CAB_FLOW_CHECKS:
		return &cab_screen_checks;
	case CAB_FLOW_WAITING_ROOM:
		return &cab_screen_waiting;
	case CAB_FLOW_CONSULTATION:
		return &cab_screen_consultation;
	case CAB_FLOW_SUMMARY:
		return &cab_screen_summary;
	case CAB_FLOW_ENDED:
		return &cab_screen_ended;
	case CAB_FLOW_WIPE:
		return &cab_screen_wipe;
	default:
		return &cab_screen_attract;
	}
}

void cab_draw_card(struct ui_ctx *ctx, SDL_Rect r)
{
	const struct ui_theme *t = &ctx->th;
	SDL_Rect sh = {r.x, r.y + t->border, r.w, r.h};
	ui_fill_round(ctx, sh, t->radius, (struct ui_rgba){214, 222, 232, 255});
	ui_fill_round(ctx, r, t->radius, t->surface);
}

void cab_draw_tile(struct ui_ctx *ctx, const struct cab_tile *tile, SDL_Rect r)
{
	cab_draw_tile_beside(ctx, tile, r, 0);
}

void cab_draw_tile_beside(struct ui_ctx *ctx, const struct cab_tile *tile, SDL_Rect r, int reserve)
{
	const struct ui_theme *t = &ctx->th;
	cab_draw_card(ctx, r);
	struct ui_rgba c = t->ink_soft;
	bool m = tile->instrument;
	const char *state = m ? N_("Not used yet") : N_("Waiting");
	switch (tile->state) {
	case CAB_TILE_BUSY:
		c = t->primary;
		state = m ? N_("Measuring…") : N_("In progress…");
		break;
	case CAB_TILE_OK:
		c = t->ok;
		state = m ? N_("Measured") : N_("Ready");
		break;
	case CAB_TILE_FAILED:
		c = t->error;
		state = m ? N_("Failed") : N_("Not working");
		break;
	case CAB_TILE_ABSENT:
		state = N_("Not connected");
		break;
	default:
		break;
	}
	SDL_Rect band = {r.x, r.y, t->border * 3, r.h};
	ui_fill_round(ctx, band, t->border, c);
	int icon = r.h - 2 * t->gap;
	if (icon > r.w / 3)
		icon = r.w / 3;
	if (icon > ui_px(t, 120))
		icon = ui_px(t, 120);
	SDL_Rect ir = {r.x + t->gap + t->border * 3, r.y + (r.h - icon) / 2, icon, icon};
	ui_draw_image(ctx, tile->icon, ir);
	int tx = ir.x + icon + t->gap, tw = r.x + r.w - t->gap - tx - reserve;
	if (tw < icon)
		tw = icon;
	TTF_Font *fb = ui_font(ctx, UI_BOLD, t->fs_body);
	TTF_Font *fs = ui_font(ctx, UI_BOLD, t->fs_small);
	int lh = TTF_FontLineSkip(fb), sh = TTF_FontLineSkip(fs);
	TTF_Font *fd = ui_font(ctx, UI_REGULAR, t->fs_small);
	int dh = tile->detail[0] ? ui_text_wrapped_height(ctx, fd, tile->detail, tw) : 0;
	if (dh > 2 * sh)
		dh = 2 * sh; /* at most two lines of detail */
	int lines = lh + sh + dh + (tile->state == CAB_TILE_BUSY ? sh : 0);
	int y = r.y + (r.h - lines) / 2;
	/* the name takes the tile's whole width (the button sits lower down), in the
	 * smaller bold size when it is too long for one line: never cut (issue 16) */
	int nw = r.x + r.w - t->gap - tx, namew = 0, nameh = 0;
	TTF_Font *fn = fb;
	ui_text_size(ctx, fb, _(tile->name), &namew, &nameh);
	if (namew > nw)
		fn = fs;
	SDL_Rect nr = {tx, y, nw, lh};
	ui_text_draw_wrapped(ctx, fn, _(tile->name), nr, UI_LEFT, t->ink);
	y += lh;
	/* state: a coloured dot then the word, kept clear of the button */
	ui_fill_circle(ctx, tx + sh / 3, y + sh / 2, sh / 3, c);
	SDL_Rect clip = {tx, y, tw, sh};
	SDL_RenderSetClipRect(ctx->r, &clip);
	ui_text_draw(ctx, fs, _(state), tx + sh, y, c);
	SDL_RenderSetClipRect(ctx->r, NULL);
	y += sh;
	if (dh) {
		SDL_Rect dr = {tx, y, tw, dh};
		ui_text_draw_wrapped(ctx, fd, tile->detail, dr, UI_LEFT, t->ink);
		y += dh;
	}
	if (tile->state == CAB_TILE_BUSY) {
		struct ui_progress p;
		ui_progress_init(&p);
		p.value = tile->progress;
		p.w.r = (SDL_Rect){tx, y + sh / 4, tw, sh / 2};
		p.w.ops->draw(&p.w, ctx);
	}
}

float cab_fit_labels(struct ui_ctx *ctx, struct ui_label **l, int n, int w, int h, int gap)
{
	float fit = 1.0f;
	for (; fit > 0.6f; fit -= 0.05f) {
		int total = 0;
		for (int i = 0; i < n; i++) {
			l[i]->fit = fit;
			total += ui_label_height(l[i], ctx, w) + (i ? gap : 0);
		}
		if (total <= h)
			break;
	}
	return fit;
}
