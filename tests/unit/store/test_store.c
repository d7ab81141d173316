/* test_store.c — the session store: opening (pragmas, key file), encryption at rest
 * (round trip, tampering, wrong key, destroyed key), sessions and the wipe, crash
 * recovery, instruments, incidents and the audit chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/store/store_internal.h"
#include "store_testlib.h"

struct fx {
	char dir[256];
	char db[300];
	struct cab_store *st;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	tl_mkdtemp(f->dir);
	snprintf(f->db, sizeof f->db, "%s/cabin.db", f->dir);
	f->st = tl_open(f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	cab_store_close(f->st);
	tl_rmrf(f->dir);
	free(f);
	return 0;
}

static int64_t pragma_int(struct cab_store *st, const char *sql)
{
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static void open_sets_pragmas_and_key_file(void **state)
{
	struct fx *f = *state;
	char key[300];
	struct stat sb;
	/* the key is apart from the data directory, in its own 0700 directory */
	snprintf(key, sizeof key, "%s-private/cabin.key", f->dir);
	assert_int_equal(stat(key, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, 32);
	snprintf(key, sizeof key, "%s-private", f->dir);
	assert_int_equal(stat(key, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(key, sizeof key, "%s/cabin.key", f->dir);
	assert_int_equal(access(key, F_OK), -1);
	assert_int_equal(pragma_int(f->st, "PRAGMA user_version"), CAB_STORE_SCHEMA_VERSION);
	assert_int_equal(pragma_int(f->st, "PRAGMA synchronous"), 2); /* FULL */
	assert_int_equal(pragma_int(f->st, "PRAGMA foreign_keys"), 1);
	assert_int_equal(pragma_int(f->st, "PRAGMA secure_delete"), 1);
	assert_int_equal(pragma_int(f->st, "PRAGMA busy_timeout"), 5000);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(f->st->db, "PRAGMA journal_mode", -1, &q, NULL), 0);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	assert_string_equal(cab_store_db_path(f->st), f->db);
}

static void key_file_with_group_mode_is_refused(void **state)
{
	struct fx *f = *state;
	char key[300], msg[400], expect[400];
	struct cab_store *st = NULL;
	struct cab_store_options o = {.data_dir = f->dir};
	snprintf(key, sizeof key, "%s-private/cabin.key", f->dir);
	assert_int_equal(chmod(key, 0640), 0);
	assert_int_equal(cab_store_open(&o, &st, msg, sizeof msg), CAB_STORE_KEYFILE);
	assert_null(st);
	snprintf(expect, sizeof expect, "The cabin key file %s has mode 0640: it must be 0600 "
	         "(readable by the cabin's user only)", key);
	assert_string_equal(msg, expect);
	chmod(key, 0600);
}

static void wrong_cabin_key_is_refused_at_open(void **state)
{
	struct fx *f = *state;
	char key[300], msg[400];
	unsigned char other[32];
	struct cab_store *st = NULL;
	struct cab_store_options o = {.data_dir = f->dir};
	snprintf(key, sizeof key, "%s-private/cabin.key", f->dir);
	cab_store_close(f->st);
	f->st = NULL;
	RAND_bytes(other, sizeof other);
	FILE *k = fopen(key, "wb");
	fwrite(other, 1, sizeof other, k);
	fclose(k);
	char before[65], after[65];
	tl_file_sha256(f->db, before);
	assert_int_equal(cab_store_open(&o, &st, msg, sizeof msg), CAB_STORE_KEYFILE);
	assert_non_null(strstr(msg, "does not belong to the database"));
	tl_file_sha256(f->db, after);
	assert_string_equal(before, after);
	/* A missing key file beside an existing database is refused, not re-created. */
	unlink(key);
	assert_int_equal(cab_store_open(&o, &st, msg, sizeof msg), CAB_STORE_KEYFILE);
	assert_non_null(strstr(msg, "is missing but the database"));
	assert_int_equal(access(key, F_OK), -1);
}

/* A key an older version left in the data directory is moved out of it at open, and
 * still opens the database. */
static void legacy_key_in_the_data_directory_is_moved_out(void **state)
{
	struct fx *f = *state;
	char key[300], old[300], msg[400];
	struct cab_store *st = NULL;
	struct cab_store_options o = {.data_dir = f->dir};
	snprintf(key, sizeof key, "%s-private/cabin.key", f->dir);
	snprintf(old, sizeof old, "%s/cabin.key", f->dir);
	cab_store_close(f->st);
	f->st = NULL;
	assert_int_equal(rename(key, old), 0); /* as the previous version kept it */
	assert_int_equal(cab_store_open(&o, &st, msg, sizeof msg), CAB_STORE_OK);
	assert_int_equal(access(old, F_OK), -1);
	assert_int_equal(access(key, F_OK), 0);
	f->st = st;
}

static void seal_round_trip_and_tampering(void **state)
{
	(void)state;
	unsigned char key[32], key2[32], *blob = NULL, *plain = NULL;
	size_t blen = 0, plen = 0;
	const char msg[] = "synthetic value 123";
	RAND_bytes(key, 32);
	RAND_bytes(key2, 32);
	assert_int_equal(st_seal(key, "cabin/1|t|c|r|s", msg, strlen(msg), &blob, &blen), 0);
	assert_int_equal(blen, strlen(msg) + ST_SEAL_OVERHEAD);
	assert_null(memmem(blob, blen, "synthetic", 9));
	assert_int_equal(st_unseal(key, "cabin/1|t|c|r|s", blob, blen, &plain, &plen), 0);
	assert_int_equal(plen, strlen(msg));
	assert_memory_equal(plain, msg, plen);
	assert_int_equal(plain[plen], 0);
	free(plain);
	/* Wrong key, wrong place (AAD), every flipped byte, truncation: all refused. */
	assert_int_equal(st_unseal(key2, "cabin/1|t|c|r|s", blob, blen, &plain, &plen),
	                 CAB_STORE_TAMPERED);
	assert_null(plain);
	assert_int_equal(st_unseal(key, "cabin/1|t|c|r2|s", blob, blen, &plain, &plen),
	                 CAB_STORE_TAMPERED);
	for (size_t i = 0; i < blen; i++) {
		blob[i] ^= 0x01;
		assert_int_equal(st_unseal(key, "cabin/1|t|c|r|s", blob, blen, &plain, &plen),
		                 CAB_STORE_TAMPERED);
		assert_null(plain);
		blob[i] ^= 0x01;
	}
	assert_int_equal(st_unseal(key, "cabin/1|t|c|r|s", blob, blen - 1, &plain, &plen),
	                 CAB_STORE_TAMPERED);
	assert_int_equal(st_unseal(key, "cabin/1|t|c|r|s", blob, 5, &plain, &plen),
	                 CAB_STORE_TAMPERED);
	free(blob);
}

static int seen_n;
static int cb(void *u, const struct cab_reading *x)
{
	struct cab_reading *seen = u;
	if (seen_n >= 2)
		return 1;
	seen[seen_n++] = *x;
	return 0;
}

static void identity_consent_readings_round_trip(void **state)
{
	struct fx *f = *state;
	char sid[37], rid[37];
	struct cab_store_identity id, got;
	struct cab_store_consent c = {.text_version = "consent-fr-2026.1", .language = "fr",
	                              .n_answers = 2, .recorded_ms = 1795959900123LL};
	struct cab_store_consent cg;
	struct cab_reading r;
	tl_patient(&id);
	snprintf(c.answers[0].question, sizeof c.answers[0].question, "teleconsultation");
	c.answers[0].accepted = 1;
	snprintf(c.answers[1].question, sizeof c.answers[1].question, "share_with_gp");
	c.answers[1].accepted = 0;
	assert_int_equal(cab_store_session_begin(f->st, "fr", sid), 0);
	assert_int_equal(strlen(sid), 36);
	assert_int_equal(cab_store_identity_put(f->st, sid, &id), 0);
	assert_int_equal(cab_store_identity_get(f->st, sid, &got), 0);
	assert_memory_equal(&got, &id, sizeof id);
	assert_int_equal(cab_store_consent_put(f->st, sid, &c), 0);
	assert_int_equal(cab_store_consent_get(f->st, sid, &cg), 0);
	assert_string_equal(cg.text_version, "consent-fr-2026.1");
	assert_string_equal(cg.language, "fr");
	assert_int_equal(cg.recorded_ms, 1795959900123LL);
	assert_int_equal(cg.n_answers, 2);
	assert_string_equal(cg.answers[0].question, "teleconsultation");
	assert_int_equal(cg.answers[0].accepted, 1);
	assert_string_equal(cg.answers[1].question, "share_with_gp");
	assert_int_equal(cg.answers[1].accepted, 0);
	tl_reading(&r, 1795959901000LL);
	assert_int_equal(cab_store_reading_put(f->st, sid, &r, rid), 0);
	r.value = 98;
	r.cabin_time_ms += 1000;
	assert_int_equal(cab_store_reading_put(f->st, sid, &r, NULL), 0);
	struct cab_reading seen[2];
	seen_n = 0;
	assert_int_equal(cab_store_readings_each(f->st, sid, cb, seen), 2);
	struct cab_reading first;
	tl_reading(&first, 1795959901000LL);
	assert_memory_equal(&seen[0], &first, sizeof first);
	assert_memory_equal(&seen[1], &r, sizeof r);
	/* The plaintext is nowhere in the tables. */
	assert_int_equal(tl_sql_int(f->db, "SELECT count(*) FROM identities WHERE instr(data, "
	                                   "'ZORGLUB') OR instr(CAST(data AS TEXT), 'ZORGLUB')"), 0);
}

static void tampered_moved_and_destroyed_rows_are_not_returned(void **state)
{
	struct fx *f = *state;
	char s1[37], s2[37], msg[400];
	struct cab_store_identity id, got;
	struct cab_reading r;
	tl_patient(&id);
	tl_reading(&r, 1000);
	assert_int_equal(cab_store_session_begin(f->st, "en", s1), 0);
	assert_int_equal(cab_store_session_begin(f->st, "en", s2), 0);
	assert_int_equal(cab_store_identity_put(f->st, s1, &id), 0);
	snprintf(id.birth_name, sizeof id.birth_name, "OTHERSYNTH");
	assert_int_equal(cab_store_identity_put(f->st, s2, &id), 0);
	assert_int_equal(cab_store_reading_put(f->st, s1, &r, NULL), 0);
	r.value = 50;
	assert_int_equal(cab_store_reading_put(f->st, s1, &r, NULL), 0);

	/* One flipped bit in the stored ciphertext. */
	snprintf(msg, sizeof msg, "UPDATE identities SET data = substr(data, 1, 20) || "
	         "(CASE WHEN substr(data, 21, 1) = X'00' THEN X'01' ELSE X'00' END) || "
	         "substr(data, 22) WHERE session_id = '%s'", s1);
	assert_int_equal(tl_sql_exec(f->db, msg), 0);
	memset(&got, 0x55, sizeof got);
	assert_int_equal(cab_store_identity_get(f->st, s1, &got), CAB_STORE_TAMPERED);
	struct cab_store_identity zero = {0};
	assert_memory_equal(&got, &zero, sizeof zero);
	assert_non_null(strstr(cab_store_errmsg(f->st), "failed authentication"));

	/* Session 2's identity moved onto session 1: other key and other AAD. */
	snprintf(msg, sizeof msg, "UPDATE identities SET data = (SELECT data FROM identities "
	         "WHERE session_id = '%s') WHERE session_id = '%s'", s2, s1);
	assert_int_equal(tl_sql_exec(f->db, msg), 0);
	assert_int_equal(cab_store_identity_get(f->st, s1, &got), CAB_STORE_TAMPERED);

	/* Two readings of the same session swapped: AAD names the row. */
	assert_int_equal(tl_sql_exec(f->db, "CREATE TEMP TABLE x AS SELECT rowid r, data FROM readings;"
	                                   "UPDATE readings SET data = (SELECT data FROM x WHERE "
	                                   "x.r <> readings.rowid LIMIT 1);"), 0);
	seen_n = 0;
	struct cab_reading seen[2];
	assert_int_equal(cab_store_readings_each(f->st, s1, cb, seen), CAB_STORE_TAMPERED);
	assert_int_equal(seen_n, 0);

	/* Destroying the key: rows still there, unreadable. */
	assert_int_equal(cab_store_identity_get(f->st, s2, &got), 0);
	assert_int_equal(cab_store_session_destroy_key(f->st, s2), 0);
	snprintf(msg, sizeof msg, "SELECT count(*) FROM identities WHERE session_id = '%s'", s2);
	assert_int_equal(tl_sql_int(f->db, msg), 1);
	assert_int_equal(cab_store_identity_get(f->st, s2, &got), CAB_STORE_NOKEY);
	assert_memory_equal(&got, &zero, sizeof zero);
}

static void abort_wipes_personal_data_keeps_pseudonymous_facts(void **state)
{
	struct fx *f = *state;
	char sid[37], q[300];
	struct cab_store_identity id;
	struct cab_reading r;
	struct cab_store_session_info info;
	tl_patient(&id);
	tl_reading(&r, 1000);
	assert_int_equal(cab_store_session_begin(f->st, "fr", sid), 0);
	assert_int_equal(cab_store_identity_put(f->st, sid, &id), 0);
	assert_int_equal(cab_store_reading_put(f->st, sid, &r, NULL), 0);
	assert_int_equal(cab_store_incident_add(f->st, sid, "instrument_error", "cms50 timeout"), 0);
	assert_int_equal(cab_store_outbox_put(f->st, sid, "reading", "{\"v\":97}", 1, NULL, NULL), 0);
	assert_int_equal(cab_store_outbox_put(f->st, sid, "session_end", "{}", 0, NULL, NULL), 0);
	assert_int_equal(cab_store_session_close(f->st, sid, CAB_OUTCOME_ABORTED, NULL, NULL), 0);
	assert_int_equal(cab_store_session_get(f->st, sid, &info), 0);
	assert_string_equal(info.state, "wiped");
	assert_string_equal(info.outcome, "aborted");
	assert_true(info.wiped_ms > 0 && info.ended_ms > 0 && info.started_ms > 0);
	const char *gone[] = {"session_keys", "identities", "consents", "readings"};
	for (int i = 0; i < 4; i++) {
		snprintf(q, sizeof q, "SELECT count(*) FROM %s WHERE session_id = '%s'", gone[i], sid);
		assert_int_equal(tl_sql_int(f->db, q), 0);
	}
	snprintf(q, sizeof q, "SELECT count(*) FROM session_instruments WHERE session_id = '%s'", sid);
	assert_int_equal(tl_sql_int(f->db, q), 1);
	assert_int_equal(cab_store_incident_count(f->st, sid), 1);
	struct cab_store_outbox_counts c;
	assert_int_equal(cab_store_outbox_counts(f->st, &c), 0);
	assert_int_equal(c.dropped, 1); /* the personal reading message */
	assert_int_equal(c.pending, 1); /* the pseudonymous end notice still goes */
	struct cab_store_identity got;
	assert_int_equal(cab_store_identity_get(f->st, sid, &got), CAB_STORE_NOTFOUND);
	/* Idempotent, and the outcome first recorded stays. */
	assert_int_equal(cab_store_session_wipe(f->st, sid, CAB_OUTCOME_TIMEOUT), 0);
	assert_int_equal(cab_store_session_get(f->st, sid, &info), 0);
	assert_string_equal(info.outcome, "aborted");
	/* The WAL was checkpointed and truncated. */
	char wal[320];
	struct stat sb;
	snprintf(wal, sizeof wal, "%s-wal", f->db);
	assert_true(stat(wal, &sb) != 0 || sb.st_size == 0);
}

static void handoff_ack_wipes_the_session(void **state)
{
	struct fx *f = *state;
	char sid[37];
	struct cab_store_identity id;
	struct cab_store_session_info info;
	struct cab_store *link = NULL;
	struct cab_outbox_port port;
	struct cab_outbox_item it[4];
	tl_patient(&id);
	assert_int_equal(cab_store_session_begin(f->st, "fr", sid), 0);
	assert_int_equal(cab_store_identity_put(f->st, sid, &id), 0);
	assert_int_equal(cab_store_session_close(f->st, sid, CAB_OUTCOME_COMPLETED, NULL, NULL),
	                 CAB_STORE_INVALID);
	char hid[37], body[160];
	assert_int_equal(cab_uuid_v4(hid), 0);
	snprintf(body, sizeof body, "{\"type\":\"session_close\",\"id\":\"%s\"}", hid);
	assert_int_equal(cab_store_session_close(f->st, sid, CAB_OUTCOME_ABORTED, hid, body),
	                 CAB_STORE_INVALID);
	assert_int_equal(cab_store_session_close(f->st, sid, CAB_OUTCOME_COMPLETED, hid, body), 0);
	assert_int_equal(cab_store_session_get(f->st, sid, &info), 0);
	assert_string_equal(info.state, "closing");
	assert_string_equal(info.outcome, "completed");
	assert_int_equal(cab_store_outbox_open(f->st, &link), 0);
	cab_store_outbox_port(link, &port);
	assert_ptr_equal(port.user, link);
	assert_int_equal(port.pending(port.user, 0, INT64_MAX, it, 4), 1);
	assert_string_equal(it[0].type, "session_close");
	assert_string_equal(it[0].id, hid);
	assert_string_equal(it[0].session_id, sid);
	assert_string_equal(it[0].body, body);
	/* Still readable until the station acknowledges. */
	struct cab_store_identity got;
	assert_int_equal(cab_store_identity_get(f->st, sid, &got), 0);
	assert_int_equal(port.sent(port.user, it[0].id, 1000), 0);
	assert_int_equal(port.acked(port.user, it[0].id), 0);
	cab_outbox_item_clear(&it[0]);
	assert_int_equal(cab_store_session_get(f->st, sid, &info), 0);
	assert_string_equal(info.state, "wiped");
	assert_string_equal(info.outcome, "completed");
	assert_int_equal(cab_store_identity_get(f->st, sid, &got), CAB_STORE_NOTFOUND);
	cab_store_close(link);
}

/* The store alone never wipes at open: the start-up recovery decides
 * (kiosk/service/recovery.h; tests/unit/service/test_recovery.c). Interrupting it
 * before consent wipes it. */
static void open_session_is_wiped_at_restart(void **state)
{
	struct fx *f = *state;
	char sid[37];
	struct cab_store_identity id;
	struct cab_store_session_info info;
	tl_patient(&id);
	assert_int_equal(cab_store_session_begin(f->st, "fr", sid), 0);
	assert_int_equal(cab_store_identity_put(f->st, sid, &id), 0);
	cab_store_close(f->st);
	f->st = tl_open(f->dir);
	char found[37];
	assert_int_equal(cab_store_session_find_open(f->st, found), 0);
	assert_string_equal(found, sid);
	assert_int_equal(cab_store_session_interrupt(f->st, sid, NULL, "{}", NULL, "{}"), 0);
	assert_int_equal(cab_store_session_find_open(f->st, found), CAB_STORE_NOTFOUND);
	assert_int_equal(cab_store_session_get(f->st, sid, &info), 0);
	assert_string_equal(info.state, "wiped");
	assert_string_equal(info.outcome, "interrupted");
	assert_int_equal(tl_sql_int(f->db, "SELECT count(*) FROM identities"), 0);
	assert_int_equal(tl_sql_int(f->db, "SELECT count(*) FROM audit WHERE action = "
	                                   "'session_interrupted'"), 1);
}

static int inst_cb(void *u, const struct cab_store_instrument *in)
{
	*(struct cab_store_instrument *)u = *in;
	return 0;
}

static int inc_cb(void *u, const struct cab_store_incident *in)
{
	*(struct cab_store_incident *)u = *in;
	return 0;
}

static void instruments_and_incidents(void **state)
{
	struct fx *f = *state;
	struct cab_store_instrument in = {.kind = "thermometer", .model = "TH-1",
	                                  .serial = "SIM-9", .firmware = "1.0",
	                                  .calibration_due = "2027-03-31"}, got;
	assert_int_equal(cab_store_instrument_upsert(f->st, &in), 0);
	assert_true(in.id > 0);
	int64_t first = in.id;
	snprintf(in.firmware, sizeof in.firmware, "1.1");
	in.calibration_due[0] = 0; /* unknown now: keeps the known date */
	assert_int_equal(cab_store_instrument_upsert(f->st, &in), 0);
	assert_int_equal(in.id, first);
	assert_int_equal(cab_store_instrument_selftest(f->st, first, 1795959900000LL, "pass"), 0);
	assert_int_equal(cab_store_instrument_selftest(f->st, first, 1, "maybe"), CAB_STORE_INVALID);
	assert_int_equal(cab_store_instrument_selftest(f->st, 999, 1, "fail"), CAB_STORE_NOTFOUND);
	assert_int_equal(cab_store_instruments_each(f->st, inst_cb, &got), 1);
	assert_string_equal(got.kind, "thermometer");
	assert_string_equal(got.model, "TH-1");
	assert_string_equal(got.serial, "SIM-9");
	assert_string_equal(got.firmware, "1.1");
	assert_string_equal(got.calibration_due, "2027-03-31");
	assert_int_equal(got.last_selftest_ms, 1795959900000LL);
	assert_string_equal(got.last_selftest_result, "pass");
	strcpy(in.calibration_due, "2027-13-01");
	assert_int_equal(cab_store_instrument_upsert(f->st, &in), CAB_STORE_INVALID);
	assert_int_equal(cab_store_incident_add(f->st, NULL, "link_lost", "tls read timeout"), 0);
	assert_int_equal(cab_store_incident_add(f->st, "not-a-session-id!", "x", ""), CAB_STORE_INVALID);
	assert_int_equal(cab_store_incident_count(f->st, NULL), 1);
	char sid[37];
	assert_int_equal(cab_store_session_begin(f->st, "fr", sid), 0);
	assert_int_equal(cab_store_incident_add(f->st, sid, "instrument_error", "cms50: no finger"), 0);
	struct cab_store_incident inc;
	assert_int_equal(cab_store_incidents_each(f->st, sid, inc_cb, &inc), 1);
	assert_string_equal(inc.session_id, sid);
	assert_string_equal(inc.kind, "instrument_error");
	assert_string_equal(inc.detail, "cms50: no finger");
	assert_true(inc.time_ms > 1700000000000LL);
	assert_int_equal(cab_store_incidents_each(f->st, NULL, inc_cb, &inc), 2);
	assert_string_equal(inc.kind, "instrument_error");
}

static void audit_chain_detects_changed_and_deleted_rows(void **state)
{
	struct fx *f = *state;
	int64_t rows, bad;
	char why[256], sid[37], line[512];
	assert_int_equal(cab_store_audit(f->st, CAB_ACTOR_PHARMACIST, "ph-1", "pin_login", ""), 0);
	assert_int_equal(cab_store_session_begin(f->st, "fr", sid), 0);
	assert_int_equal(cab_store_audit(f->st, CAB_ACTOR_TECHNICIAN, "", "config_viewed", "x"), 0);
	assert_int_equal(cab_store_audit(f->st, CAB_ACTOR_STATION, "st-1", "request", "spo2"), 0);
	assert_int_equal(cab_store_audit(f->st, CAB_ACTOR_CABIN, "cabin", "", ""), CAB_STORE_INVALID);
	assert_int_equal(cab_store_audit_verify(f->st, &rows, &bad, why, sizeof why), 0);
	assert_int_equal(rows, 4);
	assert_int_equal(bad, 0);
	/* The cabin --verify-audit entry point. */
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(cab_audit_verify_main(f->dir, out), 0);
	fclose(out);
	assert_string_equal(buf, "ok 4\n");
	free(buf);
	/* Rows are append-only through SQL triggers. */
	assert_int_not_equal(tl_sql_exec(f->db, "UPDATE audit SET detail = 'y' WHERE seq = 3"), 0);
	/* An attacker drops the triggers and edits row 3: the chain shows it. */
	assert_int_equal(tl_sql_exec(f->db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
	                                   "UPDATE audit SET detail = 'y' WHERE seq = 3"), 0);
	assert_int_equal(cab_store_audit_verify(f->st, &rows, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 3);
	assert_string_equal(why, "hash does not match the row's content: the row was changed");
	out = open_memstream(&buf, &len);
	assert_int_equal(cab_audit_verify_main(f->dir, out), 1);
	fclose(out);
	snprintf(line, sizeof line, "broken at row 3: %s\n", why);
	assert_string_equal(buf, line);
	free(buf);
	/* Row 2 removed and the later rows renumbered: seq is continuous, but row 2 now
	 * names a predecessor that is not row 1. */
	assert_int_equal(tl_sql_exec(f->db, "UPDATE audit SET detail = 'x' WHERE seq = 3"), 0);
	assert_int_equal(cab_store_audit_verify(f->st, &rows, &bad, why, sizeof why), 0);
	assert_int_equal(rows, 4);
	assert_int_equal(tl_sql_exec(f->db, "DELETE FROM audit WHERE seq = 2;"
	                                   "UPDATE audit SET seq = seq - 1 WHERE seq > 2"), 0);
	assert_int_equal(cab_store_audit_verify(f->st, &rows, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 2);
	assert_string_equal(why, "prev_hash does not match row 1: the row before it was changed "
	                         "or deleted");
	/* A deleted row. */
	assert_int_equal(tl_sql_exec(f->db, "DELETE FROM audit WHERE seq = 2"), 0);
	assert_int_equal(cab_store_audit_verify(f->st, &rows, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 3);
	assert_string_equal(why, "expected row 2 here: a row was deleted");
	/* No database at all. */
	out = open_memstream(&buf, &len);
	assert_int_equal(cab_audit_verify_main("/nonexistent-cabin-dir", out), 1);
	fclose(out);
	assert_string_equal(buf, "error: no database at /nonexistent-cabin-dir/cabin.db\n");
	free(buf);
}

static void uuid_v4_form_and_uniqueness(void **state)
{
	(void)state;
	char ids[200][37];
	for (int i = 0; i < 200; i++) {
		assert_int_equal(cab_uuid_v4(ids[i]), 0);
		assert_int_equal(strlen(ids[i]), 36);
		assert_int_equal(ids[i][14], '4');
		assert_non_null(strchr("89ab", ids[i][19]));
		assert_int_equal(ids[i][8], '-');
		assert_int_equal(ids[i][23], '-');
		for (int j = 0; j < i; j++)
			assert_string_not_equal(ids[i], ids[j]);
	}
}

int main(void)
{
	cab_log_set_level(CAB_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(open_sets_pragmas_and_key_file, setup, teardown),
		cmocka_unit_test_setup_teardown(key_file_with_group_mode_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(legacy_key_in_the_data_directory_is_moved_out, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(wrong_cabin_key_is_refused_at_open, setup, teardown),
		cmocka_unit_test(seal_round_trip_and_tampering),
		cmocka_unit_test_setup_teardown(identity_consent_readings_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(tampered_moved_and_destroyed_rows_are_not_returned,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(abort_wipes_personal_data_keeps_pseudonymous_facts,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(handoff_ack_wipes_the_session, setup, teardown),
		cmocka_unit_test_setup_teardown(open_session_is_wiped_at_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(instruments_and_incidents, setup, teardown),
		cmocka_unit_test_setup_teardown(audit_chain_detects_changed_and_deleted_rows, setup,
		                                teardown),
		cmocka_unit_test(uuid_v4_form_and_uniqueness),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
