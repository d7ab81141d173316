/* test_staff_modes.c — the pharmacist overlay (PIN pad, actions, 60 s close), the
 * cleaning wait (PIN confirmation or maximum time, skipped) and the technician's
 * hidden gesture, with an injected clock and the exact audit events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/staff/cleaning.h"
#include "kiosk/staff/gesture.h"
#include "kiosk/staff/pharmacist.h"

struct fx {
	char dir[64];
	int64_t now;
	char ev[64][96];
	int n;
	struct cab_creds c;
	int performed[CAB_PHARM_ACTIONS];
	int refuse; /* action that the fake flow refuses */
};

static int64_t fake_now(void *u)
{
	return ((struct fx *)u)->now;
}
static void record(void *u, enum cab_role who, const char *what, const char *detail)
{
	struct fx *f = u;
	if (f->n < 64)
		snprintf(f->ev[f->n++], sizeof f->ev[0], "%s %s%s%s", cab_role_name(who), what,
		         *detail ? " " : "", detail);
}
static int perform(void *u, enum cab_pharm_action a, int arg)
{
	struct fx *f = u;
	(void)arg;
	if ((int)a == f->refuse)
		return -EBUSY;
	f->performed[a]++;
	return 0;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct cab_clock clk = {fake_now, f};
	struct cab_svc_audit au = {record, f};
	snprintf(f->dir, sizeof f->dir, "/tmp/cabin-staff-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->now = 5000;
	f->refuse = -1;
	assert_int_equal(cab_creds_open(&f->c, f->dir, &clk, &au), 0);
	f->c.params = (struct cab_scrypt_params){10, 8, 1};
	assert_int_equal(cab_creds_set(&f->c, CAB_ROLE_PHARMACIST, "482915", NULL), 0);
	f->n = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-private'", f->dir, f->dir); /* and the key's directory */
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void type_pin(struct cab_pharm *p, const char *pin)
{
	for (const char *c = pin; *c; c++)
		cab_pharm_digit(p, *c - '0');
}

static void overlay_pin_actions_timeout(void **state)
{
	struct fx *f = *state;
	struct cab_pharm p;
	struct cab_pharm_actions acts = {perform, f};
	cab_pharm_init(&p, &f->c, NULL, NULL, &acts);
	assert_int_equal(p.state, CAB_PHARM_CLOSED);
	assert_int_equal(cab_pharm_act(&p, CAB_PHARM_START_SESSION, 0), -EPERM);

	cab_pharm_request(&p);
	assert_int_equal(p.state, CAB_PHARM_PIN);
	type_pin(&p, "4829");
	cab_pharm_erase(&p);
	assert_string_equal(p.pin, "482");
	type_pin(&p, "916");
	assert_int_equal(cab_pharm_submit(&p), CAB_AUTH_WRONG);
	assert_int_equal(p.state, CAB_PHARM_PIN);
	assert_int_equal(p.pin_len, 0);
	type_pin(&p, "4829150000000"); /* 13 digits: the 13th is ignored */
	assert_int_equal(p.pin_len, CAB_PIN_MAX);
	for (int i = 0; i < 6; i++)
		cab_pharm_erase(&p);
	assert_string_equal(p.pin, "482915");
	assert_int_equal(cab_pharm_submit(&p), CAB_AUTH_OK);
	assert_int_equal(p.state, CAB_PHARM_OPEN);

	assert_int_equal(cab_pharm_act(&p, CAB_PHARM_START_SESSION, 0), 0);
	f->refuse = CAB_PHARM_CANCEL_SESSION;
	assert_int_equal(cab_pharm_act(&p, CAB_PHARM_CANCEL_SESSION, 0), -EBUSY);
	assert_int_equal(cab_pharm_act(&p, CAB_PHARM_REDO_MEASUREMENT, 2), 0);
	assert_int_equal(f->performed[CAB_PHARM_START_SESSION], 1);
	assert_int_equal(f->performed[CAB_PHARM_REDO_MEASUREMENT], 1);

	/* 60 s without a touch close it; a touch at 59 s restarts the count. */
	f->now += 59999;
	assert_false(cab_pharm_poll(&p));
	cab_pharm_touch(&p);
	f->now += 59999;
	assert_false(cab_pharm_poll(&p));
	f->now += 1;
	assert_true(cab_pharm_poll(&p));
	assert_int_equal(p.state, CAB_PHARM_CLOSED);

	/* The pad alone also closes after 60 s, without an overlay event. */
	cab_pharm_request(&p);
	type_pin(&p, "48");
	f->now += 60000;
	assert_true(cab_pharm_poll(&p));
	assert_int_equal(p.pin_len, 0);
	cab_pharm_request(&p);
	type_pin(&p, "482915");
	assert_int_equal(cab_pharm_submit(&p), CAB_AUTH_OK);
	cab_pharm_close(&p);

	const char *expect[] = {
		"pharmacist auth.fail tries=1",
		"pharmacist auth.ok",
		"pharmacist overlay.open",
		"pharmacist pharmacist.start_session arg=0 ok=1",
		"pharmacist pharmacist.cancel_session arg=0 ok=0",
		"pharmacist pharmacist.redo_measurement arg=2 ok=1",
		"pharmacist overlay.timeout idle_s=60",
		"pharmacist auth.ok",
		"pharmacist overlay.open",
		"pharmacist overlay.close",
	};
	assert_int_equal(f->n, sizeof expect / sizeof *expect);
	for (int i = 0; i < f->n; i++)
		assert_string_equal(f->ev[i], expect[i]);
}

static void overlay_lockout(void **state)
{
	struct fx *f = *state;
	struct cab_pharm p;
	cab_pharm_init(&p, &f->c, NULL, NULL, NULL);
	cab_pharm_request(&p);
	for (int i = 0; i < 5; i++) {
		type_pin(&p, "111112");
		cab_pharm_submit(&p);
	}
	assert_int_equal(p.last, CAB_AUTH_LOCKED);
	assert_int_equal(p.locked_ms, 60000);
	cab_pharm_close(&p);
	f->now += 10000;
	cab_pharm_request(&p);
	assert_int_equal(p.locked_ms, 50000); /* the pad shows the lock at once */
	type_pin(&p, "482915");
	assert_int_equal(cab_pharm_submit(&p), CAB_AUTH_LOCKED);
	assert_int_equal(p.state, CAB_PHARM_PIN);
}

static void cleaning_confirmed_or_skipped(void **state)
{
	struct fx *f = *state;
	struct cab_cleaning c;
	int64_t wait;
	cab_cleaning_init(&c, &f->c, 10 * 60 * 1000, NULL, NULL);
	assert_false(c.active);
	cab_cleaning_start(&c, "s-0001");
	assert_true(c.active);
	f->now += 90 * 1000;
	assert_int_equal(cab_cleaning_elapsed_s(&c), 90);
	assert_int_equal(cab_cleaning_confirm(&c, "000001", &wait), CAB_AUTH_WRONG);
	assert_true(c.active);
	assert_int_equal(cab_cleaning_confirm(&c, "482915", &wait), CAB_AUTH_OK);
	assert_false(c.active);
	assert_false(cab_cleaning_poll(&c));

	cab_cleaning_start(&c, "s-0002");
	f->now += 10 * 60 * 1000 - 1;
	assert_false(cab_cleaning_poll(&c));
	f->now += 1;
	assert_true(cab_cleaning_poll(&c));
	assert_false(c.active);
	assert_int_equal(cab_cleaning_confirm(&c, "482915", &wait), CAB_AUTH_ERROR);

	/* max 0: waits for the PIN however long. */
	cab_cleaning_init(&c, &f->c, 0, NULL, NULL);
	cab_cleaning_start(&c, "s-0003");
	f->now += 24LL * 3600 * 1000;
	assert_false(cab_cleaning_poll(&c));
	assert_true(c.active);

	const char *expect[] = {
		"system cleaning.started session=s-0001",
		"pharmacist auth.fail tries=1",
		"pharmacist auth.ok",
		"pharmacist cleaning.confirmed session=s-0001 after_s=90",
		"system cleaning.started session=s-0002",
		"system cleaning.skipped session=s-0002 after_s=600",
		"system cleaning.started session=s-0003",
	};
	assert_int_equal(f->n, sizeof expect / sizeof *expect);
	for (int i = 0; i < f->n; i++)
		assert_string_equal(f->ev[i], expect[i]);
}

static void hidden_gesture(void **state)
{
	(void)state;
	struct cab_gesture g = {0};
	cab_gesture_down(&g, 20, 30, 1000);
	assert_false(cab_gesture_poll(&g, 3999));
	cab_gesture_move(&g, 40, 50); /* within 24 px */
	assert_true(cab_gesture_poll(&g, 4000));
	assert_false(cab_gesture_poll(&g, 5000)); /* once per press */
	cab_gesture_up(&g);
	/* Outside the corner. */
	cab_gesture_down(&g, 96, 10, 0);
	assert_false(cab_gesture_poll(&g, 10000));
	/* Moved away. */
	cab_gesture_down(&g, 10, 10, 0);
	cab_gesture_move(&g, 10, 35);
	assert_false(cab_gesture_poll(&g, 10000));
	/* Released early. */
	cab_gesture_down(&g, 10, 10, 0);
	cab_gesture_up(&g);
	assert_false(cab_gesture_poll(&g, 10000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(overlay_pin_actions_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(overlay_lockout, setup, teardown),
		cmocka_unit_test_setup_teardown(cleaning_confirmed_or_skipped, setup, teardown),
		cmocka_unit_test(hidden_gesture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
