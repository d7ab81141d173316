/* test_recovery.c — start-up recovery (kiosk/service/recovery.h) on the real store:
 * a session the cabin stopped during, after consent and readings, first delivers
 * what was queued (in order, still sealed), then its incident and its session_close
 * reason "interrupted"; the acknowledgement of that close wipes it. A session the
 * station never knew (no consent) is wiped at once. Personal data unsent after
 * store.outbox_max_age_s is wiped and the loss recorded (cab_store_outbox_expire). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/link/outbox_port.h"
#include "kiosk/service/recovery.h"
#include "kiosk/store/store.h"

static int64_t fake_now = 1767225600000; /* 2026-01-01T00:00:00Z */
static int64_t clock_ms(void *u)
{
	(void)u;
	return fake_now;
}

static char events[8][128];
static int n_events;
static void record(void *user, enum cab_role who, const char *what, const char *detail)
{
	(void)user;
	snprintf(events[n_events++ % 8], sizeof events[0], "%s %s %s", cab_role_name(who), what, detail);
}

static struct cab_store *open_store(const char *dir)
{
	struct cab_store *st = NULL;
	char msg[256];
	struct cab_store_options opt = {.data_dir = dir, .wall_ms = clock_ms};
	assert_int_equal(cab_store_open(&opt, &st, msg, sizeof msg), 0);
	return st;
}

/* The binding the application makes (kiosk/app/bind_service.c), with fixed bodies. */
static int find_open(void *user, char sid[CAB_RECOVERY_ID_MAX])
{
	char id[37];
	int rc = cab_store_session_find_open(user, id);
	if (rc == CAB_STORE_NOTFOUND)
		return 1;
	snprintf(sid, CAB_RECOVERY_ID_MAX, "%s", id);
	return rc ? -EIO : 0;
}
static int interrupt(void *user, const char *sid)
{
	char iid[37], cid[37];
	cab_uuid_v4(iid);
	cab_uuid_v4(cid);
	int rc = cab_store_session_interrupt(user, sid, iid, "{\"type\":\"incident\"}", cid,
	                                     "{\"type\":\"session_close\",\"reason\":\"interrupted\"}");
	return rc < 0 ? -EIO : rc;
}

static void interrupted_session_delivers_then_wipes(void **state)
{
	(void)state;
	char dir[] = "/tmp/cabin-rec-XXXXXX", sid[37], quiet[37], cmd[96], want[128];
	struct cab_svc_audit au = {record, NULL};
	struct cab_recovery_result res;
	assert_non_null(mkdtemp(dir));

	struct cab_store *st = open_store(dir);
	struct cab_recovery_store rs = {find_open, interrupt, st};
	assert_int_equal(cab_recovery_run(&rs, &au, &res), 0);
	assert_int_equal(res.delivering + res.wiped, 0); /* nothing at first start */
	/* A consented session: session_open, consent and two readings queued. */
	assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
	assert_int_equal(cab_store_outbox_put(st, sid, "session_open", "{\"o\":1}", 0, NULL, NULL), 0);
	assert_int_equal(cab_store_outbox_put(st, sid, "consent", "{\"c\":1}", 1, NULL, NULL), 0);
	assert_int_equal(cab_store_outbox_put(st, sid, "reading", "{\"t\":36.8}", 1, NULL, NULL), 0);
	assert_int_equal(cab_store_outbox_put(st, sid, "reading", "{\"w\":72.4}", 1, NULL, NULL), 0);
	/* A second session that never reached consent. */
	fake_now += 1000;
	assert_int_equal(cab_store_session_begin(st, "fr", quiet), 0);
	cab_store_close(st); /* the cabin dies here: both sessions stay open */

	st = open_store(dir);
	rs.user = st;
	struct cab_store_session_info info;
	assert_int_equal(cab_store_session_get(st, sid, &info), 0);
	assert_string_equal(info.state, "open"); /* opening the store alone changes nothing */
	n_events = 0;
	assert_int_equal(cab_recovery_run(&rs, &au, &res), 0);
	assert_int_equal(res.delivering, 1);
	assert_int_equal(res.wiped, 1);
	snprintf(want, sizeof want, "system recovery.interrupted session=%s delivering", sid);
	assert_string_equal(events[0], want);
	snprintf(want, sizeof want, "system recovery.interrupted session=%s wiped", quiet);
	assert_string_equal(events[1], want);
	assert_int_equal(cab_store_session_get(st, sid, &info), 0);
	assert_string_equal(info.state, "closing");
	assert_string_equal(info.outcome, "interrupted");
	assert_int_equal(cab_store_session_get(st, quiet, &info), 0);
	assert_string_equal(info.state, "wiped");
	assert_string_equal(info.outcome, "interrupted");
	assert_int_equal(cab_store_incident_count(st, sid), 1);

	/* The link's view: what the patient agreed to send, readable, in order, then the
	 * incident, then the close. */
	struct cab_outbox_port port;
	struct cab_outbox_item it[8];
	memset(it, 0, sizeof it);
	cab_store_outbox_port(st, &port);
	int n = port.pending(port.user, 0, fake_now, it, 8);
	assert_int_equal(n, 6);
	const char *types[] = {"session_open", "consent", "reading", "reading", "incident", "session_close"};
	for (int i = 0; i < n; i++)
		assert_string_equal(it[i].type, types[i]);
	assert_string_equal(it[2].body, "{\"t\":36.8}");
	assert_string_equal(it[3].body, "{\"w\":72.4}");
	for (int i = 0; i < n; i++)
		assert_int_equal(port.acked(port.user, it[i].id), 0);
	assert_int_equal(cab_store_session_get(st, sid, &info), 0);
	assert_string_equal(info.state, "wiped"); /* the close's acknowledgement wiped it */
	for (int i = 0; i < n; i++)
		cab_outbox_item_clear(&it[i]);
	/* Again: nothing left to recover. */
	assert_int_equal(cab_recovery_run(&rs, &au, &res), 0);
	assert_int_equal(res.delivering + res.wiped, 0);
	cab_store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-private'", dir, dir); /* and the key's directory */
	assert_int_equal(system(cmd), 0);
}

static char expired_sid[37];
static int64_t expired_age;
static void on_expired(void *user, const char *sid, int64_t age_ms)
{
	(void)user;
	snprintf(expired_sid, sizeof expired_sid, "%s", sid);
	expired_age = age_ms;
}

static void unsent_data_expires(void **state)
{
	(void)state;
	char dir[] = "/tmp/cabin-exp-XXXXXX", sid[37], cmd[96];
	assert_non_null(mkdtemp(dir));
	struct cab_store *st = open_store(dir);
	assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
	assert_int_equal(cab_store_outbox_put(st, sid, "session_open", "{}", 0, NULL, NULL), 0);
	assert_int_equal(cab_store_outbox_put(st, sid, "reading", "{\"t\":36.8}", 1, NULL, NULL), 0);
	fake_now += 21599 * 1000LL; /* one second short of 6 h */
	assert_int_equal(cab_store_outbox_expire(st, 21600 * 1000LL, on_expired, NULL), 0);
	fake_now += 1000;
	assert_int_equal(cab_store_outbox_expire(st, 21600 * 1000LL, on_expired, NULL), 1);
	assert_string_equal(expired_sid, sid);
	assert_int_equal(expired_age, 21600 * 1000LL);
	struct cab_store_session_info info;
	assert_int_equal(cab_store_session_get(st, sid, &info), 0);
	assert_string_equal(info.state, "wiped");
	struct cab_store_outbox_counts c;
	assert_int_equal(cab_store_outbox_counts(st, &c), 0);
	assert_int_equal(c.dropped, 1); /* the reading; session_open (not personal) still goes */
	assert_int_equal(c.pending, 1);
	assert_int_equal(cab_store_incident_count(st, sid), 1);
	assert_int_equal(cab_store_outbox_expire(st, 21600 * 1000LL, on_expired, NULL), 0);
	cab_store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-private'", dir, dir); /* and the key's directory */
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(interrupted_session_delivers_then_wipes),
		cmocka_unit_test(unsent_data_expires),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
