/* bench_store_link.c — the outbox replay with everything real: 10,000 reading
 * messages queued in the sqlite store (encrypted, durable), then the link started
 * cold on loopback (TLS 1.3, real certificates from scripts/make-certs) against the
 * station engine (doctor/station.c) in-process, driven through the store's
 * cab_outbox_port; timed from link start to the acknowledgement of the session's
 * session_close, which also wipes the session in the store.
 *   outbox_replay_10k_sqlite_s
 * Prints a JSON line for tests/bench/run (which runs from the repository root). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cabin/mdc.h"
#include "common/clock.h"
#include "doctor/station.h"
#include "kiosk/link/fhir_observation.h"
#include "kiosk/link/link.h"
#include "kiosk/store/store.h"
#include "log.h"
#include "store_testlib.h"

#define N_READINGS 10000

static atomic_int acked_count;

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

/* Queues one message built by the link's own message code. */
static int put(struct cab_store *st, const char *sid, enum cab_msg_type type, const char *tname,
               json_t *extra, int personal)
{
	char id[37];
	if (cab_uuid_v4(id))
		return -1;
	json_t *m = cab_msg_new(type, id);
	json_object_set_new(m, "session", json_string(sid));
	json_object_update(m, extra);
	json_decref(extra);
	char *body = cab_msg_dump_take(m);
	int rc = body ? cab_store_outbox_put(st, sid, tname, body, personal, id, NULL) : -1;
	free(body);
	return rc;
}

int main(void)
{
	char dir[] = "/tmp/cabin-bench-store-link.XXXXXX", cmd[1024], certs[200], data[200],
	     sdata[200], p1[300], p2[300], p3[300], p4[300], err[256], t[40], sid[37];
	cab_log_set_level(CAB_LOG_ERROR);
	if (!mkdtemp(dir))
		return 1;
	snprintf(cmd, sizeof cmd, "scripts/make-certs %s/certs --cabin-id CABIN-BENCH 2>/dev/null",
	         dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_store_link: make-certs failed (run from the repository root)\n");
		return 1;
	}
	snprintf(certs, sizeof certs, "%.150s/certs", dir);
	snprintf(data, sizeof data, "%.150s/cabin", dir);
	snprintf(sdata, sizeof sdata, "%.150s/station", dir);
	snprintf(cmd, sizeof cmd, "mkdir -p %s", sdata);
	if (system(cmd) != 0)
		return 1;

	/* The queue, in the store (not timed). */
	struct cab_store *store = tl_open(data);
	if (cab_store_session_begin(store, "fr", sid))
		return 1;
	if (put(store, sid, CAB_MSG_SESSION_OPEN, "session_open",
	        json_pack("{s:s}", "time", cab_time_rfc3339(cab_wall_ms(), t, sizeof t)), 0))
		return 1;
	for (int i = 0; i < N_READINGS; i++) {
		struct cab_reading r;
		tl_reading(&r, cab_wall_ms());
		r.value = 90 + i % 10;
		json_t *x = json_pack("{s:I, s:o, s:o}", "mdc", (json_int_t)r.mdc, "device",
		                      cab_fhir_device_json(&r.device), "observation",
		                      cab_fhir_observation(&r, NULL));
		if (put(store, sid, CAB_MSG_READING, "reading", x, 1)) {
			fprintf(stderr, "bench_store_link: %s\n", cab_store_errmsg(store));
			return 1;
		}
	}
	char hid[37];
	cab_uuid_v4(hid);
	json_t *m = cab_msg_new(CAB_MSG_SESSION_CLOSE, hid);
	json_object_set_new(m, "session", json_string(sid));
	json_object_set_new(m, "time", json_string(cab_time_rfc3339(cab_wall_ms(), t, sizeof t)));
	json_object_set_new(m, "reason", json_string("completed"));
	char *close_body = cab_msg_dump_take(m);
	if (cab_store_session_close(store, sid, CAB_OUTCOME_COMPLETED, hid, close_body))
		return 1;
	free(close_body);

	/* The station. */
	snprintf(p1, sizeof p1, "%s/station.pem", certs);
	snprintf(p2, sizeof p2, "%s/station.key", certs);
	snprintf(p3, sizeof p3, "%s/ca.pem", certs);
	struct cab_station_config sc = {.host = "127.0.0.1", .cert = p1, .key = p2, .ca = p3,
	                                .data_dir = sdata, .name = "bench"};
	snprintf(sc.doctor.name, sizeof sc.doctor.name, "Dr Bench");
	struct cab_station *station = cab_station_new(&sc, NULL, NULL, err, sizeof err);
	if (!station) {
		fprintf(stderr, "bench_store_link: %s\n", err);
		return 1;
	}
	pthread_t th;
	pthread_create(&th, NULL, station_thread, station);

	/* The link on the store's port. */
	struct cab_store *link_store = NULL;
	if (cab_store_outbox_open(store, &link_store))
		return 1;
	struct cab_outbox_port port;
	cab_store_outbox_port(link_store, &port);
	char url[64];
	snprintf(url, sizeof url, "wss://127.0.0.1:%d/", cab_station_port(station));
	snprintf(p1, sizeof p1, "%s/cabin.pem", certs);
	snprintf(p2, sizeof p2, "%s/cabin.key", certs);
	snprintf(p4, sizeof p4, "%s/ca.pem", certs);
	struct cab_link_config cfg = {.url = url, .cert = p1, .key = p2, .ca = p4,
	                              .backoff_min_ms = 50, .backoff_max_ms = 500};
	snprintf(cfg.cabin.id, sizeof cfg.cabin.id, "CABIN-BENCH");
	snprintf(cfg.cabin.phone, sizeof cfg.cabin.phone, "+33100000001");
	struct cab_link_callbacks cb = {.on_acked = on_acked};
	struct cab_link *link = cab_link_new(&cfg, &port, &cb, err, sizeof err);
	if (!link) {
		fprintf(stderr, "bench_store_link: %s\n", err);
		return 1;
	}
	int total = N_READINGS + 2;
	int64_t t0 = cab_mono_ms();
	cab_link_start(link);
	while (atomic_load(&acked_count) < total && cab_mono_ms() - t0 < 300000)
		usleep(1000);
	double secs = (double)(cab_mono_ms() - t0) / 1000.0;
	cab_link_free(link);
	struct cab_store_session_info info;
	struct cab_store_outbox_counts c;
	cab_store_session_get(store, sid, &info);
	cab_store_outbox_counts(store, &c);
	printf("{\"name\": \"outbox_replay_10k_sqlite_s\", \"value\": %.3f, \"unit\": \"s\", "
	       "\"note\": \"%d of %d messages done (session_open, %d encrypted readings, "
	       "session_close) queued in the sqlite store, replayed from link start (connect, "
	       "TLS 1.3, hello) to the last ack through cab_outbox_port, station engine on "
	       "loopback; session %s afterwards\"}\n", secs, c.done, total, N_READINGS, info.state);
	cab_store_close(link_store);
	cab_store_close(store);
	cab_station_stop(station);
	pthread_join(th, NULL);
	cab_station_free(station);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) != 0;
}
