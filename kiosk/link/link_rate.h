/* link_rate.h — pure pieces of the link's media statistics: how many media bytes the
 * station has really taken (written to the socket minus what the kernel still holds
 * unacknowledged), and the acknowledged throughput over a sliding window. */
#ifndef CABIN_LINK_RATE_H
#define CABIN_LINK_RATE_H

#include <stdint.h>

/* Media bytes acknowledged by the peer's TCP: MEDIA_WRITTEN bytes of binary messages
 * were written to the connection, UNACKED bytes are still in the socket's send queue
 * (Linux SIOCOUTQ on TCP: sent but not acknowledged plus not yet sent, tcp(7)).
 * Every unacknowledged byte is counted as media (the text messages are small), so
 * the result does not exceed the truth as long as UNACKED covers everything not
 * delivered (the callers cannot see the remainder of a partial write that
 * libwebsockets buffers: at most one message). Never below 0. Pure. */
uint64_t cab_link_acked_bytes(uint64_t media_written, uint64_t unacked);

#define CAB_LINK_RATE_SLOTS 8        /* samples kept (at 250 ms: 2 s) */
#define CAB_LINK_RATE_WINDOW_MS 1000 /* throughput measured over about this long */

/* Sliding-window throughput of a cumulative byte counter. Zero-initialise. */
struct cab_link_rate {
	int64_t t_ms[CAB_LINK_RATE_SLOTS];   /* sample times, monotonic ms */
	uint64_t bytes[CAB_LINK_RATE_SLOTS]; /* the counter at those times */
	int n;                               /* samples held, 0..SLOTS */
	int head;                            /* index of the newest */
};

/* Adds a sample (T_MS not before the previous one; a counter that went back, e.g. a
 * reset, restarts the window). Pure. */
void cab_link_rate_add(struct cab_link_rate *r, int64_t t_ms, uint64_t cumulative);

/* Bytes per second between the newest sample and the most recent one at least
 * CAB_LINK_RATE_WINDOW_MS older (the oldest held when none is that old). 0 with
 * fewer than two samples or no time between them. Pure. */
uint64_t cab_link_rate_Bps(const struct cab_link_rate *r);

#endif
