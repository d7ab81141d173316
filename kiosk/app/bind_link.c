/* bind_link.c — binds the doctor link (kiosk/link) to the main thread: started with
 * the configuration (URL, certificates or pin) and the store's outbox port; its
 * callbacks (link thread) post to the event queue; the main thread shows the link
 * state (checks screen, call quality), records link loss and return as an incident,
 * takes the doctor's identity into the session and turns the doctor's requests into
 * screens (measurement highlighted, message, stethoscope, end of the call). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/events.h"
#include "kiosk/link/link.h"
#include "kiosk/store/store.h"
#include "kiosk/ui/i18n.h"
#include "log.h"

#define PRECALL_S_DEFAULT 120

/* --- link thread -> queue --------------------------------------------------------- */

static struct cab_linkev *linkev(enum cab_linkev_what what)
{
	struct cab_linkev *ev = calloc(1, sizeof *ev);
	if (ev)
		ev->what = what;
	return ev;
}

static void on_status(const struct cab_link_status *st, void *u)
{
	cab_app_service_link_status(u, st);
	struct cab_linkev *ev = linkev(CAB_LINKEV_STATUS);
	if (!ev)
		return;
	ev->state = st->state;
	snprintf(ev->text, sizeof ev->text, "%s", st->message ? st->message : "");
	cab_event_post(CAB_QEV_LINK, ev, free);
}

static void on_doctor(const struct cab_link_doctor *d, void *u)
{
	(void)u;
	struct cab_linkev *ev = linkev(CAB_LINKEV_DOCTOR);
	if (!ev)
		return;
	snprintf(ev->session, sizeof ev->session, "%s", d->session ? d->session : "");
	snprintf(ev->name, sizeof ev->name, "%s", d->name ? d->name : "");
	snprintf(ev->specialty, sizeof ev->specialty, "%s", d->specialty ? d->specialty : "");
	snprintf(ev->rpps, sizeof ev->rpps, "%s", d->rpps ? d->rpps : "");
	cab_event_post(CAB_QEV_LINK, ev, free);
}

static void on_request(const struct cab_link_request *rq, void *u)
{
	(void)u;
	struct cab_linkev *ev = linkev(CAB_LINKEV_REQUEST);
	if (!ev)
		return;
	ev->state = rq->action;
	snprintf(ev->session, sizeof ev->session, "%s", rq->session ? rq->session : "");
	snprintf(ev->name, sizeof ev->name, "%s", rq->kind ? rq->kind : "");
	snprintf(ev->text, sizeof ev->text, "%s", rq->text ? rq->text : "");
	cab_event_post(CAB_QEV_LINK, ev, free);
}

static void on_rtt(int64_t ms, void *u)
{
	struct cab_app *a = u;
	cab_app_service_link_rtt(a, ms);
	cab_app_media_rtt(a, ms); /* the media sender adapts on the link thread */
	struct cab_linkev *ev = linkev(CAB_LINKEV_RTT);
	if (!ev)
		return;
	ev->ms = ms;
	cab_event_post(CAB_QEV_LINK, ev, free);
}

static void on_media_stats(const struct cab_link_media_stats *st, void *u)
{
	cab_app_media_link_stats(u, st); /* the sender adapts on the link thread */
}

static void on_acked(const char *id, void *u)
{
	(void)u;
	struct cab_linkev *ev = linkev(CAB_LINKEV_ACKED);
	if (!ev)
		return;
	snprintf(ev->name, sizeof ev->name, "%s", id);
	cab_event_post(CAB_QEV_LINK, ev, free);
}

static void on_error(const char *code, const char *ref, const char *detail, void *u)
{
	(void)u;
	cab_warn("app", "station refused %s: %s (%s)", ref ? ref : "-", code, detail ? detail : "");
}

static void on_binary(const void *data, size_t len, void *u)
{
	cab_app_media_binary(u, data, len);
}

int cab_app_link_start(struct cab_app *a)
{
	const struct cab_config *c = &a->cfg;
	struct cab_outbox_port port;
	char err[256], proxy[600];
	a->rtt_ms = -1;
	if (!a->store) {
		cab_err("app", "no store: the link has no outbox and is not started");
		return -1;
	}
	if (cab_store_outbox_open(a->store, &a->link_store)) {
		cab_err("app", "outbox handle for the link: %s", cab_store_errmsg(a->store));
		return -1;
	}
	cab_store_outbox_port(a->link_store, &port);
	cab_app_service_outbox_port(a, &port); /* acknowledged throughput for the menu */
	struct cab_link_config lc = {.url = c->station_url,
	                             .cert = c->cert,
	                             .key = c->key,
	                             .ca = c->pin[0] ? NULL : c->ca,
	                             .pin_sha256 = c->pin[0] ? c->pin : NULL,
	                             .proxy = cab_config_proxy_hostport(c, proxy, sizeof proxy)[0]
	                                          ? proxy
	                                          : NULL,
	                             .backoff_min_ms = 250,
	                             .backoff_max_ms = 5000,
	                             .ping_interval_ms = 2000};
	snprintf(lc.cabin.id, sizeof lc.cabin.id, "%s", c->cabin_id);
	snprintf(lc.cabin.pharmacy, sizeof lc.cabin.pharmacy, "%s", c->pharmacy_name);
	snprintf(lc.cabin.address_line, sizeof lc.cabin.address_line, "%s", c->address);
	snprintf(lc.cabin.postal_code, sizeof lc.cabin.postal_code, "%s", c->postal_code);
	snprintf(lc.cabin.city, sizeof lc.cabin.city, "%s", c->city);
	snprintf(lc.cabin.country, sizeof lc.cabin.country, "%s", c->country);
	snprintf(lc.cabin.phone, sizeof lc.cabin.phone, "%s", c->phone);
	struct cab_link_callbacks cb = {.on_status = on_status,
	                                .on_request = on_request,
	                                .on_doctor = on_doctor,
	                                .on_rtt = on_rtt,
	                                .on_binary = on_binary,
	                                .on_acked = on_acked,
	                                .on_error = on_error,
	                                .on_media_stats = on_media_stats,
	                                .user = a};
	a->link = cab_link_new(&lc, &port, &cb, err, sizeof err);
	if (!a->link) {
		cab_err("app", "link not started: %s", err);
		cab_app_store_incident(a, "link-config", cab_wall_ms(), 0, err);
		cab_store_close(a->link_store);
		a->link_store = NULL;
		return -1;
	}
	if (cab_link_start(a->link)) {
		cab_link_free(a->link);
		a->link = NULL;
		return -1;
	}
	cab_info("app", "link to %s started", c->station_url);
	return 0;
}

void cab_app_link_stop(struct cab_app *a)
{
	cab_link_free(a->link);
	a->link = NULL;
	cab_store_close(a->link_store);
	a->link_store = NULL;
}

void cab_app_link_wake(struct cab_app *a)
{
	if (a->link)
		cab_link_wake(a->link);
}

/* --- main thread -------------------------------------------------------------------- */

static bool pre_call_done(const struct cab_app *a)
{
	for (int t = 0; t < 4; t++) { /* thermometer, blood pressure, oximeter, scale */
		enum cab_tile_state s = a->view.instruments[t].state;
		if (!a->tile_measured[t] && s != CAB_TILE_FAILED && s != CAB_TILE_ABSENT)
			return false;
	}
	return true;
}

static int64_t precall_ms(void)
{
	const char *e = getenv("CABIN_PRECALL_S");
	return (e && *e ? atoll(e) : PRECALL_S_DEFAULT) * 1000;
}

int64_t cab_app_join_due(const struct cab_app *a, int64_t now)
{
	if (a->view.state != CAB_FLOW_WAITING_ROOM || !a->view.doctor.known || !a->waiting_since)
		return -1;
	int64_t due = a->waiting_since + precall_ms();
	return due > now ? due - now : 0;
}

void cab_app_maybe_join(struct cab_app *a, int64_t now)
{
	if (a->view.state != CAB_FLOW_WAITING_ROOM || !a->view.doctor.known)
		return;
	if (a->doctor_asked || pre_call_done(a) || (a->waiting_since && now - a->waiting_since >= precall_ms())) {
		cab_info("app", "the doctor joins the call");
		cab_flow_handle(a->flow, CAB_EV_DOCTOR_JOINED);
		cab_app_sync(a);
	}
}

static void link_quality(struct cab_app *a)
{
	struct cab_view *v = &a->view;
	if (!a->link_up)
		snprintf(v->link_text, sizeof v->link_text, "%s", _("Connection lost: reconnecting…"));
	else if (a->rtt_ms < 0)
		snprintf(v->link_text, sizeof v->link_text, "%s", _("Connection: good"));
	else
		snprintf(v->link_text, sizeof v->link_text, "%s · %lld ms",
		         a->rtt_ms < 150 ? _("Connection: good") : a->rtt_ms < 400 ? _("Connection: fair") : _("Connection: poor"),
		         (long long)a->rtt_ms);
	a->ctx.dirty = true;
}

static void on_link_status(struct cab_app *a, const struct cab_linkev *ev)
{
	bool up = ev->state == CAB_LINK_CONNECTED;
	bool in_session = a->sid[0] && a->sid_open_sent && !a->sid_closed;
	if (a->link_up && !up) {
		cab_warn("app", "link lost: %s", ev->text);
		cab_app_audit(a, CAB_ACTOR_STATION, "link_lost", "");
		if (in_session)
			a->link_lost_ms = cab_wall_ms();
	} else if (!a->link_up && up) {
		cab_info("app", "link up");
		cab_app_audit(a, CAB_ACTOR_STATION, "link_up", "");
		if (a->link_lost_ms && in_session)
			cab_app_store_incident(a, "link-lost", a->link_lost_ms, cab_wall_ms(),
			                       "link to the doctor station lost and restored");
		a->link_lost_ms = 0;
	}
	if (ev->state == CAB_LINK_REFUSED)
		cab_err("app", "station refused: %s", ev->text);
	a->link_up = up;
	link_quality(a);
}

static void on_link_request(struct cab_app *a, const struct cab_linkev *ev)
{
	struct cab_view *v = &a->view;
	if (!a->sid[0] || strcmp(ev->session, a->sid)) {
		cab_warn("app", "request for another session ignored");
		return;
	}
	cab_app_audit(a, CAB_ACTOR_STATION, "request", cab_req_action_name((enum cab_req_action)ev->state));
	cab_info("app", "doctor request: %s %s", cab_req_action_name((enum cab_req_action)ev->state), ev->name);
	if (v->state == CAB_FLOW_WAITING_ROOM)
		a->doctor_asked = true;
	int kind = -1;
	for (int k = 0; k < CAB_KIND__COUNT; k++)
		if (!strcmp(ev->name, cab_device_kind_name((enum cab_device_kind)k)))
			kind = k;
	switch ((enum cab_req_action)ev->state) {
	case CAB_REQ_MEASURE: {
		int t = cab_app_tile_of_kind((enum cab_device_kind)kind);
		if (t >= 0) {
			v->requested_tile = t;
			cab_app_devices_measure(a, t);
		}
		break;
	}
	case CAB_REQ_STREAM_START:
	case CAB_REQ_STREAM_STOP:
		cab_app_media_request(a, ev->state, ev->name);
		v->steth_on = ev->state == CAB_REQ_STREAM_START && kind == CAB_KIND_STETHOSCOPE;
		break;
	case CAB_REQ_MESSAGE:
		snprintf(v->doctor_message, sizeof v->doctor_message, "%s", ev->text);
		break;
	case CAB_REQ_END:
		if (v->state == CAB_FLOW_CONSULTATION)
			cab_flow_handle(a->flow, CAB_EV_CONSULTATION_ENDED);
		break;
	default:
		break;
	}
	cab_app_sync(a);
	cab_app_maybe_join(a, cab_mono_ms());
}

void cab_app_link_event(struct cab_app *a, const struct cab_linkev *ev)
{
	switch (ev->what) {
	case CAB_LINKEV_STATUS:
		on_link_status(a, ev);
		break;
	case CAB_LINKEV_DOCTOR:
		if (a->sid[0] && !strcmp(ev->session, a->sid)) {
			cab_session_set_doctor(cab_flow_session(a->flow), ev->name, ev->specialty, ev->rpps);
			cab_app_audit(a, CAB_ACTOR_STATION, "doctor_assigned", ev->rpps);
			cab_app_sync(a);
			cab_app_maybe_join(a, cab_mono_ms());
		}
		break;
	case CAB_LINKEV_REQUEST:
		on_link_request(a, ev);
		break;
	case CAB_LINKEV_RTT:
		a->rtt_ms = ev->ms;
		if (a->view.state == CAB_FLOW_CONSULTATION)
			link_quality(a);
		break;
	case CAB_LINKEV_ACKED:
	case CAB_LINKEV_ERROR:
		break;
	}
}
