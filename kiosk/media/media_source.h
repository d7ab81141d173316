/* media_source.h — one capture input through libavdevice: a V4L2 camera, an ALSA
 * microphone or stethoscope, or, when the configured device is absent, a lavfi test
 * source (the caller is told, so the screen can say "test source"). Yields decoded
 * frames (raw video, MJPEG from UVC cameras and PCM all pass through libavcodec). */
#ifndef CABIN_MEDIA_SOURCE_H
#define CABIN_MEDIA_SOURCE_H

#include <stdint.h>

struct AVFormatContext;
struct AVCodecContext;
struct AVFrame;
struct AVPacket;

/* Configuration of one input (from the cabin's configuration file). */
struct cab_media_source_cfg {
	const char *label; /* "room", "otoscope", "dermatoscope", "microphone", "stethoscope" */
	const char
	    *format; /* libavdevice input: "v4l2", "alsa"; NULL: v4l2 for video, alsa for audio */
	const char *device;     /* "/dev/video0", "hw:CARD=Steth,DEV=0"; NULL or "": test source */
	const char *video_size; /* live capture size "WxH"; NULL: device default (test: 1280x720) */
	const char *still_size; /* full-resolution still size "WxH"; NULL: device default (test:
	                           1600x1200) */
	const char *input_format; /* V4L2 pixel format wish, e.g. "mjpeg"; NULL: driver default */
	int fps;                  /* capture frame rate wish; 0: 30 */
	const char *test_graph;   /* lavfi graph standing in for an absent device; NULL: default */
	double test_tone_hz;      /* audio test source frequency, Hz; 0: 440 */
};

enum cab_media_kind { CAB_MEDIA_VIDEO = 0, CAB_MEDIA_AUDIO = 1 };

/* An open input. */
struct cab_media_source {
	struct AVFormatContext *fmt;
	struct AVCodecContext *dec;
	struct AVPacket *pkt;
	int stream_index;
	int is_test; /* 1: the lavfi test source stands in for the device */
	enum cab_media_kind kind;
	int tb_num, tb_den; /* time base of frame->pts */
	volatile int *stop; /* when *stop becomes non-zero, blocking reads return */
	char desc[160];     /* what was opened, for logs (no personal data) */
};

/* Opens CFG as KIND. SIZE overrides the capture size ("WxH", e.g. the still size),
 * NULL keeps cfg->video_size. A missing or failing device falls back to the lavfi
 * test source (is_test = 1). STOP may be NULL. Returns 0, or a negative AVERROR. */
int cab_media_source_open(struct cab_media_source *src, const struct cab_media_source_cfg *cfg,
                          enum cab_media_kind kind, const char *size, volatile int *stop);

/* Reads the next decoded frame into FRAME (unref'd first). Returns 0, AVERROR_EOF, or
 * a negative AVERROR (AVERROR_EXIT when stopped). */
int cab_media_source_read(struct cab_media_source *src, struct AVFrame *frame);

/* Converts a frame pts in the source time base to microseconds. */
int64_t cab_media_source_pts_us(const struct cab_media_source *src, int64_t pts);

/* Closes SRC (safe on a zeroed or closed source). */
void cab_media_source_close(struct cab_media_source *src);

/* Registers libavdevice inputs (once; thread-safe). */
void cab_media_global_init(void);

#endif
