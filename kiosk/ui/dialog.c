/* dialog.c — modal dialog (see dialog.h). */
#include "kiosk/ui/dialog.h"

void ui_dialog_init(struct ui_dialog *d, const char *title, const char *body, int body_raw)
{
	ui_group_clear(&d->g);
	ui_label_init(&d->title, title, UI_T_H1);
	ui_label_init(&d->body, body, UI_T_BODY);
	d->body.raw = body_raw;
	ui_label_init(&d->extra, NULL, UI_T_HUGE);
	d->extra.raw = 1;
	d->extra.align = UI_CENTER;
	d->nbtn = 0;
	d->band = (struct ui_rgba){0, 0, 0, 0};
	d->icon = NULL;
	ui_group_add(&d->g, &d->title.w);
	ui_group_add(&d->g, &d->body.w);
	ui_group_add(&d->g, &d->extra.w);
}

void ui_dialog_button(struct ui_dialog *d, const char *label, enum ui_button_style style, int action)
{
	if (d->nbtn >= UI_DIALOG_BUTTONS)
		return;
	ui_button_init(&d->btn[d->nbtn], label, style, action, 0);
	ui_group_add(&d->g, &d->btn[d->nbtn].w);
	d->nbtn++;
}

void ui_dialog_layout(struct ui_dialog *d, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	int pw = t->w - 2 * t->pad;
	int maxw = ui_px(t, 1300);
	if (pw > maxw)
		pw = maxw;
	int inner = pw - 2 * t->pad;
	int icon = d->icon ? t->fs_h1 * 2 : 0;
	int title_w = inner - (icon ? icon + t->gap : 0);
	int th = ui_label_height(&d->title, ctx, title_w);
	if (th < icon)
		th = icon;
	int bh = ui_label_height(&d->body, ctx, inner);
	int eh = d->extra.text && d->extra.text[0] ? ui_label_height(&d->extra, ctx, inner) : 0;
	/* buttons side by side if their labels fit, else stacked */
	int need = 0;
	for (int i = 0; i < d->nbtn; i++)
		need += ui_button_pref_w(&d->btn[i], ctx) + t->gap;
	bool row = need <= inner + t->gap;
	int btn_area = d->nbtn == 0 ? 0 : row ? t->button_h : d->nbtn * (t->button_h + t->gap) - t->gap;
	int ph = t->pad + th + t->gap + bh + (eh ? t->gap + eh : 0) + t->pad + btn_area + t->pad;
	if (ph > t->h - 2 * t->gap)
		ph = t->h - 2 * t->gap;
	d->panel = (SDL_Rect){(t->w - pw) / 2, (t->h - ph) / 2, pw, ph};
	int x = d->panel.x + t->pad, y = d->panel.y + t->pad;
	d->title.w.r = (SDL_Rect){x + (icon ? icon + t->gap : 0), y + (th - ui_label_height(&d->title, ctx, title_w)) / 2, title_w, th};
	y += th + t->gap;
	d->body.w.r = (SDL_Rect){x, y, inner, bh};
	y += bh;
	d->extra.w.r = (SDL_Rect){x, y + t->gap, inner, eh};
	d->extra.w.flags = eh ? UI_W_INERT : (UI_W_INERT | UI_W_HIDDEN);
	int by = d->panel.y + d->panel.h - t->pad - btn_area;
	if (row) {
		int bw = (inner - t->gap * (d->nbtn - 1)) / (d->nbtn ? d->nbtn : 1);
		for (int i = 0; i < d->nbtn; i++)
			d->btn[i].w.r = (SDL_Rect){x + i * (bw + t->gap), by, bw, t->button_h};
	} else {
		for (int i = 0; i < d->nbtn; i++)
			d->btn[i].w.r = (SDL_Rect){x, by + i * (t->button_h + t->gap), inner, t->button_h};
	}
}

void ui_dialog_draw(struct ui_dialog *d, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	SDL_Rect all = {0, 0, t->w, t->h};
	ui_fill_rect(ctx, all, t->shade);
	ui_fill_round(ctx, d->panel, t->radius * 2, t->surface);
	SDL_Rect band = {d->panel.x, d->panel.y, d->panel.w, t->radius * 2};
	ui_fill_round(ctx, band, t->radius, d->band.a ? d->band : t->primary);
	SDL_Rect band2 = {d->panel.x, d->panel.y + t->radius, d->panel.w, t->radius};
	ui_fill_rect(ctx, band2, t->surface);
	if (d->icon) {
		int s = t->fs_h1 * 2;
		SDL_Rect ir = {d->panel.x + t->pad, d->title.w.r.y + (d->title.w.r.h - s) / 2, s, s};
		if (ir.y < d->panel.y + t->pad)
			ir.y = d->panel.y + t->pad;
		ui_draw_image(ctx, d->icon, ir);
	}
	ui_group_draw(&d->g, ctx);
}

bool ui_dialog_input(struct ui_dialog *d, const struct ui_input *in, struct ui_ctx *ctx)
{
	ui_group_input(&d->g, in, ctx);
	return true;
}
