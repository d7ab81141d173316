/* keyboard.h — the on-screen keyboard widget (French AZERTY with accented letters,
 * digits, hyphen, apostrophe, space, backspace, shift). It types into a target text
 * field (AZERTY, or QWERTY with layout set; letters in capitals when the field
 * has caps set); "OK" (or done_label) raises the widget's action (the screen closes the keyboard). Shift
 * applies to the next letter only; a first letter of an empty field is capitalised.
 * With symbols_key set, an "&123" key switches the letter keys to the symbols layer
 * (kbd_layout.h) until "ABC" is pressed; patient screens leave it off. */
#ifndef CABIN_UI_KEYBOARD_H
#define CABIN_UI_KEYBOARD_H

#include "kiosk/ui/kbd_layout.h"
#include "kiosk/ui/textfield.h"

struct ui_keyboard {
	struct ui_widget w;          /* action raised on OK */
	struct ui_textfield *target; /* where keys type; NULL: keys do nothing */
	enum ui_kbd_layout layout;   /* letter rows: AZERTY (default) or QWERTY */
	const char *done_label;      /* msgid of the done key ("Next"); NULL: "OK" */
	bool shift;
	bool symbols_key;            /* offer the "&123" key (set before layout) */
	bool symbols;                /* the symbols layer is shown */
	int pressed;                 /* key under the finger, -1 */
	SDL_Rect keys[UI_KBD_KEYS];
};

/* Sets up K with no target; OK raises DONE_ACTION. */
void ui_keyboard_init(struct ui_keyboard *k, int done_action);
/* Places the keys in the widget's rect (call after setting w.r). */
void ui_keyboard_layout(struct ui_keyboard *k, struct ui_ctx *ctx);
/* Presses key I as if touched (types, erases, shifts, switches layer or raises OK). */
void ui_keyboard_press(struct ui_keyboard *k, int i, struct ui_ctx *ctx);
/* What key I shows now (its label on the current layer, UTF-8): "space", "OK" and
 * "&123"/"ABC" for those keys, "⇧" and "⌫" for shift and backspace. */
const char *ui_keyboard_label(const struct ui_keyboard *k, int i);
/* Preferred height for width W in the context's theme. */
int ui_keyboard_pref_h(const struct ui_ctx *ctx, int w);

#endif
