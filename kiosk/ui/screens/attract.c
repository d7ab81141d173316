/* attract.c — the idle screen: the cabin's name, what it offers, "touch to start".
 * A touch anywhere below the header starts a session. */
#include <stdio.h>

#include "kiosk/ui/button.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

static struct ui_label big, sub, hint;
static struct ui_button start;
static SDL_Rect body_rect, pict;

static char hint_buf[320];

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	body_rect = body;
	ui_label_init(&big, N_("Teleconsultation"), UI_T_HUGE);
	big.align = UI_CENTER;
	big.color = t->primary_dark;
	ui_label_init(&sub, N_("See a doctor by video, here and now, with the help of the cabin's "
	                       "instruments."),
	              UI_T_H2);
	sub.align = UI_CENTER;
	sub.color = t->ink_soft;
	/* the same fee and way of paying as the information screen (issue 16) */
	char fee[32];
	cab_view_format_fee(v->fee_cents, ui_i18n_lang(), fee, sizeof fee);
	snprintf(hint_buf, sizeof hint_buf,
	         _("Consultation %s: with a Carte Vitale you pay nothing up front; without one, "
	           "you pay the pharmacist. Nothing is kept after your visit."),
	         fee);
	ui_label_init(&hint, hint_buf, UI_T_BODY);
	hint.raw = 1;
	hint.align = UI_CENTER;
	hint.color = t->ink_soft;
	ui_button_init(&start, N_("Touch the screen to start"), UI_BTN_PRIMARY, CAB_ACT_START, 0);
	start.font_px = t->fs_h2;
	start.w.name = "start";
	int w = body.w > ui_px(t, 1400) ? ui_px(t, 1400) : body.w;
	int ph = body.h / 3;
	int bh = ui_label_height(&big, ctx, w), sh = ui_label_height(&sub, ctx, w * 4 / 5),
	    hh = ui_label_height(&hint, ctx, w);
	int btn_h = t->button_h * 3 / 2;
	int total = ph + t->gap + bh + t->gap + sh + t->pad + btn_h + t->gap + hh;
	if (total > body.h) {
		ph = body.h - (total - ph);
		if (ph < 0)
			ph = 0;
		total = body.h;
	}
	int y = body.y + (body.h - total) / 2;
	pict = (SDL_Rect){body.x, y, body.w, ph};
	y += ph + t->gap;
	big.w.r = (SDL_Rect){body.x + (body.w - w) / 2, y, w, bh};
	y += bh + t->gap;
	sub.w.r = (SDL_Rect){body.x + (body.w - w * 4 / 5) / 2, y, w * 4 / 5, sh};
	y += sh + t->pad;
	int bw = ui_button_pref_w(&start, ctx);
	if (bw > body.w)
		bw = body.w;
	start.w.r = (SDL_Rect){body.x + (body.w - bw) / 2, y, bw, btn_h};
	y += btn_h + t->gap;
	hint.w.r = (SDL_Rect){body.x + (body.w - w) / 2, y, w, hh};
	ui_group_add(g, &big.w);
	ui_group_add(g, &sub.w);
	ui_group_add(g, &start.w);
	ui_group_add(g, &hint.w);
	ui_group_focus(g, &start.w);
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	(void)v;
	if (pict.h > 0)
		ui_draw_image(ctx, "attract.svg", pict);
}

static bool input(struct ui_ctx *ctx, struct cab_view *v, const struct ui_input *in)
{
	(void)v;
	bool in_body = in->y >= body_rect.y;
	if ((in->kind == UI_IN_DOWN || in->kind == UI_IN_UP) && in_body) {
		if (in->kind == UI_IN_UP)
			ui_raise(ctx, CAB_ACT_START, 0);
		return true;
	}
	return false;
}

const struct cab_screen cab_screen_attract = {
    .name = "attract", .layout = layout, .draw = draw, .input = input,
};
