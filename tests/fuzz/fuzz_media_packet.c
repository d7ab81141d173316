/* fuzz_media_packet.c — libFuzzer target for the media link message parser
 * (kiosk/media/media_packet.c): any bytes must parse or fail cleanly, and whatever
 * parses must write back to the very same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/media/media_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cab_media_packet p;
	/* A private copy, exactly SIZE long, so reads past the end are caught. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);
	int rc = cab_media_packet_parse(buf, size, &p);
	if (rc == CAB_MEDIA_PKT_OK) {
		if (p.payload < buf || p.payload + p.payload_len > buf + size)
			abort();
		size_t n = cab_media_packet_size(&p);
		uint8_t *out = malloc(n);
		if (!out || n != size || cab_media_packet_write(&p, out, n) != (long)n ||
		    memcmp(out, buf, n) != 0)
			abort();
		free(out);
	} else if (rc > 0 || rc < CAB_MEDIA_PKT_ESHA) {
		abort();
	}
	free(buf);
	return 0;
}
