/* nir.c — NIR/NIA parsing, control key and consistency with the identity traits
 * (rules and sources in nir.h). */
#include "kiosk/identity/nir.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

static int digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : -1;
}

static int two(const char *s)
{
	return digit(s[0]) * 10 + digit(s[1]);
}

int cab_nir_compute_key(const char *text)
{
	char body[13];
	if (!text || strnlen(text, 13) < 13)
		return -1;
	memcpy(body, text, 13);
	/* Corsica: 2A is read as 19 and 2B as 18 for the key (nir.h). */
	if (body[5] == '2' && (body[6] == 'A' || body[6] == 'B')) {
		body[5] = '1';
		body[6] = body[6] == 'A' ? '9' : '8';
	}
	uint64_t n = 0;
	for (int i = 0; i < 13; i++) {
		int d = digit(body[i]);
		if (d < 0)
			return -1;
		n = n * 10 + (uint64_t)d;
	}
	return (int)(97 - n % 97);
}

/* True when the department/commune field PLACE (5 characters) can exist. */
static bool place_field_valid(const char *p)
{
	if (p[0] == '2' && (p[1] == 'A' || p[1] == 'B'))
		return true;
	int dept = two(p);
	if (dept == 0)
		return false;
	if (dept == 97)
		return p[2] >= '1' && p[2] <= '8'; /* 971-978 */
	if (dept == 98)
		return p[2] >= '4' && p[2] <= '9'; /* 984-989 */
	if (dept == 99)
		return digit(p[2]) * 100 + two(p + 3) >= 100; /* country codes 99100-99999 */
	return true;
}

enum cab_id_err cab_nir_parse(const char *text, struct cab_nir *out)
{
	char buf[16];
	size_t n = 0;
	bool any = false;
	if (!text)
		return CAB_ID_NIR_EMPTY;
	for (const char *s = text; *s; s++) {
		char c = (char)toupper((unsigned char)*s);
		if (c == ' ')
			continue;
		any = true;
		if (!isdigit((unsigned char)c) && c != 'A' && c != 'B')
			return CAB_ID_NIR_CHARS;
		if (n < 15)
			buf[n] = c;
		n++;
	}
	if (!any)
		return CAB_ID_NIR_EMPTY;
	if (n != 15)
		return CAB_ID_NIR_LENGTH;
	buf[15] = '\0';
	for (int i = 0; i < 15; i++)
		if (!isdigit((unsigned char)buf[i]) && !(i == 6 && buf[5] == '2'))
			return CAB_ID_NIR_CHARS;

	struct cab_nir r;
	memset(&r, 0, sizeof r);
	memcpy(r.text, buf, sizeof r.text);
	switch (buf[0]) {
	case '1': case '2': r.kind = CAB_NIR_REGISTERED; break;
	case '3': case '4': r.kind = CAB_NIR_PROVISIONAL; break;
	case '7': case '8': r.kind = CAB_NIR_NIA; break;
	default: return CAB_ID_NIR_SEX_DIGIT;
	}
	r.sex = digit(buf[0]) % 2 ? CAB_SEX_MALE : CAB_SEX_FEMALE;
	r.year2 = two(buf + 1);
	r.month = two(buf + 3);
	r.month_known = r.month >= 1 && r.month <= 12;
	if (!r.month_known && !(r.month >= 20 && r.month <= 42) && r.month < 50)
		return CAB_ID_NIR_MONTH_INVALID;
	memcpy(r.place, buf + 5, 5);
	r.place[5] = '\0';
	if (!place_field_valid(r.place))
		return CAB_ID_NIR_PLACE_INVALID;
	r.key = two(buf + 13);
	if (r.key != cab_nir_compute_key(buf))
		return CAB_ID_NIR_KEY;
	*out = r;
	return CAB_ID_OK;
}

/* True when commune code NIR_CODE is an arrondissement of the city DECLARED. */
static bool arrondissement_of(const char *nir_code, const char *declared)
{
	static const struct {
		const char *city, *prefix;
		int lo, hi; /* last two digits */
	} cities[] = {
		{"75056", "751", 1, 20},  /* Paris: 75101-75120 */
		{"69123", "693", 81, 89}, /* Lyon: 69381-69389 */
		{"13055", "132", 1, 16},  /* Marseille: 13201-13216 */
	};
	for (size_t i = 0; i < sizeof cities / sizeof cities[0]; i++) {
		if (strcmp(declared, cities[i].city) || strncmp(nir_code, cities[i].prefix, 3))
			continue;
		int last = two(nir_code + 3);
		if (last >= cities[i].lo && last <= cities[i].hi)
			return true;
	}
	return false;
}

static bool in_ile_de_france_former(const char *code)
{
	static const char *const depts[] = {"75", "78", "91", "92", "93", "94", "95"};
	for (size_t i = 0; i < sizeof depts / sizeof depts[0]; i++)
		if (!strncmp(code, depts[i], 2))
			return true;
	return false;
}

static bool place_matches(const char *p, const struct cab_birthplace *place, int year)
{
	const char *c = place->code;
	if (!strcmp(p, c))
		return true;
	if (place->kind == CAB_PLACE_COMMUNE) {
		/* Corsica was department 20 until 1976 (2A/2B since). */
		if (!strncmp(p, "20", 2) && c[0] == '2' && (c[1] == 'A' || c[1] == 'B') &&
		    (year == 0 || year < 1976) && !strcmp(p + 2, c + 2))
			return true;
		if (arrondissement_of(p, c))
			return true;
		/* Seine (75) and Seine-et-Oise (78) were split into 75, 78, 91-95 in 1968;
		 * their commune numbers changed: only the region can be compared. */
		if ((!strncmp(p, "75", 2) || !strncmp(p, "78", 2)) && in_ile_de_france_former(c) &&
		    (year == 0 || year < 1968))
			return true;
		return false;
	}
	/* Abroad: Algeria (99352) 91-94 before 1963, Morocco (99350) 95 and Tunisia
	 * (99351) 96 before 1957. */
	int dept = two(p);
	if (!strcmp(c, "99352") && dept >= 91 && dept <= 94 && (year == 0 || year < 1963))
		return true;
	if (!strcmp(c, "99350") && dept == 95 && (year == 0 || year < 1957))
		return true;
	if (!strcmp(c, "99351") && dept == 96 && (year == 0 || year < 1957))
		return true;
	return false;
}

enum cab_id_err cab_nir_check_traits(const struct cab_nir *n, enum cab_sex sex,
                                     struct cab_date birth, const struct cab_birthplace *place)
{
	if (sex != CAB_SEX_UNSET && sex != n->sex)
		return CAB_ID_NIR_SEX;
	if (birth.year > 0 && birth.year % 100 != n->year2)
		return CAB_ID_NIR_YEAR;
	if (birth.month > 0 && n->month_known && birth.month != n->month)
		return CAB_ID_NIR_MONTH;
	if (place && place->kind != CAB_PLACE_UNSET && !place_matches(n->place, place, birth.year))
		return CAB_ID_NIR_PLACE;
	return CAB_ID_OK;
}
