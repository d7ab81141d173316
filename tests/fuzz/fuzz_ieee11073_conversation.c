/* fuzz_ieee11073_conversation.c — libFuzzer target for the IEEE 11073-20601
 * manager: the input is a byte stream split into APDUs by their length fields and
 * fed to one manager in order, the injected clock advancing between APDUs so the
 * timeouts fire too. Seeds: tests/fuzz/corpus/ieee11073_conversation (Annex H
 * conversations assembled from the replay fixtures). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "devices/proto/ieee11073/manager.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t fake_now;

static int64_t now(void *user)
{
	(void)user;
	return fake_now;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ieee_manager m;
	static struct ieee_mgr_out out;
	static struct ieee_mem_store mem;
	static struct ieee_config_store store;
	struct ieee_mgr_opts o;
	size_t off = 0;

	cab_log_set_level(CAB_LOG_ERROR);
	memset(&o, 0, sizeof o);
	memcpy(o.system_id, "FUZZ-MGR", 8);
	o.mono.now_ms = now;
	o.wall.now_ms = now;
	o.session_start_ms = 0;
	ieee_mem_store_init(&mem, &store);
	o.store = &store;
	fake_now = 0;
	ieee_mgr_init(&m, &o);
	ieee_mgr_connect(&m, &out);
	while (off < size) {
		size_t flen = ieee_apdu_frame_len(data + off, size - off);
		if (flen == 0 || flen > size - off)
			flen = size - off; /* a truncated tail goes in as it is */
		ieee_mgr_receive(&m, data + off, flen, &out);
		fake_now += 1000 + (data[off] & 0x0F) * 500; /* up to 8.5 s between APDUs */
		ieee_mgr_tick(&m, &out);
		off += flen;
	}
	ieee_mgr_release(&m, &out);
	ieee_mgr_disconnect(&m, &out);
	return 0;
}
