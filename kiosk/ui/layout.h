/* layout.h — pure rectangle arithmetic the screens lay themselves out with: cut a
 * band off a side, split into rows or columns, choose a grid, centre a box. Every
 * screen's geometry comes from these and the theme, never from fixed pixels. */
#ifndef CABIN_UI_LAYOUT_H
#define CABIN_UI_LAYOUT_H

#include <SDL2/SDL_rect.h>

/* R shrunk by D on every side (never negative). */
SDL_Rect ui_inset(SDL_Rect r, int d);

/* Cuts a band of H (or W) pixels off the top/bottom/left/right of *R, followed by
 * GAP pixels of space; returns the band. The band is clamped to what *R holds. */
SDL_Rect ui_cut_top(SDL_Rect *r, int h, int gap);
SDL_Rect ui_cut_bottom(SDL_Rect *r, int h, int gap);
SDL_Rect ui_cut_left(SDL_Rect *r, int w, int gap);
SDL_Rect ui_cut_right(SDL_Rect *r, int w, int gap);

/* Splits R into N equal columns (or rows) with GAP between; writes N rects. The
 * last one takes the rounding remainder. */
void ui_columns(SDL_Rect r, int n, int gap, SDL_Rect *out);
void ui_rows(SDL_Rect r, int n, int gap, SDL_Rect *out);

/* A box of W x H centred in R (W, H clamped to R). */
SDL_Rect ui_center(SDL_Rect r, int w, int h);

/* Number of columns for COUNT cells of at least MIN_W pixels in WIDTH with GAP
 * between (at least 1, at most COUNT). */
int ui_grid_columns(int width, int count, int min_w, int gap);

/* Places COUNT cells in R as a grid of COLS columns, rows of equal height; writes
 * COUNT rects into OUT. */
void ui_grid(SDL_Rect r, int count, int cols, int gap, SDL_Rect *out);

#endif
