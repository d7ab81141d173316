/* media_sync.c — the A/V decision, the audio clock and the offset statistics
 * (media_sync.h). Pure: no clock, no threads. */
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

int64_t cab_av_played_clock(int64_t last_pts_end_us, uint64_t queued_bytes,
                            uint32_t bytes_per_second, int64_t device_latency_us)
{
	int64_t c = cab_av_audio_clock(last_pts_end_us, queued_bytes, bytes_per_second) -
	            (device_latency_us > 0 ? device_latency_us : 0);
	return c < 0 && last_pts_end_us >= 0 ? 0 : c;
}

void cab_av_offset_add(struct cab_av_offset_stats *s, int64_t offset_us)
{
	int64_t a = offset_us < 0 ? -offset_us : offset_us;
	if (s->n == 0 || offset_us < s->min_us)
		s->min_us = offset_us;
	if (s->n == 0 || offset_us > s->max_us)
		s->max_us = offset_us;
	if (a > s->max_abs_us)
		s->max_abs_us = a;
	s->n++;
	s->sum_abs_us += (uint64_t)a;
	int64_t bin = a / 1000;
	s->hist[bin < CAB_AV_HIST_BINS - 1 ? bin : CAB_AV_HIST_BINS - 1]++;
}

int cab_av_offset_percentile_ms(const struct cab_av_offset_stats *s, int p)
{
	if (s->n == 0 || p <= 0)
		return -1;
	if (p > 100)
		p = 100;
	uint64_t need = (s->n * (uint64_t)p + 99) / 100, seen = 0;
	for (int b = 0; b < CAB_AV_HIST_BINS; b++) {
		seen += s->hist[b];
		if (seen >= need)
			return b;
	}
	return CAB_AV_HIST_BINS - 1;
}
