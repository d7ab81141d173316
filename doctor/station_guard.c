/* station_guard.c — the station under abuse (docs/link.md "The station under abuse"):
 * every connection that has not proved who it is yet (no TLS handshake, no WebSocket
 * upgrade, no `hello`) is counted per source address and in all, refused at accept
 * beyond the limits, and closed when a step takes longer than its timeout
 * (cab_timeouts[]); the warnings are rate-limited and summarised per address
 * (common/log_limit.h). A connection is known by its descriptor and its socket's
 * inode (fstat), so a descriptor the library closed and reused is never mistaken for
 * the one we counted, whatever callbacks the library gives. Service thread only. */
#include "doctor/station_internal.h"

#include "common/clock.h"
#include "common/log.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define SWEEP_US (250 * 1000)
#define LOG_ADDRS 64 /* addresses whose warnings are tracked; more share one line */
#define LOG_BURST 1  /* warnings logged one by one per address and period */

enum phase {
	PH_TLS,     /* accepted, TLS handshake not done */
	PH_UPGRADE, /* TLS done with a cabin's certificate, no WebSocket yet */
	PH_HELLO,   /* cabin-link WebSocket up, no hello accepted yet */
};

static const char *const phase_step[] = {
    [PH_TLS] = "no TLS handshake",
    [PH_UPGRADE] = "no WebSocket upgrade",
    [PH_HELLO] = "no hello",
};

/* One connection not authenticated yet. */
struct rec {
	int fd;
	ino_t ino;           /* the socket's inode when it was accepted */
	char addr[INET6_ADDRSTRLEN];
	enum phase phase;
	int64_t since_ms;    /* start of the phase, monotonic */
	int closing;         /* its timeout passed: being closed */
};

/* The warnings about one address. */
struct addr_log {
	char addr[INET6_ADDRSTRLEN];
	struct cab_log_limit refused; /* connections refused at accept */
	struct cab_log_limit timed;   /* connections closed for a step not done in time */
};

struct stn_guard {
	struct cab_station *st;
	struct rec *recs;
	int n, cap;
	int per_addr, total;       /* limits */
	int64_t tmo_ms[3];         /* per phase */
	int64_t period_ms;         /* warnings' summary period */
	struct addr_log logs[LOG_ADDRS];
	int nlogs;
	lws_sorted_usec_list_t sul;
	uint64_t refused_total;    /* since start, for the tests and the bench */
};

static int64_t tmo_s(const struct cab_station *st, enum cab_flow_timeout t)
{
	int v = st->cfg.timeout_s[t];
	return v > 0 ? v : cab_timeouts[t].default_s;
}

int stn_guard_init(struct cab_station *st)
{
	struct stn_guard *g = calloc(1, sizeof *g);
	if (!g)
		return -1;
	g->per_addr = st->cfg.max_unauth_per_addr > 0 ? st->cfg.max_unauth_per_addr
	                                               : STN_MAX_UNAUTH_PER_ADDR;
	g->total = st->cfg.max_unauth > 0 ? st->cfg.max_unauth : STN_MAX_UNAUTH;
	g->tmo_ms[PH_TLS] = tmo_s(st, CAB_TMO_STN_HANDSHAKE) * 1000;
	g->tmo_ms[PH_UPGRADE] = tmo_s(st, CAB_TMO_STN_UPGRADE) * 1000;
	g->tmo_ms[PH_HELLO] = tmo_s(st, CAB_TMO_STN_HELLO) * 1000;
	g->period_ms = tmo_s(st, CAB_TMO_STN_LOG_SUMMARY) * 1000;
	g->cap = g->total;
	g->recs = calloc((size_t)g->cap, sizeof *g->recs);
	if (!g->recs) {
		free(g);
		return -1;
	}
	st->guard = g;
	return 0;
}

/* "in the last minute" / "in the last 15 s" */
static const char *period_text(const struct stn_guard *g, char *buf, size_t n)
{
	if (g->period_ms == 60000)
		snprintf(buf, n, "in the last minute");
	else
		snprintf(buf, n, "in the last %lld s", (long long)(g->period_ms / 1000));
	return buf;
}

static struct addr_log *log_for(struct stn_guard *g, const char *addr)
{
	for (int i = 0; i < g->nlogs; i++)
		if (!strcmp(g->logs[i].addr, addr))
			return &g->logs[i];
	if (g->nlogs < LOG_ADDRS) {
		struct addr_log *a = &g->logs[g->nlogs++];
		memset(a, 0, sizeof *a);
		snprintf(a->addr, sizeof a->addr, "%s", addr);
		return a;
	}
	return &g->logs[LOG_ADDRS - 1]; /* a crowd of addresses: they share the last line */
}

static void summarise(struct stn_guard *g, struct addr_log *a, uint64_t refused, uint64_t timed)
{
	char per[40];
	if (refused)
		cab_warn(STN_LOG, "%llu more connections refused from %s %s",
		         (unsigned long long)refused, a->addr, period_text(g, per, sizeof per));
	if (timed)
		cab_warn(STN_LOG, "%llu more connections from %s closed for a step not done in time %s",
		         (unsigned long long)timed, a->addr, period_text(g, per, sizeof per));
}

static int count_addr(const struct stn_guard *g, const char *addr)
{
	int k = 0;
	for (int i = 0; i < g->n; i++)
		k += !strcmp(g->recs[i].addr, addr);
	return k;
}

static void drop(struct stn_guard *g, int i)
{
	g->recs[i] = g->recs[--g->n];
}

static int find_fd(const struct stn_guard *g, int fd)
{
	for (int i = 0; i < g->n; i++)
		if (g->recs[i].fd == fd)
			return i;
	return -1;
}

/* 1 when REC's descriptor is still the socket it was accepted as. */
static int alive(const struct rec *r)
{
	struct stat s;
	return fstat(r->fd, &s) == 0 && S_ISSOCK(s.st_mode) && s.st_ino == r->ino;
}

int stn_guard_accept(struct cab_station *st, int fd, const struct sockaddr_storage *sa)
{
	struct stn_guard *g = st->guard;
	char addr[INET6_ADDRSTRLEN] = "?";
	if (!g)
		return 0;
	if (sa->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof addr);
	else if (sa->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof addr);
	/* a descriptor counted before and now accepted again was closed meanwhile */
	int old = find_fd(g, fd);
	if (old >= 0)
		drop(g, old);
	for (int i = 0; i < g->n;)
		if (!alive(&g->recs[i]))
			drop(g, i);
		else
			i++;
	int mine = count_addr(g, addr);
	const char *limit = mine >= g->per_addr ? "from that address"
	                    : g->n >= g->total  ? "in all"
	                                        : NULL;
	if (limit) {
		struct addr_log *a = log_for(g, addr);
		uint64_t flushed;
		g->refused_total++;
		if (flushed = 0, cab_log_limit_take(&a->refused, cab_mono_ms(), g->period_ms,
		                                    LOG_BURST, &flushed)) {
			summarise(g, a, flushed, 0);
			char text[256];
			snprintf(text, sizeof text,
			         "connection from %s refused: %d connections not authenticated yet %s "
			         "(limit %d); further refusals are summarised",
			         addr, limit[0] == 'f' ? mine : g->n, limit,
			         limit[0] == 'f' ? g->per_addr : g->total);
			cab_warn(STN_LOG, "%s", text);
			stn_emit_text(st, CAB_SEV_REFUSED, NULL, NULL, text);
		}
		return 1;
	}
	struct stat s;
	if (fstat(fd, &s))
		return 0;
	struct rec *r = &g->recs[g->n++];
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->ino = s.st_ino;
	snprintf(r->addr, sizeof r->addr, "%s", addr);
	r->phase = PH_TLS;
	r->since_ms = cab_mono_ms();
	return 0;
}

void stn_guard_tls_done(struct cab_station *st, int fd, int doctor)
{
	struct stn_guard *g = st->guard;
	int i = g ? find_fd(g, fd) : -1;
	if (i < 0 || !alive(&g->recs[i]))
		return;
	if (doctor) {
		drop(g, i); /* a doctor's verified certificate: the console checks the rest */
		return;
	}
	g->recs[i].phase = PH_UPGRADE;
	g->recs[i].since_ms = cab_mono_ms();
}

void stn_guard_ws_up(struct cab_station *st, int fd)
{
	struct stn_guard *g = st->guard;
	int i = g ? find_fd(g, fd) : -1;
	if (i < 0)
		return;
	g->recs[i].phase = PH_HELLO;
	g->recs[i].since_ms = cab_mono_ms();
}

void stn_guard_authenticated(struct cab_station *st, int fd)
{
	struct stn_guard *g = st->guard;
	int i = g ? find_fd(g, fd) : -1;
	if (i >= 0)
		drop(g, i);
}

static struct stn_conn *conn_of_fd(struct cab_station *st, int fd)
{
	for (struct stn_conn *c = st->conns; c; c = c->next)
		if (c->wsi && (int)lws_get_socket_fd(c->wsi) == fd)
			return c;
	return NULL;
}

static void sweep(lws_sorted_usec_list_t *sul)
{
	struct stn_guard *g = lws_container_of(sul, struct stn_guard, sul);
	struct cab_station *st = g->st;
	int64_t now = cab_mono_ms();
	for (int i = 0; i < g->n;) {
		struct rec *r = &g->recs[i];
		if (!alive(r)) {
			drop(g, i);
			continue;
		}
		struct stn_conn *c = r->phase == PH_HELLO ? conn_of_fd(st, r->fd) : NULL;
		if (c && c->closing)
			r->closing = 1; /* being closed for another reason */
		if (!r->closing && now - r->since_ms >= g->tmo_ms[r->phase]) {
			struct addr_log *a = log_for(g, r->addr);
			uint64_t flushed = 0;
			char why[96];
			snprintf(why, sizeof why, "%s within %lld s", phase_step[r->phase],
			         (long long)(g->tmo_ms[r->phase] / 1000));
			r->closing = 1;
			if (cab_log_limit_take(&a->timed, now, g->period_ms, LOG_BURST, &flushed)) {
				summarise(g, a, 0, flushed);
				cab_warn(STN_LOG, "connection from %s closed: %s; further ones are summarised",
				         r->addr, why);
			}
			if (c) {
				/* the cabin learns why: error, then close 1008 */
				c->close_why = "no hello";
				stn_send_error(st, c, "out-of-order", NULL, why, 1);
			} else {
				/* the library sees the end of the stream and closes it its own way */
				shutdown(r->fd, SHUT_RDWR);
			}
		}
		i++;
	}
	for (int i = 0; i < g->nlogs; i++) {
		struct addr_log *a = &g->logs[i];
		summarise(g, a, cab_log_limit_flush(&a->refused, now, g->period_ms),
		          cab_log_limit_flush(&a->timed, now, g->period_ms));
	}
	lws_sul_schedule(st->ctx, 0, &g->sul, sweep, SWEEP_US);
}

void stn_guard_start(struct cab_station *st)
{
	if (!st->guard)
		return;
	st->guard->st = st;
	lws_sul_schedule(st->ctx, 0, &st->guard->sul, sweep, SWEEP_US);
}

uint64_t stn_guard_refused(const struct cab_station *st)
{
	return st->guard ? st->guard->refused_total : 0;
}

void stn_guard_free(struct cab_station *st)
{
	if (!st->guard)
		return; /* called after lws_context_destroy, which dropped the sweep's timer */
	free(st->guard->recs);
	free(st->guard);
	st->guard = NULL;
}
