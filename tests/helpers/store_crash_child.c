/* store_crash_child.c — the victim of the crash test (tests/unit/store/test_crash.c):
 * runs patient sessions and a simulated station against the store, forever, until
 * it is killed with SIGKILL (by the test at a random time, or by itself at the Nth
 * sqlite sync through the fault VFS). It appends to three logs in LOGDIR, each line
 * one message id, written with one write(2) so a kill never leaves half a line:
 *   enqueued.log  after cab_store_outbox_put() returned success (durably queued)
 *   received.log  when the simulated station acknowledges, BEFORE port.acked()
 *   confirmed.log after port.acked() returned success
 * Usage: store_crash_child DATA_DIR LOGDIR SEED [KILL_AT_SYNC] */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/store/fault.h"
#include "kiosk/store/store.h"
#include "log.h"
#include "store_testlib.h"

static int open_log(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror(path);
		exit(2);
	}
	return fd;
}

static void log_id(int fd, const char *id)
{
	char line[48];
	int n = snprintf(line, sizeof line, "%s\n", id);
	if (write(fd, line, (size_t)n) != n)
		exit(2);
}

static void must(int rc, struct cab_store *st, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "store_crash_child: %s failed: %s\n", what, cab_store_errmsg(st));
		exit(2);
	}
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: store_crash_child DATA_DIR LOGDIR SEED [KILL_AT_SYNC]\n");
		return 2;
	}
	cab_log_set_level(CAB_LOG_ERROR);
	srand((unsigned)strtoul(argv[3], NULL, 10));
	if (argc > 4 && atol(argv[4]) > 0) {
		if (cab_fault_vfs_install())
			return 2;
		cab_fault_arm(CAB_FAULT_KILL_SYNC, atol(argv[4]), 0);
	}
	int enq = open_log(argv[2], "enqueued.log"), rcv = open_log(argv[2], "received.log"),
	    cnf = open_log(argv[2], "confirmed.log");
	struct cab_store_options o = {.data_dir = argv[1]};
	struct cab_store *st = NULL, *link = NULL;
	char msg[400];
	if (cab_store_open(&o, &st, msg, sizeof msg)) {
		fprintf(stderr, "store_crash_child: open: %s\n", msg);
		return 2;
	}
	must(cab_store_outbox_open(st, &link), st, "outbox open");
	struct cab_outbox_port port;
	cab_store_outbox_port(link, &port);
	struct cab_store_identity id;
	struct cab_reading r;
	tl_patient(&id);
	int64_t now = 1000;
	for (unsigned iter = 0; iter < 100000; iter++) {
		char sid[37], mid[37];
		must(cab_store_session_begin(st, "fr", sid), st, "begin");
		must(cab_store_identity_put(st, sid, &id), st, "identity");
		int k = 1 + rand() % 4;
		for (int i = 0; i < k; i++) {
			tl_reading(&r, now);
			must(cab_store_reading_put(st, sid, &r, NULL), st, "reading");
			must(cab_store_outbox_put(st, sid, "reading", "{\"r\":1}", 1, NULL, mid), st, "put");
			log_id(enq, mid);
		}
		if (rand() % 3 == 0) {
			must(cab_store_outbox_put(st, NULL, "heartbeat", "{}", 0, NULL, mid), st, "put");
			log_id(enq, mid);
		}
		int end = rand() % 10;
		if (end < 7)
			must(cab_store_session_close(st, sid, CAB_OUTCOME_COMPLETED, NULL, "{\"bundle\":1}"), st,
			     "close");
		else if (end < 9)
			must(cab_store_session_close(st, sid, CAB_OUTCOME_ABORTED, NULL, NULL), st, "abort");
		/* else: left open, as if the cabin stopped now */
		/* The station: acknowledges three messages in four. */
		struct cab_outbox_item it[16];
		now += 10;
		int n = port.pending(port.user, 0, now, it, 16);
		must(n, link, "pending");
		for (int i = 0; i < n; i++) {
			must(port.sent(port.user, it[i].id, now), link, "sent");
			if (rand() % 4) {
				log_id(rcv, it[i].id);
				must(port.acked(port.user, it[i].id), link, "acked");
				log_id(cnf, it[i].id);
			}
			cab_outbox_item_clear(&it[i]);
		}
		if (rand() % 8 == 0)
			must(port.reset_backoff(port.user), link, "reset");
	}
	cab_store_close(link);
	cab_store_close(st);
	return 0;
}
