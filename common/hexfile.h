/* hexfile.h — loads captured bytes given as hex text ("E2 00 00 32 ...", with '#'
 * comments and any white space) or as raw binary. Used by cabin-devices decode and by
 * tests reading ../shared/fixtures-style .hex files. */
#ifndef CABIN_HEXFILE_H
#define CABIN_HEXFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Hard maximum of a capture, bytes (16 MiB). */
#define CAB_CAPTURE_MAX (16u << 20)

/* Parses hex text TEXT (LEN bytes) into *OUT (malloc'd, caller frees) and *OUT_LEN.
 * Accepts pairs of hex digits separated or not by white space, optional "0x"
 * prefixes, and '#' comments to end of line. Returns 0, or -1 with a message in ERR
 * (ERRSZ bytes) naming the offending line and column. */
int cab_hex_parse(const char *text, size_t len, uint8_t **out, size_t *out_len, char *err,
                  size_t errsz);

/* Reads all of F (at most CAB_CAPTURE_MAX bytes). If it looks like hex text (only hex
 * digits, white space, "0x", '#' comments) it is parsed as such, else taken as raw
 * bytes, unless it is all printable ASCII text: then it is refused with "not hex at
 * byte N ('c')" (N from 0). Returns 0, or -1 with a message in ERR. */
int cab_capture_read(FILE *f, uint8_t **out, size_t *out_len, char *err, size_t errsz);

#endif
