/* media_adapt.h — link adaptation: a pure controller that walks a quality ladder
 * down quickly when the link is congested (growing backlog, drops, RTT rise) and
 * back up slowly when it is clear (hysteresis), and says when video must stop
 * (audio only). Inputs come from the link as struct cab_media_link_sample. */
#ifndef CABIN_MEDIA_ADAPT_H
#define CABIN_MEDIA_ADAPT_H

#include <stdint.h>

/* One step of the ladder. */
struct cab_media_rung {
	uint16_t width, height; /* pixels */
	uint8_t fps;            /* frames per second */
	uint32_t kbps;          /* video bitrate target, kbit/s */
};

#define CAB_MEDIA_LADDER_LEN 4
/* 1280x720@30 1500k, 960x540@30 900k, 640x360@30 500k, 640x360@15 300k (issue 6:
 * down to 640x360 at 15 fps and 300 kbit/s). Rung 0 is the best. */
extern const struct cab_media_rung cab_media_ladder[CAB_MEDIA_LADDER_LEN];

/* What the link reports, sampled every 100-500 ms. Counters are cumulative. */
struct cab_media_link_sample {
	int64_t t_ms;         /* monotonic time of the sample, ms */
	uint64_t bytes_sent;  /* media bytes handed to the link so far */
	uint64_t bytes_acked; /* media bytes the peer (or the transport) confirmed so far */
	uint64_t queue_bytes; /* bytes waiting in the media send queue now */
	uint32_t queue_msgs;  /* messages waiting in the media send queue now */
	uint64_t drops;       /* messages dropped by the send queue so far */
	int32_t rtt_ms;       /* latest round-trip time, ms; < 0 when unknown */
};

/* Tunables (defaults from cab_media_adapt_init, justified in docs/media.md). */
struct cab_media_adapt_params {
	int64_t down_hold_ms;   /* congestion must last this long before a step down (1000) */
	int64_t up_hold_ms;     /* clear link for this long before a step up (4000) */
	int64_t off_hold_ms;    /* congested at the lowest rung this long: video off (3000) */
	int64_t max_delay_ms;   /* backlog / throughput above this is congestion (400) */
	int64_t clear_delay_ms; /* below this (and no drops, RTT near base) is clear (150) */
	int32_t rtt_rise_ms;    /* RTT above its minimum by more than this is congestion (300) */
	int best_rung;          /* never step up above (below the index of) this rung (0) */
};

/* Controller state; fields are read-only for callers. */
struct cab_media_adapt {
	struct cab_media_adapt_params p;
	int rung;      /* current rung index, 0..CAB_MEDIA_LADDER_LEN-1 */
	int video_off; /* 1: audio only */
	int have_last;
	struct cab_media_link_sample last;
	double tput_Bps;         /* smoothed acknowledged throughput, bytes/s */
	double in_Bps;           /* smoothed rate entering the link path (sent + queued), bytes/s */
	int32_t rtt_min_ms;      /* lowest RTT seen (base), -1 unknown */
	int64_t congested_since; /* ms, -1 when not congested */
	int64_t last_congested_ms; /* time of the last congested sample, -1 none */
	int64_t clear_since;       /* ms, -1 when not clear */
	int64_t last_change_ms;
	int64_t last_up_ms;     /* time of the last step up, -1 none */
	int64_t cur_up_hold_ms; /* up hold, doubled when a step up failed (max 32 s) */
	int congested;          /* verdict of the last sample */
	double delay_ms;        /* backlog delay of the last sample */
	double last_backlog;    /* backlog of the last sample, bytes */
};

/* The controller's verdict after one sample. */
struct cab_media_adapt_out {
	int rung;           /* rung to use */
	int video_off;      /* 1: stop video, keep audio; tell the patient, log an incident */
	int changed;        /* 1 if rung or video_off changed with this sample */
	const char *reason; /* short English reason of the change, or "" */
};

/* Starts at START_RUNG (clamped) with the default parameters. */
void cab_media_adapt_init(struct cab_media_adapt *a, int start_rung);

/* Feeds one sample (time must not go back). Pure: state in A, no clock. */
struct cab_media_adapt_out cab_media_adapt_update(struct cab_media_adapt *a,
                                                  const struct cab_media_link_sample *s);

#endif
