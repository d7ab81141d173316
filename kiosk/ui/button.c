/* button.c — push button (see button.h). */
#include "kiosk/ui/button.h"

#include "kiosk/ui/i18n.h"

static const char *text_of(const struct ui_button *b)
{
	return b->raw ? b->label : _(b->label);
}

static int font_px(const struct ui_button *b, const struct ui_ctx *ctx)
{
	return b->font_px ? b->font_px : ctx->th.fs_button;
}

int ui_button_pref_w(struct ui_button *b, struct ui_ctx *ctx)
{
	int w = 0, h = 0;
	ui_text_size(ctx, ui_font(ctx, UI_BOLD, font_px(b, ctx)), text_of(b), &w, &h);
	int icon = b->icon ? font_px(b, ctx) * 3 / 2 : 0;
	int min = ctx->th.target;
	w += 2 * ctx->th.pad + icon;
	return w < min ? min : w;
}

static void draw(struct ui_widget *w, struct ui_ctx *ctx)
{
	struct ui_button *b = (struct ui_button *)w;
	const struct ui_theme *t = &ctx->th;
	bool down = w->flags & UI_W_PRESSED, off = w->flags & UI_W_DISABLED;
	struct ui_rgba bg = t->secondary, fg = t->ink, edge = t->line;
	switch (b->style) {
	case UI_BTN_PRIMARY:
		bg = down ? t->primary_dark : t->primary;
		fg = t->on_primary;
		edge = bg;
		break;
	case UI_BTN_DANGER:
		bg = down ? t->danger_dark : t->danger;
		fg = t->on_primary;
		edge = bg;
		break;
	case UI_BTN_SELECTED:
		bg = down ? t->primary : t->primary_dark;
		fg = t->on_primary;
		edge = bg;
		break;
	case UI_BTN_SECONDARY:
		bg = down ? t->line : t->secondary;
		edge = t->primary;
		fg = t->primary_dark;
		break;
	case UI_BTN_FLAT:
		bg = down ? t->secondary : t->surface;
		fg = t->primary_dark;
		edge = t->line;
		break;
	}
	if (off) {
		bg = t->secondary;
		fg = t->ink_soft;
		edge = t->secondary;
	}
	SDL_Rect r = w->r;
	if (down) { /* sink by a few pixels: visible feedback under the finger */
		r.y += t->border;
	}
	ui_fill_round(ctx, r, t->radius, bg);
	ui_stroke_round(ctx, r, t->radius, t->border, edge);
	TTF_Font *f = ui_font(ctx, UI_BOLD, font_px(b, ctx));
	const char *s = text_of(b);
	if (b->icon && !*s) { /* icon-only button: the picture fills it, centred */
		int side = (r.w < r.h ? r.w : r.h) - 4 * t->border;
		SDL_Rect ir = {r.x + (r.w - side) / 2, r.y + (r.h - side) / 2, side, side};
		ui_draw_image(ctx, b->icon, ir);
		return;
	}
	int tw = 0, th = 0;
	ui_text_size(ctx, f, s, &tw, &th);
	int icon = b->icon ? font_px(b, ctx) * 3 / 2 : 0;
	int gap = icon ? t->gap / 2 : 0;
	int inner = r.w - 2 * t->gap;
	if (tw + icon + gap > inner) { /* too long for one line: wrap, no icon */
		int hh = ui_text_wrapped_height(ctx, f, s, inner);
		if (hh > r.h - t->border * 2) {
			f = ui_font(ctx, UI_BOLD, font_px(b, ctx) * 3 / 4);
			hh = ui_text_wrapped_height(ctx, f, s, inner);
		}
		SDL_Rect tr = {r.x + t->gap, r.y + (r.h - hh) / 2, inner, hh};
		ui_text_draw_wrapped(ctx, f, s, tr, UI_CENTER, fg);
		return;
	}
	int x = r.x + (r.w - tw - icon - gap) / 2;
	if (icon) {
		SDL_Rect ir = {x, r.y + (r.h - icon) / 2, icon, icon};
		ui_draw_image(ctx, b->icon, ir);
	}
	ui_text_draw(ctx, f, s, x + icon + gap, r.y + (r.h - th) / 2, fg);
}

static bool input(struct ui_widget *w, const struct ui_input *in, struct ui_ctx *ctx)
{
	unsigned before = w->flags;
	switch (in->kind) {
	case UI_IN_DOWN:
		w->flags |= UI_W_PRESSED;
		break;
	case UI_IN_MOVE:
		if (ui_in_rect(w->r, in->x, in->y))
			w->flags |= UI_W_PRESSED;
		else
			w->flags &= ~(unsigned)UI_W_PRESSED;
		break;
	case UI_IN_UP:
		w->flags &= ~(unsigned)UI_W_PRESSED;
		if (ui_in_rect(w->r, in->x, in->y))
			ui_raise(ctx, w->action, w->arg);
		break;
	case UI_IN_CANCEL:
		w->flags &= ~(unsigned)UI_W_PRESSED;
		break;
	case UI_IN_KEY:
		if (in->key != UI_KEY_ENTER && in->key != UI_KEY_SPACE)
			return false;
		ui_raise(ctx, w->action, w->arg);
		break;
	default:
		return false;
	}
	if (before != w->flags)
		ctx->dirty = true;
	return true;
}

static const struct ui_widget_ops ops = {draw, input};

void ui_button_init(struct ui_button *b, const char *label, enum ui_button_style style,
                    int action, int arg)
{
	*b = (struct ui_button){.w = {.ops = &ops, .flags = UI_W_FOCUSABLE, .action = action, .arg = arg},
	                        .label = label, .style = style};
	b->w.name = label;
}
