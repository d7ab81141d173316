/* station.c — the doctor station engine (station.h): its life (create, run, stop,
 * free), the queue of doctor commands from other threads, and the events it reports.
 * The rest is split by concern (station_internal.h lists the files). */
#include "doctor/station_internal.h"

#include "common/log.h"
#include "doctor/doctor_args.h"

#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void stn_emit(struct cab_station *st, struct cab_station_event *ev)
{
	if (st->cb)
		st->cb(ev, st->user);
}

void stn_emit_text(struct cab_station *st, enum cab_station_ev kind, const char *cabin,
                   const char *session, const char *text)
{
	struct cab_station_event ev = {
	    .kind = kind, .cabin = cabin, .session = session, .text = text};
	stn_emit(st, &ev);
}

int64_t stn_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void commit_due(lws_sorted_usec_list_t *sul)
{
	stn_batch_commit(lws_container_of(sul, struct cab_station, sul_commit));
}

void stn_batch_begin(struct cab_station *st)
{
	if (st->batch) {
		if (++st->batch_n >= STN_COMMIT_MAX)
			lws_sul_schedule(st->ctx, 0, &st->sul_commit, commit_due, 1);
		return;
	}
	if (station_db_begin(st->db) == 0) {
		st->batch = 1;
		st->batch_n = 1;
		lws_sul_schedule(st->ctx, 0, &st->sul_commit, commit_due, STN_COMMIT_US);
	}
}

void stn_ack_later(struct cab_station *st, struct stn_conn *c, const char *id, int duplicate)
{
	struct stn_ack *a = calloc(1, sizeof *a);
	if (!a)
		return; /* no ack: the cabin resends, the station answers it as a duplicate */
	a->c = c;
	a->msg = cab_msg_ack(id, duplicate);
	a->err = cab_msg_error_new("internal", id, "the station could not store the message");
	if (st->acks_tail)
		st->acks_tail->next = a;
	else
		st->acks = a;
	st->acks_tail = a;
}

void stn_batch_commit(struct cab_station *st)
{
	int ok = 1;
	if (st->batch) {
		ok = station_db_commit(st->db) == 0;
		st->batch = 0;
		st->batch_n = 0;
	}
	while (st->acks) {
		struct stn_ack *a = st->acks;
		st->acks = a->next;
		stn_send_json(a->c, ok ? a->msg : a->err);
		json_decref(ok ? a->err : a->msg);
		free(a);
	}
	st->acks_tail = NULL;
}

void stn_forget_conn(struct cab_station *st, struct stn_conn *c)
{
	struct stn_ack **p = &st->acks;
	st->acks_tail = NULL;
	while (*p) {
		struct stn_ack *a = *p;
		if (a->c == c) {
			*p = a->next;
			json_decref(a->msg);
			json_decref(a->err);
			free(a);
		} else {
			st->acks_tail = a;
			p = &a->next;
		}
	}
}

void stn_drain_commands(struct cab_station *st)
{
	for (;;) {
		pthread_mutex_lock(&st->mu);
		struct stn_cmd *c = st->cmds;
		if (c) {
			st->cmds = c->next;
			if (!st->cmds)
				st->cmds_tail = NULL;
		}
		pthread_mutex_unlock(&st->mu);
		if (!c)
			break;
		stn_run_command(st, c->line);
		free(c);
	}
}

struct cab_station *cab_station_new(const struct cab_station_config *cfg, cab_station_cb cb,
                                    void *user, char *err, size_t n)
{
	struct cab_station *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&st->mu, NULL);
	st->cfg = *cfg;
	st->cb = cb;
	st->user = user;
	snprintf(st->host, sizeof st->host, "%s", cfg->host ? cfg->host : "127.0.0.1");
	snprintf(st->cert, sizeof st->cert, "%s", cfg->cert ? cfg->cert : "");
	snprintf(st->key, sizeof st->key, "%s", cfg->key ? cfg->key : "");
	snprintf(st->ca, sizeof st->ca, "%s", cfg->ca ? cfg->ca : "");
	snprintf(st->crl_path, sizeof st->crl_path, "%s", cfg->crl ? cfg->crl : "");
	snprintf(st->dir, sizeof st->dir, "%s", cfg->data_dir ? cfg->data_dir : ".");
	snprintf(st->name, sizeof st->name, "%s", cfg->name ? cfg->name : "cabin-doctor");
	if (!st->cert[0] || !st->key[0] || !st->ca[0]) {
		snprintf(err, n, "--cert, --key and --ca are all required (mutual TLS)");
		goto fail;
	}
	FILE *f;
	const char *files[] = {st->cert, st->key, st->ca};
	for (int i = 0; i < 3; i++) {
		if (!(f = fopen(files[i], "r"))) {
			snprintf(err, n, "cannot read %s", files[i]);
			goto fail;
		}
		fclose(f);
	}
	/* the private key: owner-only, or the station does not start */
	struct stat ks;
	if (stat(st->key, &ks) == 0 && (ks.st_mode & 077)) {
		snprintf(err, n,
		         "%s has mode %04o: a private key must be readable by its owner only "
		         "(chmod 600 %s)",
		         st->key, (unsigned)(ks.st_mode & 07777), st->key);
		goto fail;
	}
	/* libwebsockets only logs a CA file it cannot use, then refuses every cabin */
	if (doctor_check_ca_file(st->ca, err, n))
		goto fail;
	/* the console's page: ASSETS/console/ (the source tree's assets/ beside build/) */
	const char *assets = cfg->assets ? cfg->assets : getenv("CABIN_ASSETS");
	if (assets && *assets) {
		snprintf(st->assets, sizeof st->assets, "%s", assets);
	} else {
		char exe[900];
		ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
		exe[k > 0 ? k : 0] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		snprintf(st->assets, sizeof st->assets, "assets");
		static const char *const rel[] = {"/../assets", "/../../assets"};
		for (int i = 0; i < 2 && k > 0; i++) {
			char cand[1000];
			snprintf(cand, sizeof cand, "%s%s/console/index.html", exe, rel[i]);
			if (access(cand, R_OK) == 0) {
				snprintf(st->assets, sizeof st->assets, "%s%s", exe, rel[i]);
				break;
			}
		}
	}
	if (con_init(st)) {
		snprintf(err, n, "out of memory");
		goto fail;
	}
	if (stn_guard_init(st)) {
		snprintf(err, n, "out of memory");
		goto fail;
	}
	st->db = station_db_open(st->dir);
	if (!st->db) {
		snprintf(err, n, "cannot open the database in %s", st->dir);
		goto fail;
	}
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = cfg->port;
	info.iface = st->host;
	info.protocols = stn_protocols;
	info.user = st;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
	               LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT |
	               LWS_SERVER_OPTION_DISABLE_IPV6;
	info.ssl_cert_filepath = st->cert;
	info.ssl_private_key_filepath = st->key;
	info.ssl_ca_filepath = st->ca;
	info.ssl_options_set = SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 | SSL_OP_NO_TLSv1_2;
	/* the library's own bounds on the first steps, 2 s behind ours (station_guard.c
	 * closes first and says why; these are the backstop) */
	info.timeout_secs = 2u + (unsigned)(cfg->timeout_s[CAB_TMO_STN_HANDSHAKE] > 0
	                                        ? cfg->timeout_s[CAB_TMO_STN_HANDSHAKE]
	                                        : cab_timeouts[CAB_TMO_STN_HANDSHAKE].default_s);
	info.timeout_secs_ah_idle =
	    2u + (unsigned)(cfg->timeout_s[CAB_TMO_STN_UPGRADE] > 0
	                        ? cfg->timeout_s[CAB_TMO_STN_UPGRADE]
	                        : cab_timeouts[CAB_TMO_STN_UPGRADE].default_s);
	info.alpn = "http/1.1"; /* no HTTP/2: one TLS connection, one certificate, one page */
	lws_set_log_level(LLL_ERR, NULL);
	stn_creating = st;
	st->ctx = lws_create_context(&info);
	stn_creating = NULL;
	if (!st->ctx && st->crl_err[0]) {
		snprintf(err, n, "%s", st->crl_err);
		goto fail;
	}
	if (!st->ctx) {
		snprintf(err, n,
		         "cannot listen on %s:%d with TLS (port busy or bad certificate files)",
		         st->host, cfg->port);
		goto fail;
	}
	st->vh = lws_get_vhost_by_name(st->ctx, "default");
	char where[200];
	snprintf(where, sizeof where, "%s:%d", st->host, cab_station_port(st));
	cab_info(STN_LOG, "listening on wss://%s/ (the doctors' console: https://%s/)", where,
	         where);
	if (st->crl.loaded)
		cab_info(STN_LOG, "CRL %s: %d list(s), %d revoked certificate(s)", st->crl.path,
		         st->crl.count, st->crl.revoked);
	stn_emit_text(st, CAB_SEV_LISTENING, NULL, NULL, where);
	return st;
fail:
	cab_err(STN_LOG, "%s", err);
	cab_station_free(st);
	return NULL;
}

int cab_station_port(struct cab_station *st)
{
	return st->vh ? lws_get_vhost_listen_port(st->vh) : st->cfg.port;
}

int cab_station_run(struct cab_station *st)
{
	con_schedule(st);
	stn_guard_start(st);
	stn_deliver_start(st);
	while (!atomic_load(&st->stop))
		if (lws_service(st->ctx, 0) < 0)
			break;
	stn_batch_commit(st);
	return 0;
}

void cab_station_stop(struct cab_station *st)
{
	atomic_store(&st->stop, 1);
	if (st->ctx)
		lws_cancel_service(st->ctx);
}

int cab_station_command(struct cab_station *st, const char *line)
{
	size_t len = strlen(line);
	if (len > 4096)
		return -1;
	struct stn_cmd *c = malloc(sizeof *c + len + 1);
	if (!c)
		return -1;
	c->next = NULL;
	memcpy(c->line, line, len + 1);
	pthread_mutex_lock(&st->mu);
	if (st->cmds_tail)
		st->cmds_tail->next = c;
	else
		st->cmds = c;
	st->cmds_tail = c;
	pthread_mutex_unlock(&st->mu);
	lws_cancel_service(st->ctx);
	return 0;
}

void cab_station_free(struct cab_station *st)
{
	if (!st)
		return;
	stn_deliver_stop(st);
	if (st->ctx)
		lws_context_destroy(st->ctx); /* closes every connection */
	if (st->db)
		stn_batch_commit(st); /* what was stored is kept; no connection to ack to */
	stn_guard_free(st);
	con_free(st);
	station_db_close(st->db);
	while (st->cmds) {
		struct stn_cmd *c = st->cmds;
		st->cmds = c->next;
		free(c);
	}
	pthread_mutex_destroy(&st->mu);
	free(st);
}
