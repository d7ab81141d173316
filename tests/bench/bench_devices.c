/* bench_devices.c — instrument figures for `make bench`, as JSON lines:
 *   decoder_cms50_mb_per_s  the CMS50D+ stream parser + readings on the real capture
 *                           (tests/devices/cms50/fixtures) repeated to 8 MiB
 *   decoder_omron_mb_per_s  Omron report reassembly + reply/record parsing + readings
 *                           on the real GME exchange repeated to 8 MiB
 *   hotplug_ready_ms        umockdev add uevent to driver ready (runs the replay
 *                           harness under umockdev-wrapper). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "devices/proto/cms50.h"
#include "devices/proto/omron_hem.h"
#include "fixture.h"

#define TARGET (8u << 20)

static uint8_t *repeat(const uint8_t *b, size_t n, size_t *out_len)
{
	size_t k = TARGET / n;
	uint8_t *r = malloc(k * n);
	for (size_t i = 0; i < k; i++)
		memcpy(r + i * n, b, n);
	*out_len = k * n;
	return r;
}

static double run_cms50(const uint8_t *buf, size_t len, unsigned *packets)
{
	struct cms50_parser p;
	memset(&p, 0, sizeof p);
	size_t off = 0;
	int64_t t0 = cab_mono_ms();
	while (off < len) {
		struct cms50_packet pkt;
		size_t used;
		enum cms50_res r = cms50_parse_next(&p, buf + off, len - off, &used, &pkt);
		off += used;
		if (r == CMS50_NEED_MORE)
			break;
		if (r == CMS50_PACKET && pkt.type == CMS50_TYPE_REALTIME) {
			struct cab_reading rd[4];
			cms50_realtime_readings(&pkt.u.rt, rd);
			(*packets)++;
		}
	}
	int64_t ms = cab_mono_ms() - t0;
	return ms > 0 ? (double)len / (1 << 20) / (ms / 1000.0) : 0;
}

static double run_omron(const uint8_t *buf, size_t len, unsigned *records)
{
	struct omron_asm a;
	memset(&a, 0, sizeof a);
	int64_t t0 = cab_mono_ms();
	for (size_t off = 0; off + 8 <= len; off += 8) {
		int r = omron_asm_add(&a, buf + off, 8);
		if (r != 1)
			continue;
		const uint8_t *d;
		size_t dl;
		struct omron_record rec;
		if (omron_reply_parse(a.buf, a.n, &d, &dl) == OMRON_REPLY_OK && omron_record_parse(d, dl, &rec) == 0) {
			struct cab_reading rd[3];
			omron_record_readings(&rec, CAB_RF_STORED, rd);
			(*records)++;
		}
		memset(&a, 0, sizeof a);
	}
	int64_t ms = cab_mono_ms() - t0;
	return ms > 0 ? (double)len / (1 << 20) / (ms / 1000.0) : 0;
}

int main(void)
{
	uint8_t *cap, *big;
	size_t cap_len, big_len;
	unsigned n = 0;

	cab_test_load_capture("tests/devices/cms50/fixtures/realtime_stream_7pkts_spo2_97_pr_65.hex", &cap, &cap_len);
	big = repeat(cap, cap_len, &big_len);
	double best = 0;
	for (int i = 0; i < 3; i++) {
		n = 0;
		double v = run_cms50(big, big_len, &n);
		if (v > best)
			best = v;
	}
	printf("{\"name\":\"decoder_cms50_mb_per_s\",\"value\":%.1f,\"unit\":\"MB/s\",\"note\":\"stream parser + readings, real CMS50D+ capture repeated to %zu bytes (%u packets), best of 3\"}\n",
	       best, big_len, n);
	free(cap);
	free(big);

	cab_test_load_capture("tests/devices/omron-hem/fixtures/gme_reading_2007-01-01_123_78_87.hex", &cap, &cap_len);
	big = repeat(cap, cap_len, &big_len);
	best = 0;
	for (int i = 0; i < 3; i++) {
		n = 0;
		double v = run_omron(big, big_len, &n);
		if (v > best)
			best = v;
	}
	printf("{\"name\":\"decoder_omron_mb_per_s\",\"value\":%.1f,\"unit\":\"MB/s\",\"note\":\"HID report reassembly + reply checksum + GME record + readings, real HEM-790IT capture repeated to %zu bytes (%u records), best of 3\"}\n",
	       best, big_len, n);
	free(cap);
	free(big);
	fflush(stdout);

	/* hotplug: the replay harness under umockdev */
	const char *build = getenv("BUILD");
	char cmd[2048], dir[1024];
	cab_test_path("tests/devices/cms50", dir, sizeof dir);
	snprintf(cmd, sizeof cmd, "umockdev-wrapper %s/tests/helpers/devices_harness hotplug-bench %s 2>/dev/null",
	         build && *build ? build : "build", dir);
	FILE *f = popen(cmd, "r");
	char line[512];
	int got = 0;
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, "\"hotplug_ready_ms\"")) {
			fputs(line, stdout);
			got = 1;
		}
	if (f)
		pclose(f);
	if (!got)
		fprintf(stderr, "bench_devices: hotplug harness gave no figure (umockdev-wrapper missing?)\n");
	return 0;
}
