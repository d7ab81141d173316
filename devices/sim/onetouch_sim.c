/* onetouch_sim.c — a simulated LifeScan OneTouch Ultra 2 on a pseudo-terminal,
 * answering DM?, DM@, DMF, DMSU? and DMP in the meter's serial ASCII protocol
 * (devices/proto/onetouch.h: line layouts and the 16-bit sum). DMT and DMZ (set the
 * clock, erase) are answered as the meter would but never change anything here: the
 * driver must never send them, and the simulator logs it loudly if it does.
 * Options (start and measure):
 *   mgdl=N           the value of the next measurement (default 104), stored in mg/dL;
 *                    at start the meter holds only its STORED records: a measurement
 *                    is the patient's strip, cab_devices_sim_measure
 *   mmol=1           the meter displays mmol/L (DMSU? and the DMP header say so)
 *   stored=N         records already in memory before the session (default 2, a day old)
 *   measure_ms=N     the measurement is stored N ms after the request (default 300;
 *                    -1: none until cab_devices_sim_measure)
 *   fault=control    the next record is a control-solution test
 *   fault=clock-unset the meter's clock was never set (counts from 01/01/00 00:00:00
 *                    at power-on, two days ago)
 *   fault=bad-checksum the first DMP answer has one record with a wrong sum (a retry
 *                    gets it right)
 *   fault=not-a-meter the "cable" answers nothing (an unknown USB-serial bridge) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "devices/internal/driver.h"
#include "devices/sim/pty.h"
#include "devices/proto/onetouch.h"

#define MAX_REC 64
#define SERIAL "SIM00001Y" /* synthetic: 9 characters, 'Y' = Ultra 2 */

struct rec {
	int64_t t_ms; /* meter clock */
	int mgdl, control;
};

struct cdi_sim {
	int master;
	pthread_t thread;
	pthread_mutex_t lock;
	volatile int stop;
	int mmol, clock_unset, bad_checksum, silent;
	int64_t clock_base_ms; /* meter clock = cabin wall ms - this (clock-unset) */
	struct rec rec[MAX_REC];
	int n;
	int64_t pending_at; /* mono ms when the pending measurement is stored, 0 none */
	int pending_mgdl, pending_control;
	char path[64];
};

static int64_t meter_now(struct cdi_sim *s)
{
	return cab_wall_ms() - s->clock_base_ms;
}

static void fmt_time(int64_t ms, char out[48])
{
	static const char *const wd[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 48, "\"%s\",\"%02d/%02d/%02d\",\"%02d:%02d:%02d   \"",
	         wd[(unsigned)tm.tm_wday % 7], (tm.tm_mon + 1) % 100, tm.tm_mday % 100,
	         tm.tm_year % 100, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100);
}

static void send_line(struct cdi_sim *s, const char *body, int corrupt)
{
	char line[160];
	uint16_t sum = (uint16_t)(ot_checksum(body, strlen(body)) + (corrupt ? 1 : 0));
	int n = snprintf(line, sizeof line, "%s %04X\r\n", body, sum);
	if (n > 0 && write(s->master, line, (size_t)n) < 0) { /* the driver went away */
	}
}

static void answer(struct cdi_sim *s, const char *cmd)
{
	char body[128], t[48];
	pthread_mutex_lock(&s->lock);
	if (!strcmp(cmd, "DM?")) {
		send_line(s, "?P02.00.00 30/08/06", 0);
	} else if (!strcmp(cmd, "DM@")) {
		send_line(s, "@ \"" SERIAL "\"", 0);
	} else if (!strcmp(cmd, "DMF")) {
		fmt_time(meter_now(s), t);
		snprintf(body, sizeof body, "F %s", t);
		send_line(s, body, 0);
	} else if (!strcmp(cmd, "DMSU?")) {
		send_line(s, s->mmol ? "SU?,\"MMOL/L\"" : "SU?,\"MG/DL \"", 0);
	} else if (!strcmp(cmd, "DMP")) {
		snprintf(body, sizeof body, "P %03d,\"" SERIAL "\",\"%s\"", s->n,
		         s->mmol ? "MMOL/L" : "MG/DL ");
		send_line(s, body, 0);
		for (int i = s->n - 1; i >= 0; i--) { /* newest first */
			fmt_time(s->rec[i].t_ms, t);
			snprintf(body, sizeof body, "P %s,\"%c %03d \",\"N\",\"00\", 00", t,
			         s->rec[i].control ? 'C' : ' ', s->rec[i].mgdl);
			send_line(s, body, s->bad_checksum && i == s->n - 1);
		}
		s->bad_checksum = 0;
	} else if (!strncmp(cmd, "DMT", 3) || !strcmp(cmd, "DMZ")) {
		cab_err("sim",
		        "onetouch-ultra2: the driver sent %.3s (set clock / erase): never allowed",
		        cmd);
	}
	pthread_mutex_unlock(&s->lock);
}

static void *sim_thread(void *arg)
{
	struct cdi_sim *s = arg;
	char cmd[64];
	size_t n = 0;
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&s->lock);
		if (s->pending_at && cab_mono_ms() >= s->pending_at && s->n < MAX_REC) {
			s->rec[s->n++] = (struct rec){.t_ms = meter_now(s),
			                              .mgdl = s->pending_mgdl,
			                              .control = s->pending_control};
			s->pending_at = 0;
		}
		pthread_mutex_unlock(&s->lock);
		struct pollfd p = {.fd = s->master, .events = POLLIN};
		if (poll(&p, 1, 50) <= 0)
			continue;
		char buf[64];
		ssize_t r = read(s->master, buf, sizeof buf);
		if (r <= 0)
			continue;
		for (ssize_t i = 0; i < r; i++) {
			char c = buf[i];
			if (c == 0x11)
				continue; /* DC1: wakes the meter */
			if (c == '\r') {
				cmd[n] = '\0';
				if (n && !s->silent)
					answer(s, cmd);
				n = 0;
			} else if (n + 1 < sizeof cmd) {
				cmd[n++] = c;
			}
		}
	}
	return NULL;
}

/* Takes a measurement's options (thread-safe). -1 for values the meter cannot store. */
static int take(struct cdi_sim *s, const char *opts)
{
	int mgdl = (int)cdi_sim_opt(opts, "mgdl", 104);
	int64_t ms = (int64_t)cdi_sim_opt(opts, "measure_ms", 300);
	if (mgdl < 0 || mgdl > 999)
		return -1;
	pthread_mutex_lock(&s->lock);
	s->pending_mgdl = mgdl;
	s->pending_control = cdi_sim_has_fault(opts, "control");
	if (cdi_sim_has_fault(opts, "bad-checksum"))
		s->bad_checksum = 1;
	s->pending_at = ms < 0 ? 0 : cab_mono_ms() + ms;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static int ot_sim_measure(struct cdi_sim *s, const char *opts)
{
	return s ? take(s, opts) : -1;
}

static int ot_sim_start(const char *opts, struct cdi_sim **out, struct cdi_candidate *c)
{
	struct cdi_sim *s = calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return -1;
	pthread_mutex_init(&s->lock, NULL);
	s->mmol = (int)cdi_sim_opt(opts, "mmol", 0) == 1;
	s->clock_unset = cdi_sim_has_fault(opts, "clock-unset");
	s->silent = cdi_sim_has_fault(opts, "not-a-meter");
	/* a never-set clock counts from 01/01/00 00:00:00 at power-on, two days ago */
	s->clock_base_ms = s->clock_unset ? cab_wall_ms() - 946684800000LL - 2 * 86400000LL : 0;
	int stored = (int)cdi_sim_opt(opts, "stored", 2);
	int mgdl = (int)cdi_sim_opt(opts, "mgdl", 104); /* checked now, used by measure */
	if (stored < 0 || stored > 20 || mgdl < 0 || mgdl > 999) {
		free(s);
		return -1;
	}
	for (int i = 0; i < stored; i++) /* a day old, an hour apart */
		s->rec[s->n++] = (struct rec){.t_ms = meter_now(s) - 86400000LL + i * 3600000LL,
		                              .mgdl = 92 + 7 * i};
	s->master = cdi_sim_pty_open("onetouch-ultra2", s->path, sizeof s->path);
	if (s->master < 0)
		goto fail;
	if (pthread_create(&s->thread, NULL, sim_thread, s) != 0)
		goto fail;
	cdi_sim_pty_candidate(c, s->path, "onetouch-ultra2", "LifeScan", "OneTouch Ultra 2 (simulated)", CAB_KIND_GLUCOMETER);
	*out = s;
	return 0;
fail:
	if (s->master >= 0)
		close(s->master);
	free(s);
	return -1;
}

static void ot_sim_stop(struct cdi_sim *s)
{
	if (!s)
		return;
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	pthread_join(s->thread, NULL);
	if (s->master >= 0)
		close(s->master);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

const struct cdi_simulator cdi_sim_onetouch_ultra2 = {
    .name = "onetouch-ultra2",
    .kind = CAB_KIND_GLUCOMETER,
    .help = "mgdl=N (next measurement, mg/dL), mmol=1 (display unit), stored=N, measure_ms=N,\n"
            "fault=control|clock-unset|bad-checksum|not-a-meter",
    .start = ot_sim_start,
    .stop = ot_sim_stop,
    .measure = ot_sim_measure,
    .extra = 1,
};
