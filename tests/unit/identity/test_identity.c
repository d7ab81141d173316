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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_identity),
		cmocka_unit_test(each_trait_has_its_error),
		cmocka_unit_test(ins_against_the_traits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
