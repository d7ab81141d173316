/* ble_admin.c — scan, list, pair and forget Bluetooth LE health instruments on BlueZ
 * (cabin/ble_admin.h; sources named there). */
#include "cabin/ble_admin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <systemd/sd-bus.h>

#include "common/clock.h"
#include "common/log.h"
#include "devices/internal/bluez.h"

#define MAX_OBJ 64

struct obj {
	char path[160];
	int adapter, device;
	char address[18], name[48];
	enum cab_device_kind kind;
	int paired, connected;
};

struct objs {
	struct obj o[MAX_OBJ];
	int n;
};

static struct obj *slot(struct objs *k, const char *path)
{
	for (int i = 0; i < k->n; i++)
		if (!strcmp(k->o[i].path, path))
			return &k->o[i];
	if (k->n == MAX_OBJ || strlen(path) >= sizeof k->o[0].path)
		return NULL;
	struct obj *o = &k->o[k->n++];
	memset(o, 0, sizeof *o);
	snprintf(o->path, sizeof o->path, "%s", path);
	return o;
}

static void uuid_fn(const char *u, void *ud)
{
	struct obj *o = ud;
	if (!o->kind)
		o->kind = (enum cab_device_kind)cdi_bluez_service_kind(cdi_bluez_uuid16(u));
}

static int walk_fn(const char *path, const char *iface, const char *key, sd_bus_message *m,
                   void *ud)
{
	int is_dev = !strcmp(iface, "org.bluez.Device1"),
	    is_ad = !strcmp(iface, "org.bluez.Adapter1");
	if (!is_dev && !is_ad)
		return 0;
	struct obj *o = slot(ud, path);
	if (!o)
		return 0;
	o->device |= is_dev;
	o->adapter |= is_ad;
	if (!is_dev)
		return 0;
	if (!strcmp(key, "UUIDs"))
		return cdi_bluez_read_strv(m, uuid_fn, o);
	if (!strcmp(key, "Address"))
		return cdi_bluez_read_str(m, o->address, sizeof o->address);
	if (!strcmp(key, "Name") || (!strcmp(key, "Alias") && !o->name[0]))
		return cdi_bluez_read_str(m, o->name, sizeof o->name);
	if (!strcmp(key, "Paired"))
		return cdi_bluez_read_bool(m, &o->paired);
	if (!strcmp(key, "Connected"))
		return cdi_bluez_read_bool(m, &o->connected);
	return 0;
}

/* Opens the system bus and walks BlueZ's objects into *K. 0 or -ENOTCONN. */
static int load(sd_bus **bus, struct objs *k)
{
	k->n = 0;
	if (sd_bus_open_system(bus) < 0) {
		*bus = NULL;
		return -ENOTCONN;
	}
	if (cdi_bluez_walk(*bus, walk_fn, k) < 0) {
		*bus = sd_bus_flush_close_unref(*bus);
		return -ENOTCONN;
	}
	return 0;
}

static void set_err(char *err, size_t size, const sd_bus_error *e, int r)
{
	if (!size)
		return;
	char esc[160];
	cab_log_escape(e && e->message ? e->message : strerror(-r), esc, sizeof esc);
	snprintf(err, size, "%s%s%s", e && e->name ? e->name : "", e && e->name ? ": " : "", esc);
}

static struct obj *by_address(struct objs *k, const char *address)
{
	for (int i = 0; i < k->n; i++)
		if (k->o[i].device && !strcasecmp(k->o[i].address, address))
			return &k->o[i];
	return NULL;
}

int cab_ble_list(struct cab_ble_found *out, int max)
{
	sd_bus *bus;
	struct objs *k = calloc(1, sizeof *k);
	int n = 0;
	if (!k)
		return -ENOMEM;
	if (load(&bus, k) < 0) {
		free(k);
		return -ENOTCONN;
	}
	for (int i = 0; i < k->n; i++) {
		struct obj *o = &k->o[i];
		if (!o->device || !o->kind)
			continue;
		if (n < max) {
			struct cab_ble_found *f = &out[n];
			memset(f, 0, sizeof *f);
			snprintf(f->address, sizeof f->address, "%s", o->address);
			snprintf(f->name, sizeof f->name, "%s", o->name);
			f->kind = o->kind;
			f->paired = o->paired;
			f->connected = o->connected;
		}
		n++;
	}
	sd_bus_flush_close_unref(bus);
	free(k);
	return n;
}

int cab_ble_scan(int ms, char *err, size_t size)
{
	static const char *const uuids[] = {
	    "00001808-0000-1000-8000-00805f9b34fb", "00001809-0000-1000-8000-00805f9b34fb",
	    "00001810-0000-1000-8000-00805f9b34fb", "0000181d-0000-1000-8000-00805f9b34fb",
	    "00001822-0000-1000-8000-00805f9b34fb"};
	sd_bus *bus;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *call = NULL;
	struct objs *k = calloc(1, sizeof *k);
	const char *adapter = NULL;
	int r;
	if (size)
		err[0] = '\0';
	if (!k)
		return -ENOMEM;
	if (ms < 1000)
		ms = 1000;
	if (ms > 60000)
		ms = 60000;
	if (load(&bus, k) < 0) {
		free(k);
		snprintf(err, size, "BlueZ is not running (no org.bluez on the system bus)");
		return -ENOTCONN;
	}
	for (int i = 0; i < k->n && !adapter; i++)
		if (k->o[i].adapter)
			adapter = k->o[i].path;
	if (!adapter) {
		snprintf(err, size, "no Bluetooth adapter");
		r = -ENODEV;
		goto out;
	}
	r = sd_bus_message_new_method_call(bus, &call, "org.bluez", adapter, "org.bluez.Adapter1",
	                                   "SetDiscoveryFilter");
	if (r >= 0)
		r = sd_bus_message_open_container(call, 'a', "{sv}");
	if (r >= 0)
		r = sd_bus_message_append(call, "{sv}", "Transport", "s", "le");
	if (r >= 0)
		r = sd_bus_message_open_container(call, 'e', "sv");
	if (r >= 0)
		r = sd_bus_message_append(call, "s", "UUIDs");
	if (r >= 0)
		r = sd_bus_message_open_container(call, 'v', "as");
	if (r >= 0)
		r = sd_bus_message_append(call, "as", 5, uuids[0], uuids[1], uuids[2], uuids[3],
		                          uuids[4]);
	if (r >= 0)
		r = sd_bus_message_close_container(call);
	if (r >= 0)
		r = sd_bus_message_close_container(call);
	if (r >= 0)
		r = sd_bus_message_close_container(call);
	if (r >= 0)
		r = sd_bus_call(bus, call, 2000000, &e, NULL);
	if (r >= 0)
		r = sd_bus_call_method(bus, "org.bluez", adapter, "org.bluez.Adapter1",
		                       "StartDiscovery", &e, NULL, "");
	if (r < 0) {
		set_err(err, size, &e, r);
		cab_warn("bluetooth", "scan: %s", err);
		r = -EIO;
		goto out;
	}
	cab_info("bluetooth", "scan: %d s on %s, health services over LE", ms / 1000, adapter);
	for (int64_t end = cab_mono_ms() + ms; cab_mono_ms() < end;) {
		if (sd_bus_process(bus, NULL) > 0)
			continue;
		sd_bus_wait(bus, 100000);
	}
	sd_bus_error_free(&e);
	sd_bus_call_method(bus, "org.bluez", adapter, "org.bluez.Adapter1", "StopDiscovery", &e,
	                   NULL, "");
	r = 0;
out:
	sd_bus_error_free(&e);
	sd_bus_message_unref(call);
	sd_bus_flush_close_unref(bus);
	free(k);
	return r;
}

int cab_ble_pair(const char *address, char *err, size_t size)
{
	sd_bus *bus;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *call = NULL;
	struct objs *k = calloc(1, sizeof *k);
	int r;
	if (size)
		err[0] = '\0';
	if (!k)
		return -ENOMEM;
	if (load(&bus, k) < 0) {
		free(k);
		snprintf(err, size, "BlueZ is not running");
		return -ENOTCONN;
	}
	struct obj *o = by_address(k, address);
	if (!o) {
		snprintf(err, size, "unknown to BlueZ: scan first");
		r = -ENOENT;
		goto out;
	}
	r = sd_bus_message_new_method_call(bus, &call, "org.bluez", o->path, "org.bluez.Device1",
	                                   "Pair");
	if (r >= 0)
		r = sd_bus_call(bus, call, 60 * 1000000ULL, &e, NULL);
	if (r < 0 && sd_bus_error_has_name(&e, "org.bluez.Error.AlreadyExists"))
		r = 0;
	if (r < 0) {
		set_err(err, size, &e, r);
		cab_warn("bluetooth", "pair %s: %s", o->address, err);
		r = -EIO;
		goto out;
	}
	sd_bus_error_free(&e);
	r = sd_bus_set_property(bus, "org.bluez", o->path, "org.bluez.Device1", "Trusted", &e, "b",
	                        1);
	if (r < 0) { /* the bond is made; trust only spares a confirmation on reconnection */
		set_err(err, size, &e, r);
		cab_warn("bluetooth", "pair %s: Trusted not set: %s", o->address, err);
		err[0] = '\0';
	}
	cab_info("bluetooth", "paired %s (%s)", o->address, cab_device_kind_name(o->kind));
	r = 0;
out:
	sd_bus_error_free(&e);
	sd_bus_message_unref(call);
	sd_bus_flush_close_unref(bus);
	free(k);
	return r;
}

int cab_ble_forget(const char *address, char *err, size_t size)
{
	sd_bus *bus;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	struct objs *k = calloc(1, sizeof *k);
	int r;
	if (size)
		err[0] = '\0';
	if (!k)
		return -ENOMEM;
	if (load(&bus, k) < 0) {
		free(k);
		snprintf(err, size, "BlueZ is not running");
		return -ENOTCONN;
	}
	struct obj *o = by_address(k, address);
	char adapter[160];
	if (!o) {
		snprintf(err, size, "unknown to BlueZ");
		r = -ENOENT;
		goto out;
	}
	snprintf(adapter, sizeof adapter, "%s", o->path);
	char *slash = strrchr(adapter, '/');
	if (slash)
		*slash = '\0';
	r = sd_bus_call_method(bus, "org.bluez", adapter, "org.bluez.Adapter1", "RemoveDevice", &e,
	                       NULL, "o", o->path);
	if (r < 0) {
		set_err(err, size, &e, r);
		cab_warn("bluetooth", "forget %s: %s", o->address, err);
		r = -EIO;
		goto out;
	}
	cab_info("bluetooth", "forgot %s", o->address);
	r = 0;
out:
	sd_bus_error_free(&e);
	sd_bus_flush_close_unref(bus);
	free(k);
	return r;
}
