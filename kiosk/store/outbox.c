/* outbox.c — every message for the doctor station is written here before it is sent
 * and stays until the station acknowledges it. Implements kiosk/link/outbox_port.h
 * on a handle of its own (cab_store_outbox_open()): pending in seq order, sent with
 * growing capped backoff, acked (the hand-off's ack wipes its session), and
 * reset_backoff on reconnect. Personal bodies are sealed with the session key. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/store/store_internal.h"

/* A message id: 36 characters of the UUID text form. */
static int valid_id(const char *id)
{
	if (!id || strlen(id) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		char c = id[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

int st_outbox_put_locked(struct cab_store *st, const char *sid, const char *type,
                         const char *body, int personal, const char *id, char id_out[37])
{
	char mid[37];
	unsigned char *blob = NULL;
	size_t blen = 0;
	sqlite3_stmt *q = NULL;
	int status = CAB_STORE_OK;

	if (!sid)
		sid = "";
	if (!type || !*type || strlen(type) >= 32 || !body || (id && !valid_id(id)) ||
	    (*sid && !st_valid_sid(sid)) || (personal && !*sid) || strlen(body) > ST_MAX_PLAIN)
		return st_fail(st, CAB_STORE_INVALID, "Bad outbox message");
	if (id)
		memcpy(mid, id, 37);
	else if (cab_uuid_v4(mid))
		return st_fail(st, CAB_STORE_ERR, "No random bytes for a message id");
	if (personal && (status = st_seal_for(st, sid, "outbox", "body", mid, body, strlen(body),
	                                      &blob, &blen)))
		return status;
	if ((status = st_prepare(st, "INSERT INTO outbox(id, session_id, type, personal, body,"
	                             " created_ms) VALUES(?, ?, ?, ?, ?, ?)", &q)))
		goto out;
	sqlite3_bind_text(q, 1, mid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, sid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, type, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, personal ? 1 : 0);
	if (personal)
		sqlite3_bind_blob(q, 5, blob, (int)blen, SQLITE_STATIC);
	else
		sqlite3_bind_text(q, 5, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, st_now(st));
	int rc = sqlite3_step(q);
	if (rc != SQLITE_DONE) {
		status = (rc & 0xff) == SQLITE_CONSTRAINT ?
		         st_fail(st, CAB_STORE_INVALID, "Message id %s is already in the outbox", mid) :
		         st_sql_fail(st, rc, "queueing a message");
		goto out;
	}
	if (id_out)
		memcpy(id_out, mid, 37);
out:
	sqlite3_finalize(q);
	free(blob);
	return status;
}

int cab_store_outbox_put(struct cab_store *st, const char *sid, const char *type,
                         const char *body, int personal, const char *id, char id_out[37])
{
	if (id_out)
		id_out[0] = 0;
	int status = st_begin(st);
	if (status)
		return status;
	if ((status = st_outbox_put_locked(st, sid, type, body, personal, id, id_out)) ||
	    (status = st_commit(st))) {
		st_rollback(st);
		if (id_out)
			id_out[0] = 0;
	}
	return status;
}

int cab_store_outbox_counts(struct cab_store *st, struct cab_store_outbox_counts *out)
{
	sqlite3_stmt *q = NULL;
	memset(out, 0, sizeof *out);
	int status = st_prepare(st, "SELECT state, count(*) FROM outbox GROUP BY state", &q);
	if (status)
		return status;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(q, 0);
		int n = sqlite3_column_int(q, 1);
		if (!strcmp(s, "pending"))
			out->pending = n;
		else if (!strcmp(s, "done"))
			out->done = n;
		else
			out->dropped = n;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? CAB_STORE_OK : st_sql_fail(st, rc, "counting the outbox");
}

int cab_store_outbox_oldest_age(struct cab_store *st, int64_t *age_ms, int64_t *created_ms)
{
	sqlite3_stmt *q = NULL;
	*age_ms = 0;
	if (created_ms)
		*created_ms = 0;
	int status = st_prepare(st, "SELECT min(created_ms) FROM outbox WHERE state = 'pending'", &q);
	if (status)
		return status;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
		int64_t c = sqlite3_column_int64(q, 0), now = st_now(st);
		*age_ms = now > c ? now - c : 0;
		if (created_ms)
			*created_ms = c;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? CAB_STORE_OK : st_sql_fail(st, rc, "reading the oldest outbox entry");
}

/* --- the port (link thread) ---------------------------------------------------- */

#define MAX_BAD 16 /* unreadable messages dropped per pending() call */

/* Drops messages whose body cannot be opened (tampered, or key gone) so that they
 * never block the queue, with an incident each. */
static void drop_unreadable(struct cab_store *st, char bad[][40], int n)
{
	sqlite3_stmt *q = NULL;
	if (!n || st_begin(st))
		return;
	for (int i = 0; i < n; i++) {
		if (st_prepare(st, "UPDATE outbox SET state = 'dropped', body = NULL WHERE id = ?", &q))
			break;
		sqlite3_bind_text(q, 1, bad[i], -1, SQLITE_STATIC);
		sqlite3_step(q);
		sqlite3_finalize(q);
		if (st_prepare(st, "INSERT INTO incidents(time_ms, kind, detail) VALUES(?,"
		                   " 'outbox_unreadable', ?)", &q))
			break;
		sqlite3_bind_int64(q, 1, st_now(st));
		sqlite3_bind_text(q, 2, bad[i], -1, SQLITE_STATIC);
		sqlite3_step(q);
		sqlite3_finalize(q);
	}
	if (st_commit(st))
		st_rollback(st);
}

static int flush_sent(struct cab_store *st);

static int port_pending(void *user, int64_t after_seq, int64_t now_ms,
                        struct cab_outbox_item *items, int max)
{
	struct cab_store *st = user;
	sqlite3_stmt *q = NULL;
	char bad[MAX_BAD][40];
	int n = 0, nbad = 0, rc, status;
	if (max <= 0)
		return 0;
	/* One transaction: the deferred "sent" notes (not synced on their own), then the
	 * rows and their session keys from the same snapshot. */
	int notes = st->n_sent > 0;
	if (notes && st_exec(st, "PRAGMA synchronous = NORMAL"))
		return -1;
	if ((status = st_exec(st, "BEGIN")))
		return -1;
	flush_sent(st);
	if ((status = st_prepare(st, "SELECT seq, id, session_id, type, personal, body, attempts,"
	                             " next_try_ms FROM outbox WHERE state = 'pending' AND seq > ?"
	                             " AND next_try_ms <= ? ORDER BY seq LIMIT ?", &q)))
		goto out;
	sqlite3_bind_int64(q, 1, after_seq);
	sqlite3_bind_int64(q, 2, now_ms);
	sqlite3_bind_int(q, 3, max + MAX_BAD);
	while (n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct cab_outbox_item *it = &items[n];
		memset(it, 0, sizeof *it);
		it->seq = sqlite3_column_int64(q, 0);
		snprintf(it->id, sizeof it->id, "%s", (const char *)sqlite3_column_text(q, 1));
		snprintf(it->session_id, sizeof it->session_id, "%s", (const char *)sqlite3_column_text(q, 2));
		snprintf(it->type, sizeof it->type, "%s", (const char *)sqlite3_column_text(q, 3));
		it->attempts = sqlite3_column_int(q, 6);
		it->next_try_ms = sqlite3_column_int64(q, 7);
		const void *b = sqlite3_column_blob(q, 5);
		size_t blen = (size_t)sqlite3_column_bytes(q, 5);
		if (sqlite3_column_int(q, 4)) {
			unsigned char *plain = NULL;
			size_t plen = 0;
			status = st_unseal_for(st, it->session_id, "outbox", "body", it->id, b, blen,
			                       &plain, &plen);
			if (status == CAB_STORE_TAMPERED || status == CAB_STORE_NOKEY ||
			    status == CAB_STORE_NOTFOUND) {
				if (nbad < MAX_BAD)
					memcpy(bad[nbad++], it->id, 40);
				memset(it, 0, sizeof *it);
				status = CAB_STORE_OK;
				continue;
			}
			if (status)
				goto out;
			it->body = (char *)plain;
		} else {
			it->body = st_malloc(blen + 1);
			if (!it->body) {
				status = st_fail(st, CAB_STORE_NOMEM, "Out of memory reading the outbox");
				goto out;
			}
			memcpy(it->body, b ? b : "", blen);
			it->body[blen] = 0;
		}
		n++;
	}
	if (n < max && rc != SQLITE_DONE && rc != SQLITE_ROW)
		status = st_sql_fail(st, rc, "reading the outbox");
out:
	sqlite3_finalize(q);
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (notes)
		st_exec(st, "PRAGMA synchronous = FULL");
	if (status) {
		for (int i = 0; i < n; i++)
			cab_outbox_item_clear(&items[i]);
		return -1;
	}
	drop_unreadable(st, bad, nbad);
	return n;
}

/* Writes the deferred "sent" notes inside the open transaction (attempts += 1 and the
 * next try by growing backoff). Returns 0 or -1 (logged; the notes are dropped: a
 * missing note only means an earlier resend, which the station drops by id). */
static int flush_sent(struct cab_store *st)
{
	sqlite3_stmt *q = NULL;
	int n = st->n_sent, status = 0;
	st->n_sent = 0;
	if (!n)
		return 0;
	if (st_prepare(st, "UPDATE outbox SET attempts = attempts + 1,"
	                   " next_try_ms = ?2 + min(?3, ?4 * (1 << min(attempts, 20)))"
	                   " WHERE id = ?1 AND state = 'pending'", &q))
		return -1;
	for (int i = 0; i < n && !status; i++) {
		sqlite3_bind_text(q, 1, st->sent_q[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, st->sent_q[i].at_ms);
		sqlite3_bind_int64(q, 3, CAB_OUTBOX_BACKOFF_CAP_MS);
		sqlite3_bind_int64(q, 4, CAB_OUTBOX_BACKOFF_BASE_MS);
		int rc = sqlite3_step(q);
		if (rc != SQLITE_DONE)
			status = st_sql_fail(st, rc, "noting a sent message");
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return status ? -1 : 0;
}

void st_outbox_flush_notes(struct cab_store *st)
{
	if (st_exec(st, "BEGIN"))
		return;
	flush_sent(st);
	if (st_commit(st))
		st_rollback(st);
}

/* Notes that ID was written to the link: kept in memory and written with the next
 * transaction of this handle (the next pending read or acknowledgement), not one
 * write per message; not synced on its own. */
static int port_sent(void *user, const char *id, int64_t now_ms)
{
	struct cab_store *st = user;
	if (st->n_sent == ST_SENT_Q) {
		if (st_exec(st, "PRAGMA synchronous = NORMAL") || st_exec(st, "BEGIN"))
			return -1;
		int r = flush_sent(st);
		if (st_commit(st))
			r = -1;
		st_exec(st, "PRAGMA synchronous = FULL");
		if (r)
			return -1;
	}
	snprintf(st->sent_q[st->n_sent].id, sizeof st->sent_q[0].id, "%s", id);
	st->sent_q[st->n_sent].at_ms = now_ms;
	st->n_sent++;
	return 0;
}

/* Marks ID acknowledged inside the open transaction; a hand-off's ack wipes its
 * session (SID filled then). Returns a CAB_STORE_* status. */
static int acked_locked(struct cab_store *st, const char *id, char sid[40], int *wiped)
{
	sqlite3_stmt *q = NULL;
	char type[32] = "", state[12] = "";
	int status;
	sid[0] = 0;
	if ((status = st_prepare(st, "SELECT o.session_id, o.type, coalesce(s.state, '') FROM outbox o"
	                             " LEFT JOIN sessions s ON s.id = o.session_id WHERE o.id = ?", &q)))
		return status;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		snprintf(sid, 40, "%s", (const char *)sqlite3_column_text(q, 0));
		snprintf(type, sizeof type, "%s", (const char *)sqlite3_column_text(q, 1));
		snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(q, 2));
	}
	sqlite3_finalize(q);
	q = NULL;
	if (rc == SQLITE_DONE)
		return st_fail(st, CAB_STORE_NOTFOUND, "Acknowledgement for unknown message %s", id);
	if (rc != SQLITE_ROW)
		return st_sql_fail(st, rc, "reading an acknowledged message");
	if ((status = st_prepare(st, "UPDATE outbox SET state = 'done', body = NULL,"
	                             " acked_ms = coalesce(acked_ms, ?2) WHERE id = ?1", &q)))
		return status;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, st_now(st));
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return st_sql_fail(st, rc, "marking a message acknowledged");
	if (!strcmp(type, CAB_STORE_HANDOFF_TYPE) && *sid && !strcmp(state, "closing")) {
		if ((status = st_audit_append(st, CAB_ACTOR_STATION, "", "handoff_acked", sid)) ||
		    (status = st_wipe_locked(st, sid, CAB_OUTCOME_COMPLETED)))
			return status;
		*wiped = 1;
		cab_info("store", "session %s handed off and wiped", sid);
	}
	return CAB_STORE_OK;
}

static int port_acked(void *user, const char *id)
{
	const char *ids[1] = {id};
	int ok = 0;
	return cab_store_outbox_acked_many(user, ids, 1, &ok) == 1 ? 0 : -1;
}

int cab_store_outbox_acked_many(void *user, const char *const *ids, int n, int *ok)
{
	struct cab_store *st = user;
	int marked = 0, wiped = 0;
	char sid[40];
	for (int i = 0; i < n; i++)
		ok[i] = 0;
	/* Not synced on its own: an acknowledgement lost in a power cut only means a
	 * resend, which the station acknowledges again as a duplicate (docs/store.md);
	 * a hand-off's wipe is made durable by the checkpoint that follows it. The link
	 * thread therefore never waits for the disk between two messages. */
	if (st_exec(st, "PRAGMA synchronous = NORMAL"))
		return -1;
	if (st_begin(st)) {
		st_exec(st, "PRAGMA synchronous = FULL");
		return -1;
	}
	flush_sent(st);
	for (int i = 0; i < n; i++) {
		if (st_exec(st, "SAVEPOINT ack"))
			goto fail;
		if (acked_locked(st, ids[i], sid, &wiped) == CAB_STORE_OK) {
			ok[i] = 1;
			marked++;
			st_exec(st, "RELEASE ack");
		} else {
			st_exec(st, "ROLLBACK TO ack");
			st_exec(st, "RELEASE ack");
		}
	}
	if (st_commit(st))
		goto fail;
	st_exec(st, "PRAGMA synchronous = FULL");
	if (wiped)
		st_checkpoint(st);
	return marked;
fail:
	st_rollback(st);
	st_exec(st, "PRAGMA synchronous = FULL");
	for (int i = 0; i < n; i++)
		ok[i] = 0;
	return -1;
}

static int port_reset_backoff(void *user)
{
	struct cab_store *st = user;
	st->n_sent = 0; /* every unacknowledged message is due now anyway */
	return st_exec(st, "UPDATE outbox SET next_try_ms = 0 WHERE state = 'pending'") ? -1 : 0;
}

void cab_store_outbox_port(struct cab_store *st, struct cab_outbox_port *port)
{
	port->pending = port_pending;
	port->sent = port_sent;
	port->acked = port_acked;
	port->acked_many = cab_store_outbox_acked_many;
	port->reset_backoff = port_reset_backoff;
	port->user = st;
}
