/* secret_rules.c — PIN and password rules (see secret_rules.h). */
#include "kiosk/staff/secret_rules.h"

#include <stdbool.h>
#include <string.h>

/* Marks msgids for xgettext (the screens translate them with gettext). */
#ifndef N_
#define N_(s) s
#endif

/* A digit string is trivial when it repeats a block of 1, 2 or 3 digits
 * (000000, 121212, 123123) or steps by +1 or -1 modulo 10 (123456, 987654, 890123). */
static bool pin_trivial(const char *s, size_t n)
{
	for (size_t period = 1; period <= 3; period++) {
		bool rep = true;
		for (size_t i = period; i < n && rep; i++)
			rep = s[i] == s[i - period];
		if (rep)
			return true;
	}
	for (int step = -1; step <= 1; step += 2) {
		bool seq = true;
		for (size_t i = 1; i < n && seq; i++)
			seq = (s[i] - '0') == ((s[i - 1] - '0') + step + 10) % 10;
		if (seq)
			return true;
	}
	return false;
}

static enum cab_secret_problem check_pin(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return CAB_SECRET_CONTROL_CHAR;
		if (s[i] < '0' || s[i] > '9')
			return CAB_SECRET_NOT_DIGITS;
	}
	if (n < CAB_PIN_MIN)
		return CAB_SECRET_TOO_SHORT;
	if (n > CAB_PIN_MAX)
		return CAB_SECRET_TOO_LONG;
	return pin_trivial(s, n) ? CAB_SECRET_TRIVIAL : CAB_SECRET_OK;
}

static enum cab_secret_problem check_password(const char *s)
{
	size_t n = strlen(s), chars = 0, distinct = 0;
	unsigned char seen[256] = {0};
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return CAB_SECRET_CONTROL_CHAR;
		if ((c & 0xC0) != 0x80) /* not a UTF-8 continuation byte: a new character */
			chars++;
		if (!seen[c]++)
			distinct++;
	}
	if (n > CAB_PASSWORD_MAX)
		return CAB_SECRET_TOO_LONG;
	if (chars < CAB_PASSWORD_MIN)
		return CAB_SECRET_TOO_SHORT;
	if (distinct < CAB_PASSWORD_MIN_DISTINCT)
		return CAB_SECRET_TOO_UNIFORM;
	/* A password made only of digits follows the PIN rules for triviality. */
	if (strspn(s, "0123456789") == n && pin_trivial(s, n))
		return CAB_SECRET_TRIVIAL;
	return CAB_SECRET_OK;
}

enum cab_secret_problem cab_secret_check(enum cab_role role, const char *secret)
{
	if (!secret)
		return CAB_SECRET_TOO_SHORT;
	switch (role) {
	case CAB_ROLE_PHARMACIST:
		return check_pin(secret);
	case CAB_ROLE_TECHNICIAN:
		return check_password(secret);
	case CAB_ROLE_SYSTEM:
		break;
	}
	return CAB_SECRET_BAD_ROLE;
}

const char *cab_secret_problem_message(enum cab_role role, enum cab_secret_problem problem)
{
	bool pin = role == CAB_ROLE_PHARMACIST;
	switch (problem) {
	case CAB_SECRET_OK:
		return pin ? N_("The PIN is accepted.") : N_("The password is accepted.");
	case CAB_SECRET_TOO_SHORT:
		return pin ? N_("The PIN must have at least 6 digits.")
		           : N_("The password must have at least 12 characters.");
	case CAB_SECRET_TOO_LONG:
		return pin ? N_("The PIN must have at most 12 digits.")
		           : N_("The password must have at most 128 bytes.");
	case CAB_SECRET_NOT_DIGITS:
		return N_("The PIN may contain digits only.");
	case CAB_SECRET_TRIVIAL:
		return pin ? N_("This PIN is too easy to guess (repeated or consecutive digits).")
		           : N_("This password is too easy to guess (repeated or consecutive "
		                "digits).");
	case CAB_SECRET_TOO_UNIFORM:
		return N_("The password must use at least 6 different characters.");
	case CAB_SECRET_CONTROL_CHAR:
		return N_("Tabs, line breaks and control characters are not allowed.");
	case CAB_SECRET_BAD_ROLE:
		break;
	}
	return N_("This role has no credential.");
}
