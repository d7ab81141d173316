/* keys.c — the key hierarchy: the cabin key (32 random bytes in a file outside the
 * database, mode 0600, created on first start) wraps one random data key per session
 * (AES-256-GCM, stored in session_keys); the data key seals that session's personal
 * values. Destroying the wrapped data key makes the session's rows unreadable. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/store/store_internal.h"

/* Reads exactly N bytes or fails. */
static int read_full(int fd, unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int fsync_parent(const char *path)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", path);
	int fd = open(dirname(tmp), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Creates the key file atomically: the bytes go to KEY.new (0600), are synced, then
 * hard-linked to KEY, which fails with EEXIST if another process made one first
 * (returns 1 then). A crash leaves either no key file or a whole one, never a short
 * one (the crash test found that). */
static int create_key(struct cab_store *st)
{
	char tmp[PATH_MAX + 8];
	int status = CAB_STORE_OK, fd = -1;
	snprintf(tmp, sizeof tmp, "%s.new", st->key_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0) {
		int e = errno;
		status = (e == EROFS || e == EACCES || e == EPERM) ? CAB_STORE_READONLY :
		         (e == ENOSPC || e == EDQUOT) ? CAB_STORE_FULL : CAB_STORE_KEYFILE;
		st_fail(st, status, "Cannot create the cabin key file %s: %s", st->key_path,
		        strerror(e));
		goto out;
	}
	if (RAND_bytes(st->cabin_key, ST_KEY_LEN) != 1) {
		status = st_fail(st, CAB_STORE_KEYFILE, "No random bytes for the cabin key");
		goto out;
	}
	ssize_t w = write(fd, st->cabin_key, ST_KEY_LEN);
	if (w != ST_KEY_LEN || fsync(fd) != 0) {
		int e = w < 0 ? errno : ENOSPC;
		status = st_fail(st, e == ENOSPC || e == EFBIG ? CAB_STORE_FULL : CAB_STORE_KEYFILE,
		                 "Cannot write the cabin key file %s: %s", st->key_path, strerror(e));
		goto out;
	}
	close(fd);
	fd = -1;
	if (link(tmp, st->key_path) != 0) {
		if (errno == EEXIST)
			status = 1;
		else
			status = st_fail(st, CAB_STORE_KEYFILE, "Cannot create the cabin key file %s: %s",
			                 st->key_path, strerror(errno));
		goto out;
	}
	fsync_parent(st->key_path);
	cab_info("store", "created cabin key file %s", st->key_path);
out:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	if (status != CAB_STORE_OK)
		OPENSSL_cleanse(st->cabin_key, ST_KEY_LEN);
	return status;
}

int st_cabin_key_load(struct cab_store *st, int db_exists)
{
	struct stat sb;
	int fd = open(st->key_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (db_exists)
			return st_fail(st, CAB_STORE_KEYFILE,
			               "The cabin key file %s is missing but the database %s exists: "
			               "its personal data cannot be read. A technician must restore the "
			               "key file or remove the database.", st->key_path, st->db_path);
		int rc = create_key(st);
		if (rc != 1)
			return rc;
		fd = open(st->key_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return st_fail(st, errno == EACCES ? CAB_STORE_READONLY : CAB_STORE_KEYFILE,
		               "Cannot open the cabin key file %s: %s", st->key_path, strerror(errno));
	int status = CAB_STORE_OK;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		status = st_fail(st, CAB_STORE_KEYFILE, "The cabin key file %s is not a regular file",
		                 st->key_path);
	} else if ((sb.st_mode & 077) != 0) {
		status = st_fail(st, CAB_STORE_KEYFILE,
		                 "The cabin key file %s has mode %04o: it must be 0600 (readable by "
		                 "the cabin's user only)", st->key_path, (unsigned)(sb.st_mode & 07777));
	} else if (sb.st_uid != geteuid()) {
		status = st_fail(st, CAB_STORE_KEYFILE,
		                 "The cabin key file %s belongs to uid %u, not to the cabin's user %u",
		                 st->key_path, (unsigned)sb.st_uid, (unsigned)geteuid());
	} else if (sb.st_size != ST_KEY_LEN || read_full(fd, st->cabin_key, ST_KEY_LEN) != 0) {
		status = st_fail(st, CAB_STORE_KEYFILE,
		                 "The cabin key file %s must hold exactly %d bytes", st->key_path,
		                 ST_KEY_LEN);
	}
	close(fd);
	if (status != CAB_STORE_OK)
		OPENSSL_cleanse(st->cabin_key, ST_KEY_LEN);
	return status;
}

int st_session_key(struct cab_store *st, const char *sid, unsigned char key[ST_KEY_LEN])
{
	sqlite3_stmt *q = NULL;
	unsigned char *plain = NULL;
	size_t plen = 0;
	char aad[160];
	int status = st_prepare(st, "SELECT k.wrapped, s.state FROM sessions s "
	                            "LEFT JOIN session_keys k ON k.session_id = s.id WHERE s.id = ?", &q);
	if (status)
		return status;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_DONE) {
		status = st_fail(st, CAB_STORE_NOTFOUND, "No session %s", sid);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		status = st_sql_fail(st, rc, "reading a session key");
		goto out;
	}
	if (sqlite3_column_type(q, 0) == SQLITE_NULL) {
		status = st_fail(st, CAB_STORE_NOKEY, "The data of session %s was erased", sid);
		goto out;
	}
	st_aad(aad, sizeof aad, "session_keys", "wrapped", sid, sid);
	status = st_unseal(st->cabin_key, aad, sqlite3_column_blob(q, 0),
	                   (size_t)sqlite3_column_bytes(q, 0), &plain, &plen);
	if (status == CAB_STORE_TAMPERED || (status == CAB_STORE_OK && plen != ST_KEY_LEN)) {
		status = st_fail(st, CAB_STORE_TAMPERED,
		                 "The data key of session %s does not open with the cabin key "
		                 "(wrong key file or altered row)", sid);
		goto out;
	}
	if (status) {
		st_fail(st, status, "Cannot unwrap the data key of session %s", sid);
		goto out;
	}
	memcpy(key, plain, ST_KEY_LEN);
out:
	if (plain) {
		OPENSSL_cleanse(plain, plen);
		free(plain);
	}
	sqlite3_finalize(q);
	return status;
}

int st_seal_for(struct cab_store *st, const char *sid, const char *table,
                const char *column, const char *row, const void *plain, size_t len,
                unsigned char **out, size_t *out_len)
{
	unsigned char key[ST_KEY_LEN];
	char aad[256];
	if (st_aad(aad, sizeof aad, table, column, row, sid) < 0)
		return st_fail(st, CAB_STORE_INVALID, "Row name too long");
	int status = st_session_key(st, sid, key);
	if (status == CAB_STORE_OK) {
		status = st_seal(key, aad, plain, len, out, out_len);
		if (status)
			st_fail(st, status, "Cannot encrypt %s.%s", table, column);
	}
	OPENSSL_cleanse(key, sizeof key);
	return status;
}

int st_unseal_for(struct cab_store *st, const char *sid, const char *table,
                  const char *column, const char *row, const void *blob, size_t blob_len,
                  unsigned char **out, size_t *out_len)
{
	unsigned char key[ST_KEY_LEN];
	char aad[256];
	if (st_aad(aad, sizeof aad, table, column, row, sid) < 0)
		return st_fail(st, CAB_STORE_INVALID, "Row name too long");
	int status = st_session_key(st, sid, key);
	if (status == CAB_STORE_OK) {
		status = st_unseal(key, aad, blob, blob_len, out, out_len);
		if (status == CAB_STORE_TAMPERED)
			st_fail(st, status, "Encrypted %s.%s of row %s failed authentication "
			        "(altered, moved or wrong key): not returned", table, column, row);
		else if (status)
			st_fail(st, status, "Cannot decrypt %s.%s", table, column);
	}
	OPENSSL_cleanse(key, sizeof key);
	return status;
}

/* Seals a fresh data key for session SID into a malloc'd blob. */
int st_new_wrapped_key(struct cab_store *st, const char *sid, unsigned char **out,
                       size_t *out_len)
{
	unsigned char key[ST_KEY_LEN];
	char aad[160];
	st_aad(aad, sizeof aad, "session_keys", "wrapped", sid, sid);
	int status = RAND_bytes(key, sizeof key) == 1 ?
	             st_seal(st->cabin_key, aad, key, sizeof key, out, out_len) : CAB_STORE_ERR;
	OPENSSL_cleanse(key, sizeof key);
	if (status)
		st_fail(st, status, "Cannot make a data key for session %s", sid);
	return status;
}
