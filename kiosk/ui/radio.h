/* radio.h — a group of mutually exclusive choices drawn as a row (or column) of
 * large segments, bound to a caller's int (-1: nothing chosen yet). Left/Right or
 * Up/Down change the choice when focused. */
#ifndef CABIN_UI_RADIO_H
#define CABIN_UI_RADIO_H

#include "kiosk/ui/widget.h"

#define UI_RADIO_MAX 6

struct ui_radio {
	struct ui_widget w;               /* action raised on change, arg = new index */
	const char *opts[UI_RADIO_MAX];   /* msgids */
	int n;
	int *value;
	bool vertical;
	int pressed;                      /* option under the finger, -1 */
	bool error;                       /* outline in the error colour */
};

/* Sets up R bound to *VALUE (-1: none chosen); raises ACTION on change. */
void ui_radio_init(struct ui_radio *r, int *value, int action);
/* Appends an option (msgid). */
void ui_radio_add(struct ui_radio *r, const char *msgid);
/* Rectangle of option I inside the widget's rect. */
SDL_Rect ui_radio_option_rect(const struct ui_radio *r, int i, int gap);

#endif
