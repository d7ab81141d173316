/* events.c — JSON lines for device manager events, shared by watch, read and
 * simulate, and the manager options of the subcommands. */
#include "devices/cli/events.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "devices/core/reading_json.h"
#include "devices/internal/driver.h"

volatile int cab_cli_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	cab_cli_interrupted = 1;
}

void cab_cli_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static json_t *device_json(const struct cab_device_info *d)
{
	json_t *o = json_object();
	char vp[10];
	json_object_set_new(o, "handle", json_integer(d->handle));
	json_object_set_new(o, "bus", json_string(d->bus));
	json_object_set_new(o, "devnode", json_string(d->devnode));
	json_object_set_new(o, "syspath", json_string(d->syspath));
	json_object_set_new(o, "kind", json_string(cab_device_kind_name(d->id.kind)));
	json_object_set_new(o, "driver", d->has_driver ? json_string(d->id.driver) : json_null());
	json_object_set_new(o, "state", json_string(cab_dev_state_name(d->state)));
	snprintf(vp, sizeof vp, "%04x:%04x", d->id.vid, d->id.pid);
	json_object_set_new(o, "usb", json_string(vp));
	if (d->id.manufacturer[0]) json_object_set_new(o, "manufacturer", json_string(d->id.manufacturer));
	if (d->id.model[0]) json_object_set_new(o, "model", json_string(d->id.model));
	if (d->id.serial[0]) json_object_set_new(o, "serial", json_string(d->id.serial));
	if (d->id.firmware[0]) json_object_set_new(o, "firmware", json_string(d->id.firmware));
	if (d->id.simulated) json_object_set_new(o, "simulated", json_true());
	return o;
}

static void emit(json_t *o)
{
	char *t = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
	if (t) {
		printf("%s\n", t);
		fflush(stdout);
		free(t);
	}
	json_decref(o);
}

void cab_cli_print_device_event(const char *event, const struct cab_device_info *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "event", json_string(event));
	json_object_set_new(o, "device", device_json(d));
	emit(o);
}

void cab_cli_print_state(const struct cab_device_info *d, enum cab_dev_state s,
                         enum cab_incident inc, const char *detail)
{
	json_t *o = json_object();
	json_object_set_new(o, "event", json_string("state"));
	json_object_set_new(o, "handle", json_integer(d->handle));
	json_object_set_new(o, "driver", json_string(d->id.driver));
	json_object_set_new(o, "state", json_string(cab_dev_state_name(s)));
	json_object_set_new(o, "incident", json_string(cab_incident_name(inc)));
	json_object_set_new(o, "detail", json_string(detail ? detail : ""));
	emit(o);
}

void cab_cli_print_reading_event(const struct cab_device_info *d, const struct cab_reading *r)
{
	char *rj = cab_reading_to_json(r);
	json_error_t err;
	json_t *rv = rj ? json_loads(rj, 0, &err) : NULL;
	free(rj);
	json_t *o = json_object();
	json_object_set_new(o, "event", json_string("reading"));
	json_object_set_new(o, "handle", json_integer(d->handle));
	json_object_set_new(o, "reading", rv ? rv : json_null());
	emit(o);
}

void cab_cli_print_wave(const struct cab_device_info *d, uint32_t mdc, const float *s, size_t n,
                        double hz)
{
	json_t *o = json_object();
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_real(s[i]));
	json_object_set_new(o, "event", json_string("waveform"));
	json_object_set_new(o, "handle", json_integer(d->handle));
	json_object_set_new(o, "mdc", json_integer(mdc));
	json_object_set_new(o, "rate_hz", json_real(hz));
	json_object_set_new(o, "samples", a);
	emit(o);
}

static unsigned parse_kinds(const char *s)
{
	if (!s || !*s || !strcmp(s, "all"))
		return CAB_SIM_ALL;
	unsigned mask = 0;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int found = 0;
		for (int k = 1; k < CAB_KIND__COUNT; k++)
			if (!strcmp(tok, cab_device_kind_name((enum cab_device_kind)k))) {
				mask |= CAB_SIM_KIND(k);
				found = 1;
			}
		if (!found)
			return 0;
	}
	return mask;
}

int cab_cli_parse_seconds(const char *s, double *out)
{
	char *end;
	double d = strtod(s, &end);
	if (!*s || *end || !isfinite(d) || d < 0 || d > 1e7)
		return -1;
	*out = d;
	return 0;
}

int cab_cli_manager_opt(int argc, char **argv, int *i, struct cab_devices_config *cfg)
{
	const char *a = argv[*i];
	if (!strcmp(a, "--sim")) {
		cfg->sim_kinds = CAB_SIM_ALL;
		return 1;
	}
	if (!strncmp(a, "--sim=", 6)) {
		cfg->sim_kinds = parse_kinds(a + 6);
		return cfg->sim_kinds ? 1 : -1;
	}
	if (!strcmp(a, "--sim-options") && *i + 1 < argc) {
		char err[160];
		cfg->sim_options = argv[++*i];
		if (cdi_sim_opts_check(cfg->sim_options, err, sizeof err)) {
			fprintf(stderr, "cabin-devices: --sim-options: %s\n", err);
			return -1;
		}
		return 1;
	}
	if (!strcmp(a, "--ble") && *i + 1 < argc) {
		cfg->ble = 1;
		cfg->ble_instruments = argv[++*i];
		return 1;
	}
	if (!strcmp(a, "--no-hotplug")) {
		cfg->no_hotplug = 1;
		return 1;
	}
	return 0;
}
