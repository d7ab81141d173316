/* conversation.c — decodes a captured IEEE 11073-20601 conversation from the
 * agent's side (AARQ, configuration report, measurement reports... APDUs back to
 * back) by running it through the real manager, so reports are read with the
 * configuration the conversation established (standard configurations known
 * without a report). Manager-side APDUs in the capture (AARE, event report
 * confirmations, manager invokes) are skipped. Used by cabin-devices decode. */
#include "devices/proto/ieee11073/conversation.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/core/reading_json.h"
#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/manager.h"
#include "devices/proto/ieee11073/nomenclature.h"

static int64_t zero_clock(void *user)
{
	(void)user;
	return 0;
}

/* 1 when A is something a manager sends (present when a capture holds both sides). */
static int manager_side(const uint8_t *a, size_t len)
{
	uint16_t type, choice;

	if (len < 10)
		return 0;
	type = (uint16_t)(a[0] << 8 | a[1]);
	if (type == IEEE_APDU_AARE)
		return 1;
	if (type != IEEE_APDU_PRST)
		return 0;
	choice = (uint16_t)(a[8] << 8 | a[9]);
	return choice == IEEE_RORS_CONF_EVENT_REPORT || choice == IEEE_ROIV_GET ||
	       choice == IEEE_ROIV_SET || choice == IEEE_ROIV_CONF_SET ||
	       choice == IEEE_ROIV_ACTION || choice == IEEE_ROIV_CONF_ACTION;
}

int ieee_conversation_decode(const uint8_t *buf, size_t len, FILE *out, FILE *err)
{
	struct ieee_mgr_out *res = malloc(sizeof *res);   /* large: off the stack */
	struct ieee_mem_store *mem = malloc(sizeof *mem);
	struct ieee_manager *m = malloc(sizeof *m);
	struct ieee_mgr_opts o;
	struct ieee_config_store store;
	size_t off = 0;
	int rc = 0;

	if (!res || !mem || !m) {
		fprintf(err, "ieee11073: out of memory\n");
		rc = 1;
		goto out;
	}
	memset(&o, 0, sizeof o);
	memcpy(o.system_id, "CABIN-DC", 8);
	o.mono.now_ms = zero_clock;
	o.wall.now_ms = zero_clock;
	o.session_start_ms = INT64_MIN;
	o.no_get_mds = 1;
	snprintf(o.device.driver, sizeof o.device.driver, "ieee11073");
	ieee_mem_store_init(mem, &store);
	o.store = &store;
	ieee_mgr_init(m, &o);
	ieee_mgr_connect(m, res);

	while (off < len) {
		size_t flen = ieee_apdu_frame_len(buf + off, len - off);
		enum ieee_mgr_state before = m->state;
		uint16_t type;

		if (flen == 0 || flen > len - off) {
			fprintf(err, "ieee11073: truncated APDU at byte %zu: %s (%zu bytes left)\n", off,
			        flen ? "its length runs past the end of the capture" : "incomplete header",
			        len - off);
			rc = 1;
			goto out;
		}
		if (manager_side(buf + off, flen)) {
			off += flen;
			continue;
		}
		type = (uint16_t)(buf[off] << 8 | buf[off + 1]);
		if (ieee_mgr_receive(m, buf + off, flen, res)) {
			fprintf(err, "ieee11073: malformed APDU at byte %zu: %s\n", off, res->error);
			rc = 1;
			goto out;
		}
		for (size_t k = 0; k < res->n_readings; k++)
			cab_reading_print_json(&res->readings[k], out);
		if (type == IEEE_APDU_PRST && before == IEEE_ST_UNASSOCIATED) {
			fprintf(err, "ieee11073: %s at byte %zu comes before any association: no "
			        "configuration to read it with\n", ieee_apdu_name(type), off);
			rc = 1;
			goto out;
		}
		for (size_t k = 0; k < res->n_events; k++) {
			if (res->events[k] == IEEE_EV_ERROR) {
				fprintf(err, "ieee11073: APDU at byte %zu: %s\n", off, res->error);
				rc = 1;
				goto out;
			}
			if (res->events[k] == IEEE_EV_NOT_HANDLED ||
			    (res->events[k] == IEEE_EV_ABORTED && type != IEEE_APDU_ABRT)) {
				fprintf(err, "ieee11073: %s at byte %zu is not expected in state %s\n",
				        ieee_apdu_name(type), off, ieee_mgr_state_name(before));
				rc = 1;
				goto out;
			}
		}
		off += flen;
	}
out:
	fflush(out);
	free(m);
	free(mem);
	free(res);
	return rc;
}
