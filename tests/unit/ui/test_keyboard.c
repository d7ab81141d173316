/* test_keyboard.c — the AZERTY key table, key placement and hit testing, and the
 * text field's filters and editing (no SDL window needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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
	ui_textfield_insert(&f, "2a0x4");
	assert_string_equal(buf, "2A04");
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_PHONE, 0, 0);
	buf[0] = 0;
	ui_textfield_insert(&f, "+33 6+1");
	assert_string_equal(buf, "+33 61");
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_DATE, 0, 0);
	buf[0] = 0;
	ui_textfield_insert(&f, "14/07/1985xyz");
	assert_string_equal(buf, "14/07/1985");
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
	    cmocka_unit_test(textfield_filters),
	    cmocka_unit_test(textfield_never_overflows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
