/* instruments.c — the instrument registry (model, serial, firmware, calibration due
 * date, last self-test and its result) and the technical incidents (time, kind,
 * detail, session). Both are pseudonymous and survive the wipe. */
#include <stdio.h>
#include <string.h>

#include "kiosk/store/store_internal.h"

int st_instrument_upsert_locked(struct cab_store *st, struct cab_store_instrument *in)
{
	sqlite3_stmt *q = NULL;
	int status = st_prepare(st,
		"INSERT INTO instruments(kind, model, serial, firmware, calibration_due, first_seen_ms,"
		" driver, last_seen_ms)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6) ON CONFLICT(kind, model, serial) DO UPDATE SET"
		" firmware = CASE WHEN excluded.firmware <> '' THEN excluded.firmware ELSE firmware END,"
		" calibration_due = CASE WHEN excluded.calibration_due <> '' THEN excluded.calibration_due"
		" ELSE calibration_due END,"
		" driver = CASE WHEN excluded.driver <> '' THEN excluded.driver ELSE driver END,"
		" last_seen_ms = excluded.last_seen_ms RETURNING id", &q);
	if (status)
		return status;
	sqlite3_bind_text(q, 1, in->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, in->model, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, in->serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, in->firmware, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, in->calibration_due, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, st_now(st));
	sqlite3_bind_text(q, 7, in->driver, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		in->id = sqlite3_column_int64(q, 0);
		rc = sqlite3_step(q);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? CAB_STORE_OK : st_sql_fail(st, rc, "registering an instrument");
}

/* Checks "YYYY-MM-DD" (or ""). */
static int valid_date(const char *s)
{
	if (!*s)
		return 1;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int m = (s[5] - '0') * 10 + s[6] - '0', d = (s[8] - '0') * 10 + s[9] - '0';
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

int cab_store_instrument_upsert(struct cab_store *st, struct cab_store_instrument *in)
{
	if (!in || !in->kind[0] || !valid_date(in->calibration_due))
		return st_fail(st, CAB_STORE_INVALID, "Bad instrument (kind required, dates YYYY-MM-DD)");
	int status = st_begin(st);
	if (status)
		return status;
	if ((status = st_instrument_upsert_locked(st, in)) || (status = st_commit(st)))
		st_rollback(st);
	return status;
}

/* Inside the transaction st_begin opened: runs Q (already bound; finalized here),
 * which must change exactly instrument ID's row, then appends the technician's audit
 * EVENT with DETAIL and commits. DOING names the step in an SQL error. Rolls back on
 * any failure and returns its status. */
static int update_one_audited(struct cab_store *st, sqlite3_stmt *q, int64_t id,
                              const char *doing, const char *event, const char *detail)
{
	int status;
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		status = st_sql_fail(st, rc, doing);
	else if (sqlite3_changes(st->db) != 1)
		status = st_fail(st, CAB_STORE_NOTFOUND, "No instrument %lld", (long long)id);
	else if (!(status = st_audit_append(st, CAB_ACTOR_TECHNICIAN, "", event, detail)) &&
	         !(status = st_commit(st)))
		return CAB_STORE_OK;
	st_rollback(st);
	return status;
}

int cab_store_instrument_selftest(struct cab_store *st, int64_t id, int64_t at_ms,
                                  const char *result)
{
	sqlite3_stmt *q = NULL;
	char detail[64];
	if (!result || (strcmp(result, "pass") && strcmp(result, "fail")))
		return st_fail(st, CAB_STORE_INVALID, "Self-test result must be \"pass\" or \"fail\"");
	int status = st_begin(st);
	if (status)
		return status;
	if ((status = st_prepare(st, "UPDATE instruments SET last_selftest_ms = ?2,"
	                             " last_selftest_result = ?3 WHERE id = ?1", &q))) {
		st_rollback(st);
		return status;
	}
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, at_ms);
	sqlite3_bind_text(q, 3, result, -1, SQLITE_STATIC);
	snprintf(detail, sizeof detail, "instrument %lld: %s", (long long)id, result);
	return update_one_audited(st, q, id, "recording a self-test", "instrument_selftest", detail);
}

int cab_store_instrument_set_calibration(struct cab_store *st, int64_t id, const char *date)
{
	sqlite3_stmt *q = NULL;
	char detail[64];
	if (!date || !valid_date(date))
		return st_fail(st, CAB_STORE_INVALID, "Calibration date must be YYYY-MM-DD");
	int status = st_begin(st);
	if (status)
		return status;
	if ((status = st_prepare(st, "UPDATE instruments SET calibration_due = ?2 WHERE id = ?1", &q))) {
		st_rollback(st);
		return status;
	}
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, date, -1, SQLITE_STATIC);
	snprintf(detail, sizeof detail, "instrument %lld: due %s", (long long)id, *date ? date : "none");
	return update_one_audited(st, q, id, "setting a calibration date", "instrument_calibration",
	                          detail);
}

static void copy_col(sqlite3_stmt *q, int i, char *dst, size_t size)
{
	const char *t = (const char *)sqlite3_column_text(q, i);
	snprintf(dst, size, "%s", t ? t : "");
}

int cab_store_instruments_each(struct cab_store *st,
                               int (*fn)(void *user, const struct cab_store_instrument *in),
                               void *user)
{
	sqlite3_stmt *q = NULL;
	int n = 0, rc;
	int status = st_prepare(st, "SELECT id, kind, model, serial, firmware, calibration_due,"
	                            " last_selftest_ms, last_selftest_result, driver, first_seen_ms,"
	                            " last_seen_ms FROM instruments"
	                            " ORDER BY id", &q);
	if (status)
		return status;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct cab_store_instrument in = {.id = sqlite3_column_int64(q, 0)};
		copy_col(q, 1, in.kind, sizeof in.kind);
		copy_col(q, 2, in.model, sizeof in.model);
		copy_col(q, 3, in.serial, sizeof in.serial);
		copy_col(q, 4, in.firmware, sizeof in.firmware);
		copy_col(q, 5, in.calibration_due, sizeof in.calibration_due);
		in.last_selftest_ms = sqlite3_column_int64(q, 6);
		copy_col(q, 7, in.last_selftest_result, sizeof in.last_selftest_result);
		copy_col(q, 8, in.driver, sizeof in.driver);
		in.first_seen_ms = sqlite3_column_int64(q, 9);
		in.last_seen_ms = sqlite3_column_int64(q, 10);
		n++;
		if (fn && fn(user, &in)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		status = st_sql_fail(st, rc, "listing instruments");
	sqlite3_finalize(q);
	return status ? status : n;
}

int cab_store_incident_add(struct cab_store *st, const char *sid, const char *kind,
                           const char *detail)
{
	sqlite3_stmt *q = NULL;
	if (!kind || !*kind || strlen(kind) > 64 || (detail && strlen(detail) > 1024) ||
	    (sid && *sid && !st_valid_sid(sid)))
		return st_fail(st, CAB_STORE_INVALID, "Bad incident");
	int status = st_prepare(st, "INSERT INTO incidents(time_ms, session_id, kind, detail)"
	                            " VALUES(?, ?, ?, ?)", &q);
	if (status)
		return status;
	sqlite3_bind_int64(q, 1, st_now(st));
	if (sid && *sid)
		sqlite3_bind_text(q, 2, sid, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 2);
	sqlite3_bind_text(q, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, detail ? detail : "", -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? CAB_STORE_OK : st_sql_fail(st, rc, "recording an incident");
}

int cab_store_incident_count(struct cab_store *st, const char *sid)
{
	sqlite3_stmt *q = NULL;
	int status = st_prepare(st, sid ? "SELECT count(*) FROM incidents WHERE session_id = ?"
	                                : "SELECT count(*) FROM incidents", &q);
	if (status)
		return status;
	if (sid)
		sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q), n = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? n : st_sql_fail(st, rc, "counting incidents");
}

int cab_store_incidents_each(struct cab_store *st, const char *sid,
                             int (*fn)(void *user, const struct cab_store_incident *in),
                             void *user)
{
	sqlite3_stmt *q = NULL;
	int n = 0, rc;
	int status = st_prepare(st, sid ? "SELECT id, time_ms, coalesce(session_id, ''), kind, detail"
	                                  " FROM incidents WHERE session_id = ? ORDER BY time_ms, id"
	                                : "SELECT id, time_ms, coalesce(session_id, ''), kind, detail"
	                                  " FROM incidents ORDER BY time_ms, id", &q);
	if (status)
		return status;
	if (sid)
		sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct cab_store_incident in = {.id = sqlite3_column_int64(q, 0),
		                                .time_ms = sqlite3_column_int64(q, 1)};
		copy_col(q, 2, in.session_id, sizeof in.session_id);
		copy_col(q, 3, in.kind, sizeof in.kind);
		copy_col(q, 4, in.detail, sizeof in.detail);
		n++;
		if (fn && fn(user, &in)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		status = st_sql_fail(st, rc, "listing incidents");
	sqlite3_finalize(q);
	return status ? status : n;
}
