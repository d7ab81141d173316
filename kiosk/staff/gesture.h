/* gesture.h — the staff's hidden gesture: a long press (3 s) in the top-left corner
 * of the screen (over the logo), the finger staying still; it opens the PIN pad,
 * whose "Technician" button leads to the service menu's password. Pure: the
 * caller passes pointer events with its clock's milliseconds. */
#ifndef CABIN_STAFF_GESTURE_H
#define CABIN_STAFF_GESTURE_H

#include <stdbool.h>
#include <stdint.h>

#define CAB_GESTURE_HOLD_MS 3000 /* press duration */
#define CAB_GESTURE_CORNER_PX 96 /* size of the corner square */
#define CAB_GESTURE_SLOP_PX 24   /* movement allowed while holding */

/* Tracker state. */
struct cab_gesture {
	bool down;     /* a press started in the corner and is still valid */
	int x0, y0;    /* where it started */
	int64_t t0_ms; /* when */
	bool fired;    /* already reported for this press */
};

/* Feeds a press at X,Y (window pixels) at T_MS. */
void cab_gesture_down(struct cab_gesture *g, int x, int y, int64_t t_ms);
/* Feeds a move; moving further than the slop cancels. */
void cab_gesture_move(struct cab_gesture *g, int x, int y);
/* Feeds a release: ends the press. */
void cab_gesture_up(struct cab_gesture *g);
/* True once per press when it has been held long enough at T_MS (call it on every
 * event and from the loop's timer, the finger may stay still without events). */
bool cab_gesture_poll(struct cab_gesture *g, int64_t t_ms);

#endif
