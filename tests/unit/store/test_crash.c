/* test_crash.c — crash safety (after SQLite's crash tests): a child process
 * (tests/helpers/store_crash_child) runs sessions and a simulated station and is
 * killed with SIGKILL 200 times, half at a random moment, half inside its Nth sqlite
 * sync. After each kill: the database opens, PRAGMA integrity_check says ok, the
 * audit chain verifies, every message whose queueing returned is in the outbox, every
 * acknowledgement that returned is "done", and nothing is "done" that the station did
 * not acknowledge. SIGKILL loses no page cache: it tests the store's transactions,
 * not the disk's write ordering (docs/store.md). CABIN_CRASH_ROUNDS overrides 200. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/store/store.h"
#include "log.h"
#include "store_testlib.h"

static char child_path[PATH_MAX + 64];

/* A sorted set of ids. */
struct ids {
	char (*v)[37];
	size_t n, cap;
};

static void ids_add(struct ids *s, const char *id)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
	}
	snprintf(s->v[s->n++], 37, "%s", id);
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void ids_sort(struct ids *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof *s->v, cmp_id);
}

static int ids_has(const struct ids *s, const char *id)
{
	return s->n && bsearch(id, s->v, s->n, sizeof *s->v, cmp_id) != NULL;
}

static void ids_from_log(struct ids *s, const char *dir, const char *name)
{
	char path[600], line[64];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		if (strlen(line) == 37 && line[36] == '\n') {
			line[36] = 0;
			ids_add(s, line);
		}
	fclose(f);
	ids_sort(s);
}

static void ids_from_db(struct ids *s, sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW)
		ids_add(s, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	ids_sort(s);
}

/* Runs the child; kills it after DELAY_US, or lets it kill itself at sync N. */
static void run_and_kill(const char *data, const char *logs, unsigned seed, long at_sync,
                         long delay_us)
{
	char sseed[16], ssync[24];
	snprintf(sseed, sizeof sseed, "%u", seed);
	snprintf(ssync, sizeof ssync, "%ld", at_sync);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl(child_path, child_path, data, logs, sseed, ssync, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	if (at_sync) {
		/* It dies by itself; a child that does not within 10 s is killed and fails. */
		for (int i = 0; i < 1000 && waitpid(pid, &st, WNOHANG) == 0; i++)
			usleep(10000);
		if (!WIFSIGNALED(st) && !WIFEXITED(st)) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fail_msg("child did not reach sync %ld", at_sync);
		}
	} else {
		usleep((useconds_t)delay_us);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	if (WIFEXITED(st))
		fail_msg("child exited %d instead of being killed (see its stderr)", WEXITSTATUS(st));
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static void check_after_kill(const char *data, const char *logs, int round)
{
	char db_path[600], why[300];
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	snprintf(db_path, sizeof db_path, "%s/cabin.db", data);
	if (access(db_path, F_OK) != 0) {
		/* Killed before it made the database: then it cannot have queued anything. */
		struct ids enq = {0};
		ids_from_log(&enq, logs, "enqueued.log");
		assert_int_equal(enq.n, 0);
		free(enq.v);
		return;
	}
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	if (strcmp((const char *)sqlite3_column_text(q, 0), "ok"))
		fail_msg("round %d: integrity_check: %s", round, sqlite3_column_text(q, 0));
	sqlite3_finalize(q);

	/* Killed after the file was created but before the first migration committed:
	 * no schema yet, so nothing can have been queued. */
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version == 0) {
		struct ids none = {0};
		sqlite3_close(db);
		ids_from_log(&none, logs, "enqueued.log");
		assert_int_equal(none.n, 0);
		free(none.v);
		return;
	}

	struct ids enq = {0}, rcv = {0}, cnf = {0}, all = {0}, done = {0};
	ids_from_log(&enq, logs, "enqueued.log");
	ids_from_log(&rcv, logs, "received.log");
	ids_from_log(&cnf, logs, "confirmed.log");
	ids_from_db(&all, db, "SELECT id FROM outbox");
	ids_from_db(&done, db, "SELECT id FROM outbox WHERE state = 'done'");
	sqlite3_close(db);
	for (size_t i = 0; i < enq.n; i++)
		if (!ids_has(&all, enq.v[i]))
			fail_msg("round %d: queued message %s lost", round, enq.v[i]);
	for (size_t i = 0; i < cnf.n; i++)
		if (!ids_has(&done, cnf.v[i]))
			fail_msg("round %d: acknowledged message %s not done", round, cnf.v[i]);
	for (size_t i = 0; i < done.n; i++)
		if (!ids_has(&rcv, done.v[i]))
			fail_msg("round %d: message %s done without acknowledgement", round, done.v[i]);
	int64_t rows = 0, bad = 0;
	int r = cab_store_audit_verify_file(db_path, &rows, &bad, why, sizeof why);
	if (r != 0)
		fail_msg("round %d: audit chain: row %lld: %s", round, (long long)bad, why);
	free(enq.v);
	free(rcv.v);
	free(cnf.v);
	free(all.v);
	free(done.v);
}

static void sigkill_200_times(void **state)
{
	(void)state;
	char dir[256], data[300], logs[300];
	int rounds = getenv("CABIN_CRASH_ROUNDS") ? atoi(getenv("CABIN_CRASH_ROUNDS")) : 200;
	unsigned seed = (unsigned)time(NULL);
	if (getenv("CABIN_CRASH_SEED"))
		seed = (unsigned)strtoul(getenv("CABIN_CRASH_SEED"), NULL, 10);
	printf("# seed %u (CABIN_CRASH_SEED to replay)\n", seed);
	srand(seed);
	tl_mkdtemp(dir);
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(logs, sizeof logs, "%s", dir);
	for (int round = 0; round < rounds; round++) {
		if (round % 2)
			run_and_kill(data, logs, (unsigned)rand(), 1 + rand() % 60, 0);
		else
			run_and_kill(data, logs, (unsigned)rand(), 0, 2000 + rand() % 60000);
		check_after_kill(data, logs, round);
	}
	/* Finally the store opens through the API, recovers, and its outbox still works. */
	struct cab_store *st = tl_open(data);
	struct cab_store_outbox_counts c;
	assert_int_equal(cab_store_outbox_counts(st, &c), 0);
	assert_true(c.done > 0);
	printf("# %d kills: outbox %d done, %d pending, %d dropped\n", rounds, c.done, c.pending,
	       c.dropped);
	cab_store_close(st);
	tl_rmrf(dir);
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *build = getenv("BUILD");
	if (build && *build) {
		snprintf(child_path, sizeof child_path, "%s/tests/helpers/store_crash_child", build);
	} else {
		/* BUILD/tests/unit/store/test_crash -> BUILD/tests/helpers/store_crash_child */
		char self[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		self[n > 0 ? n : 0] = 0;
		if (n <= 0)
			snprintf(self, sizeof self, "%s", argv[0]);
		char *cut = strstr(self, "/unit/store/");
		if (cut)
			*cut = 0;
		snprintf(child_path, sizeof child_path, "%s/helpers/store_crash_child", self);
	}
	cab_log_set_level(CAB_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sigkill_200_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
