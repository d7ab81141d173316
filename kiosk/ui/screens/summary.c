/* summary.c — what was done: the doctor, how many measurements were sent, whether
 * the prescription was printed, and that the cabin now erases everything. */
#include <stdio.h>

#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

#define NL 5
static struct ui_label l[NL];
static SDL_Rect card;
static char doc_buf[200], sent_buf[200], meas_buf[600];

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	if (v->doctor.known)
		snprintf(doc_buf, sizeof doc_buf, _("You were seen by %s (%s)."), v->doctor.name,
		         v->doctor.specialty);
	else
		snprintf(doc_buf, sizeof doc_buf, "%s", _("The consultation has ended."));
	/* what was measured, as the tiles showed it, and whether it left the cabin */
	size_t used = 0;
	meas_buf[0] = 0;
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++) {
		const struct cab_tile *tl = &v->instruments[i];
		if (tl->state != CAB_TILE_OK || !tl->detail[0] || used >= sizeof meas_buf)
			continue;
		int k = snprintf(meas_buf + used, sizeof meas_buf - used, "%s%s: %s", used ? "\n" : "",
		                 _(tl->name), tl->detail);
		if (k > 0)
			used += (size_t)k;
	}
	if (!used)
		snprintf(meas_buf, sizeof meas_buf, "%s", _("No measurement was taken."));
	if (v->consent_data == 1)
		snprintf(sent_buf, sizeof sent_buf, "%s",
		         _("You chose not to send your measurements: none left the cabin."));
	else
		snprintf(sent_buf, sizeof sent_buf,
		         ngettext("%d measurement was sent to the doctor.",
		                  "%d measurements were sent to the doctor.",
		                  (unsigned long)v->readings_sent),
		         v->readings_sent);
	ui_label_init(&l[0], doc_buf, UI_T_H2);
	l[0].raw = 1;
	ui_label_init(&l[1], meas_buf, UI_T_BODY_BOLD);
	l[1].raw = 1;
	ui_label_init(&l[4], sent_buf, UI_T_BODY);
	l[4].raw = 1;
	/* the prescription on paper, as it went (kiosk/app/bind_print.c) */
	const char *rx = N_("If the doctor writes a prescription, it is sent to you by secure "
	                    "messaging or to this pharmacy. Ask the pharmacist if you have a "
	                    "question.");
	if (v->rx.state == CAB_RX_PRINTED)
		rx = N_("Prescription printed: take it from the printer's tray.");
	else if (v->rx.state != CAB_RX_NONE)
		rx = N_("Prescription not printed: the doctor keeps it and can send it to you. "
		        "Ask the pharmacist if you need it on paper.");
	ui_label_init(&l[2], rx, UI_T_BODY);
	ui_label_init(&l[3], N_("When you press Finish, the cabin erases everything about you."),
	              UI_T_BODY_BOLD);
	l[3].color = t->primary_dark;
	int w = body.w > ui_px(t, 1400) ? ui_px(t, 1400) : body.w;
	static const int order[NL] = {0, 1, 4, 2, 3};
	struct ui_label *ls[NL];
	for (int i = 0; i < NL; i++)
		ls[i] = &l[order[i]];
	int in_w = w - 2 * t->pad;
	/* one screen in both languages: the text shrinks rather than scroll */
	cab_fit_labels(ctx, ls, NL, in_w, body.h - 2 * t->pad, t->gap);
	int total = 0;
	for (int i = 0; i < NL; i++) {
		total += ui_label_height(ls[i], ctx, in_w) + (i ? t->gap : 0);
	}
	card = ui_center(body, w, total + 2 * t->pad);
	SDL_Rect in = ui_inset(card, t->pad);
	for (int i = 0; i < NL; i++) {
		ls[i]->w.r = ui_cut_top(&in, ui_label_height(ls[i], ctx, in.w), t->gap);
		ui_group_add(g, &ls[i]->w);
	}
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	(void)v;
	cab_draw_card(ctx, card);
}

static const char *next_label(const struct cab_view *v)
{
	(void)v;
	return N_("Finish");
}

const struct cab_screen cab_screen_summary = {
    .name = "summary", .say = N_("Your consultation is over. Touch Finish when you are ready."),
    .title = N_("Your consultation is over"),
    .chrome = CAB_CHROME_STOP | CAB_CHROME_NEXT,
    .next_label = next_label,
    .layout = layout,
    .draw = draw,
};
