/* schema.c — the database schema and its forward migrations. PRAGMA user_version
 * holds the version; each step runs in its own transaction and sets the version
 * it reached, so an interrupted migration resumes where it stopped. Never edit a
 * released step: add a new one. docs/store.md describes every table. */
#include <stdio.h>

#include "kiosk/store/store_internal.h"

/* Version 1: the base schema. */
static const char v1_sql[] =
	"CREATE TABLE meta(name TEXT PRIMARY KEY, value BLOB NOT NULL);"
	"CREATE TABLE sessions("
	"  id TEXT PRIMARY KEY,"                     /* UUID v4, pseudonymous */
	"  state TEXT NOT NULL CHECK(state IN ('open','closing','wiped')),"
	"  outcome TEXT,"                            /* cab_store_outcome_name() */
	"  language TEXT NOT NULL DEFAULT '',"
	"  started_ms INTEGER NOT NULL, ended_ms INTEGER, wiped_ms INTEGER);"
	"CREATE TABLE session_keys("                 /* data key sealed by the cabin key */
	"  session_id TEXT PRIMARY KEY REFERENCES sessions(id), wrapped BLOB NOT NULL);"
	"CREATE TABLE identities("
	"  session_id TEXT PRIMARY KEY REFERENCES sessions(id),"
	"  recorded_ms INTEGER NOT NULL, data BLOB NOT NULL);" /* sealed JSON */
	"CREATE TABLE consents("
	"  session_id TEXT PRIMARY KEY REFERENCES sessions(id),"
	"  text_version TEXT NOT NULL, language TEXT NOT NULL,"
	"  recorded_ms INTEGER NOT NULL, answers BLOB NOT NULL);" /* sealed JSON */
	"CREATE TABLE instruments("
	"  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, model TEXT NOT NULL,"
	"  serial TEXT NOT NULL, firmware TEXT NOT NULL DEFAULT '',"
	"  first_seen_ms INTEGER NOT NULL, UNIQUE(kind, model, serial));"
	"CREATE TABLE readings("
	"  id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id),"
	"  instrument_id INTEGER REFERENCES instruments(id), data BLOB NOT NULL);"
	"CREATE INDEX readings_session ON readings(session_id);"
	"CREATE TABLE session_instruments("
	"  session_id TEXT NOT NULL REFERENCES sessions(id),"
	"  instrument_id INTEGER NOT NULL REFERENCES instruments(id),"
	"  PRIMARY KEY(session_id, instrument_id)) WITHOUT ROWID;"
	"CREATE TABLE incidents("
	"  id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,"
	"  session_id TEXT REFERENCES sessions(id), kind TEXT NOT NULL,"
	"  detail TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE outbox("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
	"  session_id TEXT NOT NULL DEFAULT '', type TEXT NOT NULL,"
	"  personal INTEGER NOT NULL, body BLOB,"    /* sealed when personal */
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','done','dropped')),"
	"  created_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_try_ms INTEGER NOT NULL DEFAULT 0, acked_ms INTEGER);"
	"CREATE INDEX outbox_state ON outbox(state, seq);"
	"CREATE INDEX outbox_session ON outbox(session_id);"
	"CREATE TABLE audit("
	"  seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, actor_kind TEXT NOT NULL,"
	"  actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL,"
	"  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;";

/* Version 2: calibration and self-test of the instruments (technician's view). */
static const char v2_sql[] =
	"ALTER TABLE instruments ADD COLUMN calibration_due TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE instruments ADD COLUMN last_selftest_ms INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE instruments ADD COLUMN last_selftest_result TEXT NOT NULL DEFAULT '';";

/* Version 3: the instrument registry filled from the attached instruments: which
 * driver speaks to it and when it was last seen. */
static const char v3_sql[] =
	"ALTER TABLE instruments ADD COLUMN driver TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE instruments ADD COLUMN last_seen_ms INTEGER NOT NULL DEFAULT 0;";

static const char *const steps[] = {NULL, v1_sql, v2_sql, v3_sql};
_Static_assert(sizeof steps / sizeof steps[0] == CAB_STORE_SCHEMA_VERSION + 1,
               "one migration step per schema version");

static int user_version(struct cab_store *st, int *out)
{
	sqlite3_stmt *q = NULL;
	int status = st_prepare(st, "PRAGMA user_version", &q);
	if (status)
		return status;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(q, 0);
	else
		status = st_sql_fail(st, rc, "reading the schema version");
	sqlite3_finalize(q);
	return status;
}

int st_migrate(struct cab_store *st, int target)
{
	int v = 0, status;
	if (target <= 0 || target > CAB_STORE_SCHEMA_VERSION)
		target = CAB_STORE_SCHEMA_VERSION;
	if ((status = user_version(st, &v)))
		return status;
	if (v > CAB_STORE_SCHEMA_VERSION)
		return st_fail(st, CAB_STORE_ERR, "The database %s has schema version %d, newer than "
		               "this cabin program (%d): install the newer program", st->db_path, v,
		               CAB_STORE_SCHEMA_VERSION);
	for (; v < target; v++) {
		char set[48];
		snprintf(set, sizeof set, "PRAGMA user_version = %d", v + 1);
		if ((status = st_begin(st)))
			return status;
		if ((status = st_exec(st, steps[v + 1])) || (status = st_exec(st, set)) ||
		    (status = st_commit(st))) {
			st_rollback(st);
			return status;
		}
		cab_info("store", "schema migrated to version %d", v + 1);
	}
	return CAB_STORE_OK;
}
