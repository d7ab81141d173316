/* checkbox.h — a box with a wrapping label, bound to a caller's bool; the whole
 * row (box and label) is the touch target. */
#ifndef CABIN_UI_CHECKBOX_H
#define CABIN_UI_CHECKBOX_H

#include "kiosk/ui/widget.h"

struct ui_checkbox {
	struct ui_widget w; /* action raised after each toggle, arg = new value (0/1) */
	const char *label;  /* msgid */
	bool *value;
};

/* Sets up C with LABEL (msgid), bound to *VALUE; raises ACTION on each toggle. */
void ui_checkbox_init(struct ui_checkbox *c, const char *label, bool *value, int action);
/* Height the row needs at width W (at least a touch target). */
int ui_checkbox_height(struct ui_checkbox *c, struct ui_ctx *ctx, int w);

#endif
