/* layout.c — rectangle arithmetic (see layout.h). */
#include "kiosk/ui/layout.h"

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

SDL_Rect ui_inset(SDL_Rect r, int d)
{
	int dx = clampi(d, 0, r.w / 2), dy = clampi(d, 0, r.h / 2);
	return (SDL_Rect){r.x + dx, r.y + dy, r.w - 2 * dx, r.h - 2 * dy};
}

SDL_Rect ui_cut_top(SDL_Rect *r, int h, int gap)
{
	h = clampi(h, 0, r->h);
	SDL_Rect band = {r->x, r->y, r->w, h};
	int used = clampi(h + gap, 0, r->h);
	r->y += used;
	r->h -= used;
	return band;
}

SDL_Rect ui_cut_bottom(SDL_Rect *r, int h, int gap)
{
	h = clampi(h, 0, r->h);
	SDL_Rect band = {r->x, r->y + r->h - h, r->w, h};
	r->h -= clampi(h + gap, 0, r->h);
	return band;
}

SDL_Rect ui_cut_left(SDL_Rect *r, int w, int gap)
{
	w = clampi(w, 0, r->w);
	SDL_Rect band = {r->x, r->y, w, r->h};
	int used = clampi(w + gap, 0, r->w);
	r->x += used;
	r->w -= used;
	return band;
}

SDL_Rect ui_cut_right(SDL_Rect *r, int w, int gap)
{
	w = clampi(w, 0, r->w);
	SDL_Rect band = {r->x + r->w - w, r->y, w, r->h};
	r->w -= clampi(w + gap, 0, r->w);
	return band;
}

void ui_columns(SDL_Rect r, int n, int gap, SDL_Rect *out)
{
	if (n <= 0)
		return;
	int each = (r.w - gap * (n - 1)) / n;
	for (int i = 0; i < n; i++) {
		int x = r.x + i * (each + gap);
		out[i] = (SDL_Rect){x, r.y, i == n - 1 ? r.x + r.w - x : each, r.h};
	}
}

void ui_rows(SDL_Rect r, int n, int gap, SDL_Rect *out)
{
	if (n <= 0)
		return;
	int each = (r.h - gap * (n - 1)) / n;
	for (int i = 0; i < n; i++) {
		int y = r.y + i * (each + gap);
		out[i] = (SDL_Rect){r.x, y, r.w, i == n - 1 ? r.y + r.h - y : each};
	}
}

SDL_Rect ui_center(SDL_Rect r, int w, int h)
{
	w = clampi(w, 0, r.w);
	h = clampi(h, 0, r.h);
	return (SDL_Rect){r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h};
}

int ui_grid_columns(int width, int count, int min_w, int gap)
{
	if (count <= 1 || min_w <= 0)
		return 1;
	int cols = (width + gap) / (min_w + gap);
	return clampi(cols, 1, count);
}

void ui_grid(SDL_Rect r, int count, int cols, int gap, SDL_Rect *out)
{
	if (count <= 0)
		return;
	if (cols < 1)
		cols = 1;
	int rows = (count + cols - 1) / cols;
	SDL_Rect rr[16], cc[16];
	if (rows > 16 || cols > 16)
		return;
	ui_rows(r, rows, gap, rr);
	for (int i = 0; i < count; i++) {
		ui_columns(rr[i / cols], cols, gap, cc);
		out[i] = cc[i % cols];
	}
}
