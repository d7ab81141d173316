/* media_venc.h — the live H.264 encoder: libx264, zerolatency tune, (constrained)
 * baseline profile, IDR at least every 2 s and on request, scaling input frames with
 * libswscale into the current ladder rung keeping their aspect ratio (black bars
 * around a 4:3 exam camera in a 16:9 rung), and reopening itself at a new rung. */
#ifndef CABIN_MEDIA_VENC_H
#define CABIN_MEDIA_VENC_H

#include <stdint.h>

struct AVCodecContext;
struct AVFrame;
struct AVPacket;
struct SwsContext;

/* Receives each encoded access unit; PTS_US on the caller's clock. Returns 0 or -1. */
typedef int (*cab_media_venc_emit)(void *user, const struct AVPacket *pkt, int64_t pts_us,
                                   int is_key);

struct cab_media_venc {
	struct AVCodecContext *ctx;
	struct SwsContext *sws;
	struct AVFrame *scaled;
	int width, height, fps; /* current output: pixels, frames per second */
	uint32_t kbps;          /* current bitrate target, kbit/s */
	const char *preset;     /* x264 preset name ("ultrafast" by default) */
	int force_key;          /* next frame is an IDR */
	int64_t next_due_us;    /* frame-rate decimation: next input pts accepted */
	int64_t last_pts_us;    /* last pts given to the encoder (strictly increasing) */
	uint64_t frames_in, frames_encoded, keyframes, reopen_count;
};

/* Where a SRC_W x SRC_H picture (pixel aspect SAR_NUM:SAR_DEN, 0:0 = square) goes
 * inside a DST_W x DST_H frame keeping its shape: the largest centred rectangle,
 * position and size even (4:2:0 chroma), written to *X, *Y, *W, *H. Pure. */
void cab_media_fit_rect(int src_w, int src_h, int sar_num, int sar_den, int dst_w, int dst_h,
                        int *x, int *y, int *w, int *h);

/* Opens V for WIDTH x HEIGHT at FPS and KBPS with x264 PRESET (NULL: "ultrafast").
 * Returns 0 or a negative AVERROR. */
int cab_media_venc_open(struct cab_media_venc *v, int width, int height, int fps, uint32_t kbps,
                        const char *preset);

/* Reopens V with new size, rate and bitrate (a ladder change); the first frame of
 * the new encoder is an IDR. Returns 0 or a negative AVERROR (V is then closed). */
int cab_media_venc_reconfigure(struct cab_media_venc *v, int width, int height, int fps,
                               uint32_t kbps);

/* Asks for an IDR on the next encoded frame. */
void cab_media_venc_request_key(struct cab_media_venc *v);

/* Encodes FRAME (any size and pixel format) captured at PTS_US unless it falls
 * between two frames of the current rate (then it is skipped, return 0). Each
 * packet goes to EMIT. Returns 0, or a negative AVERROR. */
int cab_media_venc_encode(struct cab_media_venc *v, const struct AVFrame *frame, int64_t pts_us,
                          cab_media_venc_emit emit, void *user);

/* Frees everything (safe on a zeroed or closed encoder). */
void cab_media_venc_close(struct cab_media_venc *v);

#endif
