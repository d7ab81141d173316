/* known_sources.c — providers available without store, link or devices (see
 * known_sources.h). */
#include "kiosk/service/known_sources.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/store/store.h"

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

/* The audit chain of the database file, read-only (no key needed). */
static int known_verify(void *user, int64_t *rows, char *why, size_t size)
{
	struct cab_svc_known *k = user;
	int64_t bad = 0;
	if (access(k->db_path, F_OK))
		return -ENOENT;
	int rc = cab_store_audit_verify_file(k->db_path, rows, &bad, why, size);
	return rc < 0 ? -EIO : rc;
}

static int known_link(void *user, struct cab_svc_link *out)
{
	*out = ((struct cab_svc_known *)user)->link;
	return 0;
}

void cab_svc_known_sources(struct cab_svc_sources *s, struct cab_svc_known *k, const char *data_dir)
{
	memset(s, 0, sizeof *s);
	memset(k, 0, sizeof *k);
	snprintf(k->link.station_url, sizeof k->link.station_url, "%s",
	         env_or("CABIN_STATION_URL", "wss://127.0.0.1:8443"));
	snprintf(k->link.cert, sizeof k->link.cert, "%s",
	         env_or("CABIN_CERT", "build/certs/cabin.pem"));
	snprintf(k->link.ca, sizeof k->link.ca, "%s", env_or("CABIN_CA", "build/certs/ca.pem"));
	k->link.connected = false;
	k->link.throughput_kbps = -1;
	k->link.rtt_ms = -1;
	snprintf(k->data_dir, sizeof k->data_dir, "%s", data_dir);
	snprintf(k->db_path, sizeof k->db_path, "%s/cabin.db", data_dir);
	s->link = known_link;
	s->verify_audit = known_verify;
	s->store_user = k;
	s->data_dir = k->data_dir;
	s->db_path = k->db_path;
	s->link_user = k;
}
