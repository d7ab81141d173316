/* store_internal.h — what the files of kiosk/store/ share and nobody else sees: the
 * handle, error reporting, transactions, sealing with AES-256-GCM and the pieces of
 * the wipe and the audit chain that run inside a caller's transaction. */
#ifndef CABIN_STORE_INTERNAL_H
#define CABIN_STORE_INTERNAL_H

#include <limits.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/store/store.h"
#include "log.h"

#define ST_KEY_LEN 32   /* AES-256 */
#define ST_NONCE_LEN 12 /* GCM IV, NIST SP 800-38D §8.2.2 (random) */
#define ST_TAG_LEN 16
#define ST_SEAL_HDR 2   /* "C1": format and version of a sealed blob */
#define ST_SEAL_OVERHEAD (ST_SEAL_HDR + ST_NONCE_LEN + ST_TAG_LEN)
#define ST_MAX_PLAIN (4u << 20) /* hard maximum of one sealed value (4 MiB) */

/* One open database connection and the cabin key. */
#define ST_SENT_Q 128 /* deferred "sent" notes of the outbox handle, at most */

struct cab_store {
	sqlite3 *db;                          /* own connection, one thread at a time */
	unsigned char cabin_key[ST_KEY_LEN];  /* from the key file; cleansed on close */
	char data_dir[PATH_MAX];
	char db_path[PATH_MAX];
	char key_path[PATH_MAX];
	int64_t (*wall_ms)(void *user);       /* epoch ms clock */
	void *clock_user;
	char err[320];                        /* last message for the screen */
	int failed;                           /* open failed: never checkpoint */
	/* outbox handle: "sent" notes waiting to be written with the next transaction
	 * (outbox.c, flush_sent): a lost note only means an earlier resend */
	struct {
		char id[40];
		int64_t at_ms;
	} sent_q[ST_SENT_Q];
	int n_sent;
};

/* Writes the outbox handle's deferred "sent" notes in their own transaction (at
 * close; outbox.c). */
void st_outbox_flush_notes(struct cab_store *st);

/* Epoch ms from the store's clock. */
int64_t st_now(struct cab_store *st);

/* Records STATUS with a message (printf) in st->err, logs it, returns STATUS. */
int st_fail(struct cab_store *st, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Maps a sqlite result RC during WHAT to a status with a clear message. */
int st_sql_fail(struct cab_store *st, int rc, const char *what);

/* Same mapping without a handle: writes the message to MSG. */
int st_sql_status(sqlite3 *db, int rc, const char *what, const char *path, char *msg,
                  size_t msgsize);

/* Runs SQL with no result rows. Returns 0 or a status. */
int st_exec(struct cab_store *st, const char *sql);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback never fails loudly). */
int st_begin(struct cab_store *st);
int st_commit(struct cab_store *st);
void st_rollback(struct cab_store *st);

/* Prepares SQL or fails with a status. */
int st_prepare(struct cab_store *st, const char *sql, sqlite3_stmt **stmt);

/* Builds the additional authenticated data that binds a sealed value to its place:
 * "cabin/1|TABLE|COLUMN|ROW|SESSION". Returns its length or -1 if it does not fit. */
int st_aad(char *buf, size_t size, const char *table, const char *column, const char *row,
           const char *sid);

/* AES-256-GCM: seals PLAIN (LEN bytes) under KEY with AAD into a malloc'd blob
 * "C1" | nonce(12) | ciphertext | tag(16); *OUT_LEN gets its size. Returns 0 or a
 * status. */
int st_seal(const unsigned char key[ST_KEY_LEN], const char *aad, const void *plain,
            size_t len, unsigned char **out, size_t *out_len);

/* Opens a blob made by st_seal(): returns 0 with a malloc'd plaintext (one extra NUL
 * byte after it) or CAB_STORE_TAMPERED when the tag, AAD, key or format do not
 * match (nothing is returned then). */
int st_unseal(const unsigned char key[ST_KEY_LEN], const char *aad, const void *blob,
              size_t blob_len, unsigned char **out, size_t *out_len);

/* Loads and unwraps the data key of session SID into KEY. CAB_STORE_NOKEY when it was
 * destroyed, CAB_STORE_NOTFOUND when the session does not exist. */
int st_session_key(struct cab_store *st, const char *sid, unsigned char key[ST_KEY_LEN]);

/* Seals a value of session SID for (TABLE, COLUMN, ROW): loads the key, seals. */
int st_seal_for(struct cab_store *st, const char *sid, const char *table,
                const char *column, const char *row, const void *plain, size_t len,
                unsigned char **out, size_t *out_len);
/* The reverse; reports tampering with the place in the message. */
int st_unseal_for(struct cab_store *st, const char *sid, const char *table,
                  const char *column, const char *row, const void *blob, size_t blob_len,
                  unsigned char **out, size_t *out_len);

/* Loads the cabin key file (mode 0600, owner only); creates it when missing unless
 * DB_EXISTS (a database without its key is refused, never given a new key). */
int st_cabin_key_load(struct cab_store *st, int db_exists);

/* Makes a random data key for session SID, sealed under the cabin key. */
int st_new_wrapped_key(struct cab_store *st, const char *sid, unsigned char **out,
                       size_t *out_len);

/* Appends an audit row; the caller holds a write transaction. */
int st_audit_append(struct cab_store *st, enum cab_audit_actor kind, const char *actor_id,
                    const char *action, const char *detail);

/* Wipe steps inside the caller's transaction (see cab_store_session_wipe()). */
int st_wipe_locked(struct cab_store *st, const char *sid, enum cab_store_outcome outcome);

/* Queues an outbox message inside the caller's transaction (see
 * cab_store_outbox_put()). */
int st_outbox_put_locked(struct cab_store *st, const char *sid, const char *type,
                         const char *body, int personal, const char *id, char id_out[37]);

/* Registers or updates an instrument inside the caller's transaction; fills IN->id. */
int st_instrument_upsert_locked(struct cab_store *st, struct cab_store_instrument *in);

/* PRAGMA wal_checkpoint(TRUNCATE); logs when another reader prevents it. */
int st_checkpoint(struct cab_store *st);

/* Migrates the schema forward to TARGET (0 = latest). */
int st_migrate(struct cab_store *st, int target);

/* Checks that SID looks like a session id (1..36 chars of [0-9a-f-]). */
int st_valid_sid(const char *sid);

/* malloc that the fault switch (kiosk/store/fault.h) can make fail. */
void *st_malloc(size_t n);

#endif
