/* waiting.c — the waiting room: what is happening now (the patient's place in the
 * queue and the station's estimate, "a doctor is coming", the doctor's name once one
 * has taken the patient, "given back to the queue" when released: the station's
 * queue and doctor messages), an "I'm ready" button (the call starts when the
 * patient is ready, never in the middle of a measurement), what happens to the
 * readings when the patient refused to send them, and the instruments the patient
 * can already use, each tile showing its state and the last reading. Touching
 * Measure starts the measurement and shows, in place of the status card, how to use
 * that instrument: two illustrated steps (assets/images/guide/, drawn for Cabin) and
 * the instrument's state in plain words, until "Close". Issue 16: the patient is
 * never left alone. */
#include <stdio.h>
#include <string.h>

#include "kiosk/ui/button.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

static struct ui_label status, doc, refusal, inst_head;
static struct ui_label guide_title, guide_step[2], guide_state;
static struct ui_button ready, guide_close;
static SDL_Rect guide_card, guide_pic[2];
static int guide = -1; /* instrument whose steps are shown, -1 none */

enum { ACT_MEASURE = CAB_ACT_SCREEN_BASE, ACT_GUIDE_CLOSE };

/* Two steps per instrument tile (thermometer, blood pressure, oximeter, scale,
 * glucose meter): the picture and what to do. */
static const struct {
	const char *pic[2];
	const char *text[2];
} guides[CAB_VIEW_INSTRUMENTS] = {
    {{"guide/thermometer_1.svg", "guide/thermometer_2.svg"},
     {N_("1. Put the tip gently in your ear."),
      N_("2. Press the button and keep still until it beeps.")}},
    {{"guide/bp_1.svg", "guide/bp_2.svg"},
     {N_("1. Sit with your back against the chair, feet flat, your arm on the table. Rest and do not talk."),
      N_("2. Cuff on the bare upper arm, two fingers above the elbow, tube on the inside, snug but with room for one finger.")}},
    {{"guide/oximeter_1.svg", "guide/oximeter_2.svg"},
     {N_("1. Put your index finger in the clip, nail up, all the way in."),
      N_("2. Keep your hand still on the table until the value shows.")}},
    {{"guide/scale_1.svg", "guide/scale_2.svg"},
     {N_("1. Take off your shoes and anything heavy."),
      N_("2. Stand still in the middle of the scale, looking ahead.")}},
    {{"guide/glucose_1.svg", "guide/glucose_2.svg"},
     {N_("1. Wash and dry your hands, then put a test strip in the meter."),
      N_("2. Prick the side of a fingertip and touch the drop to the end of the strip.")}},
};

/* The instrument's state in plain words, with what to do. */
static const char *guide_state_text(const struct cab_view *v, const struct cab_tile *t)
{
	static char rest[160];
	if (t == &v->instruments[1] && v->bp_rest_s > 0) {
		snprintf(rest, sizeof rest, _("Rest first: the measurement starts by itself in %d:%02d. Stay seated, do not talk."),
		         v->bp_rest_s / 60, v->bp_rest_s % 60);
		return rest;
	}
	switch (t->state) {
	case CAB_TILE_BUSY:
		return N_("Measuring… keep still.");
	case CAB_TILE_OK:
		return N_("Done: you can remove it. The value is on the instrument's tile.");
	case CAB_TILE_FAILED:
		return N_("The measurement did not work. Check the steps above, then touch Measure again.");
	case CAB_TILE_ABSENT:
		return N_("This instrument is not answering: ask the pharmacist.");
	default:
		return N_("Follow the steps; the measurement starts on the instrument.");
	}
}
static struct ui_button measure[CAB_VIEW_INSTRUMENTS];
static const char *measure_names[CAB_VIEW_INSTRUMENTS] = {"measure/0", "measure/1", "measure/2",
                                                          "measure/3", "measure/4"};
static SDL_Rect doc_card, tiles[CAB_VIEW_INSTRUMENTS];
static char status_buf[320], doc_buf[256];

static bool measuring(const struct cab_view *v)
{
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++)
		if (v->instruments[i].state == CAB_TILE_BUSY)
			return true;
	return false;
}

/* The sentence saying where the patient stands now, in the UI language. */
static void status_text(const struct cab_view *v)
{
	char wait[160] = "";
	if (v->queue_position > 0 && !v->doctor.known) {
		if (v->queue_position == 1)
			snprintf(wait, sizeof wait, "%s", _("You are next in the queue."));
		else
			snprintf(wait, sizeof wait, _("You are number %d in the queue."), v->queue_position);
		if (v->queue_estimate_s > 0) {
			size_t n = strlen(wait);
			int min = (v->queue_estimate_s + 59) / 60;
			snprintf(wait + n, sizeof wait - n, " %s", "");
			n = strlen(wait);
			snprintf(wait + n, sizeof wait - n, _("About %d min."), min);
		}
	}
	const char *now;
	if (v->doctor.known && measuring(v))
		now = _("A measurement is under way: the call waits until it ends.");
	else if (v->doctor.known && v->patient_ready)
		now = _("You are ready: the call is starting.");
	else if (v->doctor.known)
		now = _("Your doctor is ready. Finish your measurements, then touch \"I'm ready\".");
	else if (v->released)
		now = _("The doctor has given you back to the queue: another doctor will see you. You keep your place.");
	else if (v->patient_ready)
		now = _("You are ready: the call starts as soon as a doctor is free.");
	else
		now = _("A doctor is coming. Meanwhile you can take your measurements: touch Measure on an instrument.");
	snprintf(status_buf, sizeof status_buf, "%s%s%s", wait, wait[0] ? "\n" : "", now);
}

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	status_text(v);
	ui_label_init(&status, status_buf, UI_T_BODY_BOLD);
	status.raw = 1;
	if (v->doctor.known)
		snprintf(doc_buf, sizeof doc_buf, "%s — %s · RPPS %s", v->doctor.name, v->doctor.specialty,
		         v->doctor.rpps);
	else
		doc_buf[0] = 0;
	ui_label_init(&doc, doc_buf, UI_T_H2);
	doc.raw = 1;
	ui_label_init(&refusal, N_("You chose not to send your measurements: you can still take them, "
	                           "they are shown only to you here and are not sent."),
	              UI_T_BODY);
	ui_label_init(&inst_head, N_("Instruments"), UI_T_BODY_BOLD);
	inst_head.color = t->primary_dark;
	ui_button_init(&ready, v->patient_ready ? N_("Ready") : N_("I'm ready"),
	               v->patient_ready ? UI_BTN_SELECTED : UI_BTN_PRIMARY, CAB_ACT_READY, 0);
	ready.w.name = "ready";
	if (v->patient_ready)
		ready.w.flags |= UI_W_DISABLED;
	/* the status card: what is happening, the doctor, "I'm ready" on the right */
	int rw = ui_button_pref_w(&ready, ctx);
	if (rw > body.w / 3)
		rw = body.w / 3;
	int textw = body.w - 2 * t->gap - rw - t->gap;
	int sh = ui_label_height(&status, ctx, textw);
	int dh = doc_buf[0] ? ui_label_height(&doc, ctx, textw) + t->gap / 2 : 0;
	int ch = sh + dh + 2 * t->gap;
	if (ch < t->button_h + 2 * t->gap)
		ch = t->button_h + 2 * t->gap;
	if (guide >= 0) { /* the guide takes the status card's place, and more room */
		const struct cab_tile *tl = &v->instruments[guide];
		ui_label_init(&guide_title, tl->name, UI_T_BODY_BOLD);
		guide_title.color = t->primary_dark;
		ui_label_init(&guide_state, guide_state_text(v, tl), UI_T_BODY_BOLD);
		guide_state.raw = tl == &v->instruments[1] && v->bp_rest_s > 0; /* already translated */
		guide_state.color = tl->state == CAB_TILE_FAILED ? t->error : tl->state == CAB_TILE_OK ? t->ok : t->ink;
		ui_button_init(&guide_close, N_("Close"), UI_BTN_SECONDARY, ACT_GUIDE_CLOSE, 0);
		guide_close.w.name = "guide_close";
		/* large text: the tiles keep three fifths of the room (their lines are taller) */
		int gh = t->large ? body.h * 2 / 5 : (body.h - t->gap) / 2;
		guide_card = ui_cut_top(&body, gh, t->gap);
		SDL_Rect gin = ui_inset(guide_card, t->gap);
		int cw = ui_button_pref_w(&guide_close, ctx);
		SDL_Rect top = ui_cut_top(&gin, t->target, t->gap / 2);
		guide_close.w.r = ui_cut_right(&top, cw, t->gap);
		guide_title.w.r = top;
		int sth = ui_label_height(&guide_state, ctx, gin.w);
		guide_state.w.r = ui_cut_bottom(&gin, sth, t->gap / 2);
		SDL_Rect col[2];
		ui_columns(gin, 2, t->gap, col);
		for (int k = 0; k < 2; k++) {
			ui_label_init(&guide_step[k], guides[guide].text[k], UI_T_SMALL);
			int pw = col[k].h * 4 / 3 < col[k].w / 3 ? col[k].h * 4 / 3 : col[k].w / 3;
			guide_pic[k] = ui_cut_left(&col[k], pw, t->gap / 2);
			guide_pic[k].h = pw * 3 / 4;
			guide_step[k].w.r = col[k];
		}
		ui_group_add(g, &guide_title.w);
		ui_group_add(g, &guide_close.w);
		ui_group_add(g, &guide_step[0].w);
		ui_group_add(g, &guide_step[1].w);
		ui_group_add(g, &guide_state.w);
	}
	doc_card = guide >= 0 ? (SDL_Rect){0, 0, 0, 0} : ui_cut_top(&body, ch, t->gap);
	SDL_Rect in = ui_inset(doc_card, t->gap);
	ready.w.r = (SDL_Rect){in.x + in.w - rw, in.y + (in.h - t->button_h) / 2, rw, t->button_h};
	in.w = textw;
	if (dh)
		doc.w.r = ui_cut_top(&in, dh - t->gap / 2, t->gap / 2);
	status.w.r = in;
	bool refused = v->consent_data == 1 && guide < 0;
	if (refused)
		refusal.w.r = ui_cut_top(&body, ui_label_height(&refusal, ctx, body.w), t->gap);
	int ihh = ui_label_height(&inst_head, ctx, body.w);
	inst_head.w.r = ui_cut_top(&body, ihh, t->gap);
	int cols = ui_grid_columns(body.w, CAB_VIEW_INSTRUMENTS, ui_px(t, 560), t->gap);
	int rows = (CAB_VIEW_INSTRUMENTS + cols - 1) / cols;
	int th = ui_px(t, 190);
	if (rows * th + (rows - 1) * t->gap > body.h) /* shrink the tiles, never past the window */
		th = (body.h - (rows - 1) * t->gap) / rows;
	/* never so short that the Measure button would fall under the touch-target floor:
	 * then the section heading gives its room back */
	if (th < t->target + t->gap) {
		body.y -= ihh + t->gap;
		body.h += ihh + t->gap;
		inst_head.w.flags |= UI_W_HIDDEN;
		th = (body.h - (rows - 1) * t->gap) / rows;
	}
	int gh = rows * th + (rows - 1) * t->gap;
	SDL_Rect grid = {body.x, body.y, body.w, gh};
	ui_grid(grid, CAB_VIEW_INSTRUMENTS, cols, t->gap, tiles);
	/* "Measure" on each tile whose instrument is there: asks it for a measurement */
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++) {
		ui_button_init(&measure[i], N_("Measure"),
		               v->requested_tile == i ? UI_BTN_PRIMARY : UI_BTN_SECONDARY, ACT_MEASURE, i);
		measure[i].w.name = measure_names[i];
		int bw = ui_button_pref_w(&measure[i], ctx);
		if (bw > tiles[i].w / 2)
			bw = tiles[i].w / 2;
		int bh = t->target > tiles[i].h - t->gap ? tiles[i].h - t->gap : t->target;
		measure[i].w.r = (SDL_Rect){tiles[i].x + tiles[i].w - bw - t->gap,
		                            tiles[i].y + tiles[i].h - bh - t->gap / 2, bw, bh};
		if (v->instruments[i].state == CAB_TILE_ABSENT)
			measure[i].w.flags |= UI_W_DISABLED;
	}
	if (doc_buf[0] && guide < 0)
		ui_group_add(g, &doc.w);
	if (guide < 0) {
		ui_group_add(g, &status.w);
		ui_group_add(g, &ready.w);
	}
	if (refused)
		ui_group_add(g, &refusal.w);
	ui_group_add(g, &inst_head.w);
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++)
		ui_group_add(g, &measure[i].w);
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	if (guide >= 0) {
		cab_draw_card(ctx, guide_card);
		for (int k = 0; k < 2; k++)
			ui_draw_image(ctx, guides[guide].pic[k], guide_pic[k]);
	} else {
		cab_draw_card(ctx, doc_card);
	}
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++) {
		cab_draw_tile_beside(ctx, &v->instruments[i], tiles[i], measure[i].w.r.w + ctx->th.gap);
		if (v->requested_tile == i) /* the doctor asks for this one */
			ui_stroke_round(ctx, tiles[i], ctx->th.radius, ctx->th.border * 3, ctx->th.primary);
	}
}

const char *cab_waiting_guide_step(int tile, int step)
{
	return tile >= 0 && tile < CAB_VIEW_INSTRUMENTS && step >= 0 && step < 2 ? guides[tile].text[step] : NULL;
}

static int action(struct ui_ctx *ctx, struct cab_view *v, int act, int arg)
{
	(void)ctx;
	(void)v;
	if (act == ACT_MEASURE && arg >= 0 && arg < CAB_VIEW_INSTRUMENTS) {
		guide = arg;
		return CAB_ACT_MEASURE; /* the instrument is asked at once; the steps show meanwhile */
	}
	if (act == ACT_GUIDE_CLOSE)
		guide = -1;
	return CAB_ACT_NONE;
}

static void enter(struct cab_view *v)
{
	(void)v;
	guide = -1;
}

const struct cab_screen cab_screen_waiting = {
    .name = "waiting_room",
    .say = N_("You are in the waiting room. You can take your measurements: touch Measure "
              "on an instrument. Touch I'm ready when you have finished."),
    .title = N_("Waiting room"),
    .chrome = CAB_CHROME_STOP,
    .layout = layout,
    .draw = draw,
    .action = action,
    .enter = enter,
};
