/* fuzz_link_message.c — libFuzzer target for the link's message parser
 * (kiosk/link/message.c). Every accepted message is also dumped and parsed again
 * (must still be accepted, same type), and data messages are fed to the hand-off
 * Bundle builder, which must cope with any message the parser lets through.
 * Seeds: tests/fuzz/corpus/link_message/ (example messages of every type). */
#include "kiosk/link/fhir_bundle.h"
#include "kiosk/link/message.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cab_msg m;
	char ref[CAB_LINK_ID_MAX + 1], err[256];
	if (cab_msg_parse((const char *)data, size, &m, ref, err, sizeof err) != CAB_MSGE_OK)
		return 0;
	char *again = json_dumps(m.root, JSON_COMPACT);
	if (again) {
		struct cab_msg m2;
		if (cab_msg_parse(again, strlen(again), &m2, NULL, NULL, 0) != CAB_MSGE_OK ||
		    m2.type != m.type)
			abort();
		cab_msg_free(&m2);
		free(again);
	}
	if (cab_msg_is_data(m.type)) {
		json_t *msgs[1] = {m.root};
		json_t *hello = json_pack("{s:{s:s, s:s, s:s, s:{}}}", "cabin", "id", "C",
		                          "pharmacy", "P", "phone", "1", "address");
		struct cab_fhir_bundle_in in = {m.session ? m.session : "s", hello, NULL, msgs, 1};
		json_t *b = cab_fhir_bundle(&in, "2026-01-01T00:00:00Z");
		char *s = json_dumps(b, JSON_COMPACT);
		free(s);
		json_decref(b);
		json_decref(hello);
	}
	cab_msg_free(&m);
	return 0;
}
