/* apdu_parse.c — bounded parsing of IEEE 11073-20601 APDUs (see apdu.h):
 * association (AARQ/AARE), release (RLRQ/RLRE), ABRT and PRST with every DATA-apdu
 * choice. Layouts: 20601 Annex F (MDER), checked on the Annex H examples. */
#include "devices/proto/ieee11073/apdu.h"

#include <stdio.h>
#include <string.h>

#include "devices/proto/ieee11073/nomenclature.h"

size_t ieee_apdu_frame_len(const uint8_t *buf, size_t len)
{
	if (!buf || len < 4)
		return 0;
	return 4 + ((size_t)buf[2] << 8 | buf[3]);
}

const char *ieee_apdu_name(uint16_t type)
{
	switch (type) {
	case IEEE_APDU_AARQ: return "AARQ";
	case IEEE_APDU_AARE: return "AARE";
	case IEEE_APDU_RLRQ: return "RLRQ";
	case IEEE_APDU_RLRE: return "RLRE";
	case IEEE_APDU_ABRT: return "ABRT";
	case IEEE_APDU_PRST: return "PRST";
	default: return "unknown-apdu";
	}
}

const char *ieee_data_choice_name(uint16_t choice)
{
	switch (choice) {
	case IEEE_ROIV_EVENT_REPORT: return "roiv-cmip-event-report";
	case IEEE_ROIV_CONF_EVENT_REPORT: return "roiv-cmip-confirmed-event-report";
	case IEEE_ROIV_GET: return "roiv-cmip-get";
	case IEEE_ROIV_SET: return "roiv-cmip-set";
	case IEEE_ROIV_CONF_SET: return "roiv-cmip-confirmed-set";
	case IEEE_ROIV_ACTION: return "roiv-cmip-action";
	case IEEE_ROIV_CONF_ACTION: return "roiv-cmip-confirmed-action";
	case IEEE_RORS_CONF_EVENT_REPORT: return "rors-cmip-confirmed-event-report";
	case IEEE_RORS_GET: return "rors-cmip-get";
	case IEEE_RORS_CONF_SET: return "rors-cmip-confirmed-set";
	case IEEE_RORS_CONF_ACTION: return "rors-cmip-confirmed-action";
	case IEEE_ROER: return "roer";
	case IEEE_RORJ: return "rorj";
	default: return "unknown-data-choice";
	}
}

/* PhdAssociationInformation (20601 8.7.3.2). */
static void assoc_info_read(struct ieee_rd *r, struct ieee_assoc_info *i)
{
	uint16_t n;
	size_t saved;

	i->protocol_version = ieee_rd_u32(r);
	i->encoding_rules = ieee_rd_u16(r);
	i->nomenclature_version = ieee_rd_u32(r);
	i->functional_units = ieee_rd_u32(r);
	i->system_type = ieee_rd_u32(r);
	n = ieee_rd_u16(r);
	if (!r->err && n > IEEE_SYSID_MAX) {
		ieee_rd_fail(r, IEEE_E_LIMIT, "system-id of %u bytes (at most %u)", n, IEEE_SYSID_MAX);
		return;
	}
	const uint8_t *id = ieee_rd_bytes(r, n);
	if (id) {
		memcpy(i->system_id, id, n);
		i->system_id_len = (uint8_t)n;
	}
	i->dev_config_id = ieee_rd_u16(r);
	i->data_req_mode_flags = ieee_rd_u16(r);
	i->data_req_init_agent_count = ieee_rd_u8(r);
	i->data_req_init_manager_count = ieee_rd_u8(r);
	/* option-list: AttributeList whose entries Cabin does not use */
	i->option_count = ieee_rd_list(r, IEEE_ATTRS_MAX, "option-list", &saved);
	ieee_rd_leave(r, saved);
}

static void aarq_read(struct ieee_rd *r, struct ieee_aarq *a)
{
	size_t saved, s2;

	a->assoc_version = ieee_rd_u32(r);
	a->n_protos = ieee_rd_list(r, IEEE_PROTOS_MAX, "data-proto-list", &saved);
	for (unsigned k = 0; k < a->n_protos && !r->err; k++) {
		uint16_t id = ieee_rd_u16(r);
		uint16_t len = ieee_rd_u16(r);
		s2 = ieee_rd_enter(r, len, "data-proto-info");
		if (id == IEEE_DATA_PROTO_20601 && !a->has_20601 && !r->err) {
			assoc_info_read(r, &a->info);
			a->has_20601 = !r->err;
		}
		ieee_rd_leave(r, s2);
	}
	ieee_rd_leave(r, saved);
}

static void aare_read(struct ieee_rd *r, struct ieee_aare *a)
{
	size_t saved;
	uint16_t len;

	a->result = ieee_rd_u16(r);
	a->proto_id = ieee_rd_u16(r);
	len = ieee_rd_u16(r);
	saved = ieee_rd_enter(r, len, "selected data-proto-info");
	if (a->proto_id == IEEE_DATA_PROTO_20601 && len)
		assoc_info_read(r, &a->info);
	ieee_rd_leave(r, saved);
}

void ieee_attr_list_read(struct ieee_rd *r, struct ieee_attr_list *out)
{
	size_t saved;

	out->count = ieee_rd_list(r, IEEE_ATTRS_MAX, "attribute-list", &saved);
	for (unsigned k = 0; k < out->count && !r->err; k++) {
		out->a[k].id = ieee_rd_u16(r);
		out->a[k].len = ieee_rd_u16(r);
		out->a[k].val = ieee_rd_bytes(r, out->a[k].len);
	}
	if (r->err)
		out->count = 0;
	ieee_rd_leave(r, saved);
}

const struct ieee_ava *ieee_attr_find(const struct ieee_attr_list *l, uint16_t id)
{
	for (unsigned k = 0; k < l->count; k++)
		if (l->a[k].id == id)
			return &l->a[k];
	return NULL;
}

static void any_read(struct ieee_rd *r, const uint8_t **p, uint16_t *len)
{
	*len = ieee_rd_u16(r);
	*p = ieee_rd_bytes(r, *len);
	if (!*p)
		*len = 0;
}

static void data_read(struct ieee_rd *r, struct ieee_data_apdu *d)
{
	size_t saved;
	uint16_t len;

	d->invoke_id = ieee_rd_u16(r);
	d->choice = ieee_rd_u16(r);
	len = ieee_rd_u16(r);
	if (r->err)
		return;
	if (len != ieee_rd_left(r)) {
		ieee_rd_fail(r, IEEE_E_LENGTH, "%s length %u but %zu bytes follow",
		             ieee_data_choice_name(d->choice), len, ieee_rd_left(r));
		return;
	}
	saved = ieee_rd_enter(r, len, "DATA-apdu");
	switch (d->choice) {
	case IEEE_ROIV_EVENT_REPORT:
	case IEEE_ROIV_CONF_EVENT_REPORT:
	case IEEE_RORS_CONF_EVENT_REPORT:
		d->u.event.obj_handle = ieee_rd_u16(r);
		d->u.event.time = ieee_rd_u32(r);
		d->u.event.event_type = ieee_rd_u16(r);
		any_read(r, &d->u.event.info, &d->u.event.info_len);
		break;
	case IEEE_ROIV_GET: {
		size_t s2;
		d->u.get.obj_handle = ieee_rd_u16(r);
		d->u.get.n_ids = ieee_rd_list(r, IEEE_GET_IDS_MAX, "attribute-id-list", &s2);
		for (unsigned k = 0; k < d->u.get.n_ids && !r->err; k++)
			d->u.get.ids[k] = ieee_rd_u16(r);
		ieee_rd_leave(r, s2);
		break;
	}
	case IEEE_RORS_GET:
	case IEEE_RORS_CONF_SET:
		d->u.attrs.obj_handle = ieee_rd_u16(r);
		ieee_attr_list_read(r, &d->u.attrs.attrs);
		break;
	case IEEE_ROIV_SET:
	case IEEE_ROIV_CONF_SET: {
		size_t s2;
		d->u.set.obj_handle = ieee_rd_u16(r);
		d->u.set.n_mods = ieee_rd_list(r, IEEE_SET_MODS_MAX, "modification-list", &s2);
		for (unsigned k = 0; k < d->u.set.n_mods && !r->err; k++) {
			d->u.set.mods[k].op = ieee_rd_u16(r);
			d->u.set.mods[k].ava.id = ieee_rd_u16(r);
			any_read(r, &d->u.set.mods[k].ava.val, &d->u.set.mods[k].ava.len);
		}
		ieee_rd_leave(r, s2);
		break;
	}
	case IEEE_ROIV_ACTION:
	case IEEE_ROIV_CONF_ACTION:
	case IEEE_RORS_CONF_ACTION:
		d->u.action.obj_handle = ieee_rd_u16(r);
		d->u.action.action_type = ieee_rd_u16(r);
		any_read(r, &d->u.action.info, &d->u.action.info_len);
		break;
	case IEEE_ROER:
		d->u.roer.error_value = ieee_rd_u16(r);
		any_read(r, &d->u.roer.param, &d->u.roer.param_len);
		break;
	case IEEE_RORJ:
		d->u.rorj_problem = ieee_rd_u16(r);
		break;
	default:
		ieee_rd_fail(r, IEEE_E_INVALID, "unknown DATA-apdu choice 0x%04X", d->choice);
		break;
	}
	ieee_rd_leave(r, saved);
}

int ieee_apdu_parse(const uint8_t *buf, size_t len, struct ieee_apdu *out, size_t *consumed,
                    char *err, size_t errsz)
{
	struct ieee_rd r;
	size_t saved;
	uint16_t oslen;

	memset(out, 0, sizeof *out);
	if (consumed)
		*consumed = 0;
	ieee_rd_init(&r, buf, len);
	out->type = ieee_rd_u16(&r);
	out->length = ieee_rd_u16(&r);
	if (r.err) {
		ieee_rd_fail(&r, IEEE_E_TRUNCATED, "APDU header truncated");
		goto out;
	}
	saved = ieee_rd_enter(&r, out->length, ieee_apdu_name(out->type));
	switch (out->type) {
	case IEEE_APDU_AARQ:
		aarq_read(&r, &out->u.aarq);
		break;
	case IEEE_APDU_AARE:
		aare_read(&r, &out->u.aare);
		break;
	case IEEE_APDU_RLRQ:
	case IEEE_APDU_RLRE:
	case IEEE_APDU_ABRT:
		out->u.reason = ieee_rd_u16(&r);
		break;
	case IEEE_APDU_PRST:
		oslen = ieee_rd_u16(&r);
		if (!r.err && oslen != ieee_rd_left(&r)) {
			ieee_rd_fail(&r, IEEE_E_LENGTH, "PRST octet-string length %u but %zu bytes follow",
			             oslen, ieee_rd_left(&r));
			break;
		}
		data_read(&r, &out->u.prst);
		break;
	default:
		ieee_rd_fail(&r, IEEE_E_INVALID, "unknown APDU choice 0x%04X", out->type);
		break;
	}
	ieee_rd_leave(&r, saved);
	if (!r.err && consumed)
		*consumed = 4 + (size_t)out->length;
out:
	if (r.err && err && errsz)
		snprintf(err, errsz, "%s: %s", ieee_apdu_name(out->type), r.msg);
	return r.err;
}
