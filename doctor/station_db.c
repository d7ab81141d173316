/* station_db.c — sqlite storage of the doctor station (station_db.h). */
#include "doctor/station_db.h"

#include "common/log.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG "station-db"

struct station_db {
	sqlite3 *db;
};

static const char *schema =
    "PRAGMA journal_mode=WAL;"
    /* durable: a message is acknowledged only after the commit that holds it
     * (group commit: one transaction per service round, station.c) */
    "PRAGMA synchronous=FULL;"
    "CREATE TABLE IF NOT EXISTS message(id TEXT PRIMARY KEY, session TEXT, cabin TEXT,"
    " type TEXT NOT NULL, body TEXT NOT NULL, rx_ms INTEGER NOT NULL);"
    /* (session, type): "has this session a session_close", "who opened it" are asked
     * for every message; with an index on session alone each was a scan of the
     * session's messages (10,000 readings: 70 s to replay, bench_store_link) */
    "DROP INDEX IF EXISTS message_session;"
    "CREATE INDEX IF NOT EXISTS message_session_type ON message(session, type);"
    "CREATE TABLE IF NOT EXISTS cabin(id TEXT PRIMARY KEY, hello TEXT NOT NULL);"
    /* version 2: the doctors' console (docs/console.md) */
    "CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER"
    " NOT NULL, rpps TEXT NOT NULL, action TEXT NOT NULL, session TEXT, detail TEXT);"
    "CREATE TABLE IF NOT EXISTS report(session TEXT PRIMARY KEY, body TEXT NOT NULL,"
    " rpps TEXT NOT NULL, time_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS session_doctor(session TEXT PRIMARY KEY, doctor TEXT NOT NULL);"
    /* the records' delivery to the FHIR server (station_deliver.c) */
    "CREATE TABLE IF NOT EXISTS delivery(session TEXT PRIMARY KEY, body TEXT NOT NULL,"
    " tries INTEGER NOT NULL, next_ms INTEGER NOT NULL, delivered INTEGER NOT NULL,"
    " last_error TEXT NOT NULL);"
    "PRAGMA user_version=2;";

struct station_db *station_db_open(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/station.sqlite", dir);
	struct station_db *d = calloc(1, sizeof *d);
	char *err = NULL;
	if (!d)
		return NULL;
	if (sqlite3_open(path, &d->db) != SQLITE_OK) {
		cab_err(LOG, "cannot open %s: %s", path, sqlite3_errmsg(d->db));
		goto fail;
	}
	sqlite3_busy_timeout(d->db, 2000);
	if (sqlite3_exec(d->db, schema, NULL, NULL, &err) != SQLITE_OK) {
		cab_err(LOG, "schema of %s: %s", path, err);
		sqlite3_free(err);
		goto fail;
	}
	return d;
fail:
	sqlite3_close(d->db);
	free(d);
	return NULL;
}

void station_db_close(struct station_db *d)
{
	if (!d)
		return;
	sqlite3_close(d->db);
	free(d);
}

int station_db_begin(struct station_db *d)
{
	char *err = NULL;
	if (sqlite3_exec(d->db, "BEGIN IMMEDIATE", NULL, NULL, &err) != SQLITE_OK) {
		cab_err(LOG, "begin: %s", err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int station_db_commit(struct station_db *d)
{
	char *err = NULL;
	if (sqlite3_exec(d->db, "COMMIT", NULL, NULL, &err) != SQLITE_OK) {
		cab_err(LOG, "commit: %s", err ? err : "?");
		sqlite3_free(err);
		sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int station_db_put_message(struct station_db *d, const char *id, const char *session,
                           const char *cabin, const char *type, const char *body, int64_t rx_ms)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(d->db, "INSERT OR IGNORE INTO message VALUES(?,?,?,?,?,?)", -1, &st,
	                       NULL))
		goto out;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, session, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cabin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, rx_ms);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	rc = sqlite3_changes(d->db) == 1 ? 1 : 0;
out:
	if (rc < 0)
		cab_err(LOG, "insert: %s", sqlite3_errmsg(d->db));
	sqlite3_finalize(st);
	return rc;
}

int station_db_has(struct station_db *d, const char *session, const char *type)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(d->db, "SELECT 1 FROM message WHERE session=? AND type=? LIMIT 1",
	                       -1, &st, NULL))
		goto out;
	sqlite3_bind_text(st, 1, session, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	rc = s == SQLITE_ROW ? 1 : s == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	return rc;
}

int station_db_has_id(struct station_db *d, const char *id)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(d->db, "SELECT 1 FROM message WHERE id=?", -1, &st, NULL))
		goto out;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	rc = s == SQLITE_ROW ? 1 : s == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	return rc;
}

int station_db_session_cabin(struct station_db *d, const char *session, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(d->db,
	                       "SELECT cabin FROM message WHERE session=? AND type='session_open'"
	                       " LIMIT 1",
	                       -1, &st, NULL))
		goto out;
	sqlite3_bind_text(st, 1, session, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = 0;
	}
out:
	sqlite3_finalize(st);
	return rc;
}

json_t *station_db_session_messages(struct station_db *d, const char *session)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	if (sqlite3_prepare_v2(d->db, "SELECT body FROM message WHERE session=? ORDER BY rowid", -1,
	                       &st, NULL)) {
		json_decref(arr);
		arr = NULL;
		goto out;
	}
	sqlite3_bind_text(st, 1, session, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *m = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		if (m)
			json_array_append_new(arr, m);
	}
out:
	sqlite3_finalize(st);
	return arr;
}

int station_db_put_hello(struct station_db *d, const char *cabin, const char *body)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(d->db, "INSERT OR REPLACE INTO cabin VALUES(?,?)", -1, &st, NULL))
		goto out;
	sqlite3_bind_text(st, 1, cabin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	return rc;
}

json_t *station_db_get_hello(struct station_db *d, const char *cabin)
{
	sqlite3_stmt *st = NULL;
	json_t *m = NULL;
	if (sqlite3_prepare_v2(d->db, "SELECT hello FROM cabin WHERE id=?", -1, &st, NULL))
		goto out;
	sqlite3_bind_text(st, 1, cabin, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		m = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
out:
	sqlite3_finalize(st);
	return m;
}

int station_db_find_session(struct station_db *d, const char *prefix, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	int count = 0;
	if (sqlite3_prepare_v2(d->db,
	                       "SELECT DISTINCT session FROM message WHERE type='session_open'"
	                       " AND substr(session,1,length(?1))=?1",
	                       -1, &st, NULL))
		goto out;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		if (!strcmp(s, prefix)) { /* an exact match wins */
			snprintf(out, n, "%s", s);
			count = 1;
			break;
		}
		if (count++ == 0)
			snprintf(out, n, "%s", s);
	}
out:
	sqlite3_finalize(st);
	return count;
}

json_t *station_db_sessions(struct station_db *d)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	if (sqlite3_prepare_v2(d->db,
	                       "SELECT session, cabin, EXISTS(SELECT 1 FROM message c WHERE"
	                       " c.session=o.session AND c.type='session_close') FROM message o"
	                       " WHERE type='session_open' ORDER BY rowid",
	                       -1, &st, NULL))
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr,
		                      json_pack("{s:s, s:s, s:b}", "session",
		                                (const char *)sqlite3_column_text(st, 0), "cabin",
		                                (const char *)sqlite3_column_text(st, 1), "closed",
		                                sqlite3_column_int(st, 2)));
out:
	sqlite3_finalize(st);
	return arr;
}

/* Runs SQL with up to four text parameters (NULL binds SQL NULL) and an integer as
 * parameter 5 when HAS_INT; 0 when done, -1 on error (logged). */
static int exec_texts(struct station_db *d, const char *sql, const char *a, const char *b,
                      const char *c, const char *e, int has_int, int64_t i)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL))
		goto out;
	const char *v[4] = {a, b, c, e};
	for (int k = 0; k < 4; k++)
		if (v[k])
			sqlite3_bind_text(st, k + 1, v[k], -1, SQLITE_STATIC);
	if (has_int)
		sqlite3_bind_int64(st, 5, i);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
	if (rc < 0)
		cab_err(LOG, "%.40s: %s", sql, sqlite3_errmsg(d->db));
	sqlite3_finalize(st);
	return rc;
}

int station_db_delivery_put(struct station_db *d, const char *session, const char *body,
                            int64_t now_ms)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(d->db,
	                       "INSERT OR REPLACE INTO delivery VALUES(?,?,0,?,0,'')", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, session, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, now_ms);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	if (rc)
		cab_err(LOG, "delivery queue: %s", sqlite3_errmsg(d->db));
	sqlite3_finalize(st);
	return rc;
}

/* One text column of the first row of SQL with one text parameter, parsed as JSON. */
static json_t *get_json(struct station_db *d, const char *sql, const char *key)
{
	sqlite3_stmt *st = NULL;
	json_t *m = NULL;
	if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL))
		goto out;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		m = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
out:
	sqlite3_finalize(st);
	return m;
}

int station_db_audit(struct station_db *d, int64_t time_ms, const char *rpps, const char *action,
                     const char *session, const char *detail)
{
	return exec_texts(d,
	                  "INSERT INTO audit(rpps, action, session, detail, time_ms)"
	                  " VALUES(?1,?2,?3,?4,?5)",
	                  rpps, action, session, detail, 1, time_ms);
}

int station_db_put_report(struct station_db *d, const char *session, const char *body,
                          const char *rpps, int64_t time_ms)
{
	return exec_texts(d, "INSERT OR REPLACE INTO report(session, body, rpps, time_ms)"
	                     " VALUES(?1,?2,?3,?5)",
	                  session, body, rpps, NULL, 1, time_ms);
}

json_t *station_db_get_report(struct station_db *d, const char *session)
{
	return get_json(d, "SELECT body FROM report WHERE session=?", session);
}

int station_db_put_session_doctor(struct station_db *d, const char *session, const char *doctor)
{
	return exec_texts(d, "INSERT OR REPLACE INTO session_doctor VALUES(?1,?2)", session, doctor,
	                  NULL, NULL, 0, 0);
}

json_t *station_db_get_session_doctor(struct station_db *d, const char *session)
{
	return get_json(d, "SELECT doctor FROM session_doctor WHERE session=?", session);
}

char *station_db_delivery_due(struct station_db *d, int64_t now_ms, char *session, size_t n,
                              int *tries)
{
	sqlite3_stmt *st = NULL;
	char *body = NULL;
	if (sqlite3_prepare_v2(d->db,
	                       "SELECT session, body, tries FROM delivery WHERE delivered = 0 AND"
	                       " next_ms <= ? ORDER BY next_ms LIMIT 1",
	                       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, now_ms);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(session, n, "%s", (const char *)sqlite3_column_text(st, 0));
			const char *b = (const char *)sqlite3_column_text(st, 1);
			body = b ? strdup(b) : NULL;
			*tries = sqlite3_column_int(st, 2);
		}
	}
	sqlite3_finalize(st);
	return body;
}

int station_db_delivery_result(struct station_db *d, const char *session, int delivered,
                               int tries, int64_t next_ms, const char *error)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(d->db,
	                       "UPDATE delivery SET delivered = ?, tries = ?, next_ms = ?,"
	                       " last_error = ? WHERE session = ?",
	                       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int(st, 1, delivered);
		sqlite3_bind_int(st, 2, tries);
		sqlite3_bind_int64(st, 3, next_ms);
		sqlite3_bind_text(st, 4, error, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, session, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	return rc;
}
