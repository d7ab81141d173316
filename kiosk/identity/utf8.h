/* utf8.h — strict UTF-8 decoding (RFC 3629) for the identity checks and the place
 * search: rejects overlong forms, surrogates and code points above U+10FFFF. */
#ifndef CABIN_IDENTITY_UTF8_H
#define CABIN_IDENTITY_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at S (LEN bytes available) into *CP. Returns its length
 * (1-4), or 0 when it is invalid, overlong or truncated (or LEN is 0). */
size_t cab_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

#endif
