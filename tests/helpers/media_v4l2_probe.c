/* media_v4l2_probe.c — runs kiosk/media/media_v4l2.c against an emulated UVC camera:
 * a umockdev testbed provides /dev/video0 whose ioctl handler answers the V4L2
 * enumeration ioctls like a typical USB otoscope (YUYV up to 1280x720, MJPEG up to
 * 2592x1944, both discrete). Prints TAP. Run: umockdev-wrapper media_v4l2_probe */
#include <errno.h>
#include <linux/videodev2.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <umockdev.h>

#include "kiosk/media/media_v4l2.h"

struct mode {
	uint32_t fourcc, w, h;
};

/* The camera: formats in enumeration order, each with its discrete sizes. */
static const uint32_t formats[] = {V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_MJPEG};
static const struct mode modes[] = {
    {V4L2_PIX_FMT_YUYV, 640, 480},    {V4L2_PIX_FMT_YUYV, 1280, 720},
    {V4L2_PIX_FMT_MJPEG, 640, 480},   {V4L2_PIX_FMT_MJPEG, 1280, 720},
    {V4L2_PIX_FMT_MJPEG, 2592, 1944}, {V4L2_PIX_FMT_MJPEG, 1920, 1080},
};

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer u)
{
	(void)h;
	(void)u;
	GError *e = NULL;
	gulong req = umockdev_ioctl_client_get_request(c);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(c);
	if (req == VIDIOC_QUERYCAP) {
		UMockdevIoctlData *d =
		    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct v4l2_capability), &e);
		struct v4l2_capability *cap = (struct v4l2_capability *)d->data;
		memset(cap, 0, sizeof *cap);
		snprintf((char *)cap->driver, sizeof cap->driver, "uvcvideo");
		snprintf((char *)cap->card, sizeof cap->card, "Synthetic Otoscope");
		cap->capabilities =
		    V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING | V4L2_CAP_DEVICE_CAPS;
		cap->device_caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
		umockdev_ioctl_client_complete(c, 0, 0);
	} else if (req == VIDIOC_ENUM_FMT) {
		UMockdevIoctlData *d =
		    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct v4l2_fmtdesc), &e);
		struct v4l2_fmtdesc *f = (struct v4l2_fmtdesc *)d->data;
		if (f->index >= sizeof formats / sizeof formats[0]) {
			umockdev_ioctl_client_complete(c, -1, EINVAL);
			return TRUE;
		}
		f->pixelformat = formats[f->index];
		umockdev_ioctl_client_complete(c, 0, 0);
	} else if (req == VIDIOC_ENUM_FRAMESIZES) {
		UMockdevIoctlData *d =
		    umockdev_ioctl_data_resolve(arg, 0, sizeof(struct v4l2_frmsizeenum), &e);
		struct v4l2_frmsizeenum *fs = (struct v4l2_frmsizeenum *)d->data;
		uint32_t k = 0;
		for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
			if (modes[i].fourcc != fs->pixel_format)
				continue;
			if (k++ == fs->index) {
				fs->type = V4L2_FRMSIZE_TYPE_DISCRETE;
				fs->discrete.width = modes[i].w;
				fs->discrete.height = modes[i].h;
				umockdev_ioctl_client_complete(c, 0, 0);
				return TRUE;
			}
		}
		umockdev_ioctl_client_complete(c, -1, EINVAL);
	} else {
		umockdev_ioctl_client_complete(c, -1, ENOTTY);
	}
	return TRUE;
}

int main(void)
{
	GError *err = NULL;
	int n = 0, fails = 0;
	UMockdevTestbed *tb = umockdev_testbed_new();
	if (!umockdev_in_mock_environment()) {
		printf("1..0 # SKIP not under umockdev-wrapper\n");
		return 0;
	}
	umockdev_testbed_add_from_string(
	    tb,
	    "P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/video4linux/video0\n"
	    "N: video0\nE: SUBSYSTEM=video4linux\nE: DEVNAME=/dev/video0\nA: dev=81:0\n"
	    "A: name=Synthetic Otoscope\n",
	    &err);
	UMockdevIoctlBase *hb = g_object_new(UMOCKDEV_TYPE_IOCTL_BASE, NULL);
	g_signal_connect(hb, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
	if (!umockdev_testbed_attach_ioctl(tb, "/dev/video0", hb, &err)) {
		printf("1..0 # SKIP cannot attach the ioctl handler: %s\n",
		       err ? err->message : "?");
		return 0;
	}
	printf("1..4\n");
	struct cab_media_frame_size fs[CAB_MEDIA_V4L2_MAX_SIZES];
	int k = cab_media_v4l2_sizes("/dev/video0", fs, CAB_MEDIA_V4L2_MAX_SIZES);
	n++;
	fails += k != 6;
	printf("%s %d - six sizes enumerated over two formats (got %d)\n", k == 6 ? "ok" : "not ok",
	       n, k);
	char size[24] = "", infmt[16] = "";
	int rc = cab_media_pick_still_size(fs, k > 0 ? k : 0, size, infmt);
	n++;
	int good = rc == 0 && strcmp(size, "2592x1944") == 0 && strcmp(infmt, "mjpeg") == 0;
	fails += !good;
	printf("%s %d - still at full resolution: %s as %s\n", good ? "ok" : "not ok", n, size,
	       infmt);
	k = cab_media_v4l2_sizes("/dev/video7", fs, CAB_MEDIA_V4L2_MAX_SIZES);
	n++;
	fails += k >= 0;
	printf("%s %d - an absent camera is an error (%d)\n", k < 0 ? "ok" : "not ok", n, k);
	n++;
	rc = cab_media_pick_still_size(fs, 0, size, infmt);
	fails += rc != -1;
	printf("%s %d - no sizes, no choice\n", rc == -1 ? "ok" : "not ok", n);
	g_object_unref(hb);
	g_object_unref(tb);
	return fails ? 1 : 0;
}
