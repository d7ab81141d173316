/* session.c — the life of a session in the store: begin (fresh data key), close
 * (hand-off queued, or wipe at once), and the wipe itself, after which only
 * pseudonymous facts remain: id, times, outcome, incidents, instrument ids. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/store/store_internal.h"

const char *cab_store_outcome_name(enum cab_store_outcome outcome)
{
	switch (outcome) {
	case CAB_OUTCOME_COMPLETED: return "completed";
	case CAB_OUTCOME_REFUSED: return "refused";
	case CAB_OUTCOME_ABORTED: return "aborted";
	case CAB_OUTCOME_TIMEOUT: return "timeout";
	case CAB_OUTCOME_INTERRUPTED: return "interrupted";
	case CAB_OUTCOME_ERROR: return "error";
	}
	return "error";
}

/* Runs a one-parameter statement (SID) that returns no row. */
static int exec_sid(struct cab_store *st, const char *sql, const char *sid)
{
	sqlite3_stmt *q = NULL;
	int status = st_prepare(st, sql, &q);
	if (status)
		return status;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? CAB_STORE_OK : st_sql_fail(st, rc, "erasing session data");
}

/* Reads the state of SID into STATE (12 bytes). */
static int session_state(struct cab_store *st, const char *sid, char state[12])
{
	sqlite3_stmt *q = NULL;
	int status = st_prepare(st, "SELECT state FROM sessions WHERE id = ?", &q);
	if (status)
		return status;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		snprintf(state, 12, "%s", (const char *)sqlite3_column_text(q, 0));
	else if (rc == SQLITE_DONE)
		status = st_fail(st, CAB_STORE_NOTFOUND, "No session %s", sid);
	else
		status = st_sql_fail(st, rc, "reading a session");
	sqlite3_finalize(q);
	return status;
}

int cab_store_session_begin(struct cab_store *st, const char *language, char id_out[37])
{
	unsigned char *wrapped = NULL;
	size_t wlen = 0;
	sqlite3_stmt *q = NULL;
	char sid[37];
	int status, rc;

	id_out[0] = 0;
	if (!language)
		language = "";
	if (strlen(language) > 7)
		return st_fail(st, CAB_STORE_INVALID, "Language code too long");
	if (cab_uuid_v4(sid))
		return st_fail(st, CAB_STORE_ERR, "No random bytes for a session id");
	if ((status = st_new_wrapped_key(st, sid, &wrapped, &wlen)))
		return status;
	if ((status = st_begin(st)))
		goto out;
	if ((status = st_prepare(st, "INSERT INTO sessions(id, state, language, started_ms) "
	                             "VALUES(?, 'open', ?, ?)", &q)))
		goto fail;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, language, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, st_now(st));
	if ((rc = sqlite3_step(q)) != SQLITE_DONE) {
		status = st_sql_fail(st, rc, "starting a session");
		goto fail;
	}
	sqlite3_finalize(q);
	if ((status = st_prepare(st, "INSERT INTO session_keys(session_id, wrapped) VALUES(?, ?)", &q)))
		goto fail;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 2, wrapped, (int)wlen, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) != SQLITE_DONE) {
		status = st_sql_fail(st, rc, "storing a session key");
		goto fail;
	}
	if ((status = st_audit_append(st, CAB_ACTOR_SESSION, sid, "session_begin", language)) ||
	    (status = st_commit(st)))
		goto fail;
	memcpy(id_out, sid, 37);
	goto out;
fail:
	st_rollback(st);
out:
	sqlite3_finalize(q);
	free(wrapped);
	return status;
}

int st_wipe_locked(struct cab_store *st, const char *sid, enum cab_store_outcome outcome)
{
	static const char *const erase[] = {
		"DELETE FROM session_keys WHERE session_id = ?1",
		"DELETE FROM identities WHERE session_id = ?1",
		"DELETE FROM consents WHERE session_id = ?1",
		"DELETE FROM readings WHERE session_id = ?1",
		("UPDATE outbox SET body = NULL, state = 'dropped' "
		 "WHERE session_id = ?1 AND personal = 1 AND state = 'pending'"),
		"UPDATE outbox SET body = NULL WHERE session_id = ?1 AND personal = 1",
	};
	int status;
	for (size_t i = 0; i < sizeof erase / sizeof erase[0]; i++)
		if ((status = exec_sid(st, erase[i], sid)))
			return status;
	sqlite3_stmt *q = NULL;
	if ((status = st_prepare(st, "UPDATE sessions SET state = 'wiped', "
	                             "outcome = coalesce(outcome, ?2), "
	                             "ended_ms = coalesce(ended_ms, ?3), wiped_ms = ?3 "
	                             "WHERE id = ?1 AND state <> 'wiped'", &q)))
		return status;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, cab_store_outcome_name(outcome), -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, st_now(st));
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return st_sql_fail(st, rc, "marking a session wiped");
	if (sqlite3_changes(st->db) == 0)
		return CAB_STORE_OK; /* already wiped: nothing more to record */
	return st_audit_append(st, CAB_ACTOR_CABIN, "cabin", "session_wiped", sid);
}

int cab_store_session_wipe(struct cab_store *st, const char *sid,
                           enum cab_store_outcome outcome)
{
	char state[12];
	int status;
	if (!st_valid_sid(sid))
		return st_fail(st, CAB_STORE_INVALID, "Bad session id");
	if ((status = st_begin(st)))
		return status;
	if ((status = session_state(st, sid, state)) ||
	    (status = st_wipe_locked(st, sid, outcome)) || (status = st_commit(st))) {
		st_rollback(st);
		return status;
	}
	cab_info("store", "session %s wiped (%s)", sid, cab_store_outcome_name(outcome));
	return st_checkpoint(st);
}

int cab_store_session_destroy_key(struct cab_store *st, const char *sid)
{
	if (!st_valid_sid(sid))
		return st_fail(st, CAB_STORE_INVALID, "Bad session id");
	return exec_sid(st, "DELETE FROM session_keys WHERE session_id = ?1", sid);
}

int cab_store_session_close(struct cab_store *st, const char *sid,
                            enum cab_store_outcome outcome, const char *handoff_id,
                            const char *handoff_body)
{
	char state[12];
	int status;
	if (!st_valid_sid(sid))
		return st_fail(st, CAB_STORE_INVALID, "Bad session id");
	if ((outcome == CAB_OUTCOME_COMPLETED) != (handoff_body != NULL) ||
	    (handoff_id && !handoff_body))
		return st_fail(st, CAB_STORE_INVALID,
		               "A completed session needs its hand-off record, and only it");
	if (outcome != CAB_OUTCOME_COMPLETED)
		return cab_store_session_wipe(st, sid, outcome);
	if ((status = session_state(st, sid, state)))
		return status;
	if (strcmp(state, "open") != 0)
		return st_fail(st, CAB_STORE_INVALID, "Session %s is already %s", sid, state);
	/* The hand-off message and the state change commit together. */
	if ((status = st_begin(st)))
		return status;
	sqlite3_stmt *q = NULL;
	if ((status = st_outbox_put_locked(st, sid, CAB_STORE_HANDOFF_TYPE, handoff_body, 1,
	                                   handoff_id, NULL)) ||
	    (status = st_prepare(st, "UPDATE sessions SET state = 'closing', outcome = ?2, "
	                             "ended_ms = ?3 WHERE id = ?1", &q)))
		goto fail;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, cab_store_outcome_name(outcome), -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, st_now(st));
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		status = st_sql_fail(st, rc, "closing a session");
		goto fail;
	}
	if ((status = st_audit_append(st, CAB_ACTOR_SESSION, sid, "session_close",
	                              cab_store_outcome_name(outcome))) ||
	    (status = st_commit(st)))
		goto fail;
	return CAB_STORE_OK;
fail:
	st_rollback(st);
	return status;
}

int cab_store_session_get(struct cab_store *st, const char *sid,
                          struct cab_store_session_info *out)
{
	sqlite3_stmt *q = NULL;
	memset(out, 0, sizeof *out);
	int status = st_prepare(st, "SELECT id, state, coalesce(outcome, ''), language, started_ms,"
	                            " coalesce(ended_ms, 0), coalesce(wiped_ms, 0) FROM sessions"
	                            " WHERE id = ?", &q);
	if (status)
		return status;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		snprintf(out->id, sizeof out->id, "%s", (const char *)sqlite3_column_text(q, 0));
		snprintf(out->state, sizeof out->state, "%s", (const char *)sqlite3_column_text(q, 1));
		snprintf(out->outcome, sizeof out->outcome, "%s", (const char *)sqlite3_column_text(q, 2));
		snprintf(out->language, sizeof out->language, "%s", (const char *)sqlite3_column_text(q, 3));
		out->started_ms = sqlite3_column_int64(q, 4);
		out->ended_ms = sqlite3_column_int64(q, 5);
		out->wiped_ms = sqlite3_column_int64(q, 6);
	} else if (rc == SQLITE_DONE) {
		status = st_fail(st, CAB_STORE_NOTFOUND, "No session %s", sid);
	} else {
		status = st_sql_fail(st, rc, "reading a session");
	}
	sqlite3_finalize(q);
	return status;
}

int cab_store_session_find_open(struct cab_store *st, char sid_out[37])
{
	sqlite3_stmt *q = NULL;
	sid_out[0] = 0;
	int status = st_prepare(st, "SELECT id FROM sessions WHERE state = 'open' "
	                            "ORDER BY started_ms, id LIMIT 1", &q);
	if (status)
		return status;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		snprintf(sid_out, 37, "%s", (const char *)sqlite3_column_text(q, 0));
	else if (rc == SQLITE_DONE)
		status = CAB_STORE_NOTFOUND;
	else
		status = st_sql_fail(st, rc, "looking for an interrupted session");
	sqlite3_finalize(q);
	return status;
}

/* 1 when SID has a message of TYPE in the outbox (any state), 0 if not, or a status. */
static int outbox_has(struct cab_store *st, const char *sid, const char *type)
{
	sqlite3_stmt *q = NULL;
	int status = st_prepare(st, "SELECT 1 FROM outbox WHERE session_id = ? AND type = ? LIMIT 1", &q);
	if (status)
		return status;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, type, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : st_sql_fail(st, rc, "reading the outbox");
}

int cab_store_session_interrupt(struct cab_store *st, const char *sid, const char *incident_id,
                                const char *incident_body, const char *close_id,
                                const char *close_body)
{
	char state[12];
	int status, known;
	if (!st_valid_sid(sid) || !incident_body || !close_body)
		return st_fail(st, CAB_STORE_INVALID, "Bad interrupted session");
	if ((status = st_begin(st)))
		return status;
	if ((status = session_state(st, sid, state)))
		goto fail;
	if (strcmp(state, "open") != 0) {
		st_rollback(st);
		return st_fail(st, CAB_STORE_INVALID, "Session %s is already %s", sid, state);
	}
	if ((known = outbox_has(st, sid, "session_open")) < 0) {
		status = known;
		goto fail;
	}
	if (!known) {
		/* The station never heard of it (no consent given): nothing was agreed to be
		 * sent, so nothing is delivered; wipe now. */
		if ((status = cab_store_incident_add(st, sid, "session-interrupted",
		                                     "the cabin stopped during the session")) ||
		    (status = st_wipe_locked(st, sid, CAB_OUTCOME_INTERRUPTED)) ||
		    (status = st_audit_append(st, CAB_ACTOR_CABIN, "cabin", "session_interrupted",
		                              "wiped")) ||
		    (status = st_commit(st)))
			goto fail;
		st_checkpoint(st);
		return 0;
	}
	/* What the patient agreed to send is already in the outbox, sealed with the
	 * session key: keep the key and those messages, erase the local copies, and queue
	 * the incident then the closing message, whose acknowledgement wipes the rest. */
	static const char *const erase[] = {
		"DELETE FROM identities WHERE session_id = ?1",
		"DELETE FROM consents WHERE session_id = ?1",
		"DELETE FROM readings WHERE session_id = ?1",
	};
	for (size_t i = 0; i < sizeof erase / sizeof erase[0]; i++)
		if ((status = exec_sid(st, erase[i], sid)))
			goto fail;
	sqlite3_stmt *q = NULL;
	if ((status = cab_store_incident_add(st, sid, "session-interrupted",
	                                     "the cabin stopped during the session")) ||
	    (status = st_outbox_put_locked(st, sid, "incident", incident_body, 0, incident_id,
	                                   NULL)) ||
	    (status = st_outbox_put_locked(st, sid, CAB_STORE_HANDOFF_TYPE, close_body, 0, close_id,
	                                   NULL)) ||
	    (status = st_prepare(st, "UPDATE sessions SET state = 'closing', outcome = ?2, "
	                             "ended_ms = ?3 WHERE id = ?1", &q)))
		goto fail;
	sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, cab_store_outcome_name(CAB_OUTCOME_INTERRUPTED), -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, st_now(st));
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		status = st_sql_fail(st, rc, "closing an interrupted session");
		goto fail;
	}
	if ((status = st_audit_append(st, CAB_ACTOR_CABIN, "cabin", "session_interrupted",
	                              "delivering")) ||
	    (status = st_commit(st)))
		goto fail;
	st_checkpoint(st);
	return 1;
fail:
	st_rollback(st);
	return status;
}

int cab_store_outbox_expire(struct cab_store *st, int64_t max_age_ms,
                            void (*fn)(void *user, const char *sid, int64_t age_ms), void *user)
{
	sqlite3_stmt *q = NULL;
	char ids[16][37];
	int64_t ages[16];
	int n = 0, status;
	if (max_age_ms <= 0)
		return 0;
	int64_t now = st_now(st);
	if ((status = st_prepare(st, "SELECT session_id, min(created_ms) FROM outbox WHERE personal = 1"
	                             " AND state = 'pending' AND session_id <> ''"
	                             " GROUP BY session_id HAVING min(created_ms) <= ?1 LIMIT 16", &q)))
		return status;
	sqlite3_bind_int64(q, 1, now - max_age_ms);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		snprintf(ids[n], sizeof ids[0], "%s", (const char *)sqlite3_column_text(q, 0));
		ages[n++] = now - sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return st_sql_fail(st, rc, "looking for expired outbox messages");
	for (int i = 0; i < n; i++) {
		char detail[96];
		snprintf(detail, sizeof detail, "personal data unsent after %lld s: wiped",
		         (long long)(ages[i] / 1000));
		if ((status = st_begin(st)))
			return status;
		if ((status = st_wipe_locked(st, ids[i], CAB_OUTCOME_INTERRUPTED)) ||
		    (status = cab_store_incident_add(st, ids[i], "data-expired", detail)) ||
		    (status = st_audit_append(st, CAB_ACTOR_CABIN, "cabin", "outbox_expired", ids[i])) ||
		    (status = st_commit(st))) {
			st_rollback(st);
			return status;
		}
		cab_warn("store", "session %s: %s", ids[i], detail);
		if (fn)
			fn(user, ids[i], ages[i]);
	}
	if (n)
		st_checkpoint(st);
	return n;
}
