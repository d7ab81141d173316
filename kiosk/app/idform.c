/* idform.c — identity form checking (see idform.h). */
#include "kiosk/app/idform.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/identity/name.h"
#include "kiosk/identity/nir.h"
#include "kiosk/identity/phone.h"

void cab_idform_set_error(struct cab_id_form *f, enum cab_id_field field, enum cab_id_err err)
{
	if (field > CAB_FIELD_NONE && field <= CAB_FIELD_PHONE)
		f->err[field] = err == CAB_ID_OK ? NULL : cab_id_err_msgid(err);
}

bool cab_idform_check(struct cab_id_form *f, struct cab_date today, struct cab_identity *out)
{
	struct cab_identity id;
	memset(&id, 0, sizeof id);
	memset(f->err, 0, sizeof f->err);
	cab_idform_set_error(f, CAB_FIELD_BIRTH_NAME,
	                     cab_name_normalise(f->birth_name, id.birth_name, sizeof id.birth_name));
	cab_idform_set_error(f, CAB_FIELD_FIRST_NAMES,
	                     cab_name_normalise(f->first_names, id.first_names, sizeof id.first_names));
	enum cab_id_err de = cab_date_parse_birth(f->birth_date, today, &id.birth_date);
	cab_idform_set_error(f, CAB_FIELD_BIRTH_DATE, de);
	if (f->sex < 0)
		cab_idform_set_error(f, CAB_FIELD_SEX, CAB_ID_SEX_MISSING);
	else
		id.sex = f->sex == 0 ? CAB_SEX_FEMALE : CAB_SEX_MALE;
	if (!f->place_code[0]) {
		cab_idform_set_error(f, CAB_FIELD_BIRTHPLACE, CAB_ID_PLACE_MISSING);
	} else {
		id.birthplace.kind = f->abroad == 1 ? CAB_PLACE_ABROAD : CAB_PLACE_COMMUNE;
		snprintf(id.birthplace.code, sizeof id.birthplace.code, "%s", f->place_code);
		snprintf(id.birthplace.name, sizeof id.birthplace.name, "%s", f->place_query);
	}
	bool nir_given = false;
	for (const char *p = f->nir; *p; p++)
		nir_given |= *p != ' ';
	if (nir_given) {
		struct cab_nir nir;
		enum cab_id_err ne = cab_nir_parse(f->nir, &nir);
		if (ne == CAB_ID_OK) {
			ne = cab_nir_check_traits(&nir, id.sex, de == CAB_ID_OK ? id.birth_date : (struct cab_date){0, 0, 0},
			                          f->place_code[0] ? &id.birthplace : NULL);
			memcpy(id.ins, nir.text, sizeof id.ins);
		}
		cab_idform_set_error(f, CAB_FIELD_INS, ne);
	}
	cab_idform_set_error(f, CAB_FIELD_PHONE, cab_phone_normalise(f->phone, id.phone));
	for (int i = 0; i < 8; i++)
		if (f->err[i])
			return false;
	*out = id;
	return true;
}
