/* manager.c — the device manager behind cabin/devices.h: enumerates and follows
 * udev (usb, tty, hidraw, video4linux, sound), gives each instrument to its driver
 * on its own thread (open -> run -> close), starts simulators for absent kinds,
 * and serialises every callback under one lock (see the threading contract in
 * cabin/devices.h). Removal mid-measurement becomes an incident, then detached. */
#include "cabin/devices.h"

#include <errno.h>
#include <libudev.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "devices/core/ble_watch.h"
#include "devices/core/candidate.h"
#include "devices/internal/driver.h"

/* One attached device. */
struct mdev {
	struct cdi_device dev;          /* first: host ops get &dev */
	struct cab_device_info info;    /* guarded by m->lock */
	struct cab_devices *m;
	pthread_t thread;
	int thread_started;
	volatile int finished;          /* the device thread returned (atomic) */
	volatile int detached;          /* detached callback emitted (atomic) */
	int driven;                     /* a driver took it */
	struct cdi_sim *sim;            /* simulator standing for it, or NULL */
	const struct cdi_simulator *simulator;
	struct mdev *next;
};

struct cab_devices {
	struct cab_devices_config cfg;
	char sim_opts[512];
	char ble_list[1024];      /* adopted Bluetooth addresses (cfg.ble_instruments) */
	struct cdi_ble_watch *ble; /* BlueZ discovery, NULL when cfg.ble is 0 or no bus */
	struct cab_devices_callbacks cb;
	pthread_mutex_t lock;     /* the list and every info */
	pthread_mutex_t cb_lock;  /* one callback at a time */
	struct mdev *devs;
	unsigned next_handle;
	struct udev *udev;
	struct udev_monitor *mon;
	int stop_fd;
	pthread_t hp_thread;
	int hp_started;
	int started;
	volatile int stopping;
};

const char *cab_dev_state_name(enum cab_dev_state s)
{
	static const char *const n[] = {"attached", "ready", "measuring", "idle", "error", "gone"};
	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "unknown";
}

const char *cab_incident_name(enum cab_incident i)
{
	static const char *const n[] = {
		"none", "unplugged", "unplugged-mid-measurement", "timeout", "protocol-error",
		"no-finger", "signal-weak", "cuff-error", "low-battery", "no-new-measurement",
		"open-failed",
	};
	return (unsigned)i < sizeof n / sizeof n[0] ? n[i] : "unknown";
}

/* Flags shared between threads are read and written atomically. */
static int ld(const volatile int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void st(volatile int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* ---- callbacks ------------------------------------------------------------- */

static struct cab_device_info info_copy(struct mdev *d)
{
	pthread_mutex_lock(&d->m->lock);
	struct cab_device_info i = d->info;
	pthread_mutex_unlock(&d->m->lock);
	return i;
}

static void cb_attached(struct mdev *d)
{
	struct cab_devices *m = d->m;
	struct cab_device_info i = info_copy(d);
	pthread_mutex_lock(&m->cb_lock);
	if (m->cb.attached)
		m->cb.attached(&i, m->cb.user);
	pthread_mutex_unlock(&m->cb_lock);
}

static void cb_detached(struct mdev *d)
{
	struct cab_devices *m = d->m;
	struct cab_device_info i = info_copy(d);
	pthread_mutex_lock(&m->cb_lock);
	if (!ld(&d->detached) && m->cb.detached)
		m->cb.detached(&i, m->cb.user);
	st(&d->detached, 1);
	pthread_mutex_unlock(&m->cb_lock);
}

static void host_reading(struct cdi_device *dev, const struct cab_reading *r)
{
	struct mdev *d = (struct mdev *)dev;
	struct cab_devices *m = d->m;
	struct cab_device_info i = info_copy(d);
	pthread_mutex_lock(&m->cb_lock);
	if (m->cb.reading)
		m->cb.reading(&i, r, m->cb.user);
	pthread_mutex_unlock(&m->cb_lock);
}

static void host_wave(struct cdi_device *dev, uint32_t mdc, const float *s, size_t n, double hz)
{
	struct mdev *d = (struct mdev *)dev;
	struct cab_devices *m = d->m;
	struct cab_device_info i = info_copy(d);
	pthread_mutex_lock(&m->cb_lock);
	if (m->cb.waveform)
		m->cb.waveform(&i, mdc, s, n, hz, m->cb.user);
	pthread_mutex_unlock(&m->cb_lock);
}

static void host_state(struct cdi_device *dev, enum cab_dev_state s, enum cab_incident inc,
                       const char *detail)
{
	struct mdev *d = (struct mdev *)dev;
	struct cab_devices *m = d->m;
	pthread_mutex_lock(&m->lock);
	d->info.state = s;
	d->info.id = dev->id;
	struct cab_device_info i = d->info;
	pthread_mutex_unlock(&m->lock);
	if (inc != CAB_INC_NONE)
		cab_info("devices", "%s %s: %s (%s)", i.id.driver, i.devnode[0] ? i.devnode : i.syspath,
		         cab_incident_name(inc), detail);
	pthread_mutex_lock(&m->cb_lock);
	if (m->cb.state)
		m->cb.state(&i, s, inc, detail, m->cb.user);
	pthread_mutex_unlock(&m->cb_lock);
}

static const struct cdi_host_ops host_ops = {
	.reading = host_reading, .waveform = host_wave, .state = host_state,
};

/* ---- device threads -------------------------------------------------------- */

static void *device_thread(void *arg)
{
	struct mdev *d = arg;
	struct cdi_device *dev = &d->dev;
	int rc = dev->driver->open(dev);
	if (rc == CDI_T_NOT_MINE) { /* e.g. a USB-serial bridge that answers nothing we know */
		dev->driver->close(dev);
		cab_info("devices", "%s %s released: it did not answer like a %s", cdi_bus_name(dev->cand.bus),
		         dev->cand.devnode[0] ? dev->cand.devnode : dev->cand.syspath, dev->driver->full_name);
		cb_detached(d);
		st(&d->finished, 1);
		return NULL;
	}
	if (rc == 0 && !cdi_stopping(dev))
		rc = dev->driver->run(dev);
	else if (rc < 0 && rc != CDI_T_GONE && !cdi_device_gone(dev))
		cdi_emit_state(dev, CAB_DEV_ERROR, rc == CDI_T_TIMEOUT ? CAB_INC_TIMEOUT : CAB_INC_OPEN_FAILED,
		               "could not talk to the instrument");
	enum cab_dev_state before = dev->state;
	dev->driver->close(dev);
	if (rc == CDI_T_GONE || cdi_device_gone(dev)) {
		enum cab_incident inc = before == CAB_DEV_MEASURING ? CAB_INC_UNPLUGGED_MID_MEASUREMENT
		                                                     : CAB_INC_UNPLUGGED;
		cdi_emit_state(dev, CAB_DEV_GONE, inc, "removed");
		cb_detached(d);
	} else if (rc < 0 && !cdi_stopping(dev)) {
		enum cab_incident inc = rc == CDI_T_TIMEOUT ? CAB_INC_TIMEOUT : CAB_INC_PROTOCOL;
		cdi_emit_state(dev, CAB_DEV_ERROR, inc, "conversation failed");
	} else if (cdi_stopping(dev)) {
		cb_detached(d);
	}
	st(&d->finished, 1);
	return NULL;
}

static struct mdev *find_active(struct cab_devices *m, const char *syspath)
{
	for (struct mdev *d = m->devs; d; d = d->next)
		if (!ld(&d->dev.removed) && !ld(&d->detached) && !strcmp(d->info.syspath, syspath))
			return d;
	return NULL;
}

/* Takes a candidate: driver match, list entry, attached callback, device thread.
 * Returns the new entry or NULL (ignored or failed). Takes ownership of
 * c->transport (closed when not used). */
static struct mdev *add_candidate(struct cab_devices *m, struct cdi_candidate *c,
                                  struct cdi_sim *sim, const struct cdi_simulator *simulator)
{
	const struct cdi_match *row = NULL;
	const struct cdi_driver *drv = cdi_driver_find(c, &row);
	pthread_mutex_lock(&m->lock);
	int dup = find_active(m, c->syspath) != NULL;
	pthread_mutex_unlock(&m->lock);
	if (dup || (!drv && c->bus != CDI_BUS_VIDEO && c->bus != CDI_BUS_SOUND &&
	            c->bus != CDI_BUS_TTY && c->bus != CDI_BUS_HIDRAW)) {
		if (c->transport)
			c->transport->ops->close(c->transport);
		if (simulator)
			simulator->stop(sim);
		return NULL;
	}
	struct mdev *d = calloc(1, sizeof *d);
	if (!d) {
		if (c->transport)
			c->transport->ops->close(c->transport);
		if (simulator)
			simulator->stop(sim);
		return NULL;
	}
	d->m = m;
	d->sim = sim;
	d->simulator = simulator;
	d->driven = drv != NULL;
	d->dev.driver = drv;
	d->dev.match = row;
	d->dev.cand = *c;
	d->dev.host = &host_ops;
	d->dev.host_data = d;
	d->dev.session_start_ms = m->cfg.session_start_ms;
	struct cab_device_id *id = &d->dev.id;
	id->kind = drv                        ? drv->kind
	           : c->bus == CDI_BUS_VIDEO ? CAB_KIND_ROOM_CAMERA
	           : c->bus == CDI_BUS_SOUND ? cdi_sound_kind(c) /* a stethoscope, or a microphone */
	                                     : CAB_KIND_UNKNOWN;
	if (c->simulated || (c->bus == CDI_BUS_BLE && c->sim_kind))
		id->kind = c->sim_kind;
	snprintf(id->driver, sizeof id->driver, "%s", drv ? drv->name : "");
	snprintf(id->manufacturer, sizeof id->manufacturer, "%s", c->manufacturer);
	snprintf(id->model, sizeof id->model, "%s", c->product);
	snprintf(id->serial, sizeof id->serial, "%s", c->serial);
	id->vid = c->vid;
	id->pid = c->pid;
	id->simulated = c->simulated;
	d->info.id = *id;
	snprintf(d->info.bus, sizeof d->info.bus, "%s", cdi_bus_name(c->bus));
	snprintf(d->info.devnode, sizeof d->info.devnode, "%s", c->devnode);
	snprintf(d->info.syspath, sizeof d->info.syspath, "%s", c->syspath);
	d->info.has_driver = d->driven;
	d->info.state = CAB_DEV_ATTACHED;
	pthread_mutex_lock(&m->lock);
	d->info.handle = ++m->next_handle;
	d->next = m->devs;
	m->devs = d;
	pthread_mutex_unlock(&m->lock);
	cab_info("devices", "attached %s %s %04x:%04x -> %s", d->info.bus,
	         c->devnode[0] ? c->devnode : c->syspath, c->vid, c->pid, drv ? drv->name : "(no driver)");
	cb_attached(d);
	if (drv) {
		if (pthread_create(&d->thread, NULL, device_thread, d) == 0)
			d->thread_started = 1;
		else
			st(&d->finished, 1);
	} else {
		st(&d->finished, 1);
	}
	return d;
}

/* A udev "remove": every active entry at or under SYSPATH is marked removed. */
static void remove_syspath(struct cab_devices *m, const char *syspath)
{
	size_t n = strlen(syspath);
	struct mdev *undriven[64];
	int nu = 0;
	pthread_mutex_lock(&m->lock);
	for (struct mdev *d = m->devs; d; d = d->next) {
		if (ld(&d->dev.removed) || ld(&d->detached))
			continue;
		if (strncmp(d->info.syspath, syspath, n) || (d->info.syspath[n] && d->info.syspath[n] != '/'))
			continue;
		__atomic_store_n(&d->dev.removed, 1, __ATOMIC_RELEASE);
		cdi_device_request_stop(&d->dev);
		if ((!d->driven || ld(&d->finished)) && nu < 64)
			undriven[nu++] = d;
	}
	pthread_mutex_unlock(&m->lock);
	for (int i = 0; i < nu; i++) {
		if (undriven[i]->driven)
			host_state(&undriven[i]->dev, CAB_DEV_GONE, CAB_INC_UNPLUGGED, "removed");
		cb_detached(undriven[i]);
	}
}

/* Joins and frees entries whose thread ended and whose detach was reported. */
static void reap(struct cab_devices *m, int all)
{
	for (;;) {
		struct mdev *victim = NULL;
		pthread_mutex_lock(&m->lock);
		for (struct mdev **pp = &m->devs; *pp; pp = &(*pp)->next)
			if (ld(&(*pp)->finished) && (ld(&(*pp)->detached) || all)) {
				victim = *pp;
				*pp = victim->next;
				break;
			}
		pthread_mutex_unlock(&m->lock);
		if (!victim)
			return;
		if (victim->thread_started)
			pthread_join(victim->thread, NULL);
		if (victim->dev.cand.transport)
			victim->dev.cand.transport->ops->close(victim->dev.cand.transport);
		if (victim->simulator)
			victim->simulator->stop(victim->sim);
		free(victim);
	}
}

/* ---- udev ------------------------------------------------------------------ */

static void handle_udev(struct cab_devices *m, struct udev_device *u, const char *action)
{
	if (!strcmp(action, "remove")) {
		remove_syspath(m, udev_device_get_syspath(u));
		return;
	}
	if (strcmp(action, "add") && strcmp(action, "bind"))
		return;
	struct cdi_candidate c;
	if (cdi_candidate_from_udev(u, &c) == 0)
		add_candidate(m, &c, NULL, NULL);
}

static void enumerate(struct cab_devices *m)
{
	for (size_t s = 0; s < sizeof cdi_watched_subsystems / sizeof cdi_watched_subsystems[0]; s++) {
		struct udev_enumerate *en = udev_enumerate_new(m->udev);
		struct udev_list_entry *e;
		if (!en)
			continue;
		udev_enumerate_add_match_subsystem(en, cdi_watched_subsystems[s]);
		udev_enumerate_scan_devices(en);
		udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
			struct udev_device *u = udev_device_new_from_syspath(m->udev, udev_list_entry_get_name(e));
			if (!u)
				continue;
			handle_udev(m, u, "add");
			udev_device_unref(u);
		}
		udev_enumerate_unref(en);
	}
}

static void ble_add(struct cdi_candidate *c, void *ud)
{
	add_candidate(ud, c, NULL, NULL);
}

static void ble_remove(const char *syspath, void *ud)
{
	remove_syspath(ud, syspath);
}

static void *hotplug_thread(void *arg)
{
	struct cab_devices *m = arg;
	while (!ld(&m->stopping)) {
		struct pollfd p[3] = {{.fd = m->stop_fd, .events = POLLIN},
		                      {.fd = -1, .events = POLLIN},
		                      {.fd = -1, .events = POLLIN}};
		if (m->mon)
			p[1].fd = udev_monitor_get_fd(m->mon);
		if (m->ble) {
			p[2].fd = cdi_ble_watch_fd(m->ble);
			p[2].events = cdi_ble_watch_events(m->ble);
		}
		int r = poll(p, 3, 200);
		if (m->ble)
			cdi_ble_watch_process(m->ble, ble_add, ble_remove, m);
		if (r > 0 && (p[1].revents & POLLIN)) {
			struct udev_device *u = udev_monitor_receive_device(m->mon);
			if (u) {
				const char *action = udev_device_get_action(u);
				if (action)
					handle_udev(m, u, action);
				udev_device_unref(u);
			}
		}
		reap(m, 0);
	}
	return NULL;
}

/* ---- simulators ------------------------------------------------------------ */

static int can_measure(const struct mdev *d);

static int kind_present(struct cab_devices *m, enum cab_device_kind k)
{
	int found = 0;
	pthread_mutex_lock(&m->lock);
	for (struct mdev *d = m->devs; d && !found; d = d->next)
		found = d->driven && !ld(&d->dev.removed) && d->info.id.kind == k;
	pthread_mutex_unlock(&m->lock);
	return found;
}

unsigned cab_devices_add_simulator(struct cab_devices *m, const char *name, const char *options)
{
	const struct cdi_simulator *s = cdi_simulator_find(name, NULL);
	struct cdi_sim *sim = NULL;
	struct cdi_candidate c;
	if (!s)
		return 0;
	if (s->start(options, &sim, &c) < 0) {
		cab_err("devices", "simulator %s did not start (options '%s')", name, options ? options : "");
		return 0;
	}
	/* another instance of a simulator already attached (an instrument switched on
	 * again for a new measurement): its own sysfs-like path, so it is not a duplicate */
	pthread_mutex_lock(&m->lock);
	for (unsigned k = 2; find_active(m, c.syspath) && k < 100000; k++) {
		char *hash = strchr(c.syspath, '#');
		if (hash)
			*hash = 0;
		size_t len = strlen(c.syspath);
		if (len + 8 < sizeof c.syspath)
			snprintf(c.syspath + len, sizeof c.syspath - len, "#%u", k);
	}
	pthread_mutex_unlock(&m->lock);
	struct mdev *d = add_candidate(m, &c, sim, s);
	return d ? d->info.handle : 0;
}

unsigned cab_devices_sim_measure(struct cab_devices *m, const char *name, const char *options)
{
	unsigned handle = 0;
	int r = -1;
	pthread_mutex_lock(&m->lock);
	for (struct mdev *d = m->devs; d && !handle; d = d->next) {
		if (!d->sim || !d->simulator || strcmp(d->simulator->name, name) || !d->simulator->measure ||
		    !d->driven || ld(&d->finished) || ld(&d->dev.removed) || ld(&d->detached))
			continue;
		handle = d->info.handle;
		r = d->simulator->measure(d->sim, options);
		if (r == 0 && can_measure(d))
			cdi_device_request_measure(&d->dev);
	}
	pthread_mutex_unlock(&m->lock);
	if (handle)
		return r == 0 ? handle : 0;
	return cab_devices_add_simulator(m, name, options); /* plugged in */
}

static void start_simulators(struct cab_devices *m)
{
	const char *e = getenv("CABIN_SIM_EXTRA");
	int extra_too = e && !strcmp(e, "1");
	/* pass 0: one simulator per absent kind; pass 1: the extra families, if asked */
	for (int pass = 0; pass < 1 + extra_too; pass++)
		for (size_t i = 0; cdi_driver_registry[i]; i++) {
			const struct cdi_driver *drv = cdi_driver_registry[i];
			for (size_t j = 0; drv->simulators && drv->simulators[j]; j++) {
				const struct cdi_simulator *s = drv->simulators[j];
				if ((unsigned)s->kind >= 32 || !(m->cfg.sim_kinds & CAB_SIM_KIND(s->kind)))
					continue;
				if (!!s->extra != pass)
					continue;
				if (!pass && kind_present(m, s->kind))
					continue;
				cab_devices_add_simulator(m, s->name, m->sim_opts);
			}
		}
}

/* ---- public ---------------------------------------------------------------- */

struct cab_devices *cab_devices_new(const struct cab_devices_config *cfg,
                                    const struct cab_devices_callbacks *cb)
{
	struct cab_devices *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	if (cfg)
		m->cfg = *cfg;
	if (cb)
		m->cb = *cb;
	if (cfg && cfg->sim_options)
		snprintf(m->sim_opts, sizeof m->sim_opts, "%s", cfg->sim_options);
	m->cfg.sim_options = m->sim_opts;
	if (cfg && cfg->ble_instruments)
		snprintf(m->ble_list, sizeof m->ble_list, "%s", cfg->ble_instruments);
	m->cfg.ble_instruments = m->ble_list;
	if (!m->cfg.session_start_ms)
		m->cfg.session_start_ms = cab_wall_ms();
	pthread_mutex_init(&m->lock, NULL);
	pthread_mutex_init(&m->cb_lock, NULL);
	m->stop_fd = -1;
	return m;
}

int cab_devices_start(struct cab_devices *m)
{
	if (m->started)
		return 0;
	st(&m->stopping, 0);
	m->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->stop_fd < 0)
		return -1;
	if (!m->cfg.no_hotplug) {
		m->udev = udev_new();
		if (m->udev) {
			m->mon = udev_monitor_new_from_netlink(m->udev, "udev");
			if (m->mon) {
				for (size_t s = 0; s < 5; s++)
					udev_monitor_filter_add_match_subsystem_devtype(m->mon, cdi_watched_subsystems[s], NULL);
				if (udev_monitor_enable_receiving(m->mon) < 0) {
					udev_monitor_unref(m->mon);
					m->mon = NULL;
				}
			}
			enumerate(m);
		} else {
			cab_warn("devices", "udev unavailable: no hotplug");
		}
	}
	if (m->cfg.ble) {
		m->ble = cdi_ble_watch_new();
		if (m->ble) {
			cdi_ble_watch_set_allowed(m->ble, m->ble_list);
			cdi_ble_watch_process(m->ble, ble_add, ble_remove, m);
		}
	}
	if (m->cfg.sim_kinds)
		start_simulators(m);
	if (pthread_create(&m->hp_thread, NULL, hotplug_thread, m) == 0)
		m->hp_started = 1;
	m->started = 1;
	return (m->udev || m->cfg.sim_kinds || m->cfg.no_hotplug) ? 0 : -1;
}

void cab_devices_stop(struct cab_devices *m)
{
	if (!m || !m->started)
		return;
	st(&m->stopping, 1);
	uint64_t one = 1;
	if (write(m->stop_fd, &one, sizeof one) < 0) { /* the poll timeout ends it anyway */ }
	if (m->hp_started)
		pthread_join(m->hp_thread, NULL);
	m->hp_started = 0;
	pthread_mutex_lock(&m->lock);
	for (struct mdev *d = m->devs; d; d = d->next)
		cdi_device_request_stop(&d->dev);
	pthread_mutex_unlock(&m->lock);
	for (;;) { /* wait for every device thread, then report what is left */
		struct mdev *todo = NULL;
		pthread_mutex_lock(&m->lock);
		for (struct mdev *d = m->devs; d && !todo; d = d->next)
			if (d->thread_started) {
				todo = d;
				d->thread_started = 0;
			}
		pthread_mutex_unlock(&m->lock);
		if (!todo)
			break;
		pthread_join(todo->thread, NULL);
	}
	pthread_mutex_lock(&m->lock);
	struct mdev *list = m->devs;
	pthread_mutex_unlock(&m->lock);
	for (struct mdev *d = list; d; d = d->next)
		cb_detached(d);
	reap(m, 1);
	cdi_ble_watch_free(m->ble);
	m->ble = NULL;
	if (m->mon)
		udev_monitor_unref(m->mon);
	if (m->udev)
		udev_unref(m->udev);
	m->mon = NULL;
	m->udev = NULL;
	close(m->stop_fd);
	m->stop_fd = -1;
	m->started = 0;
}

void cab_devices_free(struct cab_devices *m)
{
	if (!m)
		return;
	cab_devices_stop(m);
	pthread_mutex_destroy(&m->lock);
	pthread_mutex_destroy(&m->cb_lock);
	free(m);
}

size_t cab_devices_list(struct cab_devices *m, struct cab_device_info *out, size_t max)
{
	size_t n = 0;
	pthread_mutex_lock(&m->lock);
	for (struct mdev *d = m->devs; d; d = d->next) {
		if (ld(&d->detached) || ld(&d->dev.removed))
			continue;
		if (n < max)
			out[n] = d->info;
		n++;
	}
	pthread_mutex_unlock(&m->lock);
	/* newest first in the list: give them oldest first */
	size_t k = n < max ? n : max;
	for (size_t i = 0; i < k / 2; i++) {
		struct cab_device_info t = out[i];
		out[i] = out[k - 1 - i];
		out[k - 1 - i] = t;
	}
	return n;
}

static int can_measure(const struct mdev *d)
{
	return d->driven && !ld(&d->finished) && !ld(&d->dev.removed) &&
	       (d->info.state == CAB_DEV_READY || d->info.state == CAB_DEV_MEASURING ||
	        d->info.state == CAB_DEV_IDLE);
}

int cab_devices_request_measurement(struct cab_devices *m, enum cab_device_kind kind)
{
	int n = 0;
	pthread_mutex_lock(&m->lock);
	for (struct mdev *d = m->devs; d; d = d->next)
		if (can_measure(d) && (kind == CAB_KIND_UNKNOWN || d->info.id.kind == kind)) {
			cdi_device_request_measure(&d->dev);
			n++;
		}
	pthread_mutex_unlock(&m->lock);
	return n;
}

int cab_devices_request_history(struct cab_devices *m, enum cab_device_kind kind, int64_t since_ms)
{
	int n = 0;
	pthread_mutex_lock(&m->lock);
	for (struct mdev *d = m->devs; d; d = d->next)
		if (can_measure(d) && d->dev.history_capable &&
		    (kind == CAB_KIND_UNKNOWN || d->info.id.kind == kind)) {
			__atomic_store_n(&d->dev.history_since_ms, since_ms, __ATOMIC_RELEASE);
			__atomic_store_n(&d->dev.history_request, 1, __ATOMIC_RELEASE);
			n++;
		}
	pthread_mutex_unlock(&m->lock);
	return n;
}

int cab_devices_request_measurement_on(struct cab_devices *m, unsigned handle)
{
	int n = 0;
	pthread_mutex_lock(&m->lock);
	for (struct mdev *d = m->devs; d; d = d->next)
		if (d->info.handle == handle && can_measure(d)) {
			cdi_device_request_measure(&d->dev);
			n = 1;
		}
	pthread_mutex_unlock(&m->lock);
	return n;
}

void cab_devices_set_ble_instruments(struct cab_devices *m, const char *addresses)
{
	pthread_mutex_lock(&m->lock);
	snprintf(m->ble_list, sizeof m->ble_list, "%s", addresses ? addresses : "");
	struct cdi_ble_watch *w = m->started ? m->ble : NULL;
	pthread_mutex_unlock(&m->lock);
	if (w)
		cdi_ble_watch_set_allowed(w, addresses);
}

void cab_devices_set_session_start(struct cab_devices *m, int64_t wall_ms)
{
	pthread_mutex_lock(&m->lock);
	m->cfg.session_start_ms = wall_ms;
	for (struct mdev *d = m->devs; d; d = d->next)
		__atomic_store_n(&d->dev.session_start_ms, wall_ms, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->lock);
}

int cab_devices_selftest(struct cab_devices *m, unsigned handle, int timeout_ms, char *detail,
                         size_t size)
{
	int rc = -ENODEV;
	if (size)
		detail[0] = '\0';
	pthread_mutex_lock(&m->lock);
	for (struct mdev *d = m->devs; d; d = d->next)
		if (d->info.handle == handle && d->driven && !ld(&d->finished) && !ld(&d->dev.removed)) {
			__atomic_store_n(&d->dev.selftest_result, 0, __ATOMIC_RELEASE);
			__atomic_store_n(&d->dev.selftest_request, 1, __ATOMIC_RELEASE);
			rc = -ETIMEDOUT;
		}
	pthread_mutex_unlock(&m->lock);
	for (int64_t end = cab_mono_ms() + timeout_ms; rc == -ETIMEDOUT && cab_mono_ms() < end;) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&m->lock);
		int found = 0;
		for (struct mdev *d = m->devs; d; d = d->next)
			if (d->info.handle == handle && !ld(&d->finished)) {
				int r = __atomic_load_n(&d->dev.selftest_result, __ATOMIC_ACQUIRE);
				found = 1;
				if (r) {
					rc = r > 0 ? 1 : 0;
					if (size)
						snprintf(detail, size, "%s", d->dev.selftest_detail);
				}
			}
		pthread_mutex_unlock(&m->lock);
		if (!found && rc == -ETIMEDOUT) {
			rc = -ENODEV;
			if (size)
				snprintf(detail, size, "the instrument went away during the self-test");
		}
	}
	if (rc == -ETIMEDOUT && size)
		snprintf(detail, size, "no answer from the driver in %d ms", timeout_ms);
	return rc;
}
