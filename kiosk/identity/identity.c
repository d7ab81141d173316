/* identity.c — checks a whole set of identity traits (see identity.h). */
#include "kiosk/identity/identity.h"

#include <string.h>

#include "kiosk/identity/name.h"
#include "kiosk/identity/nir.h"
#include "kiosk/identity/phone.h"

static bool place_code_valid(const struct cab_birthplace *p)
{
	const char *c = p->code;
	if (strlen(c) != 5)
		return false;
	for (int i = 0; i < 5; i++) {
		bool corsica = i == 1 && c[0] == '2' && (c[1] == 'A' || c[1] == 'B');
		if (!corsica && (c[i] < '0' || c[i] > '9'))
			return false;
	}
	bool abroad = c[0] == '9' && c[1] == '9';
	return p->kind == CAB_PLACE_ABROAD ? abroad : !abroad && strncmp(c, "00", 2);
}

enum cab_id_err cab_identity_check(const struct cab_identity *id, struct cab_date today,
                                   enum cab_id_field *field)
{
	char name[CAB_NAME_BYTES];
	enum cab_id_field where = CAB_FIELD_NONE;
	enum cab_id_err err;

	where = CAB_FIELD_BIRTH_NAME;
	if ((err = cab_name_normalise(id->birth_name, name, sizeof name)) != CAB_ID_OK)
		goto out;
	where = CAB_FIELD_FIRST_NAMES;
	if ((err = cab_name_normalise(id->first_names, name, sizeof name)) != CAB_ID_OK)
		goto out;
	where = CAB_FIELD_BIRTH_DATE;
	if (id->birth_date.year == 0 && id->birth_date.month == 0 && id->birth_date.day == 0)
		err = CAB_ID_DATE_EMPTY;
	else
		err = cab_date_check_birth(id->birth_date, today);
	if (err != CAB_ID_OK)
		goto out;
	where = CAB_FIELD_SEX;
	if (id->sex != CAB_SEX_FEMALE && id->sex != CAB_SEX_MALE) {
		err = CAB_ID_SEX_MISSING;
		goto out;
	}
	where = CAB_FIELD_BIRTHPLACE;
	if (id->birthplace.kind != CAB_PLACE_COMMUNE && id->birthplace.kind != CAB_PLACE_ABROAD) {
		err = CAB_ID_PLACE_MISSING;
		goto out;
	}
	if (!place_code_valid(&id->birthplace)) {
		err = CAB_ID_PLACE_CODE;
		goto out;
	}
	where = CAB_FIELD_INS;
	if (id->ins[0]) {
		struct cab_nir nir;
		if ((err = cab_nir_parse(id->ins, &nir)) != CAB_ID_OK)
			goto out;
		if ((err = cab_nir_check_traits(&nir, id->sex, id->birth_date, &id->birthplace)) !=
		    CAB_ID_OK)
			goto out;
	}
	where = CAB_FIELD_PHONE;
	char e164[CAB_PHONE_E164_BYTES];
	if ((err = cab_phone_normalise(id->phone, e164)) != CAB_ID_OK)
		goto out;
	where = CAB_FIELD_NONE;
	err = CAB_ID_OK;
out:
	if (field)
		*field = where;
	return err;
}
