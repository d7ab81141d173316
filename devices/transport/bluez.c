/* bluez.c — the BlueZ GATT link of one Bluetooth LE instrument over sd-bus, and the
 * object walk shared with the manager's discovery (devices/internal/bluez.h; sources
 * named there: BlueZ D-Bus API documents, D-Bus specification). */
#include "devices/internal/bluez.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "cabin/reading.h"
#include "common/clock.h"
#include "common/log.h"

#define BLUEZ "org.bluez"
#define DEVICE_IF "org.bluez.Device1"
#define CHR_IF "org.bluez.GattCharacteristic1"
#define PROPS_IF "org.freedesktop.DBus.Properties"
#define OM_IF "org.freedesktop.DBus.ObjectManager"
#define CALL_TIMEOUT_US (2 * 1000 * 1000ULL)

#define MAX_CHRS 24
#define QUEUE 16

uint16_t cdi_bluez_uuid16(const char *u)
{
	static const char base[] = "-0000-1000-8000-00805f9b34fb";
	if (!u || strlen(u) != 36 || strncmp(u, "0000", 4) || strcasecmp(u + 8, base))
		return 0;
	unsigned v = 0;
	for (int i = 4; i < 8; i++) {
		if (!isxdigit((unsigned char)u[i]))
			return 0;
		v = v * 16 + (unsigned)(isdigit((unsigned char)u[i])
		                            ? u[i] - '0'
		                            : (tolower((unsigned char)u[i]) - 'a' + 10));
	}
	return (uint16_t)v;
}

int cdi_bluez_service_kind(uint16_t s)
{
	switch (s) {
	case 0x1808:
		return CAB_KIND_GLUCOMETER;
	case 0x1809:
		return CAB_KIND_THERMOMETER;
	case 0x1810:
		return CAB_KIND_BLOOD_PRESSURE;
	case 0x181D:
		return CAB_KIND_SCALE;
	case 0x1822:
		return CAB_KIND_PULSE_OXIMETER;
	}
	return CAB_KIND_UNKNOWN;
}

/* ---- variant readers ----------------------------------------------------------- */

/* 1 when M's next item is a variant holding signature SIG. */
static int variant_is(sd_bus_message *m, const char *sig)
{
	char type;
	const char *contents = NULL;
	if (sd_bus_message_peek_type(m, &type, &contents) <= 0 || type != 'v' || !contents)
		return 0;
	return strcmp(contents, sig) == 0;
}

int cdi_bluez_read_bool(sd_bus_message *m, int *out)
{
	int b = 0;
	if (!variant_is(m, "b") || sd_bus_message_read(m, "v", "b", &b) < 0)
		return 0;
	*out = !!b;
	return 1;
}

int cdi_bluez_read_str(sd_bus_message *m, char *out, size_t size)
{
	const char *s = NULL;
	const char *sig = variant_is(m, "s") ? "s" : variant_is(m, "o") ? "o" : NULL;
	if (!sig || sd_bus_message_read(m, "v", sig, &s) < 0)
		return 0;
	snprintf(out, size, "%s", s ? s : "");
	return 1;
}

int cdi_bluez_read_strv(sd_bus_message *m, void (*fn)(const char *s, void *ud), void *ud)
{
	const char *s;
	if (!variant_is(m, "as") || sd_bus_message_enter_container(m, 'v', "as") < 0)
		return 0;
	if (sd_bus_message_enter_container(m, 'a', "s") < 0)
		return 0;
	while (sd_bus_message_read(m, "s", &s) > 0)
		fn(s, ud);
	sd_bus_message_exit_container(m);
	sd_bus_message_exit_container(m);
	return 1;
}

int cdi_bluez_read_bytes(sd_bus_message *m, uint8_t *out, size_t size, size_t *len)
{
	const void *p = NULL;
	size_t n = 0;
	if (!variant_is(m, "ay") || sd_bus_message_enter_container(m, 'v', "ay") < 0)
		return 0;
	if (sd_bus_message_read_array(m, 'y', &p, &n) < 0)
		return 0;
	sd_bus_message_exit_container(m);
	if (n > size)
		n = size;
	if (n)
		memcpy(out, p, n);
	*len = n;
	return 1;
}

/* Walks one a{sv} at M, calling FN for each property (see cdi_bluez_walk). */
static int walk_props(const char *path, const char *iface, sd_bus_message *m,
                      int (*fn)(const char *, const char *, const char *, sd_bus_message *, void *),
                      void *ud)
{
	int r;
	const char *key;
	if ((r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		if ((r = sd_bus_message_read(m, "s", &key)) < 0)
			return r;
		if (!fn(path, iface, key, m, ud) && (r = sd_bus_message_skip(m, "v")) < 0)
			return r;
		if ((r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

int cdi_bluez_walk(sd_bus *bus,
                   int (*fn)(const char *path, const char *iface, const char *key,
                             sd_bus_message *m, void *ud),
                   void *ud)
{
	sd_bus_message *call = NULL, *reply = NULL;
	sd_bus_error err = SD_BUS_ERROR_NULL;
	const char *path, *iface;
	int r = sd_bus_message_new_method_call(bus, &call, BLUEZ, "/", OM_IF, "GetManagedObjects");
	if (r >= 0) /* no bus activation of bluetoothd: absent is an answer */
		r = sd_bus_message_set_auto_start(call, 0);
	if (r >= 0)
		r = sd_bus_call(bus, call, CALL_TIMEOUT_US, &err, &reply);
	sd_bus_message_unref(call);
	if (r < 0) {
		sd_bus_error_free(&err);
		return r;
	}
	if ((r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}")) < 0)
		goto out;
	while ((r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
		if ((r = sd_bus_message_read(reply, "o", &path)) < 0)
			goto out;
		if ((r = sd_bus_message_enter_container(reply, 'a', "{sa{sv}}")) < 0)
			goto out;
		while ((r = sd_bus_message_enter_container(reply, 'e', "sa{sv}")) > 0) {
			if ((r = sd_bus_message_read(reply, "s", &iface)) < 0)
				goto out;
			if ((r = walk_props(path, iface, reply, fn, ud)) < 0)
				goto out;
			if ((r = sd_bus_message_exit_container(reply)) < 0)
				goto out;
		}
		if (r < 0 || (r = sd_bus_message_exit_container(reply)) < 0 ||
		    (r = sd_bus_message_exit_container(reply)) < 0)
			goto out;
	}
out:
	sd_bus_message_unref(reply);
	return r < 0 ? r : 0;
}

/* ---- the link ------------------------------------------------------------------ */

struct chr {
	char path[200];
	uint16_t uuid;
	int notifying; /* StartNotify done on this connection */
};

struct value {
	uint16_t uuid;
	uint16_t len;
	uint8_t b[CDI_BLUEZ_MAX_VALUE];
};

struct bz {
	sd_bus *bus;
	sd_bus_slot *s_props, *s_removed;
	char dev[160];
	size_t dev_len;
	unsigned state;
	int gone;
	char name[48], address[24];
	struct chr chr[MAX_CHRS];
	int nchr;
	struct value q[QUEUE];
	int qhead, qn;
};

static struct chr *chr_by_path(struct bz *b, const char *path)
{
	for (int i = 0; i < b->nchr; i++)
		if (!strcmp(b->chr[i].path, path))
			return &b->chr[i];
	return NULL;
}

static struct chr *chr_by_uuid(struct bz *b, uint16_t uuid)
{
	for (int i = 0; i < b->nchr; i++)
		if (b->chr[i].uuid == uuid)
			return &b->chr[i];
	return NULL;
}

static void set_bit(unsigned *s, unsigned bit, int on)
{
	*s = on ? (*s | bit) : (*s & ~bit);
}

/* A device property (from the walk or PropertiesChanged). Returns 1 when read. */
static int device_prop(struct bz *b, const char *key, sd_bus_message *m)
{
	int v;
	if (!strcmp(key, "Connected") && cdi_bluez_read_bool(m, &v)) {
		set_bit(&b->state, CDI_BLUEZ_CONNECTED, v);
		if (!v) /* a new connection needs its subscriptions again */
			for (int i = 0; i < b->nchr; i++)
				b->chr[i].notifying = 0;
		return 1;
	}
	if (!strcmp(key, "ServicesResolved") && cdi_bluez_read_bool(m, &v)) {
		set_bit(&b->state, CDI_BLUEZ_RESOLVED, v);
		return 1;
	}
	if (!strcmp(key, "Name") || (!strcmp(key, "Alias") && !b->name[0]))
		return cdi_bluez_read_str(m, b->name, sizeof b->name);
	if (!strcmp(key, "Address"))
		return cdi_bluez_read_str(m, b->address, sizeof b->address);
	return 0;
}

/* PropertiesChanged under the device's path: the device's link state, or a
 * characteristic's new Value (a notification or an indication), queued. */
static int on_props(sd_bus_message *m, void *ud, sd_bus_error *e)
{
	struct bz *b = ud;
	const char *iface, *key, *path = sd_bus_message_get_path(m);
	int r;
	(void)e;
	if (!path || sd_bus_message_read(m, "s", &iface) < 0)
		return 0;
	int is_dev = !strcmp(path, b->dev) && !strcmp(iface, DEVICE_IF);
	struct chr *c = strcmp(iface, CHR_IF) ? NULL : chr_by_path(b, path);
	if (!is_dev && !c)
		return 0;
	if (sd_bus_message_enter_container(m, 'a', "{sv}") < 0)
		return 0;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		if (sd_bus_message_read(m, "s", &key) < 0)
			return 0;
		int done = 0;
		if (is_dev) {
			done = device_prop(b, key, m);
		} else if (!strcmp(key, "Value")) {
			if (b->qn == QUEUE) { /* cannot happen: read pops before it processes */
				cab_err("bluez", "%s: notification queue full, value dropped",
				        b->address);
			} else {
				struct value *v = &b->q[(b->qhead + b->qn) % QUEUE];
				size_t n = 0;
				if (cdi_bluez_read_bytes(m, v->b, sizeof v->b, &n)) {
					v->uuid = c->uuid;
					v->len = (uint16_t)n;
					b->qn++;
					done = 1;
				}
			}
		}
		if (!done && sd_bus_message_skip(m, "v") < 0)
			return 0;
		sd_bus_message_exit_container(m);
	}
	return 0;
}

/* InterfacesRemoved: the device object gone (forgotten, adapter removed). */
static int on_removed(sd_bus_message *m, void *ud, sd_bus_error *e)
{
	struct bz *b = ud;
	const char *path;
	(void)e;
	if (sd_bus_message_read(m, "o", &path) < 0)
		return 0;
	if (!strcmp(path, b->dev)) {
		b->gone = 1;
		b->state = 0;
	} else if (!strncmp(path, b->dev, b->dev_len) && path[b->dev_len] == '/') {
		struct chr *c = chr_by_path(b, path);
		if (c) /* a service gone with the connection: scanned again after reconnect */
			*c = b->chr[--b->nchr];
	}
	return 0;
}

struct scan_ctx {
	struct bz *b;
	int seen_dev;
};

static int scan_fn(const char *path, const char *iface, const char *key, sd_bus_message *m,
                   void *ud)
{
	struct scan_ctx *s = ud;
	struct bz *b = s->b;
	if (!strcmp(path, b->dev) && !strcmp(iface, DEVICE_IF)) {
		s->seen_dev = 1;
		return device_prop(b, key, m);
	}
	if (strncmp(path, b->dev, b->dev_len) || path[b->dev_len] != '/' || strcmp(iface, CHR_IF) ||
	    strcmp(key, "UUID"))
		return 0;
	char u[40];
	if (!cdi_bluez_read_str(m, u, sizeof u))
		return 1;
	uint16_t id = cdi_bluez_uuid16(u);
	struct chr *c = chr_by_path(b, path);
	if (!id || c || b->nchr == MAX_CHRS)
		return 1;
	c = &b->chr[b->nchr++];
	snprintf(c->path, sizeof c->path, "%s", path);
	c->uuid = id;
	c->notifying = 0;
	return 1;
}

int cdi_bluez_scan_gatt(struct cdi_transport *t)
{
	struct bz *b = t->impl;
	struct scan_ctx s = {.b = b};
	int r = cdi_bluez_walk(b->bus, scan_fn, &s);
	if (r < 0)
		return CDI_T_IO;
	if (!s.seen_dev) {
		b->gone = 1;
		return CDI_T_GONE;
	}
	return b->nchr;
}

static int bz_read(struct cdi_transport *t, uint8_t *buf, size_t len, int timeout_ms)
{
	struct bz *b = t->impl;
	int64_t end = cab_mono_ms() + timeout_ms;
	for (;;) {
		if (b->qn) {
			struct value *v = &b->q[b->qhead];
			b->qhead = (b->qhead + 1) % QUEUE;
			b->qn--;
			if (len < (size_t)v->len + 2)
				return CDI_T_OVERFLOW;
			buf[0] = (uint8_t)(v->uuid & 0xFF);
			buf[1] = (uint8_t)(v->uuid >> 8);
			memcpy(buf + 2, v->b, v->len);
			return v->len + 2;
		}
		if (b->gone)
			return CDI_T_GONE;
		int r = sd_bus_process(b->bus, NULL);
		if (r < 0) {
			cab_warn("bluez", "%s: system bus lost (%s)", b->address, strerror(-r));
			b->gone = 1;
			return CDI_T_GONE;
		}
		if (r > 0)
			continue;
		int64_t left = end - cab_mono_ms();
		if (left <= 0)
			return CDI_T_TIMEOUT;
		if ((r = sd_bus_wait(b->bus, (uint64_t)left * 1000)) < 0 && r != -EINTR) {
			b->gone = 1;
			return CDI_T_GONE;
		}
	}
}

/* Calls METHOD on characteristic C with the message built by the caller (CALL), or
 * with no arguments when CALL is NULL. Returns 0 or CDI_T_IO (logged). */
static int chr_call(struct bz *b, struct chr *c, const char *method, sd_bus_message *call,
                    sd_bus_message **reply)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *own = NULL;
	int r = 0;
	if (!call) {
		r = sd_bus_message_new_method_call(b->bus, &own, BLUEZ, c->path, CHR_IF, method);
		call = own;
	}
	if (r >= 0)
		r = sd_bus_call(b->bus, call, CALL_TIMEOUT_US, &err, reply);
	sd_bus_message_unref(own);
	if (r < 0) {
		char esc[200];
		cab_log_escape(err.message ? err.message : strerror(-r), esc, sizeof esc);
		cab_warn("bluez", "%s: %s on 0x%04X failed: %s %s", b->address, method, c->uuid,
		         err.name ? err.name : "", esc);
		sd_bus_error_free(&err);
		return CDI_T_IO;
	}
	return 0;
}

static int bz_write(struct cdi_transport *t, const uint8_t *buf, size_t len, int timeout_ms)
{
	struct bz *b = t->impl;
	(void)timeout_ms;
	if (len < 2 || len - 2 > CDI_BLUEZ_MAX_VALUE)
		return CDI_T_INVALID;
	if (b->gone)
		return CDI_T_GONE;
	struct chr *c = chr_by_uuid(b, (uint16_t)(buf[0] | buf[1] << 8));
	if (!c)
		return CDI_T_INVALID;
	sd_bus_message *call = NULL;
	int r = sd_bus_message_new_method_call(b->bus, &call, BLUEZ, c->path, CHR_IF, "WriteValue");
	if (r >= 0)
		r = sd_bus_message_append_array(call, 'y', buf + 2, len - 2);
	if (r >= 0)
		r = sd_bus_message_append(call, "a{sv}", 1, "type", "s", "request");
	if (r < 0) {
		sd_bus_message_unref(call);
		return CDI_T_IO;
	}
	r = chr_call(b, c, "WriteValue", call, NULL);
	sd_bus_message_unref(call);
	return r < 0 ? r : (int)len;
}

static void bz_close(struct cdi_transport *t)
{
	struct bz *b = t->impl;
	if (!b->gone && (b->state & CDI_BLUEZ_CONNECTED))
		for (int i = 0; i < b->nchr; i++)
			if (b->chr[i].notifying)
				chr_call(b, &b->chr[i], "StopNotify", NULL, NULL);
	sd_bus_slot_unref(b->s_props);
	sd_bus_slot_unref(b->s_removed);
	sd_bus_flush_close_unref(b->bus);
	free(b);
	free(t);
}

static const struct cdi_transport_ops bz_ops = {
    .name = "bluez",
    .read = bz_read,
    .write = bz_write,
    .close = bz_close,
    .set_feature = NULL,
};

int cdi_bluez_is(const struct cdi_transport *t)
{
	return t && t->ops == &bz_ops;
}

int cdi_bluez_open(const char *device_path, struct cdi_transport **out)
{
	struct cdi_transport *t = calloc(1, sizeof *t);
	struct bz *b = calloc(1, sizeof *b);
	char match[400];
	int r;
	if (!t || !b || strlen(device_path) >= sizeof b->dev) {
		free(t);
		free(b);
		return CDI_T_INVALID;
	}
	snprintf(b->dev, sizeof b->dev, "%s", device_path);
	b->dev_len = strlen(b->dev);
	t->ops = &bz_ops;
	t->impl = b;
	if ((r = sd_bus_open_system(&b->bus)) < 0) {
		cab_err("bluez", "no system bus: %s", strerror(-r));
		free(b);
		free(t);
		return CDI_T_IO;
	}
	/* subscribe before looking, so that no change falls between the two */
	snprintf(match, sizeof match,
	         "type='signal',sender='" BLUEZ "',interface='" PROPS_IF
	         "',member='PropertiesChanged',"
	         "path_namespace='%s'",
	         b->dev);
	r = sd_bus_add_match(b->bus, &b->s_props, match, on_props, b);
	if (r >= 0)
		r = sd_bus_match_signal(b->bus, &b->s_removed, BLUEZ, "/", OM_IF,
		                        "InterfacesRemoved", on_removed, b);
	if (r >= 0)
		r = cdi_bluez_scan_gatt(t);
	if (r < 0) {
		cab_err("bluez", "%s: cannot follow the device (%s)", device_path,
		        r == CDI_T_GONE ? "no such device" : "BlueZ not answering");
		bz_close(t);
		return r == CDI_T_GONE ? CDI_T_GONE : CDI_T_IO;
	}
	*out = t;
	return 0;
}

unsigned cdi_bluez_link_state(struct cdi_transport *t)
{
	return ((struct bz *)t->impl)->state;
}

const char *cdi_bluez_name(struct cdi_transport *t)
{
	return ((struct bz *)t->impl)->name;
}

const char *cdi_bluez_address(struct cdi_transport *t)
{
	return ((struct bz *)t->impl)->address;
}

int cdi_bluez_connect(struct cdi_transport *t, int timeout_ms)
{
	struct bz *b = t->impl;
	sd_bus_message *call = NULL;
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r = sd_bus_message_new_method_call(b->bus, &call, BLUEZ, b->dev, DEVICE_IF, "Connect");
	if (r >= 0)
		r = sd_bus_call(b->bus, call, (uint64_t)timeout_ms * 1000, &err, NULL);
	sd_bus_message_unref(call);
	if (r >= 0)
		return 0;
	int pending = r == -ETIMEDOUT ||
	              (err.name && (!strcmp(err.name, "org.bluez.Error.AlreadyConnected") ||
	                            !strcmp(err.name, "org.bluez.Error.InProgress")));
	if (!pending) {
		char esc[200];
		cab_log_escape(err.message ? err.message : strerror(-r), esc, sizeof esc);
		cab_info("bluez", "%s: Connect: %s %s", b->address, err.name ? err.name : "", esc);
	}
	sd_bus_error_free(&err);
	return pending ? 0 : CDI_T_IO;
}

int cdi_bluez_has_chr(struct cdi_transport *t, uint16_t uuid16)
{
	return chr_by_uuid(t->impl, uuid16) != NULL;
}

int cdi_bluez_start_notify(struct cdi_transport *t, uint16_t uuid16)
{
	struct bz *b = t->impl;
	struct chr *c = chr_by_uuid(b, uuid16);
	if (!c)
		return CDI_T_INVALID;
	if (c->notifying)
		return 0;
	int r = chr_call(b, c, "StartNotify", NULL, NULL);
	if (r == 0)
		c->notifying = 1;
	return r;
}

int cdi_bluez_read_chr(struct cdi_transport *t, uint16_t uuid16, uint8_t *buf, size_t len)
{
	struct bz *b = t->impl;
	struct chr *c = chr_by_uuid(b, uuid16);
	sd_bus_message *call = NULL, *reply = NULL;
	const void *p = NULL;
	size_t n = 0;
	if (!c)
		return CDI_T_INVALID;
	int r = sd_bus_message_new_method_call(b->bus, &call, BLUEZ, c->path, CHR_IF, "ReadValue");
	if (r >= 0)
		r = sd_bus_message_append(call, "a{sv}", 0);
	if (r < 0 || chr_call(b, c, "ReadValue", call, &reply) < 0) {
		sd_bus_message_unref(call);
		return CDI_T_IO;
	}
	sd_bus_message_unref(call);
	r = sd_bus_message_read_array(reply, 'y', &p, &n);
	if (r >= 0 && n > len)
		r = CDI_T_OVERFLOW;
	else if (r >= 0 && n)
		memcpy(buf, p, n);
	sd_bus_message_unref(reply);
	return r < 0 ? (r == CDI_T_OVERFLOW ? r : CDI_T_IO) : (int)n;
}
