/* errors.c — turning sqlite and system failures into a status and a sentence a
 * pharmacist can read on the screen (and the log): disk full, read-only data
 * directory, damaged database. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/store/store_internal.h"

const char *cab_store_status_name(int status)
{
	switch (status) {
	case CAB_STORE_OK: return "ok";
	case CAB_STORE_FULL: return "full";
	case CAB_STORE_READONLY: return "readonly";
	case CAB_STORE_CORRUPT: return "corrupt";
	case CAB_STORE_TAMPERED: return "tampered";
	case CAB_STORE_NOKEY: return "nokey";
	case CAB_STORE_NOTFOUND: return "notfound";
	case CAB_STORE_INVALID: return "invalid";
	case CAB_STORE_NOMEM: return "nomem";
	case CAB_STORE_KEYFILE: return "keyfile";
	default: return "error";
	}
}

int st_fail(struct cab_store *st, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->err, sizeof st->err, fmt, ap);
	va_end(ap);
	cab_err("store", "%s [%s]", st->err, cab_store_status_name(status));
	return status;
}

const char *cab_store_errmsg(const struct cab_store *st)
{
	return st ? st->err : "";
}

int st_sql_status(sqlite3 *db, int rc, const char *what, const char *path, char *msg,
                  size_t msgsize)
{
	int prim = rc & 0xff, sys = db ? sqlite3_system_errno(db) : 0;
	const char *detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	int status = CAB_STORE_ERR;
	char buf[320];

	/* A refused write is reported as a full disk: with a file-size limit or a full
	 * file system the kernel says EFBIG / ENOSPC, which sqlite reports as
	 * SQLITE_FULL or SQLITE_IOERR_WRITE (its errno is not always kept). */
	if (prim == SQLITE_FULL || rc == SQLITE_IOERR_WRITE ||
	    (prim == SQLITE_IOERR && (sys == ENOSPC || sys == EFBIG || sys == EDQUOT))) {
		status = CAB_STORE_FULL;
		snprintf(buf, sizeof buf, "The cabin's storage is full or refuses writes (%s, %s): "
		         "nothing more can be recorded until space is freed. Data already recorded "
		         "is safe.", path, what);
	} else if (prim == SQLITE_READONLY || prim == SQLITE_PERM ||
	           (prim == SQLITE_CANTOPEN && (sys == EACCES || sys == EROFS || sys == EPERM)) ||
	           (prim == SQLITE_IOERR && (sys == EROFS || sys == EACCES))) {
		status = CAB_STORE_READONLY;
		snprintf(buf, sizeof buf, "The cabin's data directory is read-only (%s, %s): "
		         "sessions cannot be recorded. A technician must check the disk.", path, what);
	} else if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB) {
		status = CAB_STORE_CORRUPT;
		snprintf(buf, sizeof buf, "The cabin's database %s is damaged (%s, %s); it was left "
		         "untouched. A technician must restore or replace it.", path, detail, what);
	} else if (prim == SQLITE_NOMEM) {
		status = CAB_STORE_NOMEM;
		snprintf(buf, sizeof buf, "Out of memory while %s", what);
	} else {
		snprintf(buf, sizeof buf, "Storage error while %s (%s): %s", what, path, detail);
	}
	if (msg && msgsize)
		snprintf(msg, msgsize, "%s", buf);
	if (sys && status != CAB_STORE_CORRUPT)
		cab_err("store", "%s [sqlite %d, errno %d %s]", buf, rc, sys, strerror(sys));
	else
		cab_err("store", "%s [sqlite %d]", buf, rc);
	return status;
}

int st_sql_fail(struct cab_store *st, int rc, const char *what)
{
	return st_sql_status(st->db, rc, what, st->db_path, st->err, sizeof st->err);
}

int st_exec(struct cab_store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? CAB_STORE_OK : st_sql_fail(st, rc, "updating the database");
}

int st_prepare(struct cab_store *st, const char *sql, sqlite3_stmt **stmt)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);
	return rc == SQLITE_OK ? CAB_STORE_OK : st_sql_fail(st, rc, "preparing a query");
}

int st_begin(struct cab_store *st)
{
	return st_exec(st, "BEGIN IMMEDIATE");
}

int st_commit(struct cab_store *st)
{
	int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return CAB_STORE_OK;
	int status = st_sql_fail(st, rc, "committing");
	st_rollback(st);
	return status;
}

void st_rollback(struct cab_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int st_valid_sid(const char *sid)
{
	if (!sid || !*sid)
		return 0;
	size_t n = 0;
	for (const char *p = sid; *p; p++, n++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || *p == '-') || n >= 36)
			return 0;
	return 1;
}
