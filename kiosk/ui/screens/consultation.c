/* consultation.c — the call: the doctor's video in the main area, the patient's own
 * picture small in a corner, the doctor's name, specialty and RPPS number, the call
 * time, the measurement the doctor asks for, where to place the stethoscope while
 * it streams (a chest with the auscultation points), which exam camera the doctor
 * looks through and the pictures taken, and a button to hang up. The video areas are
 * placeholders that the media module fills. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/ui/button.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

static struct ui_label who, spec, time_lbl, req_head, req, quality, doc_msg;
static struct ui_button hang_up, mute;
static SDL_Texture *vtex, *stex; /* the doctor's picture and the self-view */
static int vtex_w, vtex_h, stex_w, stex_h;
static unsigned vtex_seq, stex_seq;
static char req_buf[320], exam_buf[256];
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
	static const char *tile_names[CAB_VIEW_INSTRUMENTS] = {
	    N_("Thermometer"), N_("Blood pressure"), N_("Pulse oximeter"), N_("Scale"), N_("Glucose meter")};
	if (v->requested_tile >= 0 && v->requested_tile < CAB_VIEW_INSTRUMENTS) {
		const struct cab_tile *rt = &v->instruments[v->requested_tile];
		snprintf(req_buf, sizeof req_buf, "%s — %s%s%s", _(tile_names[v->requested_tile]),
		         _("follow the instructions on the instrument"), rt->detail[0] ? "\n" : "", rt->detail);
		ui_label_init(&req, req_buf, UI_T_BODY_BOLD);
		req.raw = 1;
	} else if (v->steth_on) {
		ui_label_init(&req,
		              N_("Stethoscope: place it on the red dots, one after the other."),
		              UI_T_BODY_BOLD);
	} else if (v->exam_camera == 1 || v->exam_camera == 2) {
		snprintf(exam_buf, sizeof exam_buf, "%s", v->exam_camera == 1 ?
		         _("Otoscope: the doctor is looking through it.") :
		         _("Dermatoscope: the doctor is looking through it."));
		if (v->stills_taken > 0)
			snprintf(exam_buf + strlen(exam_buf), sizeof exam_buf - strlen(exam_buf), "\n%s",
			         _("Picture taken."));
		ui_label_init(&req, exam_buf, UI_T_BODY_BOLD);
		req.raw = 1;
	} else {
		ui_label_init(&req, N_("None for now. The doctor will tell you which instrument to use."),
		              UI_T_BODY);
	}
	ui_label_init(&quality, v->link_text[0] ? v->link_text : "", UI_T_SMALL);
	quality.raw = 1;
	quality.color = t->ink_soft;
	ui_label_init(&doc_msg, v->doctor_message, UI_T_BODY);
	doc_msg.raw = 1;
	doc_msg.color = t->primary_dark;
	ui_button_init(&hang_up, N_("End the call"), UI_BTN_DANGER, CAB_ACT_END_CALL, 0);
	hang_up.w.name = "end_call";
	ui_button_init(&mute, v->muted ? N_("Unmute") : N_("Mute"),
	               v->muted ? UI_BTN_SELECTED : UI_BTN_SECONDARY, CAB_ACT_MUTE, 0);
	mute.w.name = "mute";
	SDL_Rect s = ui_inset(side, t->gap);
	hang_up.w.r = ui_cut_bottom(&s, t->button_h, t->gap);
	mute.w.r = ui_cut_bottom(&s, t->button_h, t->gap);
	struct ui_label *stack[] = {&who, &spec, &time_lbl, &quality, &req_head, &req, &doc_msg};
	for (size_t i = 0; i < sizeof stack / sizeof stack[0]; i++) {
		int h = ui_label_height(stack[i], ctx, s.w);
		stack[i]->w.r = ui_cut_top(&s, h, t->gap);
		ui_group_add(g, &stack[i]->w);
	}
	ui_group_add(g, &hang_up.w);
	ui_group_add(g, &mute.w);
}

/* Keeps TEX in step with the RGBA picture PIX (W x H, SEQ changes when new). */
static SDL_Texture *picture(SDL_Renderer *r, SDL_Texture *tex, int *tw, int *th, unsigned *tseq,
                            const unsigned char *pix, int w, int h, unsigned seq)
{
	if (!pix)
		return tex;
	if (!tex || *tw != w || *th != h) {
		if (tex)
			SDL_DestroyTexture(tex);
		tex = SDL_CreateTexture(r, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STREAMING, w, h);
		*tw = w;
		*th = h;
		*tseq = seq - 1;
	}
	if (tex && *tseq != seq) {
		SDL_UpdateTexture(tex, NULL, pix, w * 4);
		*tseq = seq;
	}
	return tex;
}

/* The largest W:H rectangle centred in AREA. */
static SDL_Rect fit(SDL_Rect area, int w, int h)
{
	SDL_Rect r = area;
	if ((long)area.w * h > (long)area.h * w)
		r.w = (int)((long)area.h * w / h);
	else
		r.h = (int)((long)area.w * h / w);
	r.x = area.x + (area.w - r.w) / 2;
	r.y = area.y + (area.h - r.h) / 2;
	return r;
}

/* The face-framing guide: an upright ellipse in the middle of R. */
static void face_outline(struct ui_ctx *ctx, SDL_Rect r)
{
	SDL_SetRenderDrawColor(ctx->r, 255, 255, 255, 200);
	double cx = r.x + r.w / 2.0, cy = r.y + r.h / 2.0, rx = r.h * 0.28, ry = r.h * 0.38;
	for (int k = 0; k < 360; k++) {
		double a0 = k * M_PI / 180, a1 = (k + 1) * M_PI / 180;
		SDL_RenderDrawLine(ctx->r, (int)(cx + rx * cos(a0)), (int)(cy + ry * sin(a0)),
		                   (int)(cx + rx * cos(a1)), (int)(cy + ry * sin(a1)));
	}
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	const struct ui_theme *t = &ctx->th;
	ui_fill_round(ctx, video, t->radius, (struct ui_rgba){28, 36, 46, 255});
	vtex = picture(ctx->r, vtex, &vtex_w, &vtex_h, &vtex_seq, v->video_rgba, v->video_w, v->video_h,
	               v->video_seq);
	if (v->video_rgba && vtex) {
		SDL_Rect dst = fit(video, v->video_w, v->video_h);
		SDL_RenderCopy(ctx->r, vtex, NULL, &dst);
	} else {
		SDL_Rect pic = ui_center(video, video.h / 3, video.h / 3);
		ui_draw_image(ctx, "doctor.svg", pic);
		SDL_Rect cap = {video.x, pic.y + pic.h + t->gap, video.w, t->fs_body * 2};
		ui_text_draw_centered(ctx, ui_font(ctx, UI_REGULAR, t->fs_body),
		                      _("The doctor's video will appear here"), cap,
		                      (struct ui_rgba){210, 220, 230, 255});
	}
	ui_fill_round(ctx, self_view, t->radius / 2, (struct ui_rgba){60, 72, 86, 255});
	stex = picture(ctx->r, stex, &stex_w, &stex_h, &stex_seq, v->self_rgba, v->self_w, v->self_h,
	               v->self_seq);
	if (v->self_rgba && stex) {
		SDL_Rect dst = fit(self_view, v->self_w, v->self_h);
		SDL_RenderCopy(ctx->r, stex, NULL, &dst);
	} else {
		ui_text_draw_centered(ctx, ui_font(ctx, UI_BOLD, t->fs_small), _("You"), self_view,
		                      (struct ui_rgba){230, 236, 242, 255});
	}
	if (v->exam_camera == 0) /* the framing guide is for the face, not an exam camera */
		face_outline(ctx, self_view);
	/* where to place the stethoscope or the exam camera, at the bottom left of the video */
	const char *place = v->steth_on          ? "stethoscope_chest.svg"
	                    : v->exam_camera == 1 ? "otoscope_ear.svg"
	                    : v->exam_camera == 2 ? "dermatoscope_skin.svg"
	                                          : NULL;
	if (place) {
		int side_px = video.h * 2 / 5;
		SDL_Rect card = {video.x + t->gap, video.y + video.h - side_px - t->gap, side_px, side_px};
		ui_fill_round(ctx, card, t->radius / 2, (struct ui_rgba){240, 244, 248, 235});
		ui_draw_image(ctx, place, ui_inset(card, t->gap / 2));
	}
	ui_stroke_round(ctx, self_view, t->radius / 2, t->border, (struct ui_rgba){230, 236, 242, 255});
	if (v->camera_is_test) {
		/* under the self-view, right-aligned with it, never outside the video area */
		SDL_Rect note = {video.x + t->gap, self_view.y + self_view.h + t->gap / 2,
		                 self_view.x + self_view.w - video.x - t->gap, t->fs_small * 2};
		ui_text_draw_wrapped(ctx, ui_font(ctx, UI_REGULAR, t->fs_small), _("Test picture: no camera"),
		                     note, UI_RIGHT, (struct ui_rgba){230, 236, 242, 255});
	}
	cab_draw_card(ctx, side);
}

const struct cab_screen cab_screen_consultation = {
    .name = "consultation",
    .chrome = CAB_CHROME_STOP,
    .layout = layout,
    .draw = draw,
};
