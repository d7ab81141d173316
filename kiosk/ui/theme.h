/* theme.h — colours and sizes of the kiosk screens, computed from the window size.
 *
 * Everything is scaled from one number, the shorter window side over 1080 px, so a
 * layout is the same at 1920x1080, 1280x800 and 1080x1920 (portrait). Touch targets
 * never go below 9 mm (about 48 px at 1080p) — ISO 9241-410 and the W3C WCAG 2.5.5
 * target size guidance. Pure: no SDL calls. */
#ifndef CABIN_UI_THEME_H
#define CABIN_UI_THEME_H

#include <stdbool.h>
#include <stdint.h>

/* An RGBA colour (0..255 each). */
struct ui_rgba {
	uint8_t r, g, b, a;
};

/* All metrics in pixels of the window. */
struct ui_theme {
	int w, h;           /* window size */
	bool portrait;      /* h > w */
	float scale;        /* min(w, h) / 1080 */
	int pad;            /* outer margin */
	int gap;            /* space between widgets */
	int radius;         /* corner radius of buttons and cards */
	int target;         /* smallest touch target side (>= 9 mm) */
	int button_h;       /* height of ordinary buttons */
	int field_h;        /* height of text fields */
	int header_h;       /* top bar: logo, title, language, emergency */
	int footer_h;       /* bottom bar: stop, back, next */
	int border;         /* line width of outlines and focus rings */
	int fs_small, fs_body, fs_button, fs_h2, fs_h1, fs_huge; /* font pixel sizes;
	                    fs_small >= 24 px at every size (smallest patient text) */
	bool large;         /* large-text and high-contrast mode (ui_theme_set_large) */
	struct ui_rgba bg, surface, ink, ink_soft, primary, primary_dark, on_primary,
	    secondary, danger, danger_dark, ok, warn, focus, line, shade, error;
};

/* Fills T for a window of W x H pixels. DPI is the display's horizontal dots per
 * inch when known (0 otherwise): it only raises the touch target to 9 mm. */
void ui_theme_compute(struct ui_theme *t, int w, int h, float dpi);

/* Switches T (already computed) to the large-text and high-contrast mode when ON:
 * every font 1.3 times larger (fs_small at least 32 px), black ink on white, darker
 * primary and outline colours (text >= 7:1, outlines >= 4.5:1, WCAG 2.1 AAA 1.4.6
 * and 1.4.11). OFF recomputes the ordinary theme for the same size. */
void ui_theme_set_large(struct ui_theme *t, bool on, float dpi);

/* Pixels for N base units, scaled (a base unit is one pixel at 1080 px). */
int ui_px(const struct ui_theme *t, int n);

#endif
