/* bind_service.h — the service module (kiosk/service) bound to the cabin: start-up
 * recovery through the store (one path, kiosk/service/recovery.h), the bound on how
 * long personal data waits for the station, the
 * audit sink, the menu's providers (store, configuration, link, instruments) and
 * the staff layer's hooks (bind_service.c). Main thread unless said. */
#ifndef CABIN_APP_BIND_SERVICE_H
#define CABIN_APP_BIND_SERVICE_H

#include <stdint.h>

#include "kiosk/app/bind.h"

struct cab_bind_service;
struct cab_store;
struct cab_devices;
struct cab_watchdog;
struct cab_outbox_port;

/* A service binding for the cabin A. Returns NULL when out of memory. */
struct cab_bind_service *cab_bind_service_new(struct cab_app *a);
/* Wipes the sessions whose personal data waited longer than store.outbox_max_age_s
 * for the station and queues a "data-expired" incident for each (kiosk/store
 * cab_store_outbox_expire). Returns how many; the caller wakes the link. Called at
 * start and once a minute. Main thread. */
int cab_bind_service_outbox_expire(struct cab_bind_service *s);
/* Recovery of an interrupted session, audit sink and the menu's providers on
 * STORE (may be NULL) and the instruments of DEVICES (may be NULL), the watchdog
 * WD shown on the software tab; then the staff layer (kiosk/service/ui/hooks.h).
 * Returns what cab_svc_hooks_start returns. */
int cab_bind_service_start(struct cab_bind_service *s, struct cab_store *store,
                           struct cab_devices *devices, const struct cab_watchdog *wd);
/* Link thread: the service menu's view of the link (struct cab_link_status *). */
void cab_bind_service_link_status(struct cab_bind_service *s, const void *st);
void cab_bind_service_link_rtt(struct cab_bind_service *s, int64_t ms);
/* Wraps the link's outbox PORT with the throughput meter of the service menu. */
void cab_bind_service_outbox_port(struct cab_bind_service *s, struct cab_outbox_port *port);
/* An instrument event on the main thread: registry and the menu's incidents. */
void cab_bind_service_device(struct cab_bind_service *s, const struct cab_devev *ev);
/* Stops the hooks and frees S. NULL is a no-op. */
void cab_bind_service_stop(struct cab_bind_service *s);

#endif
