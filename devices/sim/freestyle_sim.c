/* freestyle_sim.c — a simulated Abbott FreeStyle Optium Neo ("freestyle") or Libre
 * reader ("freestyle-libre") on the in-process transport pair, answering in the shared
 * HID protocol's own bytes (devices/proto/freestyle.h): 64-byte reports of type,
 * length and payload with stale bytes after the length (the meter does not clean
 * its buffer), a synchronisation packet (22 01 xx) every third report, text replies
 * with their CKSM and the record lists with their count and checksum.
 * A "patient measurement" (at start and at each cdi_simulator.measure) adds one strip
 * result after measure_ms, dated by the meter's clock. Options (* per measurement):
 *   glucose=105         mg/dL of the new result (*)
 *   stored=3            results already in memory (dated 2024-01, synthetic)
 *   measure_ms=2000     when the new result appears (-1: never) (*)
 *   clock_offset_s=0    the meter's clock minus the true time
 *   fault=clock-unset   $date?/$time? answer 255 everywhere (never set)
 *   fault=hi | fault=lo the new result is out of range: "HI" (Neo) / LO flag (Libre) (*)
 *   fault=error-once    the next record list is answered "CMD Fail!" once (*)
 *   fault=bad-checksum  the next record list has a wrong CKSM once (*)
 *   fault=unplug        the link drops in the middle of the next record list (*) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "devices/internal/driver.h"
#include "devices/internal/transports.h"
#include "devices/proto/freestyle.h"

#define MAX_RECORDS 200

struct rec {
	long id;
	int64_t t_ms;   /* meter wall time */
	int value, hi, lo;
};

struct cdi_sim {
	struct cdi_transport *dev_end;
	pthread_t thread;
	volatile int stop;
	int libre;
	pthread_mutex_t lock;
	struct rec rec[MAX_RECORDS];
	int nrec;
	long next_id;
	int64_t measure_at;     /* mono ms, -1 none */
	struct rec pending;
	int64_t clock_offset_ms;
	int clock_unset, error_once, bad_checksum, unplug;
	unsigned reports;       /* sent, for the sync packets */
	char *reply;            /* scratch for replies */
};

static void civil(int64_t ms, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	*y = tm.tm_year + 1900;
	*mo = tm.tm_mon + 1;
	*d = tm.tm_mday;
	*h = tm.tm_hour;
	*mi = tm.tm_min;
	*s = tm.tm_sec;
}

/* Sends one report: stale bytes (0xA5) after the length, a sync packet every third. */
static int send_rep(struct cdi_sim *s, uint8_t type, const uint8_t *p, size_t n)
{
	uint8_t rep[FS_REPORT];
	if (++s->reports % 3 == 0) {
		uint8_t sync[FS_REPORT];
		memset(sync, 0xA5, sizeof sync);
		sync[0] = FS_TYPE_SYNC;
		sync[1] = 1;
		sync[2] = (uint8_t)s->reports;
		if (s->dev_end->ops->write(s->dev_end, sync, sizeof sync, 100) < 0)
			return -1;
	}
	memset(rep, 0xA5, sizeof rep);
	rep[0] = type;
	rep[1] = (uint8_t)n;
	memcpy(rep + 2, p, n);
	return s->dev_end->ops->write(s->dev_end, rep, sizeof rep, 100) < 0 ? -1 : 0;
}

/* Sends TEXT as 0x60 reports; CUT > 0 drops the link after CUT reports. */
static int send_text(struct cdi_sim *s, const char *text, size_t len, int cut)
{
	int k = 0;
	for (size_t off = 0; off < len; off += FS_PAYLOAD, k++) {
		if (cut && k == cut)
			return -2;
		size_t n = len - off < FS_PAYLOAD ? len - off : FS_PAYLOAD;
		if (send_rep(s, FS_TYPE_TEXT, (const uint8_t *)text + off, n) < 0)
			return -1;
	}
	return 0;
}

/* Appends the record list of the meter's memory to OUT (multi-record grammar). */
static size_t record_list(struct cdi_sim *s, char *out, size_t size)
{
	size_t n = 0;
	if (!s->nrec)
		return (size_t)snprintf(out, size, "Log Empty\r\n");
	for (int i = 0; i < s->nrec && n + 256 < size; i++) {
		const struct rec *r = &s->rec[i];
		int y, mo, d, h, mi, sec;
		civil(r->t_ms, &y, &mo, &d, &h, &mi, &sec);
		y -= 2000;
		if (s->clock_unset) /* the meter's clock was never set: 255 in every field */
			y = mo = d = h = mi = sec = 255;
		char v[8];
		snprintf(v, sizeof v, "%d", r->value);
		if (!s->libre)
			n += (size_t)snprintf(out + n, size - n, "7,%ld,%d,%d,%d,%d,%d,0,%s,0,0,0,0,0,0,0,0,0,0\r\n",
			                      r->id, mo, d, y, h, mi, r->hi ? "HI" : r->lo ? "LO" : v);
		else
			n += (size_t)snprintf(out + n, size - n,
			                      "%ld,2,%d,%d,%d,%d,%d,%d,1,0,0,%d,%s,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
			                      "%d,\"\",\"\",\"\",\"\",\"\",\"\"\r\n",
			                      r->id, mo, d, y, h, mi, sec, r->lo ? 1 : 0, r->lo ? "0" : v,
			                      r->hi ? 0x8000 : 0);
	}
	unsigned ck = 0;
	for (size_t i = 0; i < n; i++)
		ck += (uint8_t)out[i];
	n += (size_t)snprintf(out + n, size - n, "%d,%08X\r\n", s->nrec, ck);
	return n;
}

static void handle_text(struct cdi_sim *s, const char *cmd)
{
	char msg[96];
	int fail = 0, cut = 0, corrupt = 0;
	const char *body = msg;
	int64_t now = cab_wall_ms() + s->clock_offset_ms;
	int y, mo, d, h, mi, sec;
	civil(now, &y, &mo, &d, &h, &mi, &sec);
	char *big = s->reply;
	size_t bigsz = 64 * 1024;
	if (!strcmp(cmd, "$serlnum?") && !s->libre) {
		snprintf(msg, sizeof msg, "SIMNEO1-00001\r\n");
	} else if (!strcmp(cmd, "$sn?") && s->libre) {
		snprintf(msg, sizeof msg, "SIMLIBRE0001\r\n");
	} else if (!strcmp(cmd, "$swver?")) {
		snprintf(msg, sizeof msg, "1.43 sim\r\n");
	} else if (!strcmp(cmd, "$date?")) {
		if (s->clock_unset)
			snprintf(msg, sizeof msg, "255,255,255\r\n");
		else
			snprintf(msg, sizeof msg, "%d,%d,%d\r\n", mo, d, y - 2000);
	} else if (!strcmp(cmd, "$time?")) {
		if (s->clock_unset)
			snprintf(msg, sizeof msg, "255,255\r\n");
		else
			snprintf(msg, sizeof msg, "%d,%d\r\n", h, mi);
	} else if (!strcmp(cmd, s->libre ? "$arresult?" : "$result?")) {
		record_list(s, big, bigsz - 64);
		body = big;
		if (s->error_once) {
			s->error_once = 0;
			fail = 1;
		} else if (s->bad_checksum) {
			s->bad_checksum = 0;
			corrupt = 1;
		} else if (s->unplug) {
			cut = 2;
		}
	} else {
		fail = 1;
	}
	char *out = malloc(bigsz);
	if (!out)
		return;
	int n = fs_reply_build(fail ? "" : body, fail, out, bigsz);
	if (n > 0 && corrupt)
		out[n - 15] = out[n - 15] == '0' ? '1' : '0'; /* one CKSM digit wrong */
	if (n > 0 && send_text(s, out, (size_t)n, cut) == -2) {
		__atomic_store_n(&s->stop, 2, __ATOMIC_RELEASE); /* unplugged */
	}
	free(out);
}

static void *fs_thread(void *arg)
{
	struct cdi_sim *s = arg;
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&s->lock);
		if (s->measure_at >= 0 && cab_mono_ms() >= s->measure_at) {
			s->measure_at = -1;
			if (s->nrec < MAX_RECORDS) {
				s->pending.id = s->next_id++;
				s->pending.t_ms = cab_wall_ms() + s->clock_offset_ms;
				s->rec[s->nrec++] = s->pending;
			}
		}
		pthread_mutex_unlock(&s->lock);
		uint8_t in[FS_REPORT + 1];
		int tag = 0;
		int n = cdi_sim_read_msg(s->dev_end, in, sizeof in, 50, &tag);
		if (n == CDI_T_TIMEOUT)
			continue;
		if (n < 0)
			break;
		if (tag != CDI_SIM_TAG_DATA || n < 2)
			continue;
		uint8_t type;
		const uint8_t *p;
		size_t pl;
		if (fs_report(in, (size_t)n, &type, &p, &pl) < 0)
			continue;
		pthread_mutex_lock(&s->lock);
		if (type == FS_TYPE_INIT) {
			const uint8_t one = 1;
			send_rep(s, FS_TYPE_INIT_REPLY, &one, 1);
		} else if (type == FS_TYPE_TEXT || (s->libre && type == FS_TYPE_TEXT_LIBRE)) {
			char cmd[FS_PAYLOAD + 1];
			memcpy(cmd, p, pl);
			cmd[pl] = 0;
			handle_text(s, cmd);
		} else {
			const uint8_t code = 0x85;
			send_rep(s, FS_TYPE_ERROR, &code, 1);
		}
		pthread_mutex_unlock(&s->lock);
	}
	if (__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE) == 2 && s->dev_end) {
		s->dev_end->ops->close(s->dev_end);
		s->dev_end = NULL;
	}
	return NULL;
}

/* Takes the per-measurement options; called with the lock held (or before the thread). */
static int take_measurement(struct cdi_sim *s, const char *opts)
{
	double g = cdi_sim_opt(opts, "glucose", 105);
	double ms = cdi_sim_opt(opts, "measure_ms", 2000);
	if (g < 0 || g > 1000)
		return -1;
	memset(&s->pending, 0, sizeof s->pending);
	s->pending.value = (int)g;
	s->pending.hi = cdi_sim_has_fault(opts, "hi");
	s->pending.lo = cdi_sim_has_fault(opts, "lo");
	s->measure_at = ms < 0 ? -1 : cab_mono_ms() + (int64_t)ms;
	s->error_once = cdi_sim_has_fault(opts, "error-once");
	s->bad_checksum = cdi_sim_has_fault(opts, "bad-checksum");
	s->unplug = cdi_sim_has_fault(opts, "unplug");
	return 0;
}

static int start_common(const char *opts, struct cdi_sim **out, struct cdi_candidate *c, int libre)
{
	struct cdi_sim *s = calloc(1, sizeof *s);
	struct cdi_transport *host = NULL;
	*out = NULL;
	if (!s)
		return -1;
	s->reply = malloc(64 * 1024);
	s->libre = libre;
	int stored = (int)cdi_sim_opt(opts, "stored", 3);
	s->clock_offset_ms = (int64_t)(cdi_sim_opt(opts, "clock_offset_s", 0) * 1000);
	s->clock_unset = cdi_sim_has_fault(opts, "clock-unset");
	if (!s->reply || stored < 0 || stored > MAX_RECORDS - 10 || take_measurement(s, opts)) {
		free(s->reply);
		free(s);
		return -1;
	}
	s->next_id = 101;
	for (int i = 0; i < stored; i++) { /* synthetic old results, 2024-01-0N 08:30 UTC */
		struct rec r = {.id = s->next_id++, .t_ms = 1704097800000LL + i * 86400000LL,
		                .value = 98 + 3 * i};
		s->rec[s->nrec++] = r;
	}
	pthread_mutex_init(&s->lock, NULL);
	if (cdi_sim_pair(&host, &s->dev_end) < 0 ||
	    pthread_create(&s->thread, NULL, fs_thread, s) != 0) {
		if (host)
			host->ops->close(host);
		if (s->dev_end)
			s->dev_end->ops->close(s->dev_end);
		pthread_mutex_destroy(&s->lock);
		free(s->reply);
		free(s);
		return -1;
	}
	const char *name = libre ? "freestyle-libre" : "freestyle";
	memset(c, 0, sizeof *c);
	c->bus = CDI_BUS_SIM;
	snprintf(c->syspath, sizeof c->syspath, "sim:%s", name);
	snprintf(c->sim_name, sizeof c->sim_name, "%s", name);
	snprintf(c->manufacturer, sizeof c->manufacturer, "Abbott");
	snprintf(c->product, sizeof c->product, "%s (simulated)",
	         libre ? "FreeStyle Libre" : "FreeStyle Optium Neo");
	c->vid = 0x1a61;
	c->pid = libre ? 0x3650 : 0x3850;
	c->transport = host;
	c->simulated = 1;
	c->sim_kind = CAB_KIND_GLUCOMETER;
	c->iface = -1;
	*out = s;
	return 0;
}

static int neo_start(const char *opts, struct cdi_sim **out, struct cdi_candidate *c)
{
	return start_common(opts, out, c, 0);
}

static int libre_start(const char *opts, struct cdi_sim **out, struct cdi_candidate *c)
{
	return start_common(opts, out, c, 1);
}

static void fs_sim_stop(struct cdi_sim *s)
{
	if (!s)
		return;
	if (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
		__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	pthread_join(s->thread, NULL);
	if (s->dev_end)
		s->dev_end->ops->close(s->dev_end);
	pthread_mutex_destroy(&s->lock);
	free(s->reply);
	free(s);
}

static int fs_sim_measure(struct cdi_sim *s, const char *opts)
{
	if (!s || __atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
		return -1;
	pthread_mutex_lock(&s->lock);
	int r = take_measurement(s, opts);
	pthread_mutex_unlock(&s->lock);
	return r;
}

#define FS_HELP                                                                             \
	"glucose=N (mg/dL of the new result), stored=N, measure_ms=N (-1 never),\n"            \
	"clock_offset_s=N, fault=clock-unset|hi|lo|error-once|bad-checksum|unplug"

const struct cdi_simulator cdi_sim_freestyle = {
	.name = "freestyle",
	.kind = CAB_KIND_GLUCOMETER,
	.help = FS_HELP,
	.start = neo_start,
	.stop = fs_sim_stop,
	.measure = fs_sim_measure,
	.extra = 1,
};

const struct cdi_simulator cdi_sim_freestyle_libre = {
	.name = "freestyle-libre",
	.kind = CAB_KIND_GLUCOMETER,
	.help = FS_HELP,
	.start = libre_start,
	.stop = fs_sim_stop,
	.measure = fs_sim_measure,
	.extra = 1,
};
