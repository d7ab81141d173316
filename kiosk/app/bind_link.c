/* bind_link.c — binds the doctor link (kiosk/link) to the main thread: started with
 * the configuration (URL, certificates or pin) and the store's outbox port; its
 * callbacks (link thread) post to the event queue; the main thread shows the link
 * state (checks screen, call quality), records link loss and return as an incident,
 * and hands the doctor's identity and requests on to the dispatcher (app.c), which
 * turns them into screens and media actions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/bind_link.h"
#include "kiosk/app/events.h"
#include "cabin/reading.h"
#include "kiosk/link/link.h"
#include "kiosk/store/store.h"
#include "kiosk/ui/i18n.h"
#include "log.h"

struct cab_bind_link {
	struct cab_app *app;               /* configuration, view; effects */
	const struct cab_app_session *ses; /* the store binding's session */
	struct cab_link *link;             /* NULL: not started */
	struct cab_store *link_store;      /* the link thread's own store handle */
	bool link_up;
	int64_t link_lost_ms; /* wall ms the link dropped during a session, 0 none */
	int64_t rtt_ms;       /* last round trip, -1 unknown */
	char state_sid[40];   /* session the last patient_state was sent for */
	unsigned state_sent;  /* its ready bit (1) and measuring tiles (bits 1..) */
};

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
	struct cab_bind_link *l = u;
	cab_app_dispatch(l->app, &(struct cab_fx){.kind = CAB_FX_LINK_STATUS, .p = st});
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
	ev->state = d->released;
	cab_event_post(CAB_QEV_LINK, ev, free);
}

static void on_queue(const struct cab_link_queue *q, void *u)
{
	(void)u;
	struct cab_linkev *ev = linkev(CAB_LINKEV_QUEUE);
	if (!ev)
		return;
	snprintf(ev->session, sizeof ev->session, "%s", q->session ? q->session : "");
	ev->state = q->position;
	ev->ms = q->estimate_s;
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
	snprintf(ev->req_id, sizeof ev->req_id, "%s", rq->id ? rq->id : "");
	snprintf(ev->body_site, sizeof ev->body_site, "%s", rq->body_site ? rq->body_site : "");
	cab_event_post(CAB_QEV_LINK, ev, free);
}

void cab_linkev_free(void *p)
{
	struct cab_linkev *ev = p;
	if (ev && ev->json) {
		explicit_bzero(ev->json, strlen(ev->json));
		free(ev->json);
	}
	free(ev);
}

static void on_prescription(const char *session, const char *rx_json, void *u)
{
	(void)u;
	struct cab_linkev *ev = linkev(CAB_LINKEV_PRESCRIPTION);
	if (!ev)
		return;
	snprintf(ev->session, sizeof ev->session, "%s", session ? session : "");
	ev->json = strdup(rx_json);
	if (!ev->json) {
		free(ev);
		return;
	}
	cab_event_post(CAB_QEV_LINK, ev, cab_linkev_free);
}

static void on_rtt(int64_t ms, void *u)
{
	struct cab_bind_link *l = u;
	/* the service menu, and the media sender that adapts on the link thread */
	cab_app_dispatch(l->app, &(struct cab_fx){.kind = CAB_FX_LINK_RTT, .t0 = ms});
	struct cab_linkev *ev = linkev(CAB_LINKEV_RTT);
	if (!ev)
		return;
	ev->ms = ms;
	cab_event_post(CAB_QEV_LINK, ev, free);
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

static void on_signal(const char *type, const char *session, const char *json, void *u)
{
	(void)type;
	(void)u;
	struct cab_linkev *ev = linkev(CAB_LINKEV_SIGNAL);
	if (ev)
		ev->json = strdup(json);
	if (!ev || !ev->json) {
		cab_linkev_free(ev);
		return;
	}
	snprintf(ev->session, sizeof ev->session, "%s", session ? session : "");
	cab_event_post(CAB_QEV_LINK, ev, cab_linkev_free);
}

struct cab_bind_link *cab_bind_link_start(struct cab_app *a, struct cab_store *store,
                                          const struct cab_app_session *ses)
{
	const struct cab_config *c = &a->cfg;
	struct cab_outbox_port port;
	char err[256], proxy[600];
	struct cab_bind_link *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->app = a;
	l->ses = ses;
	l->rtt_ms = -1;
	if (!store) {
		cab_err("app", "no store: the link has no outbox and is not started");
		return l;
	}
	if (cab_store_outbox_open(store, &l->link_store)) {
		cab_err("app", "outbox handle for the link: %s", cab_store_errmsg(store));
		return l;
	}
	cab_store_outbox_port(l->link_store, &port);
	/* acknowledged throughput for the menu */
	cab_app_dispatch(a, &(struct cab_fx){.kind = CAB_FX_OUTBOX_PORT, .mp = &port});
	struct cab_link_config lc = {.url = c->station_url,
	                             .cert = c->cert,
	                             .key = c->key,
	                             .ca = c->pin[0] && !c->crl[0] ? NULL : c->ca,
	                             .crl = c->crl,
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
	                                .on_queue = on_queue,
	                                .on_rtt = on_rtt,
	                                .on_acked = on_acked,
	                                .on_error = on_error,
	                                .on_signal = on_signal,
	                                .on_prescription = on_prescription,
	                                .user = l};
	l->link = cab_link_new(&lc, &port, &cb, err, sizeof err);
	if (!l->link) {
		cab_err("app", "link not started: %s", err);
		cab_app_fx_incident(a, "link-config", cab_wall_ms(), 0, err);
		cab_store_close(l->link_store);
		l->link_store = NULL;
		return l;
	}
	if (cab_link_start(l->link)) {
		cab_link_free(l->link);
		l->link = NULL;
		return l;
	}
	cab_info("app", "link to %s started", c->station_url);
	return l;
}

void cab_bind_link_stop(struct cab_bind_link *l)
{
	if (!l)
		return;
	cab_link_free(l->link);
	l->link = NULL;
	cab_store_close(l->link_store);
	free(l);
}

void cab_bind_link_wake(struct cab_bind_link *l)
{
	if (l && l->link)
		cab_link_wake(l->link);
}

bool cab_bind_link_configured(const struct cab_bind_link *l)
{
	return l && l->link;
}

void cab_bind_link_patient_state(struct cab_bind_link *l, const struct cab_view *v)
{
	if (!l || !l->link || !l->ses->sid[0] || !l->ses->open_sent || l->ses->closed)
		return;
	const char *kinds[CAB_VIEW_INSTRUMENTS];
	size_t n = 0;
	unsigned bits = v->patient_ready ? 1u : 0u;
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++)
		if (v->instruments[i].state == CAB_TILE_BUSY) {
			bits |= 2u << i;
			kinds[n++] = cab_device_kind_name((enum cab_device_kind)(i + 1)); /* tile i = kind i+1 */
		}
	if (!strcmp(l->state_sid, l->ses->sid) && bits == l->state_sent)
		return;
	if (strcmp(l->state_sid, l->ses->sid) && bits == 0)
		return; /* nothing to say yet: not ready, nothing measuring */
	if (cab_link_send_patient_state(l->link, l->ses->sid, v->patient_ready, kinds, n) == 0) {
		snprintf(l->state_sid, sizeof l->state_sid, "%s", l->ses->sid);
		l->state_sent = bits;
		cab_info("app", "patient state sent: ready %d, %zu measuring", v->patient_ready, n);
	}
}

bool cab_bind_link_up(const struct cab_bind_link *l)
{
	return l && l->link_up;
}

int cab_bind_link_send_signal(struct cab_bind_link *l, const char *session, const char *signal_json)
{
	if (!l || !l->link)
		return -1;
	return cab_link_send_signal(l->link, session, signal_json);
}

int cab_bind_link_send_raw(struct cab_bind_link *l, const char *text, size_t len)
{
	if (!l || !l->link || !l->link_up)
		return -1;
	return cab_link_send_raw(l->link, text, len);
}

void cab_bind_link_session(struct cab_bind_link *l)
{
	if (l)
		l->link_lost_ms = 0;
}

void cab_bind_link_call_closed(struct cab_bind_link *l)
{
	if (l && l->link_lost_ms) { /* the call ends while the link is down: say so */
		cab_app_fx_incident(l->app, "link-lost", l->link_lost_ms, 0, "link down at the end of the call");
		l->link_lost_ms = 0;
	}
}

/* --- main thread -------------------------------------------------------------------- */

static void link_quality(struct cab_bind_link *l)
{
	struct cab_app *a = l->app;
	struct cab_view *v = &a->view;
	if (!l->link_up)
		snprintf(v->link_text, sizeof v->link_text, "%s", _("Connection lost: reconnecting…"));
	else if (l->rtt_ms < 0)
		snprintf(v->link_text, sizeof v->link_text, "%s", _("Connection: good"));
	else
		snprintf(v->link_text, sizeof v->link_text, "%s · %lld ms",
		         l->rtt_ms < 150 ? _("Connection: good") : l->rtt_ms < 400 ? _("Connection: fair") : _("Connection: poor"),
		         (long long)l->rtt_ms);
	a->ctx.dirty = true;
}

static void on_link_status(struct cab_bind_link *l, const struct cab_linkev *ev)
{
	struct cab_app *a = l->app;
	bool up = ev->state == CAB_LINK_CONNECTED;
	bool in_session = l->ses->sid[0] && l->ses->open_sent && !l->ses->closed;
	if (l->link_up && !up) {
		cab_warn("app", "link lost: %s", ev->text);
		cab_app_fx_audit(a, CAB_ACTOR_STATION, "link_lost", "");
		/* the call's peer cannot be signalled any more: it ends (a new `call` restarts it) */
		cab_app_dispatch(a, &(struct cab_fx){.kind = CAB_FX_CALL_SIGNAL_IN, .text = NULL});
		if (in_session)
			l->link_lost_ms = cab_wall_ms();
	} else if (!l->link_up && up) {
		cab_info("app", "link up");
		cab_app_fx_audit(a, CAB_ACTOR_STATION, "link_up", "");
		if (l->link_lost_ms && in_session)
			cab_app_fx_incident(a, "link-lost", l->link_lost_ms, cab_wall_ms(),
			                    "link to the doctor station lost and restored");
		l->link_lost_ms = 0;
	}
	if (ev->state == CAB_LINK_REFUSED)
		cab_err("app", "station refused: %s", ev->text);
	l->link_up = up;
	link_quality(l);
}

static void on_link_request(struct cab_bind_link *l, const struct cab_linkev *ev)
{
	if (!l->ses->sid[0] || strcmp(ev->session, l->ses->sid)) {
		cab_warn("app", "request for another session ignored");
		return;
	}
	cab_app_fx_audit(l->app, CAB_ACTOR_STATION, "request", cab_req_action_name((enum cab_req_action)ev->state));
	cab_info("app", "doctor request: %s %s", cab_req_action_name((enum cab_req_action)ev->state), ev->name);
	cab_app_dispatch(l->app, &(struct cab_fx){.kind = CAB_FX_DOCTOR_REQUEST,
	                                          .n = ev->state,
	                                          .text = ev->name,
	                                          .detail = ev->text,
	                                          .id = ev->req_id,
	                                          .body_site = ev->body_site});
}

void cab_bind_link_event(struct cab_bind_link *l, const struct cab_linkev *ev)
{
	switch (ev->what) {
	case CAB_LINKEV_STATUS:
		on_link_status(l, ev);
		break;
	case CAB_LINKEV_DOCTOR:
		if (l->ses->sid[0] && !strcmp(ev->session, l->ses->sid))
			cab_app_dispatch(l->app, &(struct cab_fx){.kind = CAB_FX_DOCTOR,
			                                          .n = ev->state,
			                                          .text = ev->name,
			                                          .detail = ev->specialty,
			                                          .id = ev->rpps});
		break;
	case CAB_LINKEV_REQUEST:
		on_link_request(l, ev);
		break;
	case CAB_LINKEV_RTT:
		l->rtt_ms = ev->ms;
		if (l->app->view.state == CAB_FLOW_CONSULTATION)
			link_quality(l);
		break;
	case CAB_LINKEV_SIGNAL:
		if (l->ses->sid[0] && !strcmp(ev->session, l->ses->sid))
			cab_app_dispatch(l->app, &(struct cab_fx){.kind = CAB_FX_CALL_SIGNAL_IN, .text = ev->json});
		else
			cab_warn("app", "call signal for another session ignored");
		break;
	case CAB_LINKEV_PRESCRIPTION:
		if (!l->ses->sid[0] || strcmp(ev->session, l->ses->sid)) {
			cab_warn("app", "prescription for another session ignored");
			break;
		}
		cab_app_fx_audit(l->app, CAB_ACTOR_STATION, "prescription", "");
		cab_app_dispatch(l->app, &(struct cab_fx){.kind = CAB_FX_PRESCRIPTION, .text = ev->json});
		break;
	case CAB_LINKEV_QUEUE:
		if (l->ses->sid[0] && !strcmp(ev->session, l->ses->sid))
			cab_app_dispatch(l->app, &(struct cab_fx){.kind = CAB_FX_QUEUE, .n = ev->state, .t0 = ev->ms});
		break;
	case CAB_LINKEV_ACKED:
	case CAB_LINKEV_ERROR:
		break;
	}
}
