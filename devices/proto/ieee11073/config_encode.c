/* config_encode.c — encodes a configuration as the event-info of an
 * MDC_NOTI_CONFIG report (ConfigReport, IEEE 11073-20601 clause 8.9.2), as an agent
 * with an extended configuration sends it; the simulated agent uses it. The
 * attribute order follows the Annex H.2.2.1 example (type, metric-spec-small,
 * [physio list], unit, value map). */
#include "devices/proto/ieee11073/config.h"
#include "devices/proto/ieee11073/config_encode.h"
#include "devices/proto/ieee11073/nomenclature.h"

static void ava_u16(struct ieee_wr *w, uint16_t id, uint16_t v)
{
	ieee_wr_u16(w, id);
	ieee_wr_u16(w, 2);
	ieee_wr_u16(w, v);
}

void ieee_config_report_encode(struct ieee_wr *w, const struct ieee_config *c)
{
	size_t objs, attrs, m;

	ieee_wr_u16(w, c->dev_config_id);
	ieee_wr_u16(w, c->n_objs);
	objs = ieee_wr_len_begin(w);
	for (unsigned k = 0; k < c->n_objs; k++) {
		const struct ieee_cfg_obj *o = &c->objs[k];
		ieee_wr_u16(w, o->obj_class);
		ieee_wr_u16(w, o->handle);
		ieee_wr_u16(w, (uint16_t)(4 + (o->n_physio ? 1 : 0)));
		attrs = ieee_wr_len_begin(w);
		ieee_wr_u16(w, IEEE_ATTR_ID_TYPE);
		ieee_wr_u16(w, 4);
		ieee_wr_u16(w, o->type_part);
		ieee_wr_u16(w, o->type_code);
		ava_u16(w, IEEE_ATTR_METRIC_SPEC_SMALL, o->metric_spec_small);
		if (o->n_physio) {
			ieee_wr_u16(w, IEEE_ATTR_ID_PHYSIO_LIST);
			m = ieee_wr_len_begin(w);
			ieee_wr_u16(w, o->n_physio);
			ieee_wr_u16(w, (uint16_t)(2 * o->n_physio));
			for (unsigned p = 0; p < o->n_physio; p++)
				ieee_wr_u16(w, o->physio[p]);
			ieee_wr_len_end(w, m);
		}
		ava_u16(w, IEEE_ATTR_UNIT_CODE, o->unit);
		ieee_wr_u16(w, IEEE_ATTR_ATTRIBUTE_VAL_MAP);
		m = ieee_wr_len_begin(w);
		ieee_wr_u16(w, o->n_valmap);
		ieee_wr_u16(w, (uint16_t)(4 * o->n_valmap));
		for (unsigned v = 0; v < o->n_valmap; v++) {
			ieee_wr_u16(w, o->valmap[v].attr_id);
			ieee_wr_u16(w, o->valmap[v].len);
		}
		ieee_wr_len_end(w, m);
		ieee_wr_len_end(w, attrs);
	}
	ieee_wr_len_end(w, objs);
}
