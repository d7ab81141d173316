/* wd_probe.c — a stand-in for the cabin's main loop in the watchdog suite: runs
 * says READY through kiosk/app/watchdog.c, pings from a healthy
 * loop, and — when DIR/hang-once exists — opens a session and then hangs its loop.
 * Crash recovery itself is tested on the real cabin (tests/e2e/killmatrix.test.sh).
 * Usage: wd_probe DIR. Prints "wd_probe: ..." lines. SIGTERM: clean stop, exit 0. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/app/watchdog.h"

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
int main(int argc, char **argv)
{
	struct cab_watchdog wd;
	char p[512], id[64];

	if (argc != 2) {
		fprintf(stderr, "usage: wd_probe DIR\n");
		return 2;
	}
	dir = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, on_term);

	path_of(p, sizeof p, "session.open");
	printf(unlink(p) == 0 ? "wd_probe: restarted after a session\n" : "wd_probe: clean start\n");
	cab_watchdog_init(&wd, NULL);
	printf("wd_probe: watchdog %lld ms\n", (long long)wd.interval_ms);
	cab_watchdog_ready(&wd, "attract");

	path_of(p, sizeof p, "hang-once");
	int hang_after = -1;
	if (unlink(p) == 0) {
		snprintf(id, sizeof id, "s-%d", (int)getpid());
		path_of(p, sizeof p, "session.open");
		FILE *f = fopen(p, "w");
		if (f)
			fclose(f);
		cab_watchdog_status(&wd, "session running");
		printf("wd_probe: session open %s\n", id);
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
