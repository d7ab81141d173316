/* consultation.c — the call: the doctor's video in the main area, the patient's own
 * picture small in a corner, the doctor's name, specialty and RPPS number, the call
 * time, the measurement the doctor asks for, and a button to hang up. The video
 * areas are placeholders that the media module fills. */
#include <stdio.h>

#include "kiosk/ui/button.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

static struct ui_label who, spec, time_lbl, req_head, req;
static struct ui_button hang_up;
static SDL_Rect video, self_view, side;
static char who_buf[128], spec_buf[160], time_buf[32];

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	if (t->portrait) {
		video = ui_cut_top(&body, body.w * 3 / 4, t->gap);
		side = body;
	} else {
		side = ui_cut_right(&body, body.w / 4 > ui_px(t, 420) ? body.w / 4 : ui_px(t, 420), t->gap);
		video = body;
	}
	int sw = video.w / 4;
	self_view = (SDL_Rect){video.x + video.w - sw - t->gap, video.y + t->gap, sw, sw * 3 / 4};
	snprintf(who_buf, sizeof who_buf, "%s", v->doctor.known ? v->doctor.name : _("Your doctor"));
	if (v->doctor.known)
		snprintf(spec_buf, sizeof spec_buf, "%s\nRPPS %s", v->doctor.specialty, v->doctor.rpps);
	else
		snprintf(spec_buf, sizeof spec_buf, "%s", _("Assigned when the call starts"));
	snprintf(time_buf, sizeof time_buf, "%02d:%02d", v->call_s / 60, v->call_s % 60);
	ui_label_init(&who, who_buf, UI_T_H2);
	who.raw = 1;
	ui_label_init(&spec, spec_buf, UI_T_BODY);
	spec.raw = 1;
	ui_label_init(&time_lbl, time_buf, UI_T_H2);
	time_lbl.raw = 1;
	time_lbl.color = t->ink_soft;
	ui_label_init(&req_head, N_("Measurement requested"), UI_T_BODY_BOLD);
	req_head.color = t->primary_dark;
	ui_label_init(&req, N_("None for now. The doctor will tell you which instrument to use."),
	              UI_T_BODY);
	ui_button_init(&hang_up, N_("End the call"), UI_BTN_DANGER, CAB_ACT_END_CALL, 0);
	hang_up.w.name = "end_call";
	SDL_Rect s = ui_inset(side, t->gap);
	hang_up.w.r = ui_cut_bottom(&s, t->button_h, t->gap);
	struct ui_label *stack[] = {&who, &spec, &time_lbl, &req_head, &req};
	for (size_t i = 0; i < sizeof stack / sizeof stack[0]; i++) {
		int h = ui_label_height(stack[i], ctx, s.w);
		stack[i]->w.r = ui_cut_top(&s, h, t->gap);
		ui_group_add(g, &stack[i]->w);
	}
	ui_group_add(g, &hang_up.w);
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	(void)v;
	const struct ui_theme *t = &ctx->th;
	ui_fill_round(ctx, video, t->radius, (struct ui_rgba){28, 36, 46, 255});
	SDL_Rect pic = ui_center(video, video.h / 3, video.h / 3);
	ui_draw_image(ctx, "doctor.svg", pic);
	SDL_Rect cap = {video.x, pic.y + pic.h + t->gap, video.w, t->fs_body * 2};
	ui_text_draw_centered(ctx, ui_font(ctx, UI_REGULAR, t->fs_body),
	                      _("The doctor's video will appear here"), cap,
	                      (struct ui_rgba){210, 220, 230, 255});
	ui_fill_round(ctx, self_view, t->radius / 2, (struct ui_rgba){60, 72, 86, 255});
	ui_stroke_round(ctx, self_view, t->radius / 2, t->border, (struct ui_rgba){230, 236, 242, 255});
	ui_text_draw_centered(ctx, ui_font(ctx, UI_BOLD, t->fs_small), _("You"), self_view,
	                      (struct ui_rgba){230, 236, 242, 255});
	cab_draw_card(ctx, side);
}

const struct cab_screen cab_screen_consultation = {
    .name = "consultation",
    .chrome = CAB_CHROME_STOP,
    .layout = layout,
    .draw = draw,
};
