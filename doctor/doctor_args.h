/* doctor_args.h — checks of cabin-doctor's command line and configuration file that
 * need no network: --listen HOST:PORT, the --ca file, the --config INI file. Pure
 * apart from reading the named files; every error is one line for the user. */
#ifndef CABIN_DOCTOR_ARGS_H
#define CABIN_DOCTOR_ARGS_H

#include "doctor/station.h"

#include <stddef.h>

/* Splits "HOST:PORT" at its last ':' into HOST (copied into host[hn], at most hn - 1
 * bytes, not empty) and PORT: decimal digits only, 0 to 65535 (0 = any free port,
 * the "listening" event says which; struct cab_station_config.port). Returns 0, or
 * -1 on anything else (no ':', empty or too long host, sign, blanks, trailing
 * characters, out of range) with host and *port untouched. */
int doctor_parse_listen(const char *s, char *host, size_t hn, int *port);

/* Checks that PATH is a PEM file holding at least one CA certificate (an X.509
 * certificate that OpenSSL's X509_check_ca accepts: basicConstraints CA:TRUE or a
 * v1 self-signed root). Returns 0, or -1 with "PATH: cannot open: <strerror>" or
 * "PATH: not a PEM CA certificate" in err[n]. */
int doctor_check_ca_file(const char *path, char *err, size_t n);

/* Reads the INI file PATH (inih) into C: [doctor] name, specialty, rpps, [station]
 * name and crl (kept in static buffers), max_unauthenticated_per_address and
 * max_unauthenticated (1..100000), [timeouts] link_handshake, link_upgrade, link_hello,
 * log_summary (the station's rows of cab_timeouts[], 1..3600 s), [fhir], [turn]. Returns 0, or -1 with
 * "PATH: cannot open: <strerror>" or "PATH:LINE: <what is wrong>" (unknown setting,
 * line that is neither [section] nor name = value) in err[n]. */
int doctor_config_load(const char *path, struct cab_station_config *c, char *err, size_t n);

#endif
