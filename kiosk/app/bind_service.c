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
	snprintf(s->marker, sizeof s->marker, "%s/session.current", a->cfg.data_dir);
	FILE *f = fopen(s->marker, "r");
	if (!f)
		return s;
	char line[80] = "";
	int sent = 0;
	if (fgets(line, sizeof line, f) && fscanf(f, "open_sent=%d", &sent) >= 0) {
		size_t len = strcspn(line, "\r\n");
		if (len == 0 || len >= sizeof s->found_sid) {
			fclose(f);
			cab_warn("app", "%s: no session id on its first line: ignored", s->marker);
			return s;
		}
		memcpy(s->found_sid, line, len);
		s->found_sid[len] = '\0';
		s->found_open_sent = sent != 0;
	}
	fclose(f);
	cab_warn("app", "session %s was in progress when the cabin stopped", s->found_sid);
	return s;
}

void cab_bind_service_marker(struct cab_bind_service *s, const struct cab_app_session *ses)
{
	if (!s || !s->marker[0])
		return;
	if (!ses->sid[0] || ses->closed) {
		unlink(s->marker);
		return;
	}
	char tmp[620];
	snprintf(tmp, sizeof tmp, "%s.new", s->marker);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%s\nopen_sent=%d\n", ses->sid, ses->open_sent ? 1 : 0);
	if (fflush(f) == 0)
		fsync(fileno(f));
	fclose(f);
	rename(tmp, s->marker);
}

/* --- recovery bound to the store ------------------------------------------------- */

static int rec_inspect(void *user, struct cab_recovery_facts *out)
{
	struct cab_bind_service *s = user;
	memset(out, 0, sizeof *out);
	if (!s->found_sid[0] || !s->store)
		return 0;
	struct cab_store_session_info info;
	if (cab_store_session_get(s->store, s->found_sid, &info))
		return 0; /* unknown to the store: nothing left of it */
	snprintf(out->session_id, sizeof out->session_id, "%s", s->found_sid);
	/* the store wiped it at open (crash recovery): it was interrupted */
	out->session_open = !strcmp(info.outcome, "crash_recovery") || !strcmp(info.state, "open");
	out->handoff_acked = false;
	out->patient_data_left = !strcmp(info.state, "open");
	return 0;
}

static void put(struct cab_bind_service *s, const char *sid, const char *type, char *body, const char *id)
{
	if (body && cab_store_outbox_put(s->store, sid, type, body, 0, id, NULL))
		cab_err("app", "recovery: %s not queued", type);
	free(body);
}

static int rec_incident(void *user, const char *sid, const char *incident)
{
	struct cab_bind_service *s = user;
	char id[37];
	int64_t now = cab_wall_ms();
	if (cab_store_incident_add(s->store, sid, incident, "the cabin stopped during the session"))
		return -EIO;
	if (!s->found_open_sent)
		put(s, sid, "session_open", cab_out_session_open(sid, now, id), id);
	put(s, sid, "incident",
	    cab_out_incident(sid, incident, now, 0, "the cabin stopped during the session; data wiped", id), id);
	put(s, sid, "session_close", cab_out_session_close(sid, now, "crash-recovery", id), id);
	return 0;
}

static int rec_wipe(void *user, const char *sid)
{
	struct cab_bind_service *s = user;
	int rc = cab_store_session_wipe(s->store, sid, CAB_OUTCOME_CRASH);
	if (rc == 0) {
		unlink(s->marker);
		s->found_sid[0] = 0;
	}
	return rc ? -EIO : 0;
}

static int rec_abort(void *user, const char *sid)
{
	return rec_wipe(user, sid);
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
	if (store) {
		cab_svc_bind_store(&s->sb, store, a->config_path[0] ? a->config_path : NULL, &s->sources,
		                   &s->audit);
		s->rec = (struct cab_recovery_store){.inspect = rec_inspect,
		                                     .queue_incident = rec_incident,
		                                     .abort_session = rec_abort,
		                                     .wipe = rec_wipe,
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
