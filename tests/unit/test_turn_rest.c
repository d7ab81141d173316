/* test_turn_rest.c — coturn REST credentials (common/turn_rest.h). The expected
 * credential was computed independently with
 *   printf %s 1796400000:s-1 | openssl dgst -sha1 -hmac north-wind -binary | base64 */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "common/turn_rest.h"

static void test_vector(void **st)
{
	(void)st;
	char u[CAB_TURN_USER_MAX], c[CAB_TURN_CRED_MAX];
	assert_int_equal(
	    cab_turn_rest_credentials("north-wind", "s-1", 1796400000 - 600, 600, u, c), 0);
	assert_string_equal(u, "1796400000:s-1");
	assert_string_equal(c, "JZmITuE1CyhEdZDQXPLUnPeDBaE=");
}

static void test_refusals(void **st)
{
	(void)st;
	char u[CAB_TURN_USER_MAX], c[CAB_TURN_CRED_MAX];
	assert_int_equal(cab_turn_rest_credentials("", "s-1", 0, 600, u, c), -1);
	assert_int_equal(cab_turn_rest_credentials("k", "a:b", 0, 600, u, c), -1);
	assert_int_equal(cab_turn_rest_credentials("k", "s-1", 0, 0, u, c), -1);
	char longname[200];
	for (int i = 0; i < 199; i++)
		longname[i] = 'a';
	longname[199] = 0;
	assert_int_equal(cab_turn_rest_credentials("k", longname, 0, 600, u, c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vector),
	    cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
