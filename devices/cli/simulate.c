/* simulate.c — `cabin-devices simulate KIND`: runs a simulated instrument. A
 * serial one (cms50) prints the pseudo-terminal path the real driver can open; an
 * in-process one (omron-hem) runs with its driver here and prints the events as
 * watch does. Runs until Ctrl-C (or --seconds N). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "devices/cli/cli.h"
#include "devices/cli/events.h"
#include "devices/internal/driver.h"

static void s_attached(const struct cab_device_info *d, void *u) { (void)u; cab_cli_print_device_event("attached", d); }
static void s_detached(const struct cab_device_info *d, void *u) { (void)u; cab_cli_print_device_event("detached", d); }
static void s_reading(const struct cab_device_info *d, const struct cab_reading *r, void *u) { (void)u; cab_cli_print_reading_event(d, r); }
static void s_state(const struct cab_device_info *d, enum cab_dev_state s, enum cab_incident inc, const char *detail, void *u)
{
	(void)u;
	cab_cli_print_state(d, s, inc, detail);
}

static void simulate_usage(FILE *f)
{
	fprintf(f, "usage: cabin-devices simulate KIND [--set K=V,...] [--fault NAME]... [--seconds N]\n"
	           "Simulators (KIND) and their options:\n");
	for (size_t i = 0; cdi_driver_registry[i]; i++)
		for (size_t j = 0; cdi_driver_registry[i]->simulators && cdi_driver_registry[i]->simulators[j]; j++) {
			const struct cdi_simulator *s = cdi_driver_registry[i]->simulators[j];
			fprintf(f, "  %-22s (%s) %s\n", s->name, cab_device_kind_name(s->kind), s->help ? s->help : "");
		}
}

int cab_cli_cmd_simulate(int argc, char **argv)
{
	const char *kind = NULL;
	char opts[512] = "";
	double seconds = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			simulate_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
			size_t l = strlen(opts);
			snprintf(opts + l, sizeof opts - l, "%s%s", l ? "," : "", argv[++i]);
		} else if (!strcmp(argv[i], "--fault") && i + 1 < argc) {
			size_t l = strlen(opts);
			snprintf(opts + l, sizeof opts - l, "%sfault=%s", l ? "," : "", argv[++i]);
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			if (cab_cli_parse_seconds(argv[++i], &seconds)) {
				fprintf(stderr, "cabin-devices simulate: --seconds: expected a number of seconds "
				        ">= 0, got '%s'\n", argv[i]);
				return 2;
			}
		} else if (!kind && argv[i][0] != '-') {
			kind = argv[i];
		} else {
			fprintf(stderr, "cabin-devices simulate: unexpected argument '%s'\n", argv[i]);
			simulate_usage(stderr);
			return 2;
		}
	}
	if (!kind) {
		simulate_usage(stderr);
		return 2;
	}
	const struct cdi_simulator *sim = cdi_simulator_find(kind, NULL);
	if (!sim) {
		fprintf(stderr, "cabin-devices simulate: unknown simulator '%s'\n", kind);
		simulate_usage(stderr);
		return 2;
	}
	char oerr[160];
	if (cdi_sim_opts_check(opts, oerr, sizeof oerr)) {
		fprintf(stderr, "cabin-devices simulate: --set/--fault: %s\n", oerr);
		return 2;
	}
	cab_cli_catch_signals();
	int64_t end = seconds > 0 ? cab_mono_ms() + (int64_t)(seconds * 1000) : INT64_MAX;
	struct cdi_sim *s = NULL;
	struct cdi_candidate c;
	struct cab_devices *m = NULL;
	if (sim->start(opts, &s, &c) < 0) {
		fprintf(stderr, "cabin-devices simulate: %s did not start (options '%s')\n", kind, opts);
		return 1;
	}
	if (c.devnode[0]) { /* a pty: the real driver opens it */
		printf("%s %s\n", kind, c.devnode);
		fflush(stdout);
	} else { /* in-process: run its driver here */
		if (c.transport)
			c.transport->ops->close(c.transport);
		sim->stop(s);
		s = NULL;
		struct cab_devices_config cfg = {.no_hotplug = 1};
		const struct cab_devices_callbacks cb = {
			.attached = s_attached, .detached = s_detached, .reading = s_reading, .state = s_state,
		};
		m = cab_devices_new(&cfg, &cb);
		if (!m || cab_devices_start(m) < 0 || !cab_devices_add_simulator(m, kind, opts)) {
			fprintf(stderr, "cabin-devices simulate: %s did not start\n", kind);
			cab_devices_free(m);
			return 1;
		}
	}
	while (!cab_cli_interrupted && cab_mono_ms() < end) {
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
	}
	if (s)
		sim->stop(s);
	cab_devices_free(m);
	return 0;
}
