/* textfield.c — one-line text entry (see textfield.h). */
#include "kiosk/ui/textfield.h"

#include <string.h>

#include "kiosk/ui/i18n.h"
#include "kiosk/ui/tf_group.h"
#include "kiosk/ui/wrap.h"

bool ui_tf_accepts(enum ui_tf_filter filter, const char *c, size_t len, size_t pos)
{
	unsigned char b = (unsigned char)c[0];
	if (len == 1 && (b < 0x20 || b == 0x7f))
		return false;
	bool digit = len == 1 && b >= '0' && b <= '9';
	switch (filter) {
	case UI_TF_ANY:
		return true;
	case UI_TF_NAME:
		if (len > 1)
			return true; /* accented letters (é, ç, ï...) */
		return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == ' ' || b == '-' ||
		       b == '\'';
	case UI_TF_DATE:
		return digit || (len == 1 && b == '/');
	case UI_TF_DIGITS:
		return digit || (len == 1 && b == ' ');
	case UI_TF_NIR:
		return digit || (len == 1 && (b == ' ' || b == 'A' || b == 'B' || b == 'a' || b == 'b'));
	case UI_TF_PHONE:
		return digit || (len == 1 && (b == ' ' || (b == '+' && pos == 0)));
	}
	return false;
}

size_t ui_textfield_insert(struct ui_textfield *f, const char *text)
{
	if (ui_tf_grouped(f->filter, f->buf) && !(f->filter == UI_TF_PHONE && !f->buf[0] && text[0] == '+'))
		return ui_tf_group_insert(f->filter, f->buf, f->cap, text);
	size_t used = strlen(f->buf), added = 0;
	for (const char *p = text; *p;) {
		size_t n = ui_utf8_len(p);
		if (strnlen(p, n) < n)
			break;
		if (ui_tf_accepts(f->filter, p, n, used) && used + n < f->cap) {
			memcpy(f->buf + used, p, n);
			if (f->filter == UI_TF_NIR && n == 1 && (p[0] == 'a' || p[0] == 'b'))
				f->buf[used] = (char)(p[0] - 'a' + 'A');
			if (f->caps && n == 1 && p[0] >= 'a' && p[0] <= 'z')
				f->buf[used] = (char)(p[0] - 'a' + 'A');
			/* Latin-1 small letters U+00E0..U+00FE (but U+00F7 ÷): capital is 0x20 less */
			if (f->caps && n == 2 && (unsigned char)p[0] == 0xC3 && (unsigned char)p[1] >= 0xA0 &&
			    (unsigned char)p[1] <= 0xBE && (unsigned char)p[1] != 0xB7)
				f->buf[used + 1] = (char)((unsigned char)p[1] - 0x20);
			used += n;
			added += n;
			f->buf[used] = 0;
		}
		p += n;
	}
	return added;
}

bool ui_textfield_backspace(struct ui_textfield *f)
{
	if (ui_tf_grouped(f->filter, f->buf))
		return ui_tf_group_backspace(f->filter, f->buf, f->cap);
	size_t used = strlen(f->buf);
	if (!used)
		return false;
	f->buf[ui_utf8_prev(f->buf, used)] = 0;
	return true;
}

int ui_textfield_error_h(struct ui_ctx *ctx)
{
	return 2 * TTF_FontLineSkip(ui_font(ctx, UI_BOLD, ctx->th.fs_small)) + ctx->th.border;
}

static void draw(struct ui_widget *w, struct ui_ctx *ctx)
{
	struct ui_textfield *f = (struct ui_textfield *)w;
	const struct ui_theme *t = &ctx->th;
	bool focused = w->flags & UI_W_FOCUSED;
	struct ui_rgba edge = f->error ? t->error : focused ? t->primary : t->line;
	ui_fill_round(ctx, w->r, t->radius / 2, t->surface);
	ui_stroke_round(ctx, w->r, t->radius / 2, focused || f->error ? t->border * 2 : t->border, edge);
	TTF_Font *font = ui_font(ctx, UI_REGULAR, t->fs_body);
	int tw = 0, th = 0;
	int x = w->r.x + t->gap, inner = w->r.w - 2 * t->gap;
	SDL_Rect clip = {x, w->r.y, inner, w->r.h};
	SDL_RenderSetClipRect(ctx->r, &clip);
	if (f->buf[0]) {
		ui_text_size(ctx, font, f->buf, &tw, &th);
		int shift = tw > inner - t->border * 3 ? tw - (inner - t->border * 3) : 0; /* keep the end visible */
		ui_text_draw(ctx, font, f->buf, x - shift, w->r.y + (w->r.h - th) / 2, t->ink);
		tw -= shift;
	} else if (f->placeholder) {
		ui_text_size(ctx, font, _(f->placeholder), &tw, &th);
		ui_text_draw(ctx, font, _(f->placeholder), x, w->r.y + (w->r.h - th) / 2, t->ink_soft);
		tw = 0;
	}
	SDL_RenderSetClipRect(ctx->r, NULL);
	if (focused) { /* caret after the text */
		int ch = t->fs_body * 5 / 4;
		SDL_Rect c = {x + tw + 1, w->r.y + (w->r.h - ch) / 2, t->border, ch};
		ui_fill_rect(ctx, c, t->primary);
	}
	if (f->error) {
		SDL_Rect er = {w->r.x, w->r.y + w->r.h + t->border, w->r.w, ui_textfield_error_h(ctx) - t->border};
		TTF_Font *sf = ui_font(ctx, UI_BOLD, t->fs_small);
		SDL_Rect tr = er;
		/* a small warning disc then the message, on one line */
		int d = t->fs_small * 3 / 4;
		ui_fill_circle(ctx, er.x + d / 2, er.y + t->fs_small * 2 / 3, d / 2, t->error);
		tr.x += d + t->gap / 2;
		tr.w -= d + t->gap / 2;
		ui_text_draw_wrapped(ctx, sf, _(f->error), tr, UI_LEFT, t->error);
	}
}

static void changed(struct ui_textfield *f, struct ui_ctx *ctx)
{
	ctx->dirty = true;
	if (f->change_action)
		ui_raise(ctx, f->change_action, f->w.arg);
}

static bool input(struct ui_widget *w, const struct ui_input *in, struct ui_ctx *ctx)
{
	struct ui_textfield *f = (struct ui_textfield *)w;
	switch (in->kind) {
	case UI_IN_DOWN:
		return true;
	case UI_IN_UP:
		if (ui_in_rect(w->r, in->x, in->y) && w->action)
			ui_raise(ctx, w->action, w->arg);
		return true;
	case UI_IN_TEXT:
		if (ui_textfield_insert(f, in->text))
			changed(f, ctx);
		return true;
	case UI_IN_KEY:
		if (in->key == UI_KEY_BACKSPACE) {
			if (ui_textfield_backspace(f))
				changed(f, ctx);
			return true;
		}
		if (in->key == UI_KEY_ENTER && f->enter_action) {
			ui_raise(ctx, f->enter_action, w->arg);
			return true;
		}
		if (in->key == UI_KEY_SPACE) /* SDL also sends " " as TEXTINPUT */
			return true;
		return false;
	default:
		return false;
	}
}

static const struct ui_widget_ops ops = {draw, input};

void ui_textfield_init(struct ui_textfield *f, char *buf, size_t cap, enum ui_tf_filter filter,
                       int action, int arg)
{
	*f = (struct ui_textfield){.w = {.ops = &ops, .flags = UI_W_FOCUSABLE, .action = action, .arg = arg},
	                           .buf = buf, .cap = cap, .filter = filter};
}
