/* store_testlib.h — helpers for the store and config tests: scratch directories,
 * a synthetic patient, byte searches in files (plain, UTF-16LE/BE), raw sqlite
 * queries on a database file. */
#ifndef CABIN_STORE_TESTLIB_H
#define CABIN_STORE_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"
#include "kiosk/store/store.h"

/* Makes a fresh directory under $TMPDIR (or /tmp) into OUT (256 bytes). Aborts on
 * failure. */
void tl_mkdtemp(char out[256]);

/* rm -rf PATH (only below /tmp or $TMPDIR). */
void tl_rmrf(const char *path);

/* The synthetic patient of every store test (no real person). */
void tl_patient(struct cab_store_identity *id);

/* A synthetic pulse-oximeter reading (SpO2 97 %) with cabin time T_MS. */
void tl_reading(struct cab_reading *r, int64_t t_ms);

/* Opens DIR's store with defaults; aborts the test on failure. */
struct cab_store *tl_open(const char *dir);

/* Returns 1 when file PATH contains NEEDLE (N bytes) anywhere, 0 if not or absent. */
int tl_file_contains(const char *path, const void *needle, size_t n);

/* Returns 1 when PATH contains TEXT as UTF-8, UTF-16LE or UTF-16BE (ASCII/Latin-1
 * text), 0 otherwise. */
int tl_file_contains_text(const char *path, const char *text);

/* Runs SQL returning one integer on the database file PATH (own connection). */
int64_t tl_sql_int(const char *db_path, const char *sql);

/* Runs SQL with no result on PATH. Returns the sqlite result code. */
int tl_sql_exec(const char *db_path, const char *sql);

/* Reads file PATH into a malloc'd buffer; *N gets its size. NULL if absent. */
unsigned char *tl_read_file(const char *path, size_t *n);

/* SHA-256 of file PATH as 64 hex characters + NUL ("" when absent). */
void tl_file_sha256(const char *path, char out[65]);

#endif
