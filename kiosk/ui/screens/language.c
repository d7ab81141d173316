/* language.c — choose French or English; the choice applies at once. */
#include <string.h>

#include "kiosk/ui/button.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

static struct ui_label ask;
static struct ui_button fr, en;

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	(void)v;
	const struct ui_theme *t = &ctx->th;
	ui_label_init(&ask, "Choisissez votre langue\nChoose your language", UI_T_H1);
	ask.raw = 1;
	ask.align = UI_CENTER;
	bool is_fr = !strcmp(ui_i18n_lang(), "fr");
	ui_button_init(&fr, "Français", is_fr ? UI_BTN_SELECTED : UI_BTN_SECONDARY, CAB_ACT_LANG_PICK, 0);
	ui_button_init(&en, "English", is_fr ? UI_BTN_SECONDARY : UI_BTN_SELECTED, CAB_ACT_LANG_PICK, 1);
	fr.raw = en.raw = 1;
	fr.w.name = "lang_fr";
	en.w.name = "lang_en";
	fr.icon = "flag_fr.svg";
	en.icon = "flag_gb.svg";
	fr.font_px = en.font_px = t->fs_h1;
	int ah = ui_label_height(&ask, ctx, body.w);
	int bh = t->button_h * 2;
	int bw = t->portrait ? body.w * 3 / 4 : body.w / 3;
	int total = ah + t->pad + (t->portrait ? 2 * bh + t->pad : bh);
	int y = body.y + (body.h - total) / 2;
	ask.w.r = (SDL_Rect){body.x, y, body.w, ah};
	y += ah + t->pad;
	if (t->portrait) {
		fr.w.r = (SDL_Rect){body.x + (body.w - bw) / 2, y, bw, bh};
		en.w.r = (SDL_Rect){body.x + (body.w - bw) / 2, y + bh + t->pad, bw, bh};
	} else {
		fr.w.r = (SDL_Rect){body.x + body.w / 2 - bw - t->pad / 2, y, bw, bh};
		en.w.r = (SDL_Rect){body.x + body.w / 2 + t->pad / 2, y, bw, bh};
	}
	ui_group_add(g, &ask.w);
	ui_group_add(g, &fr.w);
	ui_group_add(g, &en.w);
}

const struct cab_screen cab_screen_language = {
    .name = "language", .say = N_("Choose your language."), .chrome = CAB_CHROME_STOP | CAB_CHROME_BACK, .layout = layout,
};
