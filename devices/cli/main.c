/* main.c — cabin-devices, the instruments tool for technicians and tests:
 * list, watch, read, simulate, decode, ble (one file per subcommand in devices/cli/). */
#include <stdio.h>
#include <string.h>

#include "devices/cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} cmds[] = {
	{"list", cab_cli_cmd_list, "what is attached and which driver took it"},
	{"watch", cab_cli_cmd_watch, "hotplug events and readings live, as JSON lines"},
	{"read", cab_cli_cmd_read, "take one measurement from DEVICE and print it"},
	{"simulate", cab_cli_cmd_simulate, "run a simulated instrument and print where it is"},
	{"decode", cab_cli_cmd_decode, "decode captured bytes of protocol P to readings"},
	{"ble", cab_cli_cmd_ble, "Bluetooth LE health instruments: scan, list, pair, forget"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: cabin-devices COMMAND [ARGS]   (cabin-devices COMMAND --help)\ncommands:\n");
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].what);
	fprintf(f, "  --version print the version\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("cabin-devices %s\n", CABIN_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "cabin-devices: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
