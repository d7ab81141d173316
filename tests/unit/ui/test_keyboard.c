/* test_keyboard.c — the AZERTY key table, key placement and hit testing, and the
 * text field's filters and editing (no SDL window needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/ui/kbd_layout.h"
#include "kiosk/ui/textfield.h"

static int find(const char *lower)
{
	for (int i = 0; i < ui_kbd_key_count; i++)
		if (ui_kbd_keys[i].lower && !strcmp(ui_kbd_keys[i].lower, lower))
			return i;
	return -1;
}

static void azerty_rows_and_accents(void **state)
{
	(void)state;
	/* the letter rows start a z e ... / q s d ... / w x c ... */
	assert_int_equal(ui_kbd_row_of(find("a")), 1);
	assert_int_equal(find("z"), find("a") + 1);
	assert_int_equal(ui_kbd_row_of(find("q")), 2);
	assert_int_equal(ui_kbd_row_of(find("m")), 2);
	assert_int_equal(ui_kbd_row_of(find("w")), 3);
	assert_int_equal(ui_kbd_row_of(find("1")), 0);
	const char *accents[] = {"é", "è", "ê", "ë", "à", "â", "ç", "î", "ï", "ô", "ù", "û", "ü"};
	const char *upper[] = {"É", "È", "Ê", "Ë", "À", "Â", "Ç", "Î", "Ï", "Ô", "Ù", "Û", "Ü"};
	for (size_t i = 0; i < 13; i++) {
		int k = find(accents[i]);
		assert_true(k >= 0);
		assert_string_equal(ui_kbd_text(k, false), accents[i]);
		assert_string_equal(ui_kbd_text(k, true), upper[i]);
	}
	assert_true(find("-") >= 0);
	assert_true(find("'") >= 0);
	assert_string_equal(ui_kbd_text(find("a"), true), "A");
	assert_string_equal(ui_kbd_text(find("7"), true), "7");
	assert_null(ui_kbd_text(0 + 10, false)); /* backspace types nothing */
	assert_null(ui_kbd_text(-1, false));
	assert_null(ui_kbd_text(ui_kbd_key_count, false));
}

static void placement_fills_width_and_hits(void **state)
{
	(void)state;
	SDL_Rect r[UI_KBD_KEYS];
	SDL_Rect area = {0, 300, 1280, 500};
	ui_kbd_place(area, 10, 60, r);
	int accents_first = find("é"), accents_last = find("ü");
	/* the widest row (13 accented letters) spans the whole width */
	assert_true(r[accents_first].x <= 1);
	assert_true(r[accents_last].x + r[accents_last].w >= 1279);
	for (int i = 0; i < ui_kbd_key_count; i++) {
		if (ui_kbd_keys[i].kind == UI_KBD_SYMBOLS) { /* not placed: no rect */
			assert_int_equal(r[i].w, 0);
			continue;
		}
		assert_int_equal(r[i].h, 60); /* capped */
		assert_true(r[i].w >= 48);    /* finger-sized */
		assert_true(r[i].x >= 0 && r[i].x + r[i].w <= 1281);
		/* the centre of each key hits that key */
		assert_int_equal(ui_kbd_hit(r, r[i].x + r[i].w / 2, r[i].y + r[i].h / 2), i);
	}
	assert_int_equal(ui_kbd_hit(r, 5, 5), -1);
	/* rows do not overlap */
	assert_true(r[find("a")].y >= r[find("1")].y + r[find("1")].h);
	assert_int_equal(ui_kbd_height(60, 10), 410);
}

/* The symbols layer: exact text of every letter key row, no duplicates, digits kept,
 * and what a configuration change or a station URL needs is all there. */
static void symbols_layer_exact(void **state)
{
	(void)state;
	static const char *const rows[4][13] = {
	    {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
	    {".", ",", ":", ";", "=", "_", "@", "#", "/", "\\"},
	    {"?", "!", "(", ")", "[", "]", "%", "&", "*", "+"},
	    {"-", "'", "\"", "<", ">", "{", "}", "$", "€", "~"},
	};
	static const char *const row4[13] = {"^", "`", "|", "°", "§", "£", "µ",
	                                     "«", "»", "²", "±", "×", "÷"};
	int col[UI_KBD_ROWS] = {0};
	for (int i = 0; i < ui_kbd_key_count; i++) {
		int r = ui_kbd_row_of(i);
		if (ui_kbd_keys[i].kind != UI_KBD_CHAR) {
			if (ui_kbd_keys[i].kind == UI_KBD_SPACE)
				assert_string_equal(ui_kbd_symbol(i), " ");
			else
				assert_null(ui_kbd_symbol(i));
			continue;
		}
		const char *want = r < 4 ? rows[r][col[r]] : row4[col[r]];
		col[r]++;
		assert_non_null(want);
		assert_string_equal(ui_kbd_symbol(i), want);
		for (int j = 0; j < i; j++) /* one key per symbol */
			if (ui_kbd_keys[j].kind == UI_KBD_CHAR)
				assert_string_not_equal(ui_kbd_symbol(j), want);
	}
	assert_int_equal(col[1], 10);
	assert_int_equal(col[2], 10);
	assert_int_equal(col[3], 10);
	assert_int_equal(col[4], 13);
	assert_null(ui_kbd_symbol(-1));
	assert_null(ui_kbd_symbol(ui_kbd_key_count));
	/* letters unchanged on the letter layer */
	assert_string_equal(ui_kbd_text(find("t"), false), "t");
	assert_string_equal(ui_kbd_symbol(find("t")), "=");
}

/* Without the symbols key (patient screens) the rows are placed as before and the
 * key has no rect; with it, it sits at the left of the space bar, finger-sized. */
static void symbols_key_placement(void **state)
{
	(void)state;
	SDL_Rect a[UI_KBD_KEYS], b[UI_KBD_KEYS];
	SDL_Rect area = {0, 300, 1280, 500};
	int sym = -1, space = -1, ok = -1;
	for (int i = 0; i < ui_kbd_key_count; i++) {
		if (ui_kbd_keys[i].kind == UI_KBD_SYMBOLS)
			sym = i;
		if (ui_kbd_keys[i].kind == UI_KBD_SPACE)
			space = i;
		if (ui_kbd_keys[i].kind == UI_KBD_DONE)
			ok = i;
	}
	assert_int_equal(ui_kbd_row_of(sym), 5);
	ui_kbd_place(area, 10, 60, a);
	assert_int_equal(a[sym].w, 0);
	assert_int_equal(ui_kbd_hit(a, a[space].x - 5, a[space].y + 5), -1);
	/* space and OK centred together, as without the key */
	int left = a[space].x, right = a[ok].x + a[ok].w;
	assert_true(abs((left - area.x) - (area.x + area.w - right)) <= 2);
	ui_kbd_place_ex(area, 10, 60, true, b);
	for (int i = 0; i < 55; i++) /* rows 0-4 do not move */
		assert_memory_equal(&a[i], &b[i], sizeof a[i]);
	assert_true(b[sym].w >= 48 && b[sym].h == 60);
	assert_true(b[sym].x + b[sym].w <= b[space].x);
	assert_int_equal(b[space].w, a[space].w);
	assert_int_equal(ui_kbd_hit(b, b[sym].x + b[sym].w / 2, b[sym].y + b[sym].h / 2), sym);
}

static void textfield_filters(void **state)
{
	(void)state;
	char buf[16] = "";
	struct ui_textfield f;
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_NAME, 0, 0);
	assert_int_equal(ui_textfield_insert(&f, "Jean-Noël 2"), 11); /* "2" refused */
	assert_string_equal(buf, "Jean-Noël ");
	assert_true(ui_textfield_backspace(&f));
	assert_true(ui_textfield_backspace(&f));
	assert_string_equal(buf, "Jean-Noë");
	assert_true(ui_textfield_backspace(&f)); /* removes the two-byte ë at once */
	assert_string_equal(buf, "Jean-No");
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_NIR, 0, 0);
	buf[0] = 0;
	ui_textfield_insert(&f, "2a0x4"); /* A only as the department's second character */
	assert_string_equal(buf, "2 04");
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_PHONE, 0, 0);
	buf[0] = 0;
	ui_textfield_insert(&f, "+33 6+1");
	assert_string_equal(buf, "+33 61");
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_DATE, 0, 0);
	buf[0] = 0;
	ui_textfield_insert(&f, "14/07/1985xyz");
	assert_string_equal(buf, "14/07/1985");
}

/* Digits typed one by one come out in the printed groups (issue 16). */
static void textfield_grouping(void **state)
{
	(void)state;
	char buf[24] = "";
	struct ui_textfield f;
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_NIR, 0, 0);
	const char *nir = "285074221800106";
	for (const char *p = nir; *p; p++) {
		char c[2] = {*p, 0};
		assert_int_equal(ui_textfield_insert(&f, c), 1);
	}
	assert_string_equal(buf, "2 85 07 42 218 001 06");
	assert_int_equal(ui_textfield_insert(&f, "7"), 0); /* 15 is the most */
	assert_true(ui_textfield_backspace(&f));
	assert_string_equal(buf, "2 85 07 42 218 001 0");
	assert_true(ui_textfield_backspace(&f));
	assert_string_equal(buf, "2 85 07 42 218 001"); /* no separator left dangling */
	buf[0] = 0;
	ui_textfield_insert(&f, "1 55 05 2a 004 123 45");
	assert_string_equal(buf, "1 55 05 2A 004 123 45"); /* Corsica */
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_DATE, 0, 0);
	buf[0] = 0;
	ui_textfield_insert(&f, "1");
	ui_textfield_insert(&f, "4");
	assert_string_equal(buf, "14");
	ui_textfield_insert(&f, "0");
	assert_string_equal(buf, "14/0");
	ui_textfield_insert(&f, "71985");
	assert_string_equal(buf, "14/07/1985");
	buf[0] = 0;
	ui_textfield_insert(&f, "1/7/1985"); /* a one-digit day and month are padded */
	assert_string_equal(buf, "01/07/1985");
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_PHONE, 0, 0);
	buf[0] = 0;
	ui_textfield_insert(&f, "0612345678");
	assert_string_equal(buf, "06 12 34 56 78");
	assert_true(ui_textfield_backspace(&f));
	assert_string_equal(buf, "06 12 34 56 7");
	buf[0] = 0;
	ui_textfield_insert(&f, "+44 20 7946 0000"); /* international: as typed */
	assert_string_equal(buf, "+44 20 7946 0000");
	char small[8] = "";
	ui_textfield_init(&f, small, sizeof small, UI_TF_DATE, 0, 0);
	ui_textfield_insert(&f, "14071985"); /* "14/07/1985" needs 11 bytes: refused whole */
	assert_string_equal(small, "");
}

static void textfield_never_overflows(void **state)
{
	(void)state;
	char buf[6] = "";
	struct ui_textfield f;
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_ANY, 0, 0);
	ui_textfield_insert(&f, "abcé");     /* 5 bytes: fits with NUL */
	assert_string_equal(buf, "abcé");
	assert_int_equal(ui_textfield_insert(&f, "é"), 0); /* no room for 2 more bytes */
	assert_int_equal(ui_textfield_insert(&f, "\x01"), 0);
	assert_string_equal(buf, "abcé");
	buf[0] = 0;
	assert_false(ui_textfield_backspace(&f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(azerty_rows_and_accents),
	    cmocka_unit_test(placement_fills_width_and_hits),
	    cmocka_unit_test(symbols_layer_exact),
	    cmocka_unit_test(symbols_key_placement),
	    cmocka_unit_test(textfield_filters),
	    cmocka_unit_test(textfield_grouping),
	    cmocka_unit_test(textfield_never_overflows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
