/* test_nir.c — NIR/NIA parsing, control key (with Corsica), and consistency with
 * the declared sex, year, month and place of birth. All numbers are synthetic; their
 * keys were computed as 97 - (number mod 97) and are also recomputed here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/identity/nir.h"

/* Independent key computation: the 13 digits as a number, 2A -> 19, 2B -> 18. */
static int reference_key(const char *nir)
{
	char d[14];
	memcpy(d, nir, 13);
	d[13] = '\0';
	if (d[5] == '2' && d[6] == 'A')
		d[5] = '1', d[6] = '9';
	if (d[5] == '2' && d[6] == 'B')
		d[5] = '1', d[6] = '8';
	return (int)(97 - strtoull(d, NULL, 10) % 97);
}

static const struct {
	const char *nir;
	int key;
} valid[] = {
	{"184127505612355", 55}, /* man, 1984-12, 75056 */
	{"290026912304512", 12}, /* woman, 1990-02, 69123 */
	{"175012A00432190", 90}, /* Corsica 2A: key on 19 */
	{"202062B03301259", 59}, /* Corsica 2B: key on 18 */
	{"170039910904586", 86}, /* born abroad, 99109 */
	{"285079741145636", 36}, /* overseas 974, commune 11 */
	{"795059935210174", 74}, /* NIA (7) */
	{"160209935001055", 55}, /* fictitious month 20 */
	{"399019910900132", 32}, /* provisional (3) */
	{"145032000400736", 36}, /* Corsica before 1976: 20 */
};

static void valid_numbers_and_their_keys(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		struct cab_nir n;
		assert_int_equal(reference_key(valid[i].nir), valid[i].key);
		assert_int_equal(cab_nir_compute_key(valid[i].nir), valid[i].key);
		enum cab_id_err e = cab_nir_parse(valid[i].nir, &n);
		if (e != CAB_ID_OK)
			fail_msg("%s: %s", valid[i].nir, cab_id_err_name(e));
		assert_int_equal(n.key, valid[i].key);
		assert_string_equal(n.text, valid[i].nir);
	}
}

static void fields_are_decoded(void **state)
{
	(void)state;
	struct cab_nir n;
	assert_int_equal(cab_nir_parse("1 84 12 75 056 123 55", &n), CAB_ID_OK);
	assert_string_equal(n.text, "184127505612355");
	assert_int_equal(n.kind, CAB_NIR_REGISTERED);
	assert_int_equal(n.sex, CAB_SEX_MALE);
	assert_int_equal(n.year2, 84);
	assert_int_equal(n.month, 12);
	assert_true(n.month_known);
	assert_string_equal(n.place, "75056");
	assert_int_equal(cab_nir_parse("2 85 07 974 11 456 36", &n), CAB_ID_OK);
	assert_int_equal(n.sex, CAB_SEX_FEMALE);
	assert_string_equal(n.place, "97411");
	assert_int_equal(cab_nir_parse("175012a00432190", &n), CAB_ID_OK); /* lower case */
	assert_string_equal(n.place, "2A004");
	assert_int_equal(cab_nir_parse("795059935210174", &n), CAB_ID_OK);
	assert_int_equal(n.kind, CAB_NIR_NIA);
	assert_int_equal(n.sex, CAB_SEX_MALE);
	assert_int_equal(cab_nir_parse("160209935001055", &n), CAB_ID_OK);
	assert_false(n.month_known);
	assert_int_equal(cab_nir_parse("399019910900132", &n), CAB_ID_OK);
	assert_int_equal(n.kind, CAB_NIR_PROVISIONAL);
}

static void bad_key(void **state)
{
	(void)state;
	struct cab_nir n;
	memset(&n, 0x5a, sizeof n);
	assert_int_equal(cab_nir_parse("184127505612354", &n), CAB_ID_NIR_KEY);
	assert_int_equal(n.key, 0x5a5a5a5a); /* untouched on error */
	assert_int_equal(cab_nir_parse("184127505612300", &n), CAB_ID_NIR_KEY);
	assert_int_equal(cab_nir_parse("184127505612398", &n), CAB_ID_NIR_KEY);
	/* 2A and 2B give different keys: swapping them is caught */
	assert_int_equal(cab_nir_parse("175012B00432190", &n), CAB_ID_NIR_KEY);
	assert_int_equal(cab_nir_parse("202062A03301259", &n), CAB_ID_NIR_KEY);
	/* a single transposed digit */
	assert_int_equal(cab_nir_parse("148127505612355", &n), CAB_ID_NIR_KEY);
}

static void wrong_length_and_letters(void **state)
{
	(void)state;
	struct cab_nir n;
	assert_int_equal(cab_nir_parse("", &n), CAB_ID_NIR_EMPTY);
	assert_int_equal(cab_nir_parse("   ", &n), CAB_ID_NIR_EMPTY);
	assert_int_equal(cab_nir_parse(NULL, &n), CAB_ID_NIR_EMPTY);
	assert_int_equal(cab_nir_parse("1841275056123", &n), CAB_ID_NIR_LENGTH);   /* no key */
	assert_int_equal(cab_nir_parse("18412750561235", &n), CAB_ID_NIR_LENGTH);  /* 14 */
	assert_int_equal(cab_nir_parse("1841275056123555", &n), CAB_ID_NIR_LENGTH);/* 16 */
	assert_int_equal(cab_nir_parse("1841275O5612355", &n), CAB_ID_NIR_CHARS);  /* letter O */
	assert_int_equal(cab_nir_parse("18412750561A355", &n), CAB_ID_NIR_CHARS);  /* A elsewhere */
	assert_int_equal(cab_nir_parse("1750122C0432190", &n), CAB_ID_NIR_CHARS);  /* 2C */
	assert_int_equal(cab_nir_parse("17501A200432190", &n), CAB_ID_NIR_CHARS);  /* A2 */
	assert_int_equal(cab_nir_parse("184-12-75056-12355", &n), CAB_ID_NIR_CHARS);
}

static void impossible_fields(void **state)
{
	(void)state;
	struct cab_nir n;
	/* checks come before the key, so these have otherwise valid keys */
	assert_int_equal(cab_nir_parse("584127505612355", &n), CAB_ID_NIR_SEX_DIGIT);
	assert_int_equal(cab_nir_parse("084127505612355", &n), CAB_ID_NIR_SEX_DIGIT);
	assert_int_equal(cab_nir_parse("184137505612371", &n), CAB_ID_NIR_MONTH_INVALID);
	assert_int_equal(cab_nir_parse("184457505612301", &n), CAB_ID_NIR_MONTH_INVALID);
	assert_int_equal(cab_nir_parse("184007505612357", &n), CAB_ID_NIR_MONTH_INVALID);
	assert_int_equal(cab_nir_parse("184120005612343", &n), CAB_ID_NIR_PLACE_INVALID);
	assert_int_equal(cab_nir_parse("285079791145671", &n), CAB_ID_NIR_PLACE_INVALID); /* 979 */
	assert_int_equal(cab_nir_parse("184129900012320", &n), CAB_ID_NIR_PLACE_INVALID); /* 99000 */
	assert_int_equal(cab_nir_compute_key("18412"), -1);
	assert_int_equal(cab_nir_compute_key("18412750X6123"), -1);
}

static struct cab_birthplace commune(const char *code)
{
	struct cab_birthplace p = {CAB_PLACE_COMMUNE, "", ""};
	snprintf(p.code, sizeof p.code, "%s", code);
	return p;
}

static struct cab_birthplace abroad(const char *code)
{
	struct cab_birthplace p = {CAB_PLACE_ABROAD, "", ""};
	snprintf(p.code, sizeof p.code, "%s", code);
	return p;
}

static enum cab_id_err check(const char *nir, enum cab_sex sex, int y, int m, int d,
                             struct cab_birthplace place)
{
	struct cab_nir n;
	enum cab_id_err e = cab_nir_parse(nir, &n);
	if (e != CAB_ID_OK)
		return e;
	return cab_nir_check_traits(&n, sex, (struct cab_date){y, m, d}, &place);
}

static void contradictions(void **state)
{
	(void)state;
	const char *p = "184127505612355";
	assert_int_equal(check(p, CAB_SEX_MALE, 1984, 12, 3, commune("75056")), CAB_ID_OK);
	assert_int_equal(check(p, CAB_SEX_FEMALE, 1984, 12, 3, commune("75056")), CAB_ID_NIR_SEX);
	assert_int_equal(check(p, CAB_SEX_MALE, 1985, 12, 3, commune("75056")), CAB_ID_NIR_YEAR);
	assert_int_equal(check(p, CAB_SEX_MALE, 1884, 12, 3, commune("75056")), CAB_ID_OK); /* 2 digits */
	assert_int_equal(check(p, CAB_SEX_MALE, 1984, 11, 3, commune("75056")), CAB_ID_NIR_MONTH);
	assert_int_equal(check(p, CAB_SEX_MALE, 1984, 12, 3, commune("69123")), CAB_ID_NIR_PLACE);
	assert_int_equal(check(p, CAB_SEX_MALE, 1984, 12, 3, commune("75057")), CAB_ID_NIR_PLACE);
	assert_int_equal(check(p, CAB_SEX_MALE, 1984, 12, 3, abroad("99109")), CAB_ID_NIR_PLACE);
	/* the woman's number */
	assert_int_equal(check("290026912304512", CAB_SEX_FEMALE, 1990, 2, 28, commune("69123")),
	                 CAB_ID_OK);
	assert_int_equal(check("290026912304512", CAB_SEX_MALE, 1990, 2, 28, commune("69123")),
	                 CAB_ID_NIR_SEX);
	/* NIA: 7 is a man, born abroad */
	assert_int_equal(check("795059935210174", CAB_SEX_MALE, 1995, 5, 1, abroad("99352")),
	                 CAB_ID_OK);
	assert_int_equal(check("795059935210174", CAB_SEX_FEMALE, 1995, 5, 1, abroad("99352")),
	                 CAB_ID_NIR_SEX);
	assert_int_equal(check("795059935210174", CAB_SEX_MALE, 1995, 5, 1, abroad("99350")),
	                 CAB_ID_NIR_PLACE);
	/* unset traits are not compared */
	assert_int_equal(check(p, CAB_SEX_UNSET, 0, 0, 0,
	                       (struct cab_birthplace){CAB_PLACE_UNSET, "", ""}), CAB_ID_OK);
}

static void month_unknown_is_not_compared(void **state)
{
	(void)state;
	assert_int_equal(check("160209935001055", CAB_SEX_MALE, 1960, 7, 14, abroad("99350")),
	                 CAB_ID_OK);
	assert_int_equal(check("160209935001055", CAB_SEX_MALE, 1961, 7, 14, abroad("99350")),
	                 CAB_ID_NIR_YEAR);
}

static void places_that_legitimately_differ(void **state)
{
	(void)state;
	/* Corsica: 2A/2B since 1976, 20 before */
	assert_int_equal(check("175012A00432190", CAB_SEX_MALE, 1975, 1, 9, commune("2A004")),
	                 CAB_ID_OK);
	assert_int_equal(check("175012A00432190", CAB_SEX_MALE, 1975, 1, 9, commune("2B004")),
	                 CAB_ID_NIR_PLACE);
	assert_int_equal(check("202062B03301259", CAB_SEX_FEMALE, 2002, 6, 9, commune("2B033")),
	                 CAB_ID_OK);
	assert_int_equal(check("145032000400736", CAB_SEX_MALE, 1945, 3, 9, commune("2A004")),
	                 CAB_ID_OK);
	assert_int_equal(check("177032000400720", CAB_SEX_MALE, 1977, 3, 9, commune("2A004")),
	                 CAB_ID_NIR_PLACE); /* 20 after 1976 cannot be */
	/* Paris, Lyon, Marseille: births registered in arrondissements */
	assert_int_equal(check("155117511200196", CAB_SEX_MALE, 1955, 11, 2, commune("75056")),
	                 CAB_ID_OK);
	assert_int_equal(check("155117511200196", CAB_SEX_MALE, 1955, 11, 2, commune("75112")),
	                 CAB_ID_OK);
	assert_int_equal(check("155117511200196", CAB_SEX_MALE, 1955, 11, 2, commune("69123")),
	                 CAB_ID_NIR_PLACE);
	/* born in the former Seine (75) in a commune now in Hauts-de-Seine, before 1968 */
	assert_int_equal(check("155117511200196", CAB_SEX_MALE, 1955, 11, 2, commune("92044")),
	                 CAB_ID_OK);
	/* Algeria before independence: 91-94 */
	assert_int_equal(check("255039204412319", CAB_SEX_FEMALE, 1955, 3, 2, abroad("99352")),
	                 CAB_ID_OK);
	assert_int_equal(check("255039204412319", CAB_SEX_FEMALE, 1955, 3, 2, commune("92044")),
	                 CAB_ID_OK);
	assert_int_equal(check("255039204412319", CAB_SEX_FEMALE, 1955, 3, 2, abroad("99351")),
	                 CAB_ID_NIR_PLACE);
	/* overseas */
	assert_int_equal(check("285079741145636", CAB_SEX_FEMALE, 1985, 7, 2, commune("97411")),
	                 CAB_ID_OK);
	assert_int_equal(check("285079741145636", CAB_SEX_FEMALE, 1985, 7, 2, commune("97410")),
	                 CAB_ID_NIR_PLACE);
}

static void messages_are_specific(void **state)
{
	(void)state;
	assert_string_equal(cab_id_err_msgid(CAB_ID_NIR_KEY), "The NIR key does not match the number");
	assert_string_equal(cab_id_err_name(CAB_ID_NIR_KEY), "nir_key");
	/* every code has its own message and name */
	for (int a = 1; a < CAB_ID_ERR_COUNT; a++) {
		assert_true(strlen(cab_id_err_msgid(a)) > 10);
		for (int b = 1; b < a; b++) {
			assert_string_not_equal(cab_id_err_msgid(a), cab_id_err_msgid(b));
			assert_string_not_equal(cab_id_err_name(a), cab_id_err_name(b));
		}
	}
	assert_string_equal(cab_id_err_msgid(CAB_ID_OK), "");
	assert_string_equal(cab_id_err_name(CAB_ID_ERR_COUNT), "unknown");
	assert_string_equal(cab_id_err_msgid(CAB_ID_ERR_COUNT), "Invalid value");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_numbers_and_their_keys),
		cmocka_unit_test(fields_are_decoded),
		cmocka_unit_test(bad_key),
		cmocka_unit_test(wrong_length_and_letters),
		cmocka_unit_test(impossible_fields),
		cmocka_unit_test(contradictions),
		cmocka_unit_test(month_unknown_is_not_compared),
		cmocka_unit_test(places_that_legitimately_differ),
		cmocka_unit_test(messages_are_specific),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
