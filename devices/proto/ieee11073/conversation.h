/* conversation.h — a captured IEEE 11073-20601 conversation (agent's side, APDUs
 * back to back) decoded to readings through the manager. Internal: prefix ieee_. */
#ifndef CABIN_IEEE11073_CONVERSATION_H
#define CABIN_IEEE11073_CONVERSATION_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Prints one JSON line per reading (cab_reading_print_json) on OUT for the
 * capture BUF[0..LEN). Returns 0; on malformed input (truncated APDU, bad length,
 * report before association, report not matching the configuration, ...) the
 * readings valid before the fault have been printed, a message naming the byte
 * offset goes to ERR, and 1 is returned. */
int ieee_conversation_decode(const uint8_t *buf, size_t len, FILE *out, FILE *err);

#endif
