/* fuzz_onetouch.c — libFuzzer target for the LifeScan OneTouch Ultra 2 serial ASCII
 * decoder (devices/proto/onetouch.c): each input line through the checksum check,
 * then every body grammar (version, serial, clock, unit, dump header, record). Seeds:
 * tests/fuzz/corpus/onetouch/ (lines as the simulator sends them). */
#include <stdint.h>
#include <string.h>

#include "devices/proto/onetouch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bodies(const char *b)
{
	char out[64], s10[10];
	int a, c;
	int64_t ms;
	struct ot_record r;
	ot_version(b, out, sizeof out);
	ot_serial(b, s10, &a);
	ot_clock(b, &ms, &a);
	ot_unit(b, &a);
	ot_dump_header(b, &c, s10, &a);
	ot_record(b, &r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char body[256], raw[257];
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t n = lf ? (size_t)(lf - p) + 1 : (size_t)(end - p);
		if (ot_line(p, n, body, sizeof body) == 0)
			bodies(body);
		/* the raw line as a body too (NUL-terminated copy) */
		size_t k = n < 256 ? n : 256;
		memcpy(raw, p, k);
		raw[k] = '\0';
		bodies(raw);
		p += n;
	}
	return 0;
}
