/* test_migrate.c — schema migrations by PRAGMA user_version: from an empty file (0)
 * and from every earlier version to the latest, with the data written under the old
 * version surviving; a newer database is refused without being changed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/store/store_internal.h"
#include "store_testlib.h"

static struct cab_store *open_at(const char *dir, int version)
{
	struct cab_store_options o = {.data_dir = dir, .target_version = version};
	struct cab_store *st = NULL;
	char msg[400];
	assert_int_equal(cab_store_open(&o, &st, msg, sizeof msg), 0);
	return st;
}

static void from_empty_file(void **state)
{
	(void)state;
	char dir[256], db[300];
	tl_mkdtemp(dir);
	snprintf(db, sizeof db, "%s/cabin.db", dir);
	FILE *f = fopen(db, "wb"); /* an empty file is version 0 */
	fclose(f);
	/* An empty file does not count as an existing database: the key is created. */
	struct cab_store *st = tl_open(dir);
	cab_store_close(st);
	assert_int_equal(tl_sql_int(db, "PRAGMA user_version"), CAB_STORE_SCHEMA_VERSION);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM pragma_table_info('instruments') "
	                                "WHERE name = 'calibration_due'"), 1);
	tl_rmrf(dir);
}

/* Writes, under schema version V, data of every kind that version knows. */
static void fill(struct cab_store *st, const char *db, int v, char sid[37], char mid[37])
{
	struct cab_store_identity id;
	tl_patient(&id);
	assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
	assert_int_equal(cab_store_identity_put(st, sid, &id), 0);
	assert_int_equal(cab_store_outbox_put(st, sid, "identity", "{\"i\":1}", 1, NULL, mid), 0);
	assert_int_equal(cab_store_incident_add(st, sid, "link_lost", "v1 incident"), 0);
	assert_int_equal(cab_store_session_close(st, sid, CAB_OUTCOME_COMPLETED, NULL, "{\"h\":1}"), 0);
	assert_int_equal(cab_store_audit(st, CAB_ACTOR_TECHNICIAN, "", "test", "under old schema"), 0);
	if (v < 3) /* the program of versions 1 and 2 knew no driver column */
		assert_int_equal(tl_sql_exec(db, "INSERT INTO instruments(kind, model, serial, firmware,"
		                                 " first_seen_ms) VALUES('scale', 'SC-1', 'SIM-7', '2.0', 5)"), 0);
	else {
		struct cab_store_instrument in = {.kind = "scale", .model = "SC-1", .serial = "SIM-7",
		                                  .firmware = "2.0", .driver = "ieee11073-phdc"};
		assert_int_equal(cab_store_instrument_upsert(st, &in), 0);
	}
}

static int inst_cb(void *u, const struct cab_store_instrument *in)
{
	*(struct cab_store_instrument *)u = *in;
	return 0;
}

static void from_every_version_data_survives(void **state)
{
	(void)state;
	for (int v = 1; v <= CAB_STORE_SCHEMA_VERSION; v++) {
		char dir[256], db[300], sid[37], mid[37];
		tl_mkdtemp(dir);
		snprintf(db, sizeof db, "%s/cabin.db", dir);
		struct cab_store *st = open_at(dir, v);
		assert_int_equal(tl_sql_int(db, "PRAGMA user_version"), v);
		fill(st, db, v, sid, mid);
		cab_store_close(st);

		st = tl_open(dir);
		assert_int_equal(tl_sql_int(db, "PRAGMA user_version"), CAB_STORE_SCHEMA_VERSION);
		struct cab_store_identity id, got;
		tl_patient(&id);
		assert_int_equal(cab_store_identity_get(st, sid, &got), 0);
		assert_memory_equal(&got, &id, sizeof id);
		struct cab_store_session_info info;
		assert_int_equal(cab_store_session_get(st, sid, &info), 0);
		assert_string_equal(info.state, "closing");
		assert_int_equal(cab_store_incident_count(st, sid), 1);
		struct cab_store_instrument in;
		assert_int_equal(cab_store_instruments_each(st, inst_cb, &in), 1);
		assert_string_equal(in.serial, "SIM-7");
		assert_string_equal(in.firmware, "2.0");
		assert_string_equal(in.calibration_due, "");
		assert_int_equal(in.last_selftest_ms, 0);
		/* version 3: driver and last seen; older rows keep "" and 0 until seen again */
		assert_string_equal(in.driver, v < 3 ? "" : "ieee11073-phdc");
		assert_true(v < 3 ? in.last_seen_ms == 0 && in.first_seen_ms == 5
		                  : in.last_seen_ms == in.first_seen_ms && in.first_seen_ms > 5);
		assert_int_equal(cab_store_instrument_selftest(st, in.id, 77, "fail"), 0);
		/* The outbox written under the old schema is delivered. */
		struct cab_store *link = NULL;
		struct cab_outbox_port port;
		struct cab_outbox_item it[3];
		assert_int_equal(cab_store_outbox_open(st, &link), 0);
		cab_store_outbox_port(link, &port);
		assert_int_equal(port.pending(port.user, 0, 0, it, 3), 2);
		assert_string_equal(it[0].id, mid);
		assert_string_equal(it[0].body, "{\"i\":1}");
		for (int i = 0; i < 2; i++) {
			assert_int_equal(port.acked(port.user, it[i].id), 0);
			cab_outbox_item_clear(&it[i]);
		}
		cab_store_close(link);
		assert_int_equal(cab_store_session_get(st, sid, &info), 0);
		assert_string_equal(info.state, "wiped");
		int64_t rows, bad;
		char why[200];
		assert_int_equal(cab_store_audit_verify(st, &rows, &bad, why, sizeof why), 0);
		cab_store_close(st);
		tl_rmrf(dir);
	}
}

static void newer_database_is_refused_untouched(void **state)
{
	(void)state;
	char dir[256], db[300], msg[400], before[65], after[65];
	struct cab_store *st = NULL;
	struct cab_store_options o;
	tl_mkdtemp(dir);
	snprintf(db, sizeof db, "%s/cabin.db", dir);
	cab_store_close(tl_open(dir));
	assert_int_equal(tl_sql_exec(db, "PRAGMA user_version = 99"), 0);
	tl_file_sha256(db, before);
	o = (struct cab_store_options){.data_dir = dir};
	assert_int_equal(cab_store_open(&o, &st, msg, sizeof msg), CAB_STORE_ERR);
	char want[96];
	snprintf(want, sizeof want, "has schema version 99, newer than this cabin program (%d)",
	         CAB_STORE_SCHEMA_VERSION);
	assert_non_null(strstr(msg, want));
	tl_file_sha256(db, after);
	assert_string_equal(before, after);
	tl_rmrf(dir);
}

int main(void)
{
	cab_log_set_level(CAB_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(from_empty_file),
		cmocka_unit_test(from_every_version_data_survives),
		cmocka_unit_test(newer_database_is_refused_untouched),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
