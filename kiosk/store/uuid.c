/* uuid.c — UUID version 4 (random) text ids, RFC 9562 §5.4: 122 random bits from
 * OpenSSL's CSPRNG, version nibble 4, variant bits 10. */
#include <openssl/rand.h>
#include <stdio.h>

#include "kiosk/store/store.h"

int cab_uuid_v4(char out[37])
{
	unsigned char b[16];
	if (RAND_bytes(b, sizeof b) != 1) {
		out[0] = 0;
		return -1;
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10 (RFC 9562 §4.1) */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
	return 0;
}
