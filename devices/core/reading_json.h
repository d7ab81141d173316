/* reading_json.h — one reading as one line of JSON, the format of cabin-devices
 * (decode, read, watch) and of the tests that compare readings value by value:
 *   {"mdc": 150456, "name": "MDC_PULS_OXIM_SAT_O2", "value": 97, "ucum": "%",
 *    "time": "2007-01-01T00:06:38", "flags": ["signal-weak"], "status": 0,
 *    "device": {"kind": "pulse-oximeter", "driver": "cms50", ...}}
 * "value" is null for a special value and "special" names it ("NaN", "NRes", "+INF",
 * "-INF", "reserved"); "time" (instrument clock, no zone: the instrument's local time)
 * is present only when the instrument gave one; "name" is null for codes outside
 * cabin/mdc.h's table. */
#ifndef CABIN_READING_JSON_H
#define CABIN_READING_JSON_H

#include <stdio.h>

#include "cabin/reading.h"

/* Writes R as one JSON line (with the trailing newline) to OUT. Returns 0 or -1. */
int cab_reading_print_json(const struct cab_reading *r, FILE *out);

/* Returns R as a malloc'd JSON text without newline (caller frees), or NULL. */
char *cab_reading_to_json(const struct cab_reading *r);

#endif
