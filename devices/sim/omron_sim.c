/* omron_sim.c — a simulated Omron HEM-790IT on the in-process transport pair,
 * answering with the real 8-byte HID reports (count byte + up to 7 bytes, then
 * stale bytes) per libomron's notes and issue #25 layout (devices/proto/omron_hem.h).
 * It holds stored records; a "patient measurement" adds one after measure_ms, at
 * start and at each later cdi_simulator.measure (the monitor stays plugged in; the
 * patient presses START again), which takes the options marked (*) below.
 * Options:
 *   sys=120 dia=80 pulse=70   values of the new measurement (*)
 *   stored=2                  records already in memory (dated 2007, synthetic)
 *   measure_ms=1000           when the new measurement appears (-1: never) (*)
 *   fault=irregular           the new record carries the irregular-heartbeat flag (*)
 *   fault=cuff-error          the measurement ends in error: no record is stored (*)
 *                             (the device shows E; the protocol has no error code)
 *   fault=low-battery         the device stops answering after VER (it powers off);
 *                             asked at a later measurement: stops answering at once (*)
 *   fault=unplug              the link drops in the middle of the GME reply (*) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "devices/internal/driver.h"
#include "devices/internal/transports.h"
#include "devices/proto/omron_hem.h"

#define MAX_RECORDS 100 /* HEM-790IT memory: 2 x 42 in the real device; bounded here */

struct cdi_sim {
	struct cdi_transport *dev_end;
	pthread_t thread;
	volatile int stop;
	struct omron_record rec[MAX_RECORDS]; /* rec[0] newest */
	int nrec;
	pthread_mutex_t lock;                 /* pending, measure_at and the faults */
	struct omron_record pending;
	int64_t measure_at;                   /* mono ms, or -1 */
	int irregular, cuff_error, low_battery, unplug;
	uint16_t mode;
	int dead;
};

static void push_record(struct cdi_sim *s, const struct omron_record *r)
{
	if (s->nrec == MAX_RECORDS)
		s->nrec--;
	memmove(&s->rec[1], &s->rec[0], (size_t)s->nrec * sizeof s->rec[0]);
	s->rec[0] = *r;
	s->nrec++;
}

/* Sends MSG as reports; stale bytes are 0x55 like a reused buffer. Stops after
 * CUT reports (unplug) when CUT > 0. Returns < 0 when the link is down. */
static int send_reply(struct cdi_sim *s, const uint8_t *msg, size_t len, int cut)
{
	uint8_t reps[16][8];
	size_t nr = omron_split_reports(msg, len, reps, 16);
	for (size_t i = 0; i < nr; i++) {
		for (int b = 1 + reps[i][0]; b < 8; b++)
			reps[i][b] = 0x55;
		if (cut && (int)i == cut)
			return -1;
		if (s->dev_end->ops->write(s->dev_end, reps[i], 8, 100) < 0)
			return -1;
	}
	return 0;
}

static int reply_ok(struct cdi_sim *s, const uint8_t *data, size_t n)
{
	uint8_t m[OMRON_MSG_MAX];
	uint8_t x = 0;
	m[0] = 'O';
	m[1] = 'K';
	m[2] = 0;
	memcpy(m + 3, data, n);
	for (size_t i = 0; i < n; i++)
		x ^= data[i];
	m[3 + n] = x;
	return send_reply(s, m, n + 4, 0);
}

static void handle(struct cdi_sim *s, const uint8_t *cmd, size_t len)
{
	if (len >= 3 && !memcmp(cmd, "VER", 3)) {
		reply_ok(s, (const uint8_t *)"M7080IT 207", 11);
		if (s->low_battery)
			s->dead = 1;
	} else if (len == 8 && !memcmp(cmd, "GDC", 3)) {
		uint8_t d[4] = {0x00, 0x14, (uint8_t)(s->nrec >> 8), (uint8_t)s->nrec};
		reply_ok(s, d, 4);
	} else if (len == 8 && !memcmp(cmd, "GME", 3)) {
		int idx = cmd[5] << 8 | cmd[6];
		if ((cmd[4] ^ cmd[5] ^ cmd[6]) != cmd[7] || idx >= s->nrec) {
			send_reply(s, (const uint8_t *)"NO", 2, 0);
			return;
		}
		uint8_t m[17];
		omron_encode_gme_reply(&s->rec[idx], m);
		if (s->unplug) {
			send_reply(s, m, sizeof m, 1);
			s->dead = 2; /* link dropped */
			return;
		}
		send_reply(s, m, sizeof m, 0);
	} else if (len == 5 && !memcmp(cmd, "END", 3)) {
		send_reply(s, (const uint8_t *)"OK", 2, 0);
		send_reply(s, (const uint8_t *)"OFF\r\n", 5, 0);
	} else {
		send_reply(s, (const uint8_t *)"NO", 2, 0);
	}
}

/* Takes one measurement's options (marked (*) above) into S->pending and the
 * faults. Returns 0, or -1 on a value out of the protocol's range (S unchanged).
 * Under s->lock once the thread runs. */
static int take_measurement(struct cdi_sim *s, const char *opts)
{
	struct omron_record p = {.sys = (int)cdi_sim_opt(opts, "sys", 120),
	                         .dia = (int)cdi_sim_opt(opts, "dia", 80),
	                         .pulse = (int)cdi_sim_opt(opts, "pulse", 70)};
	double mms = cdi_sim_opt(opts, "measure_ms", 1000);
	if (p.sys < 0 || p.sys > 0xFFFF || p.dia < 0 || p.dia > 255 || p.pulse < 0 || p.pulse > 255)
		return -1;
	s->irregular = cdi_sim_has_fault(opts, "irregular");
	s->cuff_error = cdi_sim_has_fault(opts, "cuff-error");
	s->low_battery = cdi_sim_has_fault(opts, "low-battery");
	s->unplug = cdi_sim_has_fault(opts, "unplug");
	p.flags = s->irregular ? OMRON_FLAG_IRREGULAR : 0;
	s->pending = p;
	s->measure_at = mms < 0 ? -1 : cab_mono_ms() + (int64_t)mms;
	return 0;
}

static void *omron_thread(void *arg)
{
	struct cdi_sim *s = arg;
	struct omron_asm a;
	memset(&a, 0, sizeof a);
	pthread_mutex_lock(&s->lock);
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE) && s->dead != 2) {
		if (s->measure_at >= 0 && cab_mono_ms() >= s->measure_at) {
			s->measure_at = -1;
			if (!s->cuff_error) {
				time_t now = time(NULL);
				struct tm tm;
				localtime_r(&now, &tm);
				s->pending.year = tm.tm_year + 1900;
				s->pending.month = tm.tm_mon + 1;
				s->pending.day = tm.tm_mday;
				s->pending.hour = tm.tm_hour;
				s->pending.minute = tm.tm_min;
				s->pending.second = tm.tm_sec;
				push_record(s, &s->pending);
			}
		}
		uint8_t rep[16];
		int tag = 0;
		pthread_mutex_unlock(&s->lock); /* measure() may come while we wait */
		int n = cdi_sim_read_msg(s->dev_end, rep, sizeof rep, 50, &tag);
		pthread_mutex_lock(&s->lock);
		if (n == CDI_T_TIMEOUT)
			continue;
		if (n < 0)
			break; /* the host closed its end */
		if (tag == CDI_SIM_TAG_FEATURE) {
			if (n >= 3)
				s->mode = (uint16_t)(rep[1] << 8 | rep[2]);
			continue;
		}
		if (s->dead)
			continue; /* powered off: silence */
		if (n != 8 || omron_asm_add(&a, rep, 8) < 0) {
			memset(&a, 0, sizeof a);
			continue;
		}
		size_t want = a.n >= 3 && (!memcmp(a.buf, "GDC", 3) || !memcmp(a.buf, "GME", 3)) ? 8 : 5;
		if (rep[0] < OMRON_REPORT_PAYLOAD || a.n >= want) {
			handle(s, a.buf, a.n);
			memset(&a, 0, sizeof a);
		}
	}
	pthread_mutex_unlock(&s->lock);
	if (s->dead == 2) {
		s->dev_end->ops->close(s->dev_end);
		s->dev_end = NULL;
	}
	return NULL;
}

static int omron_sim_start(const char *opts, struct cdi_sim **out, struct cdi_candidate *c)
{
	struct cdi_sim *s = calloc(1, sizeof *s);
	struct cdi_transport *host = NULL;
	*out = NULL;
	if (!s)
		return -1;
	int stored = (int)cdi_sim_opt(opts, "stored", 2);
	if (stored < 0 || stored > MAX_RECORDS - 1 || take_measurement(s, opts)) {
		free(s);
		return -1;
	}
	for (int i = 0; i < stored; i++) { /* synthetic old records, oldest first */
		struct omron_record r = {.year = 2007, .month = 1, .day = 1 + i, .hour = 8, .minute = 30,
		                         .second = 0, .sys = 118 + i, .dia = 76 + i, .pulse = 66 + i};
		push_record(s, &r);
	}
	pthread_mutex_init(&s->lock, NULL);
	if (cdi_sim_pair(&host, &s->dev_end) < 0) {
		pthread_mutex_destroy(&s->lock);
		free(s);
		return -1;
	}
	if (pthread_create(&s->thread, NULL, omron_thread, s) != 0) {
		host->ops->close(host);
		s->dev_end->ops->close(s->dev_end);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return -1;
	}
	memset(c, 0, sizeof *c);
	c->bus = CDI_BUS_SIM;
	snprintf(c->syspath, sizeof c->syspath, "sim:omron-hem");
	snprintf(c->sim_name, sizeof c->sim_name, "omron-hem");
	snprintf(c->manufacturer, sizeof c->manufacturer, "Omron");
	snprintf(c->product, sizeof c->product, "HEM-790IT (simulated)");
	c->vid = OMRON_VID;
	c->pid = OMRON_PID_HEM790IT;
	c->transport = host;
	c->simulated = 1;
	c->sim_kind = CAB_KIND_BLOOD_PRESSURE;
	c->iface = -1;
	*out = s;
	return 0;
}

static void omron_sim_stop(struct cdi_sim *s)
{
	if (!s)
		return;
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	pthread_join(s->thread, NULL);
	if (s->dev_end)
		s->dev_end->ops->close(s->dev_end);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* The patient presses START again (cdi_simulator.measure): one more record after
 * measure_ms; low-battery: the monitor powers off now. */
static int omron_sim_measure(struct cdi_sim *s, const char *opts)
{
	if (!s || __atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
		return -1;
	pthread_mutex_lock(&s->lock);
	int r = take_measurement(s, opts);
	if (r == 0 && s->low_battery)
		s->dead = s->dead ? s->dead : 1;
	pthread_mutex_unlock(&s->lock);
	return r;
}

const struct cdi_simulator cdi_sim_omron_hem = {
	.name = "omron-hem",
	.kind = CAB_KIND_BLOOD_PRESSURE,
	.help = "sys=N dia=N pulse=N (new measurement), stored=N, measure_ms=N (-1 never),\n"
	        "fault=irregular|cuff-error|low-battery|unplug",
	.start = omron_sim_start,
	.stop = omron_sim_stop,
	.measure = omron_sim_measure,
};
