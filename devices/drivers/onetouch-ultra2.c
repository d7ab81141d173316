/* onetouch-ultra2.c — driver for the LifeScan OneTouch Ultra 2 glucometer on its
 * USB-serial data cable (a Prolific PL2303, 067b:2303: glucometerutils'
 * udev/69-glucometerutils.rules, tests/devices/usb_ids.json). Protocol: LifeScan's
 * "OneTouch Ultra 2 RS-232 Communication Protocol" (devices/proto/onetouch.h).
 *
 * The PL2303 is a generic bridge: many cables and instruments use it. The driver
 * never assumes it is this meter: open sends DM? at 9600 8N1 and takes the device
 * only when the answer is a checksummed "?..." version line AND DM@ gives a serial
 * ending in 'Y' (the Ultra 2 mark). Anything else (silence, other bytes) returns
 * CDI_T_NOT_MINE and the manager releases the bridge with a log line, untouched.
 *
 * Conversation: DM? (version), DM@ (serial), DMF (the meter's clock: a year 2000
 * date is the firmware's power-on default, i.e. never set -> readings flagged
 * clock-unset with no device time; otherwise the meter-minus-cabin offset is on
 * every reading), DMSU? (display unit), DMP (the records: the newest one's time and
 * value at session start is the baseline). On a measurement request the records
 * are read every second (CABIN_OT_POLL_MS) until one newer than the baseline appears
 * (the patient's strip), for 90 s at most (CABIN_OT_WAIT_MS). Records carry no id:
 * one is known by its time and value, so a retry after a bad checksum or a new
 * request never reports it twice. Values are the meter's stored mg/dL, exact (the
 * meter keeps mg/dL whatever it displays; the display unit is logged, never used to
 * convert); below 20 or above 600 mg/dL (the meter's range) are its LO/HI results:
 * -INF/+INF flagged out-of-range; control-solution tests are flagged
 * control-solution (the cabin leaves them out); a parity-error record is invalid.
 * Never sends DMT (set clock) or DMZ (erase). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cabin/mdc.h"
#include "common/clock.h"
#include "common/log.h"
#include "devices/internal/driver.h"
#include "devices/internal/transports.h"
#include "devices/proto/onetouch.h"

#define LINE_MS 1000 /* one answer line */
#define POLL_MS 1000
#define WAIT_NEW_MS 90000
#define RETRIES 3
#define MAX_SEEN 64 /* records remembered as reported */

struct ot_priv {
	char buf[256];
	size_t n;                /* bytes buffered, not yet a line */
	int64_t clock_offset_ms; /* meter minus cabin, INT64_MIN unset */
	int64_t base_time;       /* newest record's meter time at session start */
	int64_t session_seen;
	int64_t request_since, last_poll, poll_ms, wait_ms;
	int64_t seen_t[MAX_SEEN];
	int seen_v[MAX_SEEN], nseen, seen_next;
	int gone;
};

static int64_t env_ms(const char *name, int64_t def)
{
	const char *e = getenv(name);
	long long v = e ? atoll(e) : 0;
	return v > 0 ? v : def;
}

/* Reads one line (up to LF) into LINE. 0 with *LEN, or a transport error. */
static int read_line(struct cdi_device *dev, char *line, size_t size, size_t *len, int timeout_ms)
{
	struct ot_priv *p = dev->priv;
	int64_t end = cab_mono_ms() + timeout_ms;
	for (;;) {
		char *lf = memchr(p->buf, '\n', p->n);
		if (lf) {
			size_t l = (size_t)(lf - p->buf) + 1;
			size_t c = l < size ? l : size - 1;
			memcpy(line, p->buf, c);
			line[c] = '\0';
			*len = c;
			memmove(p->buf, p->buf + l, p->n - l);
			p->n -= l;
			return 0;
		}
		if (p->n == sizeof p->buf) /* no line end in 256 bytes: not this meter's talk */
			p->n = 0;
		int64_t left = end - cab_mono_ms();
		if (left <= 0)
			return CDI_T_TIMEOUT;
		int r = dev->transport->ops->read(dev->transport, (uint8_t *)p->buf + p->n,
		                                  sizeof p->buf - p->n,
		                                  (int)(left > 1000 ? 1000 : left));
		if (r == CDI_T_GONE)
			p->gone = 1;
		if (r < 0 && r != CDI_T_TIMEOUT)
			return r;
		if (r > 0)
			p->n += (size_t)r;
	}
}

static int send(struct cdi_device *dev, const char *cmd)
{
	struct ot_priv *p = dev->priv;
	char b[32];
	size_t n = ot_command(cmd, b, sizeof b);
	p->n = 0; /* what came before belongs to no command */
	int r = dev->transport->ops->write(dev->transport, (const uint8_t *)b, n, LINE_MS);
	if (r == CDI_T_GONE)
		p->gone = 1;
	return r < 0 ? r : 0;
}

/* Sends CMD and reads one checksummed answer line into BODY. 0, a transport error,
 * or an OT_E_* (logged escaped). */
static int one_line(struct cdi_device *dev, const char *cmd, char *body, size_t size)
{
	char line[256], esc[300];
	size_t len;
	int r = send(dev, cmd);
	if (r == 0)
		r = read_line(dev, line, sizeof line, &len, LINE_MS);
	if (r < 0)
		return r;
	int e = ot_line(line, len, body, size);
	if (e) {
		cab_log_escape(line, esc, sizeof esc);
		cab_warn("onetouch", "%s answered '%s': %s", cmd, esc, ot_err_text(e));
	}
	return e ? e - 100 : 0; /* OT errors kept apart from transport errors */
}

static int seen(struct ot_priv *p, int64_t t, int v)
{
	for (int i = 0; i < p->nseen; i++)
		if (p->seen_t[i] == t && p->seen_v[i] == v)
			return 1;
	return 0;
}

static void remember(struct ot_priv *p, int64_t t, int v)
{
	p->seen_t[p->seen_next] = t;
	p->seen_v[p->seen_next] = v;
	p->seen_next = (p->seen_next + 1) % MAX_SEEN;
	if (p->nseen < MAX_SEEN)
		p->nseen++;
}

struct dump {
	struct ot_record r[MAX_SEEN];
	int n;
	int64_t newest;
};

/* DMP: every record, each line checked; a bad line makes the whole dump be asked
 * again (RETRIES times). 0, a transport error, or CDI_T_IO. */
static int read_dump(struct cdi_device *dev, struct dump *d)
{
	char body[128];
	for (int attempt = 0; attempt < RETRIES; attempt++) {
		int count = 0, mmol = 0, bad = 0;
		char serial[10];
		d->n = 0;
		d->newest = INT64_MIN;
		int r = one_line(dev, "DMP", body, sizeof body);
		if (r < 0 && r > -100)
			return r;
		if (r || ot_dump_header(body, &count, serial, &mmol)) {
			cab_warn("onetouch", "DMP header refused: %.60s", r ? "bad line" : body);
			continue;
		}
		for (int i = 0; i < count; i++) {
			char line[256];
			size_t len;
			struct ot_record rec;
			if ((r = read_line(dev, line, sizeof line, &len, LINE_MS)) < 0)
				return r;
			int e = ot_line(line, len, body, sizeof body);
			if (!e)
				e = ot_record(body, &rec);
			if (e) {
				char esc[300];
				cab_log_escape(line, esc, sizeof esc);
				cab_warn("onetouch", "record %d of %d refused (%s): '%s'", i + 1,
				         count, ot_err_text(e), esc);
				bad = 1;
				continue;
			}
			if (d->n < MAX_SEEN)
				d->r[d->n++] = rec;
			if (rec.time_ms > d->newest)
				d->newest = rec.time_ms;
		}
		if (!bad)
			return 0;
	}
	return CDI_T_IO;
}

static int read_clock(struct cdi_device *dev)
{
	struct ot_priv *p = dev->priv;
	char body[128];
	int64_t ms;
	int year;
	int r = one_line(dev, "DMF", body, sizeof body);
	if (r < 0 && r > -100)
		return r;
	if (r || ot_clock(body, &ms, &year)) {
		p->clock_offset_ms = INT64_MIN;
		cab_warn("onetouch", "the meter's clock could not be read");
	} else if (year == 2000) {
		p->clock_offset_ms = INT64_MIN;
		cab_warn(
		    "onetouch",
		    "the meter's clock was never set (year 2000): readings flagged clock-unset");
	} else {
		p->clock_offset_ms = ms - cab_wall_ms();
		cab_info("onetouch", "meter clock offset %+lld s",
		         (long long)(p->clock_offset_ms / 1000));
	}
	return 0;
}

static void report(struct cdi_device *dev, const struct ot_record *rec)
{
	struct ot_priv *p = dev->priv;
	struct cab_reading r =
	    cdi_reading_init(MDC_FULL(MDC_PART_SCADA, rec->control ? MDC_CONC_GLU_CONTROL
	                                                           : MDC_CONC_GLU_CAPILLARY_PLASMA),
	                     "mg/dL");
	r.flags = CAB_RF_STORED;
	if (rec->control)
		r.flags |= CAB_RF_CONTROL_SOLUTION;
	if (rec->parity_error) {
		r.value_kind = CAB_VALUE_NAN;
		r.flags |= CAB_RF_INVALID;
	} else if (rec->mgdl > OT_MGDL_MAX) {
		r.value_kind = CAB_VALUE_PINF;
		r.flags |= CAB_RF_OUT_OF_RANGE;
	} else if (rec->mgdl < OT_MGDL_MIN) {
		r.value_kind = CAB_VALUE_NINF;
		r.flags |= CAB_RF_OUT_OF_RANGE;
	} else {
		r.value = rec->mgdl;
	}
	if (p->clock_offset_ms == INT64_MIN) {
		r.flags |= CAB_RF_CLOCK_UNSET;
	} else {
		r.device_time_ms = rec->time_ms;
		r.clock_offset_ms = p->clock_offset_ms;
	}
	cdi_emit_reading(dev, &r);
}

/* Reads the records: baseline (EMIT 0) or report the new ones, oldest first. Returns
 * how many were reported, or a negative error. */
static int poll_records(struct cdi_device *dev, int emit)
{
	struct ot_priv *p = dev->priv;
	struct dump *d = calloc(1, sizeof *d);
	if (!d)
		return CDI_T_IO;
	int r = read_dump(dev, d), n = 0;
	if (r == 0 && !emit) {
		p->base_time = d->newest;
		for (int i = 0; i < d->n; i++)
			remember(p, d->r[i].time_ms, d->r[i].mgdl);
	}
	for (int i = d->n - 1; r == 0 && emit && i >= 0; i--) { /* newest first on the wire */
		const struct ot_record *rec = &d->r[i];
		if (rec->time_ms < p->base_time || seen(p, rec->time_ms, rec->mgdl))
			continue;
		remember(p, rec->time_ms, rec->mgdl);
		report(dev, rec);
		n++;
	}
	free(d);
	return r < 0 ? r : n;
}

static int ot_open(struct cdi_device *dev)
{
	struct ot_priv *p = calloc(1, sizeof *p);
	char body[128], serial[10];
	int ultra2 = 0, mmol = 0;
	if (!p)
		return CDI_T_IO;
	dev->priv = p;
	p->poll_ms = env_ms("CABIN_OT_POLL_MS", POLL_MS);
	p->wait_ms = env_ms("CABIN_OT_WAIT_MS", WAIT_NEW_MS);
	struct cdi_tty_config cfg = {.baud = 9600, .parity = CDI_PARITY_NONE, .stop_bits = 1};
	int r = cdi_tty_open(dev->cand.devnode, &cfg, &dev->transport);
	if (r < 0)
		return r;
	/* does it answer like an Ultra 2? (twice: a sleeping meter wakes on DC1) */
	for (int i = 0; i < 2 && (r = one_line(dev, "DM?", body, sizeof body)) != 0; i++)
		if (r == CDI_T_GONE)
			return r;
	if (r || ot_version(body, dev->id.firmware, sizeof dev->id.firmware))
		return CDI_T_NOT_MINE;
	r = one_line(dev, "DM@", body, sizeof body);
	if (r < 0 && r > -100)
		return r;
	if (r || ot_serial(body, serial, &ultra2) || !ultra2)
		return CDI_T_NOT_MINE;
	dev->id.kind = CAB_KIND_GLUCOMETER;
	snprintf(dev->id.manufacturer, sizeof dev->id.manufacturer, "LifeScan");
	snprintf(dev->id.model, sizeof dev->id.model, "OneTouch Ultra 2");
	snprintf(dev->id.serial, sizeof dev->id.serial, "%s", serial);
	if ((r = read_clock(dev)) < 0)
		return r;
	r = one_line(dev, "DMSU?", body, sizeof body);
	if (r < 0 && r > -100)
		return r;
	if (!r && !ot_unit(body, &mmol))
		cab_info("onetouch", "the meter displays %s; its records are mg/dL",
		         mmol ? "mmol/L" : "mg/dL");
	if ((r = poll_records(dev, 0)) < 0)
		return r;
	p->session_seen = dev->session_start_ms;
	dev->history_capable = 0;
	cab_info("onetouch", "OneTouch Ultra 2 %s firmware %s ready", serial, dev->id.firmware);
	cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NONE, "connected");
	return 0;
}

static int ot_run(struct cdi_device *dev)
{
	struct ot_priv *p = dev->priv;
	while (!cdi_stopping(dev)) {
		int64_t now = cab_mono_ms();
		if (cdi_take_selftest_request(dev)) {
			char body[128], v[32] = "", d[96];
			int r = one_line(dev, "DM?", body, sizeof body);
			int pass = r == 0 && !ot_version(body, v, sizeof v) &&
			           !strcmp(v, dev->id.firmware);
			snprintf(d, sizeof d, "DM? %s %.32s", pass ? "answered" : "failed", v);
			cdi_selftest_done(dev, pass, d);
			if (p->gone)
				return CDI_T_GONE;
		}
		if (dev->session_start_ms != p->session_seen) {
			int r = read_clock(dev);
			if (r == 0)
				r = poll_records(dev, 0);
			if (r < 0)
				return r;
			p->session_seen = dev->session_start_ms;
		}
		if (cdi_take_measure_request(dev) && !p->request_since) {
			p->request_since = now;
			p->last_poll = 0;
			cdi_emit_state(dev, CAB_DEV_MEASURING, CAB_INC_NONE,
			               "waiting for the strip result");
		}
		if (!p->request_since || now - p->last_poll < p->poll_ms) {
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
			continue;
		}
		p->last_poll = now;
		int n = poll_records(dev, 1);
		if (n < 0 && (p->gone || n == CDI_T_GONE))
			return CDI_T_GONE;
		if (n > 0) {
			p->request_since = 0;
			cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NONE, NULL);
		} else if (now - p->request_since > p->wait_ms) {
			p->request_since = 0;
			cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NO_NEW_MEASUREMENT,
			               "no new strip result since the session began");
		}
	}
	return 0;
}

static void ot_close(struct cdi_device *dev)
{
	if (dev->transport)
		dev->transport->ops->close(dev->transport);
	dev->transport = NULL;
	free(dev->priv);
	dev->priv = NULL;
}

extern const struct cdi_simulator cdi_sim_onetouch_ultra2;
static const struct cdi_simulator *const ot_sims[] = {&cdi_sim_onetouch_ultra2, NULL};

/* 067b:2303: the PL2303 of LifeScan's data cable (glucometerutils
 * udev/69-glucometerutils.rules); generic, hence the answer check in open. */
static const struct cdi_match ot_match[] = {
    {.bus = CDI_BUS_TTY,
     .vid = 0x067b,
     .pid = 0x2303,
     .if_class = CDI_ANY,
     .if_subclass = CDI_ANY,
     .if_protocol = CDI_ANY},
    {.bus = CDI_BUS_SIM,
     .sim = "onetouch-ultra2",
     .if_class = CDI_ANY,
     .if_subclass = CDI_ANY,
     .if_protocol = CDI_ANY},
    {0},
};

const struct cdi_driver cdi_driver_onetouch_ultra2 = {
    .name = "onetouch-ultra2",
    .full_name = "LifeScan OneTouch Ultra 2 glucometer (serial ASCII)",
    .kind = CAB_KIND_GLUCOMETER,
    .match = ot_match,
    .open = ot_open,
    .run = ot_run,
    .close = ot_close,
    .simulators = ot_sims,
};
