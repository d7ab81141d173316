/* date.h — dates of birth as the patient types them: parsing (DD/MM/YYYY or
 * DDMMYYYY) and plausibility checks (real calendar date, not in the future, age at
 * most 130 years). Proleptic Gregorian calendar. */
#ifndef CABIN_IDENTITY_DATE_H
#define CABIN_IDENTITY_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/identity/errors.h"

/* A calendar date; all zero means "not set". */
struct cab_date {
	int year;  /* four digits, e.g. 1984 */
	int month; /* 1-12 */
	int day;   /* 1-31 */
};

/* The oldest accepted age, in years. */
#define CAB_DATE_MAX_AGE 130

/* True for Gregorian leap years (divisible by 4, not by 100 unless by 400). */
bool cab_date_is_leap(int year);

/* Days in MONTH (1-12) of YEAR; 0 when MONTH is out of range. */
int cab_date_days_in_month(int year, int month);

/* True when D is a real calendar date (year 1-9999). */
bool cab_date_is_valid(struct cab_date d);

/* Compares two dates: <0, 0, >0 like strcmp. */
int cab_date_cmp(struct cab_date a, struct cab_date b);

/* Today's date (UTC calendar day; France is at most 2 h ahead, the checks below
 * allow for it) from epoch milliseconds. */
struct cab_date cab_date_from_epoch_ms(int64_t epoch_ms);

/* Parses TEXT ("DD/MM/YYYY", "D/M/YYYY", "DD-MM-YYYY", "DD.MM.YYYY" or "DDMMYYYY",
 * surrounding spaces ignored) into *OUT and checks it against TODAY.
 * Errors: CAB_ID_DATE_EMPTY, CAB_ID_DATE_FORMAT, CAB_ID_DATE_IMPOSSIBLE,
 * CAB_ID_DATE_FUTURE, CAB_ID_DATE_TOO_OLD (age > CAB_DATE_MAX_AGE). *OUT is set
 * only on CAB_ID_OK. */
enum cab_id_err cab_date_parse_birth(const char *text, struct cab_date today,
                                     struct cab_date *out);

/* Checks an already split date of birth against TODAY (same errors, no parsing). */
enum cab_id_err cab_date_check_birth(struct cab_date d, struct cab_date today);

#endif
