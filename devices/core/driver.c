/* driver.c — the driver-side helpers of devices/internal/driver.h: match tables,
 * registry look-ups, reporting from a driver to its host, simulator options. */
#include "devices/internal/driver.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"

const char *cdi_bus_name(enum cdi_bus bus)
{
	switch (bus) {
	case CDI_BUS_USB: return "usb";
	case CDI_BUS_TTY: return "tty";
	case CDI_BUS_HIDRAW: return "hidraw";
	case CDI_BUS_VIDEO: return "video4linux";
	case CDI_BUS_SOUND: return "sound";
	case CDI_BUS_SIM: return "sim";
	case CDI_BUS_BLE: return "ble";
	}
	return "unknown";
}

static int iface_ok(const struct cdi_match *m, const struct cdi_iface *i)
{
	return (m->if_class == CDI_ANY || m->if_class == i->if_class) &&
	       (m->if_subclass == CDI_ANY || m->if_subclass == i->if_subclass) &&
	       (m->if_protocol == CDI_ANY || m->if_protocol == i->if_protocol);
}

int cdi_match_candidate(const struct cdi_match *m, const struct cdi_candidate *c)
{
	if (m->bus != c->bus)
		return 0;
	if (c->bus == CDI_BUS_SIM)
		return m->sim == NULL || strcmp(m->sim, c->sim_name) == 0;
	if (m->vid && m->vid != c->vid)
		return 0;
	if (m->pid && m->pid != c->pid)
		return 0;
	if (m->if_class == CDI_ANY && m->if_subclass == CDI_ANY && m->if_protocol == CDI_ANY)
		return 1;
	if (c->bus == CDI_BUS_USB) {
		for (int i = 0; i < c->n_ifaces && i < CDI_MAX_IFACES; i++)
			if (iface_ok(m, &c->ifaces[i]))
				return 1;
		return 0;
	}
	if (c->iface >= 0 && c->iface < c->n_ifaces && c->iface < CDI_MAX_IFACES)
		return iface_ok(m, &c->ifaces[c->iface]);
	return 0;
}

const struct cdi_driver *cdi_driver_find(const struct cdi_candidate *c,
                                         const struct cdi_match **row)
{
	for (size_t i = 0; cdi_driver_registry[i]; i++) {
		const struct cdi_driver *d = cdi_driver_registry[i];
		for (const struct cdi_match *m = d->match; m && m->bus; m++) {
			if (!cdi_match_candidate(m, c))
				continue;
			if (d->probe && d->probe(c, m) < 0)
				continue;
			if (row)
				*row = m;
			return d;
		}
	}
	return NULL;
}

const struct cdi_driver *cdi_driver_by_name(const char *name)
{
	for (size_t i = 0; cdi_driver_registry[i]; i++)
		if (strcmp(cdi_driver_registry[i]->name, name) == 0)
			return cdi_driver_registry[i];
	return NULL;
}

const struct cdi_simulator *cdi_simulator_find(const char *name, const struct cdi_driver **drv)
{
	for (size_t i = 0; cdi_driver_registry[i]; i++) {
		const struct cdi_driver *d = cdi_driver_registry[i];
		for (size_t j = 0; d->simulators && d->simulators[j]; j++)
			if (strcmp(d->simulators[j]->name, name) == 0) {
				if (drv)
					*drv = d;
				return d->simulators[j];
			}
	}
	return NULL;
}

struct cab_reading cdi_reading_init(uint32_t mdc, const char *ucum)
{
	struct cab_reading r;
	memset(&r, 0, sizeof r);
	r.mdc = mdc;
	r.value_kind = CAB_VALUE_NUMBER;
	r.device_time_ms = INT64_MIN;
	r.person_id = 0xFFFF;
	r.clock_offset_ms = INT64_MIN;
	if (ucum)
		snprintf(r.ucum, sizeof r.ucum, "%s", ucum);
	return r;
}

void cdi_emit_reading(struct cdi_device *dev, struct cab_reading *r)
{
	if (r->device.kind == CAB_KIND_UNKNOWN && !r->device.driver[0])
		r->device = dev->id;
	if (r->cabin_time_ms == 0)
		r->cabin_time_ms = cab_wall_ms();
	if (r->person_id == 0)
		r->person_id = 0xFFFF;
	if (r->clock_offset_ms == 0) /* a zeroed reading: unknown (an exact 0 ms offset is lost) */
		r->clock_offset_ms = INT64_MIN;
	dev->host->reading(dev, r);
}

void cdi_emit_wave(struct cdi_device *dev, uint32_t mdc, const float *samples, size_t n,
                   double rate_hz)
{
	if (n)
		dev->host->waveform(dev, mdc, samples, n, rate_hz);
}

void cdi_emit_state(struct cdi_device *dev, enum cab_dev_state s, enum cab_incident inc,
                    const char *detail)
{
	if (dev->state == s && dev->incident == inc && dev->state_reported)
		return;
	dev->state = s;
	dev->incident = inc;
	dev->state_reported = 1;
	dev->host->state(dev, s, inc, detail ? detail : "");
}

int cdi_stopping(const struct cdi_device *dev)
{
	return __atomic_load_n(&dev->stop, __ATOMIC_ACQUIRE) != 0;
}

int cdi_device_gone(const struct cdi_device *dev)
{
	return __atomic_load_n(&dev->removed, __ATOMIC_ACQUIRE) != 0;
}

void cdi_device_request_stop(struct cdi_device *dev)
{
	__atomic_store_n(&dev->stop, 1, __ATOMIC_RELEASE);
}

void cdi_device_request_measure(struct cdi_device *dev)
{
	__atomic_add_fetch(&dev->measure_requests, 1, __ATOMIC_ACQ_REL);
}

int cdi_measure_pending(const struct cdi_device *dev)
{
	return __atomic_load_n(&dev->measure_requests, __ATOMIC_ACQUIRE) > 0;
}

int cdi_take_measure_request(struct cdi_device *dev)
{
	int n = __atomic_load_n(&dev->measure_requests, __ATOMIC_ACQUIRE);
	while (n > 0) {
		if (__atomic_compare_exchange_n(&dev->measure_requests, &n, n - 1, 0,
		                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return 1;
	}
	return 0;
}

/* Finds "KEY=" at the start of an option in OPTS; returns the value start or NULL. */
static const char *opt_find(const char *opts, const char *key, const char *after)
{
	size_t kl = strlen(key);
	const char *p = after ? after : opts;
	while (p && *p) {
		while (*p == ',' || *p == ' ')
			p++;
		if (strncmp(p, key, kl) == 0 && p[kl] == '=')
			return p + kl + 1;
		p = strchr(p, ',');
	}
	return NULL;
}

double cdi_sim_opt(const char *opts, const char *key, double def)
{
	if (!opts)
		return def;
	const char *v = opt_find(opts, key, NULL);
	if (!v)
		return def;
	char *end;
	double d = strtod(v, &end);
	if (end == v || (*end && *end != ','))
		return def;
	return d;
}

int cdi_sim_opts_check(const char *opts, char *err, size_t size)
{
	const char *p = opts ? opts : "";
	while (*p) {
		while (*p == ',' || *p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, ","), kl = strcspn(p, "=,");
		if (kl == n || kl == 0) {
			snprintf(err, size, "'%.*s': expected KEY=VALUE", (int)(n > 60 ? 60 : n), p);
			return -1;
		}
		const char *v = p + kl + 1;
		size_t vl = n - kl - 1;
		if (kl == 5 && !strncmp(p, "fault", 5)) {
			if (!vl) {
				snprintf(err, size, "fault: expected a fault name");
				return -1;
			}
		} else {
			char *end;
			double d = strtod(v, &end);
			if (!vl || (size_t)(end - v) != vl || !isfinite(d)) {
				snprintf(err, size, "%.*s: '%.*s' is not a number", (int)(kl > 40 ? 40 : kl), p,
				         (int)(vl > 40 ? 40 : vl), v);
				return -1;
			}
		}
		p += n;
	}
	return 0;
}

int cdi_sim_has_fault(const char *opts, const char *name)
{
	size_t nl = strlen(name);
	const char *v = opts ? opt_find(opts, "fault", NULL) : NULL;
	while (v) {
		if (strncmp(v, name, nl) == 0 && (v[nl] == ',' || v[nl] == 0))
			return 1;
		v = opt_find(opts, "fault", v);
	}
	return 0;
}

int cdi_take_history_request(struct cdi_device *dev, int64_t *since_ms)
{
	if (!__atomic_exchange_n(&dev->history_request, 0, __ATOMIC_ACQ_REL))
		return 0;
	*since_ms = __atomic_load_n(&dev->history_since_ms, __ATOMIC_ACQUIRE);
	return 1;
}

int cdi_take_selftest_request(struct cdi_device *dev)
{
	return __atomic_exchange_n(&dev->selftest_request, 0, __ATOMIC_ACQ_REL);
}

void cdi_selftest_done(struct cdi_device *dev, int pass, const char *detail)
{
	snprintf(dev->selftest_detail, sizeof dev->selftest_detail, "%s", detail ? detail : "");
	__atomic_store_n(&dev->selftest_result, pass ? 1 : -1, __ATOMIC_RELEASE);
}
