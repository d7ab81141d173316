/* checkbox.c — checkbox with label (see checkbox.h). */
#include "kiosk/ui/checkbox.h"

#include "kiosk/ui/i18n.h"

static int box_side(const struct ui_ctx *ctx)
{
	return ctx->th.target;
}

int ui_checkbox_height(struct ui_checkbox *c, struct ui_ctx *ctx, int w)
{
	int tw = w - box_side(ctx) - ctx->th.gap;
	int h = ui_text_wrapped_height(ctx, ui_font(ctx, UI_REGULAR, ctx->th.fs_body), _(c->label), tw);
	return h > box_side(ctx) ? h : box_side(ctx);
}

static void draw(struct ui_widget *w, struct ui_ctx *ctx)
{
	struct ui_checkbox *c = (struct ui_checkbox *)w;
	const struct ui_theme *t = &ctx->th;
	int s = box_side(ctx);
	SDL_Rect box = {w->r.x, w->r.y + (w->r.h - s) / 2, s, s};
	if (w->r.h > s * 2)
		box.y = w->r.y;
	bool on = *c->value;
	ui_fill_round(ctx, box, t->radius / 2, on ? t->primary : t->surface);
	ui_stroke_round(ctx, box, t->radius / 2, t->border, (w->flags & UI_W_PRESSED) ? t->primary_dark : t->primary);
	if (on) { /* a tick made of two thick strokes */
		SDL_SetRenderDrawColor(ctx->r, 255, 255, 255, 255);
		for (int k = -t->border; k <= t->border; k++) {
			SDL_RenderDrawLine(ctx->r, box.x + s / 5, box.y + s / 2 + k, box.x + s * 2 / 5,
			                   box.y + s * 3 / 4 + k);
			SDL_RenderDrawLine(ctx->r, box.x + s * 2 / 5, box.y + s * 3 / 4 + k,
			                   box.x + s * 4 / 5, box.y + s / 4 + k);
		}
	}
	SDL_Rect tr = {w->r.x + s + t->gap, w->r.y, w->r.w - s - t->gap, w->r.h};
	TTF_Font *f = ui_font(ctx, UI_REGULAR, t->fs_body);
	int th = ui_text_wrapped_height(ctx, f, _(c->label), tr.w);
	if (th < tr.h)
		tr.y += (tr.h - th) / 2;
	ui_text_draw_wrapped(ctx, f, _(c->label), tr, UI_LEFT, t->ink);
}

static bool input(struct ui_widget *w, const struct ui_input *in, struct ui_ctx *ctx)
{
	struct ui_checkbox *c = (struct ui_checkbox *)w;
	bool fire = false;
	switch (in->kind) {
	case UI_IN_DOWN:
		w->flags |= UI_W_PRESSED;
		break;
	case UI_IN_UP:
		w->flags &= ~(unsigned)UI_W_PRESSED;
		fire = ui_in_rect(w->r, in->x, in->y);
		break;
	case UI_IN_CANCEL:
		w->flags &= ~(unsigned)UI_W_PRESSED;
		break;
	case UI_IN_KEY:
		fire = in->key == UI_KEY_SPACE || in->key == UI_KEY_ENTER;
		if (!fire)
			return false;
		break;
	default:
		return false;
	}
	ctx->dirty = true;
	if (fire) {
		*c->value = !*c->value;
		ui_raise(ctx, w->action, *c->value);
	}
	return true;
}

static const struct ui_widget_ops ops = {draw, input};

void ui_checkbox_init(struct ui_checkbox *c, const char *label, bool *value, int action)
{
	*c = (struct ui_checkbox){.w = {.ops = &ops, .flags = UI_W_FOCUSABLE, .action = action, .arg = 0},
	                          .label = label, .value = value};
}
