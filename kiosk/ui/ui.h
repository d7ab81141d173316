/* ui.h — the drawing context shared by every widget and screen: renderer, theme,
 * fonts, images, and the actions widgets raise. Main thread only. */
#ifndef CABIN_UI_UI_H
#define CABIN_UI_UI_H

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdbool.h>

#include "kiosk/ui/theme.h"

/* Font faces: DejaVu Sans regular and bold (Debian fonts-dejavu-core). */
enum ui_face { UI_REGULAR, UI_BOLD };

#define UI_FONT_CACHE 48
#define UI_IMAGE_CACHE 48 /* assets/images holds 17 pictures; room for more */

/* Everything a widget needs to draw and to report what the user did. */
struct ui_text_cache;

struct ui_ctx {
	SDL_Renderer *r;
	struct ui_theme th;
	const char *font_dir;                 /* directory of DejaVuSans*.ttf */
	const char *asset_dir;                /* assets/ (images) */
	struct {
		int face, px;
		TTF_Font *font;
		unsigned used; /* frame it was last asked for */
	} fonts[UI_FONT_CACHE];
	unsigned frame; /* bumped by ui_ctx_begin_frame(); fonts of this frame stay open */
	struct {
		char name[48];
		SDL_Texture *tex;
		int w, h;
		bool failed; /* could not be loaded: not tried again (and not logged again) */
	} images[UI_IMAGE_CACHE];
	int action;    /* last action raised by a widget (0: none) */
	int action_arg;
	struct ui_text_cache *texts; /* rendered strings (text_cache.h) */
	bool dirty;    /* something changed: redraw */
	Uint32 now;    /* SDL_GetTicks() of the event being handled (caret blink etc.) */
	float dpi;     /* display density given at init/resize (0: unknown) */
};

/* Initialises CTX on renderer R for a W x H output. FONT_DIR holds the DejaVu fonts,
 * ASSET_DIR the images. Returns 0, or -1 when the regular font cannot be opened. */
int ui_ctx_init(struct ui_ctx *ctx, SDL_Renderer *r, int w, int h, float dpi,
                const char *font_dir, const char *asset_dir);

/* Recomputes the theme for a new output size (fonts are reopened lazily). */
void ui_ctx_resize(struct ui_ctx *ctx, int w, int h, float dpi);

/* Turns the large-text and high-contrast mode on or off (ui_theme_set_large), kept
 * across resizes; pictures are rasterised again at their new sizes. */
void ui_ctx_set_large(struct ui_ctx *ctx, bool on);

/* Closes fonts and destroys image textures. */
void ui_ctx_free(struct ui_ctx *ctx);

/* Starts a frame (layout + draw): fonts asked for from now on stay open until the
 * next frame, so pointers returned by ui_font() stay valid during the frame. */
void ui_ctx_begin_frame(struct ui_ctx *ctx);

/* The font of FACE at PX pixels (cached; the least recently used font of an
 * earlier frame is closed when the cache is full; if every cached font is in use
 * this frame, the nearest cached size is returned). NULL only when the font file
 * cannot be opened; drawing functions then draw nothing. */
TTF_Font *ui_font(struct ui_ctx *ctx, enum ui_face face, int px);

/* Raises ACTION with ARG for the caller of the input dispatch to handle. */
void ui_raise(struct ui_ctx *ctx, int action, int arg);

/* --- drawing primitives (draw.c) --- */
void ui_set_color(struct ui_ctx *ctx, struct ui_rgba c);
void ui_fill_rect(struct ui_ctx *ctx, SDL_Rect r, struct ui_rgba c);
/* Rounded rectangle, filled; RADIUS in pixels (0: square corners). */
void ui_fill_round(struct ui_ctx *ctx, SDL_Rect r, int radius, struct ui_rgba c);
/* Rounded outline of WIDTH pixels inside R. */
void ui_stroke_round(struct ui_ctx *ctx, SDL_Rect r, int radius, int width, struct ui_rgba c);
/* Filled circle centred at CX,CY. */
void ui_fill_circle(struct ui_ctx *ctx, int cx, int cy, int radius, struct ui_rgba c);
/* Draws the image assets/images/NAME scaled into R keeping its aspect, centred.
 * Returns 0, or -1 if it cannot be loaded (nothing drawn). */
int ui_draw_image(struct ui_ctx *ctx, const char *name, SDL_Rect r);

/* --- text (text.c) --- */
/* Horizontal alignment of text in its box. */
enum ui_align { UI_LEFT, UI_CENTER, UI_RIGHT };

/* Width and height of one line of S in FONT. */
void ui_text_size(struct ui_ctx *ctx, TTF_Font *font, const char *s, int *w, int *h);
/* Draws one line of S at X,Y (top-left). Returns its width. */
int ui_text_draw(struct ui_ctx *ctx, TTF_Font *font, const char *s, int x, int y,
                 struct ui_rgba c);
/* Height needed by S wrapped to width W in FONT (line height x lines). */
int ui_text_wrapped_height(struct ui_ctx *ctx, TTF_Font *font, const char *s, int w);
/* Draws S wrapped into box R (clipped to R's height), aligned; returns height used. */
int ui_text_draw_wrapped(struct ui_ctx *ctx, TTF_Font *font, const char *s, SDL_Rect r,
                         enum ui_align align, struct ui_rgba c);
/* Draws one line of S centred in R (cut with "…" if wider). */
void ui_text_draw_centered(struct ui_ctx *ctx, TTF_Font *font, const char *s, SDL_Rect r,
                           struct ui_rgba c);

#endif
