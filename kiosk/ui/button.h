/* button.h — a push button: translated label, optional icon, pressed and focused
 * states; raises its action on release inside, or on Enter/Space when focused. */
#ifndef CABIN_UI_BUTTON_H
#define CABIN_UI_BUTTON_H

#include "kiosk/ui/widget.h"

/* Looks. */
enum ui_button_style { UI_BTN_PRIMARY, UI_BTN_SECONDARY, UI_BTN_DANGER, UI_BTN_SELECTED, UI_BTN_FLAT };

struct ui_button {
	struct ui_widget w;
	const char *label;  /* msgid (translated when drawn) or raw text */
	int raw;            /* 1: label is shown as is (names, "Français") */
	enum ui_button_style style;
	const char *icon;   /* image in assets/images, drawn left of the label; NULL */
	int font_px;        /* 0: theme button size */
};

/* Sets up B with LABEL (msgid), STYLE, and the ACTION/ARG it raises. */
void ui_button_init(struct ui_button *b, const char *label, enum ui_button_style style,
                    int action, int arg);

/* Width the label (and icon) need at the current font, padding included. */
int ui_button_pref_w(struct ui_button *b, struct ui_ctx *ctx);

#endif
