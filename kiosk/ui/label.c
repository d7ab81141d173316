/* label.c — wrapping text label (see label.h). */
#include "kiosk/ui/label.h"

#include "kiosk/ui/i18n.h"

int ui_role_px(const struct ui_theme *t, enum ui_text_role role)
{
	switch (role) {
	case UI_T_SMALL:
	case UI_T_SMALL_BOLD:
		return t->fs_small;
	case UI_T_H2:
		return t->fs_h2;
	case UI_T_H1:
		return t->fs_h1;
	case UI_T_HUGE:
		return t->fs_huge;
	default:
		return t->fs_body;
	}
}

const char *ui_label_text(const struct ui_label *l)
{
	if (!l->text)
		return NULL;
	return l->raw ? l->text : _(l->text);
}

TTF_Font *ui_label_font(struct ui_label *l, struct ui_ctx *ctx)
{
	int px = ui_role_px(&ctx->th, l->role);
	if (l->fit > 0.1f && l->fit < 1.0f)
		px = (int)((float)px * l->fit);
	bool bold = l->role == UI_T_BODY_BOLD || l->role == UI_T_SMALL_BOLD || l->role == UI_T_H2 || l->role == UI_T_H1 ||
	            l->role == UI_T_HUGE;
	return ui_font(ctx, bold ? UI_BOLD : UI_REGULAR, px);
}

int ui_label_height(struct ui_label *l, struct ui_ctx *ctx, int w)
{
	const char *s = ui_label_text(l);
	if (!s || !*s)
		return 0;
	return ui_text_wrapped_height(ctx, ui_label_font(l, ctx), s, w);
}

static void draw(struct ui_widget *w, struct ui_ctx *ctx)
{
	struct ui_label *l = (struct ui_label *)w;
	const char *s = ui_label_text(l);
	if (!s)
		return;
	struct ui_rgba c = l->color.a ? l->color : ctx->th.ink;
	ui_text_draw_wrapped(ctx, ui_label_font(l, ctx), s, w->r, l->align, c);
}

static const struct ui_widget_ops ops = {draw, NULL};

void ui_label_init(struct ui_label *l, const char *text, enum ui_text_role role)
{
	*l = (struct ui_label){.w = {.ops = &ops, .flags = UI_W_INERT, .action = 0, .arg = 0}, .text = text, .role = role};
}
