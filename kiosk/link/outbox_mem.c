/* outbox_mem.c — in-memory outbox (see outbox_mem.h): an array in seq order, a mutex,
 * binary search for "pending after seq". */
#include "kiosk/link/outbox_mem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mem_item {
	struct cab_outbox_item it;
	int acked;
};

struct cab_outbox_mem {
	pthread_mutex_t mu;
	struct mem_item *items;
	size_t n, cap;
	int64_t next_seq;
	int base_ms;
	size_t acked, sends;
	size_t lo; /* index of the first unacknowledged item: acks come nearly in order */
};

struct cab_outbox_mem *cab_outbox_mem_new(size_t capacity, int base_backoff_ms)
{
	if (capacity == 0 || capacity > 1000000)
		return NULL;
	struct cab_outbox_mem *ob = calloc(1, sizeof *ob);
	if (!ob)
		return NULL;
	ob->items = calloc(capacity, sizeof *ob->items);
	if (!ob->items) {
		free(ob);
		return NULL;
	}
	pthread_mutex_init(&ob->mu, NULL);
	ob->cap = capacity;
	ob->next_seq = 1;
	ob->base_ms = base_backoff_ms > 0 ? base_backoff_ms : 2000;
	return ob;
}

void cab_outbox_mem_free(struct cab_outbox_mem *ob)
{
	if (!ob)
		return;
	for (size_t i = 0; i < ob->n; i++)
		free(ob->items[i].it.body);
	free(ob->items);
	pthread_mutex_destroy(&ob->mu);
	free(ob);
}

int64_t cab_outbox_mem_put(struct cab_outbox_mem *ob, const char *id, const char *session,
                           const char *type, const char *body)
{
	int64_t seq = -1;
	char *copy = strdup(body);
	if (!copy)
		return -1;
	pthread_mutex_lock(&ob->mu);
	if (ob->n < ob->cap) {
		struct mem_item *m = &ob->items[ob->n++];
		memset(m, 0, sizeof *m);
		m->it.seq = seq = ob->next_seq++;
		snprintf(m->it.id, sizeof m->it.id, "%s", id);
		snprintf(m->it.session_id, sizeof m->it.session_id, "%s", session ? session : "");
		snprintf(m->it.type, sizeof m->it.type, "%s", type);
		m->it.body = copy;
		copy = NULL;
	}
	pthread_mutex_unlock(&ob->mu);
	free(copy);
	return seq;
}

/* Index of the first item with seq > AFTER (items are in seq order, seq = index+1). */
static size_t first_after(struct cab_outbox_mem *ob, int64_t after)
{
	size_t lo = 0, hi = ob->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ob->items[mid].it.seq <= after)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct mem_item *find(struct cab_outbox_mem *ob, const char *id)
{
	for (size_t i = ob->lo; i < ob->n; i++)
		if (!strcmp(ob->items[i].it.id, id))
			return &ob->items[i];
	for (size_t i = 0; i < ob->lo && i < ob->n; i++)
		if (!strcmp(ob->items[i].it.id, id))
			return &ob->items[i];
	return NULL;
}

static int port_pending(void *user, int64_t after_seq, int64_t now_ms, struct cab_outbox_item *out,
                        int max)
{
	struct cab_outbox_mem *ob = user;
	int k = 0;
	pthread_mutex_lock(&ob->mu);
	for (size_t i = first_after(ob, after_seq); i < ob->n && k < max; i++) {
		struct mem_item *m = &ob->items[i];
		if (m->acked || m->it.next_try_ms > now_ms)
			continue;
		out[k] = m->it;
		out[k].body = strdup(m->it.body);
		if (!out[k].body)
			break;
		k++;
	}
	pthread_mutex_unlock(&ob->mu);
	return k;
}

static int port_sent(void *user, const char *id, int64_t now_ms)
{
	struct cab_outbox_mem *ob = user;
	int rc = -1;
	pthread_mutex_lock(&ob->mu);
	struct mem_item *m = find(ob, id);
	if (m) {
		int shift = m->it.attempts < 5 ? m->it.attempts : 5;
		int64_t wait = (int64_t)ob->base_ms << shift;
		m->it.attempts++;
		m->it.next_try_ms = now_ms + (wait > 60000 ? 60000 : wait);
		ob->sends++;
		rc = 0;
	}
	pthread_mutex_unlock(&ob->mu);
	return rc;
}

static int port_acked(void *user, const char *id)
{
	struct cab_outbox_mem *ob = user;
	int rc = -1;
	pthread_mutex_lock(&ob->mu);
	struct mem_item *m = find(ob, id);
	if (m) {
		if (!m->acked)
			ob->acked++;
		m->acked = 1;
		while (ob->lo < ob->n && ob->items[ob->lo].acked)
			ob->lo++;
		rc = 0;
	}
	pthread_mutex_unlock(&ob->mu);
	return rc;
}

static int port_reset_backoff(void *user)
{
	struct cab_outbox_mem *ob = user;
	pthread_mutex_lock(&ob->mu);
	for (size_t i = 0; i < ob->n; i++)
		ob->items[i].it.next_try_ms = 0;
	pthread_mutex_unlock(&ob->mu);
	return 0;
}

struct cab_outbox_port cab_outbox_mem_port(struct cab_outbox_mem *ob)
{
	return (struct cab_outbox_port){.pending = port_pending,
	                                .sent = port_sent,
	                                .acked = port_acked,
	                                .reset_backoff = port_reset_backoff,
	                                .user = ob};
}

void cab_outbox_mem_counts(struct cab_outbox_mem *ob, size_t *put, size_t *acked, size_t *sends)
{
	pthread_mutex_lock(&ob->mu);
	if (put)
		*put = ob->n;
	if (acked)
		*acked = ob->acked;
	if (sends)
		*sends = ob->sends;
	pthread_mutex_unlock(&ob->mu);
}

int cab_outbox_mem_is_acked(struct cab_outbox_mem *ob, const char *id)
{
	pthread_mutex_lock(&ob->mu);
	struct mem_item *m = find(ob, id);
	int r = m && m->acked;
	pthread_mutex_unlock(&ob->mu);
	return r;
}
