/* kbd_layout.h — the French AZERTY on-screen keyboard as data, and the pure
 * geometry that places its keys in a rectangle. Letters follow the AZERTY rows of
 * NF Z71-300 (digits on the top row unshifted, as on French touch keyboards);
 * an extra row carries the accented letters French names use. */
#ifndef CABIN_UI_KBD_LAYOUT_H
#define CABIN_UI_KBD_LAYOUT_H

#include <SDL2/SDL_rect.h>
#include <stdbool.h>

/* What a key does. */
enum ui_kbd_kind { UI_KBD_CHAR, UI_KBD_BACKSPACE, UI_KBD_SHIFT, UI_KBD_SPACE, UI_KBD_DONE };

/* One key: text typed without and with shift (UTF-8), width in key units. */
struct ui_kbd_key {
	enum ui_kbd_kind kind;
	const char *lower, *upper;
	float units;
};

#define UI_KBD_ROWS 6
#define UI_KBD_KEYS 64

/* The key table, row by row. */
extern const struct ui_kbd_key ui_kbd_keys[];
/* Number of keys in the table. */
extern const int ui_kbd_key_count;
/* Row of key I (0..UI_KBD_ROWS-1). */
int ui_kbd_row_of(int i);

/* Places every key in AREA with GAP pixels between keys; key height is capped at
 * MAX_KEY_H. Rows are centred. Writes ui_kbd_key_count rects into OUT. */
void ui_kbd_place(SDL_Rect area, int gap, int max_key_h, SDL_Rect *out);

/* Index of the key at X,Y among RECTS (ui_kbd_key_count of them), or -1. */
int ui_kbd_hit(const SDL_Rect *rects, int x, int y);

/* Text key I types (NULL for non-character keys), with SHIFT applied. */
const char *ui_kbd_text(int i, bool shift);

/* Height a keyboard needs for keys of KEY_H with GAP between rows. */
int ui_kbd_height(int key_h, int gap);

#endif
