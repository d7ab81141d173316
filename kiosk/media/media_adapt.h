/* media_adapt.h — the call's video quality ladder: the rungs the sender encodes at
 * and the WebRTC peer's controller walks (media_rtc_adapt.h, driven by RTCP
 * feedback: the only adaptation of the call). */
#ifndef CABIN_MEDIA_ADAPT_H
#define CABIN_MEDIA_ADAPT_H

#include <stdint.h>

/* One step of the ladder. */
struct cab_media_rung {
	uint16_t width, height; /* pixels */
	uint8_t fps;            /* frames per second */
	uint32_t kbps;          /* video bitrate target, kbit/s */
};

#define CAB_MEDIA_LADDER_LEN 4
/* 1280x720@30 1500k, 960x540@30 900k, 640x360@30 500k, 640x360@15 300k (issue 6:
 * down to 640x360 at 15 fps and 300 kbit/s). Rung 0 is the best. */
extern const struct cab_media_rung cab_media_ladder[CAB_MEDIA_LADDER_LEN];

#endif
