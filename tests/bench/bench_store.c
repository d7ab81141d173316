/* bench_store.c — figures of the store (printed as JSON lines for tests/bench/run):
 *   durable_writes_per_s  encrypted readings committed per second, one transaction
 *                         each, WAL + synchronous=FULL, in BUILD/bench-store
 *   outbox_port_10k_store_s seconds to take 10,000 queued messages through the outbox
 *                         port (pending -> sent -> acked), store side only
 * BENCH_STORE_SECONDS sets the write run (default 3 s). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>

#include "clock.h"
#include "kiosk/store/store.h"
#include "log.h"
#include "store_testlib.h"

#define REPLAY_N 10000

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *fs_name(const char *dir)
{
	struct statfs sf;
	if (statfs(dir, &sf))
		return "unknown fs";
	switch ((unsigned long)sf.f_type) {
	case 0xEF53: return "ext4";
	case 0x01021994: return "tmpfs (fsync is free: not a disk figure)";
	case 0x794c7630: return "overlayfs";
	case 0x9123683E: return "btrfs";
	case 0x58465342: return "xfs";
	default: return "other fs";
	}
}

int main(void)
{
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char dir[600], cmd[1300];
	double secs = getenv("BENCH_STORE_SECONDS") ? atof(getenv("BENCH_STORE_SECONDS")) : 3.0;
	cab_log_set_level(CAB_LOG_ERROR);
	snprintf(dir, sizeof dir, "%s/bench-store", build);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-private'", dir, dir); /* and the key's directory */
	if (system(cmd))
		return 1;
	struct cab_store *st = tl_open(dir);
	struct cab_reading r;
	char sid[37];
	int n = 0;
	if (cab_store_session_begin(st, "fr", sid))
		return 1;
	double t0 = now_s(), t;
	do {
		tl_reading(&r, cab_wall_ms());
		if (cab_store_reading_put(st, sid, &r, NULL)) {
			fprintf(stderr, "bench_store: %s\n", cab_store_errmsg(st));
			return 1;
		}
		n++;
	} while ((t = now_s() - t0) < secs);
	printf("{\"name\": \"durable_writes_per_s\", \"value\": %.1f, \"unit\": \"readings/s\", "
	       "\"note\": \"%d AES-256-GCM encrypted readings, one transaction each, WAL, "
	       "synchronous=FULL, on %s\"}\n", n / t, n, fs_name(dir));
	fflush(stdout);
	cab_store_session_wipe(st, sid, CAB_OUTCOME_ABORTED);

	/* The queue: 10,000 personal messages in 100 sessions (not timed). */
	char body[256];
	double q0 = now_s();
	for (int s = 0; s < 100; s++) {
		if (cab_store_session_begin(st, "fr", sid))
			return 1;
		for (int i = 0; i < REPLAY_N / 100; i++) {
			snprintf(body, sizeof body, "{\"type\":\"reading\",\"session\":\"%s\",\"n\":%d,"
			         "\"valueQuantity\":{\"value\":97,\"unit\":\"%%\"}}", sid, i);
			if (cab_store_outbox_put(st, sid, "reading", body, 1, NULL, NULL))
				return 1;
		}
		if (cab_store_session_close(st, sid, CAB_OUTCOME_COMPLETED, NULL, "{\"h\":1}"))
			return 1;
	}
	double queued = now_s() - q0;
	struct cab_store *link = NULL;
	struct cab_outbox_port port;
	struct cab_outbox_item it[64];
	if (cab_store_outbox_open(st, &link))
		return 1;
	cab_store_outbox_port(link, &port);
	int done = 0;
	double r0 = now_s();
	for (;;) {
		int k = port.pending(port.user, 0, INT64_MAX, it, 64);
		if (k <= 0)
			break;
		for (int i = 0; i < k; i++) {
			if (port.sent(port.user, it[i].id, 1) || port.acked(port.user, it[i].id))
				return 1;
			cab_outbox_item_clear(&it[i]);
			done++;
		}
	}
	double replay = now_s() - r0;
	printf("{\"name\": \"outbox_port_10k_store_s\", \"value\": %.2f, \"unit\": \"s\", \"note\": "
	       "\"store side alone (no network; see outbox_replay_10k_sqlite_s for the link): %d messages incl. 100 hand-offs "
	       "through the outbox port pending->sent->acked, each sent and acked a durable "
	       "transaction, 100 session wipes; queueing them took %.1f s; on %s\"}\n",
	       replay, done, queued, fs_name(dir));
	cab_store_close(link);
	cab_store_close(st);
	if (system(cmd))
		return 1;
	return 0;
}
