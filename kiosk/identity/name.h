/* name.h — checks and normalises the birth name and first names the patient types:
 * letters (accented Latin letters included), spaces, hyphens and apostrophes. */
#ifndef CABIN_IDENTITY_NAME_H
#define CABIN_IDENTITY_NAME_H

#include <stddef.h>

#include "kiosk/identity/errors.h"

/* Checks the UTF-8 name IN and writes its normal form to OUT (SIZE bytes; at least
 * strlen(IN) + 1 suffices): surrounding spaces removed, inner runs of spaces made
 * one, the typographic apostrophe U+2019 made "'". Letters are the Latin letters of
 * Unicode (ASCII, Latin-1 Supplement, Latin Extended-A/B, Latin Extended Additional).
 * Errors: CAB_ID_NAME_EMPTY (nothing left after trimming), CAB_ID_NAME_CHARS (digit,
 * symbol or invalid UTF-8), CAB_ID_NAME_SEPARATORS (hyphen or apostrophe not between
 * two letters), CAB_ID_NAME_TOO_LONG (more than CAB_NAME_MAX_CHARS characters, or
 * OUT too small). OUT is written only on CAB_ID_OK. */
enum cab_id_err cab_name_normalise(const char *in, char *out, size_t size);

#endif
