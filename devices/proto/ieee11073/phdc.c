/* phdc.c — USB PHDC class descriptors (see phdc.h). */
#include "devices/proto/ieee11073/phdc.h"

#include <stdio.h>
#include <string.h>

#include "devices/proto/ieee11073/mds.h"

int ieee_phdc_parse(const uint8_t *buf, size_t len, struct ieee_phdc_desc *out, char *err,
                    size_t errsz)
{
	size_t off = 0;

	memset(out, 0, sizeof *out);
	while (off < len) {
		size_t dl = buf[off];
		uint8_t type;

		if (len - off < 2 || dl < 2 || dl > len - off) {
			snprintf(err, errsz, "PHDC descriptors: descriptor at byte %zu has bLength %zu "
			         "(%zu bytes left)", off, dl, len - off);
			return -1;
		}
		type = buf[off + 1];
		switch (type) {
		case 0x20: /* class function: bLength, type, bPHDCDataCode, bmCapability */
			if (dl < 4)
				goto short_desc;
			out->has_class_function = 1;
			out->data_code = buf[off + 2];
			out->capability = buf[off + 3];
			break;
		case 0x30: { /* 11073 function extension: ..., bReserved, bNumDevSpecs, LE codes */
			if (dl < 4)
				goto short_desc;
			unsigned n = buf[off + 3];
			if (4 + 2 * (size_t)n > dl) {
				snprintf(err, errsz, "PHDC descriptors: function extension lists %u "
				         "specializations in %zu bytes", n, dl);
				return -1;
			}
			out->has_function_ext = 1;
			for (unsigned k = 0; k < n && out->n_specs < IEEE_PHDC_SPECS_MAX; k++)
				out->specs[out->n_specs++] =
				    (uint16_t)(buf[off + 4 + 2 * k] | buf[off + 5 + 2 * k] << 8);
			break;
		}
		case 0x21:
			out->n_qos++;
			break;
		case 0x22:
			out->n_metadata++;
			break;
		default:
			break; /* interface, endpoint, other class descriptors */
		}
		off += dl;
		continue;
short_desc:
		snprintf(err, errsz, "PHDC descriptors: type 0x%02X at byte %zu is %zu bytes, too short",
		         type, off, dl);
		return -1;
	}
	return 0;
}

enum cab_device_kind ieee_phdc_kind(const struct ieee_phdc_desc *d)
{
	for (unsigned k = 0; k < d->n_specs; k++) {
		enum cab_device_kind kind = ieee_spec_profile_kind(d->specs[k]);
		if (kind != CAB_KIND_UNKNOWN)
			return kind;
	}
	return CAB_KIND_UNKNOWN;
}
