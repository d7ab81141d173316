/* identity.h — the patient's identity traits as the national identity rules (INS,
 * "référentiel national d'identitovigilance") list them: birth name, first names,
 * date of birth, sex, place of birth (INSEE code), optional INS number (NIR/NIA),
 * plus a phone number to call the patient back. And one check of the whole set. */
#ifndef CABIN_IDENTITY_IDENTITY_H
#define CABIN_IDENTITY_IDENTITY_H

#include "kiosk/identity/date.h"
#include "kiosk/identity/errors.h"

/* Longest name accepted, in characters (UTF-8 code points), and its buffer size. */
#define CAB_NAME_MAX_CHARS 100
#define CAB_NAME_BYTES (CAB_NAME_MAX_CHARS * 2 + 1)

/* Sex as the identity traits record it (NIR first digit: odd male, even female). */
enum cab_sex { CAB_SEX_UNSET = 0, CAB_SEX_FEMALE, CAB_SEX_MALE };

/* Where the patient was born. */
enum cab_place_kind {
	CAB_PLACE_UNSET = 0,
	CAB_PLACE_COMMUNE, /* a French commune: CODE is its 5-character INSEE code ("75056", "2A004", "97411") */
	CAB_PLACE_ABROAD,  /* a foreign country: CODE is its INSEE country code "99xxx" */
};

struct cab_birthplace {
	enum cab_place_kind kind;
	char code[6];   /* INSEE commune code or 99xxx country code, NUL-terminated */
	char name[96];  /* commune or country name as shown (UTF-8) */
};

/* The identity traits. Text fields are UTF-8, NUL-terminated; "" = not given. */
struct cab_identity {
	char birth_name[CAB_NAME_BYTES];  /* nom de naissance */
	char first_names[CAB_NAME_BYTES]; /* prénoms, space-separated, in civil-status order */
	struct cab_date birth_date;
	enum cab_sex sex;
	struct cab_birthplace birthplace;
	char ins[16];   /* optional NIR or NIA: 15 characters (13 + key), no spaces */
	char phone[17]; /* phone to call back, E.164 ("+33612345678") */
};

/* Which trait a whole-identity check found wrong (for the UI to focus it). */
enum cab_id_field {
	CAB_FIELD_NONE = 0,
	CAB_FIELD_BIRTH_NAME,
	CAB_FIELD_FIRST_NAMES,
	CAB_FIELD_BIRTH_DATE,
	CAB_FIELD_SEX,
	CAB_FIELD_BIRTHPLACE,
	CAB_FIELD_INS,
	CAB_FIELD_PHONE,
};

/* Checks every trait of ID against TODAY, in screen order (birth name, first names,
 * date, sex, place, INS, phone), and the INS number against the other traits.
 * Returns the first error and, when FIELD is not NULL, the trait it concerns. */
enum cab_id_err cab_identity_check(const struct cab_identity *id, struct cab_date today,
                                   enum cab_id_field *field);

/* Same checks as cab_identity_check(), and on success writes to OUT the normal form
 * of ID: names trimmed with single spaces, phone in E.164, INS number without spaces
 * and in upper case. OUT may be ID. On error OUT is unchanged. */
enum cab_id_err cab_identity_normalise(const struct cab_identity *id, struct cab_date today,
                                       struct cab_identity *out, enum cab_id_field *field);

/* The identity as the screen holds it while the patient types: every trait as text
 * (UTF-8, NULL allowed for "empty"). */
struct cab_identity_input {
	const char *birth_name;
	const char *first_names;
	const char *birth_date;       /* "DD/MM/YYYY", "D/M/YYYY" or "DDMMYYYY" */
	enum cab_sex sex;
	enum cab_place_kind place_kind;
	const char *place_code;       /* INSEE commune code or 99xxx country code */
	const char *place_name;       /* as shown; truncated to the field */
	const char *ins;              /* optional NIR/NIA as typed ("1 84 12 …") */
	const char *phone;            /* as typed ("06 12 34 56 78") */
};

/* Parses and checks IN field by field in screen order (birth name, first names, date
 * against TODAY, sex, place, INS, phone), then the INS number against the other
 * traits, and on success fills OUT with the normal forms (see
 * cab_identity_normalise()). Returns the first error and, when FIELD is not NULL, the
 * field it concerns. On error OUT is unchanged. Too long a text gives that field's
 * "too long" or "format" error. */
enum cab_id_err cab_identity_from_input(const struct cab_identity_input *in,
                                        struct cab_date today, struct cab_identity *out,
                                        enum cab_id_field *field);

#endif
