/* report.c — measurement reports to readings (see report.h). Fixed reports are
 * read through the object's attribute-value-map; var reports are self-describing
 * attribute lists. Source: IEEE 11073-20601 clause 6.3 (Numeric object), 8.9.3.3. */
#include "devices/proto/ieee11073/report.h"

#include <stdio.h>
#include <string.h>

#include "cabin/mdc.h"
#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/mder.h"
#include "devices/proto/ieee11073/nomenclature.h"
#include "devices/proto/ieee11073/numeric.h"

#define OBS_VALUES_MAX 8

/* Values of one observation, gathered before readings are emitted. */
struct obs {
	unsigned n;
	struct ieee_num v[OBS_VALUES_MAX];
	uint16_t code[OBS_VALUES_MAX];   /* SCADA term code of each value */
	uint16_t unit[OBS_VALUES_MAX];
	int64_t time_ms;
	uint16_t status;
	uint16_t unit_override;
};

int ieee_is_scan_report(uint16_t t)
{
	switch (t) {
	case IEEE_NOTI_SCAN_REPORT_FIXED: case IEEE_NOTI_SCAN_REPORT_VAR:
	case IEEE_NOTI_SCAN_REPORT_MP_FIXED: case IEEE_NOTI_SCAN_REPORT_MP_VAR:
	case IEEE_NOTI_UNBUF_SCAN_REPORT_FIXED: case IEEE_NOTI_UNBUF_SCAN_REPORT_VAR:
	case IEEE_NOTI_UNBUF_SCAN_REPORT_MP_FIXED: case IEEE_NOTI_UNBUF_SCAN_REPORT_MP_VAR:
	case IEEE_NOTI_BUF_SCAN_REPORT_FIXED: case IEEE_NOTI_BUF_SCAN_REPORT_VAR:
	case IEEE_NOTI_BUF_SCAN_REPORT_MP_FIXED: case IEEE_NOTI_BUF_SCAN_REPORT_MP_VAR:
		return 1;
	default:
		return 0;
	}
}

static void add_value(struct ieee_rd *r, struct obs *ob, struct ieee_num v, uint16_t code,
                      uint16_t unit)
{
	if (ob->n >= OBS_VALUES_MAX) {
		ieee_rd_fail(r, IEEE_E_LIMIT, "more than %d values in one observation", OBS_VALUES_MAX);
		return;
	}
	ob->v[ob->n] = v;
	ob->code[ob->n] = code;
	ob->unit[ob->n] = unit;
	ob->n++;
}

/* Compound value: count, length, then COUNT items of ITEM bytes. */
static void compound_read(struct ieee_rd *r, struct obs *ob, const struct ieee_cfg_obj *o,
                          uint16_t attr)
{
	size_t saved;
	uint16_t n = ieee_rd_list(r, OBS_VALUES_MAX, "compound value", &saved);

	for (unsigned k = 0; k < n && !r->err; k++) {
		uint16_t code = k < o->n_physio ? o->physio[k] : o->type_code;
		if (attr == IEEE_ATTR_NU_CMPD_VAL_OBS_BASIC) {
			add_value(r, ob, ieee_sfloat_decode(ieee_rd_u16(r)), code, o->unit);
		} else if (attr == IEEE_ATTR_NU_CMPD_VAL_OBS_SIMP) {
			add_value(r, ob, ieee_float_decode(ieee_rd_u32(r)), code, o->unit);
		} else { /* NuObsValue items */
			uint16_t metric = ieee_rd_u16(r);
			uint16_t state = ieee_rd_u16(r);
			uint16_t unit = ieee_rd_u16(r);
			add_value(r, ob, ieee_float_decode(ieee_rd_u32(r)), metric, unit);
			ob->status |= state;
		}
	}
	ieee_rd_leave(r, saved);
}

/* One attribute value of LEN bytes at R's position, for object O. */
static void attr_read(struct ieee_rd *r, struct obs *ob, const struct ieee_cfg_obj *o,
                      uint16_t attr, uint16_t len)
{
	size_t saved = ieee_rd_enter(r, len, "observed value");
	int want = ieee_attr_fixed_len(attr, o);

	if (r->err)
		return;
	if (want >= 0 && want != len) {
		ieee_rd_fail(r, IEEE_E_CONFIG, "handle %u: attribute 0x%04X has %u bytes, its type has %d",
		             o->handle, attr, len, want);
		return;
	}
	switch (attr) {
	case IEEE_ATTR_NU_VAL_OBS_BASIC:
		add_value(r, ob, ieee_sfloat_decode(ieee_rd_u16(r)), o->type_code, o->unit);
		break;
	case IEEE_ATTR_NU_VAL_OBS_SIMP:
		add_value(r, ob, ieee_float_decode(ieee_rd_u32(r)), o->type_code, o->unit);
		break;
	case IEEE_ATTR_NU_VAL_OBS: {
		uint16_t metric = ieee_rd_u16(r);
		uint16_t state = ieee_rd_u16(r);
		uint16_t unit = ieee_rd_u16(r);
		add_value(r, ob, ieee_float_decode(ieee_rd_u32(r)), metric, unit);
		ob->status |= state;
		break;
	}
	case IEEE_ATTR_NU_CMPD_VAL_OBS_BASIC:
	case IEEE_ATTR_NU_CMPD_VAL_OBS_SIMP:
	case IEEE_ATTR_NU_CMPD_VAL_OBS:
		compound_read(r, ob, o, attr);
		break;
	case IEEE_ATTR_TIME_STAMP_ABS: {
		const uint8_t *b = ieee_rd_bytes(r, 8);
		static const uint8_t unset0[8], unsetff[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
		if (!b || !memcmp(b, unset0, 8) || !memcmp(b, unsetff, 8))
			break; /* the agent's clock is not set: no time */
		if (ieee_abstime_decode(b, &ob->time_ms))
			ieee_rd_fail(r, IEEE_E_INVALID,
			             "handle %u: time stamp %02X%02X-%02X-%02X %02X:%02X:%02X is not valid BCD",
			             o->handle, b[0], b[1], b[2], b[3], b[4], b[5], b[6]);
		break;
	}
	case IEEE_ATTR_MSMT_STAT:
		ob->status |= ieee_rd_u16(r);
		break;
	case IEEE_ATTR_UNIT_CODE:
		ob->unit_override = ieee_rd_u16(r);
		break;
	default:
		break; /* not a value Cabin reports: skipped by its length */
	}
	ieee_rd_leave(r, saved);
}

static int emit(const struct obs *ob, const struct ieee_cfg_obj *o, uint16_t person,
                const struct ieee_report_ctx *ctx, struct cab_reading *out, size_t cap, size_t *n,
                struct ieee_rd *r)
{
	for (unsigned k = 0; k < ob->n; k++) {
		struct cab_reading *x;
		uint16_t unit = ob->unit_override ? ob->unit_override : ob->unit[k];
		const char *ucum = cab_mdc_unit_ucum(unit);

		if (*n >= cap) {
			ieee_rd_fail(r, IEEE_E_LIMIT, "more than %zu readings in one report", cap);
			return -1;
		}
		x = &out[(*n)++];
		memset(x, 0, sizeof *x);
		x->mdc = MDC_FULL(o->type_part ? o->type_part : MDC_PART_SCADA, ob->code[k]);
		x->value_kind = ob->v[k].kind;
		x->value = ob->v[k].kind == CAB_VALUE_NUMBER ? ob->v[k].value : 0.0;
		if (ucum)
			snprintf(x->ucum, sizeof x->ucum, "%s", ucum);
		else
			snprintf(x->ucum, sizeof x->ucum, "{mdc-dim:%u}", unit);
		x->device_time_ms = ob->time_ms;
		x->cabin_time_ms = ctx->cabin_time_ms;
		x->measurement_status = ob->status;
		x->person_id = person;
		if (ob->status & (IEEE_MS_INVALID | IEEE_MS_NOT_AVAILABLE))
			x->flags |= CAB_RF_INVALID;
		if (ob->status & IEEE_MS_MSMT_ONGOING)
			x->flags |= CAB_RF_ONGOING;
		if (ctx->stored)
			x->flags |= CAB_RF_STORED;
		if (ctx->session_start_ms != INT64_MIN) {
			if (ob->time_ms != INT64_MIN ? ob->time_ms + ctx->clock_offset_ms < ctx->session_start_ms
			                             : ctx->stored)
				x->flags |= CAB_RF_BEFORE_SESSION;
		}
		if (ctx->device)
			x->device = *ctx->device;
	}
	return 0;
}

static void obs_init(struct obs *ob)
{
	memset(ob, 0, sizeof *ob);
	ob->time_ms = INT64_MIN;
}

static const struct ieee_cfg_obj *lookup(struct ieee_rd *r, const struct ieee_report_ctx *ctx,
                                         uint16_t handle)
{
	const struct ieee_cfg_obj *o = ieee_config_find(ctx->cfg, handle);

	if (!o)
		ieee_rd_fail(r, IEEE_E_CONFIG, "handle %u is not in configuration 0x%04X", handle,
		             ctx->cfg->dev_config_id);
	return o;
}

/* ObservationScanFixedList. */
static void fixed_list(struct ieee_rd *r, const struct ieee_report_ctx *ctx, uint16_t person,
                       struct cab_reading *out, size_t cap, size_t *n)
{
	size_t saved;
	uint16_t count = ieee_rd_list(r, IEEE_REPORT_OBS_MAX, "observation list", &saved);

	for (unsigned k = 0; k < count && !r->err; k++) {
		uint16_t handle = ieee_rd_u16(r);
		uint16_t len = ieee_rd_u16(r);
		const struct ieee_cfg_obj *o;
		struct obs ob;
		unsigned total = 0;
		size_t s2;

		if (r->err || !(o = lookup(r, ctx, handle)))
			break;
		for (unsigned v = 0; v < o->n_valmap; v++)
			total += o->valmap[v].len;
		if (total != len) {
			ieee_rd_fail(r, IEEE_E_CONFIG,
			             "handle %u: %u bytes of observed data but its value map says %u",
			             handle, len, total);
			break;
		}
		s2 = ieee_rd_enter(r, len, "obs-val-data");
		obs_init(&ob);
		for (unsigned v = 0; v < o->n_valmap && !r->err; v++)
			attr_read(r, &ob, o, o->valmap[v].attr_id, o->valmap[v].len);
		ieee_rd_leave(r, s2);
		if (!r->err)
			emit(&ob, o, person, ctx, out, cap, n, r);
	}
	ieee_rd_leave(r, saved);
}

/* ObservationScanList (var). */
static void var_list(struct ieee_rd *r, const struct ieee_report_ctx *ctx, uint16_t person,
                     struct cab_reading *out, size_t cap, size_t *n)
{
	size_t saved;
	uint16_t count = ieee_rd_list(r, IEEE_REPORT_OBS_MAX, "observation list", &saved);

	for (unsigned k = 0; k < count && !r->err; k++) {
		uint16_t handle = ieee_rd_u16(r);
		const struct ieee_cfg_obj *o;
		struct obs ob;
		size_t s2;
		uint16_t na;

		if (r->err || !(o = lookup(r, ctx, handle)))
			break;
		obs_init(&ob);
		na = ieee_rd_list(r, IEEE_ATTRS_MAX, "attribute-list", &s2);
		for (unsigned a = 0; a < na && !r->err; a++) {
			uint16_t id = ieee_rd_u16(r);
			uint16_t len = ieee_rd_u16(r);
			attr_read(r, &ob, o, id, len);
		}
		ieee_rd_leave(r, s2);
		if (!r->err)
			emit(&ob, o, person, ctx, out, cap, n, r);
	}
	ieee_rd_leave(r, saved);
}

int ieee_scan_report_decode(uint16_t event_type, const uint8_t *info, size_t len,
                            const struct ieee_report_ctx *ctx, struct cab_reading *out,
                            size_t cap, size_t *n, char *err, size_t errsz)
{
	struct ieee_rd r;
	struct ieee_report_ctx c = *ctx;
	int mp = 0, var = 0;

	*n = 0;
	ieee_rd_init(&r, info, len);
	switch (event_type) {
	case IEEE_NOTI_BUF_SCAN_REPORT_FIXED: c.stored = 1; break;
	case IEEE_NOTI_SCAN_REPORT_FIXED: case IEEE_NOTI_UNBUF_SCAN_REPORT_FIXED: break;
	case IEEE_NOTI_BUF_SCAN_REPORT_VAR: c.stored = 1; var = 1; break;
	case IEEE_NOTI_SCAN_REPORT_VAR: case IEEE_NOTI_UNBUF_SCAN_REPORT_VAR: var = 1; break;
	case IEEE_NOTI_BUF_SCAN_REPORT_MP_FIXED: c.stored = 1; mp = 1; break;
	case IEEE_NOTI_SCAN_REPORT_MP_FIXED: case IEEE_NOTI_UNBUF_SCAN_REPORT_MP_FIXED: mp = 1; break;
	case IEEE_NOTI_BUF_SCAN_REPORT_MP_VAR: c.stored = 1; mp = 1; var = 1; break;
	case IEEE_NOTI_SCAN_REPORT_MP_VAR: case IEEE_NOTI_UNBUF_SCAN_REPORT_MP_VAR:
		mp = 1; var = 1; break;
	default:
		ieee_rd_fail(&r, IEEE_E_UNSUPPORTED, "event type 0x%04X is not a measurement report",
		             event_type);
		goto out;
	}
	if (!ctx->cfg) {
		ieee_rd_fail(&r, IEEE_E_CONFIG, "no configuration to read the report with");
		goto out;
	}
	(void)ieee_rd_u16(&r); /* data-req-id */
	(void)ieee_rd_u16(&r); /* scan-report-no */
	if (!mp) {
		if (var)
			var_list(&r, &c, 0xFFFF, out, cap, n);
		else
			fixed_list(&r, &c, 0xFFFF, out, cap, n);
	} else {
		size_t saved;
		uint16_t persons = ieee_rd_list(&r, IEEE_REPORT_PERSONS_MAX, "per-person list", &saved);
		for (unsigned p = 0; p < persons && !r.err; p++) {
			uint16_t person = ieee_rd_u16(&r);
			if (var)
				var_list(&r, &c, person, out, cap, n);
			else
				fixed_list(&r, &c, person, out, cap, n);
		}
		ieee_rd_leave(&r, saved);
	}
out:
	if (r.err && err && errsz)
		snprintf(err, errsz, "measurement report 0x%04X: %s", event_type, r.msg);
	return r.err;
}
