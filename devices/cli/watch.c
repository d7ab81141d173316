/* watch.c — `cabin-devices watch`: hotplug events, states and readings live, as
 * JSON lines, until Ctrl-C (or --seconds N). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "devices/cli/cli.h"
#include "devices/cli/events.h"

static int show_wave;

static void w_attached(const struct cab_device_info *d, void *u) { (void)u; cab_cli_print_device_event("attached", d); }
static void w_detached(const struct cab_device_info *d, void *u) { (void)u; cab_cli_print_device_event("detached", d); }
static void w_reading(const struct cab_device_info *d, const struct cab_reading *r, void *u)
{
	(void)u;
	cab_cli_print_reading_event(d, r);
}
static void w_wave(const struct cab_device_info *d, uint32_t mdc, const float *s, size_t n, double hz, void *u)
{
	(void)u;
	if (show_wave)
		cab_cli_print_wave(d, mdc, s, n, hz);
}
static void w_state(const struct cab_device_info *d, enum cab_dev_state s, enum cab_incident inc,
                    const char *detail, void *u)
{
	(void)u;
	cab_cli_print_state(d, s, inc, detail);
}

static void watch_usage(FILE *f)
{
	fprintf(f, "usage: cabin-devices watch [--seconds N] [--waveform] [--measure KIND]\n"
	           "                           [--sim[=KINDS]] [--sim-options OPTS] [--no-hotplug]\n"
	           "                           [--ble ADDRESSES]\n"
	           "Prints one JSON object per line for every event: attached, detached, state (with\n"
	           "incidents such as unplugged-mid-measurement), reading, and with --waveform the pleth\n"
	           "samples. --measure asks every device of KIND for a measurement once ready.\n"
	           "--ble follows BlueZ on the system bus and drives the Bluetooth LE health\n"
	           "instruments whose addresses are listed (AA:BB:CC:DD:EE:FF,...).\n"
	           "Runs until Ctrl-C, or N seconds.\n");
}

int cab_cli_cmd_watch(int argc, char **argv)
{
	struct cab_devices_config cfg = {0};
	double seconds = 0;
	const char *measure = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cab_cli_manager_opt(argc, argv, &i, &cfg);
		if (r < 0) {
			fprintf(stderr, "cabin-devices watch: bad value '%s'\n", argv[i]);
			return 2;
		}
		if (r)
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			watch_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			if (cab_cli_parse_seconds(argv[++i], &seconds)) {
				fprintf(stderr, "cabin-devices watch: --seconds: expected a number of seconds "
				        ">= 0, got '%s'\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--waveform")) {
			show_wave = 1;
		} else if (!strcmp(argv[i], "--measure") && i + 1 < argc) {
			measure = argv[++i];
		} else {
			fprintf(stderr, "cabin-devices watch: unexpected argument '%s'\n", argv[i]);
			watch_usage(stderr);
			return 2;
		}
	}
	const struct cab_devices_callbacks cb = {
		.attached = w_attached, .detached = w_detached, .reading = w_reading,
		.waveform = w_wave, .state = w_state,
	};
	cab_cli_catch_signals();
	struct cab_devices *m = cab_devices_new(&cfg, &cb);
	if (!m || cab_devices_start(m) < 0) {
		fprintf(stderr, "cabin-devices watch: cannot start the device manager (udev unavailable?)\n");
		cab_devices_free(m);
		return 1;
	}
	int64_t end = seconds > 0 ? cab_mono_ms() + (int64_t)(seconds * 1000) : INT64_MAX;
	int asked = 0;
	while (!cab_cli_interrupted && cab_mono_ms() < end) {
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
		if (measure && !asked) {
			for (int k = 1; k < CAB_KIND__COUNT; k++)
				if (!strcmp(measure, cab_device_kind_name((enum cab_device_kind)k)))
					asked = cab_devices_request_measurement(m, (enum cab_device_kind)k) > 0;
		}
	}
	cab_devices_free(m);
	return 0;
}
