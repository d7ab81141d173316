/* store_binding.h — binds the service module to kiosk/store and kiosk/config: the
 * audit sink to the hash-chained audit log, the service menu's outbox,
 * audit-verification, instrument-registry and configuration providers, and the
 * self-test recorder (devices_watch.h and link_watch.h do the devices and link). */
#ifndef CABIN_SERVICE_STORE_BINDING_H
#define CABIN_SERVICE_STORE_BINDING_H

#include "kiosk/staff/audit_sink.h"
#include "kiosk/service/sources.h"

#include <stdint.h>

struct cab_store;

/* What the providers need; keep it alive as long as the sources. */
struct cab_svc_store_binding {
	struct cab_store *st;  /* the main thread's store handle */
	char config_path[512]; /* the configuration file shown and edited ("" = none) */
	/* The list the menu numbers instruments by, when not the registry alone (the
	 * devices watch); NULL = the registry. */
	int (*list)(void *user, struct cab_svc_instrument *out, int max);
	void *list_user;
};

/* Fills B, the providers of S (outbox, verify_audit, instruments, config_text,
 * config_set; S->db_path = the store's file) and AUDIT (records go to
 * cab_store_audit with actor pharmacist / technician / cabin). Other fields of S are
 * kept. CONFIG_PATH may be NULL. */
void cab_svc_bind_store(struct cab_svc_store_binding *b, struct cab_store *st,
                        const char *config_path, struct cab_svc_sources *s,
                        struct cab_svc_audit *audit);

/* Self-test recorder for struct cab_dev_watch (USER = the binding): registers the
 * instrument (cab_store_instrument_upsert) and records RESULT at AT_MS
 * (cab_store_instrument_selftest). Returns 0 or -EIO. */
int cab_svc_store_record_selftest(void *user, const struct cab_svc_instrument *in,
                                  const char *result, int64_t at_ms);

/* Registers an attached instrument in the store's registry (driver, serial,
 * firmware when known, last seen now). USER = the binding. Returns 0 or -EIO. */
int cab_svc_store_register(void *user, const struct cab_svc_instrument *in);

#endif
