/* ended.c — the polite ending after a refusal, a stop, a failed check or a
 * timeout: why it ended, that nothing was kept, where to get help. */
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

static struct ui_label why, help;
static SDL_Rect card;

static const char *reason_text(enum cab_flow_end e)
{
	switch (e) {
	case CAB_END_DECLINED:
		return N_("You declined the teleconsultation. That is your right: nothing has been "
		          "sent and nothing is kept.");
	case CAB_END_STOPPED:
		return N_("You stopped the session. Nothing is kept.");
	case CAB_END_CHECKS_FAILED:
		return N_("The cabin could not set up the video call. Nothing has been sent and "
		          "nothing is kept.");
	case CAB_END_TIMEOUT:
		return N_("The session stopped because nobody answered. Nothing is kept.");
	case CAB_END_ABORTED:
		return N_("The session was cancelled. Nothing is kept.");
	default:
		return N_("The session has ended. Nothing is kept.");
	}
}

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	ui_label_init(&why, reason_text(v->end_reason), UI_T_H2);
	why.align = UI_CENTER;
	ui_label_init(&help, N_("If you need care, the pharmacist can advise you or direct you to a "
	                        "doctor. In an emergency, call 15 or 112."),
	              UI_T_BODY);
	help.align = UI_CENTER;
	help.color = t->ink_soft;
	int w = body.w > ui_px(t, 1300) ? ui_px(t, 1300) : body.w;
	int in_w = w - 2 * t->pad;
	int h1 = ui_label_height(&why, ctx, in_w), h2 = ui_label_height(&help, ctx, in_w);
	card = ui_center(body, w, h1 + h2 + t->pad * 3);
	SDL_Rect in = ui_inset(card, t->pad);
	why.w.r = ui_cut_top(&in, h1, t->pad);
	help.w.r = in;
	ui_group_add(g, &why.w);
	ui_group_add(g, &help.w);
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	(void)v;
	cab_draw_card(ctx, card);
}

static const char *next_label(const struct cab_view *v)
{
	(void)v;
	return N_("OK");
}

const struct cab_screen cab_screen_ended = {
    .name = "ended", .say = N_("Thank you. The session has ended and nothing is kept here."),
    .title = N_("Thank you"),
    .chrome = CAB_CHROME_STOP | CAB_CHROME_NEXT,
    .next_label = next_label,
    .layout = layout,
    .draw = draw,
};
