/* test_date.c — dates of birth: formats, impossible dates, leap years, future dates
 * and absurd ages, each with its own error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/identity/date.h"

static const struct cab_date today = {2026, 11, 29};

static enum cab_id_err parse(const char *s, struct cab_date *d)
{
	return cab_date_parse_birth(s, today, d);
}

static void accepted_formats(void **state)
{
	(void)state;
	struct cab_date d;
	assert_int_equal(parse("03/12/1984", &d), CAB_ID_OK);
	assert_int_equal(d.day, 3);
	assert_int_equal(d.month, 12);
	assert_int_equal(d.year, 1984);
	assert_int_equal(parse("03121984", &d), CAB_ID_OK);
	assert_int_equal(d.day, 3);
	assert_int_equal(d.month, 12);
	assert_int_equal(d.year, 1984);
	assert_int_equal(parse("  3/7/2001 ", &d), CAB_ID_OK);
	assert_int_equal(d.month, 7);
	assert_int_equal(parse("03-12-1984", &d), CAB_ID_OK);
	assert_int_equal(parse("03.12.1984", &d), CAB_ID_OK);
}

static void malformed(void **state)
{
	(void)state;
	struct cab_date d = {1, 2, 3};
	assert_int_equal(parse("", &d), CAB_ID_DATE_EMPTY);
	assert_int_equal(parse("   ", &d), CAB_ID_DATE_EMPTY);
	assert_int_equal(parse(NULL, &d), CAB_ID_DATE_EMPTY);
	assert_int_equal(parse("1984-12-03", &d), CAB_ID_DATE_FORMAT); /* ISO order */
	assert_int_equal(parse("03/12/84", &d), CAB_ID_DATE_FORMAT);   /* 2-digit year */
	assert_int_equal(parse("03/12-1984", &d), CAB_ID_DATE_FORMAT); /* mixed separators */
	assert_int_equal(parse("3 décembre 1984", &d), CAB_ID_DATE_FORMAT);
	assert_int_equal(parse("0312198", &d), CAB_ID_DATE_FORMAT);
	assert_int_equal(parse("031219845", &d), CAB_ID_DATE_FORMAT);
	assert_int_equal(parse("03/12/1984x", &d), CAB_ID_DATE_FORMAT);
	assert_int_equal(parse("003/12/1984", &d), CAB_ID_DATE_FORMAT);
	assert_int_equal(d.year, 1); /* untouched */
}

static void impossible_dates(void **state)
{
	(void)state;
	struct cab_date d;
	assert_int_equal(parse("31/02/1990", &d), CAB_ID_DATE_IMPOSSIBLE);
	assert_int_equal(parse("30/02/2000", &d), CAB_ID_DATE_IMPOSSIBLE);
	assert_int_equal(parse("31/04/1990", &d), CAB_ID_DATE_IMPOSSIBLE);
	assert_int_equal(parse("00/01/1990", &d), CAB_ID_DATE_IMPOSSIBLE);
	assert_int_equal(parse("12/13/1990", &d), CAB_ID_DATE_IMPOSSIBLE);
	assert_int_equal(parse("12/00/1990", &d), CAB_ID_DATE_IMPOSSIBLE);
	assert_int_equal(parse("32011990", &d), CAB_ID_DATE_IMPOSSIBLE);
	assert_int_equal(parse("31/12/1990", &d), CAB_ID_OK);
}

static void leap_years(void **state)
{
	(void)state;
	struct cab_date d;
	assert_int_equal(parse("29/02/2000", &d), CAB_ID_OK);           /* divisible by 400 */
	assert_int_equal(parse("29/02/1996", &d), CAB_ID_OK);           /* by 4 */
	assert_int_equal(parse("29/02/2024", &d), CAB_ID_OK);
	assert_int_equal(parse("29/02/1900", &d), CAB_ID_DATE_IMPOSSIBLE); /* by 100 only */
	assert_int_equal(parse("29/02/2023", &d), CAB_ID_DATE_IMPOSSIBLE);
	assert_int_equal(parse("29/02/1999", &d), CAB_ID_DATE_IMPOSSIBLE);
	assert_true(cab_date_is_leap(2000));
	assert_false(cab_date_is_leap(1900));
	assert_false(cab_date_is_leap(2100));
	assert_int_equal(cab_date_days_in_month(2024, 2), 29);
	assert_int_equal(cab_date_days_in_month(2025, 2), 28);
	assert_int_equal(cab_date_days_in_month(2025, 13), 0);
}

static void future_and_too_old(void **state)
{
	(void)state;
	struct cab_date d;
	assert_int_equal(parse("29/11/2026", &d), CAB_ID_OK);  /* born today */
	assert_int_equal(parse("30/11/2026", &d), CAB_ID_OK);  /* already tomorrow in Paris */
	assert_int_equal(parse("01/12/2026", &d), CAB_ID_DATE_FUTURE);
	assert_int_equal(parse("01/01/2027", &d), CAB_ID_DATE_FUTURE);
	assert_int_equal(parse("29/11/3026", &d), CAB_ID_DATE_FUTURE);
	assert_int_equal(parse("29/11/1896", &d), CAB_ID_OK);  /* exactly 130 */
	assert_int_equal(parse("28/11/1896", &d), CAB_ID_DATE_TOO_OLD);
	assert_int_equal(parse("01/01/1066", &d), CAB_ID_DATE_TOO_OLD);
	/* year-end and leap-day edges of "tomorrow" and "130 years ago" */
	struct cab_date nye = {2026, 12, 31};
	assert_int_equal(cab_date_parse_birth("01/01/2027", nye, &d), CAB_ID_OK);
	assert_int_equal(cab_date_parse_birth("02/01/2027", nye, &d), CAB_ID_DATE_FUTURE);
	struct cab_date leap = {2028, 2, 29};
	assert_int_equal(cab_date_parse_birth("28/02/1898", leap, &d), CAB_ID_OK);
	assert_int_equal(cab_date_parse_birth("27/02/1898", leap, &d), CAB_ID_DATE_TOO_OLD);
	/* split dates use the same checks */
	assert_int_equal(cab_date_check_birth((struct cab_date){1984, 2, 30}, today),
	                 CAB_ID_DATE_IMPOSSIBLE);
	assert_int_equal(cab_date_check_birth((struct cab_date){2030, 1, 1}, today),
	                 CAB_ID_DATE_FUTURE);
}

static void today_from_epoch(void **state)
{
	(void)state;
	struct cab_date d = cab_date_from_epoch_ms(1795959900123LL); /* 2026-11-29T13:45Z */
	assert_int_equal(d.year, 2026);
	assert_int_equal(d.month, 11);
	assert_int_equal(d.day, 29);
	assert_int_equal(cab_date_cmp((struct cab_date){2000, 1, 2}, (struct cab_date){2000, 1, 1}), 1);
	assert_int_equal(cab_date_cmp((struct cab_date){1999, 12, 31}, (struct cab_date){2000, 1, 1}), -1);
	assert_int_equal(cab_date_cmp(d, d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted_formats),
		cmocka_unit_test(malformed),
		cmocka_unit_test(impossible_dates),
		cmocka_unit_test(leap_years),
		cmocka_unit_test(future_and_too_old),
		cmocka_unit_test(today_from_epoch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
