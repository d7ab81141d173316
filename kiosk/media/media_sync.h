/* media_sync.h — audio/video synchronisation: the pure decision to present, drop or
 * hold a decoded video frame given the audio clock (the audio device is the master
 * clock, as players usually do). Target: |video - audio| within 80 ms (issue 6;
 * ITU-R BT.1359-1 puts detectability at +45 ms / -125 ms, audio ahead / behind). */
#ifndef CABIN_MEDIA_SYNC_H
#define CABIN_MEDIA_SYNC_H

#include <stdint.h>

#define CAB_AV_MAX_LATE_US 80000  /* a frame later than this behind audio is dropped */
#define CAB_AV_MAX_EARLY_US 10000 /* a frame earlier than this ahead of audio waits */
#define CAB_AV_RESYNC_US 2000000  /* beyond this the clocks are unrelated: show, resync */

enum cab_av_action {
	CAB_AV_PRESENT = 0, /* show the frame now */
	CAB_AV_WAIT = 1,    /* too early: keep it, ask again after wait_us */
	CAB_AV_DROP = 2,    /* too late: discard it, take the next one */
	CAB_AV_RESYNC = 3,  /* clocks far apart (stream restarted): show it and reset */
};

struct cab_av_decision {
	enum cab_av_action action;
	int64_t wait_us;   /* WAIT: microseconds until the frame is due; else 0 */
	int64_t offset_us; /* video pts minus audio clock, microseconds (+ = video early) */
};

/* Decides what to do with the video frame of presentation time VIDEO_PTS_US when
 * the audio being heard now has time AUDIO_CLOCK_US (same clock as the pts: the
 * sender's origin). AUDIO_VALID = 0 means no audio clock (muted, no audio stream):
 * the frame is presented (the caller paces video on its own). Pure. */
struct cab_av_decision cab_av_decide(int64_t video_pts_us, int64_t audio_clock_us, int audio_valid);

/* The audio clock from the player's point of view: pts of the last audio sample
 * handed to the device, LAST_PTS_END_US, minus what is still buffered in the device,
 * QUEUED_BYTES at BYTES_PER_SECOND. Pure; returns microseconds. */
int64_t cab_av_audio_clock(int64_t last_pts_end_us, uint64_t queued_bytes,
                           uint32_t bytes_per_second);

/* The played position of an audio device fed by a queue (SDL_QueueAudio): the
 * audio clock above minus DEVICE_LATENCY_US, the device's own buffer that has left
 * the queue but is not heard yet (one SDL buffer: obtained.samples / freq). Never
 * below 0 when LAST_PTS_END_US >= 0 and the subtraction would overshoot (a clock
 * before the stream start is clamped to 0). Pure; microseconds. */
int64_t cab_av_played_clock(int64_t last_pts_end_us, uint64_t queued_bytes,
                            uint32_t bytes_per_second, int64_t device_latency_us);

/* Distribution of the A/V offsets of presented frames, |offset| in 1 ms bins
 * (0..CAB_AV_HIST_BINS-2 ms; the last bin holds everything larger). */
#define CAB_AV_HIST_BINS 512
struct cab_av_offset_stats {
	uint64_t n;                      /* offsets recorded */
	int64_t min_us, max_us;          /* signed extremes (+ = video early); 0 when n == 0 */
	int64_t max_abs_us;              /* largest |offset| */
	uint64_t sum_abs_us;             /* sum of |offset|, for the mean */
	uint32_t hist[CAB_AV_HIST_BINS]; /* count per floor(|offset| / 1 ms) */
};

/* Records one offset (microseconds, video pts minus audio clock). Pure. */
void cab_av_offset_add(struct cab_av_offset_stats *s, int64_t offset_us);

/* The P-th percentile (0 < P <= 100) of |offset| in whole milliseconds: the
 * smallest bin b such that at least ceil(P% of n) offsets have floor(|offset|/1 ms)
 * <= b. -1 when n == 0. Pure. */
int cab_av_offset_percentile_ms(const struct cab_av_offset_stats *s, int p);

#endif
