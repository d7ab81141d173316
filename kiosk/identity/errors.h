/* errors.h — the identity validators' result codes and the message ids the UI
 * translates. Every validator in kiosk/identity/ returns one of these codes; the
 * screens show cab_id_err_msgid() through gettext, the logs use cab_id_err_name(). */
#ifndef CABIN_IDENTITY_ERRORS_H
#define CABIN_IDENTITY_ERRORS_H

/* Marks a string for xgettext (xgettext -kN_) without translating it here. */
#ifndef N_
#define N_(s) s
#endif

/* One specific reason per failure, so the patient is told exactly what to fix. */
enum cab_id_err {
	CAB_ID_OK = 0,
	/* NIR / NIA (INS number), see nir.h */
	CAB_ID_NIR_EMPTY,          /* nothing typed */
	CAB_ID_NIR_LENGTH,         /* not 13 characters + 2-digit key */
	CAB_ID_NIR_CHARS,          /* letters or symbols where digits are required */
	CAB_ID_NIR_SEX_DIGIT,      /* first digit not 1, 2, 3, 4, 7 or 8 */
	CAB_ID_NIR_MONTH_INVALID,  /* month field 00, 13-19 or 43-49 */
	CAB_ID_NIR_PLACE_INVALID,  /* department/commune field impossible (e.g. 00, 2C) */
	CAB_ID_NIR_KEY,            /* key does not match 97 - (number mod 97) */
	CAB_ID_NIR_SEX,            /* contradicts the declared sex */
	CAB_ID_NIR_YEAR,           /* contradicts the declared year of birth */
	CAB_ID_NIR_MONTH,          /* contradicts the declared month of birth */
	CAB_ID_NIR_PLACE,          /* contradicts the declared place of birth */
	/* dates, see date.h */
	CAB_ID_DATE_EMPTY,
	CAB_ID_DATE_FORMAT,        /* not DD/MM/YYYY or DDMMYYYY */
	CAB_ID_DATE_IMPOSSIBLE,    /* e.g. 31/02, 29/02 of a common year, month 13 */
	CAB_ID_DATE_FUTURE,        /* after today */
	CAB_ID_DATE_TOO_OLD,       /* more than 130 years ago */
	/* names, see name.h */
	CAB_ID_NAME_EMPTY,
	CAB_ID_NAME_CHARS,         /* digits or symbols other than space - ' */
	CAB_ID_NAME_TOO_LONG,
	CAB_ID_NAME_SEPARATORS,    /* starts/ends with, or doubles, a hyphen or apostrophe */
	/* phone, see phone.h */
	CAB_ID_PHONE_EMPTY,
	CAB_ID_PHONE_CHARS,        /* characters other than digits, + and separators */
	CAB_ID_PHONE_FORMAT,       /* wrong number of digits / malformed */
	/* other traits */
	CAB_ID_SEX_MISSING,
	CAB_ID_PLACE_MISSING,      /* no commune or country chosen */
	CAB_ID_PLACE_CODE,         /* commune/country code malformed */
	CAB_ID_ERR_COUNT
};

/* English message id for ERR (a gettext msgid, e.g. "The NIR key does not match the
 * number"); never NULL ("" for CAB_ID_OK, "Invalid value" when ERR is out of range). */
const char *cab_id_err_msgid(enum cab_id_err err);

/* Short stable ASCII name for logs and tests ("nir_key"); "unknown" when out of range. */
const char *cab_id_err_name(enum cab_id_err err);

#endif
