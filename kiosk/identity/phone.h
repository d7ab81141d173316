/* phone.h — the phone number to call the patient back: French national numbers
 * ("06 12 34 56 78", dots or dashes allowed), French numbers in international form
 * ("+33 6 12 34 56 78", "+33 (0)6 …", "0033…") and other international numbers
 * (ITU-T E.164: "+" country code and subscriber number, 15 digits at most), all
 * normalised to E.164 ("+33612345678"). French overseas departments have their own
 * country codes (ARCEP numbering plan): 0262/0692/0693 -> +262 (Réunion), 0269/0639
 * -> +262 (Mayotte), 0590/0690/0691 -> +590, 0594/0694 -> +594, 0596/0696/0697 -> +596. */
#ifndef CABIN_IDENTITY_PHONE_H
#define CABIN_IDENTITY_PHONE_H

#include "kiosk/identity/errors.h"

/* Longest E.164 number with its "+" and NUL. */
#define CAB_PHONE_E164_BYTES 17

/* Checks IN and writes the E.164 form to OUT. Separators: spaces, dots, dashes,
 * slashes and a "(0)" after the country code. Errors: CAB_ID_PHONE_EMPTY,
 * CAB_ID_PHONE_CHARS (letters or symbols, "+" not at the start),
 * CAB_ID_PHONE_FORMAT (wrong number of digits, French number not starting with 0
 * then 1-9, country code starting with 0). OUT is written only on CAB_ID_OK. */
enum cab_id_err cab_phone_normalise(const char *in, char out[CAB_PHONE_E164_BYTES]);

#endif
