/* ieee11073_agent.c — the simulated IEEE 11073-20601 agent (see ieee11073_agent.h).
 * Its APDUs follow the Annex H examples: AARQ H.2.1.1, config report H.2.2.1,
 * Get MDS response H.2.3.3, fixed scan report H.2.4.1 (confirmed, data-req-id
 * 0xF000, event-time 0xFFFFFFFF). */
#include "devices/sim/ieee11073_agent.h"

#include <string.h>

#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/config_encode.h"
#include "devices/proto/ieee11073/nomenclature.h"
#include "devices/proto/ieee11073/numeric.h"

static const struct {
	enum cab_device_kind kind;
	uint16_t config_id, profile;
	const char *model;
} kinds[] = {
	{CAB_KIND_THERMOMETER, 0x0320, IEEE_DEV_SPEC_TEMP, "SIM-THERMO"},
	{CAB_KIND_BLOOD_PRESSURE, 0x02BC, IEEE_DEV_SPEC_BP, "SIM-BP"},
	{CAB_KIND_PULSE_OXIMETER, 0x0190, IEEE_DEV_SPEC_PULS_OXIM, "SIM-SPO2"},
	{CAB_KIND_SCALE, 0x05DC, IEEE_DEV_SPEC_SCALE, "SIM-SCALE"},
	{CAB_KIND_GLUCOMETER, 0x06A4, IEEE_DEV_SPEC_GLUCOSE, "SIM-GLUCO"},
};

static int kind_index(enum cab_device_kind kind)
{
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (kinds[k].kind == kind)
			return (int)k;
	return -1;
}

int cab_sim11073_init(struct cab_sim11073 *a, enum cab_device_kind kind)
{
	int k = kind_index(kind);

	memset(a, 0, sizeof *a);
	if (k < 0)
		return -1;
	a->kind = kind;
	a->cfg = *ieee_std_config(kinds[k].config_id);
	a->confirmed = 1;
	a->set_time_supported = 1;
	memcpy(a->system_id, "\xCA\xB1\x00\x00\x00\x00\x00", 8);
	a->system_id[7] = (uint8_t)(k + 1);
	a->invoke = 0x0100;
	a->assoc_result = -1;
	a->config_result = -1;
	return 0;
}

static uint16_t config_id(const struct cab_sim11073 *a)
{
	return a->extended ? 0x4000 : a->cfg.dev_config_id;
}

static size_t done(struct ieee_wr *w)
{
	return w->err ? 0 : w->pos;
}

size_t cab_sim11073_aarq(struct cab_sim11073 *a, uint8_t *buf, size_t cap)
{
	struct ieee_assoc_info i = {0};
	struct ieee_wr w;

	i.protocol_version = IEEE_PROTOCOL_VERSION1;
	i.encoding_rules = IEEE_ENC_MDER;
	i.nomenclature_version = IEEE_NOM_VERSION1;
	i.system_type = IEEE_SYS_TYPE_AGENT;
	memcpy(i.system_id, a->system_id, 8);
	i.system_id_len = 8;
	i.dev_config_id = config_id(a);
	i.data_req_mode_flags = IEEE_DATA_REQ_SUPP_INIT_AGENT;
	i.data_req_init_agent_count = 1;
	ieee_wr_init(&w, buf, cap);
	ieee_aarq_encode(&w, &i);
	return done(&w);
}

size_t cab_sim11073_config_report(struct cab_sim11073 *a, uint8_t *buf, size_t cap)
{
	uint8_t info[512];
	struct ieee_config c = a->cfg;
	struct ieee_wr w, iw;

	c.dev_config_id = config_id(a);
	ieee_wr_init(&iw, info, sizeof info);
	ieee_config_report_encode(&iw, &c);
	if (iw.err)
		return 0;
	ieee_wr_init(&w, buf, cap);
	ieee_event_report_encode(&w, a->invoke++, 1, 0, 0xFFFFFFFFu, IEEE_NOTI_CONFIG, info, iw.pos);
	return done(&w);
}

size_t cab_sim11073_value_count(const struct cab_sim11073 *a)
{
	size_t n = 0;

	for (unsigned k = 0; k < a->cfg.n_objs; k++)
		for (unsigned v = 0; v < a->cfg.objs[k].n_valmap; v++)
			switch (a->cfg.objs[k].valmap[v].attr_id) {
			case IEEE_ATTR_NU_VAL_OBS_BASIC: case IEEE_ATTR_NU_VAL_OBS_SIMP: n++; break;
			case IEEE_ATTR_NU_CMPD_VAL_OBS_BASIC: n += a->cfg.objs[k].n_physio; break;
			default: break;
			}
	return n;
}

size_t cab_sim11073_measurement(struct cab_sim11073 *a, const double *values, size_t n,
                                int64_t time_ms, uint8_t *buf, size_t cap)
{
	uint8_t info[256], t[8];
	struct ieee_wr w, iw;
	size_t used = 0, list;

	if (n != cab_sim11073_value_count(a))
		return 0;
	ieee_abstime_encode(time_ms, t);
	ieee_wr_init(&iw, info, sizeof info);
	ieee_wr_u16(&iw, IEEE_DATA_REQ_ID_AGENT_INIT);
	ieee_wr_u16(&iw, 0); /* scan-report-no */
	ieee_wr_u16(&iw, a->cfg.n_objs);
	list = ieee_wr_len_begin(&iw);
	for (unsigned k = 0; k < a->cfg.n_objs; k++) {
		const struct ieee_cfg_obj *o = &a->cfg.objs[k];
		size_t data;

		ieee_wr_u16(&iw, o->handle);
		data = ieee_wr_len_begin(&iw);
		for (unsigned v = 0; v < o->n_valmap; v++) {
			switch (o->valmap[v].attr_id) {
			case IEEE_ATTR_NU_VAL_OBS_BASIC:
				ieee_wr_u16(&iw, ieee_sfloat_from_double(values[used++], 1));
				break;
			case IEEE_ATTR_NU_VAL_OBS_SIMP:
				ieee_wr_u32(&iw, ieee_float_from_double(values[used++], 2));
				break;
			case IEEE_ATTR_NU_CMPD_VAL_OBS_BASIC:
				ieee_wr_u16(&iw, o->n_physio);
				ieee_wr_u16(&iw, (uint16_t)(2 * o->n_physio));
				for (unsigned p = 0; p < o->n_physio; p++)
					ieee_wr_u16(&iw, ieee_sfloat_from_double(values[used++], 1));
				break;
			case IEEE_ATTR_TIME_STAMP_ABS:
				ieee_wr_bytes(&iw, t, 8);
				break;
			default:
				for (unsigned b = 0; b < o->valmap[v].len; b++)
					ieee_wr_u8(&iw, 0);
				break;
			}
		}
		ieee_wr_len_end(&iw, data);
	}
	ieee_wr_len_end(&iw, list);
	if (iw.err)
		return 0;
	ieee_wr_init(&w, buf, cap);
	ieee_event_report_encode(&w, a->invoke++, a->confirmed, 0, 0xFFFFFFFFu,
	                         IEEE_NOTI_SCAN_REPORT_FIXED, info, iw.pos);
	return done(&w);
}

size_t cab_sim11073_rlrq(struct cab_sim11073 *a, uint8_t *buf, size_t cap)
{
	struct ieee_wr w;

	(void)a;
	ieee_wr_init(&w, buf, cap);
	ieee_rlrq_encode(&w, IEEE_RELEASE_NORMAL);
	return done(&w);
}

size_t cab_sim11073_abrt(struct cab_sim11073 *a, uint16_t reason, uint8_t *buf, size_t cap)
{
	struct ieee_wr w;

	(void)a;
	ieee_wr_init(&w, buf, cap);
	ieee_abrt_encode(&w, reason);
	return done(&w);
}

/* The MDS attributes (Annex H.2.3.3 layout). */
static size_t get_mds_rsp(struct cab_sim11073 *a, uint16_t invoke, uint8_t *reply, size_t cap)
{
	int k = kind_index(a->kind);
	uint8_t model[64], spec[8], prod[40], tinfo[16], now[8], cfgid[2], sysid[10];
	struct ieee_wr m, p, t;
	struct ieee_ava av[7];
	struct ieee_wr w;

	ieee_wr_init(&m, model, sizeof model);
	ieee_wr_u16(&m, 5);
	ieee_wr_bytes(&m, (const uint8_t *)"Cabin", 5);
	ieee_wr_u16(&m, (uint16_t)strlen(kinds[k].model));
	ieee_wr_bytes(&m, (const uint8_t *)kinds[k].model, strlen(kinds[k].model));
	spec[0] = 0; spec[1] = 1; spec[2] = 0; spec[3] = 4;
	spec[4] = (uint8_t)(kinds[k].profile >> 8); spec[5] = (uint8_t)kinds[k].profile;
	spec[6] = 0; spec[7] = 1;
	ieee_wr_init(&p, prod, sizeof prod);
	ieee_wr_u16(&p, 2);
	ieee_wr_u16(&p, 6 + 8 + 6 + 3);
	ieee_wr_u16(&p, IEEE_PROD_SPEC_SERIAL);
	ieee_wr_u16(&p, 0);
	ieee_wr_u16(&p, 8);
	ieee_wr_bytes(&p, (const uint8_t *)"SIM00001", 8);
	ieee_wr_u16(&p, IEEE_PROD_SPEC_FW_REVISION);
	ieee_wr_u16(&p, 0);
	ieee_wr_u16(&p, 3);
	ieee_wr_bytes(&p, (const uint8_t *)"1.0", 3);
	ieee_wr_init(&t, tinfo, sizeof tinfo);
	ieee_wr_u16(&t, (uint16_t)(IEEE_TIME_CAP_REAL_TIME_CLOCK |
	                           (a->set_time_supported ? IEEE_TIME_CAP_SET_CLOCK : 0)));
	ieee_wr_u16(&t, 0x1F00); /* time-sync-protocol MDC_TIME_SYNC_NONE */
	ieee_wr_u32(&t, 0xFFFFFFFFu);
	ieee_wr_u16(&t, 100);
	ieee_wr_u16(&t, 0);
	ieee_wr_u32(&t, 0);
	ieee_abstime_encode(a->clock_ms, now);
	cfgid[0] = (uint8_t)(config_id(a) >> 8);
	cfgid[1] = (uint8_t)config_id(a);
	sysid[0] = 0;
	sysid[1] = 8;
	memcpy(sysid + 2, a->system_id, 8);
	av[0] = (struct ieee_ava){IEEE_ATTR_SYS_TYPE_SPEC_LIST, 8, spec};
	av[1] = (struct ieee_ava){IEEE_ATTR_ID_MODEL, (uint16_t)m.pos, model};
	av[2] = (struct ieee_ava){IEEE_ATTR_SYS_ID, 10, sysid};
	av[3] = (struct ieee_ava){IEEE_ATTR_DEV_CONFIG_ID, 2, cfgid};
	av[4] = (struct ieee_ava){IEEE_ATTR_ID_PROD_SPECN, (uint16_t)p.pos, prod};
	av[5] = (struct ieee_ava){IEEE_ATTR_MDS_TIME_INFO, (uint16_t)t.pos, tinfo};
	av[6] = (struct ieee_ava){IEEE_ATTR_TIME_ABS, 8, now};
	ieee_wr_init(&w, reply, cap);
	ieee_get_rsp_encode(&w, invoke, 0, av, 7);
	return done(&w);
}

size_t cab_sim11073_receive(struct cab_sim11073 *a, const uint8_t *apdu, size_t len,
                            uint8_t *reply, size_t cap)
{
	struct ieee_apdu x;
	struct ieee_wr w;
	const struct ieee_data_apdu *d = &x.u.prst;

	if (ieee_apdu_parse(apdu, len, &x, NULL, NULL, 0))
		return 0;
	ieee_wr_init(&w, reply, cap);
	switch (x.type) {
	case IEEE_APDU_AARE:
		a->assoc_result = x.u.aare.result;
		return 0;
	case IEEE_APDU_RLRQ:
		a->released = 1;
		ieee_rlre_encode(&w, IEEE_RELEASE_NORMAL);
		return done(&w);
	case IEEE_APDU_RLRE:
		a->released = 1;
		return 0;
	case IEEE_APDU_ABRT:
		a->aborted = 1;
		return 0;
	case IEEE_APDU_PRST:
		break;
	default:
		return 0;
	}
	switch (d->choice) {
	case IEEE_RORS_CONF_EVENT_REPORT:
		if (d->u.event.event_type == IEEE_NOTI_CONFIG && d->u.event.info_len >= 4)
			a->config_result = d->u.event.info[2] << 8 | d->u.event.info[3];
		else
			a->reports_confirmed++;
		return 0;
	case IEEE_ROIV_GET:
		if (d->u.get.obj_handle == 0) {
			a->mds_answered++;
			return get_mds_rsp(a, d->invoke_id, reply, cap);
		}
		ieee_roer_encode(&w, d->invoke_id, 17); /* invalid-object-instance */
		return done(&w);
	case IEEE_ROIV_CONF_ACTION:
		if (d->u.action.action_type == IEEE_ACT_SET_TIME && a->set_time_supported &&
		    d->u.action.info_len >= 8 && !ieee_abstime_decode(d->u.action.info, &a->clock_ms)) {
			a->time_set++;
			ieee_action_rsp_encode(&w, d->invoke_id, 0, IEEE_ACT_SET_TIME, NULL, 0);
		} else {
			ieee_roer_encode(&w, d->invoke_id, IEEE_ROER_NO_SUCH_ACTION);
		}
		return done(&w);
	default:
		return 0;
	}
}
