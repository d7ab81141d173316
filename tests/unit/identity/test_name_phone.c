/* test_name_phone.c — names (letters with accents, space, hyphen, apostrophe) and
 * phone numbers (French and E.164), with their specific errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/identity/identity.h"
#include "kiosk/identity/name.h"
#include "kiosk/identity/phone.h"

static void names_accepted_and_normalised(void **state)
{
	(void)state;
	char out[CAB_NAME_BYTES];
	assert_int_equal(cab_name_normalise("Testeur", out, sizeof out), CAB_ID_OK);
	assert_string_equal(out, "Testeur");
	assert_int_equal(cab_name_normalise("  Jean-Édouard   Élise ", out, sizeof out), CAB_ID_OK);
	assert_string_equal(out, "Jean-Édouard Élise");
	assert_int_equal(cab_name_normalise("d’Artagnan", out, sizeof out), CAB_ID_OK);
	assert_string_equal(out, "d'Artagnan");
	assert_int_equal(cab_name_normalise("N'Diaye", out, sizeof out), CAB_ID_OK);
	assert_int_equal(cab_name_normalise("Œdipe Çà Ñúñez Łódź", out, sizeof out), CAB_ID_OK);
	assert_int_equal(cab_name_normalise("ÆSIR Straße", out, sizeof out), CAB_ID_OK);
}

static void names_refused(void **state)
{
	(void)state;
	char out[CAB_NAME_BYTES] = "unchanged";
	assert_int_equal(cab_name_normalise("", out, sizeof out), CAB_ID_NAME_EMPTY);
	assert_int_equal(cab_name_normalise("    ", out, sizeof out), CAB_ID_NAME_EMPTY);
	assert_int_equal(cab_name_normalise(NULL, out, sizeof out), CAB_ID_NAME_EMPTY);
	assert_int_equal(cab_name_normalise("R2D2", out, sizeof out), CAB_ID_NAME_CHARS);
	assert_int_equal(cab_name_normalise("Anne_Marie", out, sizeof out), CAB_ID_NAME_CHARS);
	assert_int_equal(cab_name_normalise("Zoé!", out, sizeof out), CAB_ID_NAME_CHARS);
	assert_int_equal(cab_name_normalise("Jean×Paul", out, sizeof out), CAB_ID_NAME_CHARS);
	assert_int_equal(cab_name_normalise("\xc3\x28", out, sizeof out), CAB_ID_NAME_CHARS); /* bad UTF-8 */
	assert_int_equal(cab_name_normalise("\xc0\xaf", out, sizeof out), CAB_ID_NAME_CHARS); /* overlong */
	assert_int_equal(cab_name_normalise("-Anne", out, sizeof out), CAB_ID_NAME_SEPARATORS);
	assert_int_equal(cab_name_normalise("Anne-", out, sizeof out), CAB_ID_NAME_SEPARATORS);
	assert_int_equal(cab_name_normalise("Anne--Marie", out, sizeof out), CAB_ID_NAME_SEPARATORS);
	assert_int_equal(cab_name_normalise("Anne - Marie", out, sizeof out), CAB_ID_NAME_SEPARATORS);
	assert_int_equal(cab_name_normalise("'", out, sizeof out), CAB_ID_NAME_SEPARATORS);
	assert_string_equal(out, "unchanged");
	char longname[CAB_NAME_MAX_CHARS + 2];
	memset(longname, 'a', CAB_NAME_MAX_CHARS);
	longname[CAB_NAME_MAX_CHARS] = '\0';
	assert_int_equal(cab_name_normalise(longname, out, sizeof out), CAB_ID_OK);
	longname[CAB_NAME_MAX_CHARS] = 'a';
	longname[CAB_NAME_MAX_CHARS + 1] = '\0';
	assert_int_equal(cab_name_normalise(longname, out, sizeof out), CAB_ID_NAME_TOO_LONG);
	/* 100 accented letters (200 bytes) still fit */
	char accents[CAB_NAME_MAX_CHARS * 2 + 1] = "";
	for (int i = 0; i < CAB_NAME_MAX_CHARS; i++)
		strcat(accents, "é");
	assert_int_equal(cab_name_normalise(accents, out, sizeof out), CAB_ID_OK);
	char small[4];
	assert_int_equal(cab_name_normalise("Anne", small, sizeof small), CAB_ID_NAME_TOO_LONG);
}

static void phone(const char *in, const char *want)
{
	char out[CAB_PHONE_E164_BYTES];
	enum cab_id_err e = cab_phone_normalise(in, out);
	if (e != CAB_ID_OK)
		fail_msg("%s: %s", in, cab_id_err_name(e));
	assert_string_equal(out, want);
}

static void phones_normalised_to_e164(void **state)
{
	(void)state;
	phone("06 12 34 56 78", "+33612345678");
	phone("06.12.34.56.78", "+33612345678");
	phone("06-12-34-56-78", "+33612345678");
	phone("0612345678", "+33612345678");
	phone("01 23 45 67 89", "+33123456789");
	phone("+33 6 12 34 56 78", "+33612345678");
	phone("+33 (0)6 12 34 56 78", "+33612345678");
	phone("+33 06 12 34 56 78", "+33612345678");
	phone("0033 6 12 34 56 78", "+33612345678");
	phone("+44 20 7946 0000", "+442079460000");
	phone("+1 202 555 0100", "+12025550100");
	phone("0049 30 1234567", "+49301234567");
	phone("02 62 12 34 56", "+262262123456");   /* Réunion */
	phone("06 92 12 34 56", "+262692123456");   /* Réunion mobile */
	phone("05 90 12 34 56", "+590590123456");   /* Guadeloupe */
	phone("06 96 12 34 56", "+596696123456");   /* Martinique mobile */
	phone("+123456789012345", "+123456789012345"); /* 15 digits, the E.164 maximum */
}

static void phones_refused(void **state)
{
	(void)state;
	char out[CAB_PHONE_E164_BYTES] = "unchanged";
	assert_int_equal(cab_phone_normalise("", out), CAB_ID_PHONE_EMPTY);
	assert_int_equal(cab_phone_normalise("  ", out), CAB_ID_PHONE_EMPTY);
	assert_int_equal(cab_phone_normalise(NULL, out), CAB_ID_PHONE_EMPTY);
	assert_int_equal(cab_phone_normalise("06 12 34 56 7a", out), CAB_ID_PHONE_CHARS);
	assert_int_equal(cab_phone_normalise("06+12345678", out), CAB_ID_PHONE_CHARS);
	assert_int_equal(cab_phone_normalise("++33612345678", out), CAB_ID_PHONE_CHARS);
	assert_int_equal(cab_phone_normalise("+", out), CAB_ID_PHONE_FORMAT);
	assert_int_equal(cab_phone_normalise("06 12 34 56", out), CAB_ID_PHONE_FORMAT);     /* 8 digits */
	assert_int_equal(cab_phone_normalise("06 12 34 56 789", out), CAB_ID_PHONE_FORMAT); /* 11 */
	assert_int_equal(cab_phone_normalise("6 12 34 56 78", out), CAB_ID_PHONE_FORMAT);   /* no 0 */
	assert_int_equal(cab_phone_normalise("00 12 34", out), CAB_ID_PHONE_FORMAT);         /* 00 + too few */
	assert_int_equal(cab_phone_normalise("+33 12 34 56 78", out), CAB_ID_PHONE_FORMAT); /* 8 after 33 */
	assert_int_equal(cab_phone_normalise("+33 0 12 34 56 78", out), CAB_ID_PHONE_FORMAT);
	assert_int_equal(cab_phone_normalise("+0 123 456 789", out), CAB_ID_PHONE_FORMAT);
	assert_int_equal(cab_phone_normalise("+44 123", out), CAB_ID_PHONE_FORMAT);         /* too short */
	assert_int_equal(cab_phone_normalise("+1234567890123456", out), CAB_ID_PHONE_FORMAT);/* 16 */
	assert_int_equal(cab_phone_normalise("0612345678901234567890123", out), CAB_ID_PHONE_FORMAT);
	assert_string_equal(out, "unchanged");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_accepted_and_normalised),
		cmocka_unit_test(names_refused),
		cmocka_unit_test(phones_normalised_to_e164),
		cmocka_unit_test(phones_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
