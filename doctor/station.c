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
#include <time.h>

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
	pthread_cond_init(&st->mo_cv, NULL);
	st->cfg = *cfg;
	if (cfg->media) {
		st->media = *cfg->media;
		st->has_media = 1;
	}
	st->cfg.media = NULL;
	st->cb = cb;
	st->user = user;
	snprintf(st->host, sizeof st->host, "%s", cfg->host ? cfg->host : "127.0.0.1");
	snprintf(st->cert, sizeof st->cert, "%s", cfg->cert ? cfg->cert : "");
	snprintf(st->key, sizeof st->key, "%s", cfg->key ? cfg->key : "");
	snprintf(st->ca, sizeof st->ca, "%s", cfg->ca ? cfg->ca : "");
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
	/* libwebsockets only logs a CA file it cannot use, then refuses every cabin */
	if (doctor_check_ca_file(st->ca, err, n))
		goto fail;
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
	info.timeout_secs = 10;
	lws_set_log_level(LLL_ERR, NULL);
	stn_creating = st;
	st->ctx = lws_create_context(&info);
	stn_creating = NULL;
	if (!st->ctx) {
		snprintf(err, n,
		         "cannot listen on %s:%d with TLS (port busy or bad certificate files)",
		         st->host, cfg->port);
		goto fail;
	}
	st->vh = lws_get_vhost_by_name(st->ctx, "default");
	char where[200];
	snprintf(where, sizeof where, "%s:%d", st->host, cab_station_port(st));
	cab_info(STN_LOG, "listening on wss://%s/", where);
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
	stn_return_schedule(st);
	while (!atomic_load(&st->stop))
		if (lws_service(st->ctx, 0) < 0)
			break;
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
	if (st->ctx)
		lws_context_destroy(st->ctx); /* closes every connection: media_end for each */
	stn_return_stop(st);
	station_db_close(st->db);
	while (st->cmds) {
		struct stn_cmd *c = st->cmds;
		st->cmds = c->next;
		free(c);
	}
	pthread_cond_destroy(&st->mo_cv);
	pthread_mutex_destroy(&st->mu);
	free(st);
}
