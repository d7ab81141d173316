/* bench_glucometer_ble.c — throughput of the new decoders: the Bluetooth SIG GATT
 * characteristic decoders (devices/proto/gatt.c, the values of test_gatt.c) and the
 * FreeStyle record list (devices/proto/freestyle.c: CKSM, list checksum, Neo records).
 * Prints one JSON figure per line; best of 3 runs. The memcpy of the same bytes is
 * the baseline measured in the same run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "devices/proto/freestyle.h"
#include "devices/proto/gatt.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int each(const char *rec, size_t n, void *user)
{
	struct fs_glucose g;
	if (fs_neo_record(rec, n, &g) == 1)
		++*(unsigned *)user;
	return 0;
}

int main(void)
{
	static const uint8_t bp[] = {0x1E, 120, 0, 80, 0, 93, 0, 0xE8, 0x07, 5, 17, 8, 30, 0, 62, 0, 1, 5, 0};
	static const uint8_t glu[] = {0x03, 7, 0, 0xE8, 0x07, 5, 17, 8, 30, 0, 5, 0, 0x5F, 0xB0, 0x11};
	const int n = 2000000;
	double best = 1e9, base = 1e9;
	volatile unsigned sink = 0;
	for (int k = 0; k < 3; k++) {
		double t0 = now_s();
		for (int i = 0; i < n; i++) {
			struct gatt_result o;
			gatt_decode(i & 1 ? GATT_CHR_BP_MEAS : GATT_CHR_GLUCOSE_MEAS, i & 1 ? bp : glu,
			            i & 1 ? sizeof bp : sizeof glu, &o);
			sink += (unsigned)o.n;
		}
		double t = now_s() - t0;
		best = t < best ? t : best;
		uint8_t copy[32];
		t0 = now_s();
		for (int i = 0; i < n; i++) {
			memcpy(copy, i & 1 ? bp : glu, i & 1 ? sizeof bp : sizeof glu);
			sink += copy[i & 7];
		}
		t = now_s() - t0;
		base = t < base ? t : base;
	}
	printf("{\"name\":\"decoder_gatt_values_per_s\",\"value\":%.0f,\"unit\":\"values/s\",\"baseline_memcpy_values_per_s\":%.0f,\"note\":\"BLS 0x2A35 and GLS 0x2A18 values alternately, best of 3\"}\n",
	       n / best, n / base);
	/* a 500-record Neo list */
	size_t cap = 64 * 1024, len = 0;
	char *list = malloc(cap);
	unsigned ck = 0;
	for (int i = 0; i < 500; i++)
		len += (size_t)snprintf(list + len, cap - len, "7,%d,5,17,24,8,30,0,%d,0,0,0,0,0,0,0,0,0,0\r\n",
		                        i, 80 + i % 100);
	for (size_t i = 0; i < len; i++)
		ck += (uint8_t)list[i];
	len += (size_t)snprintf(list + len, cap - len, "500,%08X\r\n", ck);
	best = 1e9;
	unsigned recs = 0;
	for (int k = 0; k < 3; k++) {
		double t0 = now_s();
		for (int i = 0; i < 200; i++)
			fs_records(list, len, each, &recs);
		double t = now_s() - t0;
		best = t < best ? t : best;
	}
	printf("{\"name\":\"decoder_freestyle_mb_per_s\",\"value\":%.1f,\"unit\":\"MB/s\",\"note\":\"record list checksum + 500 Neo records parsed, %zu bytes x 200, best of 3\"}\n",
	       len * 200 / best / 1e6, len);
	free(list);
	return sink == 0xFFFFFFFF;
}
