/* ble-gatt.c — driver for Bluetooth Low Energy health instruments that implement the
 * Bluetooth SIG's GATT services, through BlueZ over D-Bus (devices/transport/bluez.c):
 * Health Thermometer (HTS 1.0, 0x1809: Temperature Measurement 0x2A1C, indicate),
 * Blood Pressure (BLS 1.1, 0x1810: Blood Pressure Measurement 0x2A35, indicate), Pulse
 * Oximeter (PLXS 1.0, 0x1822: PLX Spot-check 0x2A5E indicate, PLX Continuous 0x2A5F
 * notify), Weight Scale (WSS 1.0, 0x181D: Weight Measurement 0x2A9D, indicate) and
 * Glucose (GLS 1.0, 0x1808: Glucose Measurement 0x2A18 notify, Record Access Control
 * Point 0x2A52 write + indicate). Values are decoded by devices/proto/gatt.c.
 *
 * The manager's discovery (devices/core/ble_watch.c) hands over only the instruments
 * the technician paired (their addresses in the cabin's list). Conversation:
 *  - while BlueZ reports the instrument disconnected, Device1.Connect every
 *    RECONNECT_MS (an instrument advertises only when it has something to send:
 *    after the patient used it); state idle, "waiting for the instrument".
 *  - once connected and its services resolved: StartNotify on the service's
 *    measurement characteristics (BlueZ writes the CCC descriptor; bonding, when the
 *    instrument demands it, was done by the service menu's pairing), state ready.
 *  - Glucose (GLS 4.9, 4.10): a glucose meter sends its records only when asked, so
 *    each connection writes the RACP "report stored records" (operator all, then
 *    "greater than or equal to" the next sequence number) and waits for the RACP
 *    response indication. Records are identified by their sequence number, so a
 *    reconnection or a retry never reports one twice; records whose base time (the
 *    meter's clock, taken literally: GLS has no clock offset without the Current Time
 *    Service) is before the session start (less SESSION_SLACK_MS) are left out and
 *    counted in the log. Nothing is ever deleted (RACP op 2 is never sent).
 *  - a value the decoder refuses (flags announcing more bytes than sent, reserved
 *    units) is logged escaped, in hex, with the reason; the incident protocol-error
 *    is raised and the link goes on: the next value is taken as usual.
 *  - the device object removed by BlueZ (forgotten) ends the driver (CDI_T_GONE). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"
#include "devices/internal/bluez.h"
#include "devices/internal/driver.h"
#include "devices/proto/gatt.h"

#define RECONNECT_MS 2000   /* Connect retry while disconnected (CABIN_BLE_RECONNECT_MS) */
#define CONNECT_WAIT_MS 900 /* how long one Connect call is waited for (< 1 s: stop) */
#define READ_MS 200         /* one transport read */
#define RACP_WAIT_MS 10000  /* the RACP response indication (GLS: 30 s procedure timeout) */
#define WAIT_NEW_MS 90000   /* a request waits this long for a measurement (CABIN_BLE_WAIT_MS) */
#define SESSION_SLACK_MS 120000 /* instrument clocks count minutes: 2 min tolerance */

struct ble_priv {
	unsigned link;  /* last CDI_BLUEZ_* bits acted upon */
	int subscribed; /* notifications enabled on this connection */
	int ever_connected;
	int64_t last_connect; /* mono ms of the last Connect call */
	int64_t reconnect_ms, wait_new_ms;
	int64_t request_since; /* mono ms of the pending measurement request, 0 none */
	long last_seq;         /* highest glucose sequence number taken, -1 none */
	int racp_pending;      /* RACP request written, response not yet indicated */
	int64_t racp_sent;
	int before_session; /* glucose records left out in this RACP transfer */
};

static int64_t env_ms(const char *name, int64_t def)
{
	const char *e = getenv(name);
	char *end;
	long long v = e ? strtoll(e, &end, 10) : -1;
	return e && *e && !*end && v > 0 ? v : def;
}

static enum cab_device_kind kind_of(uint16_t service)
{
	return (enum cab_device_kind)cdi_bluez_service_kind(service);
}

/* The measurement characteristics of SERVICE subscribed on each connection. */
static const uint16_t *chrs_of(uint16_t service)
{
	static const uint16_t glu[] = {GATT_CHR_GLUCOSE_MEAS, GATT_CHR_RACP, 0};
	static const uint16_t hts[] = {GATT_CHR_TEMP_MEAS, 0};
	static const uint16_t bls[] = {GATT_CHR_BP_MEAS, 0};
	static const uint16_t wss[] = {GATT_CHR_WEIGHT_MEAS, 0};
	static const uint16_t plx[] = {GATT_CHR_PLX_SPOT, GATT_CHR_PLX_CONT, 0};
	static const uint16_t none[] = {0};
	switch (service) {
	case GATT_SVC_GLUCOSE:
		return glu;
	case GATT_SVC_HEALTH_THERMO:
		return hts;
	case GATT_SVC_BLOOD_PRESSURE:
		return bls;
	case GATT_SVC_WEIGHT_SCALE:
		return wss;
	case GATT_SVC_PULSE_OXIMETER:
		return plx;
	}
	return none;
}

static int ble_probe(const struct cdi_candidate *c, const struct cdi_match *m)
{
	(void)m;
	return kind_of(c->ble_service) != CAB_KIND_UNKNOWN ? 0 : -1;
}

static int ble_open(struct cdi_device *dev)
{
	struct ble_priv *p = calloc(1, sizeof *p);
	if (!p)
		return CDI_T_IO;
	dev->priv = p;
	p->last_seq = -1;
	p->reconnect_ms = env_ms("CABIN_BLE_RECONNECT_MS", RECONNECT_MS);
	p->wait_new_ms = env_ms("CABIN_BLE_WAIT_MS", WAIT_NEW_MS);
	const char *path = dev->cand.syspath + strlen("bluez:");
	int r = cdi_bluez_open(path, &dev->transport);
	if (r < 0)
		return r;
	dev->id.kind = kind_of(dev->cand.ble_service);
	snprintf(dev->id.serial, sizeof dev->id.serial, "%s", cdi_bluez_address(dev->transport));
	if (cdi_bluez_name(dev->transport)[0])
		snprintf(dev->id.model, sizeof dev->id.model, "%s", cdi_bluez_name(dev->transport));
	cab_info("ble", "%s (%s): service 0x%04X, %s", dev->id.serial, dev->id.model,
	         dev->cand.ble_service, cab_device_kind_name(dev->id.kind));
	cdi_emit_state(dev, CAB_DEV_IDLE, CAB_INC_NONE,
	               "not connected: waiting for the instrument");
	return 0;
}

/* Writes an RACP request (report stored records: all, or from the next sequence). */
static int racp_request(struct cdi_device *dev)
{
	struct ble_priv *p = dev->priv;
	uint8_t buf[2 + 7];
	buf[0] = GATT_CHR_RACP & 0xFF;
	buf[1] = GATT_CHR_RACP >> 8;
	size_t n = p->last_seq < 0
	               ? gatt_racp_encode(GATT_RACP_REPORT_RECORDS, GATT_RACP_ALL, 0, 0, buf + 2)
	               : gatt_racp_encode(GATT_RACP_REPORT_RECORDS, GATT_RACP_GE,
	                                  (uint16_t)((p->last_seq + 1) & 0xFFFF), 0, buf + 2);
	int r = dev->transport->ops->write(dev->transport, buf, n + 2, 1000);
	if (r < 0)
		return r;
	p->racp_pending = 1;
	p->racp_sent = cab_mono_ms();
	p->before_session = 0;
	return 0;
}

/* Connected and resolved: subscribe to the service's measurement characteristics. */
static int subscribe(struct cdi_device *dev)
{
	struct ble_priv *p = dev->priv;
	int r = cdi_bluez_scan_gatt(dev->transport), n = 0;
	if (r < 0)
		return r;
	for (const uint16_t *c = chrs_of(dev->cand.ble_service); *c; c++) {
		if (!cdi_bluez_has_chr(dev->transport, *c))
			continue;
		if ((r = cdi_bluez_start_notify(dev->transport, *c)) < 0)
			return r;
		n++;
	}
	if (!n) {
		cab_warn("ble", "%s: no measurement characteristic of service 0x%04X",
		         dev->id.serial, dev->cand.ble_service);
		return CDI_T_IO;
	}
	p->subscribed = 1;
	p->ever_connected = 1;
	cab_info("ble", "%s connected: %d characteristic(s) subscribed", dev->id.serial, n);
	cdi_emit_state(dev, p->request_since ? CAB_DEV_MEASURING : CAB_DEV_READY, CAB_INC_NONE,
	               "connected");
	if (dev->cand.ble_service == GATT_SVC_GLUCOSE &&
	    cdi_bluez_has_chr(dev->transport, GATT_CHR_RACP))
		return racp_request(dev);
	return 0;
}

static void log_refused(struct cdi_device *dev, uint16_t chr, const uint8_t *v, size_t n, int err)
{
	char hex[3 * 64 + 4] = "", detail[96];
	size_t k = 0;
	for (size_t i = 0; i < n && i < 64; i++)
		k += (size_t)snprintf(hex + k, sizeof hex - k, "%02x", v[i]);
	if (n > 64)
		snprintf(hex + k, sizeof hex - k, "...");
	cab_warn("ble", "%s: characteristic 0x%04X value refused (%s), %zu bytes: %s",
	         dev->id.serial, chr, gatt_err_text(err), n, hex);
	snprintf(detail, sizeof detail, "0x%04X value refused: %s", chr, gatt_err_text(err));
	cdi_emit_state(dev, dev->state, CAB_INC_PROTOCOL, detail);
}

/* One notification or indication: [UUID16 LE][value]. */
static void take_value(struct cdi_device *dev, const uint8_t *b, size_t n)
{
	struct ble_priv *p = dev->priv;
	uint16_t chr = (uint16_t)(b[0] | b[1] << 8);
	if (chr == GATT_CHR_RACP) {
		struct gatt_racp_reply rr;
		int e = gatt_racp_decode(b + 2, n - 2, &rr);
		if (e < 0) {
			log_refused(dev, chr, b + 2, n - 2, e);
			return;
		}
		if (rr.op == GATT_RACP_RESPONSE) {
			p->racp_pending = 0;
			cab_info("ble", "%s: RACP: %s; %d record(s) before the session left out",
			         dev->id.serial, gatt_racp_code_text(rr.code), p->before_session);
		}
		return;
	}
	struct gatt_result g;
	int e = gatt_decode(chr, b + 2, n - 2, &g);
	if (e < 0) {
		log_refused(dev, chr, b + 2, n - 2, e);
		return;
	}
	int64_t session = __atomic_load_n(&dev->session_start_ms, __ATOMIC_ACQUIRE);
	if (chr == GATT_CHR_GLUCOSE_MEAS) {
		if (p->last_seq >= 0 && g.glucose_seq <= p->last_seq) {
			cab_info("ble", "%s: glucose record %u already taken", dev->id.serial,
			         g.glucose_seq);
			return;
		}
		p->last_seq = g.glucose_seq;
		if (g.n && g.r[0].device_time_ms != INT64_MIN &&
		    g.r[0].device_time_ms < session - SESSION_SLACK_MS) {
			p->before_session++;
			return;
		}
	}
	int final = 0;
	for (int i = 0; i < g.n; i++) {
		struct cab_reading r = g.r[i];
		if (chr != GATT_CHR_GLUCOSE_MEAS && r.device_time_ms != INT64_MIN &&
		    r.device_time_ms < session - SESSION_SLACK_MS)
			r.flags |= CAB_RF_BEFORE_SESSION | CAB_RF_STORED;
		if (!(r.flags & CAB_RF_ONGOING))
			final = 1;
		cdi_emit_reading(dev, &r);
	}
	if (final && p->request_since) {
		p->request_since = 0;
		cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NONE, NULL);
	} else if (final && dev->incident != CAB_INC_NONE) {
		cdi_emit_state(dev, dev->state, CAB_INC_NONE, NULL);
	}
}

static int ble_run(struct cdi_device *dev)
{
	struct ble_priv *p = dev->priv;
	uint8_t buf[2 + CDI_BLUEZ_MAX_VALUE];
	while (!cdi_stopping(dev)) {
		int64_t now = cab_mono_ms();
		unsigned link = cdi_bluez_link_state(dev->transport);
		if (cdi_take_selftest_request(dev)) {
			char d[96];
			snprintf(d, sizeof d, "%s",
			         (link & CDI_BLUEZ_CONNECTED)
			             ? "connected over Bluetooth"
			             : "not connected (the instrument sleeps)");
			cdi_selftest_done(dev, (link & CDI_BLUEZ_CONNECTED) != 0, d);
		}
		if (cdi_take_measure_request(dev) && !p->request_since) {
			p->request_since = now;
			cdi_emit_state(dev, CAB_DEV_MEASURING, CAB_INC_NONE,
			               "take the measurement on the instrument");
		}
		if (p->request_since && now - p->request_since > p->wait_new_ms) {
			p->request_since = 0;
			cdi_emit_state(
			    dev, (link & CDI_BLUEZ_CONNECTED) ? CAB_DEV_READY : CAB_DEV_IDLE,
			    CAB_INC_NO_NEW_MEASUREMENT, "no measurement from the instrument");
		}
		if (!(link & CDI_BLUEZ_CONNECTED)) {
			if (p->subscribed) {
				p->subscribed = 0;
				p->racp_pending = 0;
				cab_info("ble", "%s disconnected", dev->id.serial);
				cdi_emit_state(
				    dev, p->request_since ? CAB_DEV_MEASURING : CAB_DEV_IDLE,
				    CAB_INC_NONE,
				    "disconnected: waiting for the instrument to come back");
			}
			if (!p->last_connect || now - p->last_connect >= p->reconnect_ms) {
				p->last_connect = now;
				cdi_bluez_connect(dev->transport, CONNECT_WAIT_MS);
			}
		} else if ((link & CDI_BLUEZ_RESOLVED) && !p->subscribed) {
			int r = subscribe(dev);
			if (r == CDI_T_GONE)
				return r;
		}
		if (p->racp_pending && now - p->racp_sent > RACP_WAIT_MS) {
			p->racp_pending = 0;
			cab_warn("ble", "%s: no RACP response in %d ms", dev->id.serial,
			         RACP_WAIT_MS);
			cdi_emit_state(dev, dev->state, CAB_INC_TIMEOUT,
			               "the glucose meter did not finish sending its records");
		}
		int n = dev->transport->ops->read(dev->transport, buf, sizeof buf, READ_MS);
		if (n == CDI_T_GONE)
			return n;
		if (n >= 2)
			take_value(dev, buf, (size_t)n);
	}
	return 0;
}

static void ble_close(struct cdi_device *dev)
{
	if (dev->transport)
		dev->transport->ops->close(dev->transport);
	dev->transport = NULL;
	free(dev->priv);
	dev->priv = NULL;
}

static const struct cdi_match ble_match[] = {
    {.bus = CDI_BUS_BLE, .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY},
    {0},
};

const struct cdi_driver cdi_driver_ble_gatt = {
    .name = "ble-gatt",
    .full_name = "Bluetooth LE health instrument (GATT: thermometer, blood pressure, oximeter, "
                 "scale, glucose)",
    .kind = CAB_KIND_UNKNOWN,
    .match = ble_match,
    .probe = ble_probe,
    .open = ble_open,
    .run = ble_run,
    .close = ble_close,
    .simulators = NULL,
};
