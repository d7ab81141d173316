/* nir.h — the INS number: NIR (numéro d'inscription au répertoire, the social
 * security number) or NIA (numéro d'identification d'attente). Parsing with its
 * control key, and consistency with the declared identity traits.
 *
 * Layout (15 characters), per service-public.fr "Que signifie le numéro de sécurité
 * sociale ?" (F33078) and identito-na.fr "NIR et NIA". The special values (sex 3/4
 * and 7/8, months 20-42 and 50-99) follow secondary sources (see docs/identity.md):
 * they are accepted, never used to refuse a number the patient holds.
 *   1      sex: 1 man, 2 woman; 3/4 provisional numbers; 7/8 NIA (odd = man)
 *   2-3    last two digits of the year of birth
 *   4-5    month of birth 01-12; 20-42 and 50-99 are the fictitious months used when
 *          the civil-status record gives no month (not compared)
 *   6-10   place of birth: the INSEE commune code at the time of birth (2-digit
 *          department + 3 digits, Corsica 2A/2B since 1976 and 20 before; overseas
 *          97x/98x + 2 digits), or 99 + the INSEE country code for births abroad
 *          (91-94 Algeria, 95 Morocco, 96 Tunisia for births before independence)
 *   11-13  order number of the birth record
 *   14-15  key = 97 - (the 13-digit number mod 97), with 2A read as 19 and 2B as 18
 */
#ifndef CABIN_IDENTITY_NIR_H
#define CABIN_IDENTITY_NIR_H

#include <stdbool.h>

#include "kiosk/identity/errors.h"
#include "kiosk/identity/identity.h"

/* What kind of number the first digit says it is. */
enum cab_nir_kind {
	CAB_NIR_REGISTERED = 0, /* 1/2: NIR from the RNIPP */
	CAB_NIR_PROVISIONAL,    /* 3/4: provisional number */
	CAB_NIR_NIA,            /* 7/8: NIA, waiting for registration */
};

/* A parsed NIR/NIA. */
struct cab_nir {
	char text[16];          /* normalised: 15 characters, upper case, no spaces */
	enum cab_nir_kind kind;
	enum cab_sex sex;       /* from the first digit */
	int year2;              /* 0-99 */
	int month;              /* the month field as written */
	bool month_known;       /* month field is a real month 1-12 */
	char place[6];          /* characters 6-10: commune code or 99 + country */
	int key;                /* 1-97 */
};

/* The control key of the first 13 characters of TEXT (digits, 2A/2B at 6-7; TEXT
 * shorter than 13 characters is refused):
 * 97 - (number mod 97), 2A counted as 19 and 2B as 18. Returns 1-97, or -1 when
 * those characters are not a valid NIR body. */
int cab_nir_compute_key(const char *text);

/* Parses TEXT (spaces between groups allowed, 2a/2b accepted) into *OUT.
 * Checks in this order and returns the first failure: CAB_ID_NIR_EMPTY,
 * CAB_ID_NIR_CHARS, CAB_ID_NIR_LENGTH, CAB_ID_NIR_SEX_DIGIT,
 * CAB_ID_NIR_MONTH_INVALID, CAB_ID_NIR_PLACE_INVALID, CAB_ID_NIR_KEY.
 * *OUT is filled only on CAB_ID_OK. */
enum cab_id_err cab_nir_parse(const char *text, struct cab_nir *out);

/* Checks N against the declared traits; an unset trait (CAB_SEX_UNSET, a zero date,
 * CAB_PLACE_UNSET) is not compared. Returns CAB_ID_NIR_SEX, CAB_ID_NIR_YEAR,
 * CAB_ID_NIR_MONTH or CAB_ID_NIR_PLACE for the first contradiction, else CAB_ID_OK.
 * The place is compared exactly, except where the code legitimately differs from
 * today's: Corsica "20" before 1976, the arrondissements of Paris, Lyon and
 * Marseille, the former Seine and Seine-et-Oise departments (75/78) before 1968,
 * and Algeria, Morocco and Tunisia before independence. */
enum cab_id_err cab_nir_check_traits(const struct cab_nir *n, enum cab_sex sex,
                                     struct cab_date birth, const struct cab_birthplace *place);

#endif
