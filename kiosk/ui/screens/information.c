/* information.c — what the patient must know before agreeing (Code de la santé
 * publique L.1111-2 and R.6316-2: information before a teleconsultation): what a
 * teleconsultation is, the doctor, what is sent and to whom, the fee and its
 * coverage, how data is handled, and that they may refuse. */
#include <stdio.h>

#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

#define CARDS 6

static struct ui_label head[CARDS], text[CARDS];
static SDL_Rect cards[CARDS];
static char doctor_buf[320], fee_buf[640];

static const char *const heads[CARDS] = {
    N_("What is a teleconsultation?"), N_("Your doctor"),          N_("What is sent, and to whom"),
    N_("Fee and reimbursement"),       N_("Your data"),            N_("Your choice"),
};

static void texts(struct cab_view *v, const char **out)
{
	out[0] = _("A doctor sees and hears you by video, from their practice. The cabin's "
	           "instruments (thermometer, blood pressure monitor, pulse oximeter, scale) "
	           "send your measurements to the doctor as you take them.");
	if (v->doctor.known)
		snprintf(doctor_buf, sizeof doctor_buf, _("%s, %s. RPPS number: %s."), v->doctor.name,
		         v->doctor.specialty, v->doctor.rpps[0] ? v->doctor.rpps : "—");
	else
		snprintf(doctor_buf, sizeof doctor_buf, "%s",
		         _("Assigned when the call starts: you will see their name, specialty and RPPS "
		           "number before the consultation begins."));
	out[1] = doctor_buf;
	out[2] = _("Only to the doctor who treats you, over an encrypted link: your identity, "
	           "the video and sound of the call, and your measurements. Nothing is sent "
	           "before you agree.");
	char fee[32];
	cab_view_format_fee(v->fee_cents, ui_i18n_lang(), fee, sizeof fee);
	snprintf(fee_buf, sizeof fee_buf,
	         _("The consultation costs %s. The Assurance Maladie reimburses it like a "
	           "consultation at the practice, within the coordinated care pathway; your "
	           "complementary health insurance pays the rest. With your Carte Vitale, "
	           "tiers payant applies: you pay nothing up front; without one, you pay the "
	           "pharmacist."),
	         fee);
	out[3] = fee_buf;
	out[4] = _("Only what the doctor needs is collected. It is encrypted in the cabin and on "
	           "the way. Once the doctor has received your record, the cabin erases "
	           "everything about you.");
	out[5] = _("You may refuse the teleconsultation, or stop at any time with the Stop button. "
	           "Refusing has no effect on your care.");
}

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	const char *tx[CARDS];
	texts(v, tx);
	int cols = t->portrait ? 1 : 2;
	int rows = CARDS / cols;
	int pad = t->gap * 3 / 4; /* inside each card */
	int cw = (body.w - (cols - 1) * t->gap) / cols, inner = cw - 2 * pad;
	for (int i = 0; i < CARDS; i++) {
		ui_label_init(&head[i], heads[i], UI_T_BODY_BOLD);
		head[i].color = t->primary_dark;
		ui_label_init(&text[i], tx[i], UI_T_BODY);
		text[i].raw = 1;
	}
	/* rows take the height of their tallest card; one font scale for all cards: the
	 * largest with which every row fits the body */
	int rh[CARDS];
	for (float fit = 1.0f; fit > 0.55f; fit -= 0.02f) {
		int total = (rows - 1) * t->gap;
		for (int r = 0; r < rows; r++) {
			rh[r] = 0;
			for (int c = 0; c < cols; c++) {
				int i = r * cols + c;
				head[i].fit = text[i].fit = fit;
				int h = ui_label_height(&head[i], ctx, inner) + t->gap / 4 +
				        ui_label_height(&text[i], ctx, inner) + 2 * pad;
				if (h > rh[r])
					rh[r] = h;
			}
			total += rh[r];
		}
		if (total <= body.h) {
			int spare = (body.h - total) / rows; /* share what is left */
			for (int r = 0; r < rows; r++)
				rh[r] += spare;
			break;
		}
	}
	SDL_Rect grid[CARDS];
	int y = body.y;
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c++)
			grid[r * cols + c] = (SDL_Rect){body.x + c * (cw + t->gap), y, cw, rh[r]};
		y += rh[r] + t->gap;
	}
	for (int i = 0; i < CARDS; i++) {
		cards[i] = grid[i];
		SDL_Rect in = ui_inset(grid[i], pad);
		int hh = ui_label_height(&head[i], ctx, in.w);
		head[i].w.r = ui_cut_top(&in, hh, t->gap / 4);
		text[i].w.r = in;
		ui_group_add(g, &head[i].w);
		ui_group_add(g, &text[i].w);
	}
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	(void)v;
	for (int i = 0; i < CARDS; i++)
		cab_draw_card(ctx, cards[i]);
}

const struct cab_screen cab_screen_information = {
    .name = "information", .say = N_("Read how the teleconsultation works, then touch Continue."),
    .title = N_("Before you start"),
    .chrome = CAB_CHROME_STOP | CAB_CHROME_BACK | CAB_CHROME_NEXT,
    .layout = layout,
    .draw = draw,
};
