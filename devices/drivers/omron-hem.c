/* omron-hem.c — driver for the Omron HEM-790IT family blood-pressure monitors
 * (USB HID 0590:0028). Protocol: libomron's notes and captures, reading layout per
 * libomron issue #25 (devices/proto/omron_hem.c). Conversation: mode select (device
 * info) + VER00 for the identity, mode select (daily data) + GDC for the record
 * count at session start (the baseline); then GDC every second: new records are
 * read newest first with GME and reported; END on close. Records are never erased
 * (the protocol's clear command is never sent). Records present when the session
 * began are reported only on request, flagged CAB_RF_STORED|CAB_RF_BEFORE_SESSION. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"
#include "devices/internal/driver.h"
#include "devices/internal/transports.h"
#include "devices/proto/omron_hem.h"

#define REPORT_TIMEOUT_MS 1000 /* per HID report of a reply */
#define POLL_MS 1000           /* GDC poll period (CABIN_OMRON_POLL_MS overrides, for tests) */
#define END_TIMEOUT_MS 300     /* the reply to END on close */
#define RETRIES 3              /* "NO" replies tolerated per command */
#define WAIT_NEW_MS 60000      /* a request waits this long for a new record
                                  (CABIN_OMRON_WAIT_MS overrides, for tests) */

struct omron_priv {
	int baseline;            /* records stored when the session began */
	int64_t session_seen;    /* dev->session_start_ms the baseline belongs to */
	int64_t last_poll;
	int64_t request_since;   /* mono ms of a pending request, 0 when none */
	int64_t wait_new_ms;     /* how long a request waits for a new record */
	int64_t poll_ms;         /* GDC poll period */
	int gone;                /* the transport reported CDI_T_GONE */
};

/* Writes one message as 8-byte output reports (hidraw wants the report id first). */
static int send_msg(struct cdi_device *dev, const uint8_t *msg, size_t len)
{
	uint8_t reps[OMRON_MSG_MAX / OMRON_REPORT_PAYLOAD + 1][8];
	size_t nr = omron_split_reports(msg, len, reps, sizeof reps / sizeof reps[0]);
	int hidraw = cdi_hidraw_is(dev->transport);
	for (size_t i = 0; i < nr; i++) {
		uint8_t out[9];
		size_t n = 8;
		if (hidraw) {
			out[0] = 0;
			memcpy(out + 1, reps[i], 8);
			n = 9;
		} else {
			memcpy(out, reps[i], 8);
		}
		int r = dev->transport->ops->write(dev->transport, out, n, REPORT_TIMEOUT_MS);
		if (r < 0) {
			if (r == CDI_T_GONE && dev->priv)
				((struct omron_priv *)dev->priv)->gone = 1;
			return r;
		}
	}
	return 0;
}

/* Reads reports until a whole reply (EXPECT bytes, or a short report when 0),
 * waiting at most TIMEOUT_MS per report. */
static int recv_msg(struct cdi_device *dev, struct omron_asm *a, size_t expect, int timeout_ms)
{
	memset(a, 0, sizeof *a);
	for (;;) {
		uint8_t rep[64];
		int n = dev->transport->ops->read(dev->transport, rep, sizeof rep, timeout_ms);
		if (n < 0) {
			if (n == CDI_T_GONE && dev->priv)
				((struct omron_priv *)dev->priv)->gone = 1;
			return n;
		}
		int r = omron_asm_add(a, rep, (size_t)n);
		if (r < 0)
			return CDI_T_OVERFLOW;
		if (expect && a->n > expect)
			return CDI_T_OVERFLOW;
		if (r == 1 || (expect && a->n == expect))
			return 0;
	}
}

/* One command and its reply; retries on "NO". *DATA points into A. Returns 0, a
 * negative transport error, or CDI_T_IO for a corrupt reply. */
static int command(struct cdi_device *dev, const uint8_t *cmd, size_t len, struct omron_asm *a,
                   const uint8_t **data, size_t *dlen)
{
	for (int attempt = 0; attempt < RETRIES; attempt++) {
		int r = send_msg(dev, cmd, len);
		if (r < 0)
			return r;
		r = recv_msg(dev, a, omron_reply_len(cmd), REPORT_TIMEOUT_MS);
		if (r < 0)
			return r;
		enum omron_reply rep = omron_reply_parse(a->buf, a->n, data, dlen);
		if (rep == OMRON_REPLY_OK || rep == OMRON_REPLY_OK_BARE)
			return 0;
		if (rep != OMRON_REPLY_NO) {
			cab_warn("omron", "corrupt reply to %.3s (%zu bytes)", (const char *)cmd, a->n);
			return CDI_T_IO;
		}
	}
	return CDI_T_TIMEOUT;
}

static int set_mode(struct cdi_device *dev, uint16_t mode)
{
	uint8_t f[3] = {0, 0, 0};
	omron_encode_mode(mode, f + 1);
	int r = cdi_transport_set_feature(dev->transport, f, sizeof f);
	if (r == CDI_T_GONE)
		((struct omron_priv *)dev->priv)->gone = 1;
	return r < 0 ? r : 0;
}

static int get_count(struct cdi_device *dev)
{
	uint8_t cmd[8];
	struct omron_asm a;
	const uint8_t *d;
	size_t dl;
	int r = command(dev, cmd, omron_cmd_gdc(0, cmd), &a, &d, &dl);
	if (r < 0)
		return r;
	int n = omron_gdc_count(d, dl);
	return n < 0 ? CDI_T_IO : n;
}

/* Reads record INDEX (0 = newest) and reports it with EXTRA flags. */
static int read_record(struct cdi_device *dev, uint16_t index, uint32_t extra)
{
	uint8_t cmd[8];
	struct omron_asm a;
	const uint8_t *d;
	size_t dl;
	struct omron_record rec;
	struct cab_reading rd[3];
	int r = command(dev, cmd, omron_cmd_gme(0, index, cmd), &a, &d, &dl);
	if (r < 0)
		return r;
	if (omron_record_parse(d, dl, &rec) < 0) {
		cdi_emit_state(dev, CAB_DEV_ERROR, CAB_INC_PROTOCOL, "invalid record");
		return CDI_T_IO;
	}
	omron_record_readings(&rec, CAB_RF_STORED | extra, rd);
	for (int i = 0; i < 3; i++)
		cdi_emit_reading(dev, &rd[i]);
	return 0;
}

static int omron_open(struct cdi_device *dev)
{
	struct omron_priv *p = calloc(1, sizeof *p);
	if (!p)
		return CDI_T_IO;
	dev->priv = p;
	const char *w = getenv("CABIN_OMRON_WAIT_MS");
	p->wait_new_ms = w && atoll(w) > 0 ? atoll(w) : WAIT_NEW_MS;
	const char *pm = getenv("CABIN_OMRON_POLL_MS");
	p->poll_ms = pm && atoll(pm) > 0 ? atoll(pm) : POLL_MS;
	dev->id.kind = CAB_KIND_BLOOD_PRESSURE;
	snprintf(dev->id.driver, sizeof dev->id.driver, "omron-hem");
	snprintf(dev->id.manufacturer, sizeof dev->id.manufacturer, "Omron");
	snprintf(dev->id.model, sizeof dev->id.model, "HEM-790IT");
	if (dev->cand.transport) {
		dev->transport = dev->cand.transport;
		dev->cand.transport = NULL;
	} else {
		uint16_t vid = 0, pid = 0;
		int r = cdi_hidraw_open(dev->cand.devnode, &vid, &pid, &dev->transport);
		if (r < 0)
			return r;
		if (!dev->id.vid) {
			dev->id.vid = vid;
			dev->id.pid = pid;
		}
	}
	uint8_t cmd[8];
	struct omron_asm a;
	const uint8_t *d;
	size_t dl;
	int r = set_mode(dev, OMRON_MODE_DEVICE_INFO);
	if (r == 0)
		r = command(dev, cmd, omron_cmd_ver(cmd), &a, &d, &dl);
	if (r < 0)
		return r;
	char v[48];
	if (omron_ver_string(d, dl, v, sizeof v) == 0) {
		char *sp = strchr(v, ' ');
		if (sp) {
			*sp = 0;
			snprintf(dev->id.firmware, sizeof dev->id.firmware, "%s", sp + 1);
		}
		snprintf(dev->id.model, sizeof dev->id.model, "%s", v);
	}
	if ((r = set_mode(dev, OMRON_MODE_DAILY)) < 0)
		return r;
	int n = get_count(dev);
	if (n < 0)
		return n;
	p->baseline = n;
	p->session_seen = dev->session_start_ms;
	p->last_poll = cab_mono_ms();
	cab_info("omron", "%s %s: %d stored record(s) before the session", dev->id.model,
	         dev->id.firmware, n);
	cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NONE, "connected");
	return 0;
}

/* Self-test: the identification exchange of the open (mode select device info,
 * VER00, model checked against the one identified), then back to daily data and
 * GDC. Returns 0 or the transport error that ended it (reported as a fail). */
static int omron_selftest(struct cdi_device *dev)
{
	uint8_t cmd[8];
	struct omron_asm a;
	const uint8_t *d;
	size_t dl;
	char v[48] = "", detail[96];
	int r = set_mode(dev, OMRON_MODE_DEVICE_INFO);
	if (r == 0)
		r = command(dev, cmd, omron_cmd_ver(cmd), &a, &d, &dl);
	if (r == 0 && omron_ver_string(d, dl, v, sizeof v) != 0)
		r = CDI_T_IO;
	int mode = r == 0 ? set_mode(dev, OMRON_MODE_DAILY) : 0;
	int n = r == 0 && mode == 0 ? get_count(dev) : r ? r : mode;
	if (n < 0) {
		snprintf(detail, sizeof detail, "VER00/GDC exchange failed (%s)",
		         n == CDI_T_TIMEOUT ? "no answer" : n == CDI_T_GONE ? "unplugged"
		                                            : "I/O or corrupt reply");
		cdi_selftest_done(dev, 0, detail);
		return n;
	}
	char *sp = strchr(v, ' ');
	if (sp)
		*sp = 0;
	int same = !strcmp(v, dev->id.model);
	snprintf(detail, sizeof detail, "VER00 answered %.24s%s, GDC %d record(s)", v,
	         same ? "" : " (model differs)", n);
	cdi_selftest_done(dev, same, detail);
	return 0;
}

static int omron_run(struct cdi_device *dev)
{
	struct omron_priv *p = dev->priv;
	while (!cdi_stopping(dev)) {
		int64_t now = cab_mono_ms();
		if (cdi_take_selftest_request(dev)) {
			int r = omron_selftest(dev);
			if (r == CDI_T_GONE)
				return r;
		}
		if (cdi_measure_pending(dev) && cdi_take_measure_request(dev) && !p->request_since) {
			p->request_since = now;
			cdi_emit_state(dev, CAB_DEV_MEASURING, CAB_INC_NONE, "waiting for the cuff measurement");
			p->last_poll = 0;
		}
		if (now - p->last_poll < p->poll_ms) {
			struct timespec ts = {0, (p->poll_ms < 50 ? p->poll_ms : 50) * 1000 * 1000};
			nanosleep(&ts, NULL);
			continue;
		}
		p->last_poll = now;
		int n = get_count(dev);
		if (n < 0)
			return n;
		if (dev->session_start_ms != p->session_seen) { /* a new session began */
			p->session_seen = dev->session_start_ms;
			p->baseline = n;
		}
		if (n > p->baseline) {
			cdi_emit_state(dev, CAB_DEV_MEASURING, CAB_INC_NONE, "reading new record");
			for (int i = n - p->baseline - 1; i >= 0; i--) { /* oldest new one first */
				int r = read_record(dev, (uint16_t)i, 0);
				if (r < 0)
					return r;
			}
			p->baseline = n;
			p->request_since = 0;
			cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NONE, NULL);
		} else if (n < p->baseline) {
			p->baseline = n; /* memory cleared on the device itself */
		} else if (p->request_since && now - p->request_since > p->wait_new_ms) {
			p->request_since = 0;
			if (n > 0) {
				int r = read_record(dev, 0, CAB_RF_BEFORE_SESSION);
				if (r < 0)
					return r;
			}
			cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NO_NEW_MEASUREMENT,
			               "no new measurement since the session began");
		}
	}
	return 0;
}

static void omron_close(struct cdi_device *dev)
{
	if (dev->transport) {
		uint8_t cmd[8];
		struct omron_asm a;
		struct omron_priv *p = dev->priv;
		if (!cdi_device_gone(dev) && !(p && p->gone) && send_msg(dev, cmd, omron_cmd_end(cmd)) == 0)
			recv_msg(dev, &a, 2, END_TIMEOUT_MS); /* "OK"; the device then powers off */
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

/* libomron's udev rule (69-libomron.rules): 0590:0028 for the whole family. */
static const struct cdi_match omron_match[] = {
	{.bus = CDI_BUS_HIDRAW, .vid = OMRON_VID, .pid = OMRON_PID_HEM790IT, .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY},
	{.bus = CDI_BUS_SIM, .sim = "omron-hem", .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY},
	{0},
};

extern const struct cdi_simulator cdi_sim_omron_hem;
static const struct cdi_simulator *const omron_sims[] = {&cdi_sim_omron_hem, NULL};

const struct cdi_driver cdi_driver_omron_hem = {
	.name = "omron-hem",
	.full_name = "Omron HEM-790IT family blood-pressure monitor (USB HID)",
	.kind = CAB_KIND_BLOOD_PRESSURE,
	.match = omron_match,
	.open = omron_open,
	.run = omron_run,
	.close = omron_close,
	.simulators = omron_sims,
};
