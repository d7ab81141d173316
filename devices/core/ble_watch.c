/* ble_watch.c — Bluetooth LE discovery for the device manager (ble_watch.h). */
#include "devices/core/ble_watch.h"

#include <ctype.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "common/log.h"
#include "devices/internal/bluez.h"

#define MAX_BLE 16

struct seen {
	char path[160];
	char address[24];
	char name[48];
	uint16_t service;
	int device;
};

struct cdi_ble_watch {
	sd_bus *bus;
	sd_bus_slot *s_added, *s_removed, *s_props;
	pthread_mutex_t lock;
	char allowed[1024];       /* upper case, comma separated; guarded by lock */
	int dirty;                /* guarded by lock */
	char known[MAX_BLE][168]; /* syspaths reported by add */
	int nknown;
};

static void mark(struct cdi_ble_watch *w)
{
	pthread_mutex_lock(&w->lock);
	w->dirty = 1;
	pthread_mutex_unlock(&w->lock);
}

static int on_change(sd_bus_message *m, void *ud, sd_bus_error *e)
{
	(void)m;
	(void)e;
	mark(ud);
	return 0;
}

/* Device1 PropertiesChanged: only what decides eligibility (UUIDs, Address). */
static int on_props(sd_bus_message *m, void *ud, sd_bus_error *e)
{
	const char *iface, *key;
	(void)e;
	if (sd_bus_message_read(m, "s", &iface) < 0 || strcmp(iface, "org.bluez.Device1"))
		return 0;
	if (sd_bus_message_enter_container(m, 'a', "{sv}") < 0)
		return 0;
	while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
		if (sd_bus_message_read(m, "s", &key) < 0)
			return 0;
		if (!strcmp(key, "UUIDs") || !strcmp(key, "Address"))
			mark(ud);
		if (sd_bus_message_skip(m, "v") < 0)
			return 0;
		sd_bus_message_exit_container(m);
	}
	return 0;
}

struct cdi_ble_watch *cdi_ble_watch_new(void)
{
	struct cdi_ble_watch *w = calloc(1, sizeof *w);
	int r;
	if (!w)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	w->dirty = 1;
	if ((r = sd_bus_open_system(&w->bus)) < 0) {
		cab_warn("devices", "Bluetooth: no system bus (%s): USB instruments only",
		         strerror(-r));
		cdi_ble_watch_free(w);
		return NULL;
	}
	const char *om = "org.freedesktop.DBus.ObjectManager";
	r = sd_bus_match_signal(w->bus, &w->s_added, "org.bluez", "/", om, "InterfacesAdded",
	                        on_change, w);
	if (r >= 0)
		r = sd_bus_match_signal(w->bus, &w->s_removed, "org.bluez", "/", om,
		                        "InterfacesRemoved", on_change, w);
	if (r >= 0)
		r = sd_bus_add_match(
		    w->bus, &w->s_props,
		    "type='signal',sender='org.bluez',interface='org.freedesktop.DBus.Properties',"
		    "member='PropertiesChanged',arg0='org.bluez.Device1'",
		    on_props, w);
	if (r < 0) {
		cab_warn("devices", "Bluetooth: cannot subscribe to BlueZ (%s)", strerror(-r));
		cdi_ble_watch_free(w);
		return NULL;
	}
	return w;
}

void cdi_ble_watch_free(struct cdi_ble_watch *w)
{
	if (!w)
		return;
	sd_bus_slot_unref(w->s_added);
	sd_bus_slot_unref(w->s_removed);
	sd_bus_slot_unref(w->s_props);
	sd_bus_flush_close_unref(w->bus);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

void cdi_ble_watch_set_allowed(struct cdi_ble_watch *w, const char *addresses)
{
	pthread_mutex_lock(&w->lock);
	snprintf(w->allowed, sizeof w->allowed, "%s", addresses ? addresses : "");
	for (char *p = w->allowed; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	w->dirty = 1;
	pthread_mutex_unlock(&w->lock);
}

int cdi_ble_watch_fd(struct cdi_ble_watch *w)
{
	return sd_bus_get_fd(w->bus);
}

short cdi_ble_watch_events(struct cdi_ble_watch *w)
{
	int e = sd_bus_get_events(w->bus);
	return e < 0 ? POLLIN : (short)e;
}

struct walk {
	struct seen dev[MAX_BLE];
	int n;
};

static struct seen *slot(struct walk *k, const char *path)
{
	for (int i = 0; i < k->n; i++)
		if (!strcmp(k->dev[i].path, path))
			return &k->dev[i];
	if (k->n == MAX_BLE || strlen(path) >= sizeof k->dev[0].path)
		return NULL;
	struct seen *s = &k->dev[k->n++];
	memset(s, 0, sizeof *s);
	snprintf(s->path, sizeof s->path, "%s", path);
	return s;
}

static void uuid_fn(const char *u, void *ud)
{
	struct seen *s = ud;
	uint16_t id = cdi_bluez_uuid16(u);
	if (!s->service && cdi_bluez_service_kind(id))
		s->service = id;
}

static int walk_fn(const char *path, const char *iface, const char *key, sd_bus_message *m,
                   void *ud)
{
	if (strcmp(iface, "org.bluez.Device1"))
		return 0;
	struct seen *s = slot(ud, path);
	if (!s)
		return 0;
	s->device = 1;
	if (!strcmp(key, "UUIDs"))
		return cdi_bluez_read_strv(m, uuid_fn, s);
	if (!strcmp(key, "Address"))
		return cdi_bluez_read_str(m, s->address, sizeof s->address);
	if (!strcmp(key, "Name") || (!strcmp(key, "Alias") && !s->name[0]))
		return cdi_bluez_read_str(m, s->name, sizeof s->name);
	return 0;
}

/* 1 when ADDRESS is in the comma-separated upper-case LIST. */
static int listed(const char *list, const char *address)
{
	size_t n = strlen(address);
	for (const char *p = list; n && (p = strstr(p, address)); p += n)
		if ((p == list || p[-1] == ',' || p[-1] == ' ') &&
		    (!p[n] || p[n] == ',' || p[n] == ' '))
			return 1;
	return 0;
}

void cdi_ble_watch_process(struct cdi_ble_watch *w, void (*add)(struct cdi_candidate *c, void *ud),
                           void (*remove)(const char *syspath, void *ud), void *ud)
{
	while (sd_bus_process(w->bus, NULL) > 0)
		;
	char allowed[sizeof w->allowed];
	pthread_mutex_lock(&w->lock);
	int dirty = w->dirty;
	w->dirty = 0;
	memcpy(allowed, w->allowed, sizeof allowed);
	pthread_mutex_unlock(&w->lock);
	if (!dirty)
		return;
	struct walk *k = calloc(1, sizeof *k);
	if (!k)
		return;
	/* nothing adopted: nothing to look for (and no bus traffic at all) */
	if (!allowed[0] || cdi_bluez_walk(w->bus, walk_fn, k) < 0)
		k->n = 0; /* BlueZ not there (yet): every instrument goes */
	char now[MAX_BLE][168];
	int nnow = 0;
	for (int i = 0; i < k->n; i++) {
		struct seen *s = &k->dev[i];
		char up[24];
		snprintf(up, sizeof up, "%s", s->address);
		for (char *p = up; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		if (!s->device || !s->service || !listed(allowed, up))
			continue;
		snprintf(now[nnow++], sizeof now[0], "bluez:%s", s->path);
		int known = 0;
		for (int j = 0; j < w->nknown && !known; j++)
			known = !strcmp(w->known[j], now[nnow - 1]);
		if (known)
			continue;
		struct cdi_candidate c;
		memset(&c, 0, sizeof c);
		c.bus = CDI_BUS_BLE;
		c.iface = -1;
		c.ble_service = s->service;
		c.sim_kind = (enum cab_device_kind)cdi_bluez_service_kind(s->service);
		snprintf(c.syspath, sizeof c.syspath, "%s", now[nnow - 1]);
		snprintf(c.devnode, sizeof c.devnode, "%s", up);
		snprintf(c.product, sizeof c.product, "%s", s->name);
		add(&c, ud);
	}
	for (int j = 0; j < w->nknown; j++) {
		int still = 0;
		for (int i = 0; i < nnow && !still; i++)
			still = !strcmp(w->known[j], now[i]);
		if (!still)
			remove(w->known[j], ud);
	}
	memcpy(w->known, now, sizeof now);
	w->nknown = nnow;
	free(k);
}
