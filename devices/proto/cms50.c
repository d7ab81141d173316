/* cms50.c — Contec CMS50D+ serial protocol decoder and command encoder.
 * Source: Contec "Communication Protocol of Pulse Oximeter V7.0" (2010), PDF in
 * albertcbraun/CMS50FW (commit 60cfff1); framing and field layout as summarised in
 * PROTOCOLS.md 1.2 and checked against the real CMS50D+ fw 4.6 captures in
 * tests/devices/cms50/ (headrotor/contec_data, MarkMLl/Contec_cms50dplus). */
#include "devices/proto/cms50.h"

#include <string.h>

#include "cabin/mdc.h"

/* Length of a packet of TYPE, or 0 when the type is not one Cabin knows. */
static size_t type_len(uint8_t type)
{
	switch (type) {
	case CMS50_TYPE_REALTIME: return 9;
	case CMS50_TYPE_STORAGE: return 8;
	case CMS50_TYPE_COMMAND: return 9;
	default: return 0;
	}
}

const char *cms50_res_text(enum cms50_res r)
{
	switch (r) {
	case CMS50_NEED_MORE: return "need more bytes";
	case CMS50_PACKET: return "packet";
	case CMS50_ERR_TRUNCATED: return "truncated packet (a type byte came before its end)";
	case CMS50_ERR_GARBAGE: return "garbage bytes outside a packet (bit 7 set, no type byte)";
	}
	return "unknown";
}

int cms50_packet_decode(const uint8_t *raw, size_t len, struct cms50_packet *pkt)
{
	memset(pkt, 0, sizeof *pkt);
	if (len < 2 || len > CMS50_MAX_PACKET || (raw[0] & 0x80) || !(raw[1] & 0x80))
		return -1;
	size_t want = type_len(raw[0]);
	if (want && want != len)
		return -1;
	pkt->type = raw[0];
	pkt->len = (uint8_t)len;
	memcpy(pkt->raw, raw, len);
	/* V7.0: byte 1 is the "high byte"; its bit k is bit 7 of byte k + 2. */
	for (size_t i = 2; i < len; i++) {
		if (!(raw[i] & 0x80))
			return -1;
		pkt->data[i - 2] = (uint8_t)((raw[i] & 0x7F) | (((raw[1] >> (i - 2)) & 1u) << 7));
	}
	const uint8_t *d = pkt->data;
	if (pkt->type == CMS50_TYPE_REALTIME) {
		struct cms50_realtime *rt = &pkt->u.rt;
		rt->signal = d[0] & 0x0F;
		rt->searching_too_long = (d[0] >> 4) & 1;
		rt->low_spo2 = (d[0] >> 5) & 1;
		rt->beep = (d[0] >> 6) & 1;
		rt->probe_error = (d[0] >> 7) & 1;
		rt->pleth = d[1] & 0x7F;
		rt->searching = (d[1] >> 7) & 1;
		rt->bargraph = d[2] & 0x0F;
		rt->pi_invalid = (d[2] >> 4) & 1;
		rt->pulse_rate = d[3] == 0xFF ? -1 : d[3];
		rt->spo2 = d[4] == 0x7F ? -1 : d[4];
		unsigned pi = (unsigned)d[5] | (unsigned)d[6] << 8;
		rt->pi_x100 = (pi == 0xFFFF || rt->pi_invalid) ? -1 : (int)pi;
	} else if (pkt->type == CMS50_TYPE_STORAGE) {
		for (int k = 0; k < 3; k++) {
			/* 0x7F / 0xFF are the protocol's invalid markers; 0 is the padding of an
			 * unfilled storage slot (no oximeter stores 0 % SpO2 or 0 /min as a
			 * measurement): both are no value, never a number */
			pkt->u.st.spo2[k] = d[2 * k] == 0x7F || d[2 * k] == 0 ? -1 : d[2 * k];
			pkt->u.st.pulse_rate[k] = d[2 * k + 1] == 0xFF || d[2 * k + 1] == 0 ? -1 : d[2 * k + 1];
		}
	} else if (pkt->type == CMS50_TYPE_COMMAND) {
		pkt->u.cmd = d[0];
	}
	return 0;
}

enum cms50_res cms50_parse_next(struct cms50_parser *p, const uint8_t *in, size_t len,
                                size_t *used, struct cms50_packet *pkt)
{
	size_t i = 0;
	int garbage = 0;
	for (; i < len; i++) {
		uint8_t b = in[i];
		if (!(b & 0x80)) { /* a type byte: a packet starts here */
			if (garbage) {
				*used = i;
				return CMS50_ERR_GARBAGE;
			}
			if (p->n > 0) {
				size_t want = type_len(p->buf[0]);
				p->n = 0;
				if (want) {
					p->truncated++;
					*used = i;
					return CMS50_ERR_TRUNCATED;
				}
				p->unknown++;
			}
			p->buf[p->n++] = b;
			continue;
		}
		if (p->n == 0) { /* bit 7 set outside a packet: resynchronise */
			p->skipped++;
			garbage = 1;
			continue;
		}
		p->buf[p->n++] = b;
		size_t want = type_len(p->buf[0]);
		if (want && p->n == want) {
			size_t n = p->n;
			p->n = 0;
			*used = i + 1;
			if (cms50_packet_decode(p->buf, n, pkt) < 0)
				return CMS50_ERR_GARBAGE; /* unreachable: the parser checked bit 7 */
			return CMS50_PACKET;
		}
		if (!want && p->n == CMS50_MAX_PACKET) {
			p->unknown++;
			p->n = 0;
		}
	}
	*used = i;
	return garbage ? CMS50_ERR_GARBAGE : CMS50_NEED_MORE;
}

void cms50_encode_cmd(uint8_t cmd, uint8_t out[9])
{
	uint8_t data[7] = {cmd, 0, 0, 0, 0, 0, 0};
	out[0] = CMS50_TYPE_COMMAND;
	out[1] = 0x80;
	for (int i = 0; i < 7; i++) {
		if (data[i] & 0x80)
			out[1] |= (uint8_t)(1u << i);
		out[2 + i] = (uint8_t)(data[i] | 0x80);
	}
}

/* A reading with no value: not a number, flagged invalid. */
static void set_invalid(struct cab_reading *r)
{
	r->value_kind = CAB_VALUE_NAN;
	r->value = 0;
	r->flags |= CAB_RF_INVALID;
}

static struct cab_reading reading(uint32_t term, const char *ucum, uint32_t flags)
{
	struct cab_reading r;
	memset(&r, 0, sizeof r);
	r.mdc = MDC_FULL(MDC_PART_SCADA, term);
	r.value_kind = CAB_VALUE_NUMBER;
	r.device_time_ms = INT64_MIN;
	r.person_id = 0xFFFF;
	r.flags = flags;
	strcpy(r.ucum, ucum);
	return r;
}

int cms50_realtime_readings(const struct cms50_realtime *rt, struct cab_reading *out)
{
	uint32_t flags = 0;
	if (rt->probe_error)
		flags |= CAB_RF_NO_FINGER;
	if (rt->signal < 2 || rt->searching_too_long)
		flags |= CAB_RF_SIGNAL_WEAK;
	if (rt->searching)
		flags |= CAB_RF_ONGOING;

	out[0] = reading(MDC_PULS_OXIM_SAT_O2, "%", flags);
	if (rt->spo2 < 0 || rt->probe_error)
		set_invalid(&out[0]);
	else
		out[0].value = rt->spo2;

	out[1] = reading(MDC_PULS_OXIM_PULS_RATE, "/min", flags);
	if (rt->pulse_rate < 0 || rt->probe_error)
		set_invalid(&out[1]);
	else
		out[1].value = rt->pulse_rate;

	out[2] = reading(MDC_PULS_OXIM_PERF_REL, "%", flags);
	if (rt->pi_x100 < 0 || rt->probe_error)
		set_invalid(&out[2]);
	else
		out[2].value = rt->pi_x100 / 100.0;

	out[3] = reading(MDC_PULS_OXIM_PLETH, "1", flags);
	out[3].value = rt->pleth;
	return 4;
}

int cms50_storage_readings(const struct cms50_storage *st, struct cab_reading *out)
{
	for (int k = 0; k < 3; k++) {
		out[2 * k] = reading(MDC_PULS_OXIM_SAT_O2, "%", CAB_RF_STORED);
		if (st->spo2[k] < 0)
			set_invalid(&out[2 * k]);
		else
			out[2 * k].value = st->spo2[k];
		out[2 * k + 1] = reading(MDC_PULS_OXIM_PULS_RATE, "/min", CAB_RF_STORED);
		if (st->pulse_rate[k] < 0)
			set_invalid(&out[2 * k + 1]);
		else
			out[2 * k + 1].value = st->pulse_rate[k];
	}
	return 6;
}
