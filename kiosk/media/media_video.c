/* media_video.c — the sender's video thread: camera (or test source) capture,
 * frame-rate decimation, H.264 encoding at the current ladder rung, live rung
 * changes, camera switches and full-resolution stills (media_sender_int.h). */
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <string.h>

#include "log.h"
#include "media_sender_int.h"
#include "media_still.h"
#include "media_v4l2.h"

static int video_emit(void *user, const AVPacket *pkt, int64_t pts_us, int is_key)
{
	struct cab_media_sender *s = user;
	struct cab_media_packet p = {0};
	p.type = CAB_MEDIA_PKT_MEDIA;
	p.stream = CAB_MEDIA_STREAM_VIDEO;
	p.codec = CAB_MEDIA_CODEC_H264;
	p.flags = is_key ? CAB_MEDIA_FLAG_KEY : 0;
	p.seq = s->vseq++;
	p.pts_us = pts_us < 0 ? 0 : pts_us;
	p.payload = pkt->data;
	p.payload_len = (uint32_t)pkt->size;
	if (is_key) {
		p.has_config = 1;
		p.config.width = (uint16_t)s->venc.width;
		p.config.height = (uint16_t)s->venc.height;
		p.config.fps = (uint8_t)s->venc.fps;
	}
	return cab_msend_queue_packet(s, &p, 1, 0);
}

static int open_camera(struct cab_media_sender *s, struct cab_media_source *src, int index,
                       struct pts_map *pm)
{
	cab_media_source_close(src);
	int rc =
	    cab_media_source_open(src, &s->cfg.cameras[index], CAB_MEDIA_VIDEO, NULL, &s->stop);
	memset(pm, 0, sizeof *pm);
	if (rc < 0)
		return rc;
	s->camera = index;
	s->video_is_test = src->is_test;
	struct cab_media_event ev = {CAB_MEDIA_EV_SOURCE,
	                             CAB_MEDIA_STREAM_VIDEO,
	                             src->is_test,
	                             s->cfg.cameras[index].label,
	                             0,
	                             src->desc};
	cab_msend_event(s, &ev);
	cab_media_venc_request_key(&s->venc);
	return 0;
}

/* Captures one still of camera INDEX at its full resolution (the live source is
 * released first when it is the same device). */
static void take_still(struct cab_media_sender *s, struct cab_media_source *live, int index,
                       struct pts_map *pm)
{
	const struct cab_media_source_cfg *cfg = &s->cfg.cameras[index];
	struct cab_media_source src;
	struct cab_media_still still = {0};
	AVFrame *f = av_frame_alloc();
	int same = index == s->camera, rc = f ? 0 : AVERROR(ENOMEM);
	if (same)
		cab_media_source_close(live);
	const char *size = cfg->still_size;
	int absent = !cfg->device || !cfg->device[0];
	struct cab_media_source_cfg probed = *cfg;
	char wxh[24], infmt[16];
	if (!size && absent)
		size = "1600x1200"; /* the test source's "full resolution" */
	if (!size && !absent && (!cfg->format || strcmp(cfg->format, "v4l2") == 0)) {
		/* No size configured: ask the camera for its largest one. */
		struct cab_media_frame_size fs[CAB_MEDIA_V4L2_MAX_SIZES];
		int n = cab_media_v4l2_sizes(cfg->device, fs, CAB_MEDIA_V4L2_MAX_SIZES);
		if (n > 0 && cab_media_pick_still_size(fs, n, wxh, infmt) == 0) {
			size = wxh;
			if (infmt[0])
				probed.input_format = infmt;
			cfg = &probed;
		}
	}
	if (rc == 0)
		rc = cab_media_source_open(&src, cfg, CAB_MEDIA_VIDEO, size, &s->stop);
	if (rc == 0) {
		/* A real camera's first frames may be dark while exposure settles. */
		int frames = src.is_test ? 1 : 4;
		for (int i = 0; i < frames && rc == 0; i++)
			rc = cab_media_source_read(&src, f);
		if (rc == 0)
			rc = cab_media_still_encode(f, 3, &still);
		still.is_test = src.is_test;
		cab_media_source_close(&src);
	}
	av_frame_free(&f);
	if (same && open_camera(s, live, index, pm) < 0)
		cab_err("media", "camera %d did not reopen after the still", index);
	if (rc < 0) {
		struct cab_media_event ev = {CAB_MEDIA_EV_STILL_FAILED,
		                             CAB_MEDIA_STREAM_STILL,
		                             0,
		                             cfg->label,
		                             0,
		                             av_err2str(rc)};
		cab_msend_event(s, &ev);
		return;
	}
	still.camera = index;
	still.pts_us = cab_msend_mono_us() - s->origin_us;
	pthread_mutex_lock(&s->lock);
	s->stills++;
	uint32_t seq = (uint32_t)s->stills - 1;
	pthread_mutex_unlock(&s->lock);
	if (s->cfg.send_stills) {
		struct cab_media_packet p = {0};
		p.type = CAB_MEDIA_PKT_STILL;
		p.stream = CAB_MEDIA_STREAM_STILL;
		p.codec = CAB_MEDIA_CODEC_JPEG;
		p.flags = CAB_MEDIA_FLAG_KEY;
		p.seq = seq;
		p.pts_us = still.pts_us;
		p.still_width = (uint16_t)still.width;
		p.still_height = (uint16_t)still.height;
		memcpy(p.still_sha256, still.sha256, 32);
		p.payload = still.jpeg;
		p.payload_len = (uint32_t)still.len;
		cab_msend_queue_packet(s, &p, 0, 1);
	}
	cab_info("media", "still from %s: %dx%d, %zu bytes", cfg->label ? cfg->label : "camera",
	         still.width, still.height, still.len);
	if (s->cfg.on_still)
		s->cfg.on_still(s->cfg.event_user, &still); /* takes ownership */
	else
		cab_media_still_free(&still);
}

static void apply_rung(struct cab_media_sender *s, int rung)
{
	const struct cab_media_rung *r = &cab_media_ladder[rung];
	if (cab_media_venc_reconfigure(&s->venc, r->width, r->height, r->fps, r->kbps) < 0) {
		struct cab_media_event ev = {
		    CAB_MEDIA_EV_ERROR,           CAB_MEDIA_STREAM_VIDEO, 0, NULL, rung,
		    "video encoder reopen failed"};
		cab_msend_event(s, &ev);
		return;
	}
	s->rung_now = rung;
	cab_info("media", "video now %dx%d@%d %u kbit/s", r->width, r->height, r->fps, r->kbps);
	struct cab_media_event ev = {
	    CAB_MEDIA_EV_LADDER, CAB_MEDIA_STREAM_VIDEO, 0, NULL, rung, ""};
	cab_msend_event(s, &ev);
}

void *cab_msend_video_main(void *arg)
{
	struct cab_media_sender *s = arg;
	struct cab_media_source src = {0};
	struct pts_map pm = {0};
	AVFrame *f = av_frame_alloc();
	const struct cab_media_rung *r0 = &cab_media_ladder[s->rung_now];
	int rc = f ? 0 : AVERROR(ENOMEM);
	if (rc == 0)
		rc = cab_media_venc_open(&s->venc, r0->width, r0->height, r0->fps, r0->kbps,
		                         s->cfg.x264_preset);
	if (rc == 0)
		rc = open_camera(s, &src, 0, &pm);
	while (rc == 0 && !s->stop) {
		pthread_mutex_lock(&s->lock);
		int cam = s->req_camera, still = s->req_still, key = s->req_key;
		int rung = s->req_rung, off = s->req_video_off;
		s->req_still = -1;
		s->req_key = 0;
		pthread_mutex_unlock(&s->lock);
		if (still >= 0)
			take_still(s, &src, still, &pm);
		if (cam != s->camera && open_camera(s, &src, cam, &pm) < 0) {
			cab_err("media", "camera %d failed: back to camera 0", cam);
			pthread_mutex_lock(&s->lock);
			s->req_camera = 0;
			pthread_mutex_unlock(&s->lock);
			rc = open_camera(s, &src, 0, &pm);
			continue;
		}
		if (rung != s->rung_now)
			apply_rung(s, rung);
		if (off != s->video_off_now) {
			s->video_off_now = off;
			struct cab_media_event ev = {
			    off ? CAB_MEDIA_EV_VIDEO_OFF : CAB_MEDIA_EV_VIDEO_ON,
			    CAB_MEDIA_STREAM_VIDEO,
			    0,
			    NULL,
			    s->rung_now,
			    off ? "link too poor for video" : "video back"};
			cab_msend_event(s, &ev);
			if (!off)
				cab_media_venc_request_key(&s->venc);
		}
		if (!s->venc.ctx) {
			rc = AVERROR(EINVAL);
			break;
		}
		if (key || cab_media_queue_take_key_request(&s->q, CAB_MEDIA_STREAM_VIDEO))
			cab_media_venc_request_key(&s->venc);
		if (!src.dec) { /* the camera did not come back after a still: try once more */
			rc = open_camera(s, &src, s->camera, &pm);
			if (rc < 0)
				break;
		}
		rc = cab_media_source_read(&src, f);
		if (rc < 0)
			break;
		int64_t now = cab_msend_mono_us() - s->origin_us;
		int64_t pts = cab_msend_map_pts(&pm,
		                                f->pts == AV_NOPTS_VALUE
		                                    ? AV_NOPTS_VALUE
		                                    : cab_media_source_pts_us(&src, f->pts),
		                                now);
		pthread_mutex_lock(&s->lock);
		s->captured++;
		pthread_mutex_unlock(&s->lock);
		if (s->video_off_now)
			continue;
		rc = cab_media_venc_encode(&s->venc, f, pts, video_emit, s);
	}
	if (rc < 0 && rc != AVERROR_EXIT && !s->stop) {
		cab_err("media", "video pipeline stopped: %s", av_err2str(rc));
		struct cab_media_event ev = {
		    CAB_MEDIA_EV_ERROR,      CAB_MEDIA_STREAM_VIDEO, 0, NULL, 0,
		    "video pipeline stopped"};
		cab_msend_event(s, &ev);
	}
	cab_media_source_close(&src);
	av_frame_free(&f);
	cab_msend_thread_cpu(s);
	return NULL;
}
