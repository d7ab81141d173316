/* throughput.c — acknowledged upload throughput over a sliding window (see
 * throughput.h). */
#include "kiosk/service/throughput.h"

#include <string.h>

static int64_t now_of(const struct cab_tput *t)
{
	return t->clock.now_ms ? t->clock.now_ms(t->clock.user) : cab_mono_ms();
}

static int w_pending(void *user, int64_t after_seq, int64_t now_ms, struct cab_outbox_item *items,
                     int max)
{
	struct cab_tput *t = user;
	int n = t->inner.pending(t->inner.user, after_seq, now_ms, items, max);
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < n; i++) {
		int k;
		for (k = 0; k < CAB_TPUT_INFLIGHT && strcmp(t->inflight[k].id, items[i].id); k++)
			;
		if (k == CAB_TPUT_INFLIGHT) { /* not known yet: take the oldest slot */
			k = t->in_next;
			t->in_next = (t->in_next + 1) % CAB_TPUT_INFLIGHT;
			memcpy(t->inflight[k].id, items[i].id, sizeof t->inflight[k].id);
		}
		size_t len = items[i].body ? strlen(items[i].body) : 0;
		t->inflight[k].bytes = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	}
	pthread_mutex_unlock(&t->lock);
	return n;
}

static int w_sent(void *user, const char *id, int64_t now_ms)
{
	struct cab_tput *t = user;
	return t->inner.sent(t->inner.user, id, now_ms);
}

/* Counts acknowledged ID in the window (its bytes noted when it was pending). */
static void note_acked(struct cab_tput *t, const char *id, int64_t now)
{
	pthread_mutex_lock(&t->lock);
	for (int k = 0; k < CAB_TPUT_INFLIGHT; k++)
		if (t->inflight[k].id[0] && !strcmp(t->inflight[k].id, id)) {
			t->acks[t->ack_next].at_ms = now;
			t->acks[t->ack_next].bytes = t->inflight[k].bytes;
			t->ack_next = (t->ack_next + 1) % CAB_TPUT_SAMPLES;
			if (t->ack_n < CAB_TPUT_SAMPLES)
				t->ack_n++;
			t->total_bytes += t->inflight[k].bytes;
			t->total_msgs++;
			t->inflight[k].id[0] = '\0';
			break;
		}
	pthread_mutex_unlock(&t->lock);
}

static int w_acked(void *user, const char *id)
{
	struct cab_tput *t = user;
	int rc = t->inner.acked(t->inner.user, id);
	if (rc < 0)
		return rc;
	note_acked(t, id, now_of(t));
	return rc;
}

static int w_acked_many(void *user, const char *const *ids, int n, int *ok)
{
	struct cab_tput *t = user;
	int marked = 0;
	if (t->inner.acked_many) {
		marked = t->inner.acked_many(t->inner.user, ids, n, ok);
	} else {
		for (int i = 0; i < n; i++)
			marked += ok[i] = t->inner.acked(t->inner.user, ids[i]) == 0;
	}
	int64_t now = now_of(t);
	for (int i = 0; i < n; i++)
		if (ok[i])
			note_acked(t, ids[i], now);
	return marked;
}

static int w_reset(void *user)
{
	struct cab_tput *t = user;
	return t->inner.reset_backoff(t->inner.user);
}

void cab_tput_init(struct cab_tput *t, const struct cab_outbox_port *inner,
                   const struct cab_clock *clock, int64_t window_ms, struct cab_outbox_port *out)
{
	memset(t, 0, sizeof *t);
	t->inner = *inner;
	if (clock)
		t->clock = *clock;
	t->window_ms = window_ms > 0 ? window_ms : 10000;
	pthread_mutex_init(&t->lock, NULL);
	*out = (struct cab_outbox_port){.pending = w_pending,
	                                .sent = w_sent,
	                                .acked = w_acked,
	                                .acked_many = w_acked_many,
	                                .reset_backoff = w_reset,
	                                .user = t};
}

void cab_tput_free(struct cab_tput *t)
{
	pthread_mutex_destroy(&t->lock);
}

double cab_tput_kbps(struct cab_tput *t, int *msgs)
{
	int64_t now = now_of(t), bytes = 0;
	int n = 0;
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < t->ack_n; i++) {
		int k = (t->ack_next - 1 - i + CAB_TPUT_SAMPLES) % CAB_TPUT_SAMPLES;
		if (now - t->acks[k].at_ms >= t->window_ms)
			break; /* newest first: the rest is older */
		bytes += t->acks[k].bytes;
		n++;
	}
	pthread_mutex_unlock(&t->lock);
	if (msgs)
		*msgs = n;
	if (!n)
		return -1;
	return (double)bytes * 8.0 / (double)t->window_ms; /* bytes*8 / ms = kbit/s */
}
