/* known_sources.h — the service menu's providers that work before the store, the
 * link and the devices are bound: the station address and certificate paths
 * (environment, else the configuration's defaults), the data directory, the
 * database file and its audit chain (read-only). Providers needing the store, the link or the
 * devices stay NULL ("not available in this build") until the application binds them. */
#ifndef CABIN_SERVICE_KNOWN_SOURCES_H
#define CABIN_SERVICE_KNOWN_SOURCES_H

#include "kiosk/service/sources.h"

/* Storage behind the providers (keep it alive as long as the sources). */
struct cab_svc_known {
	struct cab_svc_link link;
	char data_dir[512];
	char db_path[600];
};

/* Fills K and S for DATA_DIR: S->link reports K->link (CABIN_STATION_URL,
 * CABIN_CERT, CABIN_CA from the environment, else "wss://127.0.0.1:8443",
 * "build/certs/cabin.pem", "build/certs/ca.pem" as kiosk/config's defaults; link
 * not connected, throughput unknown); S->data_dir = DATA_DIR, S->db_path =
 * DATA_DIR/cabin.db; S->verify_audit walks that file's audit chain read-only
 * (cab_store_audit_verify_file); every other provider NULL. */
void cab_svc_known_sources(struct cab_svc_sources *s, struct cab_svc_known *k,
                           const char *data_dir);

#endif
