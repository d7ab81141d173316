/* cli.h — the subcommands of cabin-devices (one file each in devices/cli/). Each
 * takes the subcommand's argv (argv[0] = the subcommand name), handles --help, and
 * returns the process exit code. */
#ifndef CABIN_CLI_CLI_H
#define CABIN_CLI_CLI_H

#include "devices/cli/decoders.h"

int cab_cli_cmd_list(int argc, char **argv);
int cab_cli_cmd_watch(int argc, char **argv);
int cab_cli_cmd_read(int argc, char **argv);
int cab_cli_cmd_simulate(int argc, char **argv);
int cab_cli_cmd_decode(int argc, char **argv);
/* `cabin-devices ble scan [SECONDS] | list | pair ADDRESS | forget ADDRESS` (ble.c). */
int cab_cli_cmd_ble(int argc, char **argv);

/* The decoder registered for protocol NAME, or NULL. */
cab_cli_decode_fn cab_cli_decoder(const char *name);

#endif
