/* devices_watch.c — instruments for the service menu (see devices_watch.h). */
#include "kiosk/service/devices_watch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "log.h"

void cab_dev_watch_init(struct cab_dev_watch *w, struct cab_devices *manager)
{
	memset(w, 0, sizeof *w);
	w->manager = manager;
	pthread_mutex_init(&w->lock, NULL);
}

void cab_dev_watch_free(struct cab_dev_watch *w)
{
	if (w->st.running)
		pthread_join(w->st.thread, NULL);
	w->st.running = false;
	pthread_mutex_destroy(&w->lock);
}

void cab_dev_watch_state(struct cab_dev_watch *w, const struct cab_device_info *d,
                         enum cab_dev_state s, enum cab_incident inc, const char *detail)
{
	(void)s;
	if (inc == CAB_INC_NONE)
		return;
	pthread_mutex_lock(&w->lock);
	int i;
	for (i = 0; i < w->n_last && w->last[i].handle != d->handle; i++)
		;
	if (i == w->n_last) {
		if (w->n_last < CAB_DEV_WATCH_MAX)
			w->n_last++;
		else
			i = 0; /* full: reuse the oldest slot */
	}
	w->last[i].handle = d->handle;
	snprintf(w->last[i].incident, sizeof w->last[i].incident, "%s%s%s", cab_incident_name(inc),
	         detail && *detail ? ": " : "", detail ? detail : "");
	pthread_mutex_unlock(&w->lock);
}

static void from_info(struct cab_dev_watch *w, const struct cab_device_info *d,
                      struct cab_svc_instrument *x)
{
	memset(x, 0, sizeof *x);
	snprintf(x->kind, sizeof x->kind, "%s", cab_device_kind_name(d->id.kind));
	snprintf(x->driver, sizeof x->driver, "%s", d->has_driver ? d->id.driver : "(none)");
	snprintf(x->model, sizeof x->model, "%s", d->id.model);
	snprintf(x->serial, sizeof x->serial, "%s", d->id.serial);
	snprintf(x->firmware, sizeof x->firmware, "%s", d->id.firmware);
	snprintf(x->state, sizeof x->state, "%s", cab_dev_state_name(d->state));
	x->connected = d->state != CAB_DEV_GONE;
	x->simulated = d->id.simulated;
	pthread_mutex_lock(&w->lock);
	for (int i = 0; i < w->n_last; i++)
		if (w->last[i].handle == d->handle) {
			snprintf(x->incident, sizeof x->incident, "%s", w->last[i].incident);
			snprintf(x->selftest_detail, sizeof x->selftest_detail, "%s",
			         w->last[i].selftest);
		}
	pthread_mutex_unlock(&w->lock);
}

static bool same(const struct cab_svc_instrument *a, const struct cab_svc_instrument *b)
{
	return !strcmp(a->kind, b->kind) && !strcmp(a->model, b->model) &&
	       !strcmp(a->serial, b->serial);
}

int cab_dev_watch_instruments(void *user, struct cab_svc_instrument *out, int max)
{
	struct cab_dev_watch *w = user;
	struct cab_device_info info[CAB_DEV_WATCH_MAX];
	struct cab_svc_instrument reg[CAB_SVC_MAX_INSTRUMENTS];
	int n = 0, nreg = 0;
	size_t na = w->manager ? cab_devices_list(w->manager, info, CAB_DEV_WATCH_MAX) : 0;
	if (na > CAB_DEV_WATCH_MAX)
		na = CAB_DEV_WATCH_MAX;
	if (w->registry) {
		nreg = w->registry(w->registry_user, reg, CAB_SVC_MAX_INSTRUMENTS);
		if (nreg < 0)
			nreg = 0;
	}
	bool used[CAB_SVC_MAX_INSTRUMENTS] = {false};
	for (size_t i = 0; i < na && n < max; i++) {
		if (!info[i].has_driver && info[i].id.kind == CAB_KIND_UNKNOWN)
			continue; /* a camera or sound card of the media module */
		struct cab_svc_instrument *x = &out[n++];
		from_info(w, &info[i], x);
		for (int j = 0; j < nreg; j++)
			if (!used[j] && same(x, &reg[j])) {
				used[j] = true;
				snprintf(x->calibration_due, sizeof x->calibration_due, "%s",
				         reg[j].calibration_due);
				x->last_selftest_ms = reg[j].last_selftest_ms;
				snprintf(x->last_selftest_result, sizeof x->last_selftest_result,
				         "%s", reg[j].last_selftest_result);
				x->first_seen_ms = reg[j].first_seen_ms;
				x->last_seen_ms = reg[j].last_seen_ms;
				x->registry_id = reg[j].registry_id;
				if (!x->firmware[0])
					snprintf(x->firmware, sizeof x->firmware, "%s", reg[j].firmware);
			}
	}
	for (int j = 0; j < nreg && n < max; j++)
		if (!used[j]) {
			out[n] = reg[j];
			out[n++].connected = false;
		}
	return n;
}

/* Finds attached instrument INDEX as listed; copies it to OUT. -ENODEV if none. */
static int find_attached(struct cab_dev_watch *w, int index, struct cab_device_info *out)
{
	struct cab_device_info info[CAB_DEV_WATCH_MAX];
	size_t na = w->manager ? cab_devices_list(w->manager, info, CAB_DEV_WATCH_MAX) : 0;
	for (size_t i = 0, seen = 0; i < na && i < CAB_DEV_WATCH_MAX; i++) {
		if (!info[i].has_driver && info[i].id.kind == CAB_KIND_UNKNOWN)
			continue;
		if ((int)seen++ == index) {
			*out = info[i];
			return 0;
		}
	}
	return -ENODEV;
}

/* The self-test thread: the driver's exchange, then DONE under the lock. */
static void *selftest_thread(void *arg)
{
	struct cab_dev_watch *w = arg;
	char detail[96] = "";
	int rc = w->st.info.has_driver
	             ? cab_devices_selftest(w->manager, w->st.info.handle,
	                                    w->selftest_timeout_ms > 0 ? w->selftest_timeout_ms : 4000,
	                                    detail, sizeof detail)
	             : -ENODEV;
	pthread_mutex_lock(&w->lock);
	w->st.rc = rc;
	snprintf(w->st.detail, sizeof w->st.detail, "%s", detail);
	w->st.done = true;
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int cab_dev_watch_selftest_start(void *user, int index)
{
	struct cab_dev_watch *w = user;
	if (w->st.running)
		return -EBUSY;
	struct cab_device_info d;
	if (find_attached(w, index, &d))
		return -ENODEV;
	w->st.info = d;
	w->st.index = index;
	w->st.done = false;
	w->st.rc = 0;
	w->st.detail[0] = '\0';
	int rc = pthread_create(&w->st.thread, NULL, selftest_thread, w);
	if (rc)
		return -rc;
	w->st.running = true;
	return 0;
}

/* Keeps the finished self-test's detail for the list, logs and records it. */
static void finish(struct cab_dev_watch *w, char *result, size_t size)
{
	const struct cab_device_info *d = &w->st.info;
	struct cab_svc_instrument x;
	char detail[96];
	snprintf(detail, sizeof detail, "%s", w->st.detail);
	if (w->st.rc == -ENODEV && !detail[0])
		snprintf(detail, sizeof detail, "no driver speaks to it");
	snprintf(result, size, "%s", w->st.rc == 1 ? "pass" : "fail");
	pthread_mutex_lock(&w->lock);
	int i;
	for (i = 0; i < w->n_last && w->last[i].handle != d->handle; i++)
		;
	if (i == w->n_last && w->n_last < CAB_DEV_WATCH_MAX) {
		memset(&w->last[i], 0, sizeof w->last[i]);
		w->last[w->n_last++].handle = d->handle;
	}
	if (i < w->n_last)
		snprintf(w->last[i].selftest, sizeof w->last[i].selftest, "%s", detail);
	pthread_mutex_unlock(&w->lock);
	from_info(w, d, &x);
	cab_info("service", "self-test of %s %s (%s): %s - %s", x.kind, x.model, x.driver, result,
	         detail);
	if (w->record)
		w->record(w->record_user, &x, result, cab_wall_ms());
}

int cab_dev_watch_selftest_poll(void *user, int *index, char *result, size_t size)
{
	struct cab_dev_watch *w = user;
	if (!w->st.running)
		return -ENOENT;
	pthread_mutex_lock(&w->lock);
	bool done = w->st.done;
	pthread_mutex_unlock(&w->lock);
	if (!done)
		return 0;
	pthread_join(w->st.thread, NULL);
	w->st.running = false;
	*index = w->st.index;
	finish(w, result, size);
	return 1;
}

int cab_dev_watch_selftest(void *user, int index, char *result, size_t size)
{
	struct cab_dev_watch *w = user;
	int rc = cab_dev_watch_selftest_start(w, index);
	if (rc)
		return rc;
	pthread_join(w->st.thread, NULL);
	w->st.running = false;
	finish(w, result, size);
	return 0;
}
