/* test_store_recovery.c — crash recovery on the real store: a session left open by
 * a "crash" (store closed without ending it) is wiped by the store at the next
 * open; the binding then queues exactly one incident for the station (outbox +
 * incident registry), audits it, and clears its marker; running it again does
 * nothing more. A session whose hand-off was queued is not reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/service/store_recovery.h"
#include "kiosk/store/store.h"

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
	struct cab_store_options opt = {.data_dir = dir};
	assert_int_equal(cab_store_open(&opt, &st, msg, sizeof msg), 0);
	return st;
}

static void interrupted_session_reported_once(void **state)
{
	(void)state;
	char dir[] = "/tmp/cabin-srec-XXXXXX", sid[37], cmd[96], p[128];
	struct cab_svc_store_recovery r;
	struct cab_recovery_store rs;
	struct cab_recovery_plan plan;
	struct cab_svc_audit au = {record, NULL};
	assert_non_null(mkdtemp(dir));

	struct cab_store *st = open_store(dir);
	cab_svc_store_recovery_init(&r, st, dir, &rs);
	assert_int_equal(cab_recovery_run(&rs, &au, &plan), 0);
	assert_false(plan.queue_incident); /* nothing to recover at first start */
	assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
	assert_int_equal(cab_svc_store_recovery_begin(&r, sid), 0);
	cab_store_close(st); /* the cabin dies here: the session stays open */

	st = open_store(dir); /* the store wipes it (crash_recovery) */
	struct cab_store_session_info info;
	assert_int_equal(cab_store_session_get(st, sid, &info), 0);
	assert_string_equal(info.state, "wiped");
	cab_svc_store_recovery_init(&r, st, dir, &rs);
	n_events = 0;
	assert_int_equal(cab_recovery_run(&rs, &au, &plan), 0);
	assert_true(plan.queue_incident);
	assert_string_equal(plan.incident, "session-interrupted");
	struct cab_store_outbox_counts c;
	assert_int_equal(cab_store_outbox_counts(st, &c), 0);
	assert_int_equal(c.pending, 1);
	assert_int_equal(cab_store_incident_count(st, sid), 1);
	char want[128];
	snprintf(want, sizeof want, "system recovery.interrupted session=%s", sid);
	assert_string_equal(events[0], want);
	snprintf(p, sizeof p, "%s/session.open", dir);
	assert_int_equal(access(p, F_OK), -1);

	/* Again (e.g. recovery itself was interrupted before clearing the marker). */
	assert_int_equal(cab_svc_store_recovery_begin(&r, sid), 0);
	assert_int_equal(cab_recovery_run(&rs, &au, &plan), 0);
	assert_int_equal(cab_store_outbox_counts(st, &c), 0);
	assert_int_equal(c.pending, 1);
	assert_int_equal(cab_store_incident_count(st, sid), 1);

	/* A session whose hand-off was queued (closing) is not an interruption. */
	assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
	assert_int_equal(cab_svc_store_recovery_begin(&r, sid), 0);
	assert_int_equal(cab_store_session_close(st, sid, CAB_OUTCOME_COMPLETED, NULL,
	                                         "{\"type\":\"session_close\"}"), 0);
	cab_store_close(st);
	st = open_store(dir);
	cab_svc_store_recovery_init(&r, st, dir, &rs);
	assert_int_equal(cab_recovery_run(&rs, &au, &plan), 0);
	assert_false(plan.queue_incident || plan.abort_session || plan.wipe);
	assert_int_equal(cab_store_incident_count(st, sid), 0);
	assert_int_equal(access(p, F_OK), -1);
	/* ... and its hand-off is still on its way (not wiped by recovery). */
	assert_int_equal(cab_store_session_get(st, sid, &info), 0);
	assert_string_equal(info.state, "closing");
	assert_int_equal(cab_store_outbox_counts(st, &c), 0);
	assert_int_equal(c.pending, 2);
	cab_store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(interrupted_session_reported_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
