/* media_adapt.c — the ladder controller (media_adapt.h). Delay-based congestion
 * detection in the spirit of GCC's delay-based controller (draft-ietf-rmcat-gcc-02:
 * act on growing queuing delay, decrease fast, increase slowly), with the backlog
 * measured in bytes rather than inferred from packet arrival times. */
#include "media_adapt.h"

#include <string.h>

const struct cab_media_rung cab_media_ladder[CAB_MEDIA_LADDER_LEN] = {
    {1280, 720, 30, 1500},
    {960, 540, 30, 900},
    {640, 360, 30, 500},
    {640, 360, 15, 300},
};

#define MAX_UP_HOLD_MS 32000

void cab_media_adapt_init(struct cab_media_adapt *a, int start_rung)
{
	memset(a, 0, sizeof *a);
	a->p.down_hold_ms = 1000;
	a->p.up_hold_ms = 4000;
	a->p.off_hold_ms = 3000;
	a->p.max_delay_ms = 400;
	a->p.clear_delay_ms = 150;
	a->p.rtt_rise_ms = 300;
	if (start_rung < 0)
		start_rung = 0;
	if (start_rung >= CAB_MEDIA_LADDER_LEN)
		start_rung = CAB_MEDIA_LADDER_LEN - 1;
	a->rung = start_rung;
	a->rtt_min_ms = -1;
	a->congested_since = -1;
	a->clear_since = -1;
	a->last_up_ms = -1;
	a->cur_up_hold_ms = a->p.up_hold_ms;
}

/* Best rung whose bitrate fits in 85 % of the measured throughput, at least one
 * below the current one. */
static int rung_for_throughput(const struct cab_media_adapt *a)
{
	double kbps = a->tput_Bps * 8.0 / 1000.0 * 0.85;
	int r = a->rung + 1;
	while (r < CAB_MEDIA_LADDER_LEN - 1 && cab_media_ladder[r].kbps > kbps)
		r++;
	return r;
}

static void change(struct cab_media_adapt *a, struct cab_media_adapt_out *o, int64_t now,
                   const char *why)
{
	a->last_change_ms = now;
	a->congested_since = a->congested ? now : -1;
	a->last_congested_ms = a->congested ? now : -1;
	a->clear_since = -1;
	a->in_Bps = 0; /* the encoder's rate changes now: measure it afresh */
	o->changed = 1;
	o->reason = why;
}

struct cab_media_adapt_out cab_media_adapt_update(struct cab_media_adapt *a,
                                                  const struct cab_media_link_sample *s)
{
	struct cab_media_adapt_out o = {a->rung, a->video_off, 0, ""};
	int64_t now = s->t_ms;
	if (!a->have_last) {
		a->have_last = 1;
		a->last = *s;
		a->last_change_ms = now;
		return o;
	}
	int64_t dt = now - a->last.t_ms;
	if (dt <= 0)
		return o;
	/* Throughput: acknowledged bytes per second, smoothed (alpha 0.3). */
	uint64_t acked =
	    s->bytes_acked >= a->last.bytes_acked ? s->bytes_acked - a->last.bytes_acked : 0;
	double inst = (double)acked * 1000.0 / (double)dt;
	a->tput_Bps = a->tput_Bps == 0 ? inst : 0.7 * a->tput_Bps + 0.3 * inst;
	if (s->rtt_ms >= 0 && (a->rtt_min_ms < 0 || s->rtt_ms < a->rtt_min_ms))
		a->rtt_min_ms = s->rtt_ms;
	uint64_t inflight = s->bytes_sent > s->bytes_acked ? s->bytes_sent - s->bytes_acked : 0;
	double backlog = (double)(inflight + s->queue_bytes);
	double tput = a->tput_Bps > 1000.0 ? a->tput_Bps : 1000.0;
	a->delay_ms = backlog * 1000.0 / tput;
	/* What entered the link path (sent + still queued), smoothed like tput. */
	uint64_t in_now = s->bytes_sent + s->queue_bytes,
	         in_last = a->last.bytes_sent + a->last.queue_bytes;
	double in_inst = in_now > in_last ? (double)(in_now - in_last) * 1000.0 / (double)dt : 0;
	a->in_Bps = a->in_Bps == 0 ? in_inst : 0.7 * a->in_Bps + 0.3 * in_inst;
	/* A large backlog while we feed the link at least as fast as it delivers means
	 * it takes less than we send. A large backlog that we feed more slowly than it
	 * delivers is only draining what was queued before a step down: neither
	 * congested nor clear, unless draining would take over 3 s (too much delay
	 * to sit through: step further down; at the lowest rung only a link that takes
	 * less than we send stops the video). A high RTT counts only while it rises. */
	double surplus = a->tput_Bps - a->in_Bps; /* bytes/s the backlog shrinks by */
	int slow_drain = backlog > 3.0 * (surplus > 1.0 ? surplus : 1.0); /* drains in > 3 s */
	int feeding = a->in_Bps > 0.95 * a->tput_Bps ||
	              (slow_drain && a->rung < CAB_MEDIA_LADDER_LEN - 1 && !a->video_off);
	int dropped = s->drops > a->last.drops;
	int rtt_rising = a->last.rtt_ms >= 0 && s->rtt_ms > a->last.rtt_ms;
	int rtt_high = s->rtt_ms >= 0 && a->rtt_min_ms >= 0 &&
	               s->rtt_ms > a->rtt_min_ms + a->p.rtt_rise_ms && rtt_rising;
	int rtt_ok = s->rtt_ms < 0 || a->rtt_min_ms < 0 || s->rtt_ms < a->rtt_min_ms + 100;
	a->congested = dropped || rtt_high || (a->delay_ms > (double)a->p.max_delay_ms && feeding);
	int clear = !dropped && rtt_ok && a->delay_ms < (double)a->p.clear_delay_ms;
	a->last = *s;
	a->last_backlog = backlog;

	if (a->congested) {
		a->clear_since = -1;
		a->last_congested_ms = now;
		if (a->congested_since < 0)
			a->congested_since = now;
		/* A step up that meets congestion soon after failed: wait longer next time. */
		if (a->last_up_ms >= 0 && now - a->last_up_ms < 5000) {
			a->cur_up_hold_ms *= 2;
			if (a->cur_up_hold_ms > MAX_UP_HOLD_MS)
				a->cur_up_hold_ms = MAX_UP_HOLD_MS;
			a->last_up_ms = -1;
		}
	} else {
		/* One calm sample inside a congested spell (a burst just left) does not
		 * restart the count; 500 ms without congestion does. */
		if (a->congested_since >= 0 && now - a->last_congested_ms >= 500)
			a->congested_since = -1;
		if (clear && a->clear_since < 0)
			a->clear_since = now;
		if (!clear)
			a->clear_since = -1;
	}
	if (a->last_up_ms >= 0 && now - a->last_up_ms > 30000) {
		a->cur_up_hold_ms = a->p.up_hold_ms; /* long stable: forget the failure */
		a->last_up_ms = -1;
	}

	int64_t since_change = now - a->last_change_ms;
	if (a->congested_since >= 0 && !a->video_off) {
		int64_t held = now - a->congested_since;
		if (a->rung < CAB_MEDIA_LADDER_LEN - 1 && held >= a->p.down_hold_ms &&
		    since_change >= a->p.down_hold_ms) {
			a->rung = rung_for_throughput(a);
			change(a, &o, now, "link congested: lower quality");
		} else if (a->rung == CAB_MEDIA_LADDER_LEN - 1 && held >= a->p.off_hold_ms &&
		           since_change >= a->p.off_hold_ms) {
			a->video_off = 1;
			change(a, &o, now, "link too poor for video: audio only");
		}
	} else if (a->congested_since < 0 && a->clear_since >= 0 &&
	           now - a->clear_since >= a->cur_up_hold_ms && since_change >= a->cur_up_hold_ms) {
		if (a->video_off) {
			a->video_off = 0;
			a->rung = CAB_MEDIA_LADDER_LEN - 1;
			a->last_up_ms = now;
			change(a, &o, now, "link recovered: video back");
		} else if (a->rung > a->p.best_rung) {
			a->rung--;
			a->last_up_ms = now;
			change(a, &o, now, "link clear: raise quality");
		}
	}
	o.rung = a->rung;
	o.video_off = a->video_off;
	return o;
}
