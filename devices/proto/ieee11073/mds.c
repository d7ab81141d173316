/* mds.c — MDS attributes to device identity (see mds.h). Layouts: SystemModel
 * {manufacturer, model-number octet strings}, ProductionSpec {count, length,
 * ProdSpecEntry {spec-type, component-id, prod-spec octet string}}, MdsTimeInfo
 * {mds-time-cap-state BITS-16, ...}, TypeVerList {count, length, {type, version}}
 * (IEEE 11073-20601 Annex A / clause 6.3.2). */
#include "devices/proto/ieee11073/mds.h"

#include <stdio.h>
#include <string.h>

#include "devices/proto/ieee11073/mder.h"
#include "devices/proto/ieee11073/nomenclature.h"
#include "devices/proto/ieee11073/numeric.h"

enum cab_device_kind ieee_spec_profile_kind(uint16_t profile)
{
	switch (profile) {
	case IEEE_DEV_SPEC_PULS_OXIM: return CAB_KIND_PULSE_OXIMETER;
	case IEEE_DEV_SPEC_BP: return CAB_KIND_BLOOD_PRESSURE;
	case IEEE_DEV_SPEC_TEMP: return CAB_KIND_THERMOMETER;
	case IEEE_DEV_SPEC_SCALE: return CAB_KIND_SCALE;
	case IEEE_DEV_SPEC_GLUCOSE: return CAB_KIND_GLUCOMETER;
	default: return CAB_KIND_UNKNOWN;
	}
}

void ieee_system_id_hex(const uint8_t *id, unsigned len, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned k;

	for (k = 0; k < len && k < 8; k++) {
		out[2 * k] = hex[id[k] >> 4];
		out[2 * k + 1] = hex[id[k] & 0xF];
	}
	out[2 * k] = '\0';
}

/* Reads an octet string from R into DST (printable ASCII only, NUL-terminated). */
static void string_read(struct ieee_rd *r, char *dst, size_t size)
{
	uint16_t n = ieee_rd_u16(r);
	const uint8_t *p = ieee_rd_bytes(r, n);
	size_t o = 0;

	if (!p)
		return;
	for (size_t k = 0; k < n && o + 1 < size; k++) {
		if (p[k] == 0)
			break;
		dst[o++] = (p[k] >= 0x20 && p[k] < 0x7F) ? (char)p[k] : '?';
	}
	dst[o] = '\0';
}

int ieee_mds_apply(const struct ieee_attr_list *l, struct cab_device_id *d,
                   struct ieee_mds_info *info)
{
	int used = 0;

	memset(info, 0, sizeof *info);
	for (unsigned k = 0; k < l->count; k++) {
		const struct ieee_ava *a = &l->a[k];
		struct ieee_rd r;
		size_t saved;

		ieee_rd_init(&r, a->val, a->len);
		switch (a->id) {
		case IEEE_ATTR_ID_MODEL: {
			char man[sizeof d->manufacturer] = "", model[sizeof d->model] = "";
			string_read(&r, man, sizeof man);
			string_read(&r, model, sizeof model);
			if (!r.err) {
				memcpy(d->manufacturer, man, sizeof man);
				memcpy(d->model, model, sizeof model);
			}
			break;
		}
		case IEEE_ATTR_SYS_ID: {
			uint16_t n = ieee_rd_u16(&r);
			const uint8_t *p = ieee_rd_bytes(&r, n);
			if (p && n == 8)
				ieee_system_id_hex(p, 8, d->system_id);
			break;
		}
		case IEEE_ATTR_ID_PROD_SPECN: {
			uint16_t n = ieee_rd_list(&r, 16, "production-spec", &saved);
			for (unsigned e = 0; e < n && !r.err; e++) {
				uint16_t type = ieee_rd_u16(&r);
				(void)ieee_rd_u16(&r); /* component-id */
				if (type == IEEE_PROD_SPEC_SERIAL)
					string_read(&r, d->serial, sizeof d->serial);
				else if (type == IEEE_PROD_SPEC_FW_REVISION)
					string_read(&r, d->firmware, sizeof d->firmware);
				else
					(void)ieee_rd_bytes(&r, ieee_rd_u16(&r));
			}
			ieee_rd_leave(&r, saved);
			break;
		}
		case IEEE_ATTR_MDS_TIME_INFO:
			info->set_time_supported = (ieee_rd_u16(&r) & IEEE_TIME_CAP_SET_CLOCK) && !r.err;
			break;
		case IEEE_ATTR_TIME_ABS: {
			const uint8_t *p = ieee_rd_bytes(&r, 8);
			info->has_time = p && !ieee_abstime_decode(p, &info->agent_time_ms);
			break;
		}
		case IEEE_ATTR_DEV_CONFIG_ID:
			info->dev_config_id = ieee_rd_u16(&r);
			break;
		case IEEE_ATTR_SYS_TYPE_SPEC_LIST: {
			uint16_t n = ieee_rd_list(&r, 16, "type-ver-list", &saved);
			if (n && !r.err)
				info->spec_profile = ieee_rd_u16(&r);
			ieee_rd_leave(&r, saved);
			if (d->kind == CAB_KIND_UNKNOWN)
				d->kind = ieee_spec_profile_kind(info->spec_profile);
			break;
		}
		default:
			continue;
		}
		if (!r.err)
			used++;
	}
	return used;
}
