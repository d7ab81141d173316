/* station_conn.c — the station's connections: TLS 1.3 hooks (refusals reported with
 * their reason), the cabin-link WebSocket (frames in, queued text frames out) and the
 * protocol table handed to libwebsockets. */
#include "doctor/station_internal.h"

#include "common/clock.h"
#include "common/log.h"
#include "doctor/console_internal.h"
#include "doctor/doctor_cert.h"
#include "doctor/station_mask.h"

#include "kiosk/link/link_sock.h"
#include "kiosk/link/tls_verify.h"

#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTQ_MAX 4096

int stn_warn_ok(struct cab_station *st, struct stn_conn *c)
{
	uint64_t more = 0;
	int64_t period = (st->cfg.timeout_s[CAB_TMO_STN_LOG_SUMMARY] > 0
	                      ? st->cfg.timeout_s[CAB_TMO_STN_LOG_SUMMARY]
	                      : cab_timeouts[CAB_TMO_STN_LOG_SUMMARY].default_s) *
	                 1000LL;
	int log = cab_log_limit_take(&c->warns, cab_mono_ms(), period, STN_WARN_BURST, &more);
	if (more)
		cab_warn(STN_LOG, "cabin %s: %llu more protocol errors in %lld s", c->cabin,
		         (unsigned long long)more, (long long)(period / 1000));
	return log;
}

void stn_send_json(struct stn_conn *c, json_t *msg)
{
	char *s = cab_msg_dump_take(msg);
	if (!s)
		return;
	size_t len = strlen(s);
	struct stn_out *o = malloc(sizeof *o + LWS_PRE + len);
	if (o && c->nout < OUTQ_MAX) {
		o->next = NULL;
		o->len = len;
		memcpy(o->data + LWS_PRE, s, len);
		if (c->tail)
			c->tail->next = o;
		else
			c->head = o;
		c->tail = o;
		c->nout++;
		lws_callback_on_writable(c->wsi);
	} else {
		/* A cabin that never reads: the ack is lost, its resend will be acked as a
		 * duplicate. */
		if (!c->qfull++) /* logged once; the count when it closes */
			cab_warn(STN_LOG, "cabin %s: output queue full, message dropped", c->cabin);
		free(o);
	}
	free(s);
}

void stn_send_error(struct cab_station *st, struct stn_conn *c, const char *code, const char *ref,
                    const char *detail, int close_after)
{
	char text[512];
	snprintf(text, sizeof text, "%s: %s", code, detail);
	int log = stn_warn_ok(st, c);
	if (log) {
		cab_warn(STN_LOG, "cabin %s: %s", c->cabin, text);
		stn_emit_text(st, CAB_SEV_PROTOCOL_ERROR, c->cabin, NULL, text);
	}
	stn_send_json(c, cab_msg_error_new(code, ref, detail));
	if (close_after) {
		c->closing = 1;
		lws_callback_on_writable(c->wsi);
	}
}

struct stn_conn *stn_conn_for_cabin(struct cab_station *st, const char *cabin)
{
	for (struct stn_conn *c = st->conns; c; c = c->next)
		if (c->hello_ok && !strcmp(c->cabin, cabin))
			return c;
	return NULL;
}

/* --- TLS hooks ----------------------------------------------------------------- */

static void ssl_info(const SSL *ssl, int where, int ret)
{
	if (where & SSL_CB_HANDSHAKE_DONE) {
		/* the peer's certificate is verified: a doctor's is authenticated, a cabin's
		 * still owes its WebSocket and hello (station_guard.c) */
		struct cab_station *st = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
		X509 *peer = SSL_get0_peer_certificate(ssl);
		struct cab_station_doctor d;
		char why[128];
		int doctor = peer && doctor_cert_identity(peer, &d, why, sizeof why) == 1;
		if (st)
			stn_guard_tls_done(st, SSL_get_fd(ssl), doctor);
		/* a cabin's frames must be masked (RFC 6455 5.1): follow its stream */
		if (!doctor && stn_mask_follow((SSL *)ssl))
			cab_warn(STN_LOG, "out of memory: frame masking not checked on a connection");
		return;
	}
	if (!(where & SSL_CB_ALERT))
		return;
	struct cab_station *st = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	int alert = ret & 0xff;
	char msg[256];
	if (!st || alert == SSL3_AD_CLOSE_NOTIFY)
		return;
	if (where & SSL_CB_WRITE) {
		if (alert == 116)
			snprintf(msg, sizeof msg,
			         "cabin presented no certificate (missing client certificate)");
		else if (alert == SSL_AD_PROTOCOL_VERSION)
			snprintf(msg, sizeof msg, "cabin offered TLS below 1.3 (refused)");
		else {
			/* certificate verdicts are reported by the verify callback; the rest
			 * (e.g. a cabin closing abruptly) is no refusal */
			cab_debug(STN_LOG, "station sent TLS alert: %s",
			          SSL_alert_desc_string_long(alert));
			return;
		}
	} else {
		snprintf(msg, sizeof msg, "cabin refused the station: TLS alert %s",
		         SSL_alert_desc_string_long(alert));
	}
	cab_warn(STN_LOG, "%s", msg);
	stn_emit_text(st, CAB_SEV_REFUSED, NULL, NULL, msg);
}

struct cab_station *stn_creating;

/* At each ClientHello (a new handshake, cabin or console): the CRL file is read again
 * when it changed, so a revocation takes effect without a restart. */
static int client_hello(SSL *ssl, int *alert, void *arg)
{
	struct cab_station *st = arg;
	char err[400];
	(void)alert;
	int r = cab_tls_crl_refresh(&st->crl, SSL_get_SSL_CTX(ssl), err, sizeof err);
	if (r > 0)
		cab_info(STN_LOG, "CRL %s loaded: %d list(s), %d revoked certificate(s)",
		         st->crl.path, st->crl.count, st->crl.revoked);
	else if (r < 0)
		cab_warn(STN_LOG, "CRL not reloaded, the previous list stays in force: %s", err);
	return SSL_CLIENT_HELLO_SUCCESS;
}

/* Protocol 0 (HTTP) also receives the TLS callbacks. */
static int http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                   size_t len)
{
	if (reason == LWS_CALLBACK_OPENSSL_LOAD_EXTRA_SERVER_VERIFY_CERTS) {
		SSL_CTX *ctx = user;
		struct cab_station *st = stn_creating; /* set around lws_create_context() */
		SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
		SSL_CTX_set_app_data(ctx, st);
		SSL_CTX_set_info_callback(ctx, ssl_info);
		if (st && st->crl_path[0]) {
			if (cab_tls_crl_init(&st->crl, st->ca, st->crl_path, ctx, st->crl_err,
			                     sizeof st->crl_err))
				return 1; /* the context is not created: cab_station_new says why */
			SSL_CTX_set_client_hello_cb(ctx, client_hello, st);
		}
		return 0;
	}
	if (reason == LWS_CALLBACK_OPENSSL_PERFORM_CLIENT_CERT_VERIFICATION) {
		if (len)
			return 0;
		X509_STORE_CTX *xs = user;
		struct cab_station *st = SSL_CTX_get_app_data(SSL_get_SSL_CTX((SSL *)in));
		char msg[256], why[128];
		struct cab_station_doctor d;
		X509 *leaf = X509_STORE_CTX_get0_cert(xs);
		const char *who = leaf && doctor_cert_identity(leaf, &d, why, sizeof why) != 0
		                      ? "doctor"
		                      : "cabin";
		cab_tls_classify_store(xs, who, msg, sizeof msg);
		cab_warn(STN_LOG, "refused: %s", msg);
		if (st)
			stn_emit_text(st, CAB_SEV_REFUSED, NULL, NULL, msg);
		return 1;
	}
	if (reason == LWS_CALLBACK_FILTER_NETWORK_CONNECTION) {
		/* a new TCP connection: within the limits of unauthenticated ones? */
		struct cab_station *st = lws_context_user(lws_get_context(wsi));
		const struct lws_filter_network_conn_args *a = user;
		return st && a ? stn_guard_accept(st, (int)a->accept_fd, &a->cli_addr) : 0;
	}
	if (reason == LWS_CALLBACK_HTTP)
		return con_http(wsi, (const char *)in);
	if (reason == LWS_CALLBACK_HTTP_FILE_COMPLETION)
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) {
		struct cab_station *st = lws_context_user(lws_get_context(wsi));
		if (st) {
			stn_drain_commands(st);
		}
		return 0;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static int ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                 size_t len)
{
	struct cab_station *st = lws_context_user(lws_get_context(wsi));
	struct stn_conn *c = user;
	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/* a doctor's certificate never opens a cabin link */
		if (con_peer_is_doctor(wsi)) {
			cab_warn(STN_LOG, "refused: a doctor's certificate on the cabin link");
			stn_emit_text(st, CAB_SEV_REFUSED, NULL, NULL,
			              "a doctor's certificate never opens a cabin link");
			return 1;
		}
		return 0;
	case LWS_CALLBACK_ESTABLISHED: {
		memset(c, 0, sizeof *c);
		c->wsi = wsi;
		if (cab_link_sock_low_latency((int)lws_get_socket_fd(wsi)) < 0)
			cab_warn(STN_LOG, "TCP_NOTSENT_LOWAT not set: a slow link will add delay");
		SSL *ssl = lws_get_ssl(wsi);
		X509 *peer = ssl ? SSL_get0_peer_certificate(ssl) : NULL;
		if (!peer || X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName,
		                                       c->cabin, sizeof c->cabin) <= 0)
			snprintf(c->cabin, sizeof c->cabin, "?");
		c->next = st->conns;
		st->conns = c;
		stn_guard_ws_up(st, (int)lws_get_socket_fd(wsi));
		cab_info(STN_LOG, "cabin %s connected", c->cabin);
		stn_emit_text(st, CAB_SEV_CONNECTED, c->cabin, NULL, NULL);
		return 0;
	}
	case LWS_CALLBACK_RECEIVE: {
		size_t cap = CAB_LINK_MSG_MAX;
		if (!c->rx_over && c->rx_len + len <= cap) {
			unsigned char *nb = realloc(c->rx, c->rx_len + len + 1);
			if (!nb)
				return -1;
			c->rx = nb;
			memcpy(c->rx + c->rx_len, in, len);
			c->rx_len += len;
		} else {
			c->rx_over = 1;
		}
		if (stn_mask_violated(lws_get_ssl(wsi))) {
			/* RFC 6455 5.1: the server closes on a frame that is not masked, 1002 */
			cab_warn(STN_LOG, "cabin %s sent an unmasked frame: connection closed (1002)",
			         c->cabin);
			c->closing = 1;
			lws_close_reason(wsi, LWS_CLOSE_STATUS_PROTOCOL_ERR,
			                 (unsigned char *)"unmasked frame", 14);
			return -1;
		}
		if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
			return 0;
		if (!c->hello_ok && !c->closing && lws_frame_is_binary(wsi)) {
			/* nothing but hello opens the link (docs/link-protocol.md) */
			c->close_why = "binary before hello";
			stn_send_error(st, c, "out-of-order", NULL,
			               "a binary frame before hello: connection closed", 1);
		} else if (c->closing) {
			/* closing: what still arrives is dropped */
		} else if (c->rx_over) {
			char d[96];
			snprintf(d, sizeof d, "message over the %zu-byte limit dropped", cap);
			stn_send_error(st, c, "too-large", NULL, d, 0);
		} else if (lws_frame_is_binary(wsi)) { /* the call's media go by WebRTC */
			stn_send_error(st, c, "unexpected-type", NULL,
			               "binary messages are not part of the link protocol", 0);
		} else {
			stn_on_text(st, c, (const char *)c->rx, c->rx_len);
		}
		free(c->rx);
		c->rx = NULL;
		c->rx_len = 0;
		c->rx_over = 0;
		return 0;
	}
	case LWS_CALLBACK_SERVER_WRITEABLE: {
		struct stn_out *o = c->head;
		if (o) {
			c->head = o->next;
			if (!c->head)
				c->tail = NULL;
			c->nout--;
			int n = lws_write(wsi, o->data + LWS_PRE, o->len, LWS_WRITE_TEXT);
			free(o);
			if (n < 0)
				return -1;
			/* again: more text, or the close */
			lws_callback_on_writable(wsi);
			return 0;
		}
		if (c->closing) {
			const char *why = c->close_why ? c->close_why : "protocol";
			lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION,
			                 (unsigned char *)why, strlen(why));
			return -1;
		}
		return 0;
	}
	case LWS_CALLBACK_CLOSED: {
		for (struct stn_conn **p = &st->conns; *p; p = &(*p)->next)
			if (*p == c) {
				*p = c->next;
				break;
			}
		while (c->head) {
			struct stn_out *o = c->head;
			c->head = o->next;
			free(o);
		}
		free(c->rx);
		c->rx = NULL;
		if (c->warns.counted)
			cab_warn(STN_LOG, "cabin %s: %llu more protocol errors before it closed",
			         c->cabin, (unsigned long long)c->warns.counted);
		if (c->qfull > 1)
			cab_warn(STN_LOG, "cabin %s: %llu messages dropped in all (output queue full)",
			         c->cabin, (unsigned long long)c->qfull);
		stn_forget_conn(st, c);
		con_cabin_gone(st, c);
		cab_info(STN_LOG, "cabin %s disconnected", c->cabin);
		stn_emit_text(st, CAB_SEV_DISCONNECTED, c->cabin, NULL, NULL);
		return 0;
	}
	default:
		return 0;
	}
}

const struct lws_protocols stn_protocols[] = {
    {"http", http_cb, 0, 0, 0, NULL, 0},
    {CAB_LINK_SUBPROTOCOL, ws_cb, sizeof(struct stn_conn), 64 * 1024, 0, NULL, 0},
    {CONSOLE_SUBPROTOCOL, con_ws_cb, sizeof(struct con_conn), 64 * 1024, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};
