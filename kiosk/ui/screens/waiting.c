/* waiting.c — the waiting room: the doctor (or "assigned when the call starts"),
 * and the instruments the patient can already use, each tile showing its state and
 * the last reading the flow reports. */
#include <stdio.h>

#include "kiosk/ui/button.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

static struct ui_label msg, doc_head, doc, inst_head;
static struct ui_button measure[CAB_VIEW_INSTRUMENTS];
static const char *measure_names[CAB_VIEW_INSTRUMENTS] = {"measure/0", "measure/1", "measure/2",
                                                          "measure/3", "measure/4"};
static SDL_Rect doc_card, tiles[CAB_VIEW_INSTRUMENTS];
static char doc_buf[256];

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	ui_label_init(&msg, N_("A doctor will be with you shortly. Meanwhile you can take your "
	                       "measurements: follow the instructions on each instrument."),
	              UI_T_BODY);
	ui_label_init(&doc_head, N_("Your doctor"), UI_T_BODY_BOLD);
	doc_head.color = t->primary_dark;
	if (v->doctor.known)
		snprintf(doc_buf, sizeof doc_buf, "%s — %s\nRPPS %s", v->doctor.name, v->doctor.specialty,
		         v->doctor.rpps);
	else
		snprintf(doc_buf, sizeof doc_buf, "%s", _("Assigned when the call starts"));
	ui_label_init(&doc, doc_buf, UI_T_H2);
	doc.raw = 1;
	ui_label_init(&inst_head, N_("Instruments"), UI_T_BODY_BOLD);
	inst_head.color = t->primary_dark;
	int mh = ui_label_height(&msg, ctx, body.w);
	msg.w.r = ui_cut_top(&body, mh, t->gap);
	int dh = ui_label_height(&doc, ctx, body.w - 2 * t->pad) +
	         ui_label_height(&doc_head, ctx, body.w) + t->gap * 2;
	doc_card = ui_cut_top(&body, dh + t->gap, t->pad);
	SDL_Rect in = ui_inset(doc_card, t->gap);
	doc_head.w.r = ui_cut_top(&in, ui_label_height(&doc_head, ctx, in.w), t->gap / 2);
	doc.w.r = in;
	int ihh = ui_label_height(&inst_head, ctx, body.w);
	inst_head.w.r = ui_cut_top(&body, ihh, t->gap);
	int cols = ui_grid_columns(body.w, CAB_VIEW_INSTRUMENTS, ui_px(t, 560), t->gap);
	int rows = (CAB_VIEW_INSTRUMENTS + cols - 1) / cols;
	int th = ui_px(t, 190);
	if (rows * th + (rows - 1) * t->gap > body.h) /* shrink the tiles, never past the window */
		th = (body.h - (rows - 1) * t->gap) / rows;
	int gh = rows * th + (rows - 1) * t->gap;
	SDL_Rect grid = {body.x, body.y, body.w, gh};
	ui_grid(grid, CAB_VIEW_INSTRUMENTS, cols, t->gap, tiles);
	/* "Measure" on each tile whose instrument is there: asks it for a measurement */
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++) {
		ui_button_init(&measure[i], N_("Measure"),
		               v->requested_tile == i ? UI_BTN_PRIMARY : UI_BTN_SECONDARY, CAB_ACT_MEASURE, i);
		measure[i].w.name = measure_names[i];
		int bw = ui_button_pref_w(&measure[i], ctx);
		if (bw > tiles[i].w / 2)
			bw = tiles[i].w / 2;
		int bh = t->target > tiles[i].h / 2 ? tiles[i].h / 2 : t->target;
		measure[i].w.r = (SDL_Rect){tiles[i].x + tiles[i].w - bw - t->gap,
		                            tiles[i].y + tiles[i].h - bh - t->gap / 2, bw, bh};
		if (v->instruments[i].state == CAB_TILE_ABSENT)
			measure[i].w.flags |= UI_W_DISABLED;
	}
	ui_group_add(g, &msg.w);
	ui_group_add(g, &doc_head.w);
	ui_group_add(g, &doc.w);
	ui_group_add(g, &inst_head.w);
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++)
		ui_group_add(g, &measure[i].w);
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	cab_draw_card(ctx, doc_card);
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++) {
		cab_draw_tile_beside(ctx, &v->instruments[i], tiles[i], measure[i].w.r.w + ctx->th.gap);
		if (v->requested_tile == i) /* the doctor asks for this one */
			ui_stroke_round(ctx, tiles[i], ctx->th.radius, ctx->th.border * 3, ctx->th.primary);
	}
}

const struct cab_screen cab_screen_waiting = {
    .name = "waiting_room",
    .say = N_("You are in the waiting room. You can take your measurements: touch Measure "
              "on an instrument."),
    .title = N_("Waiting room"),
    .chrome = CAB_CHROME_STOP,
    .layout = layout,
    .draw = draw,
};
