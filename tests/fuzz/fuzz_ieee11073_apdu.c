/* fuzz_ieee11073_apdu.c — libFuzzer target for the IEEE 11073-20601 APDU parser and
 * what reads inside it: configuration reports, measurement reports (with every
 * standard configuration), MDS attributes. Seeds: tests/fuzz/corpus/ieee11073_apdu
 * (the replay fixtures of tests/devices/ieee11073 as raw bytes). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/config.h"
#include "devices/proto/ieee11073/mds.h"
#include "devices/proto/ieee11073/nomenclature.h"
#include "devices/proto/ieee11073/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cab_reading out[IEEE_REPORT_READINGS_MAX];
	static const uint16_t std_ids[] = {0x0190, 0x0191, 0x02BC, 0x0320, 0x05DC, 0x06A4};
	struct ieee_apdu a;
	struct ieee_config c;
	char err[192];
	size_t used, n;

	if (ieee_apdu_parse(data, size, &a, &used, err, sizeof err) || a.type != IEEE_APDU_PRST)
		return 0;
	const struct ieee_data_apdu *d = &a.u.prst;
	if (d->choice == IEEE_RORS_GET) {
		struct cab_device_id dev = {0};
		struct ieee_mds_info info;
		ieee_mds_apply(&d->u.attrs.attrs, &dev, &info);
	}
	if (d->choice != IEEE_ROIV_EVENT_REPORT && d->choice != IEEE_ROIV_CONF_EVENT_REPORT)
		return 0;
	if (d->u.event.event_type == IEEE_NOTI_CONFIG) {
		if (!ieee_config_report_parse(d->u.event.info, d->u.event.info_len, &c, err, sizeof err)) {
			struct ieee_report_ctx ctx = {.cfg = &c, .session_start_ms = 0};
			/* the config's own bytes read as a report with it */
			ieee_scan_report_decode(IEEE_NOTI_SCAN_REPORT_FIXED, d->u.event.info,
			                        d->u.event.info_len, &ctx, out, IEEE_REPORT_READINGS_MAX, &n,
			                        err, sizeof err);
		}
		return 0;
	}
	for (size_t k = 0; k < sizeof std_ids / sizeof std_ids[0]; k++) {
		struct ieee_report_ctx ctx = {.cfg = ieee_std_config(std_ids[k]), .session_start_ms = 0};
		ieee_scan_report_decode(d->u.event.event_type, d->u.event.info, d->u.event.info_len, &ctx,
		                        out, IEEE_REPORT_READINGS_MAX, &n, err, sizeof err);
	}
	return 0;
}
