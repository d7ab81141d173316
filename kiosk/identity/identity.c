/* identity.c — checks a whole set of identity traits (see identity.h). */
#include "kiosk/identity/identity.h"

#include <stdio.h>
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

/* Removes spaces from the INS number and upper-cases 2a/2b (cab_nir_parse() did the
 * same when it accepted it). */
static void copy_nir(char dst[16], const char *src)
{
	struct cab_nir n;
	if (src && src[0] && cab_nir_parse(src, &n) == CAB_ID_OK)
		memcpy(dst, n.text, 16);
	else
		dst[0] = '\0';
}

enum cab_id_err cab_identity_normalise(const struct cab_identity *id, struct cab_date today,
                                       struct cab_identity *out, enum cab_id_field *field)
{
	enum cab_id_err err = cab_identity_check(id, today, field);
	if (err != CAB_ID_OK)
		return err;
	struct cab_identity n = *id;
	cab_name_normalise(id->birth_name, n.birth_name, sizeof n.birth_name);
	cab_name_normalise(id->first_names, n.first_names, sizeof n.first_names);
	cab_phone_normalise(id->phone, n.phone);
	copy_nir(n.ins, id->ins);
	*out = n;
	return CAB_ID_OK;
}

enum cab_id_err cab_identity_from_input(const struct cab_identity_input *in,
                                        struct cab_date today, struct cab_identity *out,
                                        enum cab_id_field *field)
{
	struct cab_identity n;
	enum cab_id_field where = CAB_FIELD_BIRTH_NAME;
	enum cab_id_err err;
	memset(&n, 0, sizeof n);

	if ((err = cab_name_normalise(in->birth_name, n.birth_name, sizeof n.birth_name)))
		goto out;
	where = CAB_FIELD_FIRST_NAMES;
	if ((err = cab_name_normalise(in->first_names, n.first_names, sizeof n.first_names)))
		goto out;
	where = CAB_FIELD_BIRTH_DATE;
	if ((err = cab_date_parse_birth(in->birth_date, today, &n.birth_date)))
		goto out;
	where = CAB_FIELD_SEX;
	n.sex = in->sex;
	if (n.sex != CAB_SEX_FEMALE && n.sex != CAB_SEX_MALE) {
		err = CAB_ID_SEX_MISSING;
		goto out;
	}
	where = CAB_FIELD_BIRTHPLACE;
	n.birthplace.kind = in->place_kind;
	if (n.birthplace.kind != CAB_PLACE_COMMUNE && n.birthplace.kind != CAB_PLACE_ABROAD) {
		err = CAB_ID_PLACE_MISSING;
		goto out;
	}
	if (!in->place_code || strlen(in->place_code) != 5) {
		err = in->place_code && in->place_code[0] ? CAB_ID_PLACE_CODE : CAB_ID_PLACE_MISSING;
		goto out;
	}
	memcpy(n.birthplace.code, in->place_code, 6);
	snprintf(n.birthplace.name, sizeof n.birthplace.name, "%s",
	         in->place_name ? in->place_name : "");
	if (!place_code_valid(&n.birthplace)) {
		err = CAB_ID_PLACE_CODE;
		goto out;
	}
	where = CAB_FIELD_INS;
	if (in->ins && strspn(in->ins, " ") != strlen(in->ins)) {
		struct cab_nir nir;
		if ((err = cab_nir_parse(in->ins, &nir)))
			goto out;
		memcpy(n.ins, nir.text, sizeof n.ins);
	}
	where = CAB_FIELD_PHONE;
	if ((err = cab_phone_normalise(in->phone, n.phone)))
		goto out;
	/* the whole set, with the INS number against the other traits */
	if ((err = cab_identity_check(&n, today, &where)))
		goto out;
	*out = n;
	where = CAB_FIELD_NONE;
out:
	if (field)
		*field = where;
	return err;
}
