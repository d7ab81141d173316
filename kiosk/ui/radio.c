/* radio.c — radio group (see radio.h). */
#include "kiosk/ui/radio.h"

#include "kiosk/ui/i18n.h"

SDL_Rect ui_radio_option_rect(const struct ui_radio *r, int i, int gap)
{
	SDL_Rect o = r->w.r;
	if (r->n <= 0)
		return o;
	if (r->vertical) {
		o.h = (r->w.r.h - gap * (r->n - 1)) / r->n;
		o.y += i * (o.h + gap);
	} else {
		o.w = (r->w.r.w - gap * (r->n - 1)) / r->n;
		o.x += i * (o.w + gap);
	}
	return o;
}

static void draw(struct ui_widget *w, struct ui_ctx *ctx)
{
	struct ui_radio *r = (struct ui_radio *)w;
	const struct ui_theme *t = &ctx->th;
	TTF_Font *f = ui_font(ctx, UI_BOLD, t->fs_body);
	for (int i = 0; i < r->n; i++) {
		SDL_Rect o = ui_radio_option_rect(r, i, t->gap / 2);
		bool on = *r->value == i, down = r->pressed == i;
		ui_fill_round(ctx, o, t->radius, on ? t->primary : down ? t->secondary : t->surface);
		ui_stroke_round(ctx, o, t->radius, t->border, r->error ? t->error : t->primary);
		/* the round mark at the left */
		int d = o.h / 3 < t->fs_body ? o.h / 3 : t->fs_body;
		int cx = o.x + t->gap + d / 2, cy = o.y + o.h / 2;
		ui_fill_circle(ctx, cx, cy, d / 2 + t->border, on ? t->on_primary : t->primary);
		ui_fill_circle(ctx, cx, cy, d / 2, on ? t->primary : t->surface);
		if (on)
			ui_fill_circle(ctx, cx, cy, d / 4, t->on_primary);
		SDL_Rect tr = {o.x + t->gap + d + t->gap / 2, o.y, o.w - 2 * t->gap - d, o.h};
		ui_text_draw_centered(ctx, f, _(r->opts[i]), tr, on ? t->on_primary : t->ink);
	}
}

static int hit(const struct ui_radio *r, struct ui_ctx *ctx, int x, int y)
{
	for (int i = 0; i < r->n; i++)
		if (ui_in_rect(ui_radio_option_rect(r, i, ctx->th.gap / 2), x, y))
			return i;
	return -1;
}

static void choose(struct ui_radio *r, struct ui_ctx *ctx, int i)
{
	if (i < 0 || i >= r->n)
		return;
	*r->value = i;
	ui_raise(ctx, r->w.action, i);
}

static bool input(struct ui_widget *w, const struct ui_input *in, struct ui_ctx *ctx)
{
	struct ui_radio *r = (struct ui_radio *)w;
	ctx->dirty = true;
	switch (in->kind) {
	case UI_IN_DOWN:
	case UI_IN_MOVE:
		r->pressed = hit(r, ctx, in->x, in->y);
		return true;
	case UI_IN_UP: {
		int i = hit(r, ctx, in->x, in->y);
		r->pressed = -1;
		choose(r, ctx, i);
		return true;
	}
	case UI_IN_CANCEL:
		r->pressed = -1;
		return true;
	case UI_IN_KEY: {
		int cur = *r->value < 0 ? 0 : *r->value;
		if (in->key == UI_KEY_LEFT || in->key == UI_KEY_UP)
			choose(r, ctx, cur > 0 ? cur - 1 : 0);
		else if (in->key == UI_KEY_RIGHT || in->key == UI_KEY_DOWN)
			choose(r, ctx, *r->value < 0 ? 0 : (cur + 1 < r->n ? cur + 1 : cur));
		else if (in->key == UI_KEY_SPACE || in->key == UI_KEY_ENTER)
			choose(r, ctx, cur);
		else
			return false;
		return true;
	}
	default:
		return false;
	}
}

static const struct ui_widget_ops ops = {draw, input};

void ui_radio_init(struct ui_radio *r, int *value, int action)
{
	*r = (struct ui_radio){.w = {.ops = &ops, .flags = UI_W_FOCUSABLE, .action = action, .arg = 0},
	                       .value = value, .pressed = -1};
}

void ui_radio_add(struct ui_radio *r, const char *msgid)
{
	if (r->n < UI_RADIO_MAX)
		r->opts[r->n++] = msgid;
}
