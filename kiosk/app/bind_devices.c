/* bind_devices.c — binds the instruments (cabin/devices.h) to the main thread: the
 * device manager starts at launch (`--sim`: simulators speaking the real protocols
 * stand in for absent instruments), its callbacks post to the event queue, and the
 * main thread turns them into tile states and values, and hands readings,
 * incidents and the stethoscope on as effects (bind.h). "Take a measurement" asks the instrument; a simulated one is also used
 * by the simulated patient (cab_devices_sim_measure). Each instrument, simulated or
 * not, is one device for the cabin's life: plugged in once, like the real ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabin/mdc.h"
#include "clock.h"
#include "kiosk/service/bluetooth.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/bind_devices.h"
#include "kiosk/app/events.h"
#include "kiosk/app/test_hook.h"
#include "kiosk/ui/i18n.h"
#include "log.h"

/* Values the simulators replay: SpO2 97 % / PR 65 /min (the CMS50 capture,
 * tests/devices/cms50/fixtures), 123/78 mmHg pulse 87 (the Omron HEM-790IT capture),
 * and the IEEE 11073 agents' temperature, weight and glucose. CABIN_SIM_VALUES
 * replaces them ("key=value,...", docs/devices.md "Simulators"). */
#define SIM_VALUES "spo2=97,pr=65,sys=123,dia=78,pulse=87,temp=36.8,weight=72.4,glucose=104"
#define SIM_MEASURE_MS ((int)cab_test_hook_ms(1500))

struct cab_bind_devices {
	struct cab_app *app;        /* options, view; effects */
	struct cab_devices *devices; /* the manager, NULL when none started */
	unsigned tile_handle[CAB_VIEW_INSTRUMENTS]; /* device that feeds each tile, 0 none */
	bool tile_simulated[CAB_VIEW_INSTRUMENTS];
	bool tile_measured[CAB_VIEW_INSTRUMENTS];   /* a reading of this session arrived */
	unsigned steth_handle;      /* USB stethoscope the instruments layer found, 0 none */
};

int cab_app_tile_of_kind(enum cab_device_kind k)
{
	return k >= CAB_KIND_THERMOMETER && k <= CAB_KIND_GLUCOMETER ? (int)k - 1 : -1;
}

static const char *sim_name(int tile)
{
	static const char *names[CAB_VIEW_INSTRUMENTS] = {"ieee11073-thermometer", "omron-hem", "cms50",
	                                                  "ieee11073-scale", "ieee11073-glucometer"};
	return tile >= 0 && tile < CAB_VIEW_INSTRUMENTS ? names[tile] : NULL;
}

static const char *sim_values(void)
{
	const char *v = getenv("CABIN_SIM_VALUES");
	return v && *v ? v : SIM_VALUES;
}

/* Tests and demos: CABIN_SIM_FAULT="NAME:key=value" adds a fault to the next
 * measurement of simulator NAME (once), e.g. "omron-hem:fault=unplug" (docs/devices.md
 * "Simulators"). Returns ",key=value" or "". */
static const char *fault_once(const char *name)
{
	static bool used;
	static char extra[96];
	const char *f = getenv("CABIN_SIM_FAULT");
	size_t n = name ? strlen(name) : 0;
	if (used || !f || !n || strncmp(f, name, n) || f[n] != ':')
		return "";
	used = true;
	snprintf(extra, sizeof extra, ",%s", f + n + 1);
	return extra;
}

/* --- device threads -> queue ---------------------------------------------------- */

static void post_dev(enum cab_devev_what what, const struct cab_device_info *d, enum cab_dev_state s,
                     enum cab_incident inc, const char *detail)
{
	struct cab_devev *ev = calloc(1, sizeof *ev);
	if (!ev)
		return;
	ev->what = what;
	ev->info = *d;
	ev->state = s;
	ev->incident = inc;
	snprintf(ev->detail, sizeof ev->detail, "%s", detail ? detail : "");
	cab_event_post(CAB_QEV_DEVICE, ev, free);
}

static void on_attached(const struct cab_device_info *d, void *u)
{
	(void)u;
	post_dev(CAB_DEVEV_ATTACHED, d, d->state, CAB_INC_NONE, NULL);
}

static void on_detached(const struct cab_device_info *d, void *u)
{
	(void)u;
	post_dev(CAB_DEVEV_DETACHED, d, CAB_DEV_GONE, CAB_INC_NONE, NULL);
}

static void on_state(const struct cab_device_info *d, enum cab_dev_state s, enum cab_incident inc,
                     const char *detail, void *u)
{
	(void)u;
	post_dev(CAB_DEVEV_STATE, d, s, inc, detail);
}

static void on_reading(const struct cab_device_info *d, const struct cab_reading *r, void *u)
{
	(void)d;
	(void)u;
	struct cab_reading *c = malloc(sizeof *c);
	if (!c)
		return;
	*c = *r;
	cab_event_post(CAB_QEV_READING, c, free);
}

struct cab_bind_devices *cab_bind_devices_start(struct cab_app *a)
{
	char opts[256];
	struct cab_bind_devices *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->app = a;
	/* the simulators started at launch stay quiet until asked (measure_ms=-1) */
	snprintf(opts, sizeof opts, "%s,measure_ms=-1", sim_values());
	struct cab_devices_config cfg = {0};
	if (a->opt.sim) {
		for (int k = CAB_KIND_THERMOMETER; k <= CAB_KIND_GLUCOMETER; k++)
			cfg.sim_kinds |= CAB_SIM_KIND(k);
		cfg.sim_options = opts;
	}
	cfg.no_hotplug = getenv("CABIN_NO_HOTPLUG") != NULL;
	/* Bluetooth LE: the instruments the technician paired (service menu) */
	static char ble[CAB_BT_MAX * 18 + 1];
	int nble = cab_bt_adopted_load(a->cfg.data_dir, ble, sizeof ble);
	cfg.ble = 1;
	cfg.ble_instruments = ble;
	if (nble)
		cab_info("app", "Bluetooth instruments: %s", ble);
	struct cab_devices_callbacks cb = {.attached = on_attached,
	                                   .detached = on_detached,
	                                   .reading = on_reading,
	                                   .state = on_state,
	                                   .user = d};
	d->devices = cab_devices_new(&cfg, &cb);
	if (!d->devices || cab_devices_start(d->devices)) {
		cab_err("app", "instruments unavailable (no udev and no --sim)");
		cab_devices_free(d->devices);
		d->devices = NULL;
	}
	return d;
}

struct cab_devices *cab_bind_devices_manager(struct cab_bind_devices *d)
{
	return d ? d->devices : NULL;
}

void cab_bind_devices_stop(struct cab_bind_devices *d)
{
	if (!d)
		return;
	cab_devices_free(d->devices);
	free(d);
}

/* --- main thread ---------------------------------------------------------------- */

/* A simulator stands in for this instrument (`--sim`). */
static bool simulated(const struct cab_device_info *d)
{
	return d->id.simulated || !strncmp(d->syspath, "sim:", 4) || !strcmp(d->bus, "sim");
}


/* The tile's state for an instrument in state S; MEASURED: a reading of this
 * session arrived ("Measured"), else a ready instrument is "Not used yet". */
static enum cab_tile_state tile_state(enum cab_dev_state s, bool measured)
{
	switch (s) {
	case CAB_DEV_READY:
	case CAB_DEV_IDLE:
		return measured ? CAB_TILE_OK : CAB_TILE_IDLE;
	case CAB_DEV_MEASURING:
		return CAB_TILE_BUSY;
	case CAB_DEV_ERROR:
		return CAB_TILE_FAILED;
	case CAB_DEV_GONE:
		return CAB_TILE_ABSENT;
	default:
		return CAB_TILE_IDLE;
	}
}

/* A clear message for the patient about an instrument incident (msgid), or NULL. */
static const char *incident_msgid(enum cab_incident inc)
{
	switch (inc) {
	case CAB_INC_UNPLUGGED_MID_MEASUREMENT:
		return N_("Unplugged: plug in, touch Measure");
	case CAB_INC_UNPLUGGED:
		return N_("Unplugged: plug it back in");
	case CAB_INC_TIMEOUT:
	case CAB_INC_PROTOCOL:
		return N_("Not answering: touch Measure again");
	case CAB_INC_CUFF_ERROR:
		return N_("Not finished: check the cuff");
	case CAB_INC_NO_FINGER:
		return N_("Put your finger in the clip");
	case CAB_INC_SIGNAL_WEAK:
		return N_("Weak signal: keep still");
	case CAB_INC_LOW_BATTERY:
		return N_("Low battery: tell the pharmacist");
	case CAB_INC_OPEN_FAILED:
		return N_("Unusable: tell the pharmacist");
	default:
		return NULL;
	}
}

/* Incidents that go into the record (the patient's own finger out is not one). */
static bool recorded(enum cab_incident inc)
{
	return inc == CAB_INC_UNPLUGGED_MID_MEASUREMENT || inc == CAB_INC_TIMEOUT ||
	       inc == CAB_INC_PROTOCOL || inc == CAB_INC_CUFF_ERROR || inc == CAB_INC_OPEN_FAILED ||
	       inc == CAB_INC_LOW_BATTERY;
}

void cab_bind_devices_event(struct cab_bind_devices *d, const struct cab_devev *ev)
{
	struct cab_app *a = d->app;
	int t = cab_app_tile_of_kind(ev->info.id.kind);
	cab_app_dispatch(a, &(struct cab_fx){.kind = CAB_FX_DEVICE, .p = ev});
	if (ev->incident != CAB_INC_NONE && recorded(ev->incident)) {
		char detail[160];
		snprintf(detail, sizeof detail, "%s %s: %s", cab_device_kind_name(ev->info.id.kind),
		         ev->info.id.model, cab_incident_name(ev->incident));
		int64_t now = cab_wall_ms();
		cab_app_fx_incident(a, "instrument-error", now, 0, detail);
	}
	if (ev->info.id.kind == CAB_KIND_STETHOSCOPE) { /* a USB sound card: streamed by media */
		char alsa[16];
		if (ev->what == CAB_DEVEV_ATTACHED && cab_device_alsa_name(&ev->info, alsa, sizeof alsa) == 0) {
			d->steth_handle = ev->info.handle;
			cab_app_dispatch(a, &(struct cab_fx){.kind = CAB_FX_STETHOSCOPE, .text = alsa});
			cab_info("app", "stethoscope %s found on %s", ev->info.id.model, alsa);
		} else if (ev->what == CAB_DEVEV_DETACHED && d->steth_handle == ev->info.handle) {
			d->steth_handle = 0;
			cab_app_dispatch(a, &(struct cab_fx){.kind = CAB_FX_STETHOSCOPE, .text = ""});
			cab_info("app", "stethoscope removed");
		}
	}
	if (t < 0)
		return;
	struct cab_tile *tile = &a->view.instruments[t];
	switch (ev->what) {
	case CAB_DEVEV_ATTACHED:
		d->tile_handle[t] = ev->info.handle;
		d->tile_simulated[t] = simulated(&ev->info);
		tile->state = tile_state(ev->state, d->tile_measured[t]);
		break;
	case CAB_DEVEV_DETACHED:
		if (d->tile_handle[t] != ev->info.handle)
			return;
		d->tile_handle[t] = 0;
		if (tile->state != CAB_TILE_FAILED)
			tile->state = CAB_TILE_ABSENT;
		break;
	case CAB_DEVEV_STATE:
		if (d->tile_handle[t] != ev->info.handle && d->tile_handle[t])
			return;
		tile->state = tile_state(ev->state, d->tile_measured[t]);
		if (ev->state == CAB_DEV_MEASURING)
			tile->progress = 0.5f;
		if (incident_msgid(ev->incident)) {
			if (ev->incident != CAB_INC_NO_FINGER && ev->incident != CAB_INC_SIGNAL_WEAK)
				tile->state = CAB_TILE_FAILED;
			snprintf(tile->detail, sizeof tile->detail, "%s", _(incident_msgid(ev->incident)));
			a->ctx.dirty = true;
			return;
		}
		break;
	}
	a->ctx.dirty = true;
}

void cab_bind_devices_reading(struct cab_bind_devices *d, const struct cab_reading *r)
{
	struct cab_app *a = d->app;
	int t = cab_app_tile_of_kind(r->device.kind);
	enum cab_flow_state st = a->view.state;
	if (t < 0 || (r->flags & CAB_RF_BEFORE_SESSION))
		return; /* not this patient's */
	if (st != CAB_FLOW_WAITING_ROOM && st != CAB_FLOW_CONSULTATION)
		return;
	if (r->flags & (CAB_RF_ONGOING | CAB_RF_INVALID))
		return; /* live values are shown (readings.c), never recorded */
	if (r->flags & CAB_RF_CONTROL_SOLUTION) {
		cab_info("app", "%s control-solution test left out (not the patient's blood)",
		         cab_device_kind_name(r->device.kind));
		return;
	}
	if (!cab_mdc_name(r->mdc)) {
		cab_warn("app", "%s reading with a code outside the nomenclature table (%u:%u) left out",
		         cab_device_kind_name(r->device.kind), (unsigned)(r->mdc >> 16),
		         (unsigned)(r->mdc & 0xFFFF));
		return;
	}
	cab_app_dispatch(a, &(struct cab_fx){.kind = CAB_FX_READING, .p = r});
	cab_info("app", "%s reading recorded (%s)", cab_device_kind_name(r->device.kind), cab_mdc_name(r->mdc));
	d->tile_measured[t] = true;
	if (a->view.requested_tile == t)
		a->view.requested_tile = -1;
	a->ctx.dirty = true;
}

void cab_bind_devices_measure(struct cab_bind_devices *d, int t)
{
	struct cab_app *a = d->app;
	if (t < 0 || t >= CAB_VIEW_INSTRUMENTS)
		return;
	struct cab_tile *tile = &a->view.instruments[t];
	enum cab_device_kind kind = (enum cab_device_kind)(t + 1);
	tile->state = CAB_TILE_BUSY;
	tile->progress = 0.5f;
	tile->detail[0] = 0;
	a->ctx.dirty = true;
	if (!d->devices)
		return;
	cab_info("app", "measurement asked: %s%s", cab_device_kind_name(kind),
	         d->tile_simulated[t] ? " (simulated)" : "");
	if (a->opt.sim && d->tile_simulated[t] && kind != CAB_KIND_PULSE_OXIMETER) {
		/* the patient uses the plugged-in simulator (plugged in again when a fault
		 * unplugged it); the CMS50 streams by itself and is only asked */
		char opts[320];
		snprintf(opts, sizeof opts, "%s,measure_ms=%d%s", sim_values(), SIM_MEASURE_MS,
		         fault_once(sim_name(t)));
		if (cab_devices_sim_measure(d->devices, sim_name(t), opts))
			return;
	}
	if (cab_devices_request_measurement(d->devices, kind) == 0) {
		tile->state = d->tile_handle[t] ? CAB_TILE_FAILED : CAB_TILE_ABSENT;
		snprintf(tile->detail, sizeof tile->detail, "%s", _("Not ready: is it switched on?"));
	}
}

void cab_bind_devices_session(struct cab_bind_devices *d, int64_t start_ms)
{
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++)
		d->tile_measured[i] = false;
	if (!d->devices)
		return;
	cab_devices_set_session_start(d->devices, start_ms);
}

bool cab_bind_devices_precall_done(const struct cab_bind_devices *d)
{
	for (int t = 0; t < 4; t++) { /* thermometer, blood pressure, oximeter, scale */
		enum cab_tile_state s = d->app->view.instruments[t].state;
		if (!d->tile_measured[t] && s != CAB_TILE_FAILED && s != CAB_TILE_ABSENT)
			return false;
	}
	return true;
}

/* Fills the tiles from the instruments attached now (after a view reset). */
void cab_bind_devices_fill_tiles(struct cab_bind_devices *d)
{
	struct cab_app *a = d->app;
	struct cab_device_info list[32];
	if (!d->devices)
		return;
	size_t n = cab_devices_list(d->devices, list, 32);
	for (int t = 0; t < CAB_VIEW_INSTRUMENTS; t++)
		a->view.instruments[t].state = CAB_TILE_ABSENT;
	for (size_t i = 0; i < n && i < 32; i++) {
		int t = cab_app_tile_of_kind(list[i].id.kind);
		if (t < 0 || (d->tile_handle[t] && d->tile_handle[t] != list[i].handle))
			continue;
		d->tile_handle[t] = list[i].handle;
		d->tile_simulated[t] = simulated(&list[i]);
		a->view.instruments[t].state = tile_state(list[i].state, d->tile_measured[t]);
	}
}
