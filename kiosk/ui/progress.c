/* progress.c — progress bar (see progress.h). */
#include "kiosk/ui/progress.h"

int ui_progress_fill_w(int w, float value)
{
	if (!(value > 0.0f))
		return 0;
	if (value > 1.0f)
		value = 1.0f;
	return (int)((float)w * value + 0.5f);
}

static void draw(struct ui_widget *w, struct ui_ctx *ctx)
{
	struct ui_progress *p = (struct ui_progress *)w;
	const struct ui_theme *t = &ctx->th;
	ui_fill_round(ctx, w->r, w->r.h / 2, t->secondary);
	SDL_Rect f = w->r;
	f.w = ui_progress_fill_w(w->r.w, p->value);
	if (f.w > 0)
		ui_fill_round(ctx, f, w->r.h / 2, p->fill.a ? p->fill : t->primary);
	ui_stroke_round(ctx, w->r, w->r.h / 2, 1, t->line);
	if (p->caption[0])
		ui_text_draw_centered(ctx, ui_font(ctx, UI_BOLD, t->fs_small), p->caption, w->r, t->ink);
}

static const struct ui_widget_ops ops = {draw, NULL};

void ui_progress_init(struct ui_progress *p)
{
	*p = (struct ui_progress){.w = {.ops = &ops, .flags = UI_W_INERT, .action = 0, .arg = 0}};
}
