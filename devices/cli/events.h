/* events.h — JSON lines for manager events (watch, read, simulate) and the shared
 * option parsing of the subcommands that run a device manager. */
#ifndef CABIN_CLI_EVENTS_H
#define CABIN_CLI_EVENTS_H

#include <stdio.h>

#include "cabin/devices.h"

/* Prints {"event":"attached"|"detached","device":{...}} on stdout. */
void cab_cli_print_device_event(const char *event, const struct cab_device_info *d);
/* Prints {"event":"state","handle":N,"state":"ready","incident":"none","detail":"..."}. */
void cab_cli_print_state(const struct cab_device_info *d, enum cab_dev_state s,
                         enum cab_incident inc, const char *detail);
/* Prints {"event":"reading","handle":N,"reading":{...reading JSON...}}. */
void cab_cli_print_reading_event(const struct cab_device_info *d, const struct cab_reading *r);
/* Prints {"event":"waveform","handle":N,"mdc":M,"rate_hz":R,"samples":[...]}. */
void cab_cli_print_wave(const struct cab_device_info *d, uint32_t mdc, const float *s, size_t n,
                        double hz);

/* Options shared by list/watch/read: --sim[=KINDS] (comma list of kinds or "all"),
 * --sim-options OPTS, --no-hotplug. Consumes what it knows from ARGV[*I]; returns 1
 * if it took the argument, 0 if not, -1 for a bad value. */
int cab_cli_manager_opt(int argc, char **argv, int *i, struct cab_devices_config *cfg);

/* Reads a duration in seconds (--seconds, --timeout): a finite decimal number from 0
 * to 1e7, the whole of S. Returns 0 with *OUT set, or -1 (negative, garbage). */
int cab_cli_parse_seconds(const char *s, double *out);

/* Installs SIGINT/SIGTERM handlers setting the flag cab_cli_interrupted. */
void cab_cli_catch_signals(void);
extern volatile int cab_cli_interrupted;

#endif
