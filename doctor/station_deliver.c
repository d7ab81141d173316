/* station_deliver.c — delivers each finished record to the platform's FHIR server
 * ([fhir] base_url): HTTP POST of the transaction Bundle (FHIR R4 RESTful API,
 * http://hl7.org/fhir/R4/http.html#transaction) with a client certificate and/or a
 * bearer token (RFC 6750), through libcurl on a worker thread. The service thread owns
 * the queue (station db table delivery: a record stays there until the server accepts
 * it), the backoff (1 s doubling to 5 min) and the reports: each failure is logged and
 * is a CAB_SEV_DELIVERY event the doctor's console shows. Posting again is harmless:
 * the Bundle's conditional creates make the server create nothing twice. */
#include "doctor/station_internal.h"

#include "common/clock.h"
#include "common/log.h"

#include <curl/curl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TICK_US (500 * 1000)
#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS (5 * 60 * 1000)
#define RESPONSE_MAX (1 << 20) /* bytes of the server's answer kept for the report */

struct stn_deliver {
	struct cab_station *st;
	lws_sorted_usec_list_t sul;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;      /* under mu */
	int busy;      /* a job is with the worker */
	int done;      /* the worker finished it: result below */
	char session[64];
	int tries;     /* failed tries before this one */
	char *body;    /* the Bundle text (owned) */
	long http;     /* result: HTTP status, 0 when none */
	char err[256]; /* result: what failed, "" when accepted */
};

struct resp {
	char *buf;
	size_t len;
};

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
	struct resp *r = user;
	size_t k = size * n;
	if (r->len + k > RESPONSE_MAX)
		return k; /* kept short; the rest is dropped */
	char *nb = realloc(r->buf, r->len + k + 1);
	if (!nb)
		return 0;
	memcpy(nb + r->len, p, k);
	r->buf = nb;
	r->len += k;
	r->buf[r->len] = '\0';
	return k;
}

static int on_progress(void *user, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)a, (void)b, (void)c, (void)d;
	struct stn_deliver *dl = user;
	pthread_mutex_lock(&dl->mu);
	int stop = dl->stop;
	pthread_mutex_unlock(&dl->mu);
	return stop; /* non-zero aborts the transfer */
}

/* One POST of BODY; HTTP status in *HTTP, error text in ERR ("" when 200/201 and a
 * transaction-response came back). */
static void post(struct stn_deliver *dl, const char *body, long *http, char *err, size_t n)
{
	const struct cab_station_fhir *f = &dl->st->cfg.fhir;
	struct resp r = {NULL, 0};
	struct curl_slist *h = NULL;
	char auth[600];
	err[0] = '\0';
	*http = 0;
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, n, "cannot start an HTTP client");
		return;
	}
	h = curl_slist_append(h, "Content-Type: application/fhir+json");
	h = curl_slist_append(h, "Accept: application/fhir+json");
	h = curl_slist_append(h, "Prefer: return=minimal");
	if (f->token[0]) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", f->token);
		h = curl_slist_append(h, auth);
	}
	curl_easy_setopt(c, CURLOPT_URL, f->base_url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, dl);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (f->cert[0])
		curl_easy_setopt(c, CURLOPT_SSLCERT, f->cert);
	if (f->key[0])
		curl_easy_setopt(c, CURLOPT_SSLKEY, f->key);
	if (f->ca[0])
		curl_easy_setopt(c, CURLOPT_CAINFO, f->ca);
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		snprintf(err, n, "%s", curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, http);
		json_t *j = r.buf ? json_loads(r.buf, 0, NULL) : NULL;
		const char *type = json_string_value(json_object_get(j, "type"));
		if (*http != 200 && *http != 201) {
			/* the server's OperationOutcome says why: its first issue, escaped */
			json_t *is = json_array_get(json_object_get(j, "issue"), 0);
			const char *why = json_string_value(
			    json_object_get(json_object_get(is, "details"), "text"));
			snprintf(err, n, "HTTP %ld%s%.180s", *http, why ? ": " : "", why ? why : "");
		} else if (!type || strcmp(type, "transaction-response")) {
			snprintf(err, n, "HTTP %ld but no transaction-response", *http);
		}
		json_decref(j);
	}
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' '; /* text from the other end, before the log */
	free(r.buf);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

static void *worker(void *arg)
{
	struct stn_deliver *dl = arg;
	pthread_mutex_lock(&dl->mu);
	for (;;) {
		while (!dl->stop && (!dl->busy || dl->done))
			pthread_cond_wait(&dl->cv, &dl->mu);
		if (dl->stop)
			break;
		char *body = dl->body;
		pthread_mutex_unlock(&dl->mu);
		long http;
		char err[256];
		post(dl, body, &http, err, sizeof err);
		pthread_mutex_lock(&dl->mu);
		dl->http = http;
		snprintf(dl->err, sizeof dl->err, "%s", err);
		dl->done = 1;
	}
	pthread_mutex_unlock(&dl->mu);
	return NULL;
}

/* Service thread, every TICK_US: reports a finished try, hands the next due record to
 * the worker. */
static void tick(lws_sorted_usec_list_t *sul)
{
	struct stn_deliver *dl = lws_container_of(sul, struct stn_deliver, sul);
	struct cab_station *st = dl->st;
	int64_t now = cab_wall_ms();
	pthread_mutex_lock(&dl->mu);
	if (dl->busy && dl->done) {
		char text[512];
		if (!dl->err[0]) {
			station_db_delivery_result(st->db, dl->session, 1, dl->tries + 1, now, "");
			snprintf(text, sizeof text, "record delivered to %.300s (HTTP %ld)",
			         st->cfg.fhir.base_url, dl->http);
			cab_info(STN_LOG, "session %s: %s", dl->session, text);
		} else {
			int tries = dl->tries + 1;
			int64_t wait = BACKOFF_MIN_MS;
			for (int i = 1; i < tries && wait < BACKOFF_MAX_MS; i++)
				wait *= 2;
			if (wait > BACKOFF_MAX_MS)
				wait = BACKOFF_MAX_MS;
			station_db_delivery_result(st->db, dl->session, 0, tries, now + wait, dl->err);
			snprintf(text, sizeof text,
			         "record delivery failed (try %d): %s; kept, next try in %lld s", tries,
			         dl->err, (long long)((wait + 999) / 1000));
			cab_warn(STN_LOG, "session %s: %s", dl->session, text);
		}
		char session[64];
		snprintf(session, sizeof session, "%s", dl->session);
		free(dl->body);
		dl->body = NULL;
		dl->busy = dl->done = 0;
		pthread_mutex_unlock(&dl->mu);
		stn_emit_text(st, CAB_SEV_DELIVERY, NULL, session, text);
		pthread_mutex_lock(&dl->mu);
	}
	if (!dl->busy) {
		dl->body = station_db_delivery_due(st->db, now, dl->session, sizeof dl->session,
		                                   &dl->tries);
		if (dl->body) {
			dl->busy = 1;
			pthread_cond_signal(&dl->cv);
		}
	}
	pthread_mutex_unlock(&dl->mu);
	lws_sul_schedule(st->ctx, 0, &dl->sul, tick, TICK_US);
}

int stn_deliver_start(struct cab_station *st)
{
	if (!st->cfg.fhir.base_url[0] || st->deliver)
		return 0;
	struct stn_deliver *dl = calloc(1, sizeof *dl);
	if (!dl)
		return -1;
	dl->st = st;
	pthread_mutex_init(&dl->mu, NULL);
	pthread_cond_init(&dl->cv, NULL);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (pthread_create(&dl->th, NULL, worker, dl)) {
		cab_err(STN_LOG, "cannot start the record delivery");
		pthread_cond_destroy(&dl->cv);
		pthread_mutex_destroy(&dl->mu);
		free(dl);
		return -1;
	}
	st->deliver = dl;
	cab_info(STN_LOG, "records are delivered to %s", st->cfg.fhir.base_url);
	lws_sul_schedule(st->ctx, 0, &dl->sul, tick, 0);
	return 0;
}

void stn_deliver_stop(struct cab_station *st)
{
	struct stn_deliver *dl = st->deliver;
	if (!dl)
		return;
	lws_sul_cancel(&dl->sul);
	pthread_mutex_lock(&dl->mu);
	dl->stop = 1;
	pthread_cond_signal(&dl->cv);
	pthread_mutex_unlock(&dl->mu);
	pthread_join(dl->th, NULL);
	free(dl->body);
	pthread_cond_destroy(&dl->cv);
	pthread_mutex_destroy(&dl->mu);
	curl_global_cleanup();
	free(dl);
	st->deliver = NULL;
}

void stn_deliver_enqueue(struct cab_station *st, const char *session, json_t *bundle)
{
	if (!st->deliver)
		return;
	char *body = json_dumps(bundle, JSON_COMPACT | JSON_REAL_PRECISION(10));
	if (!body || station_db_delivery_put(st->db, session, body, cab_wall_ms()))
		cab_err(STN_LOG, "session %s: cannot queue the record for delivery", session);
	free(body);
}
