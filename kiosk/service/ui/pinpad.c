/* pinpad.c — the pharmacist's PIN pad (see pinpad.h). */
#include "kiosk/service/ui/pinpad.h"

#include <stdio.h>

#include "kiosk/ui/i18n.h"
#include "kiosk/ui/layout.h"

static const char *const key_text[12] = {"1", "2", "3", "4",         "5", "6",
                                         "7", "8", "9", N_("Erase"), "0", N_("OK")};

void svc_pinpad_init(struct svc_pinpad *p, const char *title, bool cancellable)
{
	ui_group_clear(&p->g);
	ui_label_init(&p->title, title, UI_T_H2);
	p->title.align = UI_CENTER;
	ui_label_init(&p->message, p->msg, UI_T_SMALL);
	p->message.raw = 1;
	p->message.align = UI_CENTER;
	ui_group_add(&p->g, &p->title.w);
	ui_group_add(&p->g, &p->message.w);
	for (int i = 0; i < 12; i++) {
		bool digit = i < 9 || i == 10;
		int d = i < 9 ? i + 1 : 0;
		ui_button_init(&p->key[i], key_text[i], i == 11 ? UI_BTN_PRIMARY : UI_BTN_SECONDARY,
		               digit    ? SVC_ACT_DIGIT
		               : i == 9 ? SVC_ACT_ERASE
		                        : SVC_ACT_OK,
		               d);
		p->key[i].raw = digit;
		ui_group_add(&p->g, &p->key[i].w);
	}
	p->cancellable = cancellable;
	ui_button_init(&p->cancel, N_("Cancel"), UI_BTN_FLAT, SVC_ACT_CANCEL, 0);
	if (cancellable)
		ui_group_add(&p->g, &p->cancel.w);
	ui_button_init(&p->tech, N_("Technician"), UI_BTN_FLAT, SVC_ACT_TECHNICIAN, 0);
	ui_group_add(&p->g, &p->tech.w);
	p->digits = 0;
}

void svc_pinpad_layout(struct svc_pinpad *p, struct ui_ctx *ctx, SDL_Rect area)
{
	const struct ui_theme *t = &ctx->th;
	int key = t->button_h * 6 / 5;
	int grid_w = 3 * key * 3 / 2 + 2 * t->gap;
	int pw = grid_w + 2 * t->pad;
	int th = ui_label_height(&p->title, ctx, grid_w);
	p->message.text = p->msg;
	int mh = ui_label_height(&p->message, ctx, grid_w);
	if (mh < ui_px(t, 40) * 2)
		mh = ui_px(t, 40) * 2; /* room for two lines even when empty: the keys stay put */
	int dots = ui_px(t, 50);
	int ph = t->pad + th + t->gap + dots + t->gap + mh + t->gap + 4 * key + 3 * t->gap +
	         t->gap + t->button_h + t->pad;
	if (ph > area.h)
		ph = area.h;
	p->panel = ui_center(area, pw, ph);
	int x = p->panel.x + t->pad, y = p->panel.y + t->pad;
	p->title.w.r = (SDL_Rect){x, y, grid_w, th};
	y += th + t->gap;
	p->dots = (SDL_Rect){x, y, grid_w, dots};
	y += dots + t->gap;
	p->message.text = p->msg;
	p->message.color = p->msg_color;
	p->message.w.r = (SDL_Rect){x, y, grid_w, mh};
	y += mh + t->gap;
	SDL_Rect grid = {x, y, grid_w, 4 * key + 3 * t->gap}, cells[12];
	ui_grid(grid, 12, 3, t->gap, cells);
	for (int i = 0; i < 12; i++) {
		p->key[i].w.r = cells[i];
		p->key[i].font_px = i < 9 || i == 10 ? t->fs_h1 : t->fs_button;
	}
	y += grid.h + t->gap;
	SDL_Rect row = {x, y, grid_w, t->button_h}, cols[2];
	ui_columns(row, 2, t->gap, cols);
	if (p->cancellable) {
		p->cancel.w.r = cols[0];
		p->tech.w.r = cols[1];
	} else {
		p->tech.w.r = row;
	}
	p->cancel.font_px = p->tech.font_px = t->fs_body;
}

void svc_pinpad_draw(struct svc_pinpad *p, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	ui_fill_round(ctx, p->panel, t->radius * 2, t->surface);
	ui_stroke_round(ctx, p->panel, t->radius * 2, t->border, t->primary);
	int r = p->dots.h / 4, step = r * 3;
	int n = p->digits ? (int)p->digits : 6;
	int x0 = p->dots.x + (p->dots.w - (n - 1) * step) / 2, cy = p->dots.y + p->dots.h / 2;
	for (int i = 0; i < n; i++) {
		if ((unsigned)i < p->digits)
			ui_fill_circle(ctx, x0 + i * step, cy, r, t->primary_dark);
		else
			ui_fill_circle(ctx, x0 + i * step, cy, r / 3, t->line);
	}
	ui_group_draw(&p->g, ctx);
}
