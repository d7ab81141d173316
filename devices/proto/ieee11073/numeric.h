/* numeric.h — IEEE 11073-20601 FLOAT-Type, SFLOAT-Type and AbsoluteTime (BCD),
 * decoded exactly with the reserved values reported as such, never as numbers.
 * Source: IEEE 11073-20601 clause 8.2 / Annex F.8 (numeric types), special values
 * as listed in PROTOCOLS.md 1.1. Internal: prefix ieee_. */
#ifndef CABIN_IEEE11073_NUMERIC_H
#define CABIN_IEEE11073_NUMERIC_H

#include <stdint.h>

#include "cabin/reading.h"

/* A decoded FLOAT/SFLOAT: KIND says whether VALUE is a number. MANTISSA and
 * EXPONENT are the wire fields (value = mantissa * 10^exponent). */
struct ieee_num {
	enum cab_value_kind kind;
	double value;     /* the nearest double to mantissa * 10^exponent, 0 if special */
	int32_t mantissa;
	int8_t exponent;
};

/* FLOAT-Type: 8-bit signed exponent, 24-bit signed mantissa. Mantissas 0x7FFFFF
 * NaN, 0x800000 NRes, 0x7FFFFE +INF, 0x800002 -INF, 0x800001 reserved. */
struct ieee_num ieee_float_decode(uint32_t raw);
/* SFLOAT-Type: 4-bit signed exponent, 12-bit signed mantissa. Mantissas 0x7FF NaN,
 * 0x800 NRes, 0x7FE +INF, 0x802 -INF, 0x801 reserved. */
struct ieee_num ieee_sfloat_decode(uint16_t raw);

/* Encodes V with at most DECIMALS digits after the point (exponent >= -DECIMALS),
 * dropping precision when the mantissa would not fit. Non-finite V gives NaN. */
uint32_t ieee_float_from_double(double v, int decimals);
uint16_t ieee_sfloat_from_double(double v, int decimals);

/* AbsoluteTime: 8 BCD bytes century, year, month, day, hour, minute, second,
 * sec-fractions (1/100 s). Writes the fields taken literally as UTC epoch ms into
 * *MS. Returns 0, or IEEE_E_INVALID for a non-BCD nibble or a field out of range
 * (month 1-12, day valid for the month, hour < 24, minute/second < 60). */
int ieee_abstime_decode(const uint8_t b[8], int64_t *ms);
/* Encodes epoch ms (read as UTC wall time) into 8 BCD bytes. */
void ieee_abstime_encode(int64_t ms, uint8_t b[8]);

#endif
