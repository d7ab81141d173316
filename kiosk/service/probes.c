/* probes.c — TCP reachability, disk space and database state (see probes.h). */
#include "kiosk/service/probes.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <time.h>

static int connect_one(const struct addrinfo *ai, int timeout_ms)
{
	int fd =
	    socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	int rc = 0, err = 0;
	socklen_t len = sizeof err;
	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		goto out;
	if (errno != EINPROGRESS) {
		rc = -errno;
		goto out;
	}
	struct pollfd p = {fd, POLLOUT, 0};
	int n = poll(&p, 1, timeout_ms);
	if (n == 0) {
		rc = -ETIMEDOUT;
		goto out;
	}
	if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)) {
		rc = -errno;
		goto out;
	}
	rc = -err;
out:
	close(fd);
	return rc;
}

int cab_probe_tcp(const char *host, int port, int timeout_ms, double *rtt_ms)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	char svc[8];
	int rc = -ENOENT;

	*rtt_ms = 0;
	if (port <= 0 || port > 65535)
		return -EINVAL;
	snprintf(svc, sizeof svc, "%d", port);
	if (getaddrinfo(host, svc, &hints, &res))
		return -ENOENT;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		rc = connect_one(ai, timeout_ms);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (rc == 0) {
			*rtt_ms = (double)(b.tv_sec - a.tv_sec) * 1e3 +
			          (double)(b.tv_nsec - a.tv_nsec) / 1e6;
			break;
		}
	}
	freeaddrinfo(res);
	return rc;
}

int cab_probe_disk(const char *path, struct cab_disk_state *out)
{
	struct statvfs v;
	memset(out, 0, sizeof *out);
	if (statvfs(path, &v))
		return -errno;
	out->total_bytes = (uint64_t)v.f_blocks * v.f_frsize;
	out->free_bytes = (uint64_t)v.f_bavail * v.f_frsize;
	if (out->total_bytes)
		out->used_percent =
		    (int)(100 - (out->free_bytes * 100 + out->total_bytes / 2) / out->total_bytes);
	return 0;
}

/* Runs SQL returning one row; copies column 0 as text into BUF. */
static int one_text(sqlite3 *db, const char *sql, char *buf, size_t size)
{
	sqlite3_stmt *st = NULL;
	int rc = -EIO;
	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		snprintf(buf, size, "%s", t ? (const char *)t : "");
		rc = 0;
	}
out:
	sqlite3_finalize(st);
	return rc;
}

int cab_probe_db(const char *path, struct cab_db_state *out)
{
	sqlite3 *db = NULL;
	char v[128];
	int rc = -EIO;

	memset(out, 0, sizeof *out);
	if (access(path, F_OK))
		return -errno;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(out->message, sizeof out->message, "%s",
		         db ? sqlite3_errmsg(db) : "open failed");
		goto out;
	}
	sqlite3_busy_timeout(db, 2000);
	if (one_text(db, "PRAGMA quick_check", out->message, sizeof out->message)) {
		snprintf(out->message, sizeof out->message, "%s", sqlite3_errmsg(db));
		goto out;
	}
	out->ok = !strcmp(out->message, "ok");
	if (!one_text(db, "PRAGMA user_version", v, sizeof v))
		out->user_version = (int)strtol(v, NULL, 10);
	one_text(db, "PRAGMA journal_mode", out->journal_mode, sizeof out->journal_mode);
	char pc[32], ps[32];
	if (!one_text(db, "PRAGMA page_count", pc, sizeof pc) &&
	    !one_text(db, "PRAGMA page_size", ps, sizeof ps))
		out->size_bytes = strtoull(pc, NULL, 10) * strtoull(ps, NULL, 10);
	rc = 0;
out:
	sqlite3_close(db);
	return rc;
}
