/* config_report.c — parsing and validation of MDC_NOTI_CONFIG configuration
 * reports (IEEE 11073-20601 clause 8.9.2, ConfigReport / ConfigObject), plus the
 * lookups the report decoder uses. Unknown attributes are counted and skipped;
 * a configuration that contradicts itself is refused with the reason. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cabin/mdc.h"
#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/config.h"
#include "devices/proto/ieee11073/mder.h"
#include "devices/proto/ieee11073/nomenclature.h"

const struct ieee_cfg_obj *ieee_config_find(const struct ieee_config *c, uint16_t handle)
{
	for (unsigned k = 0; k < c->n_objs; k++)
		if (c->objs[k].handle == handle)
			return &c->objs[k];
	return NULL;
}

int ieee_attr_fixed_len(uint16_t attr_id, const struct ieee_cfg_obj *o)
{
	switch (attr_id) {
	case IEEE_ATTR_NU_VAL_OBS_BASIC:
	case IEEE_ATTR_MSMT_STAT:
	case IEEE_ATTR_UNIT_CODE:
	case IEEE_ATTR_ENUM_OBS_VAL_SIMP_OID:
	case IEEE_ATTR_ENUM_OBS_VAL_BASIC_BIT_STR:
	case IEEE_ATTR_SOURCE_HANDLE_REF:
		return 2;
	case IEEE_ATTR_NU_VAL_OBS_SIMP:
	case IEEE_ATTR_TIME_STAMP_REL:
	case IEEE_ATTR_ENUM_OBS_VAL_SIMP_BIT_STR:
		return 4;
	case IEEE_ATTR_TIME_STAMP_ABS:
	case IEEE_ATTR_TIME_STAMP_REL_HI_RES:
		return 8;
	case IEEE_ATTR_NU_VAL_OBS: /* NuObsValue: metric-id, state, unit-code, FLOAT */
		return 10;
	case IEEE_ATTR_NU_CMPD_VAL_OBS_BASIC:
		return o && o->n_physio ? 4 + 2 * o->n_physio : -1;
	case IEEE_ATTR_NU_CMPD_VAL_OBS_SIMP:
		return o && o->n_physio ? 4 + 4 * o->n_physio : -1;
	case IEEE_ATTR_NU_CMPD_VAL_OBS:
		return o && o->n_physio ? 4 + 10 * o->n_physio : -1;
	default:
		return -1;
	}
}

enum cab_device_kind ieee_config_kind(const struct ieee_config *c)
{
	for (unsigned k = 0; k < c->n_objs; k++) {
		if (c->objs[k].type_part != MDC_PART_SCADA)
			continue;
		switch (c->objs[k].type_code) {
		case MDC_PULS_OXIM_SAT_O2: return CAB_KIND_PULSE_OXIMETER;
		case MDC_PRESS_BLD_NONINV: return CAB_KIND_BLOOD_PRESSURE;
		case MDC_TEMP_BODY: case MDC_TEMP_TYMP: return CAB_KIND_THERMOMETER;
		case MDC_MASS_BODY_ACTUAL: return CAB_KIND_SCALE;
		case MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD:
		case MDC_CONC_GLU_CAPILLARY_PLASMA: return CAB_KIND_GLUCOMETER;
		default: break;
		}
	}
	return CAB_KIND_UNKNOWN;
}

static int fail(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err && errsz) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return IEEE_E_CONFIG;
}

int ieee_config_validate(const struct ieee_config *c, char *err, size_t errsz)
{
	for (unsigned k = 0; k < c->n_objs; k++) {
		const struct ieee_cfg_obj *o = &c->objs[k];

		if (o->handle == 0)
			return fail(err, errsz, "configuration: object %u uses handle 0 (the MDS's)",
			            k + 1);
		for (unsigned j = 0; j < k; j++)
			if (c->objs[j].handle == o->handle)
				return fail(err, errsz, "configuration: handle %u used by objects %u and %u",
				            o->handle, j + 1, k + 1);
		if ((o->obj_class == IEEE_MOC_VMO_METRIC_NU || o->obj_class == IEEE_MOC_VMO_METRIC_ENUM ||
		     o->obj_class == IEEE_MOC_VMO_METRIC_SA_RT) && o->type_code == 0)
			return fail(err, errsz, "configuration: metric handle %u has no MDC_ATTR_ID_TYPE",
			            o->handle);
		for (unsigned v = 0; v < o->n_valmap; v++) {
			const struct ieee_valmap_entry *e = &o->valmap[v];
			int want = ieee_attr_fixed_len(e->attr_id, o);

			for (unsigned j = 0; j < v; j++)
				if (o->valmap[j].attr_id == e->attr_id)
					return fail(err, errsz,
					            "configuration: handle %u lists attribute 0x%04X twice in its value map",
					            o->handle, e->attr_id);
			if (want >= 0 && e->len != want)
				return fail(err, errsz,
				            "configuration: handle %u maps attribute 0x%04X with %u bytes",
				            o->handle, e->attr_id, e->len);
			if ((e->attr_id == IEEE_ATTR_NU_CMPD_VAL_OBS_BASIC && (e->len < 4 || e->len % 2)) ||
			    (e->attr_id == IEEE_ATTR_NU_CMPD_VAL_OBS_SIMP && (e->len < 4 || e->len % 4)))
				return fail(err, errsz,
				            "configuration: handle %u maps compound 0x%04X with %u bytes",
				            o->handle, e->attr_id, e->len);
		}
	}
	return 0;
}

/* Reads the attributes Cabin uses from one ConfigObject's AttributeList. */
static void obj_attrs_read(struct ieee_rd *r, struct ieee_cfg_obj *o)
{
	size_t saved, s2, s3;
	uint16_t n = ieee_rd_list(r, IEEE_ATTRS_MAX, "attribute-list", &saved);

	for (unsigned k = 0; k < n && !r->err; k++) {
		uint16_t id = ieee_rd_u16(r);
		uint16_t len = ieee_rd_u16(r);

		s2 = ieee_rd_enter(r, len, "attribute value");
		if (r->err)
			break;
		switch (id) {
		case IEEE_ATTR_ID_TYPE:
			o->type_part = ieee_rd_u16(r);
			o->type_code = ieee_rd_u16(r);
			break;
		case IEEE_ATTR_UNIT_CODE:
			o->unit = ieee_rd_u16(r);
			break;
		case IEEE_ATTR_METRIC_SPEC_SMALL:
			o->metric_spec_small = ieee_rd_u16(r);
			break;
		case IEEE_ATTR_ATTRIBUTE_VAL_MAP:
			if (o->n_valmap) {
				ieee_rd_fail(r, IEEE_E_CONFIG, "handle %u has two value maps", o->handle);
				break;
			}
			o->n_valmap = ieee_rd_list(r, IEEE_VALMAP_MAX, "attribute-value-map", &s3);
			for (unsigned v = 0; v < o->n_valmap && !r->err; v++) {
				o->valmap[v].attr_id = ieee_rd_u16(r);
				o->valmap[v].len = ieee_rd_u16(r);
			}
			ieee_rd_leave(r, s3);
			break;
		case IEEE_ATTR_ID_PHYSIO_LIST:
			o->n_physio = ieee_rd_list(r, IEEE_PHYSIO_MAX, "metric-id-list", &s3);
			for (unsigned v = 0; v < o->n_physio && !r->err; v++)
				o->physio[v] = ieee_rd_u16(r);
			ieee_rd_leave(r, s3);
			break;
		case IEEE_ATTR_METRIC_STRUCT_SMALL:
		case IEEE_ATTR_SOURCE_HANDLE_REF:
		case IEEE_ATTR_SUPPLEMENTAL_TYPES:
		case IEEE_ATTR_MSMT_STAT:
		case IEEE_ATTR_ID_MODEL:
			break; /* known, not needed to read reports */
		default:
			o->n_unknown_attrs++;
			break;
		}
		ieee_rd_leave(r, s2);
	}
	ieee_rd_leave(r, saved);
}

int ieee_config_report_parse(const uint8_t *info, size_t len, struct ieee_config *out,
                             char *err, size_t errsz)
{
	struct ieee_rd r;
	size_t saved;

	memset(out, 0, sizeof *out);
	ieee_rd_init(&r, info, len);
	out->dev_config_id = ieee_rd_u16(&r);
	out->n_objs = ieee_rd_list(&r, IEEE_CFG_OBJS_MAX, "config-obj-list", &saved);
	for (unsigned k = 0; k < out->n_objs && !r.err; k++) {
		struct ieee_cfg_obj *o = &out->objs[k];

		o->obj_class = ieee_rd_u16(&r);
		o->handle = ieee_rd_u16(&r);
		obj_attrs_read(&r, o);
	}
	ieee_rd_leave(&r, saved);
	if (r.err) {
		if (err && errsz)
			snprintf(err, errsz, "configuration report: %s", r.msg);
		out->n_objs = 0;
		return r.err;
	}
	out->kind = ieee_config_kind(out);
	return ieee_config_validate(out, err, errsz);
}

static int mem_load(void *user, const uint8_t system_id[8], uint16_t dev_config_id,
                    struct ieee_config *out)
{
	struct ieee_mem_store *s = user;

	for (unsigned k = 0; k < s->n; k++)
		if (!memcmp(s->e[k].system_id, system_id, 8) &&
		    s->e[k].cfg.dev_config_id == dev_config_id) {
			*out = s->e[k].cfg;
			return 0;
		}
	return -1;
}

static int mem_save(void *user, const uint8_t system_id[8], const struct ieee_config *c)
{
	struct ieee_mem_store *s = user;
	unsigned slot;

	for (slot = 0; slot < s->n; slot++)
		if (!memcmp(s->e[slot].system_id, system_id, 8) &&
		    s->e[slot].cfg.dev_config_id == c->dev_config_id)
			break;
	if (slot == s->n) {
		if (s->n < IEEE_MEM_STORE_MAX) {
			slot = s->n++;
		} else {
			slot = s->next;
			s->next = (s->next + 1) % IEEE_MEM_STORE_MAX;
		}
	}
	memcpy(s->e[slot].system_id, system_id, 8);
	s->e[slot].cfg = *c;
	return 0;
}

void ieee_mem_store_init(struct ieee_mem_store *s, struct ieee_config_store *out)
{
	memset(s, 0, sizeof *s);
	out->load = mem_load;
	out->save = mem_save;
	out->user = s;
}
