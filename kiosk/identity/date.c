/* date.c — parsing and plausibility checks of dates of birth (see date.h). */
#include "kiosk/identity/date.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

bool cab_date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int cab_date_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	return month == 2 && cab_date_is_leap(year) ? 29 : days[month - 1];
}

bool cab_date_is_valid(struct cab_date d)
{
	return d.year >= 1 && d.year <= 9999 && d.day >= 1 &&
	       d.day <= cab_date_days_in_month(d.year, d.month);
}

int cab_date_cmp(struct cab_date a, struct cab_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

struct cab_date cab_date_from_epoch_ms(int64_t epoch_ms)
{
	time_t s = (time_t)(epoch_ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	return (struct cab_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

enum cab_id_err cab_date_check_birth(struct cab_date d, struct cab_date today)
{
	if (!cab_date_is_valid(d))
		return CAB_ID_DATE_IMPOSSIBLE;
	/* "Today" is the UTC day; in France it may already be the next day (UTC+1/+2),
	 * so one day ahead is tolerated rather than refusing a newborn's real date. */
	struct cab_date tomorrow = today;
	if (++tomorrow.day > cab_date_days_in_month(tomorrow.year, tomorrow.month)) {
		tomorrow.day = 1;
		if (++tomorrow.month > 12) {
			tomorrow.month = 1;
			tomorrow.year++;
		}
	}
	if (cab_date_cmp(d, tomorrow) > 0)
		return CAB_ID_DATE_FUTURE;
	struct cab_date oldest = {today.year - CAB_DATE_MAX_AGE, today.month, today.day};
	if (oldest.month == 2 && oldest.day == 29 && !cab_date_is_leap(oldest.year))
		oldest.day = 28;
	if (cab_date_cmp(d, oldest) < 0)
		return CAB_ID_DATE_TOO_OLD;
	return CAB_ID_OK;
}

/* Reads 1..MAX digits at *P into *OUT, advancing *P only on success. */
static bool read_num(const char **p, int min, int max, int *out)
{
	const char *s = *p;
	int v = 0, n = 0;
	while (n < max && isdigit((unsigned char)s[n])) {
		v = v * 10 + (s[n] - '0');
		n++;
	}
	if (n < min)
		return false;
	*out = v;
	*p = s + n;
	return true;
}

enum cab_id_err cab_date_parse_birth(const char *text, struct cab_date today,
                                     struct cab_date *out)
{
	if (!text)
		return CAB_ID_DATE_EMPTY;
	while (*text == ' ')
		text++;
	size_t len = strlen(text);
	while (len && text[len - 1] == ' ')
		len--;
	if (len == 0)
		return CAB_ID_DATE_EMPTY;
	if (len > 10)
		return CAB_ID_DATE_FORMAT;
	char buf[11];
	memcpy(buf, text, len);
	buf[len] = '\0';

	struct cab_date d = {0, 0, 0};
	const char *p = buf;
	if (len == 8 && strspn(buf, "0123456789") == 8) { /* DDMMYYYY */
		d.day = (buf[0] - '0') * 10 + (buf[1] - '0');
		d.month = (buf[2] - '0') * 10 + (buf[3] - '0');
		d.year = (buf[4] - '0') * 1000 + (buf[5] - '0') * 100 + (buf[6] - '0') * 10 +
		         (buf[7] - '0');
	} else {
		if (!read_num(&p, 1, 2, &d.day))
			return CAB_ID_DATE_FORMAT;
		char sep = *p;
		if (sep != '/' && sep != '-' && sep != '.')
			return CAB_ID_DATE_FORMAT;
		p++;
		if (!read_num(&p, 1, 2, &d.month) || *p != sep)
			return CAB_ID_DATE_FORMAT;
		p++;
		if (!read_num(&p, 4, 4, &d.year) || *p != '\0')
			return CAB_ID_DATE_FORMAT;
	}
	enum cab_id_err err = cab_date_check_birth(d, today);
	if (err == CAB_ID_OK)
		*out = d;
	return err;
}
