/* known_sources.c — providers available without store, link or devices (see
 * known_sources.h). */
#include "kiosk/service/known_sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
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
	snprintf(k->link.cert, sizeof k->link.cert, "%s", env_or("CABIN_CERT", "build/certs/cabin.crt"));
	snprintf(k->link.ca, sizeof k->link.ca, "%s", env_or("CABIN_CA", "build/certs/ca.crt"));
	k->link.connected = false;
	k->link.throughput_kbps = -1;
	k->link.rtt_ms = -1;
	snprintf(k->data_dir, sizeof k->data_dir, "%s", data_dir);
	snprintf(k->db_path, sizeof k->db_path, "%s/cabin.db", data_dir);
	s->link = known_link;
	s->data_dir = k->data_dir;
	s->db_path = k->db_path;
	s->link_user = k;
}
