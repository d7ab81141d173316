/* fuzz_gatt.c — libFuzzer target for the Bluetooth SIG characteristic decoders and
 * the RACP codec (devices/proto/gatt.c). Byte 0 picks the characteristic, the rest
 * is its value. Seeds: tests/fuzz/corpus/gatt/ (the values of tests/unit/devices/
 * test_gatt.c, one per characteristic). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "devices/proto/gatt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t chr[] = {GATT_CHR_TEMP_MEAS, GATT_CHR_BP_MEAS, GATT_CHR_PLX_SPOT,
	                               GATT_CHR_PLX_CONT, GATT_CHR_WEIGHT_MEAS,
	                               GATT_CHR_GLUCOSE_MEAS, GATT_CHR_RACP, GATT_CHR_WEIGHT_FEATURE};
	if (size < 1)
		return 0;
	uint16_t c = chr[data[0] % (sizeof chr / sizeof chr[0])];
	const uint8_t *b = data + 1;
	size_t n = size - 1;
	/* an exact-size heap copy so that ASan sees any read past the value */
	uint8_t *copy = n ? (uint8_t *)malloc(n) : NULL;
	if (n && !copy)
		return 0;
	if (n)
		memcpy(copy, b, n);
	if (c == GATT_CHR_RACP) {
		struct gatt_racp_reply r;
		if (gatt_racp_decode(copy, n, &r) == 0)
			(void)gatt_racp_code_text(r.code);
	} else if (c == GATT_CHR_WEIGHT_FEATURE) {
		double w, h;
		int bmi;
		gatt_weight_feature(copy, n, &w, &h, &bmi);
	} else {
		struct gatt_result o;
		int r = gatt_decode(c, copy, n, &o);
		if (r < 0 && o.n != 0)
			__builtin_trap();
		for (int i = 0; i < o.n; i++)
			if (o.r[i].value_kind != CAB_VALUE_NUMBER && o.r[i].value != 0)
				__builtin_trap(); /* a special value never carries a number */
	}
	free(copy);
	return 0;
}
