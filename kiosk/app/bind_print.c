/* bind_print.c — the prescription on paper (see bind_print.h). The page is made on
 * the main thread (kiosk/print/print_doc.c, pure), sent to CUPS on a thread (libcups
 * blocks while it follows the job, up to 60 s), and the result comes back through
 * the event queue (CAB_QEV_PRINT). */
#include "kiosk/app/bind_print.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/events.h"
#include "kiosk/print/print_cups.h"
#include "kiosk/print/print_doc.h"
#include "kiosk/store/store.h"
#include "log.h"

struct cab_bind_print {
	struct cab_app *app;
	const struct cab_app_session *ses;
	json_t *rx;         /* the session's prescription, NULL none */
	char session[40];   /* the session it belongs to */
	pthread_t th;
	bool running;       /* a job thread was started and not joined */
};

/* What the job thread gets (owned by it). */
struct job {
	char printer[128];
	char session[40];
	char *ps;
	size_t len;
	int64_t start_ms;
};

struct cab_bind_print *cab_bind_print_new(struct cab_app *a, const struct cab_app_session *ses)
{
	struct cab_bind_print *p = calloc(1, sizeof *p);
	if (p) {
		p->app = a;
		p->ses = ses;
	}
	return p;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* The lines as the patient reads them: the medicine, then dose - duration and the
 * doctor's words, indented; cut (with "…") where the dialog has no more room. */
static void lines_text(json_t *rx, char *out, size_t n)
{
	size_t used = 0, i;
	json_t *l;
	out[0] = 0;
	json_array_foreach(json_object_get(rx, "lines"), i, l)
	{
		char one[600];
		const char *dose = str(l, "dose"), *dur = str(l, "duration"), *txt = str(l, "text");
		int k = snprintf(one, sizeof one, "%s%s%s%s%s%s%s%s", i ? "\n" : "", str(l, "medicine"),
		                 *dose || *dur ? "\n    " : "", dose, *dose && *dur ? " - " : "", dur,
		                 *txt ? "\n    " : "", txt);
		if (k < 0 || (size_t)k >= sizeof one || used + (size_t)k + 4 >= n || i >= 6) {
			snprintf(out + used, n - used, "\n…");
			return;
		}
		memcpy(out + used, one, (size_t)k + 1);
		used += (size_t)k;
	}
}

static void changed(struct cab_bind_print *p)
{
	p->app->ctx.dirty = true;
	cab_app_voice_screen(p->app); /* the dialog's line (rx_dialog.c), never in the call */
}

void cab_bind_print_offer(struct cab_bind_print *p, const char *rx_json)
{
	struct cab_rx_view *r = &p->app->view.rx;
	if (r->state == CAB_RX_PRINTING) {
		cab_warn("print", "a prescription arrived while printing: kept the one printing");
		return;
	}
	json_t *rx = json_loads(rx_json, 0, NULL);
	if (!json_is_object(rx) || !json_array_size(json_object_get(rx, "lines"))) {
		json_decref(rx);
		cab_warn("print", "a prescription without lines: not offered");
		return;
	}
	json_decref(p->rx);
	p->rx = rx;
	snprintf(p->session, sizeof p->session, "%s", p->ses->sid);
	lines_text(rx, r->lines, sizeof r->lines);
	r->state = CAB_RX_OFFERED;
	r->shown = true;
	r->fail = 0;
	cab_info("print", "prescription of %zu line(s) offered to the patient",
	         json_array_size(json_object_get(rx, "lines")));
	changed(p);
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	struct cab_printev *ev = calloc(1, sizeof *ev);
	char detail[300];
	/* the title shows in the print queue: nothing personal */
	enum cab_print_err e = cab_print_submit(j->printer, "Cabin prescription",
	                                        "application/postscript", j->ps, j->len, detail,
	                                        sizeof detail);
	explicit_bzero(j->ps, j->len);
	free(j->ps);
	if (ev) {
		ev->err = (int)e;
		ev->start_ms = j->start_ms;
		ev->end_ms = cab_wall_ms();
		snprintf(ev->session, sizeof ev->session, "%s", j->session);
		snprintf(ev->detail, sizeof ev->detail, "%s", detail);
		cab_event_post(CAB_QEV_PRINT, ev, free);
	}
	free(j);
	return NULL;
}

/* "DD/MM/YYYY" as typed on the identity screen, printed as is. */
static void print_now(struct cab_bind_print *p)
{
	struct cab_app *a = p->app;
	struct cab_view *v = &a->view;
	char name[2 * CAB_NAME_BYTES + 2];
	snprintf(name, sizeof name, "%s %s", v->form.first_names, v->form.birth_name);
	size_t len = 0;
	char *ps = cab_print_prescription(p->rx, name, v->form.birth_date, &len);
	explicit_bzero(name, sizeof name);
	struct job *j = ps ? calloc(1, sizeof *j) : NULL;
	if (!j) {
		free(ps);
		v->rx.state = CAB_RX_FAILED;
		v->rx.fail = CAB_PRINT_FAILED;
		cab_err("print", "the prescription page could not be made");
		cab_app_fx_incident(a, "printer-error", cab_wall_ms(), cab_wall_ms(),
		                    "the prescription page could not be made");
		changed(p);
		return;
	}
	snprintf(j->printer, sizeof j->printer, "%s", a->cfg.printer_name);
	snprintf(j->session, sizeof j->session, "%s", p->session);
	j->ps = ps;
	j->len = len;
	j->start_ms = cab_wall_ms();
	if (p->running) { /* the last job posted its result already: collect its thread */
		pthread_join(p->th, NULL);
		p->running = false;
	}
	if (pthread_create(&p->th, NULL, job_main, j)) {
		explicit_bzero(ps, len);
		free(ps);
		free(j);
		v->rx.state = CAB_RX_FAILED;
		v->rx.fail = CAB_PRINT_FAILED;
		cab_err("print", "no print thread");
		changed(p);
		return;
	}
	p->running = true;
	v->rx.state = CAB_RX_PRINTING;
	cab_info("print", "prescription sent to %s", a->cfg.printer_name[0] ? a->cfg.printer_name
	                                                                    : "the default printer");
	cab_app_fx_audit(a, CAB_ACTOR_SESSION, "prescription_print", "");
	changed(p);
}

void cab_bind_print_action(struct cab_bind_print *p, int act)
{
	struct cab_rx_view *r = &p->app->view.rx;
	if (act == CAB_ACT_RX_PRINT && r->state == CAB_RX_OFFERED && p->rx) {
		print_now(p);
	} else if (act == CAB_ACT_RX_DECLINE && r->state == CAB_RX_OFFERED) {
		r->state = CAB_RX_DECLINED;
		r->shown = false;
		cab_info("print", "the patient declined the paper prescription");
		cab_app_fx_audit(p->app, CAB_ACTOR_SESSION, "prescription_declined", "");
		changed(p);
	} else if (act == CAB_ACT_RX_CLOSE &&
	           (r->state == CAB_RX_PRINTED || r->state == CAB_RX_FAILED)) {
		r->shown = false;
		changed(p);
	}
}

void cab_bind_print_event(struct cab_bind_print *p, const struct cab_printev *ev)
{
	if (p->running) { /* the thread posted this just before it ended */
		pthread_join(p->th, NULL);
		p->running = false;
	}
	enum cab_print_err e = (enum cab_print_err)ev->err;
	if (e == CAB_PRINT_OK)
		cab_info("print", "prescription printed");
	else
		cab_warn("print", "prescription not printed: %s: %s", cab_print_err_name(e), ev->detail);
	struct cab_rx_view *r = &p->app->view.rx;
	if (strcmp(ev->session, p->ses->sid) || r->state != CAB_RX_PRINTING) {
		cab_warn("print", "the print result came after the session ended");
		return;
	}
	if (e != CAB_PRINT_OK) {
		char d[360];
		snprintf(d, sizeof d, "%s: %s", cab_print_err_name(e), ev->detail);
		cab_app_fx_incident(p->app, "printer-error", ev->start_ms, ev->end_ms, d);
	}
	r->state = e == CAB_PRINT_OK ? CAB_RX_PRINTED : CAB_RX_FAILED;
	r->fail = (int)e;
	r->shown = true;
	changed(p);
}

void cab_bind_print_clear(struct cab_bind_print *p)
{
	if (!p)
		return;
	json_decref(p->rx);
	p->rx = NULL;
	p->session[0] = 0;
}

void cab_bind_print_stop(struct cab_bind_print *p)
{
	if (!p)
		return;
	if (p->running)
		pthread_join(p->th, NULL);
	cab_bind_print_clear(p);
	free(p);
}
