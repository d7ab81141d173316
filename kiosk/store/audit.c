/* audit.c — the hash-chained audit log: who (cabin, patient session, pharmacist,
 * technician, doctor station), what, when; no personal data. Each row stores the
 * SHA-256 of the previous row's canonical form (prev_hash) and of its own (hash), so
 * a changed, inserted or deleted row breaks the chain. Canonical form: docs/store.md
 * "Audit chain". */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosk/store/store_internal.h"

#define HASH_HEX 65
static const char zero_hash[HASH_HEX] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static const char *actor_name(enum cab_audit_actor kind)
{
	switch (kind) {
	case CAB_ACTOR_CABIN: return "cabin";
	case CAB_ACTOR_SESSION: return "session";
	case CAB_ACTOR_PHARMACIST: return "pharmacist";
	case CAB_ACTOR_TECHNICIAN: return "technician";
	case CAB_ACTOR_STATION: return "station";
	}
	return "cabin";
}

/* One row as the chain sees it. */
struct audit_row {
	int64_t seq, time_ms;
	const char *actor_kind, *actor, *action, *detail, *prev_hash;
};

static int feed_field(EVP_MD_CTX *md, const char *s)
{
	char len[24];
	size_t n = strlen(s);
	int k = snprintf(len, sizeof len, "%zu:", n);
	return EVP_DigestUpdate(md, len, (size_t)k) == 1 && EVP_DigestUpdate(md, s, n) == 1 &&
	       EVP_DigestUpdate(md, "\n", 1) == 1;
}

/* SHA-256 (lowercase hex) of the canonical form of ROW:
 *   "cabin-audit/1\n" PREV_HASH "\n" SEQ "\n" TIME_MS "\n"
 *   then for actor_kind, actor, action, detail: LEN ":" BYTES "\n"
 * with SEQ, TIME_MS and LEN in decimal ASCII. Returns 0 or -1. */
static int audit_hash(const struct audit_row *row, char out[HASH_HEX])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	char head[160];
	int ok = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md)
		return -1;
	int k = snprintf(head, sizeof head, "cabin-audit/1\n%s\n%lld\n%lld\n", row->prev_hash,
	                 (long long)row->seq, (long long)row->time_ms);
	if (k > 0 && (size_t)k < sizeof head && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(md, head, (size_t)k) == 1 && feed_field(md, row->actor_kind) &&
	    feed_field(md, row->actor) && feed_field(md, row->action) && feed_field(md, row->detail) &&
	    EVP_DigestFinal_ex(md, d, &dlen) == 1 && dlen == 32) {
		for (unsigned i = 0; i < 32; i++)
			snprintf(out + 2 * i, 3, "%02x", d[i]);
		ok = 1;
	}
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

int st_audit_append(struct cab_store *st, enum cab_audit_actor kind, const char *actor_id,
                    const char *action, const char *detail)
{
	sqlite3_stmt *q = NULL;
	char prev[HASH_HEX], hash[HASH_HEX];
	struct audit_row row = {
		.time_ms = st_now(st), .actor_kind = actor_name(kind),
		.actor = actor_id ? actor_id : "", .action = action ? action : "",
		.detail = detail ? detail : "", .prev_hash = prev,
	};
	int status = st_prepare(st, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &q);
	if (status)
		return status;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		row.seq = sqlite3_column_int64(q, 0) + 1;
		snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(q, 1));
	} else if (rc == SQLITE_DONE) {
		row.seq = 1;
		memcpy(prev, zero_hash, sizeof prev);
	} else {
		status = st_sql_fail(st, rc, "reading the audit log");
	}
	sqlite3_finalize(q);
	q = NULL;
	if (status)
		return status;
	if (audit_hash(&row, hash))
		return st_fail(st, CAB_STORE_ERR, "Cannot hash an audit row");
	if ((status = st_prepare(st, "INSERT INTO audit(seq, time_ms, actor_kind, actor, action,"
	                             " detail, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?)", &q)))
		return status;
	sqlite3_bind_int64(q, 1, row.seq);
	sqlite3_bind_int64(q, 2, row.time_ms);
	sqlite3_bind_text(q, 3, row.actor_kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, row.actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, row.action, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, row.detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? CAB_STORE_OK : st_sql_fail(st, rc, "writing the audit log");
}

int cab_store_audit(struct cab_store *st, enum cab_audit_actor kind, const char *actor_id,
                    const char *action, const char *detail)
{
	int status;
	if (!action || !*action || strlen(action) > 64 || (detail && strlen(detail) > 512) ||
	    (actor_id && strlen(actor_id) > 64))
		return st_fail(st, CAB_STORE_INVALID, "Bad audit entry");
	if ((status = st_begin(st)))
		return status;
	if ((status = st_audit_append(st, kind, actor_id, action, detail)) ||
	    (status = st_commit(st)))
		st_rollback(st);
	return status;
}

static const char *col(sqlite3_stmt *q, int i)
{
	const char *t = (const char *)sqlite3_column_text(q, i);
	return t ? t : "";
}

/* Walks the chain on DB. Returns 0 intact, 1 broken, or -1 on a sqlite error (RC). */
static int verify_db(sqlite3 *db, int64_t *rows, int64_t *bad_seq, char *why, size_t whysize,
                     int *rc_out)
{
	sqlite3_stmt *q = NULL;
	char expect_prev[HASH_HEX], hash[HASH_HEX];
	int64_t expect_seq = 1, n = 0;
	int result = 0, rc;

	*rows = 0;
	*bad_seq = 0;
	if (whysize)
		why[0] = 0;
	memcpy(expect_prev, zero_hash, sizeof expect_prev);
	rc = sqlite3_prepare_v2(db, "SELECT seq, time_ms, actor_kind, actor, action, detail, "
	                            "prev_hash, hash FROM audit ORDER BY seq", -1, &q, NULL);
	if (rc != SQLITE_OK) {
		*rc_out = rc;
		return -1;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct audit_row row = {
			.seq = sqlite3_column_int64(q, 0), .time_ms = sqlite3_column_int64(q, 1),
			.actor_kind = col(q, 2), .actor = col(q, 3), .action = col(q, 4),
			.detail = col(q, 5), .prev_hash = col(q, 6),
		};
		*bad_seq = row.seq;
		if (row.seq != expect_seq) {
			snprintf(why, whysize, "expected row %lld here: a row was deleted",
			         (long long)expect_seq);
			result = 1;
			break;
		}
		if (strcmp(row.prev_hash, expect_prev) != 0) {
			snprintf(why, whysize, "prev_hash does not match row %lld: the row before it "
			         "was changed or deleted", (long long)(row.seq - 1));
			result = 1;
			break;
		}
		if (audit_hash(&row, hash) || strcmp(hash, col(q, 7)) != 0) {
			snprintf(why, whysize, "hash does not match the row's content: the row was changed");
			result = 1;
			break;
		}
		memcpy(expect_prev, hash, sizeof expect_prev);
		expect_seq++;
		n++;
	}
	sqlite3_finalize(q);
	if (!result && rc != SQLITE_DONE) {
		*rc_out = rc;
		return -1;
	}
	if (!result)
		*bad_seq = 0;
	*rows = n;
	return result;
}

int cab_store_audit_verify(struct cab_store *st, int64_t *rows, int64_t *bad_seq, char *why,
                           size_t whysize)
{
	int rc = 0;
	int r = verify_db(st->db, rows, bad_seq, why, whysize, &rc);
	if (r < 0)
		return st_sql_fail(st, rc, "reading the audit log");
	if (r == 1)
		cab_err("store", "audit chain broken at row %lld: %s", (long long)*bad_seq, why);
	return r;
}

int cab_store_audit_verify_file(const char *db_path, int64_t *rows, int64_t *bad_seq,
                                char *why, size_t whysize)
{
	sqlite3 *db = NULL;
	int rc = 0, r;
	char uri[PATH_MAX + 32];
	*rows = 0;
	*bad_seq = 0;
	snprintf(uri, sizeof uri, "file:%s?mode=ro", db_path);
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		/* A damaged file is reported as such, even where the audit pages are intact. */
		sqlite3_stmt *q = NULL;
		rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &q, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(q, 0);
			rc = t && !strcmp(t, "ok") ? SQLITE_OK : SQLITE_CORRUPT;
		}
		sqlite3_finalize(q);
		r = rc == SQLITE_OK ? verify_db(db, rows, bad_seq, why, whysize, &rc) : -1;
		if (r >= 0) {
			sqlite3_close_v2(db);
			return r;
		}
	}
	int status = st_sql_status(db, rc, "verifying the audit log", db_path, why, whysize);
	sqlite3_close_v2(db);
	return status;
}

int cab_audit_verify_main(const char *data_dir, FILE *out)
{
	char path[PATH_MAX], why[400];
	int64_t rows = 0, bad = 0;
	struct stat sb;
	if (!data_dir || snprintf(path, sizeof path, "%s/cabin.db", data_dir) >= (int)sizeof path) {
		fprintf(out, "error: bad data directory\n");
		return 1;
	}
	if (stat(path, &sb) != 0) {
		fprintf(out, "error: no database at %s\n", path);
		return 1;
	}
	int r = cab_store_audit_verify_file(path, &rows, &bad, why, sizeof why);
	if (r == 0) {
		fprintf(out, "ok %lld\n", (long long)rows);
		return 0;
	}
	if (r == 1)
		fprintf(out, "broken at row %lld: %s\n", (long long)bad, why);
	else
		fprintf(out, "error: %s\n", why);
	return 1;
}
