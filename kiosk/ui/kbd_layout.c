/* kbd_layout.c — AZERTY key table and key placement (see kbd_layout.h). */
#include "kiosk/ui/kbd_layout.h"

#include <stddef.h>

#define C(l, u, s) {UI_KBD_CHAR, l, u, 1.0f, s}

/* Rows end with a NULL-kind sentinel so the table stays one flat array. The third
 * text of a letter key is what it types on the symbols layer: rows 1-3 hold the
 * ASCII punctuation of URLs, configuration keys and passwords, row 4 the rest. */
const struct ui_kbd_key ui_kbd_keys[] = {
    /* row 0: digits and backspace (digits on both layers) */
    C("1", "1", "1"), C("2", "2", "2"), C("3", "3", "3"), C("4", "4", "4"), C("5", "5", "5"),
    C("6", "6", "6"), C("7", "7", "7"), C("8", "8", "8"), C("9", "9", "9"), C("0", "0", "0"),
    {UI_KBD_BACKSPACE, "⌫", "⌫", 2.0f, NULL},
    /* row 1 */
    C("a", "A", "."), C("z", "Z", ","), C("e", "E", ":"), C("r", "R", ";"), C("t", "T", "="),
    C("y", "Y", "_"), C("u", "U", "@"), C("i", "I", "#"), C("o", "O", "/"), C("p", "P", "\\"),
    /* row 2 */
    C("q", "Q", "?"), C("s", "S", "!"), C("d", "D", "("), C("f", "F", ")"), C("g", "G", "["),
    C("h", "H", "]"), C("j", "J", "%"), C("k", "K", "&"), C("l", "L", "*"), C("m", "M", "+"),
    /* row 3 */
    {UI_KBD_SHIFT, "⇧", "⇧", 1.5f, NULL}, C("w", "W", "-"), C("x", "X", "'"), C("c", "C", "\""),
    C("v", "V", "<"), C("b", "B", ">"), C("n", "N", "{"), C("'", "'", "}"), C("-", "-", "$"),
    C("/", "/", "€"), C("+", "+", "~"),
    /* row 4: accented letters; symbols: the rest of a French keyboard's AltGr layer */
    C("é", "É", "^"), C("è", "È", "`"), C("ê", "Ê", "|"), C("ë", "Ë", "°"), C("à", "À", "§"),
    C("â", "Â", "£"), C("ç", "Ç", "µ"), C("î", "Î", "«"), C("ï", "Ï", "»"), C("ô", "Ô", "²"),
    C("ù", "Ù", "±"), C("û", "Û", "×"), C("ü", "Ü", "÷"),
    /* row 5 */
    {UI_KBD_SYMBOLS, "&123", "&123", 2.0f, "ABC"}, {UI_KBD_SPACE, " ", " ", 7.0f, " "},
    {UI_KBD_DONE, "OK", "OK", 3.0f, NULL},
};

const int ui_kbd_key_count = (int)(sizeof ui_kbd_keys / sizeof ui_kbd_keys[0]);

/* QWERTY: the letters of the US/UK rows; the apostrophe ends the home row as on
 * those keyboards; every other key (and every symbol) as in the AZERTY table. */
static const struct ui_kbd_key qwerty[] = {
    C("1", "1", "1"), C("2", "2", "2"), C("3", "3", "3"), C("4", "4", "4"), C("5", "5", "5"),
    C("6", "6", "6"), C("7", "7", "7"), C("8", "8", "8"), C("9", "9", "9"), C("0", "0", "0"),
    {UI_KBD_BACKSPACE, "⌫", "⌫", 2.0f, NULL},
    C("q", "Q", "."), C("w", "W", ","), C("e", "E", ":"), C("r", "R", ";"), C("t", "T", "="),
    C("y", "Y", "_"), C("u", "U", "@"), C("i", "I", "#"), C("o", "O", "/"), C("p", "P", "\\"),
    C("a", "A", "?"), C("s", "S", "!"), C("d", "D", "("), C("f", "F", ")"), C("g", "G", "["),
    C("h", "H", "]"), C("j", "J", "%"), C("k", "K", "&"), C("l", "L", "*"), C("'", "'", "+"),
    {UI_KBD_SHIFT, "⇧", "⇧", 1.5f, NULL}, C("z", "Z", "-"), C("x", "X", "'"), C("c", "C", "\""),
    C("v", "V", "<"), C("b", "B", ">"), C("n", "N", "{"), C("m", "M", "}"), C("-", "-", "$"),
    C("/", "/", "€"), C("+", "+", "~"),
    C("é", "É", "^"), C("è", "È", "`"), C("ê", "Ê", "|"), C("ë", "Ë", "°"), C("à", "À", "§"),
    C("â", "Â", "£"), C("ç", "Ç", "µ"), C("î", "Î", "«"), C("ï", "Ï", "»"), C("ô", "Ô", "²"),
    C("ù", "Ù", "±"), C("û", "Û", "×"), C("ü", "Ü", "÷"),
    {UI_KBD_SYMBOLS, "&123", "&123", 2.0f, "ABC"}, {UI_KBD_SPACE, " ", " ", 7.0f, " "},
    {UI_KBD_DONE, "OK", "OK", 3.0f, NULL},
};
_Static_assert(sizeof qwerty == sizeof ui_kbd_keys, "QWERTY and AZERTY have the same keys");

const struct ui_kbd_key *ui_kbd_table(enum ui_kbd_layout layout)
{
	return layout == UI_KBD_QWERTY ? qwerty : ui_kbd_keys;
}

/* First key index of each row, and one past the last. */
static const int row_start[UI_KBD_ROWS + 1] = {0, 11, 21, 31, 42, 55, 58};

int ui_kbd_row_of(int i)
{
	for (int r = 0; r < UI_KBD_ROWS; r++)
		if (i >= row_start[r] && i < row_start[r + 1])
			return r;
	return -1;
}

int ui_kbd_height(int key_h, int gap)
{
	return UI_KBD_ROWS * key_h + (UI_KBD_ROWS - 1) * gap;
}

/* Whether key I takes a place in the row. */
static bool placed(int i, bool with_symbols)
{
	return with_symbols || ui_kbd_keys[i].kind != UI_KBD_SYMBOLS;
}

void ui_kbd_place(SDL_Rect area, int gap, int max_key_h, SDL_Rect *out)
{
	ui_kbd_place_ex(area, gap, max_key_h, false, out);
}

void ui_kbd_place_ex(SDL_Rect area, int gap, int max_key_h, bool with_symbols, SDL_Rect *out)
{
	/* the widest row fixes the unit width */
	float max_units = 0;
	int max_keys = 0;
	for (int r = 0; r < UI_KBD_ROWS; r++) {
		float u = 0;
		int keys = 0;
		for (int i = row_start[r]; i < row_start[r + 1]; i++)
			if (placed(i, with_symbols)) {
				u += ui_kbd_keys[i].units;
				keys++;
			}
		if (u > max_units) {
			max_units = u;
			max_keys = keys;
		}
	}
	float unit = ((float)area.w - (float)(max_keys - 1) * (float)gap) / max_units;
	int key_h = (area.h - (UI_KBD_ROWS - 1) * gap) / UI_KBD_ROWS;
	if (key_h > max_key_h)
		key_h = max_key_h;
	int total_h = ui_kbd_height(key_h, gap);
	int y = area.y + (area.h - total_h) / 2;
	for (int r = 0; r < UI_KBD_ROWS; r++) {
		float row_w = 0;
		int keys = 0;
		for (int i = row_start[r]; i < row_start[r + 1]; i++)
			if (placed(i, with_symbols))
				row_w += ui_kbd_keys[i].units * unit + (keys++ ? (float)gap : 0.0f);
		float x = (float)area.x + ((float)area.w - row_w) / 2.0f;
		for (int i = row_start[r]; i < row_start[r + 1]; i++) {
			if (!placed(i, with_symbols)) {
				out[i] = (SDL_Rect){0, 0, 0, 0};
				continue;
			}
			float w = ui_kbd_keys[i].units * unit;
			out[i] = (SDL_Rect){(int)(x + 0.5f), y, (int)(w + 0.5f), key_h};
			x += w + (float)gap;
		}
		y += key_h + gap;
	}
}

int ui_kbd_hit(const SDL_Rect *rects, int x, int y)
{
	for (int i = 0; i < ui_kbd_key_count; i++) {
		const SDL_Rect *r = &rects[i];
		if (x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h)
			return i;
	}
	return -1;
}

const char *ui_kbd_text(int i, bool shift)
{
	return ui_kbd_text_in(UI_KBD_AZERTY, i, shift);
}

const char *ui_kbd_text_in(enum ui_kbd_layout layout, int i, bool shift)
{
	if (i < 0 || i >= ui_kbd_key_count)
		return NULL;
	const struct ui_kbd_key *k = &ui_kbd_table(layout)[i];
	if (k->kind == UI_KBD_CHAR || k->kind == UI_KBD_SPACE)
		return shift ? k->upper : k->lower;
	return NULL;
}

const char *ui_kbd_symbol(int i)
{
	if (i < 0 || i >= ui_kbd_key_count)
		return NULL;
	const struct ui_kbd_key *k = &ui_kbd_keys[i];
	return k->kind == UI_KBD_CHAR || k->kind == UI_KBD_SPACE ? k->sym : NULL;
}
