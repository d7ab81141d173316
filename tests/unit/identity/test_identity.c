/* test_identity.c — the whole-identity check: each trait's error and the field it
 * points at, in screen order, and the INS number against the other traits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/identity/identity.h"

static const struct cab_date today = {2026, 11, 29};

static struct cab_identity base(void)
{
	struct cab_identity id;
	memset(&id, 0, sizeof id);
	strcpy(id.birth_name, "Testeur");
	strcpy(id.first_names, "Alex Camille");
	id.birth_date = (struct cab_date){1984, 12, 3};
	id.sex = CAB_SEX_MALE;
	id.birthplace.kind = CAB_PLACE_COMMUNE;
	strcpy(id.birthplace.code, "75056");
	strcpy(id.birthplace.name, "Paris");
	strcpy(id.ins, "184127505612355");
	strcpy(id.phone, "+33612345678");
	return id;
}

static void expect(const struct cab_identity *id, enum cab_id_err err, enum cab_id_field field)
{
	enum cab_id_field got = (enum cab_id_field)99;
	enum cab_id_err e = cab_identity_check(id, today, &got);
	if (e != err)
		fail_msg("expected %s, got %s", cab_id_err_name(err), cab_id_err_name(e));
	assert_int_equal(got, field);
}

static void valid_identity(void **state)
{
	(void)state;
	struct cab_identity id = base();
	expect(&id, CAB_ID_OK, CAB_FIELD_NONE);
	id.ins[0] = '\0'; /* the INS number is optional */
	expect(&id, CAB_ID_OK, CAB_FIELD_NONE);
	assert_int_equal(cab_identity_check(&id, today, NULL), CAB_ID_OK);
	/* born abroad */
	id = base();
	strcpy(id.ins, "170039910904586");
	id.birth_date = (struct cab_date){1970, 3, 1};
	id.birthplace.kind = CAB_PLACE_ABROAD;
	strcpy(id.birthplace.code, "99109");
	expect(&id, CAB_ID_OK, CAB_FIELD_NONE);
}

static void each_trait_has_its_error(void **state)
{
	(void)state;
	struct cab_identity id = base();
	strcpy(id.birth_name, "  ");
	expect(&id, CAB_ID_NAME_EMPTY, CAB_FIELD_BIRTH_NAME);
	id = base();
	strcpy(id.first_names, "Alex2");
	expect(&id, CAB_ID_NAME_CHARS, CAB_FIELD_FIRST_NAMES);
	id = base();
	id.birth_date = (struct cab_date){0, 0, 0};
	expect(&id, CAB_ID_DATE_EMPTY, CAB_FIELD_BIRTH_DATE);
	id.birth_date = (struct cab_date){1983, 2, 29};
	expect(&id, CAB_ID_DATE_IMPOSSIBLE, CAB_FIELD_BIRTH_DATE);
	id.birth_date = (struct cab_date){2027, 1, 1};
	expect(&id, CAB_ID_DATE_FUTURE, CAB_FIELD_BIRTH_DATE);
	id.birth_date = (struct cab_date){1884, 12, 3};
	expect(&id, CAB_ID_DATE_TOO_OLD, CAB_FIELD_BIRTH_DATE);
	id = base();
	id.sex = CAB_SEX_UNSET;
	expect(&id, CAB_ID_SEX_MISSING, CAB_FIELD_SEX);
	id = base();
	id.birthplace.kind = CAB_PLACE_UNSET;
	expect(&id, CAB_ID_PLACE_MISSING, CAB_FIELD_BIRTHPLACE);
	id = base();
	strcpy(id.birthplace.code, "7505");
	expect(&id, CAB_ID_PLACE_CODE, CAB_FIELD_BIRTHPLACE);
	strcpy(id.birthplace.code, "99109"); /* a country code for a commune */
	expect(&id, CAB_ID_PLACE_CODE, CAB_FIELD_BIRTHPLACE);
	id.birthplace.kind = CAB_PLACE_ABROAD;
	strcpy(id.birthplace.code, "75056"); /* a commune code for a country */
	expect(&id, CAB_ID_PLACE_CODE, CAB_FIELD_BIRTHPLACE);
	id = base();
	strcpy(id.phone, "12");
	expect(&id, CAB_ID_PHONE_FORMAT, CAB_FIELD_PHONE);
	id.phone[0] = '\0';
	expect(&id, CAB_ID_PHONE_EMPTY, CAB_FIELD_PHONE);
	/* first error in screen order wins */
	id = base();
	id.birth_name[0] = '\0';
	id.phone[0] = '\0';
	expect(&id, CAB_ID_NAME_EMPTY, CAB_FIELD_BIRTH_NAME);
}

static void ins_against_the_traits(void **state)
{
	(void)state;
	struct cab_identity id = base();
	strcpy(id.ins, "184127505612354");
	expect(&id, CAB_ID_NIR_KEY, CAB_FIELD_INS);
	strcpy(id.ins, "18412750561");
	expect(&id, CAB_ID_NIR_LENGTH, CAB_FIELD_INS);
	id = base();
	id.sex = CAB_SEX_FEMALE;
	expect(&id, CAB_ID_NIR_SEX, CAB_FIELD_INS);
	id = base();
	id.birth_date.year = 1985;
	expect(&id, CAB_ID_NIR_YEAR, CAB_FIELD_INS);
	id = base();
	id.birth_date.month = 11;
	expect(&id, CAB_ID_NIR_MONTH, CAB_FIELD_INS);
	id = base();
	strcpy(id.birthplace.code, "13055");
	expect(&id, CAB_ID_NIR_PLACE, CAB_FIELD_INS);
	/* Corsica */
	id = base();
	strcpy(id.ins, "175012A00432190");
	id.birth_date = (struct cab_date){1975, 1, 20};
	strcpy(id.birthplace.code, "2A004");
	expect(&id, CAB_ID_OK, CAB_FIELD_NONE);
	strcpy(id.birthplace.code, "2B033");
	expect(&id, CAB_ID_NIR_PLACE, CAB_FIELD_INS);
}

static void normal_form(void **state)
{
	(void)state;
	struct cab_identity id = base(), out;
	strcpy(id.birth_name, "  Testeur  ");
	strcpy(id.first_names, "Alex   Camille");
	strcpy(id.ins, "184127505612355");
	strcpy(id.phone, "06 12 34 56 78");
	assert_int_equal(cab_identity_normalise(&id, today, &out, NULL), CAB_ID_OK);
	assert_string_equal(out.birth_name, "Testeur");
	assert_string_equal(out.first_names, "Alex Camille");
	assert_string_equal(out.ins, "184127505612355");
	assert_string_equal(out.phone, "+33612345678");
	assert_string_equal(out.birthplace.code, "75056");
	/* in place */
	assert_int_equal(cab_identity_normalise(&id, today, &id, NULL), CAB_ID_OK);
	assert_string_equal(id.phone, "+33612345678");
	/* an error leaves OUT alone */
	memset(&out, 0x11, sizeof out);
	id.sex = CAB_SEX_FEMALE;
	enum cab_id_field f;
	assert_int_equal(cab_identity_normalise(&id, today, &out, &f), CAB_ID_NIR_SEX);
	assert_int_equal(f, CAB_FIELD_INS);
	assert_int_equal((unsigned char)out.birth_name[0], 0x11);
}

static struct cab_identity_input typed(void)
{
	return (struct cab_identity_input){
		.birth_name = " Testeur", .first_names = "Alex  Camille", .birth_date = "03121984",
		.sex = CAB_SEX_MALE, .place_kind = CAB_PLACE_COMMUNE, .place_code = "75056",
		.place_name = "Paris", .ins = "1 84 12 75 056 123 55",
		.phone = "+33 (0)6 12 34 56 78",
	};
}

static void from_what_was_typed(void **state)
{
	(void)state;
	struct cab_identity out;
	enum cab_id_field f = (enum cab_id_field)99;
	struct cab_identity_input in = typed();
	assert_int_equal(cab_identity_from_input(&in, today, &out, &f), CAB_ID_OK);
	assert_int_equal(f, CAB_FIELD_NONE);
	assert_string_equal(out.birth_name, "Testeur");
	assert_string_equal(out.first_names, "Alex Camille");
	assert_int_equal(out.birth_date.year, 1984);
	assert_int_equal(out.birth_date.month, 12);
	assert_int_equal(out.birth_date.day, 3);
	assert_string_equal(out.birthplace.name, "Paris");
	assert_string_equal(out.ins, "184127505612355");
	assert_string_equal(out.phone, "+33612345678");
	assert_int_equal(cab_identity_check(&out, today, NULL), CAB_ID_OK);
	in.ins = "   "; /* blank = not given */
	assert_int_equal(cab_identity_from_input(&in, today, &out, &f), CAB_ID_OK);
	assert_string_equal(out.ins, "");

	struct { struct cab_identity_input in; enum cab_id_err err; enum cab_id_field field; } bad[] = {
		{typed(), CAB_ID_NAME_EMPTY, CAB_FIELD_BIRTH_NAME},
		{typed(), CAB_ID_NAME_SEPARATORS, CAB_FIELD_FIRST_NAMES},
		{typed(), CAB_ID_DATE_IMPOSSIBLE, CAB_FIELD_BIRTH_DATE},
		{typed(), CAB_ID_DATE_FUTURE, CAB_FIELD_BIRTH_DATE},
		{typed(), CAB_ID_SEX_MISSING, CAB_FIELD_SEX},
		{typed(), CAB_ID_PLACE_MISSING, CAB_FIELD_BIRTHPLACE},
		{typed(), CAB_ID_PLACE_CODE, CAB_FIELD_BIRTHPLACE},
		{typed(), CAB_ID_NIR_KEY, CAB_FIELD_INS},
		{typed(), CAB_ID_NIR_MONTH, CAB_FIELD_INS},
		{typed(), CAB_ID_PHONE_FORMAT, CAB_FIELD_PHONE},
	};
	bad[0].in.birth_name = NULL;
	bad[1].in.first_names = "Alex-";
	bad[2].in.birth_date = "31/02/1984";
	bad[3].in.birth_date = "01/01/2030";
	bad[4].in.sex = CAB_SEX_UNSET;
	bad[5].in.place_code = "";
	bad[6].in.place_code = "750561";
	bad[7].in.ins = "184127505612354";
	bad[8].in.birth_date = "03/11/1984";
	bad[9].in.phone = "06 12";
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&out, 0x22, sizeof out);
		enum cab_id_err e = cab_identity_from_input(&bad[i].in, today, &out, &f);
		if (e != bad[i].err || f != bad[i].field)
			fail_msg("case %zu: got %s field %d", i, cab_id_err_name(e), f);
		assert_int_equal((unsigned char)out.phone[0], 0x22);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_identity),
		cmocka_unit_test(each_trait_has_its_error),
		cmocka_unit_test(ins_against_the_traits),
		cmocka_unit_test(normal_form),
		cmocka_unit_test(from_what_was_typed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
