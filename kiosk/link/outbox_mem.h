/* outbox_mem.h — an in-memory struct cab_outbox_port for tests, benchmarks and the
 * demo: same contract as the sqlite outbox (outbox_port.h), nothing on disk.
 * Thread-safe: the link thread calls the port while another thread enqueues. */
#ifndef CABIN_OUTBOX_MEM_H
#define CABIN_OUTBOX_MEM_H

#include "kiosk/link/outbox_port.h"

#include <stddef.h>

struct cab_outbox_mem;

/* A new empty outbox holding at most CAPACITY messages (1..1000000). Backoff after a
 * send: min(BASE_MS << attempts-1, 60 s); BASE_MS 0 means 2000. NULL on failure. */
struct cab_outbox_mem *cab_outbox_mem_new(size_t capacity, int base_backoff_ms);

/* Frees the outbox and every body. NULL-safe. */
void cab_outbox_mem_free(struct cab_outbox_mem *ob);

/* The port the link consumes; valid as long as OB. */
struct cab_outbox_port cab_outbox_mem_port(struct cab_outbox_mem *ob);

/* Appends one message: ID (the message's own "id"), SESSION ("" for none), TYPE and
 * the whole JSON text BODY (copied). Returns its seq (>= 1), or -1 when full or on
 * allocation failure. */
int64_t cab_outbox_mem_put(struct cab_outbox_mem *ob, const char *id, const char *session,
                           const char *type, const char *body);

/* Counts: messages put, acknowledged, and total sends (including re-sends). */
void cab_outbox_mem_counts(struct cab_outbox_mem *ob, size_t *put, size_t *acked, size_t *sends);

/* 1 when the message ID was acknowledged. */
int cab_outbox_mem_is_acked(struct cab_outbox_mem *ob, const char *id);

#endif
