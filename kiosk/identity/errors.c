/* errors.c — message ids and log names of the identity validators' results. */
#include "kiosk/identity/errors.h"

static const struct {
	const char *name;
	const char *msgid;
} errs[CAB_ID_ERR_COUNT] = {
	[CAB_ID_OK] = {"ok", ""},
	[CAB_ID_NIR_EMPTY] = {"nir_empty", N_("Please type the social security number")},
	[CAB_ID_NIR_LENGTH] = {"nir_length",
	                       N_("The number must have 13 characters followed by a 2-digit key")},
	[CAB_ID_NIR_CHARS] = {"nir_chars",
	                      N_("The number may only contain digits (and 2A or 2B for Corsica)")},
	[CAB_ID_NIR_SEX_DIGIT] = {"nir_sex_digit",
	                          N_("The first digit of the number must be 1, 2, 3, 4, 7 or 8")},
	[CAB_ID_NIR_MONTH_INVALID] = {"nir_month_invalid",
	                              N_("Digits 4 and 5 of the number are not a valid month")},
	[CAB_ID_NIR_PLACE_INVALID] = {"nir_place_invalid",
	                              N_("Digits 6 to 10 of the number are not a valid place of birth")},
	[CAB_ID_NIR_KEY] = {"nir_key", N_("The NIR key does not match the number")},
	[CAB_ID_NIR_SEX] = {"nir_sex", N_("The number does not match the sex you chose")},
	[CAB_ID_NIR_YEAR] = {"nir_year", N_("The number does not match your year of birth")},
	[CAB_ID_NIR_MONTH] = {"nir_month", N_("The number does not match your month of birth")},
	[CAB_ID_NIR_PLACE] = {"nir_place", N_("The number does not match your place of birth")},
	[CAB_ID_DATE_EMPTY] = {"date_empty", N_("Please type your date of birth")},
	[CAB_ID_DATE_FORMAT] = {"date_format", N_("Please type the date as DD/MM/YYYY")},
	[CAB_ID_DATE_IMPOSSIBLE] = {"date_impossible", N_("This date does not exist")},
	[CAB_ID_DATE_FUTURE] = {"date_future", N_("The date of birth cannot be in the future")},
	[CAB_ID_DATE_TOO_OLD] = {"date_too_old",
	                         N_("The date of birth is more than 130 years ago")},
	[CAB_ID_NAME_EMPTY] = {"name_empty", N_("Please type a name")},
	[CAB_ID_NAME_CHARS] = {"name_chars",
	                       N_("Names may only contain letters, spaces, hyphens and apostrophes")},
	[CAB_ID_NAME_TOO_LONG] = {"name_too_long", N_("This name is too long (100 letters at most)")},
	[CAB_ID_NAME_SEPARATORS] = {"name_separators",
	                            N_("A hyphen or apostrophe must be between two letters")},
	[CAB_ID_PHONE_EMPTY] = {"phone_empty", N_("Please type a phone number")},
	[CAB_ID_PHONE_CHARS] = {"phone_chars",
	                        N_("A phone number may only contain digits, spaces and a leading +")},
	[CAB_ID_PHONE_FORMAT] = {"phone_format",
	                         N_("This is not a valid phone number (e.g. 06 12 34 56 78 or +44 20 7946 0000)")},
	[CAB_ID_SEX_MISSING] = {"sex_missing", N_("Please choose your sex as on your civil status")},
	[CAB_ID_PLACE_MISSING] = {"place_missing",
	                          N_("Please choose your place of birth (commune or country)")},
	[CAB_ID_PLACE_CODE] = {"place_code", N_("This place of birth is not in the official list")},
};

const char *cab_id_err_msgid(enum cab_id_err err)
{
	return (unsigned)err < CAB_ID_ERR_COUNT ? errs[err].msgid : N_("Invalid value");
}

const char *cab_id_err_name(enum cab_id_err err)
{
	return (unsigned)err < CAB_ID_ERR_COUNT ? errs[err].name : "unknown";
}
