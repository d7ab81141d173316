/* link_watch.h — what the service screens show about the link, gathered from the
 * link's callbacks (kiosk/link/link.h, called on the link thread) and read on the
 * main thread: state, its message, the last ping round trip. Thread-safe. */
#ifndef CABIN_SERVICE_LINK_WATCH_H
#define CABIN_SERVICE_LINK_WATCH_H

#include <pthread.h>

#include "kiosk/link/link.h"
#include "kiosk/service/sources.h"
#include "kiosk/service/throughput.h"

struct cab_link_watch {
	pthread_mutex_t lock;
	struct cab_svc_link info; /* station_url, cert, ca set at init; the rest updated */
	struct cab_tput *tput;    /* the outbox port's meter, or NULL (not measured) */
};

/* Sets up W with the configured URL and certificate paths (copied). */
void cab_link_watch_init(struct cab_link_watch *w, const char *url, const char *cert,
                         const char *ca);

/* Releases W's mutex. */
void cab_link_watch_free(struct cab_link_watch *w);

/* Call from the link's on_status / on_rtt callbacks (any thread). */
void cab_link_watch_status(struct cab_link_watch *w, const struct cab_link_status *st);
void cab_link_watch_rtt(struct cab_link_watch *w, int64_t rtt_ms);

/* The service menu's link provider: fills OUT from W (USER = W), the throughput
 * from W->tput when set. Returns 0. */
int cab_link_watch_provider(void *user, struct cab_svc_link *out);

#endif
