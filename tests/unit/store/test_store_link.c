/* test_store_link.c — the store's outbox port under the real link (kiosk/link) and
 * the station engine (doctor/station.c) on loopback with certificates from
 * scripts/make-certs: a whole session queued (session_open, identity, 20 encrypted
 * readings, session_close), the cabin restarted half-way (link and store closed and
 * reopened), then everything acknowledged exactly once as far as the store is
 * concerned, the station's hand-off Bundle written, and the session wiped in the
 * cabin's files. The station runs in a forked child (its own process, as
 * cabin-doctor would), killed at the end. Runs from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "doctor/station.h"
#include "kiosk/link/fhir_observation.h"
#include "kiosk/link/link.h"
#include "kiosk/store/store.h"
#include "log.h"
#include "store_testlib.h"

#define N_READ 20

static atomic_int acked_count;
static int bundle_fd = -1; /* child -> parent: the Bundle's path, one line */

static void on_acked(const char *id, void *u)
{
	(void)id;
	(void)u;
	atomic_fetch_add(&acked_count, 1);
}

static void on_station(const struct cab_station_event *ev, void *u)
{
	(void)u;
	if (ev->kind == CAB_SEV_BUNDLE && ev->text)
		dprintf(bundle_fd, "%s\n", ev->text);
}

/* Forks the station; returns its pid, *PORT its port; BUNDLE_READ gets the pipe. */
static pid_t fork_station(const struct cab_station_config *sc, int *port, int *bundle_read)
{
	int pp[2], pb[2];
	assert_int_equal(pipe(pp), 0);
	assert_int_equal(pipe(pb), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[256];
		close(pp[0]);
		close(pb[0]);
		bundle_fd = pb[1];
		struct cab_station *station = cab_station_new(sc, on_station, NULL, err, sizeof err);
		if (!station) {
			fprintf(stderr, "station: %s\n", err);
			_exit(1);
		}
		dprintf(pp[1], "%d\n", cab_station_port(station));
		close(pp[1]);
		cab_station_run(station); /* until killed */
		_exit(0);
	}
	close(pp[1]);
	close(pb[1]);
	char buf[16] = "";
	ssize_t n = read(pp[0], buf, sizeof buf - 1);
	close(pp[0]);
	assert_true(n > 0);
	*port = atoi(buf);
	*bundle_read = pb[0];
	return pid;
}

/* Queues MSG (whose "id" is set here) for session SID. */
static void put(struct cab_store *st, const char *sid, enum cab_msg_type type,
                const char *tname, json_t *fields, int personal)
{
	char id[37];
	assert_int_equal(cab_uuid_v4(id), 0);
	json_t *m = cab_msg_new(type, id);
	json_object_set_new(m, "session", json_string(sid));
	json_object_update(m, fields);
	json_decref(fields);
	char *body = cab_msg_dump_take(m);
	assert_non_null(body);
	assert_int_equal(cab_store_outbox_put(st, sid, tname, body, personal, id, NULL), 0);
	free(body);
}

/* The first run of the cabin hands out only BUDGET messages, so that it stops
 * half-way however fast the machine is: a pass-through port around the store's. */
static struct cab_outbox_port inner;
static int budget; /* messages the link may still get; -1 = unlimited */

static int gated_pending(void *user, int64_t after_seq, int64_t now_ms,
                         struct cab_outbox_item *items, int max)
{
	if (budget >= 0 && max > budget)
		max = budget;
	if (max == 0)
		return 0;
	int n = inner.pending(user, after_seq, now_ms, items, max);
	if (budget >= 0 && n > 0)
		budget -= n;
	return n;
}

static struct cab_link *start_link(struct cab_store *link_store, const char *certs, int port)
{
	static struct cab_outbox_port p;
	char url[64], cert[300], key[300], ca[300], err[256];
	cab_store_outbox_port(link_store, &inner);
	p = inner;
	p.pending = gated_pending;
	snprintf(url, sizeof url, "wss://127.0.0.1:%d/", port);
	snprintf(cert, sizeof cert, "%s/cabin.pem", certs);
	snprintf(key, sizeof key, "%s/cabin.key", certs);
	snprintf(ca, sizeof ca, "%s/ca.pem", certs);
	struct cab_link_config cfg = {.url = url, .cert = cert, .key = key, .ca = ca,
	                              .backoff_min_ms = 50, .backoff_max_ms = 500};
	snprintf(cfg.cabin.id, sizeof cfg.cabin.id, "CABIN-STORE");
	snprintf(cfg.cabin.phone, sizeof cfg.cabin.phone, "+33100000001");
	struct cab_link_callbacks cb = {.on_acked = on_acked};
	struct cab_link *l = cab_link_new(&cfg, &p, &cb, err, sizeof err);
	if (!l)
		fail_msg("cab_link_new: %s", err);
	assert_int_equal(cab_link_start(l), 0);
	return l;
}

static void session_through_link_with_a_cabin_restart(void **state)
{
	(void)state;
	char dir[256], cmd[700], certs[300], cdata[300], sdata[300], p1[400], p2[400], p3[400];
	char t[40], sid[37], hid[37];
	tl_mkdtemp(dir);
	snprintf(cmd, sizeof cmd, "scripts/make-certs %s/certs --cabin-id CABIN-STORE >/dev/null 2>&1",
	         dir);
	assert_int_equal(system(cmd), 0);
	snprintf(certs, sizeof certs, "%s/certs", dir);
	snprintf(cdata, sizeof cdata, "%s/cabin", dir);
	snprintf(sdata, sizeof sdata, "%s/station", dir);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s'", sdata);
	assert_int_equal(system(cmd), 0);

	/* The station. */
	snprintf(p1, sizeof p1, "%s/station.pem", certs);
	snprintf(p2, sizeof p2, "%s/station.key", certs);
	snprintf(p3, sizeof p3, "%s/ca.pem", certs);
	struct cab_station_config sc = {.host = "127.0.0.1", .cert = p1, .key = p2, .ca = p3,
	                                .data_dir = sdata, .name = "test"};
	snprintf(sc.doctor.name, sizeof sc.doctor.name, "Dr Synthetic");
	int port = 0, bundle_read = -1;
	pid_t station = fork_station(&sc, &port, &bundle_read);

	/* The whole session queued in the store, as the kiosk would. */
	struct cab_store *st = tl_open(cdata);
	struct cab_store_identity id, idr;
	tl_patient(&id);
	assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
	assert_int_equal(cab_store_identity_put(st, sid, &id), 0);
	put(st, sid, CAB_MSG_SESSION_OPEN, "session_open",
	    json_pack("{s:s}", "time", cab_time_rfc3339(cab_wall_ms(), t, sizeof t)), 0);
	assert_int_equal(cab_store_identity_get(st, sid, &idr), 0);
	put(st, sid, CAB_MSG_IDENTITY, "identity",
	    json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:s}}", "patient", "birth_name", idr.birth_name,
	              "first_names", idr.first_names, "birth_date", idr.birth_date, "sex", "female",
	              "birth_place_insee", idr.birth_place, "phone", idr.phone), 1);
	for (int i = 0; i < N_READ; i++) {
		struct cab_reading r;
		tl_reading(&r, cab_wall_ms());
		r.value = 90 + i % 10;
		assert_int_equal(cab_store_reading_put(st, sid, &r, NULL), 0);
		put(st, sid, CAB_MSG_READING, "reading",
		    json_pack("{s:I, s:o, s:o}", "mdc", (json_int_t)r.mdc, "device",
		              cab_fhir_device_json(&r.device), "observation",
		              cab_fhir_observation(&r, NULL)), 1);
	}
	assert_int_equal(cab_uuid_v4(hid), 0);
	json_t *m = cab_msg_new(CAB_MSG_SESSION_CLOSE, hid);
	json_object_set_new(m, "session", json_string(sid));
	json_object_set_new(m, "time", json_string(cab_time_rfc3339(cab_wall_ms(), t, sizeof t)));
	json_object_set_new(m, "reason", json_string("completed"));
	char *body = cab_msg_dump_take(m);
	assert_int_equal(cab_store_session_close(st, sid, CAB_OUTCOME_COMPLETED, hid, body), 0);
	free(body);
	const int total = N_READ + 3;

	/* First run of the cabin: 10 messages handed out, 8 acknowledged at least. */
	struct cab_store *ls = NULL;
	assert_int_equal(cab_store_outbox_open(st, &ls), 0);
	budget = 10;
	struct cab_link *link = start_link(ls, certs, port);
	int64_t t0 = cab_mono_ms();
	while (atomic_load(&acked_count) < 8 && cab_mono_ms() - t0 < 30000)
		usleep(2000);
	assert_true(atomic_load(&acked_count) >= 8);
	cab_link_free(link);
	cab_store_close(ls);
	cab_store_close(st);

	/* Second run: the closing session and its unacknowledged messages are still there. */
	st = tl_open(cdata);
	struct cab_store_session_info info;
	struct cab_store_outbox_counts c;
	assert_int_equal(cab_store_session_get(st, sid, &info), 0);
	assert_string_equal(info.state, "closing");
	assert_int_equal(cab_store_outbox_counts(st, &c), 0);
	assert_true(c.done >= 8 && c.done <= 10);
	assert_int_equal(c.done + c.pending, total);
	assert_int_equal(cab_store_outbox_open(st, &ls), 0);
	budget = -1;
	link = start_link(ls, certs, port);
	t0 = cab_mono_ms();
	do {
		usleep(20000);
		assert_int_equal(cab_store_session_get(st, sid, &info), 0);
	} while (strcmp(info.state, "wiped") && cab_mono_ms() - t0 < 60000);
	cab_link_free(link);
	cab_store_close(ls);
	assert_string_equal(info.state, "wiped");
	assert_string_equal(info.outcome, "completed");
	assert_int_equal(cab_store_outbox_counts(st, &c), 0);
	assert_int_equal(c.done, total);
	assert_int_equal(c.pending + c.dropped, 0);
	cab_store_close(st);

	/* The station wrote the hand-off Bundle, with the patient in it. */
	char bundle_path[600] = "";
	FILE *bf = fdopen(bundle_read, "r");
	assert_non_null(fgets(bundle_path, sizeof bundle_path, bf));
	fclose(bf);
	bundle_path[strcspn(bundle_path, "\n")] = 0;
	kill(station, SIGKILL);
	waitpid(station, NULL, 0);
	assert_int_equal(tl_file_contains_text(bundle_path, "ZORGLUBOVSKI"), 1);
	/* The cabin keeps nothing of the patient. */
	const char *sfx[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char f[400];
		snprintf(f, sizeof f, "%s/cabin.db%s", cdata, sfx[i]);
		assert_int_equal(tl_file_contains_text(f, "ZORGLUBOVSKI"), 0);
		assert_int_equal(tl_file_contains_text(f, "699887766"), 0);
	}
	tl_rmrf(dir);
}

int main(void)
{
	cab_log_set_level(CAB_LOG_ERROR);
	if (access("scripts/make-certs", X_OK) != 0) {
		printf("1..0 # SKIP run from the repository root (scripts/make-certs needed)\n");
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(session_through_link_with_a_cabin_restart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
