/* test_session.c — the session data model: UUID v4 ids, consent record, identity
 * storage, doctor, and erasure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <string.h>

#include "kiosk/flow/session.h"

static void uuid_is_version_4(void **state)
{
	(void)state;
	char a[CAB_UUID_LEN + 1], b[CAB_UUID_LEN + 1];
	for (int round = 0; round < 50; round++) {
		assert_int_equal(cab_uuid_v4(a), 0);
		assert_int_equal(strlen(a), 36);
		for (int i = 0; i < 36; i++) {
			if (i == 8 || i == 13 || i == 18 || i == 23)
				assert_int_equal(a[i], '-');
			else
				assert_true(isxdigit((unsigned char)a[i]) && !isupper((unsigned char)a[i]));
		}
		assert_int_equal(a[14], '4');               /* version */
		assert_non_null(strchr("89ab", a[19]));     /* RFC 9562 variant */
	}
	assert_int_equal(cab_uuid_v4(b), 0);
	assert_string_not_equal(a, b);
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i])
			return false;
	return true;
}

static void begin_language_and_clear(void **state)
{
	(void)state;
	struct cab_session s;
	memset(&s, 0xa5, sizeof s);
	assert_int_equal(cab_session_begin(&s, 1795959900000LL), 0);
	assert_true(s.active);
	assert_string_equal(s.lang, "fr");
	assert_int_equal(s.started_ms, 1795959900000LL);
	assert_int_equal(strlen(s.id), 36);
	assert_false(s.identity_done);
	assert_int_equal(s.consent.time_ms, 0);
	assert_int_equal(cab_session_set_language(&s, "en"), 0);
	assert_string_equal(s.lang, "en");
	assert_int_equal(cab_session_set_language(&s, "de"), -1);
	assert_int_equal(cab_session_set_language(&s, NULL), -1);
	assert_string_equal(s.lang, "en");
	cab_session_clear(&s);
	assert_true(all_zero(&s, sizeof s));
	cab_session_clear(&s); /* twice is fine */
	assert_true(all_zero(&s, sizeof s));
}

static void consent_record(void **state)
{
	(void)state;
	struct cab_session s;
	memset(&s, 0, sizeof s);
	/* no session, no consent */
	assert_int_equal(cab_session_record_consent(&s, "v1", CAB_ANSWER_YES, CAB_ANSWER_YES, 5), -1);
	cab_session_begin(&s, 1);
	cab_session_set_language(&s, "en");
	assert_false(cab_session_consented(&s));
	assert_int_equal(cab_session_record_consent(&s, "", CAB_ANSWER_YES, CAB_ANSWER_YES, 5), -1);
	assert_int_equal(cab_session_record_consent(&s, NULL, CAB_ANSWER_YES, CAB_ANSWER_YES, 5), -1);
	assert_int_equal(cab_session_record_consent(&s, "0123456789012345678901234567890123",
	                                            CAB_ANSWER_YES, CAB_ANSWER_YES, 5), -1);
	assert_int_equal(cab_session_record_consent(&s, "v1", CAB_ANSWER_NONE, CAB_ANSWER_YES, 5), -1);
	assert_int_equal(cab_session_record_consent(&s, "v1", CAB_ANSWER_YES, 7, 5), -1);
	assert_false(cab_session_consented(&s));
	assert_int_equal(cab_session_record_consent(&s, "consent-2026-11-v1", CAB_ANSWER_YES,
	                                            CAB_ANSWER_NO, 1795959901234LL), 0);
	assert_string_equal(s.consent.text_version, "consent-2026-11-v1");
	assert_string_equal(s.consent.lang, "en");
	assert_int_equal(s.consent.teleconsultation, CAB_ANSWER_YES);
	assert_int_equal(s.consent.readings, CAB_ANSWER_NO);
	assert_int_equal(s.consent.time_ms, 1795959901234LL);
	assert_true(cab_session_consented(&s));
	assert_false(cab_session_may_send_readings(&s));
	cab_session_record_consent(&s, "consent-2026-11-v1", CAB_ANSWER_YES, CAB_ANSWER_YES, 9);
	assert_true(cab_session_may_send_readings(&s));
	cab_session_record_consent(&s, "consent-2026-11-v1", CAB_ANSWER_NO, CAB_ANSWER_YES, 9);
	assert_false(cab_session_consented(&s));
	assert_false(cab_session_may_send_readings(&s));
}

static void identity_and_doctor(void **state)
{
	(void)state;
	struct cab_session s;
	cab_session_begin(&s, 1);
	struct cab_identity id;
	memset(&id, 0, sizeof id);
	strcpy(id.birth_name, "Testeur");
	strcpy(id.first_names, "Alex");
	id.birth_date = (struct cab_date){1984, 12, 3};
	id.sex = CAB_SEX_MALE;
	id.birthplace.kind = CAB_PLACE_COMMUNE;
	strcpy(id.birthplace.code, "75056");
	strcpy(id.phone, "+33612345678");
	strcpy(id.ins, "184127505612354"); /* bad key */
	enum cab_id_field field = CAB_FIELD_NONE;
	assert_int_equal(cab_session_set_identity(&s, &id, (struct cab_date){2026, 11, 29}, &field),
	                 CAB_ID_NIR_KEY);
	assert_int_equal(field, CAB_FIELD_INS);
	assert_false(s.identity_done);
	assert_string_equal(s.identity.birth_name, "");
	strcpy(id.ins, "184127505612355");
	strcpy(id.phone, "06 12 34 56 78");
	assert_int_equal(cab_session_set_identity(&s, &id, (struct cab_date){2026, 11, 29}, NULL),
	                 CAB_ID_OK);
	assert_true(s.identity_done);
	assert_string_equal(s.identity.birth_name, "Testeur");
	assert_string_equal(s.identity.ins, "184127505612355"); /* stored in normal form */
	assert_string_equal(s.identity.phone, "+33612345678");

	cab_session_set_doctor(&s, "Dr Claire Exemple", "Médecine générale", "10000000001");
	assert_true(s.doctor.known);
	assert_string_equal(s.doctor.name, "Dr Claire Exemple");
	assert_string_equal(s.doctor.specialty, "Médecine générale");
	assert_string_equal(s.doctor.rpps, "10000000001");
	cab_session_set_doctor(&s, NULL, NULL, "123456789012345");
	assert_string_equal(s.doctor.name, "");
	assert_string_equal(s.doctor.rpps, "12345678901"); /* truncated to the field */
	cab_session_clear(&s);
	assert_true(all_zero(&s, sizeof s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uuid_is_version_4),
		cmocka_unit_test(begin_language_and_clear),
		cmocka_unit_test(consent_record),
		cmocka_unit_test(identity_and_doctor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
