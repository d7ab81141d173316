/* media_rtc_adapt.h — the WebRTC call's quality ladder (media_adapt.h's rungs: 1280x720@30
 * down to 640x360@15, then audio only) driven by what the browser tells the cabin in
 * RTCP: the loss fraction of receiver reports (RFC 3550 §6.4.2), the round-trip time
 * they give, and the receiver's estimated maximum bitrate (REMB,
 * draft-alvestrand-rmcat-remb-03) when it sends one. Pure: no clock, no I/O.
 *
 * The rules follow the loss-based controller of draft-ietf-rmcat-gcc-02 §6 (loss over
 * 10 % is congestion, under 2 % is room to grow), applied to a ladder:
 * - down one rung after 2 s of loss > 10 %, or at once to the best rung whose bitrate
 *   fits 85 % of a REMB below the current rung's bitrate;
 * - audio only after 3 s of loss > 10 % (or REMB under the lowest rung) at the lowest rung;
 * - up one rung (or video back) after a clear hold (loss < 2 % and REMB, if any, above
 *   the next rung's bitrate / 0.85) of 4 s, doubled (up to 32 s) when a step up meets
 *   congestion within 5 s, reset after 30 s without trouble. */
#ifndef CABIN_MEDIA_RTC_ADAPT_H
#define CABIN_MEDIA_RTC_ADAPT_H

#include <stdint.h>

#include "media_adapt.h"

/* One sample of RTCP feedback, taken about every 250-1000 ms. */
struct cab_rtc_feedback {
	int64_t t_ms;       /* monotonic ms */
	double loss;        /* fraction of video packets lost since the last sample, 0..1;
	                       < 0 unknown (no new receiver report) */
	int32_t rtt_ms;     /* RTCP round-trip time, ms; < 0 unknown */
	uint32_t remb_kbps; /* the browser's REMB, kbit/s; 0 none */
};

/* What the controller decided. */
struct cab_rtc_adapt_out {
	int rung;           /* 0..CAB_MEDIA_LADDER_LEN-1 */
	int video_off;      /* 1: audio only */
	int changed;        /* rung or video_off changed with this sample */
	const char *reason; /* English, for the log: "loss", "remb", "clear", NULL */
};

/* Controller state (fields are the controller's; read them for figures). */
struct cab_rtc_adapt {
	int rung, video_off;
	int64_t bad_since_ms;  /* start of the current congested stretch, -1 none */
	int64_t good_since_ms; /* start of the current clear stretch, -1 none */
	int64_t last_up_ms;    /* time of the last step up, -1 none */
	int64_t last_bad_ms;   /* last congested sample, -1 none */
	int64_t hold_ms;       /* current step-up hold (4000 .. 32000) */
	int best_rung;         /* never climbs above this rung */
};

/* Starts at RUNG with video on; BEST_RUNG caps the climb (0: the top). */
void cab_rtc_adapt_init(struct cab_rtc_adapt *a, int rung, int best_rung);

/* Feeds one sample; returns the decision. */
struct cab_rtc_adapt_out cab_rtc_adapt_update(struct cab_rtc_adapt *a,
                                              const struct cab_rtc_feedback *fb);

#endif
