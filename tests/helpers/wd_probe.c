/* wd_probe.c — a stand-in for the cabin's main loop in the watchdog suite: runs
 * start-up recovery (kiosk/service/recovery.c) against marker files that stand in
 * for the store, says READY through kiosk/service/watchdog.c, pings from a healthy
 * loop, and — when DIR/hang-once exists — opens a session and then hangs its loop.
 *
 * Marker files in DIR (the "store"): session.open holds the pseudonymous id of an
 * open session; patient.data stands for its patient data; incidents gets one line
 * "<code> <session id>" per queued incident (kept once per session id).
 * Usage: wd_probe DIR. Prints "wd_probe: ..." lines. SIGTERM: clean stop, exit 0. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/service/recovery.h"
#include "kiosk/service/watchdog.h"

static const char *dir;
static volatile sig_atomic_t stop_requested;

static void on_term(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void path_of(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

static int inspect(void *user, struct cab_recovery_facts *out)
{
	char p[512];
	(void)user;
	path_of(p, sizeof p, "session.open");
	FILE *f = fopen(p, "r");
	if (f) {
		out->session_open = true;
		if (!fgets(out->session_id, sizeof out->session_id, f))
			out->session_id[0] = '\0';
		out->session_id[strcspn(out->session_id, "\n")] = '\0';
		fclose(f);
	}
	path_of(p, sizeof p, "patient.data");
	out->patient_data_left = access(p, F_OK) == 0;
	return 0;
}

static int queue_incident(void *user, const char *id, const char *code)
{
	char p[512], line[256], want[256];
	(void)user;
	snprintf(want, sizeof want, "%s %s\n", code, id);
	path_of(p, sizeof p, "incidents");
	FILE *f = fopen(p, "a+");
	if (!f)
		return -errno;
	rewind(f);
	while (fgets(line, sizeof line, f))
		if (!strcmp(line, want)) {
			fclose(f);
			return 0;
		}
	fputs(want, f);
	return fclose(f) ? -errno : 0;
}

static int abort_session(void *user, const char *id)
{
	char p[512];
	(void)user;
	(void)id;
	path_of(p, sizeof p, "session.open");
	return unlink(p) && errno != ENOENT ? -errno : 0;
}

static int wipe(void *user, const char *id)
{
	char p[512];
	(void)user;
	(void)id;
	path_of(p, sizeof p, "patient.data");
	return unlink(p) && errno != ENOENT ? -errno : 0;
}

static void write_file(const char *name, const char *text)
{
	char p[512];
	path_of(p, sizeof p, name);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	struct cab_watchdog wd;
	struct cab_recovery_plan plan;
	struct cab_recovery_store store = {inspect, queue_incident, abort_session, wipe, NULL};
	char p[512], id[64];

	if (argc != 2) {
		fprintf(stderr, "usage: wd_probe DIR\n");
		return 2;
	}
	dir = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, on_term);

	if (cab_recovery_run(&store, NULL, &plan)) {
		printf("wd_probe: recovery failed\n");
		return 1;
	}
	printf(plan.queue_incident ? "wd_probe: recovered an interrupted session\n"
	                           : "wd_probe: clean start\n");
	cab_watchdog_init(&wd, NULL);
	printf("wd_probe: watchdog %lld ms\n", (long long)wd.interval_ms);
	cab_watchdog_ready(&wd, "attract");

	path_of(p, sizeof p, "hang-once");
	int hang_after = -1;
	if (unlink(p) == 0) {
		snprintf(id, sizeof id, "s-%d\n", (int)getpid());
		write_file("session.open", id);
		write_file("patient.data", "synthetic\n");
		cab_watchdog_status(&wd, "session running");
		printf("wd_probe: session open %s", id);
		hang_after = 10;
	}
	for (int iter = 0; !stop_requested; iter++) {
		cab_watchdog_tick(&wd);
		if (iter == hang_after) {
			printf("wd_probe: main loop hangs\n");
			for (;;)
				pause(); /* stuck: no tick, no ping, until SIGABRT */
		}
		cab_watchdog_service(&wd);
		usleep(20000);
	}
	cab_watchdog_stopping(&wd);
	printf("wd_probe: stopped\n");
	return 0;
}
