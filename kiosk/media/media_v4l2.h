/* media_v4l2.h — the largest frame size a UVC/V4L2 camera offers, for exam stills
 * "at the camera's full resolution". FFmpeg's v4l2 input only prints its format
 * list to the log, so the sizes are read with the V4L2 enumeration ioctls
 * (VIDIOC_ENUM_FMT, VIDIOC_ENUM_FRAMESIZES: Linux media uAPI, "V4L2 Function
 * Reference"), and the choice among them is a pure function. */
#ifndef CABIN_MEDIA_V4L2_H
#define CABIN_MEDIA_V4L2_H

#include <stdint.h>

/* One size a camera offers in one pixel format. */
struct cab_media_frame_size {
	uint32_t fourcc;        /* V4L2 pixel format, e.g. V4L2_PIX_FMT_MJPEG */
	uint32_t width, height; /* pixels */
};

#define CAB_MEDIA_V4L2_MAX_SIZES 64

/* Lists up to MAX sizes of video device DEV into OUT (stepwise ranges give their
 * largest size). Returns how many, or -errno (no device, not a capture device). */
int cab_media_v4l2_sizes(const char *dev, struct cab_media_frame_size *out, int max);

/* Picks the still size from SIZES (N): the largest area; on a tie, MJPEG first
 * (a UVC camera sends its full resolution compressed at a usable rate), then
 * YUYV. Writes "WxH" into SIZE and the libavdevice input_format name ("mjpeg",
 * "yuyv422", or "" for another format) into INPUT_FORMAT. Returns 0, or -1 when
 * N is 0. Pure. */
int cab_media_pick_still_size(const struct cab_media_frame_size *sizes, int n, char size[24],
                              char input_format[16]);

#endif
