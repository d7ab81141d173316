/* consent.c — two explicit, separate answers: the teleconsultation itself, and the
 * sending of the instruments' readings (RGPD art. 9(2)(a) and 7: explicit, specific
 * consent; CSP R.6316-2: consent to the teleconsultation). Nothing is pre-ticked;
 * "Confirm" stays disabled until both are answered. */
#include <stdio.h>

#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/radio.h"
#include "kiosk/ui/screen.h"

/* The radios write the answers into the view; their actions only mark a redraw. */
enum { ACT_TELE = CAB_ACT_SCREEN_BASE, ACT_DATA };

/* The consent text: what cab_screen_consent_text() hashes is exactly what shows. */
static const char *const TITLE = N_("Your consent");
static const char *const Q1 = N_("Do you agree to a teleconsultation by video with a doctor?");
static const char *const Q2 = N_("Do you agree that your measurements from the cabin's instruments "
                                 "are sent to this doctor?");
static const char *const NOTE = N_("If you refuse the teleconsultation, the session ends and "
                                   "nothing is kept. You may refuse the measurements and still "
                                   "see the doctor.");
static const char *const YES = N_("Yes, I agree");
static const char *const NO = N_("No, I refuse");

size_t cab_screen_consent_text(char *buf, size_t n)
{
	int k = snprintf(buf, n, "%s\n%s\n%s / %s\n%s\n%s / %s\n%s\n", _(TITLE), _(Q1), _(YES),
	                 _(NO), _(Q2), _(YES), _(NO), _(NOTE));
	return k < 0 ? 0 : (size_t)k;
}

static struct ui_label q1, q2, note;
static struct ui_radio r1, r2;
static SDL_Rect card1, card2;

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	ui_label_init(&q1, Q1, UI_T_H2);
	ui_label_init(&q2, Q2, UI_T_H2);
	ui_label_init(&note, NOTE, UI_T_BODY);
	note.color = t->ink_soft;
	ui_radio_init(&r1, &v->consent_tele, ACT_TELE);
	ui_radio_add(&r1, YES);
	ui_radio_add(&r1, NO);
	r1.w.name = "radio:consent_tele";
	ui_radio_init(&r2, &v->consent_data, ACT_DATA);
	r2.w.name = "radio:consent_data";
	ui_radio_add(&r2, YES);
	ui_radio_add(&r2, NO);
	int rw = t->portrait ? body.w - 2 * t->pad : body.w * 2 / 3;
	int nh = ui_label_height(&note, ctx, body.w);
	SDL_Rect b = body;
	note.w.r = ui_cut_bottom(&b, nh, t->gap);
	SDL_Rect halves[2];
	if (t->portrait) /* tall screens: the two questions close together, centred */
		b = ui_center(b, b.w, b.h * 3 / 5);
	ui_rows(b, 2, t->gap, halves);
	struct ui_label *q[2] = {&q1, &q2};
	struct ui_radio *r[2] = {&r1, &r2};
	SDL_Rect *cards[2] = {&card1, &card2};
	for (int i = 0; i < 2; i++) {
		SDL_Rect in = ui_inset(halves[i], t->pad / 2);
		int qh = ui_label_height(q[i], ctx, in.w);
		int total = qh + t->gap + t->button_h;
		if (total > in.h) {
			q[i]->fit = 0.8f;
			qh = ui_label_height(q[i], ctx, in.w);
			total = qh + t->gap + t->button_h;
		}
		SDL_Rect c = ui_center(in, in.w, total);
		*cards[i] = (SDL_Rect){halves[i].x, c.y - t->pad / 2, halves[i].w, total + t->pad};
		q[i]->w.r = ui_cut_top(&c, qh, t->gap);
		r[i]->w.r = (SDL_Rect){c.x, c.y, rw, t->button_h};
		ui_group_add(g, &q[i]->w);
		ui_group_add(g, &r[i]->w);
	}
	ui_group_add(g, &note.w);
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	(void)v;
	cab_draw_card(ctx, card1);
	cab_draw_card(ctx, card2);
}

static bool enabled(const struct cab_view *v)
{
	return v->consent_tele >= 0 && v->consent_data >= 0;
}

static const char *next_label(const struct cab_view *v)
{
	(void)v;
	return N_("Confirm my answers");
}

const struct cab_screen cab_screen_consent = {
    .name = "consent", .say = N_("Answer the two questions, then touch Confirm."),
    .title = TITLE,
    .chrome = CAB_CHROME_STOP | CAB_CHROME_BACK | CAB_CHROME_NEXT,
    .next_label = next_label,
    .next_enabled = enabled,
    .layout = layout,
    .draw = draw,
};
