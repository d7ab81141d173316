/* numpad.c — the number pad widget (see numpad.h). */
#include "kiosk/ui/numpad.h"

#include <stdio.h>

#include "kiosk/ui/i18n.h"

static const char *const digits[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

static int key_h(const struct ui_ctx *ctx)
{
	return ctx->th.portrait ? ctx->th.target * 2 : ctx->th.target * 3 / 2;
}

int ui_numpad_pref_h(const struct ui_ctx *ctx)
{
	return 4 * key_h(ctx) + 3 * ctx->th.gap / 2 + 2 * ctx->th.gap;
}

void ui_numpad_layout(struct ui_numpad *p, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	int gap = t->gap / 2, kh = key_h(ctx);
	int kw = kh * 2; /* wide keys: easy to hit, the digit large */
	SDL_Rect a = {p->w.r.x + t->gap, p->w.r.y + t->gap, p->w.r.w - 2 * t->gap, p->w.r.h - 2 * t->gap};
	if (4 * kw + 3 * gap > a.w)
		kw = (a.w - 3 * gap) / 4;
	if (4 * kh + 3 * gap > a.h)
		kh = (a.h - 3 * gap) / 4;
	int x0 = a.x + (a.w - (4 * kw + 3 * gap)) / 2, y0 = a.y + (a.h - (4 * kh + 3 * gap)) / 2;
#define CELL(col, row, cols) (SDL_Rect){x0 + (col) * (kw + gap), y0 + (row) * (kh + gap), (cols) * kw + ((cols) - 1) * gap, kh}
	for (int d = 1; d <= 9; d++)
		p->keys[d] = CELL((d - 1) % 3, (d - 1) / 3, 1);
	p->keys[0] = CELL(0, 3, 3);
	p->keys[UI_PAD_BACK] = CELL(3, 0, 1);
	p->keys[UI_PAD_EXTRA1] = p->extra[0] ? CELL(3, 1, 1) : (SDL_Rect){0, 0, 0, 0};
	p->keys[UI_PAD_EXTRA2] = p->extra[1] ? CELL(3, 2, 1) : (SDL_Rect){0, 0, 0, 0};
	p->keys[UI_PAD_DONE] = CELL(3, 3, 1);
#undef CELL
}

void ui_numpad_press(struct ui_numpad *p, int i, struct ui_ctx *ctx)
{
	if (i < 0 || i >= UI_PAD_KEYS)
		return;
	ctx->dirty = true;
	if (i == UI_PAD_DONE) {
		ui_raise(ctx, p->w.action, 0);
		return;
	}
	if (!p->target)
		return;
	bool changed;
	if (i == UI_PAD_BACK)
		changed = ui_textfield_backspace(p->target);
	else if (i < 10)
		changed = ui_textfield_insert(p->target, digits[i]) > 0;
	else
		changed = p->extra[i - UI_PAD_EXTRA1] && ui_textfield_insert(p->target, p->extra[i - UI_PAD_EXTRA1]) > 0;
	if (changed && p->target->change_action)
		ui_raise(ctx, p->target->change_action, p->target->w.arg);
}

const char *ui_numpad_key_name(const struct ui_numpad *p, int i)
{
	if (i >= 0 && i < 10)
		return digits[i];
	if (i == UI_PAD_BACK)
		return "backspace";
	if (i == UI_PAD_EXTRA1 || i == UI_PAD_EXTRA2)
		return p->extra[i - UI_PAD_EXTRA1] ? p->extra[i - UI_PAD_EXTRA1] : "";
	return i == UI_PAD_DONE ? "ok" : "";
}

static int hit(const struct ui_numpad *p, int x, int y)
{
	for (int i = 0; i < UI_PAD_KEYS; i++)
		if (p->keys[i].w > 0 && ui_in_rect(p->keys[i], x, y))
			return i;
	return -1;
}

static void draw(struct ui_widget *w, struct ui_ctx *ctx)
{
	struct ui_numpad *p = (struct ui_numpad *)w;
	const struct ui_theme *t = &ctx->th;
	ui_fill_rect(ctx, w->r, (struct ui_rgba){208, 216, 226, 255});
	TTF_Font *big = ui_font(ctx, UI_BOLD, t->fs_h1);
	TTF_Font *fb = ui_font(ctx, UI_BOLD, t->fs_button);
	for (int i = 0; i < UI_PAD_KEYS; i++) {
		SDL_Rect r = p->keys[i];
		if (r.w <= 0)
			continue;
		bool down = p->pressed == i;
		struct ui_rgba bg = down ? t->line : t->surface, fg = t->ink;
		const char *label = ui_numpad_key_name(p, i);
		TTF_Font *f = big;
		if (i == UI_PAD_DONE) {
			bg = down ? t->primary_dark : t->primary;
			fg = t->on_primary;
			label = _(p->done_label ? p->done_label : N_("OK"));
			f = fb;
		} else if (i == UI_PAD_BACK) {
			bg = down ? t->line : t->secondary;
			label = "⌫";
		}
		SDL_Rect sh = {r.x, r.y + t->border, r.w, r.h};
		ui_fill_round(ctx, sh, t->radius / 2, (struct ui_rgba){150, 160, 172, 255});
		ui_fill_round(ctx, r, t->radius / 2, bg);
		ui_text_draw_centered(ctx, f, label, r, fg);
	}
}

static bool input(struct ui_widget *w, const struct ui_input *in, struct ui_ctx *ctx)
{
	struct ui_numpad *p = (struct ui_numpad *)w;
	ctx->dirty = true;
	switch (in->kind) {
	case UI_IN_DOWN:
	case UI_IN_MOVE:
		p->pressed = hit(p, in->x, in->y);
		return true;
	case UI_IN_UP: {
		int i = hit(p, in->x, in->y);
		p->pressed = -1;
		ui_numpad_press(p, i, ctx);
		return true;
	}
	case UI_IN_CANCEL:
		p->pressed = -1;
		return true;
	default:
		return false;
	}
}

static const struct ui_widget_ops ops = {draw, input};

void ui_numpad_init(struct ui_numpad *p, int done_action)
{
	*p = (struct ui_numpad){.w = {.ops = &ops, .flags = 0, .action = done_action, .arg = 0}, .pressed = -1};
}
