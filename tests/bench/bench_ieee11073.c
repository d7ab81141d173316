/* bench_ieee11073.c — decoder throughput: confirmed fixed measurement reports of
 * the simulated agents (BP, pulse oximeter, scale, thermometer, glucometer) pushed
 * through an associated manager (parse, decode to readings, answer), in MB of APDUs
 * per second. Prints one JSON line (tests/bench/run gathers it). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "devices/proto/ieee11073/manager.h"
#include "devices/sim/ieee11073_agent.h"
#include "log.h"

static int64_t zero(void *u)
{
	(void)u;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	static struct ieee_mgr_out out;
	static const enum cab_device_kind kinds[] = {CAB_KIND_BLOOD_PRESSURE, CAB_KIND_PULSE_OXIMETER,
	                                            CAB_KIND_SCALE, CAB_KIND_THERMOMETER,
	                                            CAB_KIND_GLUCOMETER};
	static const double values[] = {121, 79, 93, 64};
	double bytes = 0, t0, elapsed;
	size_t readings = 0;

	cab_log_set_level(CAB_LOG_ERROR);
	t0 = now_s();
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		struct ieee_manager m;
		struct ieee_mgr_opts o = {0};
		struct cab_sim11073 a;
		uint8_t aarq[128], rep[256];
		size_t al, rl;

		o.mono.now_ms = zero;
		o.wall.now_ms = zero;
		o.no_get_mds = 1;
		ieee_mgr_init(&m, &o);
		ieee_mgr_connect(&m, &out);
		cab_sim11073_init(&a, kinds[k]);
		al = cab_sim11073_aarq(&a, aarq, sizeof aarq);
		ieee_mgr_receive(&m, aarq, al, &out);
		rl = cab_sim11073_measurement(&a, values, cab_sim11073_value_count(&a), 1796392800000LL,
		                              rep, sizeof rep);
		for (int i = 0; i < 400000; i++) {
			ieee_mgr_receive(&m, rep, rl, &out);
			readings += out.n_readings;
			bytes += (double)rl;
		}
	}
	elapsed = now_s() - t0;
	printf("{\"name\":\"decoder_mb_per_s\",\"value\":%.1f,\"unit\":\"MB/s\",\"note\":\"IEEE "
	       "11073-20601 fixed reports through the manager\"}\n", bytes / elapsed / 1e6);
	fprintf(stderr, "bench_ieee11073: %.0f bytes, %zu readings in %.2f s\n", bytes, readings,
	        elapsed);
	return 0;
}
