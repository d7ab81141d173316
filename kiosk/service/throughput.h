/* throughput.h — upload throughput as the technician sees it: bytes of outbox
 * messages acknowledged by the station per second over a sliding window. It wraps
 * the store's outbox port (kiosk/link/outbox_port.h) between the link and the
 * store, so the link itself is unchanged: pending() notes each message's size,
 * acked() adds it to the window. Thread-safe (the link thread feeds it, the menu
 * reads it). Media packets are best effort (no ack) and are not counted. */
#ifndef CABIN_SERVICE_THROUGHPUT_H
#define CABIN_SERVICE_THROUGHPUT_H

#include <pthread.h>
#include <stdint.h>

#include "clock.h"
#include "kiosk/link/outbox_port.h"

#define CAB_TPUT_INFLIGHT 256 /* sizes remembered for unacknowledged messages */
#define CAB_TPUT_SAMPLES 512  /* acknowledgements kept in the window */

struct cab_tput {
	struct cab_outbox_port inner; /* the store's port */
	struct cab_clock clock;       /* monotonic ms (injectable for tests) */
	int64_t window_ms;            /* sliding window length */
	pthread_mutex_t lock;
	struct {
		char id[40];
		uint32_t bytes;
	} inflight[CAB_TPUT_INFLIGHT]; /* ring: id -> body size */
	int in_next;
	struct {
		int64_t at_ms;
		uint32_t bytes;
	} acks[CAB_TPUT_SAMPLES]; /* ring of acknowledgements, oldest overwritten */
	int ack_next, ack_n;
	uint64_t total_bytes, total_msgs; /* since start */
};

/* Sets up T around INNER with a window of WINDOW_MS (0 = 10 s) on CLOCK (NULL =
 * cab_mono_ms). Fills OUT with the wrapping port to hand to cab_link_new(). */
void cab_tput_init(struct cab_tput *t, const struct cab_outbox_port *inner,
                   const struct cab_clock *clock, int64_t window_ms, struct cab_outbox_port *out);
void cab_tput_free(struct cab_tput *t);

/* Acknowledged bytes per second over the window ending now, in kbit/s (1000 bit/s);
 * -1 when nothing was acknowledged in the window. *MSGS (may be NULL) gets the
 * number of messages acknowledged in it. The rate divides by the whole window, so a
 * burst shows as its average over the window. */
double cab_tput_kbps(struct cab_tput *t, int *msgs);

#endif
