/* gesture.c — long press in the top-left corner (see gesture.h). */
#include "kiosk/staff/gesture.h"

#include <stdlib.h>

void cab_gesture_down(struct cab_gesture *g, int x, int y, int64_t t_ms)
{
	g->down = x >= 0 && y >= 0 && x < CAB_GESTURE_CORNER_PX && y < CAB_GESTURE_CORNER_PX;
	g->x0 = x;
	g->y0 = y;
	g->t0_ms = t_ms;
	g->fired = false;
}

void cab_gesture_move(struct cab_gesture *g, int x, int y)
{
	if (g->down &&
	    (abs(x - g->x0) > CAB_GESTURE_SLOP_PX || abs(y - g->y0) > CAB_GESTURE_SLOP_PX))
		g->down = false;
}

void cab_gesture_up(struct cab_gesture *g)
{
	g->down = false;
}

bool cab_gesture_poll(struct cab_gesture *g, int64_t t_ms)
{
	if (!g->down || g->fired || t_ms - g->t0_ms < CAB_GESTURE_HOLD_MS)
		return false;
	g->fired = true;
	return true;
}
