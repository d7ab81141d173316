/* devices_watch.h — what the technician's menu shows about the instruments, from
 * the device manager (cabin/devices.h): the attached instruments with their driver,
 * identity and state, their last incident (fed from the manager's callbacks), joined
 * with the store's registry (calibration due date, last self-test) when bound; and
 * the "run a self-test" action. Thread-safe (callbacks come from device threads). */
#ifndef CABIN_SERVICE_DEVICES_WATCH_H
#define CABIN_SERVICE_DEVICES_WATCH_H

#include <pthread.h>

#include "cabin/devices.h"
#include "kiosk/service/sources.h"

#define CAB_DEV_WATCH_MAX 16

/* Records a self-test result (the store's registry: upsert + selftest). */
typedef int (*cab_selftest_recorder)(void *user, const struct cab_svc_instrument *in,
                                     const char *result, int64_t at_ms);

struct cab_dev_watch {
	struct cab_devices *manager; /* may be NULL: nothing attached */
	pthread_mutex_t lock;
	struct {
		unsigned handle;
		char incident[64];
		char selftest[96]; /* what its last self-test found */
	} last[CAB_DEV_WATCH_MAX]; /* last incident and self-test per attached handle */
	int n_last;
	/* The registry (e.g. the store binding's instruments provider), or NULL. */
	int (*registry)(void *user, struct cab_svc_instrument *out, int max);
	void *registry_user;
	cab_selftest_recorder record;
	void *record_user;
	int selftest_timeout_ms; /* 0 = 4000 */
	struct {                 /* the self-test running on its own thread, if any */
		pthread_t thread;
		bool running;        /* started, not yet collected by _poll (main thread) */
		bool done;           /* the thread finished (under LOCK) */
		int index;           /* as listed, 0-based */
		struct cab_device_info info;
		int rc;              /* cab_devices_selftest's result */
		char detail[96];
	} st;
};

/* Sets up W on MANAGER (may be NULL). */
void cab_dev_watch_init(struct cab_dev_watch *w, struct cab_devices *manager);
/* Waits for a running self-test, then releases W's mutex. */
void cab_dev_watch_free(struct cab_dev_watch *w);

/* Call from the manager's `state` callback (any thread): keeps the last incident. */
void cab_dev_watch_state(struct cab_dev_watch *w, const struct cab_device_info *d,
                         enum cab_dev_state s, enum cab_incident inc, const char *detail);

/* Providers for struct cab_svc_sources (USER = W): instruments lists the attached
 * instruments first (connected), joined by (kind, model, serial) with the registry,
 * then the registered ones not attached. run_selftest on attached instrument INDEX:
 * the driver's own self-test (cab_devices_selftest: the protocol's identification
 * exchange), "pass" or "fail" with its detail kept for the list (selftest_detail)
 * and the result recorded through W->record when set. Not attached: -ENODEV. */
int cab_dev_watch_instruments(void *user, struct cab_svc_instrument *out, int max);
int cab_dev_watch_selftest(void *user, int index, char *result, size_t size);

/* The same self-test without blocking the caller (the screen keeps drawing while
 * the instrument answers, up to selftest_timeout_ms): _start runs it on its own
 * thread and returns 0, -ENODEV (not attached), -EBUSY (one is running) or
 * -errno (no thread). _poll, from the thread that started it, returns 0 while it
 * runs, 1 when finished (*INDEX and RESULT "pass"/"fail" filled, the detail kept
 * and the result recorded as cab_dev_watch_selftest does), -ENOENT when none was
 * started. */
int cab_dev_watch_selftest_start(void *user, int index);
int cab_dev_watch_selftest_poll(void *user, int *index, char *result, size_t size);

#endif
