/* bench_store.c — figures of the store (printed as JSON lines for tests/bench/run):
 *   durable_writes_per_s  encrypted readings committed per second, one transaction
 *                         each, WAL + synchronous=FULL, in BUILD/bench-store
 *   durable_writes_bare_sqlite_per_s  the baseline, same run, same file system: a bare
 *                         sqlite3 loop inserting a 320-byte blob per transaction with
 *                         the store's pragmas (WAL, synchronous=FULL, secure_delete)
 *   durable_writes_vs_bare  the ratio of the two (goal >= 0.8)
 *   outbox_port_10k_store_s seconds to take 10,000 queued messages through the outbox
 *                         port (pending -> sent -> acked), store side only
 * BENCH_STORE_SECONDS sets the write run (default 3 s). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>

#include <sqlite3.h>

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

/* The baseline: inserts rows of a 320-byte blob, one transaction each, for SECS
 * seconds into DIR/bare.db with the store's pragmas. Returns inserts per second, or
 * -1 on an sqlite error. */
static double bare_sqlite_per_s(const char *dir, double secs)
{
	char path[800];
	snprintf(path, sizeof path, "%.700s/bare.db", dir);
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	unsigned char blob[320];
	for (size_t i = 0; i < sizeof blob; i++)
		blob[i] = (unsigned char)(i * 131u + 7u);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
	                     "PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON; "
	                     "CREATE TABLE r(id INTEGER PRIMARY KEY, session TEXT, body BLOB);",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO r(session, body) VALUES('bench', ?)", -1, &ins,
	                       NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_store: bare sqlite: %s\n", db ? sqlite3_errmsg(db) : "open");
		sqlite3_close(db);
		return -1;
	}
	int n = 0;
	double t0 = now_s(), t = 0;
	do {
		sqlite3_bind_blob(ins, 1, blob, sizeof blob, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			break;
		sqlite3_reset(ins);
		n++;
	} while ((t = now_s() - t0) < secs);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return n / t;
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
	char bare_dir[620];
	snprintf(bare_dir, sizeof bare_dir, "%.600s-bare", dir);
	snprintf(cmd, sizeof cmd, "rm -rf '%.620s' && mkdir -p '%.620s'", bare_dir, bare_dir);
	if (system(cmd))
		return 1;
	double bare = bare_sqlite_per_s(bare_dir, secs);
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
	printf("{\"name\": \"durable_writes_bare_sqlite_per_s\", \"value\": %.1f, \"unit\": "
	       "\"rows/s\", \"note\": \"baseline, same run and file system: bare sqlite3, a "
	       "320-byte blob per transaction, WAL, synchronous=FULL, secure_delete\"}\n", bare);
	printf("{\"name\": \"durable_writes_vs_bare\", \"value\": %.2f, \"unit\": \"x\", "
	       "\"note\": \"durable_writes_per_s / durable_writes_bare_sqlite_per_s; goal >= 0.8\"}\n",
	       bare > 0 ? (n / t) / bare : 0.0);
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
