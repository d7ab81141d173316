/* decoders.h — the protocol decoders cabin-devices `decode --protocol P` offers.
 * Each takes a whole capture and prints one JSON object per reading per line on OUT
 * (see reading_json.h), then returns 0; on malformed input it prints the readings
 * that were valid before the fault, a clear message on ERR, and returns 1. */
#ifndef CABIN_CLI_DECODERS_H
#define CABIN_CLI_DECODERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef int (*cab_cli_decode_fn)(const uint8_t *buf, size_t len, FILE *out, FILE *err);

/* IEEE 11073-20601 conversation from the agent's side (APDUs back to back). */
int cab_cli_decode_ieee11073(const uint8_t *buf, size_t len, FILE *out, FILE *err);
/* Contec CMS50D+ serial stream. */
int cab_cli_decode_cms50(const uint8_t *buf, size_t len, FILE *out, FILE *err);
/* Omron HEM-790IT HID report exchange. */
int cab_cli_decode_omron(const uint8_t *buf, size_t len, FILE *out, FILE *err);

#endif
