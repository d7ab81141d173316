/* checks.c — camera, sound and network are checked before the doctor is called;
 * each tile shows its state as the app's check runner reports it. */
#include "kiosk/ui/button.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

static struct ui_label intro, status;
static struct ui_button retry;
static SDL_Rect tiles[CAB_VIEW_CHECKS];

static bool all_ok(const struct cab_view *v)
{
	for (int i = 0; i < CAB_VIEW_CHECKS; i++)
		if (v->checks[i].state != CAB_TILE_OK)
			return false;
	return true;
}

static bool any_failed(const struct cab_view *v)
{
	for (int i = 0; i < CAB_VIEW_CHECKS; i++)
		if (v->checks[i].state == CAB_TILE_FAILED)
			return true;
	return false;
}

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	ui_label_init(&intro, N_("The cabin checks that the doctor will see and hear you, and that "
	                         "the connection works. Please sit facing the screen."),
	              UI_T_BODY);
	ui_label_init(&status, all_ok(v) ? N_("Everything works. You can continue.")
	                       : any_failed(v) ? N_("Something does not work. Try again, or ask the pharmacist for help.")
	                                       : N_("Checking…"),
	              UI_T_BODY_BOLD);
	status.color = all_ok(v) ? t->ok : any_failed(v) ? t->error : t->ink_soft;
	int ih = ui_label_height(&intro, ctx, body.w);
	intro.w.r = ui_cut_top(&body, ih, t->pad);
	int sh = ui_label_height(&status, ctx, body.w);
	SDL_Rect bottom = ui_cut_bottom(&body, t->button_h, t->gap);
	status.w.r = ui_cut_bottom(&body, sh, t->gap);
	int tile_h = ui_px(t, 240);
	if (t->portrait) {
		SDL_Rect b = ui_center(body, body.w, 3 * tile_h + 2 * t->gap);
		ui_rows(b, CAB_VIEW_CHECKS, t->gap, tiles);
	} else {
		SDL_Rect b = ui_center(body, body.w, tile_h);
		ui_columns(b, CAB_VIEW_CHECKS, t->gap, tiles);
	}
	ui_group_add(g, &intro.w);
	ui_group_add(g, &status.w);
	if (any_failed(v)) {
		ui_button_init(&retry, N_("Try again"), UI_BTN_SECONDARY, CAB_ACT_CHECKS_RETRY, 0);
		retry.w.name = "retry";
		int w = ui_button_pref_w(&retry, ctx);
		retry.w.r = (SDL_Rect){bottom.x + (bottom.w - w) / 2, bottom.y, w, bottom.h};
		ui_group_add(g, &retry.w);
	}
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	for (int i = 0; i < CAB_VIEW_CHECKS; i++)
		cab_draw_tile(ctx, &v->checks[i], tiles[i]);
}

const struct cab_screen cab_screen_checks = {
    .name = "checks", .say = N_("We are checking the camera, the sound and the connection. Please wait."),
    .title = N_("Checking the camera, sound and connection"),
    .chrome = CAB_CHROME_STOP | CAB_CHROME_NEXT,
    .next_enabled = all_ok,
    .layout = layout,
    .draw = draw,
};
