/* store_testlib.c — see store_testlib.h. */
#include "store_testlib.h"

#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void tl_mkdtemp(char out[256])
{
	const char *t = getenv("TMPDIR");
	snprintf(out, 256, "%s/cabin-store-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(out)) {
		perror("mkdtemp");
		abort();
	}
}

void tl_rmrf(const char *path)
{
	char cmd[512];
	if (strncmp(path, "/tmp/", 5) && !(getenv("TMPDIR") && !strncmp(path, getenv("TMPDIR"),
	                                                                  strlen(getenv("TMPDIR")))))
		return;
	/* and PATH-private, where the store keeps the cabin key of a data directory PATH */
	snprintf(cmd, sizeof cmd, "chmod -R u+rwX '%s' '%s-private' 2>/dev/null; rm -rf '%s' '%s-private'",
	         path, path, path, path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", path);
}

void tl_patient(struct cab_store_identity *id)
{
	memset(id, 0, sizeof *id);
	snprintf(id->birth_name, sizeof id->birth_name, "ZORGLUBOVSKI");
	snprintf(id->first_names, sizeof id->first_names, "Quentilla Marjolaine");
	snprintf(id->birth_date, sizeof id->birth_date, "1984-12-07");
	snprintf(id->sex, sizeof id->sex, "F");
	snprintf(id->birth_place, sizeof id->birth_place, "75056");
	snprintf(id->nir, sizeof id->nir, "284127505612345");
	snprintf(id->phone, sizeof id->phone, "+33699887766");
}

void tl_reading(struct cab_reading *r, int64_t t_ms)
{
	memset(r, 0, sizeof *r);
	r->mdc = 0x00024BB8; /* MDC_PULS_OXIM_SAT_O2 */
	r->value_kind = CAB_VALUE_NUMBER;
	r->value = 97.25;
	snprintf(r->ucum, sizeof r->ucum, "%%");
	r->device_time_ms = INT64_MIN;
	r->cabin_time_ms = t_ms;
	r->flags = CAB_RF_SIGNAL_WEAK;
	r->measurement_status = 0x0020;
	r->person_id = 0xFFFF;
	r->device.kind = CAB_KIND_PULSE_OXIMETER;
	snprintf(r->device.driver, sizeof r->device.driver, "cms50");
	snprintf(r->device.model, sizeof r->device.model, "CMS50D+");
	snprintf(r->device.manufacturer, sizeof r->device.manufacturer, "Contec");
	snprintf(r->device.serial, sizeof r->device.serial, "SIM-0001");
	snprintf(r->device.firmware, sizeof r->device.firmware, "4.6");
	r->device.vid = 0x10c4;
	r->device.pid = 0xea60;
	r->device.simulated = 1;
}

struct cab_store *tl_open(const char *dir)
{
	struct cab_store_options o = {.data_dir = dir};
	struct cab_store *st = NULL;
	char msg[400];
	if (cab_store_open(&o, &st, msg, sizeof msg) != 0) {
		fprintf(stderr, "tl_open(%s): %s\n", dir, msg);
		abort();
	}
	return st;
}

unsigned char *tl_read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	*n = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *buf = malloc((size_t)size + 1);
	if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf)
		*n = (size_t)size;
	return buf;
}

int tl_file_contains(const char *path, const void *needle, size_t n)
{
	size_t len;
	unsigned char *buf = tl_read_file(path, &len);
	int found = buf && n && memmem(buf, len, needle, n) != NULL;
	free(buf);
	return found;
}

int tl_file_contains_text(const char *path, const char *text)
{
	size_t n = strlen(text);
	unsigned char *le = calloc(2 * n + 2, 1), *be = calloc(2 * n + 2, 1);
	for (size_t i = 0; i < n; i++) {
		le[2 * i] = (unsigned char)text[i];
		be[2 * i + 1] = (unsigned char)text[i];
	}
	int found = tl_file_contains(path, text, n) || tl_file_contains(path, le, 2 * n) ||
	            tl_file_contains(path, be, 2 * n);
	free(le);
	free(be);
	return found;
}

int64_t tl_sql_int(const char *db_path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int64_t v = -1;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	else
		fprintf(stderr, "tl_sql_int(%s): %s\n", sql, db ? sqlite3_errmsg(db) : "?");
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

int tl_sql_exec(const char *db_path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "tl_sql_exec(%s): %s\n", sql, db ? sqlite3_errmsg(db) : "?");
	sqlite3_close(db);
	return rc;
}

void tl_file_sha256(const char *path, char out[65])
{
	size_t n;
	unsigned char *buf = tl_read_file(path, &n), d[32];
	unsigned int dl = 0;
	out[0] = 0;
	if (!buf)
		return;
	EVP_Digest(buf, n, d, &dl, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	free(buf);
}
