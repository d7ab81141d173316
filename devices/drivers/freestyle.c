/* freestyle.c — driver for the Abbott FreeStyle glucometers that speak the "shared HID
 * protocol": FreeStyle Optium Neo / Precision Neo (1a61:3850, records by $result?)
 * and the FreeStyle Libre reader (1a61:3650, strip results by $arresult?). Protocol
 * documented by glucometer-protocols (glucometers-tech: abbott/shared-hid-protocol.md,
 * freestyle-precision-neo.md, freestyle-libre.md), decoded by devices/proto/freestyle.c.
 * USB ids: glucometer-protocols' device pages (3850, 3650) and Tidepool's uploader
 * driverManifests.js (shared/fixtures/devices/usb_ids.json). The Libre 2 (1a61:3950)
 * encrypts its messages and is not matched.
 *
 * Conversation: INIT (01 00 -> 71 01 01), serial ($serlnum? Neo, $sn? Libre), software
 * version ($swver?), the meter's clock ($date?, $time?: 255 everywhere = never set)
 * against the cabin's (offset recorded on every reading), then the record list: the
 * highest record id is the session's baseline. On a measurement request the list is
 * read every second until a record newer than the baseline appears (the patient's
 * strip), then reported; records are identified by id, so a retry after an error
 * answer (CMD Fail!, a bad checksum) never reports one twice. History requests report
 * the stored records since a date. Nothing is ever erased or set on the meter
 * ($resetpatient, $date, and $time setters are never sent). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"
#include "devices/internal/driver.h"
#include "devices/internal/transports.h"
#include "devices/proto/freestyle.h"

#define FS_VID 0x1a61
#define FS_PID_LIBRE 0x3650
#define FS_PID_NEO 0x3850

#define MODEL_NEO 1
#define MODEL_LIBRE 2

#define REPORT_TIMEOUT_MS 1000 /* per report of a reply */
#define RETRIES 3              /* error answers tolerated per command */
#define POLL_MS 1000           /* record-list poll while a measurement is pending
                                  (CABIN_FS_POLL_MS overrides, for tests) */
#define SESSION_SLACK_MS 120000 /* meter clocks count minutes: 2 min of tolerance */
#define WAIT_NEW_MS 90000      /* a request waits this long for the strip result
                                  (CABIN_FS_WAIT_MS overrides, for tests) */

struct fs_priv {
	int model;               /* MODEL_NEO or MODEL_LIBRE */
	long baseline;           /* highest record id already seen (reported or before) */
	int64_t session_seen;    /* dev->session_start_ms the baseline belongs to */
	int64_t clock_offset_ms; /* meter minus cabin, INT64_MIN when the clock is unset */
	int64_t request_since, last_poll, poll_ms, wait_new_ms;
	int gone;
	struct fs_text text;
};

/* Writes one 64-byte report (hidraw wants the report id first). */
static int send_report(struct cdi_device *dev, const uint8_t rep[FS_REPORT])
{
	struct fs_priv *p = dev->priv;
	uint8_t out[FS_REPORT + 1];
	size_t n = FS_REPORT;
	if (cdi_hidraw_is(dev->transport)) {
		out[0] = 0;
		memcpy(out + 1, rep, FS_REPORT);
		n++;
	} else {
		memcpy(out, rep, FS_REPORT);
	}
	int r = dev->transport->ops->write(dev->transport, out, n, REPORT_TIMEOUT_MS);
	if (r == CDI_T_GONE)
		p->gone = 1;
	return r < 0 ? r : 0;
}

/* Sends text command CMD and reads its whole reply into p->text. Returns 0 with
  * *MSG and *LEN, a negative transport error, or CDI_T_IO after RETRIES error answers. */
static int command(struct cdi_device *dev, const char *cmd, const char **msg, size_t *len)
{
	struct fs_priv *p = dev->priv;
	uint8_t rep[FS_REPORT];
	if (fs_encode_text(cmd, rep) < 0)
		return CDI_T_INVALID;
	for (int attempt = 0; attempt < RETRIES; attempt++) {
		int r = send_report(dev, rep);
		if (r < 0)
			return r;
		fs_text_reset(&p->text);
		int done = 0;
		while (!done) {
			uint8_t in[FS_REPORT + 1];
			int n = dev->transport->ops->read(dev->transport, in, sizeof in, REPORT_TIMEOUT_MS);
			if (n < 0) {
				if (n == CDI_T_GONE)
					p->gone = 1;
				return n;
			}
			done = fs_text_add(&p->text, in, (size_t)n);
			if (done < 0)
				break;
		}
		if (done == 1) {
			int c = fs_reply_check(p->text.buf, p->text.n, msg, len);
			if (c == 0)
				return 0;
			cab_warn("freestyle", "%s: %s (attempt %d)", cmd, fs_err_text(c), attempt + 1);
		} else {
			cab_warn("freestyle", "%s: %s (attempt %d)", cmd, fs_err_text(done), attempt + 1);
			if (done == FS_E_UNKNOWN_CMD)
				return CDI_T_IO;
		}
	}
	return CDI_T_IO;
}

/* Copies a one-line message (without CRLF) into OUT, escaped to printable ASCII. */
static void one_line(const char *msg, size_t len, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < len && o + 1 < size; i++) {
		char c = msg[i];
		if (c == '\r' || c == '\n')
			break;
		out[o++] = c >= 0x20 && c < 0x7F ? c : '?';
	}
	out[o] = 0;
}

/* Reads the meter's clock and records its offset to the cabin's. */
static int read_clock(struct cdi_device *dev)
{
	struct fs_priv *p = dev->priv;
	const char *m;
	size_t l;
	char d[64];
	int r = command(dev, "$date?", &m, &l);
	if (r < 0)
		return r;
	one_line(m, l, d, sizeof d);
	if ((r = command(dev, "$time?", &m, &l)) < 0)
		return r;
	int64_t meter;
	int c = fs_clock(d, strlen(d), m, l, &meter);
	if (c == 0) {
		p->clock_offset_ms = meter - cab_wall_ms();
		cab_info("freestyle", "meter clock offset %+lld s", (long long)(p->clock_offset_ms / 1000));
	} else {
		p->clock_offset_ms = INT64_MIN;
		cab_warn("freestyle", "meter clock %s: record times are not trusted",
		         c == 1 ? "never set (255 fields)" : "unreadable");
	}
	return 0;
}

/* What one pass over the record list does. */
struct walk {
	struct cdi_device *dev;
	int model;
	long baseline;           /* report records with id > baseline (EMIT) */
	long max_id;             /* highest glucose record id seen */
	int emit;                /* 0: only find max_id */
	int history;             /* 1: report records at/after since_ms as history */
	int64_t since_ms;
	int n;                   /* readings reported */
	struct fs_glucose found[64]; /* new records of this pass, to report oldest first */
	int nfound;
};

static int on_record(const char *rec, size_t n, void *user)
{
	struct walk *w = user;
	struct fs_glucose g;
	int r = w->model == MODEL_LIBRE ? fs_libre_record(rec, n, &g) : fs_neo_record(rec, n, &g);
	if (r < 0)
		return r;
	if (r == 0)
		return 0;
	if (g.id > w->max_id)
		w->max_id = g.id;
	int take = w->history ? (g.device_time_ms == INT64_MIN || g.device_time_ms >= w->since_ms)
	                      : (w->emit && g.id > w->baseline);
	if (take && w->nfound < (int)(sizeof w->found / sizeof w->found[0]))
		w->found[w->nfound++] = g;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	long x = ((const struct fs_glucose *)a)->id, y = ((const struct fs_glucose *)b)->id;
	return (x > y) - (x < y);
}

/* Reads the record list and reports what W selects, oldest first. */
static int walk_records(struct cdi_device *dev, struct walk *w, uint32_t extra)
{
	struct fs_priv *p = dev->priv;
	const char *m;
	size_t l;
	int r = command(dev, p->model == MODEL_LIBRE ? "$arresult?" : "$result?", &m, &l);
	if (r < 0)
		return r;
	w->dev = dev;
	w->model = p->model;
	w->max_id = -1;
	int c = fs_records(m, l, on_record, w);
	if (c < 0) {
		cab_warn("freestyle", "record list: %s", fs_err_text(c));
		return CDI_T_IO;
	}
	qsort(w->found, (size_t)w->nfound, sizeof w->found[0], by_id);
	for (int i = 0; i < w->nfound; i++) {
		struct cab_reading rd = fs_glucose_reading(&w->found[i]);
		rd.flags |= extra;
		rd.clock_offset_ms = p->clock_offset_ms;
		if (p->clock_offset_ms == INT64_MIN) {
			rd.flags |= CAB_RF_CLOCK_UNSET;
			rd.device_time_ms = INT64_MIN;
		} else if (!(extra & CAB_RF_HISTORY) && rd.device_time_ms != INT64_MIN &&
		           rd.device_time_ms - p->clock_offset_ms < dev->session_start_ms - SESSION_SLACK_MS) {
			/* new to the list, but made before the session by the meter's clock read
			 * against the cabin's: not this patient's */
			rd.flags |= CAB_RF_BEFORE_SESSION;
			cab_info("freestyle", "record %ld predates the session by the meter's clock", w->found[i].id);
		}
		cdi_emit_reading(dev, &rd);
		w->n++;
	}
	return 0;
}

static int fs_open(struct cdi_device *dev)
{
	struct fs_priv *p = calloc(1, sizeof *p);
	if (!p)
		return CDI_T_IO;
	dev->priv = p;
	p->model = dev->match && dev->match->driver_data ? (int)dev->match->driver_data : MODEL_NEO;
	if (dev->cand.pid == FS_PID_LIBRE)
		p->model = MODEL_LIBRE;
	const char *e = getenv("CABIN_FS_POLL_MS");
	p->poll_ms = e && atoll(e) > 0 ? atoll(e) : POLL_MS;
	e = getenv("CABIN_FS_WAIT_MS");
	p->wait_new_ms = e && atoll(e) > 0 ? atoll(e) : WAIT_NEW_MS;
	dev->id.kind = CAB_KIND_GLUCOMETER;
	snprintf(dev->id.driver, sizeof dev->id.driver, "freestyle");
	snprintf(dev->id.manufacturer, sizeof dev->id.manufacturer, "Abbott");
	snprintf(dev->id.model, sizeof dev->id.model, "%s",
	         p->model == MODEL_LIBRE ? "FreeStyle Libre" : "FreeStyle Optium Neo");
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
	/* INIT: 01 00 -> 71 01 01 (sync packets skipped) */
	uint8_t rep[FS_REPORT], in[FS_REPORT + 1];
	fs_encode(FS_TYPE_INIT, NULL, 0, rep);
	int r = send_report(dev, rep);
	for (int i = 0; r == 0 && i < 4; i++) {
		int n = dev->transport->ops->read(dev->transport, in, sizeof in, REPORT_TIMEOUT_MS);
		if (n < 0)
			return n;
		uint8_t type;
		const uint8_t *pl;
		size_t len;
		if (fs_report(in, (size_t)n, &type, &pl, &len) == 0 && type == FS_TYPE_INIT_REPLY)
			break;
		if (i == 3)
			return CDI_T_IO;
	}
	if (r < 0)
		return r;
	const char *m;
	size_t l;
	if ((r = command(dev, p->model == MODEL_LIBRE ? "$sn?" : "$serlnum?", &m, &l)) < 0)
		return r;
	one_line(m, l, dev->id.serial, sizeof dev->id.serial);
	if ((r = command(dev, "$swver?", &m, &l)) < 0)
		return r;
	one_line(m, l, dev->id.firmware, sizeof dev->id.firmware);
	if ((r = read_clock(dev)) < 0)
		return r;
	struct walk w = {0};
	if ((r = walk_records(dev, &w, 0)) < 0)
		return r;
	p->baseline = w.max_id;
	p->session_seen = dev->session_start_ms;
	dev->history_capable = 1;
	cab_info("freestyle", "%s firmware %s: last record id %ld before the session", dev->id.model,
	         dev->id.firmware, p->baseline);
	cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NONE, "connected");
	return 0;
}

static int fs_run(struct cdi_device *dev)
{
	struct fs_priv *p = dev->priv;
	while (!cdi_stopping(dev)) {
		int64_t now = cab_mono_ms(), since;
		if (cdi_take_selftest_request(dev)) {
			const char *m;
			size_t l;
			char v[32] = "", detail[96];
			int r = command(dev, "$swver?", &m, &l);
			if (r == 0)
				one_line(m, l, v, sizeof v);
			snprintf(detail, sizeof detail, "$swver? %s%.24s", r == 0 ? "answered " : "failed",
			         v);
			cdi_selftest_done(dev, r == 0 && !strcmp(v, dev->id.firmware), detail);
			if (r == CDI_T_GONE)
				return r;
		}
		if (cdi_take_history_request(dev, &since)) {
			struct walk w = {.history = 1, .since_ms = since};
			int r = walk_records(dev, &w, CAB_RF_HISTORY);
			if (r < 0)
				return r;
			cab_info("freestyle", "history: %d record(s) reported", w.n);
		}
		if (dev->session_start_ms != p->session_seen) { /* a new session: new baseline */
			struct walk w = {0};
			int r = walk_records(dev, &w, 0);
			if (r < 0)
				return r;
			p->baseline = w.max_id;
			p->session_seen = dev->session_start_ms;
			if ((r = read_clock(dev)) < 0)
				return r;
		}
		if (cdi_measure_pending(dev) && cdi_take_measure_request(dev) && !p->request_since) {
			p->request_since = now;
			p->last_poll = 0;
			cdi_emit_state(dev, CAB_DEV_MEASURING, CAB_INC_NONE, "waiting for the strip result");
		}
		if (!p->request_since || now - p->last_poll < p->poll_ms) {
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
			continue;
		}
		p->last_poll = now;
		struct walk w = {.emit = 1, .baseline = p->baseline};
		int r = walk_records(dev, &w, 0);
		if (r < 0)
			return r;
		if (w.max_id > p->baseline)
			p->baseline = w.max_id;
		if (w.n > 0) {
			p->request_since = 0;
			cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NONE, NULL);
		} else if (now - p->request_since > p->wait_new_ms) {
			p->request_since = 0;
			cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NO_NEW_MEASUREMENT,
			               "no new strip result since the session began");
		}
	}
	return 0;
}

static void fs_close(struct cdi_device *dev)
{
	struct fs_priv *p = dev->priv;
	if (dev->transport) {
		dev->transport->ops->close(dev->transport);
		dev->transport = NULL;
	}
	if (dev->cand.transport) {
		dev->cand.transport->ops->close(dev->cand.transport);
		dev->cand.transport = NULL;
	}
	if (p)
		fs_text_free(&p->text);
	free(p);
	dev->priv = NULL;
}

extern const struct cdi_simulator cdi_sim_freestyle, cdi_sim_freestyle_libre;
static const struct cdi_simulator *const fs_sims[] = {&cdi_sim_freestyle, &cdi_sim_freestyle_libre,
                                                      NULL};

/* USB ids: glucometer-protocols (freestyle-precision-neo.md 1a61:3850,
 * freestyle-libre.md 1a61:3650); Tidepool uploader driverManifests.js c5cdf9d. */
static const struct cdi_match fs_match[] = {
	{.bus = CDI_BUS_HIDRAW, .vid = FS_VID, .pid = FS_PID_NEO, .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY, .driver_data = MODEL_NEO},
	{.bus = CDI_BUS_HIDRAW, .vid = FS_VID, .pid = FS_PID_LIBRE, .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY, .driver_data = MODEL_LIBRE},
	{.bus = CDI_BUS_SIM, .sim = "freestyle", .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY, .driver_data = MODEL_NEO},
	{.bus = CDI_BUS_SIM, .sim = "freestyle-libre", .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY, .driver_data = MODEL_LIBRE},
	{0},
};

const struct cdi_driver cdi_driver_freestyle = {
	.name = "freestyle",
	.full_name = "Abbott FreeStyle Optium Neo / Libre glucometer (USB HID shared protocol)",
	.kind = CAB_KIND_GLUCOMETER,
	.match = fs_match,
	.open = fs_open,
	.run = fs_run,
	.close = fs_close,
	.simulators = fs_sims,
};
