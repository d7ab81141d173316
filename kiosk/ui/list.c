/* list.c — scrolling list (see list.h). */
#include "kiosk/ui/list.h"

#include <stdlib.h>

#include "kiosk/ui/i18n.h"

int ui_list_row_h(const struct ui_list *l, const struct ui_ctx *ctx)
{
	return l->row_h ? l->row_h : ctx->th.target * 5 / 4;
}

int ui_list_max_scroll(int count, int row_h, int view_h)
{
	int m = count * row_h - view_h;
	return m > 0 ? m : 0;
}

int ui_list_row_at(const struct ui_list *l, int row_h, int y)
{
	if (y < l->w.r.y || y >= l->w.r.y + l->w.r.h || row_h <= 0)
		return -1;
	int i = (y - l->w.r.y + l->scroll) / row_h;
	return i < l->count ? i : -1;
}

static void clamp(struct ui_list *l, const struct ui_ctx *ctx)
{
	int m = ui_list_max_scroll(l->count, ui_list_row_h(l, ctx), l->w.r.h);
	if (l->scroll > m)
		l->scroll = m;
	if (l->scroll < 0)
		l->scroll = 0;
}

static void draw(struct ui_widget *w, struct ui_ctx *ctx)
{
	struct ui_list *l = (struct ui_list *)w;
	const struct ui_theme *t = &ctx->th;
	int rh = ui_list_row_h(l, ctx);
	clamp(l, ctx);
	ui_fill_rect(ctx, w->r, t->surface);
	SDL_RenderSetClipRect(ctx->r, &w->r);
	TTF_Font *f = ui_font(ctx, UI_REGULAR, t->fs_body);
	if (l->count == 0 && l->empty) {
		SDL_Rect er = {w->r.x + t->gap, w->r.y, w->r.w - 2 * t->gap, rh};
		ui_text_draw_centered(ctx, f, _(l->empty), er, t->ink_soft);
	}
	int first = l->scroll / rh;
	for (int i = first; i < l->count; i++) {
		int y = w->r.y + i * rh - l->scroll;
		if (y >= w->r.y + w->r.h)
			break;
		SDL_Rect rr = {w->r.x, y, w->r.w, rh};
		bool sel = i == l->selected, down = i == l->pressed_row && !l->dragging;
		if (sel || down)
			ui_fill_rect(ctx, rr, sel ? t->primary : t->secondary);
		char buf[160];
		l->row(l->user, i, buf, sizeof buf);
		int tw, th;
		ui_text_size(ctx, f, buf, &tw, &th);
		ui_text_draw(ctx, f, buf, rr.x + t->gap, rr.y + (rh - th) / 2, sel ? t->on_primary : t->ink);
		SDL_Rect sep = {rr.x, rr.y + rh - 1, rr.w, 1};
		ui_fill_rect(ctx, sep, t->line);
	}
	/* scroll bar when the rows do not fit */
	int total = l->count * rh;
	if (total > w->r.h) {
		int bw = t->border * 2, bh = w->r.h * w->r.h / total;
		int by = w->r.y + (w->r.h - bh) * l->scroll / (total - w->r.h);
		SDL_Rect bar = {w->r.x + w->r.w - bw - t->border, by, bw, bh};
		ui_fill_round(ctx, bar, bw / 2, t->ink_soft);
	}
	SDL_RenderSetClipRect(ctx->r, NULL);
	ui_stroke_round(ctx, w->r, 0, 1, t->line);
}

static bool input(struct ui_widget *w, const struct ui_input *in, struct ui_ctx *ctx)
{
	struct ui_list *l = (struct ui_list *)w;
	int rh = ui_list_row_h(l, ctx);
	ctx->dirty = true;
	switch (in->kind) {
	case UI_IN_DOWN:
		l->press_y = in->y;
		l->press_scroll = l->scroll;
		l->dragging = false;
		l->pressed_row = ui_list_row_at(l, rh, in->y);
		return true;
	case UI_IN_MOVE:
		if (abs(in->y - l->press_y) > ctx->th.target / 4)
			l->dragging = true;
		if (l->dragging) {
			l->scroll = l->press_scroll - (in->y - l->press_y);
			clamp(l, ctx);
		}
		return true;
	case UI_IN_UP:
		if (!l->dragging && l->pressed_row >= 0 && l->pressed_row == ui_list_row_at(l, rh, in->y)) {
			l->selected = l->pressed_row;
			ui_raise(ctx, w->action, l->selected);
		}
		l->pressed_row = -1;
		l->dragging = false;
		return true;
	case UI_IN_CANCEL:
		l->pressed_row = -1;
		l->dragging = false;
		return true;
	case UI_IN_WHEEL:
		l->scroll -= in->wheel * rh;
		clamp(l, ctx);
		return true;
	case UI_IN_KEY:
		if (in->key == UI_KEY_DOWN || in->key == UI_KEY_UP) {
			int s = l->selected + (in->key == UI_KEY_DOWN ? 1 : -1);
			if (s < 0 || s >= l->count)
				return true;
			l->selected = s;
			if (s * rh < l->scroll)
				l->scroll = s * rh;
			if ((s + 1) * rh > l->scroll + w->r.h)
				l->scroll = (s + 1) * rh - w->r.h;
			return true;
		}
		if (in->key == UI_KEY_ENTER && l->selected >= 0) {
			ui_raise(ctx, w->action, l->selected);
			return true;
		}
		return false;
	default:
		return false;
	}
}

static const struct ui_widget_ops ops = {draw, input};

void ui_list_init(struct ui_list *l, ui_list_row_fn row, void *user, int action)
{
	*l = (struct ui_list){.w = {.ops = &ops, .flags = UI_W_FOCUSABLE, .action = action, .arg = 0},
	                      .row = row, .user = user, .selected = -1, .pressed_row = -1};
}
