/* link_cabin.c — a test cabin: kiosk/link with the in-memory outbox, playing a
 * scripted session against a real cabin-doctor (the tests/link suites and the bench).
 * Prints one line per event on stdout: "STATUS <state> [<refusal>: <message>]",
 * "DOCTOR <name>|<specialty>|<rpps>", "REQUEST <action> <kind>|<text>",
 * "ERROR <code> <ref> <detail>", "ACKED n/m", "RTT <ms>", "DONE".
 * Modes (one of):
 *   --session            the whole session: open, consent, identity, readings,
 *                        incident, close; waits until every message is acked
 *   --cut                like --session, but after the first half is acked prints
 *                        "CUT-NOW", waits for the link to drop and come back (the test
 *                        restarts the station), queueing the rest meanwhile, then
 *                        records the outage as a "link-lost" incident
 *   --probe              connect once; exit 0 when connected, 3 when refused
 *   --raw FILE           after connecting, send each line of FILE as is; exit after
 *                        --wait-ms
 *   --requests N         open a session, then wait for N doctor requests
 * Options: --url U --cert F --key F --ca F --pin HEX --proxy H:P --cabin-id ID
 *          --no-cert --skip-hello --sent FILE (JSON of the readings sent)
 *          --wait-ms MS (overall timeout, default 20000)
 */
#include "cabin/mdc.h"
#include "cabin/reading.h"
#include "common/clock.h"
#include "kiosk/link/fhir_observation.h"
#include "kiosk/link/link.h"
#include "kiosk/link/outbox_mem.h"
#include "test_cabin.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int st_connected, st_refused, st_disconnects, n_requests;
static struct cab_outbox_mem *ob;
static char session[37];

static void on_status(const struct cab_link_status *s, void *u)
{
	(void)u;
	static const char *names[] = {"connecting", "connected", "refused", "disconnected"};
	if (s->state == CAB_LINK_REFUSED)
		printf("STATUS refused %s: %s\n", cab_refusal_name(s->refusal), s->message);
	else if (s->state != CAB_LINK_CONNECTING)
		printf("STATUS %s\n", names[s->state]);
	fflush(stdout);
	if (s->state == CAB_LINK_CONNECTED)
		atomic_store(&st_connected, 1);
	if (s->state == CAB_LINK_REFUSED)
		atomic_store(&st_refused, 1);
	if (s->state == CAB_LINK_DISCONNECTED || s->state == CAB_LINK_REFUSED) {
		if (atomic_exchange(&st_connected, 0))
			atomic_fetch_add(&st_disconnects, 1);
	}
}

static void on_request(const struct cab_link_request *rq, void *u)
{
	(void)u;
	printf("REQUEST %s %s|%s session=%s\n", cab_req_action_name(rq->action), rq->kind, rq->text,
	       rq->session);
	fflush(stdout);
	atomic_fetch_add(&n_requests, 1);
}

static void on_doctor(const struct cab_link_doctor *d, void *u)
{
	(void)u;
	printf("DOCTOR %s|%s|%s\n", d->name, d->specialty, d->rpps);
	fflush(stdout);
}

static void on_error(const char *code, const char *ref, const char *detail, void *u)
{
	(void)u;
	printf("ERROR %s %s %s\n", code, ref ? ref : "-", detail);
	fflush(stdout);
}

static void on_rtt(int64_t ms, void *u)
{
	(void)u;
	printf("RTT %lld\n", (long long)ms);
	fflush(stdout);
}

/* --- the scripted session ------------------------------------------------------ */

static json_t *sent_readings;

static void put(json_t *m)
{
	cab_test_put(ob, session, m);
}

static json_t *data_msg(enum cab_msg_type t)
{
	return cab_test_data_msg(session, t);
}

static void put_open(void)
{
	cab_test_put_open(ob, session);
}

static void put_consent_identity(void)
{
	cab_test_put_consent(ob, session);
	cab_test_put_identity(ob, session, "+33100000000");
}

static struct cab_device_id dev(enum cab_device_kind k, const char *model, const char *serial)
{
	struct cab_device_id d;
	memset(&d, 0, sizeof d);
	d.kind = k;
	snprintf(d.model, sizeof d.model, "%s", model);
	snprintf(d.serial, sizeof d.serial, "%s", serial);
	snprintf(d.manufacturer, sizeof d.manufacturer, "Simulated");
	snprintf(d.driver, sizeof d.driver, "sim");
	d.simulated = 1;
	return d;
}

static void put_reading(uint32_t mdc, double v, const char *ucum, struct cab_device_id d,
                        int64_t t_ms)
{
	struct cab_reading r;
	memset(&r, 0, sizeof r);
	r.mdc = mdc;
	r.value = v;
	snprintf(r.ucum, sizeof r.ucum, "%s", ucum);
	r.device_time_ms = INT64_MIN;
	r.cabin_time_ms = t_ms;
	r.person_id = 0xFFFF;
	r.device = d;
	json_t *m = data_msg(CAB_MSG_READING);
	json_object_set_new(m, "mdc", json_integer(mdc));
	json_object_set_new(m, "device", cab_fhir_device_json(&d));
	json_object_set_new(m, "observation", cab_fhir_observation(&r, NULL));
	json_array_append_new(sent_readings,
	                      json_pack("{s:s, s:i, s:f, s:s}", "id",
	                                json_string_value(json_object_get(m, "id")), "mdc",
	                                (json_int_t)mdc, "value", v, "unit", ucum));
	put(m);
}

/* First half: thermometer, oximeter, blood pressure. */
static void put_readings_a(void)
{
	int64_t t = cab_wall_ms();
	struct cab_device_id th = dev(CAB_KIND_THERMOMETER, "SIM-THERMO", "T-0001");
	struct cab_device_id ox = dev(CAB_KIND_PULSE_OXIMETER, "SIM-OXI", "O-0001");
	struct cab_device_id bp = dev(CAB_KIND_BLOOD_PRESSURE, "SIM-BP", "B-0001");
	put_reading(MDC_FULL(2, MDC_TEMP_BODY), 37.2, "Cel", th, t);
	put_reading(MDC_FULL(2, MDC_PULS_OXIM_SAT_O2), 97, "%", ox, t + 1);
	put_reading(MDC_FULL(2, MDC_PULS_OXIM_PULS_RATE), 72, "/min", ox, t + 1);
	put_reading(MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS), 128, "mm[Hg]", bp, t + 2);
	put_reading(MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA), 82, "mm[Hg]", bp, t + 2);
	put_reading(MDC_FULL(2, MDC_PRESS_BLD_NONINV_MEAN), 97, "mm[Hg]", bp, t + 2);
	put_reading(MDC_FULL(2, MDC_PULS_RATE_NON_INV), 70, "/min", bp, t + 2);
}

/* Second half: scale and glucometer. */
static void put_readings_b(void)
{
	int64_t t = cab_wall_ms();
	struct cab_device_id sc = dev(CAB_KIND_SCALE, "SIM-SCALE", "S-0001");
	struct cab_device_id gl = dev(CAB_KIND_GLUCOMETER, "SIM-GLU", "G-0001");
	put_reading(MDC_FULL(2, MDC_MASS_BODY_ACTUAL), 68.4, "kg", sc, t);
	put_reading(MDC_FULL(2, MDC_LEN_BODY_ACTUAL), 168, "cm", sc, t);
	put_reading(MDC_FULL(2, MDC_RATIO_MASS_BODY_LEN_SQ), 24.2, "kg/m2", sc, t);
	put_reading(MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD), 95, "mg/dL", gl, t + 1);
}

static void put_incident(const char *kind, int64_t start, int64_t end, const char *detail)
{
	char a[40], b[40];
	json_t *m = data_msg(CAB_MSG_INCIDENT);
	json_t *inc = json_pack("{s:s, s:s, s:s}", "kind", kind, "start",
	                        cab_time_rfc3339(start, a, sizeof a), "detail", detail);
	if (end)
		json_object_set_new(inc, "end", json_string(cab_time_rfc3339(end, b, sizeof b)));
	json_object_set_new(m, "incident", inc);
	put(m);
}

static void put_close(void)
{
	cab_test_put_close(ob, session);
}

static int all_acked(void)
{
	return cab_test_all_acked(ob);
}

/* Waits for COND up to the deadline; 0 when met. */
#define WAIT_UNTIL(cond, deadline)                                                                 \
	({                                                                                         \
		int _ok = 0;                                                                       \
		while (cab_mono_ms() < (deadline)) {                                               \
			if (cond) {                                                                \
				_ok = 1;                                                           \
				break;                                                             \
			}                                                                          \
			usleep(10000);                                                             \
		}                                                                                  \
		_ok ? 0 : -1;                                                                      \
	})

int main(int argc, char **argv)
{
	struct cab_link_config cfg = {.backoff_min_ms = 100,
	                              .backoff_max_ms = 1000,
	                              .ping_interval_ms = 1000};
	const char *mode = "session", *raw = NULL, *sent_path = NULL;
	int wait_ms = 20000, want_requests = 0;
	cab_test_cabin_config(&cfg);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
		if (cab_test_cabin_option(&cfg, a, v))
			i++;
		else if (!strcmp(a, "--pin"))
			cfg.pin_sha256 = v, i++;
		else if (!strcmp(a, "--proxy"))
			cfg.proxy = v, i++;
		else if (!strcmp(a, "--no-cert"))
			cfg.test_no_client_cert = 1;
		else if (!strcmp(a, "--skip-hello"))
			cfg.test_skip_hello = 1;
		else if (!strcmp(a, "--sent"))
			sent_path = v, i++;
		else if (!strcmp(a, "--wait-ms"))
			wait_ms = atoi(v), i++;
		else if (!strcmp(a, "--session"))
			mode = "session";
		else if (!strcmp(a, "--cut"))
			mode = "cut";
		else if (!strcmp(a, "--probe"))
			mode = "probe";
		else if (!strcmp(a, "--raw"))
			mode = "raw", raw = v, i++;
		else if (!strcmp(a, "--requests"))
			mode = "requests", want_requests = atoi(v), i++;
		else {
			fprintf(stderr, "link_cabin: unknown option %s\n", a);
			return 2;
		}
	}
	ob = cab_outbox_mem_new(100000, 500);
	sent_readings = json_array();
	cab_uuid4(session);
	struct cab_outbox_port port = cab_outbox_mem_port(ob);
	struct cab_link_callbacks cb = {.on_status = on_status,
	                                .on_request = on_request,
	                                .on_doctor = on_doctor,
	                                .on_error = on_error,
	                                .on_rtt = on_rtt};
	char err[256];
	struct cab_link *l = cab_link_new(&cfg, &port, &cb, err, sizeof err);
	if (!l) {
		printf("CONFIG %s\n", err);
		return 4;
	}
	int rc = 1;
	int64_t deadline = cab_mono_ms() + wait_ms;
	printf("SESSION %s\n", session);
	fflush(stdout);
	cab_link_start(l);

	if (!strcmp(mode, "probe")) {
		WAIT_UNTIL(atomic_load(&st_connected) || atomic_load(&st_refused), deadline);
		rc = atomic_load(&st_connected) ? 0 : 3;
		goto out;
	}
	if (!strcmp(mode, "raw")) {
		if (!cfg.test_skip_hello && WAIT_UNTIL(atomic_load(&st_connected), deadline)) {
			printf("FAIL not connected\n");
			goto out;
		}
		if (cfg.test_skip_hello)
			usleep(500000); /* the WebSocket is up before any welcome */
		FILE *f = fopen(raw, "r");
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		while (f && (n = getline(&line, &cap, f)) > 0) {
			if (line[n - 1] == '\n')
				line[--n] = 0;
			if (n)
				cab_link_send_raw(l, line, (size_t)n);
		}
		free(line);
		if (f)
			fclose(f);
		while (cab_mono_ms() < deadline)
			usleep(20000);
		printf("CONNECTED-AT-END %d\n", atomic_load(&st_connected));
		rc = 0;
		goto out;
	}
	put_open();
	cab_link_wake(l);
	if (!strcmp(mode, "requests")) {
		WAIT_UNTIL(atomic_load(&n_requests) >= want_requests, deadline);
		rc = atomic_load(&n_requests) >= want_requests ? 0 : 1;
		goto out;
	}
	put_consent_identity();
	put_readings_a();
	cab_link_wake(l);
	if (!strcmp(mode, "cut")) {
		if (WAIT_UNTIL(all_acked(), deadline)) {
			printf("FAIL first half not acked\n");
			goto out;
		}
		int before = atomic_load(&st_disconnects);
		printf("CUT-NOW\n");
		fflush(stdout);
		if (WAIT_UNTIL(atomic_load(&st_disconnects) > before, deadline)) {
			printf("FAIL no disconnect seen\n");
			goto out;
		}
		int64_t lost = cab_wall_ms();
		put_readings_b(); /* taken while the link is down: they wait in the outbox */
		printf("QUEUED-WHILE-DOWN\n");
		fflush(stdout);
		if (WAIT_UNTIL(atomic_load(&st_connected), deadline)) {
			printf("FAIL not reconnected\n");
			goto out;
		}
		put_incident("link-lost", lost, cab_wall_ms(),
		             "link to the station lost and restored");
	} else {
		put_readings_b();
		put_incident("instrument-error", cab_wall_ms(), 0,
		             "glucometer strip error, measurement repeated");
	}
	put_close();
	cab_link_wake(l);
	if (WAIT_UNTIL(all_acked(), deadline)) {
		size_t p, a;
		cab_outbox_mem_counts(ob, &p, &a, NULL);
		printf("FAIL acked %zu of %zu\n", a, p);
		goto out;
	}
	size_t p, a, s;
	cab_outbox_mem_counts(ob, &p, &a, &s);
	printf("ACKED %zu/%zu sends=%zu\n", a, p, s);
	rc = 0;
out:
	if (sent_path) {
		json_t *o = json_pack("{s:s, s:O}", "session", session, "readings", sent_readings);
		json_dump_file(o, sent_path, JSON_INDENT(1));
		json_decref(o);
	}
	printf("DONE %d\n", rc);
	fflush(stdout);
	cab_link_free(l);
	cab_outbox_mem_free(ob);
	json_decref(sent_readings);
	return rc;
}
