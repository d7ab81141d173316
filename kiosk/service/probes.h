/* probes.h — measurements the technician's service menu makes itself, without the
 * store or the link: TCP reachability and round-trip time to the station, free
 * disk space of the data directory, and the state of the sqlite database file. */
#ifndef CABIN_SERVICE_PROBES_H
#define CABIN_SERVICE_PROBES_H

#include <stdbool.h>
#include <stdint.h>

/* Connects to HOST:PORT over TCP (IPv4 or IPv6, first address that answers) within
 * TIMEOUT_MS and closes again. *RTT_MS gets the time the TCP handshake took (one
 * round trip). Returns 0, -ETIMEDOUT, -ECONNREFUSED, -EHOSTUNREACH, -ENOENT (name
 * not resolved) or another -errno. Blocking: call it from a worker, not the UI. */
int cab_probe_tcp(const char *host, int port, int timeout_ms, double *rtt_ms);

/* Disk space of the filesystem holding PATH. */
struct cab_disk_state {
	uint64_t total_bytes;
	uint64_t free_bytes; /* available to unprivileged users */
	int used_percent;    /* 0..100 */
};

/* Fills OUT by statvfs(PATH). Returns 0 or -errno. */
int cab_probe_disk(const char *path, struct cab_disk_state *out);

/* State of a sqlite database file, opened read-only. */
struct cab_db_state {
	bool ok;               /* PRAGMA quick_check said "ok" */
	int user_version;      /* schema version (PRAGMA user_version) */
	char journal_mode[16]; /* "wal" expected */
	uint64_t size_bytes;   /* page_count * page_size */
	char message[128];     /* first quick_check line, or the open error */
};

/* Opens PATH read-only and runs PRAGMA quick_check, user_version, journal_mode,
 * page_count, page_size. Returns 0 (OUT->ok says whether it is sound), -ENOENT
 * when absent, -EIO when sqlite cannot open or read it (OUT->message says why). */
int cab_probe_db(const char *path, struct cab_db_state *out);

#endif
