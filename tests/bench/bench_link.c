/* bench_link.c — link figures on loopback with real certificates, the station
 * engine (doctor/station.c, sqlite and all) in-process and kiosk/link with the
 * in-memory outbox:
 *   reading_to_station_ms_median / _p99: from putting a reading in the outbox and
 *     waking the link (the reading event) to the station having stored it;
 *   link_msgs_per_s: 5,000 readings queued at once, sent and acknowledged;
 *   outbox_replay_10k_s: 10,000 queued messages replayed from a cold start
 *     (connect, TLS, hello) until all are acknowledged.
 * Prints JSON lines (tests/bench/run). Needs scripts/make-certs (run from the repo). */
#include "cabin/mdc.h"
#include "common/clock.h"
#include "doctor/station.h"
#include "kiosk/link/fhir_observation.h"
#include "kiosk/link/link.h"
#include "kiosk/link/outbox_mem.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LAT_N 300
static int64_t t_put[LAT_N], t_rx[LAT_N];
static atomic_int rx_count, acked_count, connected;

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void on_station(const struct cab_station_event *ev, void *u)
{
	(void)u;
	if (ev->kind != CAB_SEV_MESSAGE || !ev->id || strncmp(ev->id, "lat-", 4))
		return;
	int i = atoi(ev->id + 4);
	if (i >= 0 && i < LAT_N)
		t_rx[i] = mono_us();
	atomic_fetch_add(&rx_count, 1);
}

static void on_status(const struct cab_link_status *s, void *u)
{
	(void)u;
	atomic_store(&connected, s->state == CAB_LINK_CONNECTED);
}

static void on_acked(const char *id, void *u)
{
	(void)id;
	(void)u;
	atomic_fetch_add(&acked_count, 1);
}

static void *station_thread(void *arg)
{
	cab_station_run(arg);
	return NULL;
}

static char *reading_body(const char *id, const char *session, double v)
{
	struct cab_reading r;
	memset(&r, 0, sizeof r);
	r.mdc = MDC_FULL(2, MDC_PULS_OXIM_SAT_O2);
	r.value = v;
	snprintf(r.ucum, sizeof r.ucum, "%%");
	r.cabin_time_ms = cab_wall_ms();
	r.device_time_ms = INT64_MIN;
	r.device.kind = CAB_KIND_PULSE_OXIMETER;
	snprintf(r.device.model, sizeof r.device.model, "SIM-OXI");
	snprintf(r.device.serial, sizeof r.device.serial, "O-1");
	json_t *m = cab_msg_new(CAB_MSG_READING, id);
	json_object_set_new(m, "session", json_string(session));
	json_object_set_new(m, "mdc", json_integer(r.mdc));
	json_object_set_new(m, "device", cab_fhir_device_json(&r.device));
	json_object_set_new(m, "observation", cab_fhir_observation(&r, NULL));
	return cab_msg_dump_take(m);
}

static void put_open(struct cab_outbox_mem *ob, const char *session)
{
	char t[40], id[48];
	snprintf(id, sizeof id, "open-%.30s", session);
	json_t *m = cab_msg_new(CAB_MSG_SESSION_OPEN, id);
	json_object_set_new(m, "session", json_string(session));
	json_object_set_new(m, "time", json_string(cab_time_rfc3339(cab_wall_ms(), t, sizeof t)));
	char *b = cab_msg_dump_take(m);
	cab_outbox_mem_put(ob, id, session, "session_open", b);
	free(b);
}

static void put_reading(struct cab_outbox_mem *ob, const char *id, const char *session, double v)
{
	char *b = reading_body(id, session, v);
	cab_outbox_mem_put(ob, id, session, "reading", b);
	free(b);
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static struct cab_link *new_link(const char *dir, int port, struct cab_outbox_mem *ob)
{
	char url[64], cert[512], key[512], ca[512], err[256];
	snprintf(url, sizeof url, "wss://127.0.0.1:%d/", port);
	snprintf(cert, sizeof cert, "%s/cabin.pem", dir);
	snprintf(key, sizeof key, "%s/cabin.key", dir);
	snprintf(ca, sizeof ca, "%s/ca.pem", dir);
	struct cab_link_config cfg = {.url = url,
	                              .cert = cert,
	                              .key = key,
	                              .ca = ca,
	                              .backoff_min_ms = 50,
	                              .backoff_max_ms = 500};
	snprintf(cfg.cabin.id, sizeof cfg.cabin.id, "CABIN-BENCH");
	snprintf(cfg.cabin.phone, sizeof cfg.cabin.phone, "+33100000001");
	struct cab_outbox_port port_ops = cab_outbox_mem_port(ob);
	struct cab_link_callbacks cb = {.on_status = on_status, .on_acked = on_acked};
	struct cab_link *l = cab_link_new(&cfg, &port_ops, &cb, err, sizeof err);
	if (!l)
		fprintf(stderr, "bench_link: %s\n", err);
	return l;
}

static int wait_for(atomic_int *v, int target, int64_t timeout_ms)
{
	int64_t end = cab_mono_ms() + timeout_ms;
	while (atomic_load(v) < target)
		if (cab_mono_ms() > end)
			return -1;
		else
			usleep(200);
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/cabin-bench-link.XXXXXX", cmd[1024], data[600], p1[600], p2[600],
	     p3[600];
	if (!mkdtemp(dir))
		return 1;
	snprintf(cmd, sizeof cmd, "scripts/make-certs %s/certs --cabin-id CABIN-BENCH 2>/dev/null",
	         dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_link: make-certs failed (run from the repository root)\n");
		return 1;
	}
	char certs[200];
	snprintf(certs, sizeof certs, "%.150s/certs", dir);
	snprintf(data, sizeof data, "%.150s/data", dir);
	snprintf(cmd, sizeof cmd, "mkdir -p %s", data);
	if (system(cmd) != 0)
		return 1;
	snprintf(p1, sizeof p1, "%s/station.pem", certs);
	snprintf(p2, sizeof p2, "%s/station.key", certs);
	snprintf(p3, sizeof p3, "%s/ca.pem", certs);
	struct cab_station_config sc = {.host = "127.0.0.1",
	                                .port = 0,
	                                .cert = p1,
	                                .key = p2,
	                                .ca = p3,
	                                .data_dir = data,
	                                .name = "bench"};
	snprintf(sc.doctor.name, sizeof sc.doctor.name, "Dr Bench");
	char err[256];
	struct cab_station *st = cab_station_new(&sc, on_station, NULL, err, sizeof err);
	if (!st) {
		fprintf(stderr, "bench_link: %s\n", err);
		return 1;
	}
	int port = cab_station_port(st);
	pthread_t th;
	pthread_create(&th, NULL, station_thread, st);

	/* 1. latency: one reading every 10 ms on an idle, connected link */
	struct cab_outbox_mem *ob = cab_outbox_mem_new(200000, 5000);
	put_open(ob, "bench-lat");
	struct cab_link *l = new_link(certs, port, ob);
	if (!l)
		return 1;
	cab_link_start(l);
	if (wait_for(&connected, 1, 10000) || wait_for(&acked_count, 1, 10000)) {
		fprintf(stderr, "bench_link: no connection\n");
		return 1;
	}
	for (int i = 0; i < LAT_N; i++) {
		char id[16];
		snprintf(id, sizeof id, "lat-%d", i);
		char *b = reading_body(id, "bench-lat", 90 + i % 10);
		t_put[i] = mono_us();
		cab_outbox_mem_put(ob, id, "bench-lat", "reading", b);
		cab_link_wake(l);
		free(b);
		usleep(10000);
	}
	wait_for(&rx_count, LAT_N, 10000);
	int64_t lat[LAT_N];
	int n = 0;
	for (int i = 0; i < LAT_N; i++)
		if (t_rx[i])
			lat[n++] = t_rx[i] - t_put[i];
	qsort(lat, (size_t)n, sizeof lat[0], cmp64);
	printf("{\"name\":\"reading_to_station_ms_median\",\"value\":%.3f,\"unit\":\"ms\",\"note\":"
	       "\"%d readings, 1 per 10 ms, "
	       "outbox put + wake to station stored (sqlite WAL), loopback, TLS 1.3\"}\n",
	       n ? lat[n / 2] / 1000.0 : -1, n);
	printf("{\"name\":\"reading_to_station_ms_p99\",\"value\":%.3f,\"unit\":\"ms\",\"note\":"
	       "\"same %d readings\"}\n",
	       n ? lat[(n * 99) / 100] / 1000.0 : -1, n);
	fflush(stdout);

	/* 2. sustained throughput with acknowledgements */
	const int TP = 5000;
	int base = atomic_load(&acked_count);
	int64_t t0 = mono_us();
	for (int i = 0; i < TP; i++) {
		char id[24];
		snprintf(id, sizeof id, "tp-%d", i);
		put_reading(ob, id, "bench-lat", 95);
	}
	cab_link_wake(l);
	wait_for(&acked_count, base + TP, 60000);
	double secs = (mono_us() - t0) / 1e6;
	printf("{\"name\":\"link_msgs_per_s\",\"value\":%.0f,\"unit\":\"msg/s\",\"note\":\"%d "
	       "reading messages queued at once, "
	       "each stored and acknowledged by the station, loopback\"}\n",
	       (atomic_load(&acked_count) - base) / secs, TP);
	fflush(stdout);
	cab_link_free(l);
	cab_outbox_mem_free(ob);

	/* 3. replay of 10,000 queued messages from a cold start */
	const int RP = 10000;
	ob = cab_outbox_mem_new(RP + 1, 5000);
	put_open(ob, "bench-replay");
	for (int i = 0; i < RP; i++) {
		char id[24];
		snprintf(id, sizeof id, "rp-%d", i);
		put_reading(ob, id, "bench-replay", 96);
	}
	atomic_store(&acked_count, 0);
	atomic_store(&connected, 0);
	l = new_link(certs, port, ob);
	t0 = mono_us();
	cab_link_start(l);
	wait_for(&acked_count, RP + 1, 120000);
	secs = (mono_us() - t0) / 1e6;
	size_t acked;
	cab_outbox_mem_counts(ob, NULL, &acked, NULL);
	printf("{\"name\":\"outbox_replay_10k_s\",\"value\":%.3f,\"unit\":\"s\",\"note\":\"%zu of "
	       "%d queued messages "
	       "acknowledged, from link start (connect, TLS 1.3, hello) to the last ack, "
	       "loopback\"}\n",
	       secs, acked, RP + 1);
	fflush(stdout);
	cab_link_free(l);
	cab_outbox_mem_free(ob);
	cab_station_stop(st);
	pthread_join(th, NULL);
	cab_station_free(st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return 0;
}
