/* media_queue.c — bounded drop-oldest FIFO of link messages (media_queue.h).
 * A mutex and a condition variable; the array is compacted with memmove, which is
 * cheap at the few hundred messages the queue is allowed to hold. */
#include "media_queue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cab_media_queue_init(struct cab_media_queue *q, uint32_t max_items, size_t max_bytes)
{
	memset(q, 0, sizeof *q);
	if (max_items == 0 || max_items > CAB_MEDIA_QUEUE_MAX_ITEMS || max_bytes == 0)
		return -1;
	q->items = calloc(max_items, sizeof *q->items);
	if (!q->items)
		return -1;
	q->cap = max_items;
	q->max_bytes = max_bytes;
	pthread_mutex_init(&q->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->cond, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

void cab_media_queue_destroy(struct cab_media_queue *q)
{
	if (!q->items)
		return;
	for (uint32_t i = 0; i < q->st.depth; i++)
		free(q->items[i].msg);
	free(q->items);
	q->items = NULL;
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
}

/* Removes items[i] as dropped. Caller holds the lock. */
static void drop_at(struct cab_media_queue *q, uint32_t i)
{
	struct cab_media_qitem *it = &q->items[i];
	q->st.dropped++;
	q->st.dropped_bytes += it->len;
	q->st.bytes -= it->len;
	free(it->msg);
	memmove(&q->items[i], &q->items[i + 1], (q->st.depth - i - 1) * sizeof *it);
	q->st.depth--;
}

/* Drops the oldest non-precious message; if it was dependent, also the messages of
 * its stream up to (not including) the next keyframe. Returns 0, or -1 if every
 * queued message is precious. Caller holds the lock. */
static int drop_oldest(struct cab_media_queue *q)
{
	uint32_t i = 0;
	while (i < q->st.depth && q->items[i].precious)
		i++;
	if (i == q->st.depth)
		return -1;
	uint8_t s = q->items[i].stream, dep = q->items[i].dependent;
	drop_at(q, i);
	if (!dep)
		return 0;
	while (i < q->st.depth) {
		if (q->items[i].stream == s && q->items[i].key)
			return 0; /* a keyframe is queued: the stream recovers there */
		if (q->items[i].stream == s)
			drop_at(q, i);
		else
			i++;
	}
	q->broken[s & 15] = 1;
	q->want_key[s & 15] = 1;
	return 0;
}

int cab_media_queue_push(struct cab_media_queue *q, struct cab_media_qitem *it)
{
	int rc = 1;
	pthread_mutex_lock(&q->lock);
	uint8_t s = it->stream & 15;
	if (q->closed) {
		rc = -1;
		goto refuse;
	}
	if (q->broken[s] && !it->key) {
		q->st.dropped++;
		q->st.dropped_bytes += it->len;
		rc = 0;
		goto refuse;
	}
	if (it->key)
		q->broken[s] = 0;
	while (q->st.depth > 0 && (q->st.depth >= q->cap || q->st.bytes + it->len > q->max_bytes)) {
		if (drop_oldest(q) < 0)
			break;
	}
	if (q->st.depth >= q->cap) { /* only precious messages left: refuse this one */
		q->st.dropped++;
		q->st.dropped_bytes += it->len;
		if (it->dependent) {
			q->broken[s] = 1;
			q->want_key[s] = 1;
		}
		rc = 0;
		goto refuse;
	}
	q->items[q->st.depth++] = *it;
	q->st.bytes += it->len;
	q->st.pushed++;
	if (q->st.depth > q->st.max_depth)
		q->st.max_depth = q->st.depth;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
	it->msg = NULL;
	return rc;
refuse:
	pthread_mutex_unlock(&q->lock);
	free(it->msg);
	it->msg = NULL;
	return rc;
}

int cab_media_queue_pop(struct cab_media_queue *q, struct cab_media_qitem *out, int timeout_ms)
{
	struct timespec dl;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	int rc = 0;
	pthread_mutex_lock(&q->lock);
	while (q->st.depth == 0 && !q->closed) {
		if (pthread_cond_timedwait(&q->cond, &q->lock, &dl) == ETIMEDOUT)
			break;
	}
	if (q->st.depth > 0) {
		*out = q->items[0];
		memmove(&q->items[0], &q->items[1], (q->st.depth - 1) * sizeof *out);
		q->st.depth--;
		q->st.bytes -= out->len;
		q->st.popped++;
		rc = 1;
	} else if (q->closed) {
		rc = -1;
	}
	pthread_mutex_unlock(&q->lock);
	return rc;
}

int cab_media_queue_take_key_request(struct cab_media_queue *q, uint8_t stream)
{
	pthread_mutex_lock(&q->lock);
	int v = q->want_key[stream & 15];
	q->want_key[stream & 15] = 0;
	pthread_mutex_unlock(&q->lock);
	return v;
}

void cab_media_queue_stats(struct cab_media_queue *q, struct cab_media_qstats *out)
{
	pthread_mutex_lock(&q->lock);
	*out = q->st;
	pthread_mutex_unlock(&q->lock);
}

void cab_media_queue_close(struct cab_media_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = 1;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
}
