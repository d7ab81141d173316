/* fuzz_cms50.c — libFuzzer target for the Contec CMS50D+ stream decoder: the
 * byte-by-byte parser, the whole-packet decoder, the readings, and the
 * `cabin-devices decode --protocol cms50` path. Seeds: tests/fuzz/corpus/cms50/
 * (the captures of tests/devices/cms50/fixtures/, as raw bytes). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "devices/cli/decode_cms50.c"
#include "devices/proto/cms50.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null_out;
	if (!null_out)
		null_out = fopen("/dev/null", "w");
	/* the stream parser, fed in uneven chunks */
	struct cms50_parser p;
	memset(&p, 0, sizeof p);
	size_t off = 0, chunk = size ? (data[0] % 13) + 1 : 1;
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk;
		size_t k = 0;
		while (k < n) {
			struct cms50_packet pkt;
			size_t used = 0;
			enum cms50_res r = cms50_parse_next(&p, data + off + k, n - k, &used, &pkt);
			k += used;
			if (r == CMS50_PACKET) {
				struct cab_reading rd[6];
				if (pkt.type == CMS50_TYPE_REALTIME)
					cms50_realtime_readings(&pkt.u.rt, rd);
				else if (pkt.type == CMS50_TYPE_STORAGE)
					cms50_storage_readings(&pkt.u.st, rd);
			} else if (r == CMS50_NEED_MORE) {
				break;
			}
		}
		off += n;
	}
	/* the whole-packet decoder on every prefix up to 12 bytes */
	for (size_t n = 0; n <= size && n <= 12; n++) {
		struct cms50_packet pkt;
		cms50_packet_decode(data, n, &pkt);
	}
	cab_cli_decode_cms50(data, size, null_out, null_out);
	return 0;
}
