/* recorder.c — recording device manager callbacks for tests (see recorder.h). */
#include "recorder.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct rec_event events[REC_MAX];
static int n_events;

static void add(const struct rec_event *e)
{
	pthread_mutex_lock(&lock);
	if (n_events < REC_MAX)
		events[n_events++] = *e;
	pthread_mutex_unlock(&lock);
}

static void on_att(const struct cab_device_info *d, void *u)
{
	(void)u;
	struct rec_event e = {.what = 'a', .dev = *d};
	add(&e);
}

static void on_det(const struct cab_device_info *d, void *u)
{
	(void)u;
	struct rec_event e = {.what = 'd', .dev = *d};
	add(&e);
}

static void on_read(const struct cab_device_info *d, const struct cab_reading *r, void *u)
{
	(void)u;
	struct rec_event e = {.what = 'r', .dev = *d, .reading = *r};
	add(&e);
}

static void on_wave(const struct cab_device_info *d, uint32_t mdc, const float *s, size_t n, double hz, void *u)
{
	(void)u;
	(void)s;
	(void)hz;
	struct rec_event e = {.what = 'w', .dev = *d, .wave_n = n};
	e.reading.mdc = mdc;
	add(&e);
}

static void on_state(const struct cab_device_info *d, enum cab_dev_state s, enum cab_incident inc,
                     const char *detail, void *u)
{
	(void)u;
	(void)detail;
	struct rec_event e = {.what = 's', .dev = *d, .state = s, .incident = inc};
	add(&e);
}

const struct cab_devices_callbacks rec_callbacks = {
	.attached = on_att, .detached = on_det, .reading = on_read, .waveform = on_wave, .state = on_state,
};

void rec_reset(void)
{
	pthread_mutex_lock(&lock);
	n_events = 0;
	pthread_mutex_unlock(&lock);
}

int rec_count(void)
{
	pthread_mutex_lock(&lock);
	int n = n_events;
	pthread_mutex_unlock(&lock);
	return n;
}

struct rec_event rec_get(int i)
{
	pthread_mutex_lock(&lock);
	struct rec_event e = events[i];
	pthread_mutex_unlock(&lock);
	return e;
}

int rec_wait(int from, char what, int incident, int state, uint32_t mdc, int final, int ms)
{
	int64_t end = cab_mono_ms() + ms;
	int i = from;
	for (;;) {
		int n = rec_count();
		for (; i < n; i++) {
			struct rec_event e = rec_get(i);
			if (e.what != what)
				continue;
			if (incident >= 0 && (int)e.incident != incident)
				continue;
			if (state >= 0 && (int)e.state != state)
				continue;
			if (mdc && e.reading.mdc != mdc)
				continue;
			if (final && (e.reading.flags & CAB_RF_ONGOING))
				continue;
			return i;
		}
		if (cab_mono_ms() > end)
			return -1;
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
	}
}
