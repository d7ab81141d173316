/* recorder.h — test helper: device manager callbacks that record every event, and
 * waiting for an event with a deadline (no timed assertions: a deadline only
 * bounds a wait for something that must happen). */
#ifndef CABIN_TEST_RECORDER_H
#define CABIN_TEST_RECORDER_H

#include "cabin/devices.h"

#define REC_MAX 512

struct rec_event {
	char what;                 /* 'a' attached, 'd' detached, 'r' reading, 's' state, 'w' wave */
	struct cab_device_info dev;
	struct cab_reading reading;
	enum cab_dev_state state;
	enum cab_incident incident;
	size_t wave_n;
};

/* Callbacks that append to the recorder (thread-safe). */
extern const struct cab_devices_callbacks rec_callbacks;

void rec_reset(void);
/* Number of events recorded. */
int rec_count(void);
/* Copy of event I. */
struct rec_event rec_get(int i);
/* Waits up to MS for an event matching (what, incident or -1, state or -1, mdc or 0,
 * with no ONGOING flag when FINAL); returns its index or -1. Starts at index FROM. */
int rec_wait(int from, char what, int incident, int state, uint32_t mdc, int final, int ms);

#endif
