/* test_recovery.c — start-up recovery: the decision table and the order of the
 * store calls, with their audit events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/service/recovery.h"

static void decision_table(void **state)
{
	(void)state;
	struct cab_recovery_facts f = {0};
	struct cab_recovery_plan p = cab_recovery_decide(&f);
	assert_false(p.queue_incident || p.abort_session || p.wipe);
	assert_null(p.incident);

	f.patient_data_left = true; /* a wipe cut short */
	p = cab_recovery_decide(&f);
	assert_false(p.queue_incident || p.abort_session);
	assert_true(p.wipe);

	f.session_open = true; /* interrupted session */
	p = cab_recovery_decide(&f);
	assert_true(p.queue_incident && p.abort_session && p.wipe);
	assert_string_equal(p.incident, "session-interrupted");

	f.handoff_acked = true; /* the station has the record: only the closing wipe missed */
	p = cab_recovery_decide(&f);
	assert_false(p.queue_incident);
	assert_true(p.abort_session && p.wipe);
}

struct fake {
	struct cab_recovery_facts facts;
	char calls[8][96];
	int n;
	int fail_at; /* call number that fails, 0 = none */
};

static int called(struct fake *f, const char *op, const char *a, const char *b)
{
	snprintf(f->calls[f->n], sizeof f->calls[0], "%s%s%s%s%s", op, *a ? " " : "", a, *b ? " " : "", b);
	return ++f->n == f->fail_at ? -EIO : 0;
}
static int inspect(void *u, struct cab_recovery_facts *out)
{
	struct fake *f = u;
	*out = f->facts;
	return called(f, "inspect", "", "");
}
static int incident(void *u, const char *id, const char *code)
{
	return called(u, "incident", id, code);
}
static int abort_s(void *u, const char *id)
{
	return called(u, "abort", id, "");
}
static int wipe(void *u, const char *id)
{
	return called(u, "wipe", id, "");
}

static char audit_log[8][96];
static int n_audit;
static void record(void *user, enum cab_role who, const char *what, const char *detail)
{
	(void)user;
	snprintf(audit_log[n_audit++], sizeof audit_log[0], "%s %s %s", cab_role_name(who), what, detail);
}

static void run_in_order(void **state)
{
	(void)state;
	struct fake f = {0};
	struct cab_recovery_store st = {inspect, incident, abort_s, wipe, &f};
	struct cab_svc_audit au = {record, NULL};
	struct cab_recovery_plan plan;
	f.facts.session_open = true;
	snprintf(f.facts.session_id, sizeof f.facts.session_id, "s-7f3a");
	n_audit = 0;
	assert_int_equal(cab_recovery_run(&st, &au, &plan), 0);
	assert_true(plan.queue_incident);
	assert_int_equal(f.n, 4);
	assert_string_equal(f.calls[0], "inspect");
	assert_string_equal(f.calls[1], "incident s-7f3a session-interrupted");
	assert_string_equal(f.calls[2], "abort s-7f3a");
	assert_string_equal(f.calls[3], "wipe s-7f3a");
	assert_int_equal(n_audit, 2);
	assert_string_equal(audit_log[0], "system recovery.interrupted session=s-7f3a");
	assert_string_equal(audit_log[1], "system recovery.wiped session=s-7f3a");

	/* A failing step stops the sequence (the next start retries). */
	memset(&f.calls, 0, sizeof f.calls);
	f.n = 0;
	f.fail_at = 2;
	n_audit = 0;
	assert_int_equal(cab_recovery_run(&st, &au, NULL), -EIO);
	assert_int_equal(f.n, 2);
	assert_int_equal(n_audit, 1);

	/* Nothing to do: only inspect. */
	memset(&f, 0, sizeof f);
	n_audit = 0;
	assert_int_equal(cab_recovery_run(&st, NULL, &plan), 0);
	assert_int_equal(f.n, 1);
	assert_false(plan.wipe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decision_table),
		cmocka_unit_test(run_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
