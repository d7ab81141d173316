/* theme.c — window-size-driven metrics and the palette (see theme.h). Colours are
 * chosen for WCAG AA contrast (>= 4.5:1) of text on its background. */
#include "kiosk/ui/theme.h"

#include <math.h>

int ui_px(const struct ui_theme *t, int n)
{
	return (int)lroundf((float)n * t->scale);
}

void ui_theme_compute(struct ui_theme *t, int w, int h, float dpi)
{
	t->large = false;
	int shorter = w < h ? w : h;
	t->w = w;
	t->h = h;
	t->portrait = h > w;
	t->scale = (float)shorter / 1080.0f;
	if (t->scale < 0.3f)
		t->scale = 0.3f;
	/* 9 mm at the display's density, never under 48 px (WCAG 2.5.5 guidance: 44 CSS
	 * px; issue 16: every patient touch target at least 48 px high at 1280x800). */
	int mm9 = dpi > 0 ? (int)lroundf(9.0f * dpi / 25.4f) : 0;
	int t48 = ui_px(t, 48);
	t->target = t48 > mm9 ? t48 : mm9;
	if (t->target < 48)
		t->target = 48;
	t->pad = ui_px(t, 40);
	t->gap = ui_px(t, 20);
	t->radius = ui_px(t, 14);
	t->border = ui_px(t, 3) > 2 ? ui_px(t, 3) : 2;
	t->button_h = ui_px(t, 100) > t->target ? ui_px(t, 100) : t->target;
	t->field_h = ui_px(t, 84) > t->target ? ui_px(t, 84) : t->target;
	t->header_h = ui_px(t, 120);
	t->footer_h = t->button_h + 2 * ui_px(t, 24);
	/* the smallest patient text is never under 24 px (1280x800 would give 19) */
	t->fs_small = ui_px(t, 26) > 24 ? ui_px(t, 26) : 24;
	t->fs_body = ui_px(t, 32) > 26 ? ui_px(t, 32) : 26;
	t->fs_button = ui_px(t, 34) > 27 ? ui_px(t, 34) : 27;
	t->fs_h2 = ui_px(t, 40);
	t->fs_h1 = ui_px(t, 56);
	t->fs_huge = ui_px(t, 84);
	t->bg = (struct ui_rgba){244, 247, 250, 255};
	t->surface = (struct ui_rgba){255, 255, 255, 255};
	t->ink = (struct ui_rgba){20, 36, 52, 255};
	t->ink_soft = (struct ui_rgba){72, 88, 104, 255};
	t->primary = (struct ui_rgba){0, 94, 160, 255};
	t->primary_dark = (struct ui_rgba){0, 62, 110, 255};
	t->on_primary = (struct ui_rgba){255, 255, 255, 255};
	t->secondary = (struct ui_rgba){226, 234, 242, 255};
	t->danger = (struct ui_rgba){190, 30, 45, 255};
	t->danger_dark = (struct ui_rgba){140, 16, 30, 255};
	t->ok = (struct ui_rgba){22, 124, 60, 255};
	t->warn = (struct ui_rgba){176, 98, 0, 255};
	t->focus = (struct ui_rgba){255, 170, 0, 255};
	/* outlines of fields and tiles: 4.1:1 on white, 3.8:1 on bg (WCAG 1.4.11 >= 3:1) */
	t->line = (struct ui_rgba){112, 128, 144, 255};
	t->shade = (struct ui_rgba){10, 20, 30, 170};
	t->error = (struct ui_rgba){176, 0, 32, 255};
}

static int grow(int px)
{
	return px * 13 / 10;
}

void ui_theme_set_large(struct ui_theme *t, bool on, float dpi)
{
	ui_theme_compute(t, t->w, t->h, dpi);
	if (!on)
		return;
	t->large = true;
	t->fs_small = grow(t->fs_small) > 32 ? grow(t->fs_small) : 32;
	t->fs_body = grow(t->fs_body) > 34 ? grow(t->fs_body) : 34;
	t->fs_button = grow(t->fs_button) > 34 ? grow(t->fs_button) : 34;
	t->fs_h2 = grow(t->fs_h2);
	t->fs_h1 = grow(t->fs_h1);
	t->fs_huge = grow(t->fs_huge);
	t->button_h = grow(t->button_h);
	t->field_h = grow(t->field_h);
	t->footer_h = t->button_h + 2 * ui_px(t, 24);
	t->border = t->border + 1;
	t->bg = (struct ui_rgba){255, 255, 255, 255};
	t->surface = (struct ui_rgba){255, 255, 255, 255};
	t->ink = (struct ui_rgba){0, 0, 0, 255};
	t->ink_soft = (struct ui_rgba){0, 0, 0, 255};
	t->primary = (struct ui_rgba){0, 51, 102, 255};
	t->primary_dark = (struct ui_rgba){0, 25, 60, 255};
	t->secondary = (struct ui_rgba){230, 230, 230, 255};
	t->line = (struct ui_rgba){0, 0, 0, 255};
	t->danger = (struct ui_rgba){150, 0, 20, 255};
	t->error = (struct ui_rgba){150, 0, 20, 255};
	t->ok = (struct ui_rgba){0, 90, 30, 255};
}
