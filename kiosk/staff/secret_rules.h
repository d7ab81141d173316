/* secret_rules.h — what a pharmacist PIN and a technician password must look like
 * before they are hashed: lengths, digits only for the PIN, trivial values refused. */
#ifndef CABIN_STAFF_SECRET_RULES_H
#define CABIN_STAFF_SECRET_RULES_H

#include "kiosk/staff/audit_sink.h"

#define CAB_PIN_MIN 6               /* digits */
#define CAB_PIN_MAX 12              /* digits */
#define CAB_PASSWORD_MIN 12         /* characters (UTF-8 code points) */
#define CAB_PASSWORD_MAX 128        /* bytes */
#define CAB_PASSWORD_MIN_DISTINCT 6 /* different characters in a password */

/* Why a new secret was refused (CAB_SECRET_OK when it is acceptable). */
enum cab_secret_problem {
	CAB_SECRET_OK = 0,
	CAB_SECRET_TOO_SHORT,    /* PIN < 6 digits, password < 12 characters */
	CAB_SECRET_TOO_LONG,     /* PIN > 12 digits, password > 128 bytes */
	CAB_SECRET_NOT_DIGITS,   /* a PIN holds something other than 0-9 */
	CAB_SECRET_TRIVIAL,      /* 000000, 123456, 654321, 121212, 123123, ... */
	CAB_SECRET_TOO_UNIFORM,  /* a password with fewer than 6 different characters */
	CAB_SECRET_CONTROL_CHAR, /* a control character (tab, newline, ...) */
	CAB_SECRET_BAD_ROLE,     /* the role holds no credential */
};

/* Checks SECRET (NUL-terminated UTF-8) as a new credential for ROLE: the
 * pharmacist's PIN or the technician's password. Pure. */
enum cab_secret_problem cab_secret_check(enum cab_role role, const char *secret);

/* A clear English sentence for the staff member, e.g. "The PIN must have at least
 * 6 digits." (the screens pass it through gettext). Never NULL. */
const char *cab_secret_problem_message(enum cab_role role, enum cab_secret_problem problem);

#endif
