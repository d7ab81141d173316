/* link.c — the cabin side of the link (link.h): one libwebsockets client context on
 * its own thread; TLS 1.3 context built here (OpenSSL) and handed to lws; outbox
 * draining with acks, resend after reconnect, ping/pong, reconnect backoff. */
#include "kiosk/link/link.h"

#include "common/clock.h"
#include "common/log.h"
#include "kiosk/link/link_sock.h"
#include "kiosk/link/tls_crl.h"

#include <libwebsockets.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG "link"
#define CTRL_MAX 256 /* queued control messages (acks, pongs) at most */
#define PEND_MAX 64  /* outbox items read ahead in one store transaction */
#define ACKS_MAX 256
#define ACKS_US 2000 /* acks wait at most this long for others to share their write */ /* station acks collected in one service round, at most */

struct pkt {
	struct pkt *next;
	size_t len;
	unsigned char data[]; /* LWS_PRE bytes of head room, then the payload */
};

struct pktq {
	struct pkt *head, *tail;
	size_t n;
};

struct cab_link {
	/* configuration (copied) */
	char url[512], host[256], path[256], proxy_host[256];
	int port, proxy_port;
	unsigned char pin[32];
	int has_pin;
	struct cab_link_identity cabin;
	int ping_ms, bo_min, bo_max;
	int skip_hello;
	struct cab_outbox_port port_ops;
	struct cab_link_callbacks cb;
	SSL_CTX *ssl;
	struct cab_tls_crl crl; /* the CRL in force (tls_crl.h) */

	/* link thread only */
	struct lws_context *ctx;
	struct lws *wsi;
	lws_sorted_usec_list_t sul_reconnect, sul_tick, sul_acks;
	int backoff_ms;
	int welcomed, version;
	int64_t cursor; /* seq of the last outbox item written this connection */
	int64_t last_rx_ms, last_ping_ms, last_rescan_ms;
	char ping_id[40];
	char acks[ACKS_MAX][40]; /* the station's acks of this service round (flush_acks) */
	int n_acks;
	struct cab_outbox_item pend[PEND_MAX]; /* read ahead from the outbox, in seq order */
	int pend_n, pend_i;
	int64_t ping_sent_ms;
	unsigned char *rx; /* reassembly of one message */
	size_t rx_len;
	int rx_over;
	enum cab_link_refusal refusal;
	char refusal_msg[256];
	enum cab_link_state last_state;
	int closing;
	int ws_up;          /* the WebSocket upgrade succeeded on this connection */
	int64_t attempt_ms; /* when the current connection attempt started (mono) */
	int attempt_open;   /* an attempt is under way and its end not yet reported */

	/* shared with other threads */
	pthread_t thread;
	int started;
	pthread_mutex_t mu;
	struct pktq ctrl, raw;
	atomic_int stop, wake;
	atomic_int up; /* welcomed, for other threads (cab_link_send_signal) */
};

static struct pkt *pkt_new(const void *data, size_t len)
{
	struct pkt *p = malloc(sizeof *p + LWS_PRE + len);
	if (!p)
		return NULL;
	p->next = NULL;
	p->len = len;
	memcpy(p->data + LWS_PRE, data, len);
	return p;
}

static void q_push(struct pktq *q, struct pkt *p)
{
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->n++;
}

static struct pkt *q_pop(struct pktq *q)
{
	struct pkt *p = q->head;
	if (p) {
		q->head = p->next;
		if (!q->head)
			q->tail = NULL;
		q->n--;
	}
	return p;
}

static void q_clear(struct pktq *q)
{
	struct pkt *p;
	while ((p = q_pop(q)))
		free(p);
}

/* --- status ------------------------------------------------------------------ */

static void report(struct cab_link *l, enum cab_link_state st, enum cab_link_refusal r,
                   const char *msg)
{
	if (st == CAB_LINK_REFUSED)
		cab_warn(LOG, "refused (%s): %s", cab_refusal_name(r), msg);
	else
		cab_info(LOG, "%s%s%s",
		         st == CAB_LINK_CONNECTING  ? "connecting"
		         : st == CAB_LINK_CONNECTED ? "connected"
		                                    : "disconnected",
		         msg && *msg ? ": " : "", msg ? msg : "");
	l->last_state = st;
	if (l->cb.on_status) {
		struct cab_link_status s = {st, r, msg ? msg : "", l->version};
		l->cb.on_status(&s, l->cb.user);
	}
}

static void set_refusal(struct cab_link *l, enum cab_link_refusal r, const char *msg)
{
	if (l->refusal != CAB_REFUSE_NONE || r == CAB_REFUSE_NONE)
		return; /* the first cause wins */
	l->refusal = r;
	snprintf(l->refusal_msg, sizeof l->refusal_msg, "%s", msg);
}

/* --- sending ----------------------------------------------------------------- */

static void queue_ctrl(struct cab_link *l, json_t *msg)
{
	char *s = cab_msg_dump_take(msg);
	if (!s)
		return;
	struct pkt *p = pkt_new(s, strlen(s));
	free(s);
	if (!p)
		return;
	pthread_mutex_lock(&l->mu);
	if (l->ctrl.n < CTRL_MAX)
		q_push(&l->ctrl, p);
	else
		free(p);
	pthread_mutex_unlock(&l->mu);
	if (l->wsi)
		lws_callback_on_writable(l->wsi);
}

static json_t *hello_msg(struct cab_link *l)
{
	json_t *m = cab_msg_new(CAB_MSG_HELLO, NULL);
	const struct cab_link_identity *c = &l->cabin;
	json_object_set_new(m, "versions", json_pack("[i]", CAB_LINK_VERSION));
	json_object_set_new(m, "software", json_string("cabin " CABIN_VERSION));
	json_object_set_new(m, "cabin",
	                    json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}}", "id", c->id,
	                              "pharmacy", c->pharmacy, "phone", c->phone, "address", "line",
	                              c->address_line, "postal_code", c->postal_code, "city",
	                              c->city, "country", c->country));
	return m;
}

/* Writes one pending thing; returns 1 if something was written, -1 to close. */
static void pend_clear(struct cab_link *l);

static int write_one(struct cab_link *l, struct lws *wsi)
{
	struct pkt *p;
	pthread_mutex_lock(&l->mu);
	p = q_pop(&l->ctrl);
	if (!p)
		p = q_pop(&l->raw);
	pthread_mutex_unlock(&l->mu);
	if (p) {
		int n = lws_write(wsi, p->data + LWS_PRE, p->len, LWS_WRITE_TEXT);
		free(p);
		return n < 0 ? -1 : 1;
	}
	if (!l->welcomed)
		return 0;
	int64_t now = cab_wall_ms();
	if (l->pend_i == l->pend_n) { /* read the next outbox items in one transaction */
		l->pend_i = l->pend_n = 0;
		int k = l->port_ops.pending(l->port_ops.user, l->cursor, now, l->pend, PEND_MAX);
		if (k == 0 && l->cursor > 0 && now - l->last_rescan_ms >= 1000) {
			/* Nothing new: look again from the start for messages whose ack is
			 * overdue. */
			l->last_rescan_ms = now;
			l->cursor = 0;
			k = l->port_ops.pending(l->port_ops.user, l->cursor, now, l->pend, PEND_MAX);
		}
		l->pend_n = k > 0 ? k : 0;
	}
	if (l->pend_i < l->pend_n) {
		struct cab_outbox_item *it = &l->pend[l->pend_i++];
		size_t len = strlen(it->body);
		unsigned char *buf = malloc(LWS_PRE + len);
		int n = -1;
		if (buf) {
			memcpy(buf + LWS_PRE, it->body, len);
			n = lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_TEXT);
			free(buf);
		}
		if (n >= 0) {
			l->port_ops.sent(l->port_ops.user, it->id, now);
			l->cursor = it->seq;
		}
		cab_outbox_item_clear(it);
		return n < 0 ? -1 : 1;
	}
	return 0;
}

/* --- receiving --------------------------------------------------------------- */

/* Hands the acks collected (at most ACKS_US) to the store in one write (acked_many), or one
 * by one when the port has no batch operation; reports each marked id. */
static void flush_acks(struct cab_link *l)
{
	if (!l->n_acks)
		return;
	int ok[ACKS_MAX];
	const char *ids[ACKS_MAX];
	for (int i = 0; i < l->n_acks; i++) {
		ids[i] = l->acks[i];
		ok[i] = 0;
	}
	if (l->port_ops.acked_many)
		l->port_ops.acked_many(l->port_ops.user, ids, l->n_acks, ok);
	else
		for (int i = 0; i < l->n_acks; i++)
			ok[i] = l->port_ops.acked(l->port_ops.user, ids[i]) == 0;
	for (int i = 0; i < l->n_acks; i++)
		if (ok[i] && l->cb.on_acked)
			l->cb.on_acked(ids[i], l->cb.user);
	l->n_acks = 0;
}

static void acks_due(lws_sorted_usec_list_t *sul)
{
	flush_acks(lws_container_of(sul, struct cab_link, sul_acks));
}

static void on_text(struct cab_link *l, const char *buf, size_t len)
{
	struct cab_msg m;
	char ref[CAB_LINK_ID_MAX + 1], err[256];
	enum cab_msg_err e = cab_msg_parse(buf, len, &m, ref, err, sizeof err);
	if (e != CAB_MSGE_OK) {
		cab_warn(LOG, "station sent an invalid message: %s", err);
		queue_ctrl(l, cab_msg_error_new(cab_msg_error_code(e), ref, err));
		return;
	}
	json_t *r = m.root;
	switch (m.type) {
	case CAB_MSG_WELCOME: {
		int v = (int)json_integer_value(json_object_get(r, "version"));
		if (v != CAB_LINK_VERSION) {
			char msg[128];
			snprintf(msg, sizeof msg,
			         "the station chose protocol version %d, the cabin speaks %d", v,
			         CAB_LINK_VERSION);
			set_refusal(l, CAB_REFUSE_PROTOCOL, msg);
			l->closing = 1;
			break;
		}
		l->welcomed = 1;
		atomic_store(&l->up, 1);
		l->version = v;
		l->backoff_ms = 0;
		l->cursor = 0;
		pend_clear(l);
		l->port_ops.reset_backoff(l->port_ops.user);
		report(l, CAB_LINK_CONNECTED, CAB_REFUSE_NONE,
		       json_string_value(json_object_get(r, "station")));
		break;
	}
	case CAB_MSG_ACK: {
		const char *id = json_string_value(json_object_get(r, "ack"));
		if (!strcmp(id, l->ping_id))
			break;
		if (l->n_acks == ACKS_MAX)
			flush_acks(l);
		if (!l->n_acks)
			lws_sul_schedule(l->ctx, 0, &l->sul_acks, acks_due, ACKS_US);
		snprintf(l->acks[l->n_acks++], sizeof l->acks[0], "%s", id);
		break;
	}
	case CAB_MSG_REQUEST: {
		queue_ctrl(l, cab_msg_ack(m.id, 0));
		const char *kind = json_string_value(json_object_get(r, "kind"));
		const char *text = json_string_value(json_object_get(r, "text"));
		const char *site = json_string_value(json_object_get(r, "body_site"));
		struct cab_link_request rq = {m.id,
		                              m.session,
		                              (enum cab_req_action)cab_req_action_from_name(
		                                  json_string_value(json_object_get(r, "action"))),
		                              kind ? kind : "",
		                              text ? text : "",
		                              site ? site : ""};
		cab_info(LOG, "request %s for session %s", cab_req_action_name(rq.action),
		         m.session);
		if (l->cb.on_request)
			l->cb.on_request(&rq, l->cb.user);
		break;
	}
	case CAB_MSG_DOCTOR: {
		queue_ctrl(l, cab_msg_ack(m.id, 0));
		json_t *d = json_object_get(r, "doctor");
		struct cab_link_doctor doc = {m.session,
		                              json_string_value(json_object_get(d, "name")),
		                              json_string_value(json_object_get(d, "specialty")),
		                              json_string_value(json_object_get(d, "rpps")),
		                              json_is_true(json_object_get(r, "released"))};
		if (l->cb.on_doctor)
			l->cb.on_doctor(&doc, l->cb.user);
		break;
	}
	case CAB_MSG_WEBRTC:
	case CAB_MSG_ICE_SERVERS: {
		char *text = json_dumps(r, JSON_COMPACT);
		if (text && l->cb.on_signal)
			l->cb.on_signal(cab_msg_type_name(m.type), m.session, text, l->cb.user);
		free(text);
		break;
	}
	case CAB_MSG_PRESCRIPTION: {
		queue_ctrl(l, cab_msg_ack(m.id, 0));
		char *rx = json_dumps(json_object_get(r, "prescription"), JSON_COMPACT);
		cab_info(LOG, "prescription for session %s", m.session);
		if (rx && l->cb.on_prescription)
			l->cb.on_prescription(m.session, rx, l->cb.user);
		free(rx);
		break;
	}
	case CAB_MSG_QUEUE: {
		json_t *pos = json_object_get(r, "position"), *est = json_object_get(r, "estimate_s");
		struct cab_link_queue q = {m.session, json_is_integer(pos) ? (int)json_integer_value(pos) : 0,
		                           json_is_integer(est) ? (int)json_integer_value(est) : -1};
		if (q.position < 0 || q.position > 9999)
			q.position = 0;
		if (q.estimate_s < -1 || q.estimate_s > 86400)
			q.estimate_s = -1;
		if (l->cb.on_queue)
			l->cb.on_queue(&q, l->cb.user);
		break;
	}
	case CAB_MSG_PING: {
		json_t *p = cab_msg_new(CAB_MSG_PONG, NULL);
		json_object_set_new(p, "ping", json_string(m.id));
		json_object_set(p, "t", json_object_get(r, "t"));
		queue_ctrl(l, p);
		break;
	}
	case CAB_MSG_PONG:
		if (!strcmp(json_string_value(json_object_get(r, "ping")), l->ping_id)) {
			int64_t rtt = cab_mono_ms() - l->ping_sent_ms;
			l->ping_id[0] = 0;
			cab_debug(LOG, "rtt %lld ms", (long long)rtt);
			if (l->cb.on_rtt)
				l->cb.on_rtt(rtt, l->cb.user);
		}
		break;
	case CAB_MSG_ERROR: {
		const char *code = json_string_value(json_object_get(r, "code"));
		const char *ref_id = json_string_value(json_object_get(r, "ref"));
		const char *detail = json_string_value(json_object_get(r, "detail"));
		cab_warn(LOG, "station error %s (ref %s): %s", code, ref_id ? ref_id : "-", detail);
		if (!strcmp(code, "version")) {
			set_refusal(l, CAB_REFUSE_PROTOCOL, detail);
			l->closing = 1;
		} else if (!strcmp(code, "sealed") && ref_id) {
			/* The record it belonged to is sealed: retrying cannot succeed. */
			cab_warn(LOG, "message %s refused for a sealed record: dropped from the outbox",
			         ref_id);
			l->port_ops.acked(l->port_ops.user, ref_id);
		} else if (!strcmp(code, "unauthorized") && !l->welcomed) {
			char msg[240];
			snprintf(msg, sizeof msg, "the station refused the cabin: %.200s", detail);
			set_refusal(l, CAB_REFUSE_CLIENT_CERT, msg);
		}
		if (l->cb.on_error)
			l->cb.on_error(code, ref_id, detail, l->cb.user);
		break;
	}
	default: {
		char msg[96];
		snprintf(msg, sizeof msg, "a cabin does not accept \"%s\"",
		         cab_msg_type_name(m.type));
		queue_ctrl(l, cab_msg_error_new("unexpected-type", m.id, msg));
		break;
	}
	}
	cab_msg_free(&m);
}

/* --- connection management --------------------------------------------------- */

static void connect_now(lws_sorted_usec_list_t *sul);
static void closed(struct cab_link *l, const char *why);

static void schedule_reconnect(struct cab_link *l)
{
	if (atomic_load(&l->stop))
		return;
	int d = l->backoff_ms ? l->backoff_ms * 2 : l->bo_min;
	if (d > l->bo_max)
		d = l->bo_max;
	l->backoff_ms = d;
	cab_debug(LOG, "reconnect in %d ms", d);
	lws_sul_schedule(l->ctx, 0, &l->sul_reconnect, connect_now, (lws_usec_t)d * 1000);
}

static void connect_now(lws_sorted_usec_list_t *sul)
{
	struct cab_link *l = lws_container_of(sul, struct cab_link, sul_reconnect);
	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof ci);
	l->refusal = CAB_REFUSE_NONE;
	l->refusal_msg[0] = 0;
	l->welcomed = 0;
	atomic_store(&l->up, 0);
	l->closing = 0;
	l->ws_up = 0;
	l->attempt_ms = cab_mono_ms();
	l->attempt_open = 1;
	char err[400];
	int r = cab_tls_crl_refresh(&l->crl, l->ssl, err, sizeof err);
	if (r > 0)
		cab_info(LOG, "CRL %s loaded: %d list(s), %d revoked certificate(s)", l->crl.path,
		         l->crl.count, l->crl.revoked);
	else if (r < 0)
		cab_warn(LOG, "CRL not reloaded, the previous list stays in force: %s", err);
	ci.context = l->ctx;
	ci.address = l->host;
	ci.port = l->port;
	ci.path = l->path;
	ci.host = l->host;
	ci.origin = l->host;
	ci.protocol = CAB_LINK_SUBPROTOCOL;
	ci.local_protocol_name = CAB_LINK_SUBPROTOCOL;
	ci.ssl_connection = LCCSCF_USE_SSL;
	ci.pwsi = &l->wsi;
	ci.userdata = l;
	report(l, CAB_LINK_CONNECTING, CAB_REFUSE_NONE, l->url);
	if (!lws_client_connect_via_info(&ci) && l->attempt_open)
		closed(l, "cannot start a connection");
}

static void tick(lws_sorted_usec_list_t *sul)
{
	struct cab_link *l = lws_container_of(sul, struct cab_link, sul_tick);
	int64_t now = cab_mono_ms();
	if (l->wsi && !l->welcomed && now - l->attempt_ms > 3000) {
		/* TLS + upgrade + welcome take milliseconds; a peer that neither answers nor
		 * closes (e.g. after refusing our certificate) must not hold the link. */
		cab_warn(LOG, "no welcome from the station within 3 s: closing");
		l->attempt_ms = now;
		lws_set_timeout(l->wsi, PENDING_TIMEOUT_AWAITING_SERVER_RESPONSE, LWS_TO_KILL_SYNC);
	}
	if (l->wsi && l->welcomed) {
		if (now - l->last_rx_ms > 3 * (int64_t)l->ping_ms) {
			cab_warn(LOG, "no message from the station for %lld ms: closing",
			         (long long)(now - l->last_rx_ms));
			l->closing = 1;
		} else if (now - l->last_ping_ms >= l->ping_ms) {
			json_t *p = cab_msg_new(CAB_MSG_PING, NULL);
			snprintf(l->ping_id, sizeof l->ping_id, "%s",
			         json_string_value(json_object_get(p, "id")));
			json_object_set_new(p, "t", json_integer(now));
			l->ping_sent_ms = now;
			l->last_ping_ms = now;
			queue_ctrl(l, p);
		}
		lws_callback_on_writable(l->wsi); /* also rescans overdue outbox items */
	}
	lws_sul_schedule(l->ctx, 0, &l->sul_tick, tick, 250 * 1000);
}

/* Info callback on the TLS context: records alerts (RFC 8446 6.2). */
static void ssl_info(const SSL *ssl, int where, int ret)
{
	if (!(where & SSL_CB_ALERT))
		return;
	struct cab_link *l = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	if (l && l->ws_up)
		return; /* alerts once the WebSocket is up (closing) are no refusal; in TLS 1.3 the
		           station's verdict on our certificate comes after our handshake ends */
	char msg[256];
	enum cab_link_refusal r =
	    cab_tls_classify_alert(ret & 0xff, (where & SSL_CB_WRITE) != 0, msg, sizeof msg);
	if (l && r != CAB_REFUSE_NONE)
		set_refusal(l, r, msg);
}

/* Checks the station's certificate chain, host name and pin. lws convention:
 * returns 0 to accept, 1 to refuse. */
static int verify_station(struct cab_link *l, X509_STORE_CTX *xs, int preverify_ok)
{
	int err = X509_STORE_CTX_get_error(xs);
	int depth = X509_STORE_CTX_get_error_depth(xs);
	char msg[256];
	if (l->has_pin && !preverify_ok &&
	    (err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	     err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	     err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
	     err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
	     err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE ||
	     err == X509_V_ERR_CERT_UNTRUSTED)) {
		X509_STORE_CTX_set_error(
		    xs, X509_V_OK); /* the pin, checked at depth 0, is the anchor */
		preverify_ok = 1;
	}
	if (!preverify_ok) {
		set_refusal(l, cab_tls_classify_store(xs, "station", msg, sizeof msg), msg);
		return 1;
	}
	if (depth != 0)
		return 0;
	X509 *cert = X509_STORE_CTX_get_current_cert(xs);
	/* Host name, checked here too so that it never depends on the library's default. */
	int ok = X509_check_ip_asc(cert, l->host, 0) == 1 ||
	         X509_check_host(cert, l->host, 0, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
	if (!ok) {
		set_refusal(l,
		            cab_tls_classify_verify(X509_V_ERR_HOSTNAME_MISMATCH, "station", msg,
		                                    sizeof msg),
		            msg);
		X509_STORE_CTX_set_error(xs, X509_V_ERR_HOSTNAME_MISMATCH);
		return 1;
	}
	if (l->has_pin) {
		unsigned char h[32];
		if (cab_tls_spki_sha256(cert, h) || memcmp(h, l->pin, 32)) {
			set_refusal(l, CAB_REFUSE_PIN,
			            "station public key does not match the configured pin");
			X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
			return 1;
		}
	}
	return 0;
}

/* Drops the items read ahead (a new connection reads the outbox again). */
static void pend_clear(struct cab_link *l)
{
	for (int i = l->pend_i; i < l->pend_n; i++)
		cab_outbox_item_clear(&l->pend[i]);
	l->pend_i = l->pend_n = 0;
}

static void closed(struct cab_link *l, const char *why)
{
	pend_clear(l);
	if (!l->attempt_open)
		return; /* already reported for this attempt */
	l->attempt_open = 0;
	l->wsi = NULL;
	l->welcomed = 0;
	atomic_store(&l->up, 0);
	free(l->rx);
	l->rx = NULL;
	l->rx_len = 0;
	pthread_mutex_lock(&l->mu);
	q_clear(&l->ctrl);
	pthread_mutex_unlock(&l->mu);
	if (l->refusal != CAB_REFUSE_NONE)
		report(l, CAB_LINK_REFUSED, l->refusal, l->refusal_msg);
	else
		report(l, CAB_LINK_DISCONNECTED, CAB_REFUSE_NONE, why);
	schedule_reconnect(l);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
	struct cab_link *l = lws_context_user(lws_get_context(wsi));
	(void)user;
	if (!l)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		return verify_station(l, (X509_STORE_CTX *)user, (int)len);
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		char why[256];
		snprintf(why, sizeof why, "cannot connect to %.100s: %.120s", l->url,
		         in ? (const char *)in : "error");
		if (l->refusal == CAB_REFUSE_NONE && in &&
		    strstr((const char *)in, "certificate required"))
			set_refusal(l, CAB_REFUSE_NO_CLIENT_CERT,
			            "the station requires a client certificate "
			            "and the cabin sent none (missing client certificate)");
		closed(l, why);
		return 0;
	}
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		l->ws_up = 1;
		if (cab_link_sock_low_latency((int)lws_get_socket_fd(wsi)) < 0)
			cab_warn(LOG, "TCP_NOTSENT_LOWAT not set: a slow link will add delay");
		l->last_rx_ms = l->last_ping_ms = cab_mono_ms();
		if (!l->skip_hello)
			queue_ctrl(l, hello_msg(l));
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE: {
		l->last_rx_ms = cab_mono_ms();
		size_t cap = CAB_LINK_MSG_MAX;
		if (!l->rx_over && l->rx_len + len <= cap) {
			unsigned char *nb = realloc(l->rx, l->rx_len + len + 1);
			if (!nb)
				return -1;
			l->rx = nb;
			memcpy(l->rx + l->rx_len, in, len);
			l->rx_len += len;
		} else {
			l->rx_over = 1;
		}
		if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
			return 0;
		if (l->rx_over) {
			cab_warn(LOG, "station message over %zu bytes dropped", cap);
			queue_ctrl(
			    l, cab_msg_error_new("too-large", NULL, "message over the size limit"));
		} else if (lws_frame_is_binary(wsi)) { /* the call's media go by WebRTC */
			cab_warn(LOG, "binary message from the station (%zu bytes) dropped", l->rx_len);
			queue_ctrl(l, cab_msg_error_new("unexpected-type", NULL,
			                                "binary messages are not part of the link protocol"));
		} else {
			on_text(l, (const char *)l->rx, l->rx_len);
		}
		free(l->rx);
		l->rx = NULL;
		l->rx_len = 0;
		l->rx_over = 0;
		if (l->closing)
			lws_callback_on_writable(wsi);
		return 0;
	}
	case LWS_CALLBACK_CLIENT_WRITEABLE: {
		if (l->closing || atomic_load(&l->stop)) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
			return -1;
		}
		int n = write_one(l, wsi);
		if (n < 0)
			return -1;
		if (n > 0)
			lws_callback_on_writable(wsi);
		return 0;
	}
	case LWS_CALLBACK_CLIENT_CLOSED:
		closed(l, "the connection closed");
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		/* Some failures end the connection without CONNECTION_ERROR / CLOSED. */
		if (wsi == l->wsi)
			closed(l, "the connection ended");
		return 0;
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		if (l->wsi)
			lws_callback_on_writable(l->wsi);
		atomic_store(&l->wake, 0);
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
    {CAB_LINK_SUBPROTOCOL, callback, 0, 64 * 1024, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void *thread_main(void *arg)
{
	struct cab_link *l = arg;
	lws_sul_schedule(l->ctx, 0, &l->sul_reconnect, connect_now, 1);
	lws_sul_schedule(l->ctx, 0, &l->sul_tick, tick, 250 * 1000);
	while (!atomic_load(&l->stop))
		if (lws_service(l->ctx, 0) < 0)
			break;
	flush_acks(l);
	return NULL;
}

/* --- construction ------------------------------------------------------------ */

static int parse_url(struct cab_link *l, const char *url, char *err, size_t n)
{
	if (strncmp(url, "wss://", 6)) {
		snprintf(err, n, "link URL must start with wss:// (got \"%.60s\")", url);
		return -1;
	}
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s", url);
	const char *prot, *addr, *path;
	int port;
	if (lws_parse_uri(tmp, &prot, &addr, &port, &path) || !*addr) {
		snprintf(err, n, "link URL has no host name: \"%.60s\"", url);
		return -1;
	}
	snprintf(l->host, sizeof l->host, "%s", addr);
	snprintf(l->path, sizeof l->path, "/%s", path);
	l->port = port;
	return 0;
}

static SSL_CTX *make_ssl(struct cab_link *l, const struct cab_link_config *c, char *err, size_t n)
{
	SSL_CTX *s = SSL_CTX_new(TLS_client_method());
	unsigned long e;
	if (!s)
		goto fail;
	SSL_CTX_set_min_proto_version(s, TLS1_3_VERSION);
	if (!c->test_no_client_cert) {
		if (!c->cert || !c->key) {
			snprintf(err, n, "no cabin certificate or key configured");
			goto fail_quiet;
		}
		if (SSL_CTX_use_certificate_chain_file(s, c->cert) != 1) {
			e = ERR_get_error();
			snprintf(err, n, "cannot load the cabin certificate %s: %s", c->cert,
			         ERR_reason_error_string(e));
			goto fail_quiet;
		}
		if (SSL_CTX_use_PrivateKey_file(s, c->key, SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(s) != 1) {
			e = ERR_get_error();
			snprintf(err, n, "cannot use the cabin key %s: %s", c->key,
			         ERR_reason_error_string(e));
			goto fail_quiet;
		}
	}
	if (c->ca && *c->ca) {
		if (SSL_CTX_load_verify_locations(s, c->ca, NULL) != 1) {
			e = ERR_get_error();
			snprintf(err, n, "cannot load the CA %s: %s", c->ca,
			         ERR_reason_error_string(e));
			goto fail_quiet;
		}
	} else if (!l->has_pin) {
		snprintf(
		    err, n,
		    "neither a CA nor a station pin is configured: refusing to connect unchecked");
		goto fail_quiet;
	}
	if (c->crl && *c->crl) {
		if (!c->ca || !*c->ca) {
			snprintf(err, n, "a CRL needs the CA file (ca) that signed it");
			goto fail_quiet;
		}
		if (cab_tls_crl_init(&l->crl, c->ca, c->crl, s, err, n))
			goto fail_quiet;
		cab_info(LOG, "CRL %s: %d list(s), %d revoked certificate(s)", l->crl.path,
		         l->crl.count, l->crl.revoked);
	}
	SSL_CTX_set_verify(s, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_app_data(s, l);
	SSL_CTX_set_info_callback(s, ssl_info);
	return s;
fail:
	snprintf(err, n, "cannot create the TLS context");
fail_quiet:
	ERR_clear_error();
	SSL_CTX_free(s);
	return NULL;
}

struct cab_link *cab_link_new(const struct cab_link_config *c, const struct cab_outbox_port *port,
                              const struct cab_link_callbacks *cb, char *err, size_t n)
{
	char dummy[8];
	if (!err || !n) {
		err = dummy;
		n = sizeof dummy;
	}
	err[0] = 0;
	struct cab_link *l = calloc(1, sizeof *l);
	if (!l) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&l->mu, NULL);
	if (!c->url || parse_url(l, c->url, err, n))
		goto fail;
	snprintf(l->url, sizeof l->url, "%s", c->url);
	if (c->pin_sha256 && *c->pin_sha256) {
		if (cab_tls_parse_pin(c->pin_sha256, l->pin)) {
			snprintf(err, n,
			         "station pin must be 64 hex digits (SHA-256 of the public key)");
			goto fail;
		}
		l->has_pin = 1;
	}
	if (!port || !port->pending || !port->sent || !port->acked || !port->reset_backoff) {
		snprintf(err, n, "outbox port incomplete");
		goto fail;
	}
	l->port_ops = *port;
	if (cb)
		l->cb = *cb;
	l->cabin = c->cabin;
	if (!l->cabin.id[0]) {
		snprintf(err, n, "cabin id missing");
		goto fail;
	}
	l->ping_ms = c->ping_interval_ms > 0 ? c->ping_interval_ms : 5000;
	l->bo_min = c->backoff_min_ms > 0 ? c->backoff_min_ms : 250;
	l->bo_max = c->backoff_max_ms > 0 ? c->backoff_max_ms : 10000;
	l->skip_hello = c->test_skip_hello;
	if (c->proxy && *c->proxy) {
		const char *colon = strrchr(c->proxy, ':');
		if (!colon || colon == c->proxy || atoi(colon + 1) <= 0) {
			snprintf(err, n, "proxy must be host:port");
			goto fail;
		}
		snprintf(l->proxy_host, sizeof l->proxy_host, "%.*s", (int)(colon - c->proxy),
		         c->proxy);
		l->proxy_port = atoi(colon + 1);
	}
	l->ssl = make_ssl(l, c, err, n);
	if (!l->ssl)
		goto fail;

	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.provided_client_ssl_ctx = l->ssl;
	info.user = l;
	info.timeout_secs = 10;
	info.connect_timeout_secs = 10;
	if (l->proxy_host[0]) {
		info.http_proxy_address = l->proxy_host;
		info.http_proxy_port = (unsigned)l->proxy_port;
	}
	lws_set_log_level(LLL_ERR, NULL);
	l->ctx = lws_create_context(&info);
	if (!l->ctx) {
		snprintf(err, n, "cannot create the WebSocket context");
		goto fail;
	}
	return l;
fail:
	cab_err(LOG, "%s", err);
	if (l->ssl)
		SSL_CTX_free(l->ssl);
	pthread_mutex_destroy(&l->mu);
	free(l);
	return NULL;
}

int cab_link_start(struct cab_link *l)
{
	if (l->started)
		return 0;
	if (pthread_create(&l->thread, NULL, thread_main, l))
		return -1;
	l->started = 1;
	return 0;
}

void cab_link_wake(struct cab_link *l)
{
	if (!atomic_exchange(&l->wake, 1))
		lws_cancel_service(l->ctx);
}

int cab_link_send_signal(struct cab_link *l, const char *session, const char *signal_json)
{
	if (!l || !atomic_load(&l->up))
		return -1;
	json_t *sig = json_loads(signal_json, 0, NULL);
	if (!json_is_object(sig)) {
		json_decref(sig);
		return -1;
	}
	json_t *w = cab_msg_new(CAB_MSG_WEBRTC, NULL);
	json_object_set_new(w, "session", json_string(session));
	json_object_set_new(w, "signal", sig);
	char *s = cab_msg_dump_take(w);
	struct pkt *p = s ? pkt_new(s, strlen(s)) : NULL;
	free(s);
	if (!p)
		return -1;
	int rc = 0;
	pthread_mutex_lock(&l->mu);
	if (l->ctrl.n < CTRL_MAX)
		q_push(&l->ctrl, p);
	else {
		free(p);
		rc = -1;
	}
	pthread_mutex_unlock(&l->mu);
	lws_cancel_service(l->ctx);
	return rc;
}

int cab_link_send_patient_state(struct cab_link *l, const char *session, bool ready,
                                const char *const *measuring, size_t n)
{
	json_t *m = cab_msg_new(CAB_MSG_PATIENT_STATE, NULL), *arr = json_array();
	int rc = -1;
	if (!m || !arr)
		goto out;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(measuring[i]));
	json_object_set_new(m, "session", json_string(session));
	json_object_set_new(m, "ready", json_boolean(ready));
	json_object_set(m, "measuring", arr);
	char *text = json_dumps(m, JSON_COMPACT);
	if (text) {
		rc = cab_link_send_raw(l, text, strlen(text));
		free(text);
	}
out:
	json_decref(arr);
	json_decref(m);
	return rc;
}

int cab_link_send_raw(struct cab_link *l, const char *text, size_t len)
{
	struct pkt *p = pkt_new(text, len);
	if (!p)
		return -1;
	pthread_mutex_lock(&l->mu);
	q_push(&l->raw, p);
	pthread_mutex_unlock(&l->mu);
	lws_cancel_service(l->ctx);
	return 0;
}

void cab_link_free(struct cab_link *l)
{
	if (!l)
		return;
	atomic_store(&l->stop, 1);
	if (l->started) {
		lws_cancel_service(l->ctx);
		pthread_join(l->thread, NULL);
	}
	lws_context_destroy(l->ctx);
	SSL_CTX_free(l->ssl);
	pend_clear(l);
	free(l->rx);
	q_clear(&l->ctrl);
	q_clear(&l->raw);
	pthread_mutex_destroy(&l->mu);
	free(l);
}
