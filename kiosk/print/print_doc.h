/* print_doc.h — the papers the patient leaves the cabin with, as PostScript (Adobe
 * PostScript Language Reference, 3rd ed.) for the pharmacy's printer: the doctor's
 * prescription (with a QR code of its unique identifier, ISO/IEC 18004 through
 * libqrencode) and the summary of readings and advice. Pure: no I/O, no clock. */
#ifndef CABIN_PRINT_DOC_H
#define CABIN_PRINT_DOC_H

#include <jansson.h>
#include <stddef.h>

/* The prescription page from the `prescription` link message's object
 * {id, date, doctor{name, specialty, rpps}, lines[{medicine, dose, duration, text}],
 * advice} and the patient {name, birth_date} (UTF-8; characters outside Latin-1 print
 * as '?'). Returns the PostScript text (malloc'd, *LEN bytes), or NULL when RX has no
 * id or the QR code cannot be made. */
char *cab_print_prescription(json_t *rx, const char *patient_name, const char *birth_date,
                             size_t *len);

#endif
