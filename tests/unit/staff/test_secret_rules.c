/* test_secret_rules.c — PIN and password rules and their messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/staff/secret_rules.h"

#define PIN(s) cab_secret_check(CAB_ROLE_PHARMACIST, s)
#define PWD(s) cab_secret_check(CAB_ROLE_TECHNICIAN, s)

static void pin_rules(void **state)
{
	(void)state;
	assert_int_equal(PIN("482915"), CAB_SECRET_OK);
	assert_int_equal(PIN("4829150736"), CAB_SECRET_OK);
	assert_int_equal(PIN("48291"), CAB_SECRET_TOO_SHORT);
	assert_int_equal(PIN(""), CAB_SECRET_TOO_SHORT);
	assert_int_equal(PIN("4829150736125"), CAB_SECRET_TOO_LONG);
	assert_int_equal(PIN("48a915"), CAB_SECRET_NOT_DIGITS);
	assert_int_equal(PIN("482 15"), CAB_SECRET_NOT_DIGITS);
	assert_int_equal(PIN("48291\n"), CAB_SECRET_CONTROL_CHAR);
	assert_int_equal(PIN(NULL), CAB_SECRET_TOO_SHORT);
}

static void trivial_pins_refused(void **state)
{
	(void)state;
	const char *trivial[] = {"000000", "999999", "123456", "654321", "012345", "987654",
	                         "890123", "210987", "121212", "123123", "909090", "1234567890",
	                         "00000000"};
	for (size_t i = 0; i < sizeof trivial / sizeof *trivial; i++)
		assert_int_equal(PIN(trivial[i]), CAB_SECRET_TRIVIAL);
	/* Near misses are fine. */
	assert_int_equal(PIN("123457"), CAB_SECRET_OK);
	assert_int_equal(PIN("121213"), CAB_SECRET_OK);
	assert_int_equal(PIN("000001"), CAB_SECRET_OK);
}

static void password_rules(void **state)
{
	(void)state;
	assert_int_equal(PWD("correct-horse-7"), CAB_SECRET_OK);
	assert_int_equal(PWD("short-pass1"), CAB_SECRET_TOO_SHORT);  /* 11 characters */
	assert_int_equal(PWD("short-pass12"), CAB_SECRET_OK);        /* 12 */
	/* 11 characters written in 13 bytes: still too short (characters, not bytes). */
	assert_int_equal(PWD("\xc3\xa9t\xc3\xa9-cabine1"), CAB_SECRET_TOO_SHORT);
	assert_int_equal(PWD("\xc3\xa9t\xc3\xa9-cabine12"), CAB_SECRET_OK);
	assert_int_equal(PWD("aaaaaaaaaaaaaaaa"), CAB_SECRET_TOO_UNIFORM);
	assert_int_equal(PWD("abababababcdcd"), CAB_SECRET_TOO_UNIFORM); /* 4 different */
	assert_int_equal(PWD("123456789012"), CAB_SECRET_TRIVIAL);
	assert_int_equal(PWD("password\tcabin"), CAB_SECRET_CONTROL_CHAR);
	char longer[140];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	memcpy(longer, "abcdef", 6);
	assert_int_equal(PWD(longer), CAB_SECRET_TOO_LONG);
	assert_int_equal(cab_secret_check(CAB_ROLE_SYSTEM, "whatever-long-enough"), CAB_SECRET_BAD_ROLE);
}

static void messages_are_clear(void **state)
{
	(void)state;
	assert_string_equal(cab_secret_problem_message(CAB_ROLE_PHARMACIST, CAB_SECRET_TOO_SHORT),
	                    "The PIN must have at least 6 digits.");
	assert_string_equal(cab_secret_problem_message(CAB_ROLE_TECHNICIAN, CAB_SECRET_TOO_SHORT),
	                    "The password must have at least 12 characters.");
	assert_string_equal(cab_secret_problem_message(CAB_ROLE_PHARMACIST, CAB_SECRET_NOT_DIGITS),
	                    "The PIN may contain digits only.");
	assert_string_equal(cab_secret_problem_message(CAB_ROLE_PHARMACIST, CAB_SECRET_TRIVIAL),
	                    "This PIN is too easy to guess (repeated or consecutive digits).");
	assert_string_equal(cab_secret_problem_message(CAB_ROLE_TECHNICIAN, CAB_SECRET_TOO_UNIFORM),
	                    "The password must use at least 6 different characters.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pin_rules),
		cmocka_unit_test(trivial_pins_refused),
		cmocka_unit_test(password_rules),
		cmocka_unit_test(messages_are_clear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
