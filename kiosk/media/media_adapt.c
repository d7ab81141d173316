/* media_adapt.c — the call's video quality ladder (media_adapt.h). Rungs from issue 6:
 * down to 640x360 at 15 fps and 300 kbit/s. */
#include "media_adapt.h"

const struct cab_media_rung cab_media_ladder[CAB_MEDIA_LADDER_LEN] = {
    {1280, 720, 30, 1500},
    {960, 540, 30, 900},
    {640, 360, 30, 500},
    {640, 360, 15, 300},
};
