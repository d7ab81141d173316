/* read.c — `cabin-devices read DEVICE`: take one measurement and print it, one
 * JSON reading per line (the format of decode). DEVICE is a device node
 * (/dev/ttyUSB0, /dev/hidraw0), a sysfs path, a kind (pulse-oximeter,
 * blood-pressure, ...) or sim:NAME (a simulator, e.g. sim:cms50). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "devices/cli/cli.h"
#include "devices/cli/events.h"
#include "devices/core/reading_json.h"

static struct {
	pthread_mutex_t lock;
	const char *want;       /* devnode, syspath or kind name */
	unsigned handle;        /* chosen device, 0 until found */
	int ready;
	int gone;
	int printed;
	int64_t last_reading;
	char error[160];
} rd = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int wanted(const struct cab_device_info *d)
{
	if (!d->has_driver)
		return 0;
	return !strcmp(d->devnode, rd.want) || !strcmp(d->syspath, rd.want) ||
	       !strcmp(cab_device_kind_name(d->id.kind), rd.want);
}

static void r_attached(const struct cab_device_info *d, void *u)
{
	(void)u;
	pthread_mutex_lock(&rd.lock);
	if (!rd.handle && rd.want && wanted(d))
		rd.handle = d->handle;
	pthread_mutex_unlock(&rd.lock);
}

static void r_detached(const struct cab_device_info *d, void *u)
{
	(void)u;
	pthread_mutex_lock(&rd.lock);
	if (d->handle == rd.handle)
		rd.gone = 1;
	pthread_mutex_unlock(&rd.lock);
}

static void r_state(const struct cab_device_info *d, enum cab_dev_state s, enum cab_incident inc,
                    const char *detail, void *u)
{
	(void)u;
	pthread_mutex_lock(&rd.lock);
	if (d->handle == rd.handle) {
		if (s == CAB_DEV_READY || s == CAB_DEV_MEASURING || s == CAB_DEV_IDLE)
			rd.ready = 1;
		if (s == CAB_DEV_ERROR || s == CAB_DEV_GONE || inc == CAB_INC_NO_NEW_MEASUREMENT)
			snprintf(rd.error, sizeof rd.error, "%s: %s (%s)", cab_dev_state_name(s),
			         cab_incident_name(inc), detail);
		if (inc == CAB_INC_NO_FINGER || inc == CAB_INC_SIGNAL_WEAK)
			fprintf(stderr, "cabin-devices read: %s, waiting\n", cab_incident_name(inc));
	}
	pthread_mutex_unlock(&rd.lock);
}

static void r_reading(const struct cab_device_info *d, const struct cab_reading *r, void *u)
{
	(void)u;
	pthread_mutex_lock(&rd.lock);
	if (d->handle == rd.handle && !(r->flags & CAB_RF_ONGOING)) {
		cab_reading_print_json(r, stdout);
		fflush(stdout);
		rd.printed++;
		rd.last_reading = cab_mono_ms();
	}
	pthread_mutex_unlock(&rd.lock);
}

static void read_usage(FILE *f)
{
	fprintf(f, "usage: cabin-devices read DEVICE [--timeout S] [--sim-options OPTS]\n"
	           "DEVICE: a device node, a sysfs path, a kind (pulse-oximeter, blood-pressure, ...)\n"
	           "or sim:NAME for a simulator (sim:cms50, sim:omron-hem). Asks the driver for one\n"
	           "measurement and prints its readings, one JSON object per line. Exits 1 with a\n"
	           "message when the device is absent, unplugged, in error, or after S seconds\n"
	           "(default 90: a cuff measurement takes about a minute) without a result.\n");
}

int cab_cli_cmd_read(int argc, char **argv)
{
	struct cab_devices_config cfg = {0};
	const char *device = NULL;
	double timeout_s = 90;
	for (int i = 1; i < argc; i++) {
		int r = cab_cli_manager_opt(argc, argv, &i, &cfg);
		if (r < 0) {
			fprintf(stderr, "cabin-devices read: bad value '%s'\n", argv[i]);
			return 2;
		}
		if (r)
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			read_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			if (cab_cli_parse_seconds(argv[++i], &timeout_s)) {
				fprintf(stderr, "cabin-devices read: --timeout: expected a number of seconds "
				        ">= 0, got '%s'\n", argv[i]);
				return 2;
			}
		} else if (!device && argv[i][0] != '-') {
			device = argv[i];
		} else {
			fprintf(stderr, "cabin-devices read: unexpected argument '%s'\n", argv[i]);
			read_usage(stderr);
			return 2;
		}
	}
	if (!device) {
		read_usage(stderr);
		return 2;
	}
	const struct cab_devices_callbacks cb = {
		.attached = r_attached, .detached = r_detached, .reading = r_reading, .state = r_state,
	};
	int is_sim = !strncmp(device, "sim:", 4);
	rd.want = is_sim ? NULL : device;
	if (is_sim)
		cfg.no_hotplug = 1;
	cab_cli_catch_signals();
	struct cab_devices *m = cab_devices_new(&cfg, &cb);
	if (!m || cab_devices_start(m) < 0) {
		fprintf(stderr, "cabin-devices read: cannot start the device manager (udev unavailable?)\n");
		cab_devices_free(m);
		return 1;
	}
	if (is_sim) {
		unsigned h = cab_devices_add_simulator(m, device + 4, cfg.sim_options);
		pthread_mutex_lock(&rd.lock);
		rd.handle = h;
		pthread_mutex_unlock(&rd.lock);
		if (!h) {
			fprintf(stderr, "cabin-devices read: no simulator '%s' (or bad options)\n", device + 4);
			cab_devices_free(m);
			return 1;
		}
	}
	int64_t end = cab_mono_ms() + (int64_t)(timeout_s * 1000);
	int asked = 0, rc = 1;
	for (;;) {
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&rd.lock);
		unsigned h = rd.handle;
		int ready = rd.ready, gone = rd.gone, printed = rd.printed;
		int64_t last = rd.last_reading;
		char err[160];
		snprintf(err, sizeof err, "%s", rd.error);
		pthread_mutex_unlock(&rd.lock);
		int64_t now = cab_mono_ms();
		if (printed && now - last > 300) {
			rc = 0;
			break;
		}
		if (printed)
			continue;
		if (err[0] || gone) {
			fprintf(stderr, "cabin-devices read: %s: %s\n", device, err[0] ? err : "device removed");
			break;
		}
		if (cab_cli_interrupted || now > end) {
			fprintf(stderr, "cabin-devices read: %s: %s\n", device,
			        !h ? "no such device with a driver" : "no measurement before the timeout");
			break;
		}
		if (h && ready && !asked)
			asked = cab_devices_request_measurement_on(m, h);
	}
	cab_devices_free(m);
	return rc;
}
