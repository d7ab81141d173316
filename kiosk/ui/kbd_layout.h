/* kbd_layout.h — the French AZERTY and English QWERTY on-screen keyboards as data
 * (the same keys in the same places, only the letters of rows 1-3 differ), and the pure
 * geometry that places its keys in a rectangle. Letters follow the AZERTY rows of
 * NF Z71-300 (digits on the top row unshifted, as on French touch keyboards);
 * an extra row carries the accented letters French names use. An optional "&123"
 * key switches the letter keys to a symbols layer (. , : ; = _ @ # / \ ...), as the
 * "?123" layer of French touch keyboards does, for staff entries (URLs, keys). */
#ifndef CABIN_UI_KBD_LAYOUT_H
#define CABIN_UI_KBD_LAYOUT_H

#include <SDL2/SDL_rect.h>
#include <stdbool.h>

/* What a key does. */
enum ui_kbd_kind {
	UI_KBD_CHAR,
	UI_KBD_BACKSPACE,
	UI_KBD_SHIFT,
	UI_KBD_SPACE,
	UI_KBD_DONE,
	UI_KBD_SYMBOLS, /* toggles the symbols layer; placed only when asked for */
};

/* One key: text typed without and with shift (UTF-8), on the symbols layer (UTF-8;
 * NULL: the key has none), width in key units. */
struct ui_kbd_key {
	enum ui_kbd_kind kind;
	const char *lower, *upper;
	float units;
	const char *sym;
};

#define UI_KBD_ROWS 6
#define UI_KBD_KEYS 64

/* Which letter layout: AZERTY (French, NF Z71-300) or QWERTY (English, the US and
 * UK letter rows; issue 16: a tourist types on the keyboard they know). */
enum ui_kbd_layout { UI_KBD_AZERTY, UI_KBD_QWERTY };

/* The AZERTY key table, row by row. */
extern const struct ui_kbd_key ui_kbd_keys[];
/* The key table of LAYOUT (ui_kbd_key_count keys, same kinds at the same indices). */
const struct ui_kbd_key *ui_kbd_table(enum ui_kbd_layout layout);
/* Number of keys in the table. */
extern const int ui_kbd_key_count;
/* Row of key I (0..UI_KBD_ROWS-1). */
int ui_kbd_row_of(int i);

/* Places every key in AREA with GAP pixels between keys; key height is capped at
 * MAX_KEY_H. Rows are centred. Writes ui_kbd_key_count rects into OUT; the symbols
 * key gets an empty rect (never hit) unless WITH_SYMBOLS. */
void ui_kbd_place_ex(SDL_Rect area, int gap, int max_key_h, bool with_symbols, SDL_Rect *out);
/* ui_kbd_place_ex without the symbols key (the patient screens' keyboard). */
void ui_kbd_place(SDL_Rect area, int gap, int max_key_h, SDL_Rect *out);

/* Index of the key at X,Y among RECTS (ui_kbd_key_count of them), or -1. */
int ui_kbd_hit(const SDL_Rect *rects, int x, int y);

/* Text key I types (NULL for non-character keys), with SHIFT applied (AZERTY). */
const char *ui_kbd_text(int i, bool shift);
/* The same in LAYOUT. */
const char *ui_kbd_text_in(enum ui_kbd_layout layout, int i, bool shift);
/* Text key I types on the symbols layer (shift does not apply there): the key's
 * symbol, " " for space, NULL for the other keys. */
const char *ui_kbd_symbol(int i);

/* Height a keyboard needs for keys of KEY_H with GAP between rows. */
int ui_kbd_height(int key_h, int gap);

#endif
