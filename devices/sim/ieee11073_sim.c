/* ieee11073_sim.c — in-process simulators of IEEE 11073-20601 instruments for the
 * ieee11073-phdc driver (`cabin --sim`, `cabin-devices simulate`): the simulated
 * agent of ieee11073_agent.c on the in-process transport pair, one APDU per message
 * as PHDC carries them whole. The agent associates, answers Get MDS and Set-Time,
 * then sends one confirmed fixed measurement report after measure_ms. It stays
 * plugged in: each later "patient measurement" (cdi_simulator.measure, with these
 * options) sends one more report, associating again first if the manager released
 * or aborted the association (as an agent with new data does, 20601 clause 8.4).
 * Options:
 *   temp=36.8 (thermometer), weight=72.4 (scale), glucose=104 (glucometer)
 *   measure_ms=1000     when the measurement is reported (-1: never)
 *   extended=1          announce an extended configuration and send it (config report)
 *   stored=1            first report an old stored measurement (dated 2007)
 *   fault=unplug        the link drops right after the association
 *   fault=garbage       a malformed APDU instead of the measurement report */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "devices/internal/driver.h"
#include "devices/internal/transports.h"
#include "devices/sim/ieee11073_agent.h"

struct cdi_sim {
	struct cdi_transport *dev_end;
	pthread_t thread;
	volatile int stop;
	struct cab_sim11073 agent;
	enum cab_device_kind kind;
	const char *key;        /* the value's option key ("temp"), and its default */
	double def;
	int extended;           /* agent setting kept across associations */
	pthread_mutex_t lock;   /* the measurement fields below (measure() vs the thread) */
	double value;
	int64_t measure_at;     /* mono ms, -1 never */
	int stored, unplug, garbage;
	int config_sent, reported;
};

/* Takes this measurement's options (start and measure share them). Under s->lock. */
static void set_measurement(struct cdi_sim *s, const char *opts, const char *key, double def)
{
	double mms = cdi_sim_opt(opts, "measure_ms", 1000);
	s->value = cdi_sim_opt(opts, key, def);
	s->measure_at = mms < 0 ? -1 : cab_mono_ms() + (int64_t)mms;
	s->stored = cdi_sim_opt(opts, "stored", 0) != 0;
	s->unplug = cdi_sim_has_fault(opts, "unplug");
	s->garbage = cdi_sim_has_fault(opts, "garbage");
	s->reported = 0;
}

/* The agent's clock: the local wall time read literally (as 11073 agents keep it). */
static int64_t local_ms(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return cab_wall_ms() + (int64_t)tm.tm_gmtoff * 1000;
}

static int sim_send(struct cdi_sim *s, const uint8_t *b, size_t n)
{
	return n ? s->dev_end->ops->write(s->dev_end, b, n, 200) : -1;
}

/* Associated, and the manager's Get MDS and Set-Time (when offered) answered: the
 * simulated instrument reports only then, so its readings carry the MDS identity. */
static int associated(const struct cdi_sim *s)
{
	return (s->agent.assoc_result == 0 || s->agent.config_result == 0) &&
	       s->agent.mds_answered && (s->agent.time_set || !s->agent.set_time_supported);
}

static void *sim_thread(void *arg)
{
	struct cdi_sim *s = arg;
	uint8_t in[1024], out[1024];

	sim_send(s, out, cab_sim11073_aarq(&s->agent, out, sizeof out));
	while (!s->stop) {
		pthread_mutex_lock(&s->lock);
		int unplug = s->unplug, garbage = s->garbage, stored = s->stored;
		int due = !s->reported && s->measure_at >= 0 && cab_mono_ms() >= s->measure_at;
		int pending = !s->reported && s->measure_at >= 0;
		double value = s->value;
		pthread_mutex_unlock(&s->lock);
		int tag = 0;
		int n = cdi_sim_read_msg(s->dev_end, in, sizeof in, 50, &tag);
		if (n > 0 && tag == CDI_SIM_TAG_DATA) {
			size_t r = cab_sim11073_receive(&s->agent, in, (size_t)n, out, sizeof out);
			if (r)
				sim_send(s, out, r);
		} else if (n < 0 && n != CDI_T_TIMEOUT) {
			break; /* the host closed its end */
		}
		if (s->agent.assoc_result == 3 && !s->config_sent) {
			s->config_sent = 1;
			sim_send(s, out, cab_sim11073_config_report(&s->agent, out, sizeof out));
		}
		if ((s->agent.released || s->agent.aborted) && pending) {
			/* new data and no association: associate again */
			cab_sim11073_init(&s->agent, s->kind);
			s->agent.extended = s->extended;
			s->agent.clock_ms = local_ms();
			s->config_sent = 0;
			sim_send(s, out, cab_sim11073_aarq(&s->agent, out, sizeof out));
			continue;
		}
		if (!associated(s) || s->agent.released || s->agent.aborted)
			continue;
		if (unplug) {
			s->dev_end->ops->close(s->dev_end);
			s->dev_end = NULL;
			break;
		}
		if (due) {
			double v[1] = {value};
			pthread_mutex_lock(&s->lock);
			s->reported = 1;
			pthread_mutex_unlock(&s->lock);
			if (garbage) {
				static const uint8_t junk[] = {0xE7, 0x00, 0x00, 0x06, 0x00, 0x09, 0x00, 0x01, 0x01, 0x01};
				sim_send(s, junk, sizeof junk);
				continue;
			}
			if (stored) /* 2007-12-06 12:10, long before any session */
				sim_send(s, out, cab_sim11073_measurement(&s->agent, v, 1, 1196943000000LL, out,
				                                      sizeof out));
			sim_send(s, out, cab_sim11073_measurement(&s->agent, v, 1, local_ms(), out, sizeof out));
		}
	}
	return NULL;
}

static int start(enum cab_device_kind kind, const char *name, const char *key, double def,
                 const char *opts, struct cdi_sim **out, struct cdi_candidate *c)
{
	struct cdi_sim *s = calloc(1, sizeof *s);
	struct cdi_transport *host = NULL;

	*out = NULL;
	if (!s || cab_sim11073_init(&s->agent, kind)) {
		free(s);
		return -1;
	}
	s->kind = kind;
	s->key = key;
	s->def = def;
	pthread_mutex_init(&s->lock, NULL);
	set_measurement(s, opts, key, def);
	s->extended = s->agent.extended = cdi_sim_opt(opts, "extended", 0) != 0;
	s->agent.clock_ms = local_ms();
	if (cdi_sim_pair(&host, &s->dev_end) < 0) {
		pthread_mutex_destroy(&s->lock);
		free(s);
		return -1;
	}
	if (pthread_create(&s->thread, NULL, sim_thread, s) != 0) {
		host->ops->close(host);
		s->dev_end->ops->close(s->dev_end);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return -1;
	}
	memset(c, 0, sizeof *c);
	c->bus = CDI_BUS_SIM;
	snprintf(c->syspath, sizeof c->syspath, "sim:%s", name);
	snprintf(c->sim_name, sizeof c->sim_name, "%s", name);
	snprintf(c->manufacturer, sizeof c->manufacturer, "Cabin");
	snprintf(c->product, sizeof c->product, "IEEE 11073 %s (simulated)", cab_device_kind_name(kind));
	c->transport = host;
	c->simulated = 1;
	c->sim_kind = kind;
	c->iface = -1;
	*out = s;
	return 0;
}

static void stop(struct cdi_sim *s)
{
	if (!s)
		return;
	s->stop = 1;
	pthread_join(s->thread, NULL);
	if (s->dev_end)
		s->dev_end->ops->close(s->dev_end);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* The patient takes one more measurement (cdi_simulator.measure). */
static int measure(struct cdi_sim *s, const char *opts)
{
	if (!s || s->stop)
		return -1;
	pthread_mutex_lock(&s->lock);
	set_measurement(s, opts, s->key, s->def);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static int start_thermo(const char *o, struct cdi_sim **s, struct cdi_candidate *c)
{
	return start(CAB_KIND_THERMOMETER, "ieee11073-thermometer", "temp", 36.8, o, s, c);
}

static int start_scale(const char *o, struct cdi_sim **s, struct cdi_candidate *c)
{
	return start(CAB_KIND_SCALE, "ieee11073-scale", "weight", 72.4, o, s, c);
}

static int start_gluco(const char *o, struct cdi_sim **s, struct cdi_candidate *c)
{
	return start(CAB_KIND_GLUCOMETER, "ieee11073-glucometer", "glucose", 104, o, s, c);
}

#define COMMON_HELP "measure_ms=N (-1 never), extended=1, stored=1, fault=unplug|garbage"

const struct cdi_simulator cdi_sim_ieee11073_thermometer = {
	.name = "ieee11073-thermometer", .kind = CAB_KIND_THERMOMETER,
	.help = "temp=36.8 (Cel), " COMMON_HELP, .start = start_thermo, .stop = stop, .measure = measure,
};
const struct cdi_simulator cdi_sim_ieee11073_scale = {
	.name = "ieee11073-scale", .kind = CAB_KIND_SCALE,
	.help = "weight=72.4 (kg), " COMMON_HELP, .start = start_scale, .stop = stop, .measure = measure,
};
const struct cdi_simulator cdi_sim_ieee11073_glucometer = {
	.name = "ieee11073-glucometer", .kind = CAB_KIND_GLUCOMETER,
	.help = "glucose=104 (mg/dL), " COMMON_HELP, .start = start_gluco, .stop = stop, .measure = measure,
};
