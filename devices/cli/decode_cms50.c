/* decode_cms50.c — `cabin-devices decode --protocol cms50`: a Contec CMS50D+ serial
 * capture (either direction) to readings, one JSON line each. Protocol: Contec
 * "Communication Protocol of Pulse Oximeter V7.0" (see devices/proto/cms50.h). */
#include <string.h>

#include "devices/cli/decoders.h"
#include "devices/core/reading_json.h"
#include "devices/proto/cms50.h"

/* Identity printed with decoded readings (the capture says nothing more). */
static void cms50_identity(struct cab_device_id *id)
{
	memset(id, 0, sizeof *id);
	id->kind = CAB_KIND_PULSE_OXIMETER;
	strcpy(id->driver, "cms50");
	strcpy(id->manufacturer, "Contec");
	strcpy(id->model, "CMS50D+");
}

int cab_cli_decode_cms50(const uint8_t *buf, size_t len, FILE *out, FILE *err)
{
	struct cms50_parser p;
	struct cms50_packet pkt;
	struct cab_reading r[6];
	struct cab_device_id id;
	size_t off = 0;

	memset(&p, 0, sizeof p);
	cms50_identity(&id);
	while (off < len) {
		size_t used = 0;
		size_t at = off;
		enum cms50_res res = cms50_parse_next(&p, buf + off, len - off, &used, &pkt);
		off += used;
		if (res == CMS50_NEED_MORE)
			break;
		if (res < 0) {
			fprintf(err, "cms50: %s at byte %zu\n", cms50_res_text(res),
			        res == CMS50_ERR_GARBAGE && p.n == 0 ? at : off);
			return 1;
		}
		int n = 0;
		if (pkt.type == CMS50_TYPE_REALTIME)
			n = cms50_realtime_readings(&pkt.u.rt, r);
		else if (pkt.type == CMS50_TYPE_STORAGE)
			n = cms50_storage_readings(&pkt.u.st, r);
		for (int i = 0; i < n; i++) {
			r[i].device = id;
			cab_reading_print_json(&r[i], out);
		}
	}
	if (p.n > 0 && p.buf[0] != CMS50_TYPE_REALTIME && p.buf[0] != CMS50_TYPE_STORAGE &&
	    p.buf[0] != CMS50_TYPE_COMMAND) {
		fprintf(err, "cms50: packet of unknown type 0x%02x at byte %zu\n", p.buf[0], len - p.n);
		return 1;
	}
	if (p.n > 0) {
		fprintf(err, "cms50: truncated packet at end of input (%u of its bytes present, starting at byte %zu)\n",
		        p.n, len - p.n);
		return 1;
	}
	if (p.unknown) {
		fprintf(err, "cms50: %llu packet(s) of unknown type\n", (unsigned long long)p.unknown);
		return 1;
	}
	return 0;
}
