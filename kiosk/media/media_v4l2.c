/* media_v4l2.c — V4L2 frame-size enumeration and the still-size choice
 * (media_v4l2.h). The ioctl part is thin; the choice is pure and unit-tested. */
#include "media_v4l2.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int cab_media_v4l2_sizes(const char *dev, struct cab_media_frame_size *out, int max)
{
	int fd = open(dev, O_RDWR | O_NONBLOCK | O_CLOEXEC), n = 0;
	if (fd < 0)
		return -errno;
	struct v4l2_capability cap;
	memset(&cap, 0, sizeof cap);
	if (ioctl(fd, VIDIOC_QUERYCAP, &cap) < 0 || !(cap.device_caps & V4L2_CAP_VIDEO_CAPTURE)) {
		close(fd);
		return -ENODEV;
	}
	for (uint32_t fi = 0; fi < 64 && n < max; fi++) {
		struct v4l2_fmtdesc fd_desc;
		memset(&fd_desc, 0, sizeof fd_desc);
		fd_desc.index = fi;
		fd_desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		if (ioctl(fd, VIDIOC_ENUM_FMT, &fd_desc) < 0)
			break;
		for (uint32_t si = 0; si < 64 && n < max; si++) {
			struct v4l2_frmsizeenum fs;
			memset(&fs, 0, sizeof fs);
			fs.index = si;
			fs.pixel_format = fd_desc.pixelformat;
			if (ioctl(fd, VIDIOC_ENUM_FRAMESIZES, &fs) < 0)
				break;
			if (fs.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
				out[n++] = (struct cab_media_frame_size){
				    fs.pixel_format, fs.discrete.width, fs.discrete.height};
			} else { /* stepwise or continuous: one entry, its largest size */
				out[n++] = (struct cab_media_frame_size){
				    fs.pixel_format, fs.stepwise.max_width, fs.stepwise.max_height};
				break;
			}
		}
	}
	close(fd);
	return n;
}

static int rank(uint32_t fourcc)
{
	if (fourcc == V4L2_PIX_FMT_MJPEG)
		return 2;
	if (fourcc == V4L2_PIX_FMT_YUYV)
		return 1;
	return 0;
}

int cab_media_pick_still_size(const struct cab_media_frame_size *sizes, int n, char size[24],
                              char input_format[16])
{
	int best = -1;
	for (int i = 0; i < n; i++) {
		uint64_t a = (uint64_t)sizes[i].width * sizes[i].height;
		if (a == 0)
			continue;
		if (best < 0) {
			best = i;
			continue;
		}
		uint64_t b = (uint64_t)sizes[best].width * sizes[best].height;
		if (a > b || (a == b && rank(sizes[i].fourcc) > rank(sizes[best].fourcc)))
			best = i;
	}
	if (best < 0)
		return -1;
	snprintf(size, 24, "%ux%u", sizes[best].width, sizes[best].height);
	const char *f = sizes[best].fourcc == V4L2_PIX_FMT_MJPEG  ? "mjpeg"
	                : sizes[best].fourcc == V4L2_PIX_FMT_YUYV ? "yuyv422"
	                                                          : "";
	snprintf(input_format, 16, "%s", f);
	return 0;
}
