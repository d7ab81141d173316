/* keyboard.c — on-screen keyboard widget (see keyboard.h). */
#include "kiosk/ui/keyboard.h"

#include "kiosk/ui/i18n.h"

static int key_gap(const struct ui_ctx *ctx)
{
	return ctx->th.gap / 2;
}

static int key_h(const struct ui_ctx *ctx)
{
	/* portrait screens have height to spare: bigger keys */
	return ctx->th.portrait ? ctx->th.target * 3 / 2 : ctx->th.target * 5 / 4;
}

int ui_keyboard_pref_h(const struct ui_ctx *ctx, int w)
{
	(void)w;
	return ui_kbd_height(key_h(ctx), key_gap(ctx)) + 2 * ctx->th.gap;
}

void ui_keyboard_layout(struct ui_keyboard *k, struct ui_ctx *ctx)
{
	SDL_Rect a = {k->w.r.x + ctx->th.gap, k->w.r.y + ctx->th.gap, k->w.r.w - 2 * ctx->th.gap,
	              k->w.r.h - 2 * ctx->th.gap};
	int maxw = ui_px(&ctx->th, 1500); /* wider keys are no easier to reach */
	if (a.w > maxw) {
		a.x += (a.w - maxw) / 2;
		a.w = maxw;
	}
	ui_kbd_place_ex(a, key_gap(ctx), key_h(ctx) * 3 / 2, k->symbols_key, k->keys);
}

void ui_keyboard_press(struct ui_keyboard *k, int i, struct ui_ctx *ctx)
{
	if (i < 0 || i >= ui_kbd_key_count)
		return;
	ctx->dirty = true;
	const struct ui_kbd_key *key = &ui_kbd_table(k->layout)[i];
	switch (key->kind) {
	case UI_KBD_SHIFT:
		if (!k->symbols)
			k->shift = !k->shift;
		return;
	case UI_KBD_SYMBOLS:
		k->symbols = k->symbols_key && !k->symbols;
		k->shift = false;
		return;
	case UI_KBD_DONE:
		ui_raise(ctx, k->w.action, 0);
		return;
	case UI_KBD_BACKSPACE:
		if (k->target && ui_textfield_backspace(k->target) && k->target->change_action)
			ui_raise(ctx, k->target->change_action, k->target->w.arg);
		return;
	default:
		break;
	}
	if (!k->target)
		return;
	bool up = k->shift || k->target->caps || (k->target->buf[0] == 0 && k->target->filter == UI_TF_NAME);
	const char *text = k->symbols ? ui_kbd_symbol(i) : ui_kbd_text_in(k->layout, i, up);
	if (text && ui_textfield_insert(k->target, text) && k->target->change_action)
		ui_raise(ctx, k->target->change_action, k->target->w.arg);
	k->shift = false;
}

const char *ui_keyboard_label(const struct ui_keyboard *k, int i)
{
	if (i < 0 || i >= ui_kbd_key_count)
		return "";
	const struct ui_kbd_key *key = &ui_kbd_table(k->layout)[i];
	bool caps = k->shift ||
	            (k->target && (k->target->caps || (k->target->buf[0] == 0 && k->target->filter == UI_TF_NAME)));
	switch (key->kind) {
	case UI_KBD_SPACE:
		return "space";
	case UI_KBD_DONE:
		return "OK";
	case UI_KBD_SYMBOLS:
		return k->symbols ? key->sym : key->lower;
	case UI_KBD_CHAR:
		return k->symbols ? key->sym : caps ? key->upper : key->lower;
	default:
		return key->lower;
	}
}

static void draw(struct ui_widget *w, struct ui_ctx *ctx)
{
	struct ui_keyboard *k = (struct ui_keyboard *)w;
	const struct ui_theme *t = &ctx->th;
	ui_fill_rect(ctx, w->r, (struct ui_rgba){208, 216, 226, 255});
	TTF_Font *f = ui_font(ctx, UI_REGULAR, t->fs_h2);
	TTF_Font *fb = ui_font(ctx, UI_BOLD, t->fs_body);
	for (int i = 0; i < ui_kbd_key_count; i++) {
		const struct ui_kbd_key *key = &ui_kbd_table(k->layout)[i];
		SDL_Rect r = k->keys[i];
		if (r.w <= 0)
			continue; /* the symbols key of a keyboard without it */
		bool down = k->pressed == i;
		struct ui_rgba bg = t->surface, fg = t->ink;
		if (key->kind == UI_KBD_DONE) {
			bg = down ? t->primary_dark : t->primary;
			fg = t->on_primary;
		} else if ((key->kind == UI_KBD_SHIFT && k->shift) ||
		           (key->kind == UI_KBD_SYMBOLS && k->symbols)) {
			bg = t->primary_dark;
			fg = t->on_primary;
		} else if (key->kind == UI_KBD_SHIFT && k->symbols) {
			bg = t->line; /* no shift on the symbols layer */
			fg = t->ink_soft;
		} else if (key->kind != UI_KBD_CHAR && key->kind != UI_KBD_SPACE) {
			bg = down ? t->line : t->secondary;
		} else if (down) {
			bg = t->line;
		}
		SDL_Rect sh = {r.x, r.y + t->border, r.w, r.h};
		ui_fill_round(ctx, sh, t->radius / 2, (struct ui_rgba){150, 160, 172, 255});
		ui_fill_round(ctx, r, t->radius / 2, bg);
		const char *label = key->kind == UI_KBD_SPACE ? _("space")
		                    : key->kind == UI_KBD_DONE ? _(k->done_label ? k->done_label : N_("OK"))
		                                               : ui_keyboard_label(k, i);
		ui_text_draw_centered(ctx, key->kind == UI_KBD_CHAR ? f : fb, label, r, fg);
	}
}

static bool input(struct ui_widget *w, const struct ui_input *in, struct ui_ctx *ctx)
{
	struct ui_keyboard *k = (struct ui_keyboard *)w;
	ctx->dirty = true;
	switch (in->kind) {
	case UI_IN_DOWN:
	case UI_IN_MOVE:
		k->pressed = ui_kbd_hit(k->keys, in->x, in->y);
		return true;
	case UI_IN_UP: {
		int i = ui_kbd_hit(k->keys, in->x, in->y);
		k->pressed = -1;
		ui_keyboard_press(k, i, ctx);
		return true;
	}
	case UI_IN_CANCEL:
		k->pressed = -1;
		return true;
	default:
		return false;
	}
}

static const struct ui_widget_ops ops = {draw, input};

void ui_keyboard_init(struct ui_keyboard *k, int done_action)
{
	*k = (struct ui_keyboard){.w = {.ops = &ops, .flags = 0, .action = done_action, .arg = 0}, .pressed = -1};
}
