/* main.c — cabin-doctor, the reference doctor station: accepts cabins over wss with
 * mutual TLS 1.3, prints what arrives (for a person, or JSON lines with --json),
 * takes the doctor's commands on stdin, writes DATA/<session>.json per session, serves
 * the doctors' console (docs/console.md); the call's media go peer to peer over WebRTC
 * (docs/webrtc.md), never through the station.
 * Usage: cabin-doctor --listen HOST:PORT --cert F --key F --ca F --data DIR
 *                     [--config FILE] [--json] [--name NAME] */
#include "common/clock.h"
#include "common/log.h"
#include "common/install_dirs.h"
#include "doctor/doctor_args.h"
#include "doctor/station.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct cab_station *g_station;
static int g_json;
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: cabin-doctor --listen HOST:PORT --cert FILE --key FILE --ca FILE --data DIR\n"
	    "                    [--crl FILE] [--config FILE] [--json] [--name NAME]\n"
	    "                    [--terminal-doctor] [--console-lock S] [--assets DIR]\n"

	    "  --listen HOST:PORT  port 1 to 65535, or 0 for any free port (the\n"
	    "                 listening event says which)\n"
	    "  --ca FILE      PEM file with the CA certificate(s) of the cabins\n"
	    "  --crl FILE     PEM CRL(s) of that CA (also [station] crl= in --config): a\n"
	    "                 revoked cabin or doctor is refused; re-read when it changes\n"
	    "  --data DIR     Bundles, stills, recordings, database; files are created\n"
	    "                 0600, DIR 0700 when created here\n"
	    "  --config FILE  INI file: [doctor] name=, specialty=, rpps=  [station] name=\n"
	    "  --json         print events as JSON lines instead of text\n"
	    "The doctors' console is at https://HOST:PORT/ (same address as the cabins' link),\n"
	    "opened in a browser with a doctor's certificate (scripts/make-certs writes\n"
	    "doctor.p12; docs/console.md).\n"
	    "  --terminal-doctor  the [doctor] of --config (or the demo doctor) takes every\n"
	    "                 session when it opens, for the commands on stdin (scripts);\n"
	    "                 without it doctors take patients in the console\n"
	    "  --console-lock S  a console locks after S idle seconds (default 600)\n"
	    "  --assets DIR   the assets directory holding console/ (default: $CABIN_ASSETS,\n"
	    "                 else the source tree's assets/ beside the binary)\n"
	    "The call's video and sound go peer to peer between the cabin and the doctor's\n"
	    "browser (WebRTC, docs/webrtc.md): the station relays signalling only.\n"
	    "  --no-window, --no-media  accepted and ignored (scripts of the older station)\n"
	    "Commands on stdin: help, sessions, measure S KIND, stream start|stop S KIND,\n"
	    "                   camera S room|otoscope|dermatoscope, still S [BODY SITE],\n"
	    "                   stetho start|stop S, message S TEXT, end S, quit\n");
}

static const char *ev_name(enum cab_station_ev k)
{
	static const char *n[] = {
	    "listening", "connected",      "hello",       "refused", "disconnected", "message",
	    "acked",     "protocol-error", "peer-error",  "bundle",  "command",      "rtt",
	    "still",     "still-error",    "delivery"};
	return (unsigned)k < sizeof n / sizeof n[0] ? n[k] : "?";
}

/* One line summarising a data message for a person (no identity printed to logs:
 * this goes to the doctor's own terminal, which is where the doctor reads it). */
static void summary(const struct cab_station_event *ev, char *buf, size_t n)
{
	json_t *m = ev->msg;
	buf[0] = 0;
	if (!strcmp(ev->type, "reading")) {
		json_t *o = json_object_get(m, "observation");
		json_t *q = json_object_get(o, "valueQuantity");
		const char *what =
		    json_string_value(json_object_get(json_object_get(o, "code"), "text"));
		if (q)
			snprintf(buf, n, "%s %g %s", what ? what : "?",
			         json_number_value(json_object_get(q, "value")),
			         json_string_value(json_object_get(q, "code")));
		else
			snprintf(buf, n, "%s (no value)", what ? what : "?");
	} else if (!strcmp(ev->type, "identity")) {
		json_t *p = json_object_get(m, "patient");
		snprintf(buf, n, "%s %s, born %s",
		         json_string_value(json_object_get(p, "first_names")),
		         json_string_value(json_object_get(p, "birth_name")),
		         json_string_value(json_object_get(p, "birth_date")));
	} else if (!strcmp(ev->type, "consent")) {
		json_t *k = json_object_get(m, "consent");
		snprintf(buf, n, "%s (%s)",
		         json_is_true(json_object_get(k, "accepted")) ? "accepted" : "refused",
		         json_string_value(json_object_get(k, "language")));
	} else if (!strcmp(ev->type, "incident")) {
		json_t *i = json_object_get(m, "incident");
		snprintf(buf, n, "%s from %s", json_string_value(json_object_get(i, "kind")),
		         json_string_value(json_object_get(i, "start")));
	} else if (!strcmp(ev->type, "still")) {
		json_t *k = json_object_get(m, "still");
		snprintf(buf, n, "part %lld/%lld of a %s still",
		         (long long)json_integer_value(json_object_get(k, "part")) + 1,
		         (long long)json_integer_value(json_object_get(k, "parts")),
		         json_string_value(json_object_get(k, "camera")));
	} else if (!strcmp(ev->type, "session_close")) {
		snprintf(buf, n, "%s", json_string_value(json_object_get(m, "reason")));
	}
}

static void on_event(const struct cab_station_event *ev, void *user)
{
	(void)user;
	char sum[512] = "", t[40];
	if (ev->kind == CAB_SEV_MESSAGE)
		summary(ev, sum, sizeof sum);
	pthread_mutex_lock(&out_mu);
	if (g_json) {
		json_t *o = json_pack("{s:s, s:s}", "event", ev_name(ev->kind), "time",
		                      cab_time_rfc3339(cab_wall_ms(), t, sizeof t));
		if (ev->cabin)
			json_object_set_new(o, "cabin", json_string(ev->cabin));
		if (ev->session)
			json_object_set_new(o, "session", json_string(ev->session));
		if (ev->type)
			json_object_set_new(o, "type", json_string(ev->type));
		if (ev->id)
			json_object_set_new(o, "id", json_string(ev->id));
		if (ev->text)
			json_object_set_new(o, "text", json_string(ev->text));
		if (ev->kind == CAB_SEV_MESSAGE) {
			json_object_set_new(o, "duplicate", json_boolean(ev->duplicate));
			json_object_set_new(o, "rx_us", json_integer(ev->rx_us));
			json_object_set_new(o, "summary", json_string(sum));
			json_object_set(o, "message", ev->msg);
		}
		if (ev->kind == CAB_SEV_HELLO || ev->kind == CAB_SEV_PEER_ERROR)
			json_object_set(o, "message", ev->msg);
		if (ev->kind == CAB_SEV_STILL && ev->msg)
			json_object_set(o, "still", ev->msg);
		char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
		printf("%s\n", s);
		free(s);
		json_decref(o);
	} else {
		cab_time_rfc3339(cab_wall_ms(), t, sizeof t);
		printf("%.8s %-14s", t + 11, ev_name(ev->kind));
		if (ev->cabin)
			printf(" cabin=%s", ev->cabin);
		if (ev->session)
			printf(" session=%s", ev->session);
		if (ev->type)
			printf(" %s%s", ev->type, ev->duplicate ? " (duplicate, dropped)" : "");
		if (sum[0])
			printf(": %s", sum);
		if (ev->text)
			printf(" %s", ev->text);
		if (ev->kind == CAB_SEV_STILL && ev->msg) {
			const char *site = json_string_value(json_object_get(ev->msg, "body_site"));
			printf(" (%s %lldx%lld%s%s)",
			       json_string_value(json_object_get(ev->msg, "camera")),
			       (long long)json_integer_value(json_object_get(ev->msg, "width")),
			       (long long)json_integer_value(json_object_get(ev->msg, "height")),
			       site ? ", " : "", site ? site : "");
		}
		printf("\n");
	}
	fflush(stdout);
	pthread_mutex_unlock(&out_mu);
}

static void *stdin_thread(void *arg)
{
	(void)arg;
	char line[4096];
	while (fgets(line, sizeof line, stdin)) {
		if (!strncmp(line, "quit", 4)) {
			cab_station_stop(g_station);
			break;
		}
		cab_station_command(g_station, line);
	}
	return NULL;
}

static atomic_int g_stopped;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&g_stopped, 1);
	if (g_station)
		cab_station_stop(g_station);
}

int main(int argc, char **argv)
{
	struct cab_station_config cfg = {
	    .host = "127.0.0.1",
	    .port = 8443,
	    .name = "cabin-doctor",
	    .doctor = {.name = "Dr Camille Martin (demo)",
	               .specialty = "Médecine générale",
	               .rpps = "10000000000"},
	};
	const char *listen = NULL, *config = NULL, *crl_arg = NULL;
	char host[128];
	int rc = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--version")) {
			printf("cabin-doctor %s\n", CABIN_VERSION);
			return 0;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--json")) {
			g_json = 1;
		} else if (v && !strcmp(a, "--listen")) {
			listen = v, i++;
		} else if (v && !strcmp(a, "--cert")) {
			cfg.cert = v, i++;
		} else if (v && !strcmp(a, "--key")) {
			cfg.key = v, i++;
		} else if (v && !strcmp(a, "--ca")) {
			cfg.ca = v, i++;
		} else if (v && !strcmp(a, "--crl")) {
			crl_arg = v, i++;
		} else if (v && !strcmp(a, "--data")) {
			cfg.data_dir = v, i++;
		} else if (v && !strcmp(a, "--config")) {
			config = v, i++;
		} else if (v && !strcmp(a, "--name")) {
			cfg.name = v, i++;
		} else if (!strcmp(a, "--terminal-doctor")) {
			cfg.terminal_doctor = 1;
		} else if (v && !strcmp(a, "--console-lock")) {
			cfg.console_lock_s = atoi(v), i++;
			if (cfg.console_lock_s < 1 || cfg.console_lock_s > 86400) {
				fprintf(stderr, "cabin-doctor: --console-lock is 1 to 86400 s\n");
				return 2;
			}
		} else if (v && !strcmp(a, "--assets")) {
			cfg.assets = v, i++;
		} else if (!strcmp(a, "--no-window") || !strcmp(a, "--no-media")) {
			/* the station has no media any more (WebRTC): nothing to turn off */
		} else {
			fprintf(stderr, "cabin-doctor: unknown or incomplete option %s\n", a);
			usage(stderr);
			return 2;
		}
	}
	/* installed defaults: data in $STATE_DIRECTORY or $(localstatedir)/lib/cabin-doctor,
	 * configuration $(sysconfdir)/cabin/cabin-doctor.ini when it exists */
	static char state_dir[512], installed_ini[400];
	if (!cfg.data_dir) {
		cab_install_state_dir("cabin-doctor", state_dir, sizeof state_dir);
		cfg.data_dir = state_dir;
	}
	snprintf(installed_ini, sizeof installed_ini, "%.300s/cabin-doctor.ini", cab_install_config_dir());
	if (!config && access(installed_ini, R_OK) == 0)
		config = installed_ini;
	if (!listen || !cfg.cert || !cfg.key || !cfg.ca || !cfg.data_dir) {
		usage(stderr);
		return 2;
	}
	if (doctor_parse_listen(listen, host, sizeof host, &cfg.port)) {
		fprintf(stderr, "cabin-doctor: --listen wants HOST:PORT (port 1-65535, or 0 for "
		                "any free port)\n");
		return 2;
	}
	cfg.host = host;
	if (config) {
		char cerr[512];
		if (doctor_config_load(config, &cfg, cerr, sizeof cerr)) {
			fprintf(stderr, "cabin-doctor: %s\n", cerr);
			return 2;
		}
	}
	if (crl_arg)
		cfg.crl = crl_arg; /* the command line wins over [station] crl */
	/* health data (Bundles, stills, recordings, the database): owner only */
	umask(077);
	mkdir(cfg.data_dir, 0700);
	char err[512] = "";
	g_station = cab_station_new(&cfg, on_event, NULL, err, sizeof err);
	if (!g_station) {
		fprintf(stderr, "cabin-doctor: %s\n", err);
		return 1;
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_t th;
	pthread_create(&th, NULL, stdin_thread, NULL);
	pthread_detach(th);
	cab_station_run(g_station);
	rc = 0;
	cab_station_free(g_station);
	g_station = NULL;
	return rc;
}
