/* wipe.c — shown while the session's data is erased, before the attract screen. */
#include <stdio.h>

#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/progress.h"
#include "kiosk/ui/screen.h"

static struct ui_label msg, sub;
static struct ui_progress bar;

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	ui_label_init(&msg, N_("Erasing your data…"), UI_T_H1);
	msg.align = UI_CENTER;
	ui_label_init(&sub, N_("Nothing about you stays in the cabin. Thank you for your visit."),
	              UI_T_BODY);
	sub.align = UI_CENTER;
	sub.color = t->ink_soft;
	ui_progress_init(&bar);
	bar.value = v->wipe_progress;
	int w = body.w * 2 / 3;
	int h1 = ui_label_height(&msg, ctx, body.w), h2 = ui_label_height(&sub, ctx, body.w);
	int bh = t->fs_body;
	SDL_Rect c = ui_center(body, body.w, h1 + h2 + bh + 2 * t->pad);
	msg.w.r = ui_cut_top(&c, h1, t->pad);
	bar.w.r = ui_cut_top(&c, bh, t->pad);
	bar.w.r.x += (bar.w.r.w - w) / 2;
	bar.w.r.w = w;
	sub.w.r = c;
	ui_group_add(g, &msg.w);
	ui_group_add(g, &bar.w);
	ui_group_add(g, &sub.w);
}

const struct cab_screen cab_screen_wipe = {
    .name = "wipe",
    .layout = layout,
};
