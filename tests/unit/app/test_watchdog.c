/* test_watchdog.c — the sd_notify messages the watchdog module sends, received on
 * our own NOTIFY_SOCKET, with an injected clock: READY/STATUS, WATCHDOG=1 only
 * while the loop is healthy, the quarter-interval pacing, no-op without a manager. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "kiosk/app/watchdog.h"

static int64_t t_now;
static int64_t fake_now(void *user)
{
	(void)user;
	return t_now;
}
static const struct cab_clock fake = {fake_now, NULL};
static int sock = -1;
static char path[108];

static int setup(void **state)
{
	(void)state;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(path, sizeof path, "/tmp/cabin-wd-test-%d.sock", (int)getpid());
	unlink(path);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(sock >= 0);
	assert_int_equal(bind(sock, (struct sockaddr *)&sa, sizeof sa), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	close(sock);
	unlink(path);
	return 0;
}

/* Next datagram, or "" when none is waiting. */
static const char *next_msg(void)
{
	static char buf[512];
	ssize_t n = recv(sock, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void pings_only_while_healthy(void **state)
{
	(void)state;
	struct cab_watchdog wd;
	char pid[16];
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	setenv("NOTIFY_SOCKET", path, 1);
	setenv("WATCHDOG_USEC", "2000000", 1);
	setenv("WATCHDOG_PID", pid, 1);
	t_now = 10000;
	assert_int_equal(cab_watchdog_init(&wd, &fake), 1);
	assert_int_equal(wd.interval_ms, 2000);
	cab_watchdog_ready(&wd, "attract");
	assert_string_equal(next_msg(), "READY=1\nSTATUS=attract");
	assert_string_equal(next_msg(), "WATCHDOG=1");
	assert_string_equal(next_msg(), "");
	assert_int_equal(cab_watchdog_due_ms(&wd), 500);

	/* Healthy loop, pings paced at a quarter interval (500 ms). */
	t_now += 300;
	cab_watchdog_tick(&wd);
	assert_int_equal(cab_watchdog_service(&wd), 0);
	assert_string_equal(next_msg(), "");
	t_now += 200;
	cab_watchdog_tick(&wd);
	assert_int_equal(cab_watchdog_service(&wd), 1);
	assert_string_equal(next_msg(), "WATCHDOG=1");

	/* The loop hangs: its last tick is 1000 ms old = interval/2, no more pings. */
	t_now += 999;
	assert_true(cab_watchdog_healthy(&wd));
	t_now += 1;
	assert_false(cab_watchdog_healthy(&wd));
	assert_int_equal(cab_watchdog_service(&wd), 0);
	assert_string_equal(next_msg(), "");

	/* Back in the loop: pings resume. An extra condition can veto them. */
	cab_watchdog_tick(&wd);
	assert_int_equal(cab_watchdog_service(&wd), 1);
	assert_string_equal(next_msg(), "WATCHDOG=1");
	t_now += 600;
	cab_watchdog_tick(&wd);
	assert_true(cab_watchdog_healthy(&wd));
	cab_watchdog_status(&wd, "session running");
	cab_watchdog_stopping(&wd);
	assert_string_equal(next_msg(), "STATUS=session running");
	assert_string_equal(next_msg(), "STOPPING=1");
	assert_int_equal(wd.pings, 3);
}

static bool veto_flag;
static bool veto(void *user)
{
	(void)user;
	return !veto_flag;
}

static void extra_check_vetoes(void **state)
{
	(void)state;
	struct cab_watchdog wd;
	char pid[16];
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	setenv("NOTIFY_SOCKET", path, 1);
	setenv("WATCHDOG_USEC", "1000000", 1);
	setenv("WATCHDOG_PID", pid, 1);
	t_now = 0;
	assert_int_equal(cab_watchdog_init(&wd, &fake), 1);
	cab_watchdog_set_check(&wd, veto, NULL);
	veto_flag = true;
	cab_watchdog_tick(&wd);
	assert_int_equal(cab_watchdog_service(&wd), 0);
	assert_string_equal(next_msg(), "");
	veto_flag = false;
	assert_int_equal(cab_watchdog_service(&wd), 1);
	assert_string_equal(next_msg(), "WATCHDOG=1");
}

static void no_manager_no_watchdog(void **state)
{
	(void)state;
	struct cab_watchdog wd;
	char pid[16];
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(cab_watchdog_init(&wd, &fake), 0);
	assert_int_equal(cab_watchdog_due_ms(&wd), -1);
	t_now += 1000000;
	assert_true(cab_watchdog_healthy(&wd));
	assert_int_equal(cab_watchdog_service(&wd), 0);
	/* Type=notify without WatchdogSec: READY is still sent, no WATCHDOG=1. */
	cab_watchdog_ready(&wd, "attract");
	assert_string_equal(next_msg(), "READY=1\nSTATUS=attract");
	assert_string_equal(next_msg(), "");
	/* A watchdog meant for another process is not ours. */
	setenv("WATCHDOG_USEC", "1000000", 1);
	setenv("WATCHDOG_PID", "2", 1); /* kthreadd: neither us nor our parent */
	assert_int_equal(cab_watchdog_init(&wd, &fake), 0);
	/* ... unless it names our parent: the cage compositor started us. */
	snprintf(pid, sizeof pid, "%d", (int)getppid());
	setenv("WATCHDOG_PID", pid, 1);
	setenv("WATCHDOG_USEC", "3000000", 1);
	assert_int_equal(cab_watchdog_init(&wd, &fake), 1);
	assert_int_equal(wd.interval_ms, 3000);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pings_only_while_healthy),
		cmocka_unit_test(extra_check_vetoes),
		cmocka_unit_test(no_manager_no_watchdog),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
