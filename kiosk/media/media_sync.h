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

#endif
