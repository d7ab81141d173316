/* ieee11073-phdc.c — driver for IEEE 11073-20601 agents on USB PHDC (interface
 * class 0x0F): PHDC class descriptors read from the interface's extra bytes
 * (devices/proto/ieee11073/phdc.c), APDUs whole on the bulk pipes (the agent speaks
 * first, AARQ), the pure manager of devices/proto/ieee11073/manager.c pumped with
 * the transport's reads and the monotonic clock. Sources: USB PHDC 1.0 and IEEE
 * 11073-20601 as summarised in PROTOCOLS.md 1.1; docs/ieee11073.md.
 * Never sends anything that erases the agent's stored measurements. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"
#include "devices/internal/driver.h"
#include "devices/internal/transports.h"
#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/manager.h"
#include "devices/proto/ieee11073/nomenclature.h"
#include "devices/proto/ieee11073/phdc.h"

#define LOG "ieee11073-phdc"
#define RX_MAX 8192          /* largest APDU accepted from an agent (hard maximum) */
#define READ_MAX_MS 500      /* longest wait of one read (stop requests honoured) */
#define WRITE_TIMEOUT_MS 1000

struct phdc_priv {
	struct ieee_manager m;
	struct ieee_mgr_out out;
	uint8_t rx[RX_MAX];
	size_t rx_len;
	struct ieee_phdc_desc desc;
	int associated;
	int64_t st_want;  /* a self-test waits since (mono ms) for the manager's own request */
	int64_t st_since; /* a self-test's Get MDS is outstanding since (mono ms), 0 none */
};

#define SELFTEST_MS 3000

/* Self-test end: the agent answered Get MDS; the configuration in use is checked
 * (known, with objects, measuring the kind the instrument is). */
static void selftest_answered(struct cdi_device *dev, struct phdc_priv *p)
{
	char detail[96];
	const struct ieee_config *c = &p->m.cfg;
	int ok = p->m.have_cfg && c->n_objs > 0 &&
	         (c->kind == CAB_KIND_UNKNOWN || dev->id.kind == CAB_KIND_UNKNOWN || c->kind == dev->id.kind);
	snprintf(detail, sizeof detail, "association + Get MDS answered, config 0x%04X with %u object(s)%s",
	         c->dev_config_id, c->n_objs, ok ? "" : ": configuration not usable");
	cdi_selftest_done(dev, ok, detail);
	p->st_since = 0;
}

/* Extended configurations kept per agent system-id for the whole process: the
 * in-memory store behind a lock (device threads share it). */
static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ieee_mem_store store_mem;
static struct ieee_config_store store_inner;
static int store_ready;

static int store_load(void *u, const uint8_t id[8], uint16_t cfg, struct ieee_config *out)
{
	(void)u;
	pthread_mutex_lock(&store_lock);
	int r = store_ready ? store_inner.load(store_inner.user, id, cfg, out) : -1;
	pthread_mutex_unlock(&store_lock);
	return r;
}

static int store_save(void *u, const uint8_t id[8], const struct ieee_config *c)
{
	(void)u;
	pthread_mutex_lock(&store_lock);
	if (!store_ready) {
		ieee_mem_store_init(&store_mem, &store_inner);
		store_ready = 1;
	}
	int r = store_inner.save(store_inner.user, id, c);
	pthread_mutex_unlock(&store_lock);
	return r;
}

static const struct ieee_config_store process_store = {store_load, store_save, NULL};

static int64_t gmtoff_ms(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return (int64_t)tm.tm_gmtoff * 1000;
}

/* The cabin's local wall time read literally, the scale of 11073 agent clocks. */
static int64_t local_wall(void *user)
{
	(void)user;
	return cab_wall_ms() + gmtoff_ms();
}

static int64_t mono(void *user)
{
	(void)user;
	return cab_mono_ms();
}

static int send_all(struct cdi_device *dev, const struct ieee_mgr_out *o)
{
	for (size_t k = 0; k < o->n_tx; k++) {
		int r = dev->transport->ops->write(dev->transport, o->tx[k].buf, o->tx[k].len,
		                                   WRITE_TIMEOUT_MS);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Sends what the manager produced and reports readings and events. */
static int handle_out(struct cdi_device *dev, struct phdc_priv *p)
{
	const struct ieee_mgr_out *o = &p->out;
	int r = send_all(dev, o);

	for (size_t k = 0; k < o->n_events; k++) {
		switch (o->events[k]) {
		case IEEE_EV_ASSOCIATED:
		case IEEE_EV_DEVICE_INFO: {
			const struct cab_device_id *d = &p->m.device;
			if (o->events[k] == IEEE_EV_DEVICE_INFO && p->st_since)
				selftest_answered(dev, p);
			p->associated = 1;
			if (d->kind != CAB_KIND_UNKNOWN)
				dev->id.kind = d->kind;
			memcpy(dev->id.system_id, d->system_id, sizeof d->system_id);
			if (d->model[0])
				memcpy(dev->id.model, d->model, sizeof d->model);
			if (d->manufacturer[0])
				memcpy(dev->id.manufacturer, d->manufacturer, sizeof d->manufacturer);
			if (d->serial[0])
				memcpy(dev->id.serial, d->serial, sizeof d->serial);
			if (d->firmware[0])
				memcpy(dev->id.firmware, d->firmware, sizeof d->firmware);
			cdi_emit_state(dev, CAB_DEV_READY, CAB_INC_NONE, "associated");
			break;
		}
		case IEEE_EV_RELEASED:
		case IEEE_EV_ABORTED:
			p->associated = 0;
			if (p->st_since) {
				cdi_selftest_done(dev, 0, "association ended during the Get MDS");
				p->st_since = 0;
			}
			cdi_emit_state(dev, CAB_DEV_IDLE, CAB_INC_NONE, "association ended");
			break;
		case IEEE_EV_ERROR:
			cdi_emit_state(dev, CAB_DEV_ERROR, CAB_INC_PROTOCOL, o->error);
			break;
		case IEEE_EV_IDLE:
			cdi_emit_state(dev, CAB_DEV_IDLE, CAB_INC_NONE,
			               "waiting for the instrument's association request");
			break;
		default:
			break;
		}
	}
	for (size_t k = 0; k < o->n_readings; k++) {
		struct cab_reading rd = o->readings[k];
		rd.cabin_time_ms = 0; /* filled with the UTC wall time by cdi_emit_reading */
		rd.device = dev->id;
		cdi_emit_reading(dev, &rd);
	}
	return r;
}

/* Feeds every whole APDU of the receive buffer to the manager. */
static int drain(struct cdi_device *dev, struct phdc_priv *p)
{
	size_t off = 0;
	int r = 0;

	while (r == 0) {
		size_t flen = ieee_apdu_frame_len(p->rx + off, p->rx_len - off);
		if (flen == 0 || flen > p->rx_len - off) {
			if (flen > RX_MAX) { /* larger than Cabin accepts: give up the association */
				cab_warn(LOG, "APDU of %zu bytes exceeds %d: aborting", flen, RX_MAX);
				ieee_mgr_abort(&p->m, &p->out);
				r = handle_out(dev, p);
				off = p->rx_len;
			}
			break;
		}
		ieee_mgr_receive(&p->m, p->rx + off, flen, &p->out);
		r = handle_out(dev, p);
		off += flen;
	}
	memmove(p->rx, p->rx + off, p->rx_len - off);
	p->rx_len -= off;
	return r;
}

static int phdc_iface(const struct cdi_candidate *c)
{
	for (int k = 0; k < c->n_ifaces; k++)
		if (c->ifaces[k].if_class == IEEE_PHDC_CLASS)
			return c->ifaces[k].number;
	return -1;
}

static int phdc_open(struct cdi_device *dev)
{
	struct phdc_priv *p = calloc(1, sizeof *p);
	struct ieee_mgr_opts o;
	char err[160];

	if (!p)
		return CDI_T_IO;
	dev->priv = p;
	snprintf(dev->id.driver, sizeof dev->id.driver, "ieee11073-phdc");
	if (dev->cand.transport) {
		dev->transport = dev->cand.transport;
		dev->cand.transport = NULL;
		dev->id.kind = dev->cand.sim_kind;
	} else {
		struct cdi_usb_config cfg = {.iface = phdc_iface(&dev->cand), .mode = CDI_USB_BULK};
		uint8_t extra[256];
		int n, r;

		if (cfg.iface < 0)
			return CDI_T_INVALID;
		if ((r = cdi_usb_open(&dev->cand, &cfg, &dev->transport)) < 0)
			return r;
		n = cdi_usb_iface_extra(dev->transport, extra, sizeof extra);
		if (n > 0 && ieee_phdc_parse(extra, (size_t)n < sizeof extra ? (size_t)n : sizeof extra,
		                             &p->desc, err, sizeof err) < 0) {
			cab_warn(LOG, "%s", err);
			cdi_emit_state(dev, CAB_DEV_ERROR, CAB_INC_PROTOCOL, err);
			return CDI_T_INVALID;
		}
		if (p->desc.has_class_function && p->desc.data_code != IEEE_PHDC_DATA_11073) {
			cab_warn(LOG, "PHDC data code 0x%02X is not IEEE 11073-20601", p->desc.data_code);
			return CDI_T_INVALID;
		}
		dev->id.kind = ieee_phdc_kind(&p->desc);
	}
	memset(&o, 0, sizeof o);
	memcpy(o.system_id, "\x43\x41\x42\x49\x4E\x00\x00\x01", 8); /* "CABIN" + 1 */
	o.mono = (struct cab_clock){mono, NULL};
	o.wall = (struct cab_clock){local_wall, NULL};
	o.session_start_ms = dev->session_start_ms ? dev->session_start_ms + gmtoff_ms() : INT64_MIN;
	o.store = &process_store;
	o.device = dev->id;
	ieee_mgr_init(&p->m, &o);
	ieee_mgr_connect(&p->m, &p->out);
	cdi_emit_state(dev, CAB_DEV_ATTACHED, CAB_INC_NONE, "waiting for the agent's association request");
	return 0;
}

static int phdc_run(struct cdi_device *dev)
{
	struct phdc_priv *p = dev->priv;

	while (!cdi_stopping(dev)) {
		int64_t now = cab_mono_ms(), dl = ieee_mgr_deadline(&p->m);
		int tmo = READ_MAX_MS, n, r;

		/* the session may begin while the instrument is attached */
		p->m.o.session_start_ms =
		    dev->session_start_ms ? dev->session_start_ms + gmtoff_ms() : INT64_MIN;
		if (dl != INT64_MAX)
			tmo = dl <= now ? 0 : (dl - now < READ_MAX_MS ? (int)(dl - now) : READ_MAX_MS);
		if (cdi_take_selftest_request(dev)) {
			if (!p->associated || p->m.state != IEEE_ST_OPERATING)
				cdi_selftest_done(dev, 0, "not associated: switch the instrument on, it "
				                          "associates to send (IEEE 11073-20601)");
			else
				p->st_want = now;
		}
		if (p->st_want && !p->st_since) { /* after the manager's own request, if any */
			if (ieee_mgr_get_mds(&p->m, &p->out) == 0) {
				p->st_want = 0;
				p->st_since = now;
				if ((r = handle_out(dev, p)) == CDI_T_GONE)
					return r;
			} else if (!p->associated || now - p->st_want > SELFTEST_MS) {
				cdi_selftest_done(dev, 0, p->associated ? "a request to the agent stayed "
				                                          "outstanding for 3 s"
				                                        : "association ended");
				p->st_want = 0;
			}
		}
		if (p->st_since && now - p->st_since > SELFTEST_MS) {
			cdi_selftest_done(dev, 0, "no answer to Get MDS in 3 s");
			p->st_since = 0;
		}
		if (cdi_take_measure_request(dev) && p->associated)
			cdi_emit_state(dev, CAB_DEV_MEASURING, CAB_INC_NONE,
			               "waiting for the instrument's measurement report");
		n = dev->transport->ops->read(dev->transport, p->rx + p->rx_len, RX_MAX - p->rx_len,
		                              tmo > 0 ? tmo : 1);
		if (n == CDI_T_GONE) {
			ieee_mgr_disconnect(&p->m, &p->out);
			return n;
		}
		if (n > 0) {
			p->rx_len += (size_t)n;
			if ((r = drain(dev, p)) == CDI_T_GONE)
				return r;
			if (p->rx_len == RX_MAX) { /* a frame that cannot fit: drop it */
				ieee_mgr_abort(&p->m, &p->out);
				handle_out(dev, p);
				p->rx_len = 0;
			}
		} else if (n != CDI_T_TIMEOUT) {
			return n;
		}
		ieee_mgr_tick(&p->m, &p->out);
		if ((r = handle_out(dev, p)) == CDI_T_GONE)
			return r;
	}
	return 0;
}

static void phdc_close(struct cdi_device *dev)
{
	struct phdc_priv *p = dev->priv;

	if (p && dev->transport && !cdi_device_gone(dev) && p->m.state == IEEE_ST_OPERATING) {
		/* release politely: RLRQ, then wait a little for the RLRE */
		ieee_mgr_release(&p->m, &p->out);
		if (send_all(dev, &p->out) == 0) {
			int n = dev->transport->ops->read(dev->transport, p->rx, RX_MAX, 1000);
			if (n > 0)
				ieee_mgr_receive(&p->m, p->rx, (size_t)n, &p->out);
		}
	}
	if (dev->transport) {
		dev->transport->ops->close(dev->transport);
		dev->transport = NULL;
	}
	if (dev->cand.transport) {
		dev->cand.transport->ops->close(dev->cand.transport);
		dev->cand.transport = NULL;
	}
	free(p);
	dev->priv = NULL;
}

static const struct cdi_match phdc_match[] = {
	{.bus = CDI_BUS_USB, .if_class = IEEE_PHDC_CLASS, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY},
	{.bus = CDI_BUS_SIM, .sim = "ieee11073-thermometer", .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY},
	{.bus = CDI_BUS_SIM, .sim = "ieee11073-scale", .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY},
	{.bus = CDI_BUS_SIM, .sim = "ieee11073-glucometer", .if_class = CDI_ANY, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY},
	{0},
};

/* Simulators of the kinds no vendor driver simulates (thermometer, scale,
 * glucometer); the BP monitor and pulse oximeter agents of ieee11073_agent.h are
 * used by the tests and can be listed here when the demo wants them. */
extern const struct cdi_simulator cdi_sim_ieee11073_thermometer, cdi_sim_ieee11073_scale,
    cdi_sim_ieee11073_glucometer;
static const struct cdi_simulator *const phdc_sims[] = {
	&cdi_sim_ieee11073_thermometer, &cdi_sim_ieee11073_scale, &cdi_sim_ieee11073_glucometer, NULL,
};

const struct cdi_driver cdi_driver_ieee11073_phdc = {
	.name = "ieee11073-phdc",
	.full_name = "IEEE 11073-20601 agent on USB PHDC",
	.kind = CAB_KIND_UNKNOWN,
	.match = phdc_match,
	.open = phdc_open,
	.run = phdc_run,
	.close = phdc_close,
	.simulators = phdc_sims,
};
