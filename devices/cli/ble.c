/* ble.c — `cabin-devices ble`: the technician's Bluetooth LE operations on BlueZ
 * (cabin/ble_admin.h) from a shell: scan, list (one JSON object per line), pair,
 * forget. Exit 0, 1 when BlueZ refused (the message on stderr), 2 for bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cabin/ble_admin.h"
#include "devices/cli/cli.h"
#include "devices/cli/events.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: cabin-devices ble scan [SECONDS] | list | pair ADDRESS | forget ADDRESS\n"
	        "scan: discovery filtered on the health services over LE (default 10 s);\n"
	        "list: the health instruments BlueZ knows, as JSON lines;\n"
	        "pair: bond and trust ADDRESS; forget: remove it from BlueZ.\n");
}

int cab_cli_cmd_ble(int argc, char **argv)
{
	char err[200] = "";
	int r;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "list") && argc == 2) {
		struct cab_ble_found f[32];
		int n = cab_ble_list(f, 32);
		if (n < 0) {
			fprintf(stderr, "cabin-devices ble: BlueZ is not running\n");
			return 1;
		}
		for (int i = 0; i < n && i < 32; i++) {
			json_t *o =
			    json_pack("{s:s,s:s,s:s,s:b,s:b}", "address", f[i].address, "name",
			              f[i].name, "kind", cab_device_kind_name(f[i].kind), "paired",
			              f[i].paired, "connected", f[i].connected);
			char *s = json_dumps(o, JSON_COMPACT);
			printf("%s\n", s);
			free(s);
			json_decref(o);
		}
		return 0;
	}
	if (!strcmp(argv[1], "scan") && argc <= 3) {
		double sec = 10;
		if (argc == 3 && (cab_cli_parse_seconds(argv[2], &sec) || sec < 1 || sec > 60)) {
			fprintf(stderr,
			        "cabin-devices ble scan: expected 1 to 60 seconds, got '%s'\n",
			        argv[2]);
			return 2;
		}
		r = cab_ble_scan((int)(sec * 1000), err, sizeof err);
	} else if (!strcmp(argv[1], "pair") && argc == 3) {
		r = cab_ble_pair(argv[2], err, sizeof err);
	} else if (!strcmp(argv[1], "forget") && argc == 3) {
		r = cab_ble_forget(argv[2], err, sizeof err);
	} else {
		usage(stderr);
		return 2;
	}
	if (r < 0) {
		fprintf(stderr, "cabin-devices ble %s: %s\n", argv[1], err);
		return 1;
	}
	return 0;
}
