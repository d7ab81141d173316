/* bind_service.c — binds the service module (kiosk/service) to the cabin: start-up
 * recovery of an interrupted session through the store (the session in progress is
 * kept in a marker file, DATA_DIR/session.current, so that the session the store
 * wiped as "crash_recovery" at open is reported to the station: session_open if it
 * was never sent, an incident "session-interrupted" and a session_close), the audit
 * sink on the store's hash-chained log, the service menu's providers on the store,
 * configuration and link, and the hooks (pharmacist overlay, cleaning, watchdog). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/bind_service.h"
#include "kiosk/app/outmsg.h"
#include "kiosk/app/events.h"
#include "kiosk/service/devices_watch.h"
#include "kiosk/service/link_watch.h"
#include "kiosk/service/throughput.h"
#include "kiosk/service/recovery.h"
#include "kiosk/service/store_binding.h"
#include "kiosk/service/ui/hooks.h"
#include "kiosk/store/store.h"
#include "log.h"

struct cab_bind_service {
	struct cab_app *app;     /* configuration, flow, view */
	struct cab_store *store; /* NULL: none */
	char marker[600];
	char found_sid[40];   /* session found in the marker at start, "" none */
	bool found_open_sent; /* its session_open had been queued */
	struct cab_svc_store_binding sb;
	struct cab_svc_sources sources;
	struct cab_svc_audit audit;
	struct cab_recovery_store rec;
	struct cab_link_watch watch;
	struct cab_tput tput;    /* acknowledged upload throughput (wraps the outbox port) */
	bool tput_on;
	struct cab_dev_watch dw; /* the instruments for the menu */
	struct cab_svc_bindings b;
	bool started;            /* cab_bind_service_start ran */
};

struct cab_bind_service *cab_bind_service_new(struct cab_app *a)
{
	struct cab_bind_service *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->app = a;
	return s;
}

/* The pharmacist checked the identity document: the store binding sends it again. */
static int identity_checked(void *user, const char *document)
{
	struct cab_bind_service *s = user;
	return cab_app_dispatch(s->app, &(struct cab_fx){.kind = CAB_FX_IDENTITY_CHECKED,
	                                                 .text = document}) ? -EBUSY : 0;
}

/* --- recovery bound to the store ------------------------------------------------- */

static int rec_find_open(void *user, char sid[CAB_RECOVERY_ID_MAX])
{
	struct cab_bind_service *s = user;
	char id[37];
	if (!s->store)
		return 1;
	int rc = cab_store_session_find_open(s->store, id);
	if (rc == CAB_STORE_NOTFOUND)
		return 1;
	if (rc)
		return -EIO;
	snprintf(sid, CAB_RECOVERY_ID_MAX, "%s", id);
	return 0;
}

static int rec_interrupt(void *user, const char *sid)
{
	struct cab_bind_service *s = user;
	char iid[37], cid[37];
	int64_t now = cab_wall_ms();
	char *inc = cab_out_incident(sid, "session-interrupted", now, 0,
	                             "the cabin stopped during the session (crash, kill or watchdog)", iid);
	char *close = cab_out_session_close(sid, now, "interrupted", cid);
	int rc = inc && close ? cab_store_session_interrupt(s->store, sid, iid, inc, cid, close)
	                      : CAB_STORE_NOMEM;
	free(inc);
	free(close);
	if (rc < 0) {
		cab_err("app", "recovery of %s: %s", sid, cab_store_errmsg(s->store));
		return -EIO;
	}
	return rc;
}

/* Reports a session whose personal data waited too long and was wiped (store
 * cab_store_outbox_expire): a non-personal incident "data-expired" for the station. */
static void expired(void *user, const char *sid, int64_t age_ms)
{
	struct cab_bind_service *s = user;
	char id[37], detail[96];
	snprintf(detail, sizeof detail, "personal data unsent after %lld s: wiped unsent",
	         (long long)(age_ms / 1000));
	char *body = cab_out_incident(sid, "data-expired", cab_wall_ms(), 0, detail, id);
	if (body && cab_store_outbox_put(s->store, sid, "incident", body, 0, id, NULL))
		cab_err("app", "data-expired incident for %s not queued", sid);
	free(body);
}

int cab_bind_service_outbox_expire(struct cab_bind_service *s)
{
	if (!s || !s->store || s->app->cfg.outbox_max_age_s <= 0)
		return 0;
	int n = cab_store_outbox_expire(s->store, (int64_t)s->app->cfg.outbox_max_age_s * 1000,
	                                expired, s);
	return n > 0 ? n : 0;
}

void cab_bind_service_link_status(struct cab_bind_service *s, const void *st)
{
	if (s)
		cab_link_watch_status(&s->watch, st);
}

void cab_bind_service_link_rtt(struct cab_bind_service *s, int64_t ms)
{
	if (s)
		cab_link_watch_rtt(&s->watch, ms);
}

void cab_bind_service_outbox_port(struct cab_bind_service *s, struct cab_outbox_port *port)
{
	if (!s || s->tput_on)
		return;
	cab_tput_init(&s->tput, port, NULL, 10000, port);
	s->tput_on = true;
	s->watch.tput = &s->tput;
}

/* Every instrument a driver speaks to is registered when it is ready (driver,
 * serial, firmware when its protocol tells, first and last seen), and seen again
 * when it goes; its incidents are kept for the menu. Main thread. */
void cab_bind_service_device(struct cab_bind_service *s, const struct cab_devev *ev)
{
	if (!s)
		return;
	cab_dev_watch_state(&s->dw, &ev->info, ev->state, ev->incident, ev->detail);
	const struct cab_device_info *d = &ev->info;
	bool ready = ev->state == CAB_DEV_READY || ev->what == CAB_DEVEV_DETACHED;
	if (!s->store || !d->has_driver || d->id.kind == CAB_KIND_UNKNOWN || !ready ||
	    ev->incident != CAB_INC_NONE)
		return;
	struct cab_svc_instrument x;
	memset(&x, 0, sizeof x);
	snprintf(x.kind, sizeof x.kind, "%s", cab_device_kind_name(d->id.kind));
	snprintf(x.driver, sizeof x.driver, "%s", d->id.driver);
	snprintf(x.model, sizeof x.model, "%s", d->id.model);
	snprintf(x.serial, sizeof x.serial, "%s", d->id.serial);
	snprintf(x.firmware, sizeof x.firmware, "%s", d->id.firmware);
	if (cab_svc_store_register(&s->sb, &x))
		cab_warn("app", "instrument %s %s not registered", x.kind, x.model);
	else
		cab_info("app", "instrument registered: %s %s driver %s serial %s firmware %s", x.kind,
		         x.model, x.driver, x.serial[0] ? x.serial : "unknown",
		         x.firmware[0] ? x.firmware : "unknown");
}

/* The service menu's Bluetooth tab adopted or forgot an instrument. */
static void ble_adopted(void *user, const char *addresses)
{
	cab_devices_set_ble_instruments(user, addresses);
}

int cab_bind_service_start(struct cab_bind_service *s, struct cab_store *store,
                           struct cab_devices *devices, const struct cab_watchdog *wd)
{
	struct cab_app *a = s->app;
	s->store = store;
	s->started = true;
	cab_link_watch_init(&s->watch, a->cfg.station_url, a->cfg.cert, a->cfg.ca);
	s->sources.link = cab_link_watch_provider;
	s->sources.link_user = &s->watch;
	s->sources.data_dir = a->cfg.data_dir;
	if (devices) {
		s->sources.ble_adopted = ble_adopted;
		s->sources.ble_user = devices;
	}
	if (store) {
		cab_svc_bind_store(&s->sb, store, a->config_path[0] ? a->config_path : NULL, &s->sources,
		                   &s->audit);
		s->rec = (struct cab_recovery_store){.find_open = rec_find_open,
		                                     .interrupt = rec_interrupt,
		                                     .user = s};
		s->b.recovery = &s->rec;
		s->b.audit = s->audit;
		/* the instruments: attached ones (devices) joined with the registry */
		cab_dev_watch_init(&s->dw, devices);
		s->dw.registry = s->sources.instruments;
		s->dw.registry_user = &s->sb;
		s->dw.record = cab_svc_store_record_selftest;
		s->dw.record_user = &s->sb;
		s->sources.instruments = cab_dev_watch_instruments;
		s->sources.selftest_start = cab_dev_watch_selftest_start;
		s->sources.selftest_poll = cab_dev_watch_selftest_poll;
		s->sources.devices_user = &s->dw;
		s->sb.list = cab_dev_watch_instruments;
		s->sb.list_user = &s->dw;
	}
	s->b.config = &a->cfg;
	s->b.sources = &s->sources;
	s->b.data_dir = a->cfg.data_dir;
	s->b.watchdog = wd;
	s->b.identity_checked = identity_checked;
	s->b.identity_user = s;
	return cab_svc_hooks_start(a->flow, &a->view, &s->b);
}

void cab_bind_service_stop(struct cab_bind_service *s)
{
	if (!s)
		return;
	if (s->started)
		cab_link_watch_free(&s->watch);
	if (s->tput_on) {
		s->watch.tput = NULL;
		cab_tput_free(&s->tput);
		s->tput_on = false;
	}
	free(s);
}
