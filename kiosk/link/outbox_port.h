/* outbox_port.h — the contract between the link (which sends and is acknowledged)
 * and the store (which keeps every message for the doctor station until then).
 * kiosk/store implements it on sqlite; tests may implement it in memory. The link
 * thread is the only caller; an implementation may use its own database connection. */
#ifndef CABIN_OUTBOX_PORT_H
#define CABIN_OUTBOX_PORT_H

#include <stdint.h>

/* One message waiting for the station's acknowledgement. */
struct cab_outbox_item {
	int64_t seq;          /* position in the outbox, strictly increasing */
	char id[40];          /* message id (UUID v4 text), unique forever; the station
	                         acknowledges and deduplicates by it */
	char session_id[40];  /* pseudonymous session id, "" for cabin-level messages */
	char type[32];        /* link message type, e.g. "reading" (docs/link-protocol.md) */
	char *body;           /* the whole JSON message text, malloc'd; see _clear() */
	int attempts;         /* how many times it was sent already */
	int64_t next_try_ms;  /* earliest epoch ms for the next send (growing backoff) */
};

/* Frees ITEM->body and zeroes ITEM. */
void cab_outbox_item_clear(struct cab_outbox_item *item);

/* Operations; all return >= 0 on success and -1 on error (logged by the store). */
struct cab_outbox_port {
	/* Fills up to MAX items not yet acknowledged with seq > AFTER_SEQ and
	 * next_try_ms <= NOW_MS, in seq order. Returns how many. */
	int (*pending)(void *user, int64_t after_seq, int64_t now_ms,
	               struct cab_outbox_item *items, int max);
	/* Message ID was written to the link at NOW_MS: attempts += 1 and next_try_ms set
	 * by growing backoff, so that it is sent again if no ack comes. */
	int (*sent)(void *user, const char *id, int64_t now_ms);
	/* The station acknowledged ID: mark it done. Never called without an ack. */
	int (*acked)(void *user, const char *id);
	/* Optional (NULL: acked is called per id): the acknowledgements of one service
	 * round together, IDS[0..N-1], in one durable write. Sets OK[i] to 1 for each id
	 * marked done; returns how many, or -1 when nothing could be written. */
	int (*acked_many)(void *user, const char *const *ids, int n, int *ok);
	/* The link (re)connected: every unacknowledged message is due now again. */
	int (*reset_backoff)(void *user);
	void *user;
};

#endif
