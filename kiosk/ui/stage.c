/* stage.c — frame, screen and dialogs of the kiosk window (see stage.h). */
#include "kiosk/ui/stage.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/ui/button.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/rx_dialog.h"

enum { DLG_NONE, DLG_STOP, DLG_STILL_THERE, DLG_EMERGENCY, DLG_RX /* + the rx state */ };

/* The frame's widgets (one window, one stage). */
static struct ui_label title_lbl, heading;
static struct ui_button lang_btn, emergency_btn, stop_btn, back_btn, next_btn;
static struct ui_button large_btn, voice_btn, repeat_btn; /* icon-only header buttons */
static SDL_Rect logo_rect, header_rect, footer_rect;

void cab_stage_init(struct cab_stage *st, struct cab_view *v)
{
	memset(st, 0, sizeof *st);
	ui_group_clear(&st->g);
	st->scr = cab_screen_for(v->state);
	st->shown = v->state;
	if (st->scr->enter)
		st->scr->enter(v);
	ui_label_init(&title_lbl, v->cabin_name, UI_T_H2);
	title_lbl.raw = 1;
	ui_label_init(&heading, NULL, UI_T_H1);
	ui_button_init(&lang_btn, "English", UI_BTN_SECONDARY, CAB_ACT_LANG_TOGGLE, 0);
	lang_btn.raw = 1;
	lang_btn.icon = "language.svg";
	ui_button_init(&emergency_btn, N_("Emergency"), UI_BTN_DANGER, CAB_ACT_EMERGENCY, 0);
	emergency_btn.icon = "emergency.svg";
	ui_button_init(&stop_btn, N_("Stop"), UI_BTN_SECONDARY, CAB_ACT_STOP, 0);
	stop_btn.icon = "stop.svg";
	ui_button_init(&back_btn, N_("Back"), UI_BTN_SECONDARY, CAB_ACT_BACK, 0);
	ui_button_init(&next_btn, N_("Continue"), UI_BTN_PRIMARY, CAB_ACT_NEXT, 0);
	ui_button_init(&large_btn, "", UI_BTN_SECONDARY, CAB_ACT_LARGE_TEXT, 0);
	large_btn.raw = 1;
	large_btn.icon = "text_size.svg";
	large_btn.w.name = "large_text";
	ui_button_init(&voice_btn, "", UI_BTN_SECONDARY, CAB_ACT_VOICE_CYCLE, 0);
	voice_btn.raw = 1;
	voice_btn.w.name = "voice";
	ui_button_init(&repeat_btn, "", UI_BTN_SECONDARY, CAB_ACT_VOICE_REPEAT, 0);
	repeat_btn.raw = 1;
	repeat_btn.icon = "repeat.svg";
	repeat_btn.w.name = "repeat";
	lang_btn.w.name = "lang_toggle";
	emergency_btn.w.name = "emergency";
	stop_btn.w.name = "stop";
	back_btn.w.name = "back";
	next_btn.w.name = "next";
}

static void setup_dialog(struct cab_stage *st, struct cab_view *v)
{
	int want = v->emergency ? DLG_EMERGENCY
	           : v->still_there_s >= 0 ? DLG_STILL_THERE
	           : v->confirm_stop ? DLG_STOP
	           : cab_rx_dialog_kind(v) ? DLG_RX + cab_rx_dialog_kind(v) : DLG_NONE;
	if (want != st->dlg_kind) {
		st->dlg_kind = want;
		switch (want) {
		case DLG_EMERGENCY:
			ui_dialog_init(&st->dlg, N_("Emergency"),
			               N_("If your life or someone else's is in danger, call now:\n"
			                  "15 — SAMU (medical emergency)\n"
			                  "112 — European emergency number\n"
			                  "114 — by text message, if you are deaf or cannot speak\n"
			                  "The pharmacist can also help you right away."),
			               0);
			st->dlg.band = (struct ui_rgba){190, 30, 45, 255};
			st->dlg.icon = "emergency_red.svg";
			st->dlg.extra.text = "15  ·  112";
			st->dlg.extra.color = (struct ui_rgba){190, 30, 45, 255};
			ui_dialog_button(&st->dlg, N_("Close"), UI_BTN_PRIMARY, CAB_ACT_EMERGENCY_CLOSE);
			break;
		case DLG_STILL_THERE:
			ui_dialog_init(&st->dlg, N_("Are you still there?"),
			               N_("Without an answer, the session will stop and everything "
			                  "you entered will be erased."),
			               0);
			/* any answer gives the state's whole time again on top (kiosk/flow) */
			ui_dialog_button(&st->dlg, N_("I need more time"), UI_BTN_PRIMARY, CAB_ACT_STILL_HERE);
			break;
		case DLG_STOP:
			/* say what is true now: before the identity left, nothing has been sent */
			ui_dialog_init(&st->dlg, N_("Stop the session?"),
			               v->identity_sent
			                   ? N_("What was already sent stays with the doctor. This cabin "
			                        "keeps nothing: everything here will be erased.")
			                   : N_("Nothing has been sent. Everything you entered will be erased."),
			               0);
			ui_dialog_button(&st->dlg, N_("Continue the session"), UI_BTN_SECONDARY,
			                 CAB_ACT_STOP_CANCEL);
			ui_dialog_button(&st->dlg, N_("Stop and erase"), UI_BTN_DANGER, CAB_ACT_STOP_CONFIRM);
			break;
		default:
			if (want > DLG_RX) /* the prescription on paper (rx_dialog.c) */
				cab_rx_dialog(&st->dlg, v);
			break;
		}
	}
	if (want == DLG_STILL_THERE) {
		snprintf(st->countdown, sizeof st->countdown, "%d s", v->still_there_s);
		st->dlg.extra.text = st->countdown;
	}
}

void cab_stage_layout(struct cab_stage *st, struct ui_ctx *ctx, struct cab_view *v)
{
	const struct ui_theme *t = &ctx->th;
	ui_ctx_begin_frame(ctx);
	if (v->state != st->shown || !st->scr) {
		st->scr = cab_screen_for(v->state);
		st->shown = v->state;
		ui_group_focus(&st->g, NULL);
		st->g.grab = -1;
		if (st->scr->enter)
			st->scr->enter(v);
		if (v->state == CAB_FLOW_ATTRACT && t->large) /* the next patient starts ordinary */
			ui_ctx_set_large(ctx, false);
	}
	const struct cab_screen *s = st->scr;
	struct ui_widget *focus = ui_group_focused(&st->g);
	struct ui_widget *grab = st->g.grab >= 0 && st->g.grab < st->g.n ? st->g.w[st->g.grab] : NULL;
	unsigned grab_pressed = grab ? (grab->flags & UI_W_PRESSED) : 0;
	bool fv = st->g.focus_visible;
	ui_group_clear(&st->g);
	st->g.focus_visible = fv;

	/* header: logo + cabin name on the left; stop, emergency, language on the right */
	SDL_Rect all = {0, 0, t->w, t->h};
	SDL_Rect body = all;
	header_rect = ui_cut_top(&body, t->header_h, 0);
	SDL_Rect hb = ui_inset(header_rect, t->gap);
	hb.x += t->pad - t->gap;
	hb.w -= 2 * (t->pad - t->gap);
	int bh = hb.h;
	bool in_session = s->chrome & CAB_CHROME_STOP;
	lang_btn.label = strcmp(ui_i18n_lang(), "fr") ? "Français" : "English";
	lang_btn.font_px = emergency_btn.font_px = stop_btn.font_px = t->fs_body;
	if (in_session) {
		stop_btn.w.r = ui_cut_right(&hb, ui_button_pref_w(&stop_btn, ctx), t->gap);
		stop_btn.w.r.h = bh;
		ui_group_add(&st->g, &stop_btn.w);
	}
	emergency_btn.w.r = ui_cut_right(&hb, ui_button_pref_w(&emergency_btn, ctx), t->gap);
	lang_btn.w.r = ui_cut_right(&hb, ui_button_pref_w(&lang_btn, ctx), t->gap);
	ui_group_add(&st->g, &lang_btn.w);
	ui_group_add(&st->g, &emergency_btn.w);
	/* large text on every screen; the voice switch and "say it again" when this cabin
	 * speaks (never during the call: the consultation screen has nothing to say) */
	int sq = bh > t->target ? bh : t->target;
	large_btn.w.r = ui_cut_right(&hb, sq, t->gap);
	large_btn.style = t->large ? UI_BTN_SELECTED : UI_BTN_SECONDARY;
	large_btn.icon = t->large ? "text_size_on.svg" : "text_size.svg"; /* white on the dark button */
	ui_group_add(&st->g, &large_btn.w);
	if (v->voice_level >= 0) {
		voice_btn.icon = v->voice_level == 2 ? "voice_on.svg" : v->voice_level == 1 ? "voice_low.svg"
		                                                                          : "voice_off.svg";
		voice_btn.w.r = ui_cut_right(&hb, sq, t->gap);
		ui_group_add(&st->g, &voice_btn.w);
		if (v->voice_level > 0 && s->say) {
			repeat_btn.w.r = ui_cut_right(&hb, sq, t->gap);
			ui_group_add(&st->g, &repeat_btn.w);
		}
	}
	logo_rect = ui_cut_left(&hb, bh, t->gap);
	title_lbl.text = v->cabin_name[0] ? v->cabin_name : N_("Teleconsultation cabin");
	title_lbl.raw = v->cabin_name[0] != 0;
	title_lbl.w.r = hb;
	int tlh = ui_label_height(&title_lbl, ctx, hb.w);
	title_lbl.w.r.y = hb.y + (hb.h - tlh) / 2;
	title_lbl.w.r.h = tlh;
	if (tlh <= hb.h && hb.w > t->target * 2)
		ui_group_add(&st->g, &title_lbl.w);

	/* footer: back on the left, main button on the right */
	bool footer = (s->chrome & (CAB_CHROME_BACK | CAB_CHROME_NEXT)) &&
	              !(s->footer_hidden && s->footer_hidden(v));
	if (footer) {
		footer_rect = ui_cut_bottom(&body, t->footer_h, 0);
		SDL_Rect fb = ui_inset(footer_rect, ui_px(t, 24));
		fb.x += t->pad - ui_px(t, 24);
		fb.w -= 2 * (t->pad - ui_px(t, 24));
		int minw = t->w / 4;
		if (s->chrome & CAB_CHROME_NEXT) {
			next_btn.label = s->next_label ? s->next_label(v) : N_("Continue");
			int w = ui_button_pref_w(&next_btn, ctx);
			next_btn.w.r = ui_cut_right(&fb, w > minw ? w : minw, t->gap);
			bool en = !s->next_enabled || s->next_enabled(v);
			next_btn.w.flags = en ? UI_W_FOCUSABLE : (UI_W_FOCUSABLE | UI_W_DISABLED);
		}
		if (s->chrome & CAB_CHROME_BACK) {
			int w = ui_button_pref_w(&back_btn, ctx);
			back_btn.w.r = ui_cut_left(&fb, w > minw * 3 / 4 ? w : minw * 3 / 4, t->gap);
		}
	} else {
		footer_rect = (SDL_Rect){0, t->h, t->w, 0};
	}
	body = ui_inset(body, 0);
	body.x += t->pad;
	body.w -= 2 * t->pad;
	body.y += t->gap;
	body.h -= footer ? t->gap : t->pad;
	if (s->title && !(s->footer_hidden && s->footer_hidden(v))) {
		heading.text = s->title;
		int hh = ui_label_height(&heading, ctx, body.w);
		heading.w.r = ui_cut_top(&body, hh, t->gap);
		ui_group_add(&st->g, &heading.w);
	}
	s->layout(ctx, v, &st->g, body);
	if (footer && (s->chrome & CAB_CHROME_BACK))
		ui_group_add(&st->g, &back_btn.w);
	if (footer && (s->chrome & CAB_CHROME_NEXT))
		ui_group_add(&st->g, &next_btn.w);

	for (int i = 0; i < st->g.n; i++) { /* keep focus and pointer capture */
		if (st->g.w[i] == focus)
			ui_group_focus(&st->g, focus);
		if (st->g.w[i] == grab) {
			st->g.grab = i;
			grab->flags |= grab_pressed;
		}
	}
	setup_dialog(st, v);
	if (st->dlg_kind)
		ui_dialog_layout(&st->dlg, ctx);
}

void cab_stage_draw(struct cab_stage *st, struct ui_ctx *ctx, struct cab_view *v)
{
	const struct ui_theme *t = &ctx->th;
	SDL_Rect all = {0, 0, t->w, t->h};
	ui_fill_rect(ctx, all, t->bg);
	ui_fill_rect(ctx, header_rect, t->surface);
	SDL_Rect hl = {0, header_rect.y + header_rect.h - t->border, t->w, t->border};
	ui_fill_rect(ctx, hl, t->primary);
	ui_draw_image(ctx, "logo.svg", logo_rect);
	if (footer_rect.h > 0) {
		ui_fill_rect(ctx, footer_rect, t->surface);
		SDL_Rect fl = {0, footer_rect.y, t->w, 1};
		ui_fill_rect(ctx, fl, t->line);
	}
	if (st->scr->draw)
		st->scr->draw(ctx, v);
	ui_group_draw(&st->g, ctx);
	if (st->dlg_kind)
		ui_dialog_draw(&st->dlg, ctx);
}

int cab_stage_input(struct cab_stage *st, struct ui_ctx *ctx, struct cab_view *v,
                    const struct ui_input *in)
{
	ctx->action = 0;
	if (st->dlg_kind) {
		ui_dialog_input(&st->dlg, in, ctx);
	} else if (!(st->scr->input && st->scr->input(ctx, v, in))) {
		ui_group_input(&st->g, in, ctx);
	}
	int act = ctx->action;
	ctx->action = 0;
	if (act >= CAB_ACT_SCREEN_BASE) /* the screen's own widgets: the screen decides */
		act = st->scr->action ? st->scr->action(ctx, v, act, ctx->action_arg) : CAB_ACT_NONE;
	if (act == CAB_ACT_LARGE_TEXT) { /* the stage's own business: the theme */
		ui_ctx_set_large(ctx, !ctx->th.large);
		act = CAB_ACT_NONE;
	}
	return act;
}
