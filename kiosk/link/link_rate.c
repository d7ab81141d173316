/* link_rate.c — acknowledged media bytes and windowed throughput (link_rate.h).
 * Pure: no clock, no socket. */
#include "kiosk/link/link_rate.h"

uint64_t cab_link_acked_bytes(uint64_t media_written, uint64_t unacked)
{
	return unacked >= media_written ? 0 : media_written - unacked;
}

void cab_link_rate_add(struct cab_link_rate *r, int64_t t_ms, uint64_t cumulative)
{
	if (r->n > 0 && (cumulative < r->bytes[r->head] || t_ms < r->t_ms[r->head]))
		r->n = 0; /* counter reset or time went back: start afresh */
	r->head = r->n > 0 ? (r->head + 1) % CAB_LINK_RATE_SLOTS : 0;
	r->t_ms[r->head] = t_ms;
	r->bytes[r->head] = cumulative;
	if (r->n < CAB_LINK_RATE_SLOTS)
		r->n++;
}

uint64_t cab_link_rate_Bps(const struct cab_link_rate *r)
{
	if (r->n < 2)
		return 0;
	int64_t t1 = r->t_ms[r->head];
	int from = r->head;
	for (int k = 1; k < r->n; k++) {
		from = (r->head - k + CAB_LINK_RATE_SLOTS) % CAB_LINK_RATE_SLOTS;
		if (t1 - r->t_ms[from] >= CAB_LINK_RATE_WINDOW_MS)
			break;
	}
	int64_t dt = t1 - r->t_ms[from];
	if (dt <= 0)
		return 0;
	return (r->bytes[r->head] - r->bytes[from]) * 1000u / (uint64_t)dt;
}
