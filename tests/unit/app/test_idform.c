/* test_idform.c — the identity screen's form checked field by field with the
 * identity validators. Synthetic identity: MARTIN Camille, born 14/07/1985 in
 * Saint-Étienne (INSEE 42218); NIR body 2 85 07 42 218 001, key 97 - (n mod 97). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/app/idform.h"

static const struct cab_date today = {2026, 11, 29};

static void fill(struct cab_id_form *f)
{
	memset(f, 0, sizeof *f);
	snprintf(f->birth_name, sizeof f->birth_name, "MARTIN");
	snprintf(f->first_names, sizeof f->first_names, "Camille  Élise");
	snprintf(f->birth_date, sizeof f->birth_date, "14/07/1985");
	f->sex = 0;
	f->abroad = 0;
	snprintf(f->place_query, sizeof f->place_query, "Saint-Étienne");
	snprintf(f->place_code, sizeof f->place_code, "42218");
	snprintf(f->phone, sizeof f->phone, "06 12 34 56 78");
}

static void valid_form_builds_the_identity(void **state)
{
	(void)state;
	struct cab_id_form f;
	struct cab_identity id;
	fill(&f);
	long long body = 2850742218001LL;
	snprintf(f.nir, sizeof f.nir, "2 85 07 42 218 001 %02lld", 97 - body % 97);
	assert_true(cab_idform_check(&f, today, &id));
	for (int i = 0; i < 8; i++)
		assert_null(f.err[i]);
	assert_string_equal(id.birth_name, "MARTIN");
	assert_string_equal(id.first_names, "Camille Élise"); /* inner spaces made one */
	assert_int_equal(id.birth_date.year, 1985);
	assert_int_equal(id.birth_date.month, 7);
	assert_int_equal(id.birth_date.day, 14);
	assert_int_equal(id.sex, CAB_SEX_FEMALE);
	assert_int_equal(id.birthplace.kind, CAB_PLACE_COMMUNE);
	assert_string_equal(id.birthplace.code, "42218");
	assert_string_equal(id.phone, "+33612345678");
	assert_int_equal(strlen(id.ins), 15);
}

static void nir_is_optional(void **state)
{
	(void)state;
	struct cab_id_form f;
	struct cab_identity id;
	fill(&f);
	snprintf(f.nir, sizeof f.nir, "   ");
	assert_true(cab_idform_check(&f, today, &id));
	assert_string_equal(id.ins, "");
}

static void every_wrong_field_gets_its_message(void **state)
{
	(void)state;
	struct cab_id_form f;
	struct cab_identity id;
	memset(&id, 0x5a, sizeof id);
	fill(&f);
	f.first_names[0] = 0;
	snprintf(f.birth_date, sizeof f.birth_date, "31/02/1985");
	f.sex = -1;
	f.place_code[0] = 0;
	snprintf(f.phone, sizeof f.phone, "06 12");
	assert_false(cab_idform_check(&f, today, &id));
	assert_null(f.err[CAB_FIELD_BIRTH_NAME]);
	assert_string_equal(f.err[CAB_FIELD_FIRST_NAMES], cab_id_err_msgid(CAB_ID_NAME_EMPTY));
	assert_string_equal(f.err[CAB_FIELD_BIRTH_DATE], cab_id_err_msgid(CAB_ID_DATE_IMPOSSIBLE));
	assert_string_equal(f.err[CAB_FIELD_SEX], cab_id_err_msgid(CAB_ID_SEX_MISSING));
	assert_string_equal(f.err[CAB_FIELD_BIRTHPLACE], cab_id_err_msgid(CAB_ID_PLACE_MISSING));
	assert_string_equal(f.err[CAB_FIELD_PHONE], cab_id_err_msgid(CAB_ID_PHONE_FORMAT));
	assert_null(f.err[CAB_FIELD_INS]);
	assert_int_equal((unsigned char)id.birth_name[0], 0x5a); /* OUT untouched on failure */
}

static void nir_key_and_contradictions(void **state)
{
	(void)state;
	struct cab_id_form f;
	struct cab_identity id;
	long long body = 2850742218001LL;
	int key = (int)(97 - body % 97);
	fill(&f);
	snprintf(f.nir, sizeof f.nir, "285074221800 1%02d", key % 97 + 1); /* wrong key */
	assert_false(cab_idform_check(&f, today, &id));
	assert_string_equal(f.err[CAB_FIELD_INS], cab_id_err_msgid(CAB_ID_NIR_KEY));
	fill(&f);
	f.sex = 1; /* a man with a woman's number */
	snprintf(f.nir, sizeof f.nir, "2850742218001%02d", key);
	assert_false(cab_idform_check(&f, today, &id));
	assert_string_equal(f.err[CAB_FIELD_INS], cab_id_err_msgid(CAB_ID_NIR_SEX));
	fill(&f);
	snprintf(f.birth_date, sizeof f.birth_date, "14/07/1986");
	snprintf(f.nir, sizeof f.nir, "2850742218001%02d", key);
	assert_false(cab_idform_check(&f, today, &id));
	assert_string_equal(f.err[CAB_FIELD_INS], cab_id_err_msgid(CAB_ID_NIR_YEAR));
	cab_idform_set_error(&f, CAB_FIELD_INS, CAB_ID_OK);
	assert_null(f.err[CAB_FIELD_INS]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_form_builds_the_identity),
	    cmocka_unit_test(nir_is_optional),
	    cmocka_unit_test(every_wrong_field_gets_its_message),
	    cmocka_unit_test(nir_key_and_contradictions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
