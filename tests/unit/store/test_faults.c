/* test_faults.c — failures the cabin must survive with a clear message and no
 * further damage: disk full (sqlite VFS write-error injection, and a real
 * RLIMIT_FSIZE limit in a child), fsync errors, a read-only data directory, a
 * corrupted database file; and torture loops that make every write and every
 * allocation of a whole session fail in turn (curl's torture idea). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/store/fault.h"
#include "kiosk/store/store_internal.h"
#include "store_testlib.h"

static int64_t readings_of(const char *db)
{
	return tl_sql_int(db, "SELECT count(*) FROM readings");
}

static void assert_sound(const char *dir)
{
	char db[300];
	snprintf(db, sizeof db, "%s/cabin.db", dir);
	struct cab_store *st = tl_open(dir);
	int64_t rows, bad;
	char why[256];
	assert_int_equal(cab_store_audit_verify(st, &rows, &bad, why, sizeof why), 0);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &q, NULL), 0);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
	sqlite3_finalize(q);
	cab_store_close(st);
}

static void injected_disk_full_gives_a_clear_message(void **state)
{
	(void)state;
	char dir[256], db[300], sid[37];
	struct cab_reading r;
	tl_mkdtemp(dir);
	snprintf(db, sizeof db, "%s/cabin.db", dir);
	tl_reading(&r, 1);
	struct cab_store *st = tl_open(dir);
	assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
	assert_int_equal(cab_store_reading_put(st, sid, &r, NULL), 0);
	cab_fault_arm(CAB_FAULT_WRITE, 1, 1);
	assert_int_equal(cab_store_reading_put(st, sid, &r, NULL), CAB_STORE_FULL);
	assert_non_null(strstr(cab_store_errmsg(st), "The cabin's storage is full"));
	assert_non_null(strstr(cab_store_errmsg(st), "Data already recorded is safe"));
	assert_int_equal(cab_store_outbox_put(st, sid, "t", "{}", 0, NULL, NULL), CAB_STORE_FULL);
	cab_fault_reset();
	/* Space is back: the store carries on where it was. */
	assert_int_equal(cab_store_reading_put(st, sid, &r, NULL), 0);
	assert_int_equal(readings_of(db), 2);
	assert_int_equal(cab_store_session_close(st, sid, CAB_OUTCOME_ABORTED, NULL, NULL), 0);
	cab_store_close(st);
	assert_sound(dir);
	tl_rmrf(dir);
}

static void fsync_error_is_reported_and_store_stays_sound(void **state)
{
	(void)state;
	char dir[256], sid[37];
	struct cab_reading r;
	tl_mkdtemp(dir);
	tl_reading(&r, 1);
	struct cab_store *st = tl_open(dir);
	assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
	cab_fault_arm(CAB_FAULT_SYNC, 1, 0);
	int rc = cab_store_reading_put(st, sid, &r, NULL);
	cab_fault_reset();
	assert_int_equal(rc, CAB_STORE_ERR);
	assert_non_null(strstr(cab_store_errmsg(st), "Storage error while committing"));
	assert_int_equal(cab_store_reading_put(st, sid, &r, NULL), 0);
	cab_store_close(st);
	assert_sound(dir);
	tl_rmrf(dir);
}

/* One whole session as the kiosk and the link run it; returns how many calls failed. */
static int scenario(const char *dir, struct cab_store *st)
{
	char sid[37] = "", sid2[37] = "", mid[37];
	int failed = 0;
	struct cab_store_identity id;
	struct cab_reading r;
	struct cab_store_consent c = {.text_version = "v1", .language = "fr", .n_answers = 1,
	                              .answers = {{"teleconsultation", 1}}};
	struct cab_store *link = NULL;
	struct cab_outbox_port port;
	struct cab_outbox_item it[8];
	(void)dir;
	tl_patient(&id);
	tl_reading(&r, 9);
#define TRY(call) do { int rc_ = (call); if (rc_ < 0) { failed++; \
	assert_true(cab_store_errmsg(st)[0] != 0 || (link && cab_store_errmsg(link)[0])); } } while (0)
	TRY(cab_store_session_begin(st, "fr", sid));
	if (sid[0]) {
		TRY(cab_store_consent_put(st, sid, &c));
		TRY(cab_store_identity_put(st, sid, &id));
		TRY(cab_store_reading_put(st, sid, &r, NULL));
		TRY(cab_store_outbox_put(st, sid, "reading", "{\"v\":97}", 1, NULL, mid));
		TRY(cab_store_incident_add(st, sid, "link_lost", "x"));
		TRY(cab_store_session_close(st, sid, CAB_OUTCOME_COMPLETED, NULL, "{\"bundle\":1}"));
	}
	TRY(cab_store_session_begin(st, "en", sid2));
	if (sid2[0])
		TRY(cab_store_session_close(st, sid2, CAB_OUTCOME_REFUSED, NULL, NULL));
	if (cab_store_outbox_open(st, &link) == 0) {
		cab_store_outbox_port(link, &port);
		int n = port.pending(port.user, 0, INT64_MAX, it, 8);
		if (n < 0)
			failed++;
		for (int i = 0; i < n; i++) {
			TRY(port.sent(port.user, it[i].id, 100));
			TRY(port.acked(port.user, it[i].id));
			cab_outbox_item_clear(&it[i]);
		}
		cab_store_close(link);
	} else {
		failed++;
	}
#undef TRY
	return failed;
}

static void torture(enum cab_fault_kind kind)
{
	char dir[256];
	long calls;
	tl_mkdtemp(dir);
	struct cab_store *st = tl_open(dir);
	cab_fault_reset();
	assert_int_equal(scenario(dir, st), 0);
	calls = cab_fault_calls(kind);
	cab_store_close(st);
	tl_rmrf(dir);
	assert_true(calls > 3);
	for (long n = 1; n <= calls; n++) {
		tl_mkdtemp(dir);
		st = tl_open(dir);
		cab_fault_arm(kind, n, 0);
		int failed = scenario(dir, st);
		/* A refused write to the main database file is a checkpoint: the data is
		 * safe in the WAL and the next checkpoint retries, so nobody is told. */
		char fired[512];
		snprintf(fired, sizeof fired, "%s", cab_fault_last_file());
		size_t fl = strlen(fired);
		int checkpoint = kind == CAB_FAULT_WRITE && fl > 9 && !strcmp(fired + fl - 9, "/cabin.db");
		cab_fault_reset();
		if (failed == 0 && !checkpoint)
			fail_msg("%s fault at call %ld of %ld (%s) went unnoticed", 
			         kind == CAB_FAULT_ALLOC ? "allocation" : "write", n, calls,
			         fired);
		cab_store_close(st);
		assert_sound(dir);
		tl_rmrf(dir);
	}
}

static void every_write_failing_in_turn(void **state)
{
	(void)state;
	torture(CAB_FAULT_WRITE);
}

static void every_allocation_failing_in_turn(void **state)
{
	(void)state;
	torture(CAB_FAULT_ALLOC);
}

/* A real file-size limit: the child writes readings until the kernel refuses (EFBIG
 * or a short write), and reports how many were committed through its exit pipe. */
static void file_size_limit_is_a_full_disk(void **state)
{
	(void)state;
	char dir[256], db[300], sid[37];
	int p[2];
	tl_mkdtemp(dir);
	snprintf(db, sizeof db, "%s/cabin.db", dir);
	struct cab_store *st = tl_open(dir);
	assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
	assert_int_equal(cab_store_session_close(st, sid, CAB_OUTCOME_COMPLETED, NULL, "{}"), 0);
	cab_store_close(st);
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = {256 * 1024, 256 * 1024};
		setrlimit(RLIMIT_FSIZE, &rl);
		struct cab_store *cst = NULL;
		struct cab_store_options o = {.data_dir = dir};
		char msg[400], s2[37];
		struct cab_reading r;
		int ok = 0, status = 0;
		tl_reading(&r, 1);
		if (cab_store_open(&o, &cst, msg, sizeof msg) || cab_store_session_begin(cst, "fr", s2))
			_exit(3);
		for (int i = 0; i < 100000 && !status; i++)
			if (!(status = cab_store_reading_put(cst, s2, &r, NULL)))
				ok++;
		dprintf(p[1], "%d %d %s\n", ok, status, cab_store_errmsg(cst));
		cab_store_close(cst);
		_exit(0);
	}
	close(p[0 + 1]);
	char buf[600] = "";
	FILE *in = fdopen(p[0], "r");
	assert_non_null(fgets(buf, sizeof buf, in));
	fclose(in);
	int wst = 0;
	waitpid(pid, &wst, 0);
	assert_true(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
	int ok = 0, status = 0, used = 0;
	assert_int_equal(sscanf(buf, "%d %d %n", &ok, &status, &used), 2);
	assert_int_equal(status, CAB_STORE_FULL);
	assert_true(ok > 10);
	assert_non_null(strstr(buf + used, "The cabin's storage is full"));
	/* Reopened without the limit: sound; the open session waits for the start-up
	 * recovery, its readings intact. */
	assert_sound(dir);
	assert_int_equal(readings_of(db), ok);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM sessions WHERE state = 'open'"), 1);
	tl_rmrf(dir);
}

/* Runs the open in a child that cannot write DIR (as root: drops to nobody). */
static int open_in_child(const char *dir, char *msg, size_t size)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (geteuid() == 0 && (setgid(65534) || setuid(65534)))
			_exit(4);
		struct cab_store *st = NULL;
		struct cab_store_options o = {.data_dir = dir};
		char m[400];
		int rc = cab_store_open(&o, &st, m, sizeof m);
		dprintf(p[1], "%d %s", rc, m);
		cab_store_close(st);
		_exit(0);
	}
	close(p[1]);
	char buf[500] = "";
	ssize_t n = read(p[0], buf, sizeof buf - 1);
	close(p[0]);
	int wst = 0, rc = 1;
	waitpid(pid, &wst, 0);
	assert_true(n > 0 && WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
	buf[n] = 0;
	int used = 0;
	assert_int_equal(sscanf(buf, "%d %n", &rc, &used), 1);
	snprintf(msg, size, "%s", buf + used);
	return rc;
}

static void read_only_data_directory(void **state)
{
	(void)state;
	char dir[256], sub[300], db[320], msg[500], before[65], after[65];
	tl_mkdtemp(dir);
	snprintf(sub, sizeof sub, "%s/data", dir);
	/* An existing store whose directory became read-only. */
	cab_store_close(tl_open(sub));
	snprintf(db, sizeof db, "%s/cabin.db", sub);
	tl_file_sha256(db, before);
	if (geteuid() == 0) {
		char cmd[1200];
		/* the data and the key's own directory belong to the cabin's user */
		snprintf(cmd, sizeof cmd, "chown -R 65534:65534 '%s' '%s-private' && chmod 0755 '%s'",
		         sub, sub, dir);
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(chmod(sub, 0555), 0);
	assert_int_equal(open_in_child(sub, msg, sizeof msg), CAB_STORE_READONLY);
	assert_non_null(strstr(msg, "read-only"));
	tl_file_sha256(db, after);
	assert_string_equal(before, after);
	/* A fresh read-only directory: not even the key file can be made. */
	char empty[300];
	snprintf(empty, sizeof empty, "%s/empty", dir);
	assert_int_equal(mkdir(empty, 0555), 0);
	char empty_key[320]; /* the key's directory (DATA_DIR-private), read-only too */
	snprintf(empty_key, sizeof empty_key, "%s-private", empty);
	assert_int_equal(mkdir(empty_key, 0555), 0);
	assert_int_equal(open_in_child(empty, msg, sizeof msg), CAB_STORE_READONLY);
	assert_non_null(strstr(msg, "Cannot create the cabin key file"));
	assert_non_null(strstr(msg, "Permission denied"));
	tl_rmrf(dir);
}

static void corrupted_database_is_refused_untouched(void **state)
{
	(void)state;
	char dir[256], db[300], msg[400], before[65], after[65], sid[37];
	struct cab_store *st = NULL;
	struct cab_store_options o;
	struct cab_reading r;
	tl_reading(&r, 1);
	/* (1) the header overwritten; (2) a page in the middle overwritten. */
	for (int kind = 0; kind < 2; kind++) {
		tl_mkdtemp(dir);
		snprintf(db, sizeof db, "%s/cabin.db", dir);
		st = tl_open(dir);
		assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
		for (int i = 0; i < 200; i++)
			assert_int_equal(cab_store_reading_put(st, sid, &r, NULL), 0);
		assert_int_equal(cab_store_session_close(st, sid, CAB_OUTCOME_COMPLETED, NULL, "{}"), 0);
		cab_store_close(st);
		st = NULL;
		FILE *f = fopen(db, "r+b");
		long page = 4096;
		fseek(f, 0, SEEK_END);
		long size = ftell(f);
		assert_true(size > 8 * page);
		fseek(f, kind == 0 ? 0 : (size / page / 2) * page, SEEK_SET);
		for (int i = 0; i < (kind == 0 ? 100 : page); i++)
			fputc((i * 37 + 11) & 0xff, f);
		fclose(f);
		tl_file_sha256(db, before);
		o = (struct cab_store_options){.data_dir = dir};
		assert_int_equal(cab_store_open(&o, &st, msg, sizeof msg), CAB_STORE_CORRUPT);
		assert_null(st);
		assert_non_null(strstr(msg, "is damaged"));
		assert_non_null(strstr(msg, "it was left untouched"));
		tl_file_sha256(db, after);
		assert_string_equal(before, after);
		/* And the audit verifier says so instead of "ok". */
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		assert_int_equal(cab_audit_verify_main(dir, out), 1);
		fclose(out);
		assert_true(!strncmp(buf, "error: ", 7) || !strncmp(buf, "broken at row", 13));
		free(buf);
		tl_file_sha256(db, after);
		assert_string_equal(before, after);
		tl_rmrf(dir);
	}
}

int main(void)
{
	cab_log_set_level(CAB_LOG_ERROR);
	assert_int_equal(cab_fault_vfs_install(), SQLITE_OK);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(injected_disk_full_gives_a_clear_message),
		cmocka_unit_test(fsync_error_is_reported_and_store_stays_sound),
		cmocka_unit_test(every_write_failing_in_turn),
		cmocka_unit_test(every_allocation_failing_in_turn),
		cmocka_unit_test(file_size_limit_is_a_full_disk),
		cmocka_unit_test(read_only_data_directory),
		cmocka_unit_test(corrupted_database_is_refused_untouched),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
