/* tf_group.h — automatic grouping of the digit fields as the patient types: a date
 * as DD/MM/YYYY, a NIR in its printed groups (1 2 2 2 3 3 2, as on the Carte Vitale:
 * "2 85 07 42 218 001 06"), a French phone number in pairs ("06 12 34 56 78"). The
 * separators are the field's, never typed: the patient types digits only (issue 16).
 * Pure, no SDL. */
#ifndef CABIN_UI_TF_GROUP_H
#define CABIN_UI_TF_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "kiosk/ui/textfield.h"

/* Whether a field with FILTER holding BUF is grouped: dates and NIRs always, phone
 * numbers unless they start with '+' (an international number is kept as typed). */
bool ui_tf_grouped(enum ui_tf_filter filter, const char *buf);

/* Appends the characters of TEXT the grouped field accepts to BUF (CAP bytes) and
 * writes it back grouped. Accepted: digits; for a NIR 'A'/'B' (or lower case) as its
 * 7th character (Corsica 2A/2B, INSEE); for a date '/' after a one-digit day or month
 * pads it ("1/7/" -> "01/07/"), other separators are dropped. At most 8 digits for
 * a date, 15 characters for a NIR, 14 digits for a phone number; what does not fit
 * CAP is dropped. Returns the number of characters accepted (0: nothing changed). */
size_t ui_tf_group_insert(enum ui_tf_filter filter, char *buf, size_t cap, const char *text);

/* Removes the last digit of the grouped BUF and regroups it. Returns false when BUF
 * holds no digit. */
bool ui_tf_group_backspace(enum ui_tf_filter filter, char *buf, size_t cap);

#endif
