/* fuzz_omron_hem.c — libFuzzer target for the Omron HEM-790IT codec: report
 * reassembly, reply classification and checksum, GDC/VER/GME parsing, readings,
 * and the `cabin-devices decode --protocol omron` path. Seeds:
 * tests/fuzz/corpus/omron_hem/ (the captures of tests/devices/omron-hem/fixtures/). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "devices/cli/decode_omron.c"
#include "devices/proto/omron_hem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null_out;
	if (!null_out)
		null_out = fopen("/dev/null", "w");
	struct omron_asm a;
	memset(&a, 0, sizeof a);
	for (size_t off = 0; off + 1 <= size; off += 8) {
		size_t n = size - off < 8 ? size - off : 8;
		int r = omron_asm_add(&a, data + off, n);
		if (r < 0) {
			memset(&a, 0, sizeof a);
			continue;
		}
		if (r == 1) {
			const uint8_t *d;
			size_t dl;
			if (omron_reply_parse(a.buf, a.n, &d, &dl) == OMRON_REPLY_OK) {
				struct omron_record rec;
				struct cab_reading rd[3];
				char v[48];
				omron_gdc_count(d, dl);
				omron_ver_string(d, dl, v, sizeof v);
				if (omron_record_parse(d, dl, &rec) == 0)
					omron_record_readings(&rec, 0, rd);
			}
			memset(&a, 0, sizeof a);
		}
	}
	cab_cli_decode_omron(data, size, null_out, null_out);
	return 0;
}
