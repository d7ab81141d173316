/* media_queue.h — the bounded send queue between the encoders and the link sink.
 * Pushing never blocks: when full, the oldest messages are dropped and counted, and
 * an H.264 stream that lost a packet is skipped up to its next keyframe. */
#ifndef CABIN_MEDIA_QUEUE_H
#define CABIN_MEDIA_QUEUE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* One queued link message (owned by the queue until popped). */
struct cab_media_qitem {
	uint8_t *msg;      /* malloc'd message (docs/media.md "The sender's packets") */
	size_t len;        /* bytes */
	uint8_t stream;    /* stream id 0..15 */
	uint8_t key;       /* 1 if decoding can start at this message */
	uint8_t dependent; /* 1 if later messages of the stream need this one (H.264) */
	uint8_t precious;  /* 1 if never dropped for room (stills) */
};

/* Counters, all since creation. */
struct cab_media_qstats {
	uint64_t pushed;        /* messages accepted */
	uint64_t popped;        /* messages handed to the consumer */
	uint64_t dropped;       /* messages dropped (room, or skipped to the next keyframe) */
	uint64_t dropped_bytes; /* their bytes */
	uint32_t depth;         /* messages queued now */
	size_t bytes;           /* bytes queued now */
	uint32_t max_depth;     /* highest depth seen */
};

#define CAB_MEDIA_QUEUE_MAX_ITEMS 1024u

struct cab_media_queue {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct cab_media_qitem *items; /* FIFO, items[0] oldest */
	uint32_t cap;                  /* maximum messages */
	size_t max_bytes;              /* maximum bytes queued */
	uint8_t broken[16];            /* per stream: waiting for a keyframe after a drop */
	uint8_t want_key[16];          /* per stream: a keyframe should be forced */
	int closed;
	struct cab_media_qstats st;
};

/* Initialises Q for at most MAX_ITEMS messages (<= CAB_MEDIA_QUEUE_MAX_ITEMS) and
 * MAX_BYTES bytes. Returns 0, or -1 on bad arguments or allocation failure. */
int cab_media_queue_init(struct cab_media_queue *q, uint32_t max_items, size_t max_bytes);

/* Frees every queued message and the queue's memory. */
void cab_media_queue_destroy(struct cab_media_queue *q);

/* Takes ownership of IT->msg and appends it, dropping the oldest non-precious
 * messages while the queue is over its limits. A non-key message of a stream that
 * lost a dependent message is dropped at once. Never blocks on the consumer.
 * Returns 1 if queued, 0 if dropped (IT->msg freed), -1 if closed (freed). */
int cab_media_queue_push(struct cab_media_queue *q, struct cab_media_qitem *it);

/* Waits up to TIMEOUT_MS for the oldest message and moves it into OUT (the caller
 * frees OUT->msg). Returns 1 with a message, 0 on timeout, -1 once closed and empty. */
int cab_media_queue_pop(struct cab_media_queue *q, struct cab_media_qitem *out, int timeout_ms);

/* Returns and clears the "force a keyframe" request of STREAM (set by drops). */
int cab_media_queue_take_key_request(struct cab_media_queue *q, uint8_t stream);

/* Copies the counters. */
void cab_media_queue_stats(struct cab_media_queue *q, struct cab_media_qstats *out);

/* Wakes every waiter; later pushes are refused, pops drain what is left. */
void cab_media_queue_close(struct cab_media_queue *q);

#endif
