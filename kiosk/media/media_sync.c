/* media_sync.c — the A/V decision (media_sync.h). No clock, no state. */
#include "media_sync.h"

struct cab_av_decision cab_av_decide(int64_t video_pts_us, int64_t audio_clock_us, int audio_valid)
{
	struct cab_av_decision d = {CAB_AV_PRESENT, 0, 0};
	if (!audio_valid)
		return d;
	d.offset_us = video_pts_us - audio_clock_us;
	if (d.offset_us > CAB_AV_RESYNC_US || d.offset_us < -CAB_AV_RESYNC_US)
		d.action = CAB_AV_RESYNC;
	else if (d.offset_us > CAB_AV_MAX_EARLY_US) {
		d.action = CAB_AV_WAIT;
		d.wait_us = d.offset_us;
	} else if (d.offset_us < -CAB_AV_MAX_LATE_US)
		d.action = CAB_AV_DROP;
	return d;
}

int64_t cab_av_audio_clock(int64_t last_pts_end_us, uint64_t queued_bytes,
                           uint32_t bytes_per_second)
{
	if (bytes_per_second == 0)
		return last_pts_end_us;
	return last_pts_end_us - (int64_t)(queued_bytes * 1000000u / bytes_per_second);
}
