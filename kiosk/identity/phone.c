/* phone.c — phone number checks and E.164 normal form (see phone.h). */
#include "kiosk/identity/phone.h"

#include <stdbool.h>
#include <string.h>

/* French 10-digit prefixes that belong to an overseas country code (ARCEP). */
static const struct {
	const char *prefix; /* national, with the leading 0 */
	const char *cc;
} overseas[] = {
	{"0262", "262"}, {"0692", "262"}, {"0693", "262"}, {"0269", "262"}, {"0639", "262"},
	{"0590", "590"}, {"0690", "590"}, {"0691", "590"}, {"0594", "594"}, {"0694", "594"},
	{"0596", "596"}, {"0696", "596"}, {"0697", "596"},
};

/* French national significant number NSN (exactly 9 digits, no leading 0) to E.164:
 * "+" + country code (2-3 digits) + NSN, at most 13 characters. */
static void french_e164(const char *nsn, char out[CAB_PHONE_E164_BYTES])
{
	const char *cc = "33";
	for (size_t i = 0; i < sizeof overseas / sizeof overseas[0]; i++)
		if (!strncmp(nsn, overseas[i].prefix + 1, 3))
			cc = overseas[i].cc;
	size_t cl = strlen(cc);
	out[0] = '+';
	memcpy(out + 1, cc, cl);
	memcpy(out + 1 + cl, nsn, 10); /* 9 digits and the NUL */
}

enum cab_id_err cab_phone_normalise(const char *in, char out[CAB_PHONE_E164_BYTES])
{
	char d[24];
	size_t n = 0;
	bool plus = false, any = false;
	if (!in)
		return CAB_ID_PHONE_EMPTY;
	for (const char *s = in; *s; s++) {
		char c = *s;
		if (c == ' ' || c == '.' || c == '-' || c == '/')
			continue;
		if (c == '(' && s[1] == '0' && s[2] == ')' && plus) {
			s += 2; /* "+33 (0)6…": the trunk 0 is not dialled from abroad */
			continue;
		}
		if (c == '+') {
			if (any || plus)
				return CAB_ID_PHONE_CHARS;
			plus = true;
			continue;
		}
		if (c < '0' || c > '9')
			return CAB_ID_PHONE_CHARS;
		any = true;
		if (n >= sizeof d - 1)
			return CAB_ID_PHONE_FORMAT;
		d[n++] = c;
	}
	d[n] = '\0';
	if (!any)
		return plus ? CAB_ID_PHONE_FORMAT : CAB_ID_PHONE_EMPTY;

	const char *intl = NULL;
	if (plus)
		intl = d;
	else if (n > 2 && d[0] == '0' && d[1] == '0')
		intl = d + 2; /* 00 = international prefix in France */
	if (!intl) {
		if (n != 10 || d[0] != '0' || d[1] == '0')
			return CAB_ID_PHONE_FORMAT;
		french_e164(d + 1, out);
		return CAB_ID_OK;
	}
	size_t len = strlen(intl);
	if (!strncmp(intl, "33", 2)) {
		const char *nsn = intl + 2;
		if (len == 12 && nsn[0] == '0') /* "+33 06…" written with the trunk 0 */
			nsn++;
		if (strlen(nsn) != 9 || nsn[0] == '0')
			return CAB_ID_PHONE_FORMAT;
		french_e164(nsn, out);
		return CAB_ID_OK;
	}
	/* E.164: country code 1-3 digits not starting with 0, at most 15 digits; fewer
	 * than 8 digits cannot reach a person. */
	if (intl[0] == '0' || len < 8 || len > 15)
		return CAB_ID_PHONE_FORMAT;
	out[0] = '+';
	memcpy(out + 1, intl, len + 1); /* len <= 15: fits CAB_PHONE_E164_BYTES */
	return CAB_ID_OK;
}
