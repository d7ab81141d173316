/* cms50.c — driver for the Contec CMS50D+ family pulse oximeters on their CP210x
 * USB-serial cable (115200 8N1). Protocol: Contec "Communication Protocol of Pulse
 * Oximeter V7.0" (albertcbraun/CMS50FW), decoded by devices/proto/cms50.c.
 * Conversation: start real-time (A1), keep-alive (AF) every 5 s, live SpO2/PR each
 * second flagged ongoing, pleth as a waveform, a spot reading on request, stop
 * real-time (A2) on close. The device keeps no session: nothing is ever erased. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabin/mdc.h"
#include "common/clock.h"
#include "common/log.h"
#include "devices/internal/driver.h"
#include "devices/internal/transports.h"
#include "devices/proto/cms50.h"

#define READ_TIMEOUT_MS 200
#define SILENCE_MS 3000      /* no packet for this long: restart real-time */
#define WAVE_BATCH 15        /* pleth samples per waveform callback (0.25 s at 60 Hz) */
#define LIVE_EVERY 60        /* a live SpO2/PR reading every 60 packets (1 s) */

struct cms50_priv {
	struct cms50_parser parser;
	float wave[WAVE_BATCH];
	size_t nwave;
	unsigned packets;
	int64_t last_keepalive, last_packet;
	int protocol_errors;
	int gone;              /* the transport reported CDI_T_GONE: never write again */
	int64_t st_since;      /* a self-test runs since (mono ms), 0 none */
	unsigned st_packets;   /* packets counted when it began */
	int st_errors;         /* protocol errors counted when it began */
};

#define SELFTEST_PACKETS 90 /* 1.5 s of real-time data at 60 Hz */
#define SELFTEST_MS 3000

/* Self-test: start real-time again (A1) and count well-formed packets (sync bits
 * and checksum checked by the parser): pass at SELFTEST_PACKETS with no protocol
 * error in between, fail after SELFTEST_MS or on an error. */
static void selftest_step(struct cdi_device *dev, struct cms50_priv *p, int64_t now)
{
	char detail[96];
	unsigned got = p->packets - p->st_packets;
	int errors = p->protocol_errors - p->st_errors;
	if (!p->st_since || (got < SELFTEST_PACKETS && !errors && now - p->st_since < SELFTEST_MS))
		return;
	snprintf(detail, sizeof detail, "%u real-time packets in %lld ms, %d framing error(s)", got,
	         (long long)(now - p->st_since), errors);
	cdi_selftest_done(dev, got >= SELFTEST_PACKETS && !errors, detail);
	p->st_since = 0;
}

static int send_cmd(struct cdi_device *dev, uint8_t cmd)
{
	struct cms50_priv *p = dev->priv;
	uint8_t pkt[9];
	if (p && p->gone)
		return CDI_T_GONE;
	cms50_encode_cmd(cmd, pkt);
	int r = dev->transport->ops->write(dev->transport, pkt, sizeof pkt, 500);
	if (r == CDI_T_GONE && p)
		p->gone = 1;
	return r < 0 ? r : 0;
}

static int cms50_open(struct cdi_device *dev)
{
	struct cms50_priv *p = calloc(1, sizeof *p);
	if (!p)
		return CDI_T_IO;
	dev->priv = p;
	dev->id.kind = CAB_KIND_PULSE_OXIMETER;
	snprintf(dev->id.driver, sizeof dev->id.driver, "cms50");
	snprintf(dev->id.manufacturer, sizeof dev->id.manufacturer, "Contec");
	snprintf(dev->id.model, sizeof dev->id.model, "CMS50D+");
	if (dev->cand.transport) {
		dev->transport = dev->cand.transport;
		dev->cand.transport = NULL;
	} else {
		const struct cdi_tty_config cfg = {.baud = 115200, .parity = CDI_PARITY_NONE, .stop_bits = 1};
		int r = cdi_tty_open(dev->cand.devnode, &cfg, &dev->transport);
		if (r < 0)
			return r;
	}
	int r = send_cmd(dev, CMS50_CMD_START_REALTIME);
	if (r < 0)
		return r;
	p->last_keepalive = p->last_packet = cab_mono_ms();
	cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NONE, "real-time requested");
	return 0;
}

/* Handles one real-time packet: waveform, state, live and requested readings. */
static void on_realtime(struct cdi_device *dev, struct cms50_priv *p, const struct cms50_realtime *rt)
{
	struct cab_reading r[4];
	cms50_realtime_readings(rt, r);
	p->wave[p->nwave++] = rt->pleth;
	if (p->nwave == WAVE_BATCH) {
		cdi_emit_wave(dev, MDC_FULL(MDC_PART_SCADA, MDC_PULS_OXIM_PLETH), p->wave, p->nwave, 60.0);
		p->nwave = 0;
	}
	if (rt->probe_error) {
		cdi_emit_state(dev, CAB_DEV_IDLE, CAB_INC_NO_FINGER, "probe error: no finger");
		return;
	}
	int valid = !(r[0].flags & CAB_RF_INVALID) && !(r[1].flags & CAB_RF_INVALID) &&
	            !rt->searching;
	if (r[0].flags & CAB_RF_SIGNAL_WEAK)
		cdi_emit_state(dev, CAB_DEV_MEASURING, CAB_INC_SIGNAL_WEAK, "signal weak");
	else
		cdi_emit_state(dev, CAB_DEV_MEASURING, CAB_INC_NONE, NULL);
	if (!valid)
		return;
	if (cdi_measure_pending(dev) && cdi_take_measure_request(dev)) {
		for (int i = 0; i < 3; i++) {
			if (i == 2 && (r[2].flags & CAB_RF_INVALID))
				continue; /* PI is optional on this family */
			cdi_emit_reading(dev, &r[i]);
		}
		return;
	}
	if (p->packets % LIVE_EVERY == 0) {
		for (int i = 0; i < 2; i++) {
			r[i].flags |= CAB_RF_ONGOING;
			cdi_emit_reading(dev, &r[i]);
		}
	}
}

static int cms50_run(struct cdi_device *dev)
{
	struct cms50_priv *p = dev->priv;
	uint8_t buf[256];
	while (!cdi_stopping(dev)) {
		int64_t now = cab_mono_ms();
		if (cdi_take_selftest_request(dev)) {
			p->st_since = now;
			p->st_packets = p->packets;
			p->st_errors = p->protocol_errors;
			int r = send_cmd(dev, CMS50_CMD_START_REALTIME);
			if (r == CDI_T_GONE)
				return r;
		}
		selftest_step(dev, p, now);
		if (now - p->last_keepalive >= CMS50_KEEPALIVE_S * 1000) {
			int r = send_cmd(dev, CMS50_CMD_KEEP_ALIVE);
			if (r == CDI_T_GONE)
				return r;
			p->last_keepalive = now;
		}
		if (now - p->last_packet >= SILENCE_MS) {
			cdi_emit_state(dev, CAB_DEV_ERROR, CAB_INC_TIMEOUT, "no data: real-time restarted");
			int r = send_cmd(dev, CMS50_CMD_START_REALTIME);
			if (r == CDI_T_GONE)
				return r;
			p->last_packet = now;
		}
		int n = dev->transport->ops->read(dev->transport, buf, sizeof buf, READ_TIMEOUT_MS);
		if (n == CDI_T_TIMEOUT)
			continue;
		if (n == CDI_T_GONE)
			p->gone = 1;
		if (n < 0)
			return n;
		size_t off = 0;
		while (off < (size_t)n) {
			struct cms50_packet pkt;
			size_t used = 0;
			enum cms50_res res = cms50_parse_next(&p->parser, buf + off, (size_t)n - off, &used, &pkt);
			off += used;
			if (res == CMS50_NEED_MORE)
				break;
			if (res < 0) {
				if (p->protocol_errors++ == 0)
					cab_warn("cms50", "%s: %s (resynchronising)", dev->cand.devnode, cms50_res_text(res));
				cdi_emit_state(dev, dev->state == CAB_DEV_READY ? CAB_DEV_READY : dev->state,
				               CAB_INC_PROTOCOL, cms50_res_text(res));
				continue;
			}
			if (pkt.type != CMS50_TYPE_REALTIME)
				continue;
			p->last_packet = cab_mono_ms();
			p->packets++;
			on_realtime(dev, p, &pkt.u.rt);
		}
	}
	return 0;
}

static void cms50_close(struct cdi_device *dev)
{
	if (dev->transport) {
		if (!cdi_device_gone(dev))
			send_cmd(dev, CMS50_CMD_STOP_REALTIME); /* not after CDI_T_GONE (send_cmd checks) */
		dev->transport->ops->close(dev->transport);
		dev->transport = NULL;
	}
	if (dev->cand.transport) {
		dev->cand.transport->ops->close(dev->cand.transport);
		dev->cand.transport = NULL;
	}
	free(dev->priv);
	dev->priv = NULL;
}

/* CP210x default ids on the CMS50D+ cable (usb_ids.json: PID unverified; the same
 * ids are used by other CP210x cables, which this driver would then try). */
static const struct cdi_match cms50_match[] = {
	{.bus = CDI_BUS_TTY, .vid = 0x10c4, .pid = 0xea60, .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY},
	{.bus = CDI_BUS_SIM, .sim = "cms50", .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY},
	{0},
};

extern const struct cdi_simulator cdi_sim_cms50;
static const struct cdi_simulator *const cms50_sims[] = {&cdi_sim_cms50, NULL};

const struct cdi_driver cdi_driver_cms50 = {
	.name = "cms50",
	.full_name = "Contec CMS50D+ pulse oximeter (USB-serial)",
	.kind = CAB_KIND_PULSE_OXIMETER,
	.match = cms50_match,
	.open = cms50_open,
	.run = cms50_run,
	.close = cms50_close,
	.simulators = cms50_sims,
};
