/* records.c — the personal records of a session, each sealed with the session's data
 * key before it reaches sqlite: identity, consent answers, readings. The plaintext is
 * a small JSON object (jansson) that exists only in memory and is cleansed after
 * use. AAD binds each blob to its table, column, row id and session. */
#include <jansson.h>
#include <math.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/store/store_internal.h"

/* Frees a plaintext after overwriting it. */
static void free_plain(char *p)
{
	if (p) {
		OPENSSL_cleanse(p, strlen(p));
		free(p);
	}
}

/* Copies string member KEY of OBJ into DST (SIZE bytes); -1 if absent, not a string
 * or too long. */
static int get_str(json_t *obj, const char *key, char *dst, size_t size)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v) || json_string_length(v) >= size)
		return -1;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* Seals JSON J for (TABLE, COLUMN, ROW) of SID. */
static int seal_json(struct cab_store *st, const char *sid, const char *table,
                     const char *column, const char *row, json_t *j, unsigned char **blob,
                     size_t *blen)
{
	if (!j)
		return st_fail(st, CAB_STORE_NOMEM, "Out of memory encoding %s", table);
	char *text = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!text)
		return st_fail(st, CAB_STORE_NOMEM, "Out of memory encoding %s", table);
	int status = st_seal_for(st, sid, table, column, row, text, strlen(text), blob, blen);
	free_plain(text);
	return status;
}

/* Opens the blob of column I of Q and parses it as a JSON object into *OUT. */
static int unseal_json(struct cab_store *st, const char *sid, const char *table,
                       const char *column, const char *row, sqlite3_stmt *q, int i, json_t **out)
{
	unsigned char *plain = NULL;
	size_t plen = 0;
	*out = NULL;
	int status = st_unseal_for(st, sid, table, column, row, sqlite3_column_blob(q, i),
	                           (size_t)sqlite3_column_bytes(q, i), &plain, &plen);
	if (status)
		return status;
	json_error_t err;
	*out = json_loadb((const char *)plain, plen, 0, &err);
	free_plain((char *)plain);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return st_fail(st, CAB_STORE_ERR, "Decrypted %s of session %s is not a record", table, sid);
	}
	return CAB_STORE_OK;
}

/* Runs Q (already bound) as a write in its own transaction with an audit row. */
static int write_one(struct cab_store *st, sqlite3_stmt *q, const char *sid, const char *what)
{
	int status = st_begin(st);
	if (status)
		return status;
	int rc = sqlite3_step(q);
	if (rc != SQLITE_DONE) {
		status = st_sql_fail(st, rc, what);
		st_rollback(st);
		return status;
	}
	if ((status = st_audit_append(st, CAB_ACTOR_SESSION, sid, what, "")) ||
	    (status = st_commit(st)))
		st_rollback(st);
	return status;
}

int cab_store_identity_put(struct cab_store *st, const char *sid,
                           const struct cab_store_identity *id)
{
	unsigned char *blob = NULL;
	size_t blen = 0;
	sqlite3_stmt *q = NULL;
	if (!st_valid_sid(sid) || !id)
		return st_fail(st, CAB_STORE_INVALID, "Bad identity arguments");
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	                      "birth_name", id->birth_name, "first_names", id->first_names,
	                      "used_name", id->used_name, "birth_date", id->birth_date,
	                      "sex", id->sex, "birth_place", id->birth_place, "nir", id->nir,
	                      "phone", id->phone);
	int status = seal_json(st, sid, "identities", "data", sid, j, &blob, &blen);
	json_decref(j);
	if (status)
		return status;
	if (!(status = st_prepare(st, "INSERT OR REPLACE INTO identities(session_id, recorded_ms, data)"
	                              " VALUES(?, ?, ?)", &q))) {
		sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, st_now(st));
		sqlite3_bind_blob(q, 3, blob, (int)blen, SQLITE_STATIC);
		status = write_one(st, q, sid, "identity_recorded");
	}
	sqlite3_finalize(q);
	free(blob);
	return status;
}

int cab_store_identity_get(struct cab_store *st, const char *sid,
                           struct cab_store_identity *out)
{
	sqlite3_stmt *q = NULL;
	json_t *j = NULL;
	memset(out, 0, sizeof *out);
	if (!st_valid_sid(sid))
		return st_fail(st, CAB_STORE_INVALID, "Bad session id");
	int status = st_prepare(st, "SELECT data FROM identities WHERE session_id = ?", &q);
	if (status)
		return status;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_DONE)
		status = st_fail(st, CAB_STORE_NOTFOUND, "No identity for session %s", sid);
	else if (rc != SQLITE_ROW)
		status = st_sql_fail(st, rc, "reading an identity");
	else if (!(status = unseal_json(st, sid, "identities", "data", sid, q, 0, &j))) {
		if (get_str(j, "birth_name", out->birth_name, sizeof out->birth_name) ||
		    get_str(j, "first_names", out->first_names, sizeof out->first_names) ||
		    get_str(j, "used_name", out->used_name, sizeof out->used_name) ||
		    get_str(j, "birth_date", out->birth_date, sizeof out->birth_date) ||
		    get_str(j, "sex", out->sex, sizeof out->sex) ||
		    get_str(j, "birth_place", out->birth_place, sizeof out->birth_place) ||
		    get_str(j, "nir", out->nir, sizeof out->nir) ||
		    get_str(j, "phone", out->phone, sizeof out->phone))
			status = st_fail(st, CAB_STORE_ERR, "Identity record of session %s is malformed", sid);
	}
	if (status)
		OPENSSL_cleanse(out, sizeof *out);
	json_decref(j);
	sqlite3_finalize(q);
	return status;
}

int cab_store_consent_put(struct cab_store *st, const char *sid,
                          const struct cab_store_consent *c)
{
	unsigned char *blob = NULL;
	size_t blen = 0;
	sqlite3_stmt *q = NULL;
	if (!st_valid_sid(sid) || !c || c->n_answers < 0 || c->n_answers > CAB_STORE_MAX_ANSWERS)
		return st_fail(st, CAB_STORE_INVALID, "Bad consent arguments");
	json_t *j = json_object(), *arr = json_array();
	for (int i = 0; j && arr && i < c->n_answers; i++)
		json_array_append_new(arr, json_pack("{s:s, s:b}", "q", c->answers[i].question,
		                                     "a", c->answers[i].accepted));
	json_object_set_new(j, "answers", arr);
	int status = seal_json(st, sid, "consents", "answers", sid, j, &blob, &blen);
	json_decref(j);
	if (status)
		return status;
	if (!(status = st_prepare(st, "INSERT OR REPLACE INTO consents(session_id, text_version,"
	                              " language, recorded_ms, answers) VALUES(?, ?, ?, ?, ?)", &q))) {
		sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, c->text_version, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, c->language, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 4, c->recorded_ms ? c->recorded_ms : st_now(st));
		sqlite3_bind_blob(q, 5, blob, (int)blen, SQLITE_STATIC);
		status = write_one(st, q, sid, "consent_recorded");
	}
	sqlite3_finalize(q);
	free(blob);
	return status;
}

int cab_store_consent_get(struct cab_store *st, const char *sid,
                          struct cab_store_consent *out)
{
	sqlite3_stmt *q = NULL;
	json_t *j = NULL;
	memset(out, 0, sizeof *out);
	if (!st_valid_sid(sid))
		return st_fail(st, CAB_STORE_INVALID, "Bad session id");
	int status = st_prepare(st, "SELECT text_version, language, recorded_ms, answers FROM consents"
	                            " WHERE session_id = ?", &q);
	if (status)
		return status;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_DONE)
		status = st_fail(st, CAB_STORE_NOTFOUND, "No consent for session %s", sid);
	else if (rc != SQLITE_ROW)
		status = st_sql_fail(st, rc, "reading a consent");
	else if (!(status = unseal_json(st, sid, "consents", "answers", sid, q, 3, &j))) {
		snprintf(out->text_version, sizeof out->text_version, "%s",
		         (const char *)sqlite3_column_text(q, 0));
		snprintf(out->language, sizeof out->language, "%s", (const char *)sqlite3_column_text(q, 1));
		out->recorded_ms = sqlite3_column_int64(q, 2);
		json_t *arr = json_object_get(j, "answers");
		size_t n = json_array_size(arr);
		if (!json_is_array(arr) || n > CAB_STORE_MAX_ANSWERS)
			status = st_fail(st, CAB_STORE_ERR, "Consent record of session %s is malformed", sid);
		for (size_t i = 0; !status && i < n; i++) {
			json_t *a = json_array_get(arr, i);
			if (get_str(a, "q", out->answers[i].question, sizeof out->answers[i].question) ||
			    !json_is_boolean(json_object_get(a, "a")))
				status = st_fail(st, CAB_STORE_ERR, "Consent record of session %s is malformed", sid);
			else
				out->answers[i].accepted = json_is_true(json_object_get(a, "a"));
		}
		out->n_answers = status ? 0 : (int)n;
	}
	if (status)
		memset(out, 0, sizeof *out);
	json_decref(j);
	sqlite3_finalize(q);
	return status;
}

/* The reading as JSON (every field, so that it reads back the same). */
static json_t *reading_to_json(const struct cab_reading *r)
{
	const struct cab_device_id *d = &r->device;
	return json_pack("{s:I, s:i, s:f, s:s, s:I, s:I, s:I, s:i, s:i, s:{s:i, s:s, s:s, s:s, s:s,"
	                 " s:s, s:s, s:i, s:i, s:i}}",
	                 "mdc", (json_int_t)r->mdc, "vk", (int)r->value_kind,
	                 "v", isfinite(r->value) ? r->value : 0.0, "ucum", r->ucum,
	                 "dt", (json_int_t)r->device_time_ms, "ct", (json_int_t)r->cabin_time_ms,
	                 "flags", (json_int_t)r->flags, "ms", (int)r->measurement_status,
	                 "pid", (int)r->person_id, "dev", "kind", (int)d->kind, "driver", d->driver,
	                 "model", d->model, "manufacturer", d->manufacturer, "serial", d->serial,
	                 "firmware", d->firmware, "system_id", d->system_id, "vid", (int)d->vid,
	                 "pid", (int)d->pid, "sim", d->simulated);
}

static int reading_from_json(json_t *j, struct cab_reading *r)
{
	json_t *d = json_object_get(j, "dev");
	memset(r, 0, sizeof *r);
	if (!json_is_object(d) || !json_is_integer(json_object_get(j, "mdc")) ||
	    !json_is_number(json_object_get(j, "v")))
		return -1;
	r->mdc = (uint32_t)json_integer_value(json_object_get(j, "mdc"));
	r->value_kind = (enum cab_value_kind)json_integer_value(json_object_get(j, "vk"));
	r->value = json_number_value(json_object_get(j, "v"));
	r->device_time_ms = json_integer_value(json_object_get(j, "dt"));
	r->cabin_time_ms = json_integer_value(json_object_get(j, "ct"));
	r->flags = (uint32_t)json_integer_value(json_object_get(j, "flags"));
	r->measurement_status = (uint16_t)json_integer_value(json_object_get(j, "ms"));
	r->person_id = (uint16_t)json_integer_value(json_object_get(j, "pid"));
	r->device.kind = (enum cab_device_kind)json_integer_value(json_object_get(d, "kind"));
	r->device.vid = (uint16_t)json_integer_value(json_object_get(d, "vid"));
	r->device.pid = (uint16_t)json_integer_value(json_object_get(d, "pid"));
	r->device.simulated = (int)json_integer_value(json_object_get(d, "sim"));
	if (get_str(j, "ucum", r->ucum, sizeof r->ucum) ||
	    get_str(d, "driver", r->device.driver, sizeof r->device.driver) ||
	    get_str(d, "model", r->device.model, sizeof r->device.model) ||
	    get_str(d, "manufacturer", r->device.manufacturer, sizeof r->device.manufacturer) ||
	    get_str(d, "serial", r->device.serial, sizeof r->device.serial) ||
	    get_str(d, "firmware", r->device.firmware, sizeof r->device.firmware) ||
	    get_str(d, "system_id", r->device.system_id, sizeof r->device.system_id))
		return -1;
	return 0;
}

int cab_store_reading_put(struct cab_store *st, const char *sid, const struct cab_reading *r,
                          char id_out[37])
{
	unsigned char *blob = NULL;
	size_t blen = 0;
	sqlite3_stmt *q = NULL;
	char rid[37];
	struct cab_store_instrument in = {0};
	if (id_out)
		id_out[0] = 0;
	if (!st_valid_sid(sid) || !r)
		return st_fail(st, CAB_STORE_INVALID, "Bad reading arguments");
	if (cab_uuid_v4(rid))
		return st_fail(st, CAB_STORE_ERR, "No random bytes for a reading id");
	json_t *j = reading_to_json(r);
	int status = seal_json(st, sid, "readings", "data", rid, j, &blob, &blen);
	json_decref(j);
	if (status)
		return status;
	snprintf(in.kind, sizeof in.kind, "%s", cab_device_kind_name(r->device.kind));
	snprintf(in.model, sizeof in.model, "%s", r->device.model);
	snprintf(in.serial, sizeof in.serial, "%s", r->device.serial);
	snprintf(in.firmware, sizeof in.firmware, "%s", r->device.firmware);
	if ((status = st_begin(st)))
		goto out;
	if ((status = st_instrument_upsert_locked(st, &in)) ||
	    (status = st_prepare(st, "INSERT INTO readings(id, session_id, instrument_id, data) "
	                             "VALUES(?, ?, ?, ?)", &q)))
		goto fail;
	sqlite3_bind_text(q, 1, rid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, sid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, in.id);
	sqlite3_bind_blob(q, 4, blob, (int)blen, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	q = NULL;
	if (rc != SQLITE_DONE) {
		status = st_sql_fail(st, rc, "storing a reading");
		goto fail;
	}
	if ((status = st_prepare(st, "INSERT OR IGNORE INTO session_instruments(session_id,"
	                             " instrument_id) VALUES(?, ?)", &q)))
		goto fail;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, in.id);
	rc = sqlite3_step(q);
	if (rc != SQLITE_DONE) {
		status = st_sql_fail(st, rc, "noting a session's instrument");
		goto fail;
	}
	if ((status = st_commit(st)))
		goto fail;
	if (id_out)
		memcpy(id_out, rid, 37);
	goto out;
fail:
	st_rollback(st);
out:
	sqlite3_finalize(q);
	free(blob);
	return status;
}

int cab_store_readings_each(struct cab_store *st, const char *sid,
                            int (*fn)(void *user, const struct cab_reading *r), void *user)
{
	sqlite3_stmt *q = NULL;
	int n = 0, rc;
	if (!st_valid_sid(sid))
		return st_fail(st, CAB_STORE_INVALID, "Bad session id");
	int status = st_prepare(st, "SELECT id, data FROM readings WHERE session_id = ? ORDER BY rowid", &q);
	if (status)
		return status;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	while (!status && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		json_t *j = NULL;
		struct cab_reading r;
		char rid[40];
		snprintf(rid, sizeof rid, "%s", (const char *)sqlite3_column_text(q, 0));
		if ((status = unseal_json(st, sid, "readings", "data", rid, q, 1, &j)))
			break;
		if (reading_from_json(j, &r))
			status = st_fail(st, CAB_STORE_ERR, "Reading %s is malformed", rid);
		json_decref(j);
		if (!status && fn)
			status = fn(user, &r) ? CAB_STORE_ERR : CAB_STORE_OK;
		OPENSSL_cleanse(&r, sizeof r);
		n++;
	}
	if (!status && rc != SQLITE_DONE)
		status = st_sql_fail(st, rc, "reading readings");
	sqlite3_finalize(q);
	return status ? status : n;
}
