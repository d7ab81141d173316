/* numpad.h — the number pad for the digit fields (date of birth, NIR, phone): ten
 * large digit keys in the telephone order (1 2 3 on top, 0 below), backspace, up to
 * two extra keys the field needs ("+" for a foreign phone number, "A" and "B" for a
 * Corsican NIR) and the done key ("Next" or "OK", a msgid). It types into a target
 * text field, which groups the digits itself (tf_group.h). Issue 16: a digit field
 * takes one tap per digit, with keys larger than the text keyboard's. */
#ifndef CABIN_UI_NUMPAD_H
#define CABIN_UI_NUMPAD_H

#include "kiosk/ui/textfield.h"

/* Key indices: 0..9 type their digit; then these. */
enum { UI_PAD_BACK = 10, UI_PAD_EXTRA1, UI_PAD_EXTRA2, UI_PAD_DONE, UI_PAD_KEYS };

struct ui_numpad {
	struct ui_widget w;          /* action raised on the done key */
	struct ui_textfield *target; /* where keys type; NULL: keys do nothing */
	const char *extra[2];        /* text of the extra keys (UTF-8), NULL: no key */
	const char *done_label;      /* msgid of the done key; NULL: "OK" */
	int pressed;                 /* key under the finger, -1 */
	SDL_Rect keys[UI_PAD_KEYS];  /* w = 0: key not shown */
};

/* Sets up P with no target and no extra keys; the done key raises DONE_ACTION. */
void ui_numpad_init(struct ui_numpad *p, int done_action);
/* Places the keys in the widget's rect (call after setting w.r): a grid of four
 * columns (digits, then backspace / extras / done) and four rows, keys 1.5 targets
 * high (2 in portrait) and twice as wide, shrunk to fit, centred. */
void ui_numpad_layout(struct ui_numpad *p, struct ui_ctx *ctx);
/* Presses key I as if touched. */
void ui_numpad_press(struct ui_numpad *p, int i, struct ui_ctx *ctx);
/* Name of key I in the widget map: the digit, "backspace", the extra's text, "ok". */
const char *ui_numpad_key_name(const struct ui_numpad *p, int i);
/* Height the pad wants in the context's theme. */
int ui_numpad_pref_h(const struct ui_ctx *ctx);

#endif
