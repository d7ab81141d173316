/* supervisor.c — a tiny service manager for tests, speaking the protocol systemd
 * uses with Type=notify and WatchdogSec= (sd_notify(3)): it starts a child with
 * NOTIFY_SOCKET (its own unix datagram socket), WATCHDOG_USEC and WATCHDOG_PID,
 * reads READY=1 / STATUS= / WATCHDOG=1 / STOPPING=1, and restarts the child when it
 * exits or stops sending WATCHDOG=1 in time (SIGABRT, then SIGKILL, as systemd).
 *
 * Usage: supervisor [--watchdog-ms N] [--restart-ms N] [--max-starts N] -- PROG ARGS
 * Prints one line per event on stdout ("supervisor: start 1 pid 123", "supervisor:
 * ready pid 123", "supervisor: watchdog timeout pid 123", "supervisor: exit pid 123
 * status 0" / "signal 6", "supervisor: status pid 123: TEXT"). SIGTERM/SIGINT: stops
 * the child (SIGTERM, then SIGKILL after 3 s) and exits 0. Messages from another
 * process than the child are ignored (NotifyAccess=main). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pid_t start_child(char **argv, const char *sock_path, long wd_ms)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	char buf[32];
	setenv("NOTIFY_SOCKET", sock_path, 1);
	if (wd_ms > 0) {
		snprintf(buf, sizeof buf, "%ld", wd_ms * 1000);
		setenv("WATCHDOG_USEC", buf, 1);
		snprintf(buf, sizeof buf, "%d", (int)getpid());
		setenv("WATCHDOG_PID", buf, 1);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "supervisor: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Waits for PID for up to MS milliseconds; returns true when it was reaped. */
static bool reap_within(pid_t pid, int ms, int *status)
{
	for (int waited = 0; waited <= ms; waited += 10) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return true;
		usleep(10000);
	}
	return false;
}

static void report_exit(pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		printf("supervisor: exit pid %d signal %d\n", (int)pid, WTERMSIG(status));
	else
		printf("supervisor: exit pid %d status %d\n", (int)pid, WEXITSTATUS(status));
}

/* Stops PID with SIG, then SIGKILL after GRACE_MS; returns its wait status. */
static int stop_child(pid_t pid, int sig, int grace_ms)
{
	int status = 0;
	kill(pid, sig);
	if (!reap_within(pid, grace_ms, &status)) {
		printf("supervisor: pid %d did not stop, SIGKILL\n", (int)pid);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	return status;
}

/* Reads one datagram; returns the sender pid (from SCM_CREDENTIALS), -1 when the
 * message carried none, -2 when no message is waiting. */
static pid_t read_message(int fd, char *buf, size_t size)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;
	struct iovec iov = {buf, size - 1};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &ctl, .msg_controllen = sizeof ctl};
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return -2;
	buf[n] = '\0';
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cr;
			memcpy(&cr, CMSG_DATA(c), sizeof cr);
			return cr.pid;
		}
	return -1;
}

/* Handles every waiting message of CHILD: logs READY/STATUS/STOPPING, moves the
 * watchdog DEADLINE on WATCHDOG=1. */
static void drain(int fd, pid_t child, long wd_ms, int64_t *deadline, bool *first_ping)
{
	char msg[1024];
	pid_t from;
	while ((from = read_message(fd, msg, sizeof msg)) != -2) {
		if (from == -1)
			continue;
		if (from != child) {
			printf("supervisor: ignored message from pid %d\n", (int)from);
			continue;
		}
		char *save = NULL;
		for (char *l = strtok_r(msg, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			if (!strcmp(l, "READY=1"))
				printf("supervisor: ready pid %d\n", (int)child);
			else if (!strncmp(l, "STATUS=", 7))
				printf("supervisor: status pid %d: %s\n", (int)child, l + 7);
			else if (!strcmp(l, "STOPPING=1"))
				printf("supervisor: stopping pid %d\n", (int)child);
			else if (!strcmp(l, "WATCHDOG=1")) {
				if (wd_ms > 0)
					*deadline = mono_ms() + wd_ms;
				if (*first_ping)
					printf("supervisor: first watchdog ping pid %d\n",
					       (int)child);
				*first_ping = false;
			}
		}
	}
}

int main(int argc, char **argv)
{
	long wd_ms = 1000, restart_ms = 100, max_starts = 5;
	int i, fd = -1, rc = 1, starts = 0;
	char dir[] = "/tmp/cabin-supervisor-XXXXXX", sock_path[108];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	pid_t child = -1;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (i + 1 >= argc)
			goto usage;
		if (!strcmp(argv[i], "--watchdog-ms"))
			wd_ms = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--restart-ms"))
			restart_ms = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--max-starts"))
			max_starts = strtol(argv[++i], NULL, 10);
		else
			goto usage;
	}
	if (i + 1 >= argc)
		goto usage;
	char **cmd = argv + i + 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	if (!mkdtemp(dir)) {
		perror("supervisor: mkdtemp");
		return 1;
	}
	snprintf(sock_path, sizeof sock_path, "%s/notify", dir);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock_path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) ||
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one)) {
		perror("supervisor: notify socket");
		goto out;
	}

	while (!stop_requested) {
		if (starts >= max_starts) {
			printf("supervisor: giving up after %d starts\n", starts);
			goto out;
		}
		child = start_child(cmd, sock_path, wd_ms);
		if (child < 0) {
			perror("supervisor: fork");
			goto out;
		}
		printf("supervisor: start %d pid %d\n", ++starts, (int)child);
		int64_t deadline = wd_ms > 0 ? mono_ms() + wd_ms : INT64_MAX;
		bool first_ping = true;
		for (;;) {
			int status;
			if (stop_requested) {
				status = stop_child(child, SIGTERM, 3000);
				drain(fd, child, wd_ms, &deadline, &first_ping);
				report_exit(child, status);
				rc = 0;
				goto out;
			}
			if (waitpid(child, &status, WNOHANG) == child) {
				drain(fd, child, wd_ms, &deadline, &first_ping);
				report_exit(child, status);
				break;
			}
			int64_t left = deadline - mono_ms();
			if (left <= 0) {
				printf("supervisor: watchdog timeout pid %d\n", (int)child);
				status = stop_child(child, SIGABRT, 2000);
				drain(fd, child, wd_ms, &deadline, &first_ping);
				report_exit(child, status);
				break;
			}
			struct pollfd p = {fd, POLLIN, 0};
			poll(&p, 1, left < 50 ? (int)left : 50);
			drain(fd, child, wd_ms, &deadline, &first_ping);
		}
		if (!stop_requested)
			usleep((useconds_t)restart_ms * 1000);
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	unlink(sock_path);
	rmdir(dir);
	return rc;
usage:
	fprintf(
	    stderr,
	    "usage: supervisor [--watchdog-ms N] [--restart-ms N] [--max-starts N] -- PROG ARGS\n");
	return 2;
}
