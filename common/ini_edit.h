/* ini_edit.h — one change to an INI text, for the service menu's configuration
 * editor: the technician types "section.key = value", the result is validated by
 * the configuration loader before it is saved. Pure. */
#ifndef CABIN_COMMON_INI_EDIT_H
#define CABIN_COMMON_INI_EDIT_H

#include <stddef.h>

/* Applies ASSIGNMENT ("section.key = value"; section and key letters, digits, '_',
 * '-'; spaces around '=' ignored) to the INI text IN, writing the result to OUT
 * (SIZE bytes): replaces the key's line in its section, or adds the key at the end
 * of the section, or appends the section. Comments and other lines are kept.
 * Returns 0, or -1 when ASSIGNMENT is malformed or OUT is too small. */
int cab_ini_set(const char *in, const char *assignment, char *out, size_t size);

#endif
