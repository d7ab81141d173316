/* open.c — opening the store: data directory, cabin key, sqlite connection
 * (WAL, synchronous=FULL, foreign keys, secure_delete, busy timeout), integrity
 * quick check, migrations, key check and crash recovery; and closing it. A failed
 * open never writes to an existing database file. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "kiosk/store/store_internal.h"

#define BUSY_TIMEOUT_MS 5000

static int64_t default_wall(void *user)
{
	(void)user;
	return cab_wall_ms();
}

int64_t st_now(struct cab_store *st)
{
	return st->wall_ms(st->clock_user);
}

/* Creates DIR and its parents (mode 0700) when missing. */
static int make_dirs(struct cab_store *st, const char *dir)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", dir);
	for (char *p = tmp + 1; ; p++) {
		if (*p == '/' || !*p) {
			char c = *p;
			*p = 0;
			if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
				int e = errno;
				*p = c;
				return st_fail(st, (e == EACCES || e == EROFS || e == EPERM) ?
				               CAB_STORE_READONLY : CAB_STORE_ERR,
				               "Cannot create the data directory %s: %s", dir, strerror(e));
			}
			*p = c;
			if (!c)
				break;
		}
	}
	return CAB_STORE_OK;
}

/* The cabin key's default place, apart from the data directory so that a copy of it
 * is not enough to read the personal data: DATA_DIR-private/cabin.key, in its own
 * 0700 directory (the unit's second StateDirectory). A key left by an older version
 * in DATA_DIR/cabin.key is moved there (rename, then both directories synced). */
static int default_key(struct cab_store *st)
{
	char dir[PATH_MAX], old[PATH_MAX + 16];
	int len = (int)strlen(st->data_dir);
	while (len > 1 && st->data_dir[len - 1] == '/')
		len--;
	snprintf(dir, sizeof dir, "%.*s-private", len < PATH_MAX - 32 ? len : PATH_MAX - 32,
	         st->data_dir);
	snprintf(st->key_path, sizeof st->key_path, "%.*s/cabin.key", PATH_MAX - 16, dir);
	snprintf(old, sizeof old, "%s/cabin.key", st->data_dir);
	int status = make_dirs(st, dir);
	if (status)
		return status;
	struct stat sb;
	if (lstat(st->key_path, &sb) == 0 || lstat(old, &sb) != 0)
		return CAB_STORE_OK;
	if (rename(old, st->key_path) != 0)
		return st_fail(st, CAB_STORE_KEYFILE,
		               "The cabin key %s must leave the data directory for %s, and it "
		               "could not be moved: %s. Move it by hand (mode 0600).",
		               old, st->key_path, strerror(errno));
	for (int i = 0; i < 2; i++) {
		int fd = open(i ? dir : st->data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	cab_info("store", "moved the cabin key out of the data directory: %s", st->key_path);
	return CAB_STORE_OK;
}

/* Runs a pragma that returns one text row into GOT and compares it with WANT (NULL:
 * any). Returns 0, 1 when the row differs from WANT, or a negative status. */
static int pragma_text(struct cab_store *st, const char *sql, const char *want,
                       char *got, size_t gotsize)
{
	sqlite3_stmt *q = NULL;
	int status = st_prepare(st, sql, &q);
	if (status)
		return status;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);
		if (got)
			snprintf(got, gotsize, "%s", t ? t : "");
		if (want && (!t || strcmp(t, want) != 0))
			status = 1;
	} else if (rc != SQLITE_DONE) {
		status = st_sql_fail(st, rc, "setting up the database");
	}
	sqlite3_finalize(q);
	return status;
}

/* The key check value: a known text sealed under the cabin key, kept in meta, proves
 * at open that the key file belongs to this database. */
static int check_key(struct cab_store *st)
{
	static const char check_text[] = "cabin key check";
	char aad[64];
	sqlite3_stmt *q = NULL;
	unsigned char *blob = NULL, *plain = NULL;
	size_t blen = 0, plen = 0;
	st_aad(aad, sizeof aad, "meta", "value", "key_check", "");
	int status = st_prepare(st, "SELECT value FROM meta WHERE name = 'key_check'", &q);
	if (status)
		return status;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		status = st_unseal(st->cabin_key, aad, sqlite3_column_blob(q, 0),
		                   (size_t)sqlite3_column_bytes(q, 0), &plain, &plen);
		if (status == CAB_STORE_TAMPERED || (!status && (plen != sizeof check_text - 1 ||
		                                                 memcmp(plain, check_text, plen))))
			status = st_fail(st, CAB_STORE_KEYFILE,
			                 "The cabin key file %s does not belong to the database %s "
			                 "(wrong key): nothing was changed", st->key_path, st->db_path);
		goto out;
	}
	if (rc != SQLITE_DONE) {
		status = st_sql_fail(st, rc, "reading the key check");
		goto out;
	}
	sqlite3_finalize(q);
	q = NULL;
	if ((status = st_seal(st->cabin_key, aad, check_text, sizeof check_text - 1, &blob, &blen)))
		goto out;
	if ((status = st_prepare(st, "INSERT INTO meta(name, value) VALUES('key_check', ?)", &q)))
		goto out;
	sqlite3_bind_blob(q, 1, blob, (int)blen, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc != SQLITE_DONE)
		status = st_sql_fail(st, rc, "writing the key check");
out:
	sqlite3_finalize(q);
	free(blob);
	if (plain) {
		OPENSSL_cleanse(plain, plen);
		free(plain);
	}
	return status;
}

/* Opens the connection and sets it up; shared by cab_store_open() and the outbox. */
static int db_connect(struct cab_store *st, int check)
{
	char mode[16] = "", qc[256] = "";
	int rc = sqlite3_open_v2(st->db_path, &st->db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK)
		return st_sql_fail(st, rc, "opening the database");
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	/* A failed open must not write: no checkpoint when this connection closes until
	 * the database has proved sound. */
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	int status = check ? pragma_text(st, "PRAGMA quick_check", "ok", qc, sizeof qc) : 0;
	if (status == 1)
		return st_fail(st, CAB_STORE_CORRUPT, "The cabin's database %s is damaged (%s); it "
		               "was left untouched. A technician must restore or replace it.",
		               st->db_path, qc);
	if (status)
		return status;
	status = pragma_text(st, "PRAGMA journal_mode = WAL", "wal", mode, sizeof mode);
	if (status == 1)
		return st_fail(st, CAB_STORE_ERR, "The database %s refused WAL mode (journal_mode=%s)",
		               st->db_path, mode);
	if (status)
		return status;
	if ((status = st_exec(st, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
	                          "PRAGMA secure_delete = ON;")))
		return status;
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
	return CAB_STORE_OK;
}

int cab_store_open(const struct cab_store_options *opt, struct cab_store **out, char *msg,
                   size_t msgsize)
{
	struct cab_store *st = calloc(1, sizeof *st);
	int status = CAB_STORE_OK;
	struct stat sb;

	*out = NULL;
	if (!st)
		return CAB_STORE_NOMEM;
	st->wall_ms = opt->wall_ms ? opt->wall_ms : default_wall;
	st->clock_user = opt->clock_user;
	if (!opt->data_dir || !*opt->data_dir) {
		status = st_fail(st, CAB_STORE_INVALID, "No data directory configured");
		goto out;
	}
	if (snprintf(st->data_dir, sizeof st->data_dir, "%s", opt->data_dir) >= (int)sizeof st->data_dir ||
	    snprintf(st->db_path, sizeof st->db_path, "%s/cabin.db", opt->data_dir) >= (int)sizeof st->db_path ||
	    snprintf(st->key_path, sizeof st->key_path, "%s", opt->key_file ? opt->key_file : "") >=
	        (int)sizeof st->key_path) {
		status = st_fail(st, CAB_STORE_INVALID, "Data directory path too long");
		goto out;
	}
	if ((status = make_dirs(st, st->data_dir)))
		goto out;
	if (!opt->key_file && (status = default_key(st)))
		goto out;
	int db_exists = stat(st->db_path, &sb) == 0 && sb.st_size > 0;
	if ((status = st_cabin_key_load(st, db_exists)))
		goto out;
	if ((status = db_connect(st, 1)))
		goto out;
	if ((status = st_migrate(st, opt->target_version)))
		goto out;
	if ((status = check_key(st)))
		goto out;
	/* Sessions left open are not touched here: the application's start-up recovery
	 * (kiosk/service/recovery.h) delivers then closes them (cab_store_session_interrupt). */
	st_checkpoint(st);
out:
	if (status) {
		if (msg && msgsize)
			snprintf(msg, msgsize, "%s", st->err);
		if (st->db)
			sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		st->failed = 1;
		cab_store_close(st);
		return status;
	}
	if (msg && msgsize)
		msg[0] = 0;
	*out = st;
	return CAB_STORE_OK;
}

int cab_store_outbox_open(const struct cab_store *main_store, struct cab_store **out)
{
	struct cab_store *st = calloc(1, sizeof *st);
	*out = NULL;
	if (!st)
		return CAB_STORE_NOMEM;
	memcpy(st->cabin_key, main_store->cabin_key, ST_KEY_LEN);
	memcpy(st->data_dir, main_store->data_dir, sizeof st->data_dir);
	memcpy(st->db_path, main_store->db_path, sizeof st->db_path);
	memcpy(st->key_path, main_store->key_path, sizeof st->key_path);
	st->wall_ms = main_store->wall_ms;
	st->clock_user = main_store->clock_user;
	int status = db_connect(st, 0);
	if (status) {
		cab_store_close(st);
		return status;
	}
	*out = st;
	return CAB_STORE_OK;
}

int st_checkpoint(struct cab_store *st)
{
	int log = 0, done = 0;
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
	if (rc == SQLITE_BUSY) {
		cab_info("store", "WAL checkpoint postponed: another connection is reading");
		return CAB_STORE_OK;
	}
	if (rc != SQLITE_OK)
		return st_sql_fail(st, rc, "checkpointing the journal");
	return CAB_STORE_OK;
}

void cab_store_close(struct cab_store *st)
{
	if (!st)
		return;
	if (st->db) {
		if (!st->failed && st->n_sent && sqlite3_get_autocommit(st->db))
			st_outbox_flush_notes(st); /* the outbox handle's deferred "sent" notes */
		if (!st->failed && sqlite3_get_autocommit(st->db))
			sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		sqlite3_close_v2(st->db);
	}
	OPENSSL_cleanse(st->cabin_key, sizeof st->cabin_key);
	free(st);
}

const char *cab_store_db_path(const struct cab_store *st)
{
	return st->db_path;
}
