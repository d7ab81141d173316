/* idform.h — checks the identity screen's form with the identity validators
 * (kiosk/identity) field by field, so every wrong field shows its own message at
 * once, and builds the struct cab_identity the session stores. Pure. */
#ifndef CABIN_APP_IDFORM_H
#define CABIN_APP_IDFORM_H

#include <stdbool.h>

#include "kiosk/ui/view.h"

/* Checks every field of F against TODAY; sets F->err[field] to the validator's
 * msgid (NULL when fine). The NIR, when given and well-formed, is also checked
 * against the sex, date and place of birth. On success fills OUT and returns true. */
bool cab_idform_check(struct cab_id_form *f, struct cab_date today, struct cab_identity *out);

/* Sets F->err[FIELD] from a whole-identity check result (cab_session_set_identity). */
void cab_idform_set_error(struct cab_id_form *f, enum cab_id_field field, enum cab_id_err err);

#endif
