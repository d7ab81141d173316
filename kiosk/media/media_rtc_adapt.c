/* media_rtc_adapt.c — the WebRTC call's ladder controller from RTCP loss and REMB
 * (rules in media_rtc_adapt.h). */
#include "media_rtc_adapt.h"

#include <stddef.h>

#define LOSS_BAD 0.10  /* draft-ietf-rmcat-gcc-02 §6: decrease above 10 % */
#define LOSS_GOOD 0.02 /* increase below 2 % */
#define DOWN_AFTER_MS 2000
#define OFF_AFTER_MS 3000
#define HOLD_MIN_MS 4000
#define HOLD_MAX_MS 32000
#define UP_FAIL_MS 5000 /* congestion this soon after a step up doubles the hold */
#define CALM_RESET_MS 30000
#define REMB_SHARE 0.85

void cab_rtc_adapt_init(struct cab_rtc_adapt *a, int rung, int best_rung)
{
	if (rung < 0 || rung >= CAB_MEDIA_LADDER_LEN)
		rung = 0;
	if (best_rung < 0 || best_rung >= CAB_MEDIA_LADDER_LEN)
		best_rung = 0;
	a->rung = rung < best_rung ? best_rung : rung;
	a->video_off = 0;
	a->bad_since_ms = a->good_since_ms = a->last_up_ms = a->last_bad_ms = -1;
	a->hold_ms = HOLD_MIN_MS;
	a->best_rung = best_rung;
}

/* The best rung whose bitrate fits SHARE of KBPS, or -1 when none does. */
static int rung_for(uint32_t kbps, int best)
{
	for (int r = best; r < CAB_MEDIA_LADDER_LEN; r++)
		if (cab_media_ladder[r].kbps <= kbps * REMB_SHARE)
			return r;
	return -1;
}

struct cab_rtc_adapt_out cab_rtc_adapt_update(struct cab_rtc_adapt *a,
                                              const struct cab_rtc_feedback *fb)
{
	struct cab_rtc_adapt_out o = {a->rung, a->video_off, 0, NULL};
	const int lowest = CAB_MEDIA_LADDER_LEN - 1;
	int remb_cap = fb->remb_kbps ? rung_for(fb->remb_kbps, a->best_rung) : a->best_rung;
	int lossy = fb->loss > LOSS_BAD;
	int remb_low = fb->remb_kbps && (remb_cap < 0 || remb_cap > a->rung);
	int bad = lossy || (!a->video_off && remb_low) || (a->video_off && remb_cap < 0);
	int clear = fb->loss >= 0 && fb->loss < LOSS_GOOD && !bad;

	if (bad) {
		if (a->bad_since_ms < 0)
			a->bad_since_ms = fb->t_ms;
		a->good_since_ms = -1;
		if (a->last_up_ms >= 0 && fb->t_ms - a->last_up_ms < UP_FAIL_MS &&
		    a->last_bad_ms < a->last_up_ms) {
			a->hold_ms = a->hold_ms * 2 > HOLD_MAX_MS ? HOLD_MAX_MS : a->hold_ms * 2;
		}
		a->last_bad_ms = fb->t_ms;
		int64_t held = fb->t_ms - a->bad_since_ms;
		if (!a->video_off && remb_low && remb_cap >= 0) {
			a->rung =
			    remb_cap; /* the browser said how much it takes: go there at once */
			o.reason = "remb";
			a->bad_since_ms = -1;
		} else if (!a->video_off && a->rung < lowest && held >= DOWN_AFTER_MS) {
			a->rung++;
			o.reason = "loss";
			a->bad_since_ms = -1;
		} else if (!a->video_off && a->rung == lowest &&
		           (held >= OFF_AFTER_MS || (remb_low && remb_cap < 0))) {
			a->video_off = 1;
			o.reason = lossy ? "loss" : "remb";
			a->bad_since_ms = -1;
		}
	} else {
		a->bad_since_ms = -1;
		if (!clear) {
			a->good_since_ms = -1;
		} else {
			if (a->good_since_ms < 0)
				a->good_since_ms = fb->t_ms;
			if (a->last_bad_ms >= 0 && fb->t_ms - a->last_bad_ms >= CALM_RESET_MS)
				a->hold_ms = HOLD_MIN_MS;
			int next_fits = !fb->remb_kbps ||
			                (a->video_off ? remb_cap >= 0
			                              : remb_cap >= 0 && remb_cap <= a->rung - 1);
			if (fb->t_ms - a->good_since_ms >= a->hold_ms && next_fits) {
				if (a->video_off) {
					a->video_off = 0;
					o.reason = "clear";
				} else if (a->rung > a->best_rung) {
					a->rung--;
					o.reason = "clear";
				}
				if (o.reason) {
					a->last_up_ms = fb->t_ms;
					a->good_since_ms = fb->t_ms;
				}
			}
		}
	}
	o.changed = o.rung != a->rung || o.video_off != a->video_off;
	o.rung = a->rung;
	o.video_off = a->video_off;
	if (!o.changed)
		o.reason = NULL;
	return o;
}
