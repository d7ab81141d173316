/* fuzz_identity.c — libFuzzer target for the identity validators, which parse what
 * a patient types: NIR/NIA, dates, names, phone numbers, and the place-name folding.
 * The input, made a C string (it ends at its first NUL byte), goes to every
 * validator. Checks invariants: a success always yields a well-formed result. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/identity/communes.h"
#include "kiosk/identity/date.h"
#include "kiosk/identity/identity.h"
#include "kiosk/identity/name.h"
#include "kiosk/identity/nir.h"
#include "kiosk/identity/phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	struct cab_nir nir;
	if (cab_nir_parse(text, &nir) == CAB_ID_OK) {
		if (strlen(nir.text) != 15 || nir.key < 1 || nir.key > 97 ||
		    cab_nir_compute_key(nir.text) != nir.key)
			abort();
		struct cab_birthplace place = {CAB_PLACE_COMMUNE, "", ""};
		memcpy(place.code, nir.place, sizeof place.code);
		if (cab_nir_check_traits(&nir, nir.sex, (struct cab_date){1900 + nir.year2,
		                         nir.month_known ? nir.month : 1, 1}, &place) != CAB_ID_OK)
			abort(); /* a number always agrees with its own fields */
	}
	struct cab_date d;
	if (cab_date_parse_birth(text, (struct cab_date){2026, 11, 29}, &d) == CAB_ID_OK &&
	    !cab_date_is_valid(d))
		abort();
	char name[CAB_NAME_BYTES];
	if (cab_name_normalise(text, name, sizeof name) == CAB_ID_OK) {
		char again[CAB_NAME_BYTES];
		if (cab_name_normalise(name, again, sizeof again) != CAB_ID_OK || strcmp(name, again))
			abort(); /* the normal form is stable */
	}
	char phone[CAB_PHONE_E164_BYTES];
	if (cab_phone_normalise(text, phone) == CAB_ID_OK) {
		size_t n = strlen(phone);
		if (phone[0] != '+' || n < 9 || n > 16 || strspn(phone + 1, "0123456789") != n - 1)
			abort();
	}
	char folded[64];
	cab_places_fold(text, folded, sizeof folded);
	if (strlen(folded) >= sizeof folded)
		abort();
	free(text);
	return 0;
}
