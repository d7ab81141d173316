/* fuzz_freestyle.c — libFuzzer target for the Abbott FreeStyle shared HID codec
 * (devices/proto/freestyle.c): report reassembly (64-byte slices of the input), the
 * CKSM check, the record-list checksum and both record grammars, the clock. Seeds:
 * tests/fuzz/corpus/freestyle/ (replies as the simulator sends them). */
#include <stdint.h>
#include <string.h>

#include "devices/proto/freestyle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int each(const char *rec, size_t n, void *user)
{
	struct fs_glucose g;
	(void)user;
	if (fs_neo_record(rec, n, &g) == 1)
		(void)fs_glucose_reading(&g);
	if (fs_libre_record(rec, n, &g) == 1)
		(void)fs_glucose_reading(&g);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_text t = {0};
	for (size_t off = 0; off < size; off += FS_REPORT) {
		size_t n = size - off < FS_REPORT ? size - off : FS_REPORT;
		int r = fs_text_add(&t, data + off, n);
		if (r != 0)
			break;
	}
	const char *m;
	size_t ml;
	if (t.n && fs_reply_check(t.buf, t.n, &m, &ml) == 0)
		fs_records(m, ml, each, NULL);
	/* the raw input as a message too */
	fs_records((const char *)data, size, each, NULL);
	int64_t ms;
	size_t half = size / 2;
	fs_clock((const char *)data, half, (const char *)data + half, size - half, &ms);
	fs_text_free(&t);
	return 0;
}
