/* apdu_encode.c — MDER encoders of the APDUs the manager sends (AARE, RLRQ, RLRE,
 * ABRT, event report responses, Get, Set-Time action, roer/rorj) and of those the
 * simulated agent sends (AARQ, event reports, Get/action responses). Layouts:
 * IEEE 11073-20601 Annex F; byte-for-byte checked against the Annex H examples. */
#include "devices/proto/ieee11073/apdu.h"

#include "devices/proto/ieee11073/nomenclature.h"
#include "devices/proto/ieee11073/numeric.h"

static void assoc_info_write(struct ieee_wr *w, const struct ieee_assoc_info *i)
{
	ieee_wr_u32(w, i->protocol_version);
	ieee_wr_u16(w, i->encoding_rules);
	ieee_wr_u32(w, i->nomenclature_version);
	ieee_wr_u32(w, i->functional_units);
	ieee_wr_u32(w, i->system_type);
	ieee_wr_u16(w, i->system_id_len);
	ieee_wr_bytes(w, i->system_id, i->system_id_len);
	ieee_wr_u16(w, i->dev_config_id);
	ieee_wr_u16(w, i->data_req_mode_flags);
	ieee_wr_u8(w, i->data_req_init_agent_count);
	ieee_wr_u8(w, i->data_req_init_manager_count);
	ieee_wr_u16(w, 0); /* option-list count */
	ieee_wr_u16(w, 0); /* option-list length */
}

void ieee_aarq_encode(struct ieee_wr *w, const struct ieee_assoc_info *info)
{
	size_t apdu, list, proto;

	ieee_wr_u16(w, IEEE_APDU_AARQ);
	apdu = ieee_wr_len_begin(w);
	ieee_wr_u32(w, IEEE_ASSOC_VERSION1);
	ieee_wr_u16(w, 1); /* data-proto-list count */
	list = ieee_wr_len_begin(w);
	ieee_wr_u16(w, IEEE_DATA_PROTO_20601);
	proto = ieee_wr_len_begin(w);
	assoc_info_write(w, info);
	ieee_wr_len_end(w, proto);
	ieee_wr_len_end(w, list);
	ieee_wr_len_end(w, apdu);
}

void ieee_aare_encode(struct ieee_wr *w, uint16_t result, const struct ieee_assoc_info *info)
{
	size_t apdu, proto;

	ieee_wr_u16(w, IEEE_APDU_AARE);
	apdu = ieee_wr_len_begin(w);
	ieee_wr_u16(w, result);
	ieee_wr_u16(w, IEEE_DATA_PROTO_20601);
	proto = ieee_wr_len_begin(w);
	assoc_info_write(w, info);
	ieee_wr_len_end(w, proto);
	ieee_wr_len_end(w, apdu);
}

static void reason_apdu(struct ieee_wr *w, uint16_t type, uint16_t reason)
{
	ieee_wr_u16(w, type);
	ieee_wr_u16(w, 2);
	ieee_wr_u16(w, reason);
}

void ieee_rlrq_encode(struct ieee_wr *w, uint16_t reason)
{
	reason_apdu(w, IEEE_APDU_RLRQ, reason);
}

void ieee_rlre_encode(struct ieee_wr *w, uint16_t reason)
{
	reason_apdu(w, IEEE_APDU_RLRE, reason);
}

void ieee_abrt_encode(struct ieee_wr *w, uint16_t reason)
{
	reason_apdu(w, IEEE_APDU_ABRT, reason);
}

void ieee_prst_begin(struct ieee_wr *w, struct ieee_prst_mark *m, uint16_t invoke_id,
                     uint16_t choice)
{
	ieee_wr_u16(w, IEEE_APDU_PRST);
	m->apdu = ieee_wr_len_begin(w);
	m->octets = ieee_wr_len_begin(w);
	ieee_wr_u16(w, invoke_id);
	ieee_wr_u16(w, choice);
	m->choice = ieee_wr_len_begin(w);
}

void ieee_prst_end(struct ieee_wr *w, const struct ieee_prst_mark *m)
{
	ieee_wr_len_end(w, m->choice);
	ieee_wr_len_end(w, m->octets);
	ieee_wr_len_end(w, m->apdu);
}

void ieee_event_report_encode(struct ieee_wr *w, uint16_t invoke_id, int confirmed,
                              uint16_t obj_handle, uint32_t event_time, uint16_t event_type,
                              const uint8_t *info, size_t info_len)
{
	struct ieee_prst_mark m;

	ieee_prst_begin(w, &m, invoke_id,
	                confirmed ? IEEE_ROIV_CONF_EVENT_REPORT : IEEE_ROIV_EVENT_REPORT);
	ieee_wr_u16(w, obj_handle);
	ieee_wr_u32(w, event_time);
	ieee_wr_u16(w, event_type);
	ieee_wr_u16(w, (uint16_t)info_len);
	if (info_len > 0xFFFF)
		w->err = IEEE_E_NOSPACE;
	ieee_wr_bytes(w, info, info_len);
	ieee_prst_end(w, &m);
}

void ieee_event_report_rsp_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t obj_handle,
                                  uint32_t current_time, uint16_t event_type,
                                  const uint8_t *reply, size_t reply_len)
{
	struct ieee_prst_mark m;

	ieee_prst_begin(w, &m, invoke_id, IEEE_RORS_CONF_EVENT_REPORT);
	ieee_wr_u16(w, obj_handle);
	ieee_wr_u32(w, current_time);
	ieee_wr_u16(w, event_type);
	ieee_wr_u16(w, (uint16_t)reply_len);
	ieee_wr_bytes(w, reply, reply_len);
	ieee_prst_end(w, &m);
}

void ieee_config_rsp_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t report_id,
                            uint16_t result)
{
	uint8_t rsp[4] = {(uint8_t)(report_id >> 8), (uint8_t)report_id, (uint8_t)(result >> 8),
	                  (uint8_t)result};

	ieee_event_report_rsp_encode(w, invoke_id, 0, 0, IEEE_NOTI_CONFIG, rsp, sizeof rsp);
}

void ieee_get_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t obj_handle,
                     const uint16_t *ids, size_t n)
{
	struct ieee_prst_mark m;
	size_t list;

	ieee_prst_begin(w, &m, invoke_id, IEEE_ROIV_GET);
	ieee_wr_u16(w, obj_handle);
	ieee_wr_u16(w, (uint16_t)n);
	list = ieee_wr_len_begin(w);
	for (size_t k = 0; k < n; k++)
		ieee_wr_u16(w, ids[k]);
	ieee_wr_len_end(w, list);
	ieee_prst_end(w, &m);
}

void ieee_get_rsp_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t obj_handle,
                         const struct ieee_ava *a, size_t n)
{
	struct ieee_prst_mark m;
	size_t list;

	ieee_prst_begin(w, &m, invoke_id, IEEE_RORS_GET);
	ieee_wr_u16(w, obj_handle);
	ieee_wr_u16(w, (uint16_t)n);
	list = ieee_wr_len_begin(w);
	for (size_t k = 0; k < n; k++) {
		ieee_wr_u16(w, a[k].id);
		ieee_wr_u16(w, a[k].len);
		ieee_wr_bytes(w, a[k].val, a[k].len);
	}
	ieee_wr_len_end(w, list);
	ieee_prst_end(w, &m);
}

static void action_body(struct ieee_wr *w, uint16_t obj_handle, uint16_t action_type,
                        const uint8_t *info, size_t info_len)
{
	ieee_wr_u16(w, obj_handle);
	ieee_wr_u16(w, action_type);
	ieee_wr_u16(w, (uint16_t)info_len);
	ieee_wr_bytes(w, info, info_len);
}

void ieee_action_encode(struct ieee_wr *w, uint16_t invoke_id, int confirmed,
                        uint16_t obj_handle, uint16_t action_type, const uint8_t *info,
                        size_t info_len)
{
	struct ieee_prst_mark m;

	ieee_prst_begin(w, &m, invoke_id, confirmed ? IEEE_ROIV_CONF_ACTION : IEEE_ROIV_ACTION);
	action_body(w, obj_handle, action_type, info, info_len);
	ieee_prst_end(w, &m);
}

void ieee_action_rsp_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t obj_handle,
                            uint16_t action_type, const uint8_t *info, size_t info_len)
{
	struct ieee_prst_mark m;

	ieee_prst_begin(w, &m, invoke_id, IEEE_RORS_CONF_ACTION);
	action_body(w, obj_handle, action_type, info, info_len);
	ieee_prst_end(w, &m);
}

void ieee_set_time_encode(struct ieee_wr *w, uint16_t invoke_id, int64_t wall_ms)
{
	uint8_t info[12] = {0};

	ieee_abstime_encode(wall_ms, info); /* date-time; accuracy FLOAT 0 follows */
	ieee_action_encode(w, invoke_id, 1, 0, IEEE_ACT_SET_TIME, info, sizeof info);
}

void ieee_roer_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t error_value)
{
	struct ieee_prst_mark m;

	ieee_prst_begin(w, &m, invoke_id, IEEE_ROER);
	ieee_wr_u16(w, error_value);
	ieee_wr_u16(w, 0);
	ieee_prst_end(w, &m);
}

void ieee_rorj_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t problem)
{
	struct ieee_prst_mark m;

	ieee_prst_begin(w, &m, invoke_id, IEEE_RORJ);
	ieee_wr_u16(w, problem);
	ieee_prst_end(w, &m);
}
