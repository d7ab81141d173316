/* list.c — `cabin-devices list`: what is attached and which driver took it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "devices/cli/cli.h"
#include "devices/cli/events.h"

#define LIST_MAX 64

static void list_usage(FILE *f)
{
	fprintf(f, "usage: cabin-devices list [--json] [--wait MS] [--sim[=KINDS]] [--sim-options OPTS]\n"
	           "Enumerates usb, tty, hidraw, video4linux and sound devices, gives instruments to\n"
	           "their drivers, waits MS (default 1000) for them to answer, and prints one line per\n"
	           "device: handle, bus, node, USB ids, driver ('-' when none), kind, state, model.\n"
	           "KINDS: comma list of pulse-oximeter, blood-pressure, thermometer, scale,\n"
	           "glucometer, or all.\n");
}

int cab_cli_cmd_list(int argc, char **argv)
{
	struct cab_devices_config cfg = {0};
	int json = 0;
	long wait_ms = 1000;
	for (int i = 1; i < argc; i++) {
		int r = cab_cli_manager_opt(argc, argv, &i, &cfg);
		if (r < 0) {
			fprintf(stderr, "cabin-devices list: bad value '%s'\n", argv[i]);
			return 2;
		}
		if (r)
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			list_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--wait") && i + 1 < argc) {
			wait_ms = atol(argv[++i]);
		} else {
			fprintf(stderr, "cabin-devices list: unexpected argument '%s'\n", argv[i]);
			list_usage(stderr);
			return 2;
		}
	}
	struct cab_devices *m = cab_devices_new(&cfg, NULL);
	if (!m || cab_devices_start(m) < 0) {
		fprintf(stderr, "cabin-devices list: cannot start the device manager (udev unavailable?)\n");
		cab_devices_free(m);
		return 1;
	}
	struct timespec ts = {wait_ms / 1000, (wait_ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
	struct cab_device_info info[LIST_MAX];
	size_t n = cab_devices_list(m, info, LIST_MAX);
	if (n > LIST_MAX)
		n = LIST_MAX;
	for (size_t i = 0; i < n; i++) {
		const struct cab_device_info *d = &info[i];
		if (json) {
			cab_cli_print_device_event("device", d);
			continue;
		}
		printf("%-3u %-11s %-22s %04x:%04x %-15s %-15s %-9s %s%s\n", d->handle, d->bus,
		       d->devnode[0] ? d->devnode : d->syspath, d->id.vid, d->id.pid,
		       d->has_driver ? d->id.driver : "-", cab_device_kind_name(d->id.kind),
		       cab_dev_state_name(d->state), d->id.model, d->id.simulated ? " (simulated)" : "");
	}
	if (!json && n == 0)
		printf("no devices\n");
	cab_devices_free(m);
	return 0;
}
