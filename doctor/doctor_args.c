/* doctor_args.c — strict checks of cabin-doctor's --listen, --ca and --config
 * (doctor_args.h): a bad value stops the station at start with a message naming it,
 * instead of listening elsewhere or refusing every cabin later. */
#include "doctor/doctor_args.h"

#include <errno.h>
#include <ini.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>

int doctor_parse_listen(const char *s, char *host, size_t hn, int *port)
{
	const char *colon = s ? strrchr(s, ':') : NULL;
	if (!colon || colon == s || (size_t)(colon - s) >= hn)
		return -1;
	const char *p = colon + 1;
	long v = 0;
	size_t digits = 0;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		v = v * 10 + (*p - '0');
		if (v > 65535)
			return -1;
	}
	if (!digits || *p)
		return -1;
	snprintf(host, hn, "%.*s", (int)(colon - s), s);
	*port = (int)v;
	return 0;
}

int doctor_check_ca_file(const char *path, char *err, size_t n)
{
	int rc = -1, cas = 0;
	BIO *b = BIO_new_file(path, "r");
	if (!b) {
		snprintf(err, n, "%s: cannot open: %s", path, strerror(errno));
		goto out;
	}
	X509 *x;
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		if (X509_check_ca(x) >= 1)
			cas++;
		X509_free(x);
	}
	ERR_clear_error(); /* the loop ends on "no start line" */
	if (!cas) {
		snprintf(err, n, "%s: not a PEM CA certificate", path);
		goto out;
	}
	rc = 0;
out:
	BIO_free(b);
	return rc;
}

/* inih state: the reader counts lines so that the handler knows where it is. */
struct cfg_parse {
	FILE *f;
	int line;      /* lines read so far = the line being handled */
	int bad_line;  /* first line the handler refused, 0: none */
	char why[160]; /* what was wrong on bad_line */
	struct cab_station_config *c;
};

static char *cfg_reader(char *str, int num, void *stream)
{
	struct cfg_parse *p = stream;
	char *r = fgets(str, num, p->f);
	if (r)
		p->line++;
	return r;
}

/* The station's row of cab_timeouts[] named NAME, or -1. */
static int station_timeout(const char *name)
{
	for (int i = 0; i < CAB_TMO__COUNT; i++)
		if (cab_timeouts[i].station && !strcmp(cab_timeouts[i].key, name))
			return i;
	return -1;
}

static int cfg_handler(void *user, const char *section, const char *name, const char *value)
{
	struct cfg_parse *p = user;
	struct cab_station_config *c = p->c;
	static char station_name[128], station_crl[1024];
	if (!strcmp(section, "doctor") && !strcmp(name, "name"))
		snprintf(c->doctor.name, sizeof c->doctor.name, "%s", value);
	else if (!strcmp(section, "doctor") && !strcmp(name, "specialty"))
		snprintf(c->doctor.specialty, sizeof c->doctor.specialty, "%s", value);
	else if (!strcmp(section, "doctor") && !strcmp(name, "rpps"))
		snprintf(c->doctor.rpps, sizeof c->doctor.rpps, "%s", value);
	else if (!strcmp(section, "fhir") && !strcmp(name, "base_url"))
		snprintf(c->fhir.base_url, sizeof c->fhir.base_url, "%s", value);
	else if (!strcmp(section, "fhir") && !strcmp(name, "token"))
		snprintf(c->fhir.token, sizeof c->fhir.token, "%s", value);
	else if (!strcmp(section, "fhir") && !strcmp(name, "cert"))
		snprintf(c->fhir.cert, sizeof c->fhir.cert, "%s", value);
	else if (!strcmp(section, "fhir") && !strcmp(name, "key"))
		snprintf(c->fhir.key, sizeof c->fhir.key, "%s", value);
	else if (!strcmp(section, "fhir") && !strcmp(name, "ca"))
		snprintf(c->fhir.ca, sizeof c->fhir.ca, "%s", value);
	else if (!strcmp(section, "turn") && !strcmp(name, "secret"))
		snprintf(c->turn.secret, sizeof c->turn.secret, "%s", value);
	else if (!strcmp(section, "turn") && !strcmp(name, "uris"))
		snprintf(c->turn.uris, sizeof c->turn.uris, "%s", value);
	else if (!strcmp(section, "turn") && !strcmp(name, "ttl") && atoi(value) > 0)
		c->turn.ttl_s = atoi(value);
	else if (!strcmp(section, "turn") && !strcmp(name, "relay_only"))
		c->turn.relay_only = !strcmp(value, "1") || !strcmp(value, "true");
	else if (!strcmp(section, "station") && !strcmp(name, "name")) {
		snprintf(station_name, sizeof station_name, "%s", value);
		c->name = station_name;
	} else if (!strcmp(section, "station") &&
	           (!strcmp(name, "max_unauthenticated_per_address") ||
	            !strcmp(name, "max_unauthenticated"))) {
		char *end;
		long v = strtol(value, &end, 10);
		if (*end || v < 1 || v > 100000) {
			if (!p->bad_line) {
				p->bad_line = p->line;
				snprintf(p->why, sizeof p->why, "%s must be 1 to 100000 connections", name);
			}
			return 0;
		}
		if (!strcmp(name, "max_unauthenticated"))
			c->max_unauth = (int)v;
		else
			c->max_unauth_per_addr = (int)v;
	} else if (!strcmp(section, "timeouts") && station_timeout(name) >= 0) {
		char *end;
		long v = strtol(value, &end, 10);
		if (*end || v < 1 || v > 3600) {
			if (!p->bad_line) {
				p->bad_line = p->line;
				snprintf(p->why, sizeof p->why, "timeouts.%s must be 1 to 3600 seconds",
				         name);
			}
			return 0;
		}
		c->timeout_s[station_timeout(name)] = (int)v;
	} else if (!strcmp(section, "station") && !strcmp(name, "crl")) {
		snprintf(station_crl, sizeof station_crl, "%s", value);
		c->crl = station_crl[0] ? station_crl : NULL;
	} else {
		if (!p->bad_line) {
			p->bad_line = p->line;
			if (section[0])
				snprintf(p->why, sizeof p->why, "unknown setting %.60s in [%.60s]",
				         name, section);
			else
				snprintf(p->why, sizeof p->why,
				         "setting %.60s outside a section ([doctor], [station], [fhir], [turn] or [timeouts])",
				         name);
		}
		return 0;
	}
	return 1;
}

int doctor_config_load(const char *path, struct cab_station_config *c, char *err, size_t n)
{
	struct cfg_parse p = {.c = c};
	p.f = fopen(path, "r");
	if (!p.f) {
		snprintf(err, n, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	/* ini_parse_stream returns the first line in error (syntax or handler), -2 when
	 * out of memory (inih's ini.h) */
	int e = ini_parse_stream(cfg_reader, &p, cfg_handler, &p);
	fclose(p.f);
	if (e == 0)
		return 0;
	if (e < 0)
		snprintf(err, n, "%s: out of memory", path);
	else if (e == p.bad_line)
		snprintf(err, n, "%s:%d: %s", path, e, p.why);
	else
		snprintf(err, n, "%s:%d: expected [section] or name = value", path, e);
	return -1;
}
