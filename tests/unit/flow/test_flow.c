/* test_flow.c — the patient flow's table, guards, timeouts, countdown, emergency
 * notice and observers, with an injected clock. The expected transitions are written
 * out here independently of kiosk/flow/flow_table.c, and every (state, event) pair
 * is tried against them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/flow/flow.h"
#include "log.h"

#define WALL0 1795959900000LL /* 2026-11-29T13:45:00Z */

static int64_t now_ms;
static int64_t fake_mono(void *user)
{
	(void)user;
	return now_ms;
}
static int64_t fake_wall(void *user)
{
	(void)user;
	return WALL0 + now_ms;
}

static struct cab_flow_config test_config(void)
{
	struct cab_flow_config cfg;
	cab_flow_config_defaults(&cfg);
	cfg.clock = (struct cab_clock){fake_mono, NULL};
	cfg.wall = (struct cab_clock){fake_wall, NULL};
	return cfg;
}

static struct cab_flow *new_flow(void)
{
	now_ms = 1000;
	struct cab_flow_config cfg = test_config();
	struct cab_flow *f = cab_flow_new(&cfg);
	assert_non_null(f);
	return f;
}

/* A synthetic identity that passes cab_identity_check(). */
static struct cab_identity synthetic_identity(void)
{
	struct cab_identity id;
	memset(&id, 0, sizeof id);
	strcpy(id.birth_name, "Testeur");
	strcpy(id.first_names, "Alex Camille");
	id.birth_date = (struct cab_date){1984, 12, 3};
	id.sex = CAB_SEX_MALE;
	id.birthplace.kind = CAB_PLACE_COMMUNE;
	strcpy(id.birthplace.code, "75056");
	strcpy(id.birthplace.name, "Paris");
	strcpy(id.phone, "+33612345678");
	return id;
}

static void record_consent(struct cab_flow *f)
{
	assert_int_equal(cab_session_record_consent(cab_flow_session(f), "consent-test-v1",
	                                            CAB_ANSWER_YES, CAB_ANSWER_YES,
	                                            WALL0 + now_ms), 0);
}

static void set_identity(struct cab_flow *f)
{
	struct cab_identity id = synthetic_identity();
	assert_int_equal(cab_session_set_identity(cab_flow_session(f), &id,
	                                          (struct cab_date){2026, 11, 29}, NULL),
	                 CAB_ID_OK);
}

static void ev(struct cab_flow *f, enum cab_flow_event e)
{
	assert_int_equal(cab_flow_handle(f, e), CAB_FLOW_HANDLED);
}

/* Drives a fresh flow to TARGET along the journey, satisfying every rule. */
static void drive_to(struct cab_flow *f, enum cab_flow_state target)
{
	static const enum cab_flow_event path[] = {
		CAB_EV_START, CAB_EV_LANGUAGE_CHOSEN, CAB_EV_INFORMATION_READ,
		CAB_EV_CONSENT_GIVEN, CAB_EV_IDENTITY_VALID, CAB_EV_CHECKS_PASSED,
		CAB_EV_DOCTOR_JOINED, CAB_EV_CONSULTATION_ENDED,
	};
	if (target == CAB_FLOW_WIPE) {
		ev(f, CAB_EV_ABORT);
		assert_int_equal(cab_flow_state(f), CAB_FLOW_WIPE);
		return;
	}
	if (target == CAB_FLOW_ENDED) {
		drive_to(f, CAB_FLOW_CONSENT);
		ev(f, CAB_EV_CONSENT_DECLINED);
		assert_int_equal(cab_flow_state(f), CAB_FLOW_ENDED);
		return;
	}
	for (size_t i = 0; cab_flow_state(f) != target; i++) {
		assert_true(i < sizeof path / sizeof path[0]);
		if (path[i] == CAB_EV_CONSENT_GIVEN)
			record_consent(f);
		if (path[i] == CAB_EV_IDENTITY_VALID)
			set_identity(f);
		ev(f, path[i]);
	}
}

/* ---- the expected table, written out from DESIGN.md's patient flow ---------- */

struct expect {
	enum cab_flow_state state;
	enum cab_flow_event event;
	enum cab_flow_state next;
};

#define S(x) CAB_FLOW_##x
#define E(x) CAB_EV_##x
static const struct expect journey[] = {
	{S(ATTRACT), E(START), S(LANGUAGE)},
	{S(LANGUAGE), E(LANGUAGE_CHOSEN), S(INFORMATION)},
	{S(LANGUAGE), E(BACK), S(ATTRACT)},
	{S(INFORMATION), E(INFORMATION_READ), S(CONSENT)},
	{S(INFORMATION), E(BACK), S(LANGUAGE)},
	{S(CONSENT), E(CONSENT_GIVEN), S(IDENTITY)},
	{S(CONSENT), E(CONSENT_DECLINED), S(ENDED)},
	{S(CONSENT), E(BACK), S(INFORMATION)},
	{S(IDENTITY), E(IDENTITY_VALID), S(CHECKS)},
	{S(IDENTITY), E(BACK), S(CONSENT)},
	{S(CHECKS), E(CHECKS_PASSED), S(WAITING_ROOM)},
	{S(CHECKS), E(CHECKS_FAILED), S(ENDED)},
	{S(WAITING_ROOM), E(DOCTOR_JOINED), S(CONSULTATION)},
	{S(CONSULTATION), E(CONSULTATION_ENDED), S(SUMMARY)},
	{S(SUMMARY), E(SUMMARY_DONE), S(WIPE)},
	{S(ENDED), E(ENDED_DONE), S(WIPE)},
	{S(ENDED), E(STOP), S(WIPE)},
	{S(WIPE), E(WIPE_DONE), S(ATTRACT)},
	{S(WIPE), E(TIMEOUT), S(ATTRACT)},
};

/* Expected next state for (S, EV), or -1 when the pair must be "not handled". */
static int expected_next(enum cab_flow_state s, enum cab_flow_event e)
{
	for (size_t i = 0; i < sizeof journey / sizeof journey[0]; i++)
		if (journey[i].state == s && journey[i].event == e)
			return journey[i].next;
	bool in_session = (s >= S(LANGUAGE) && s <= S(SUMMARY)) || s == S(ENDED);
	switch (e) {
	case E(ABORT): return S(WIPE); /* from every state */
	case E(EMERGENCY):
	case E(EMERGENCY_CLOSE): return s; /* from every state, stays */
	case E(STOP): return in_session ? S(ENDED) : -1;
	case E(TIMEOUT): return in_session ? S(WIPE) : -1;
	case E(STILL_HERE): return in_session ? (int)s : -1;
	default: return -1;
	}
}

static void every_state_event_pair(void **state)
{
	(void)state;
	int handled = 0, not_handled = 0;
	for (int s = 0; s < CAB_FLOW_STATE_COUNT; s++) {
		for (int e = 0; e < CAB_EV_COUNT; e++) {
			struct cab_flow *f = new_flow();
			drive_to(f, (enum cab_flow_state)s);
			if (s == S(CONSENT))
				record_consent(f);
			if (s == S(IDENTITY))
				set_identity(f);
			int want = expected_next((enum cab_flow_state)s, (enum cab_flow_event)e);
			enum cab_flow_result r = cab_flow_handle(f, (enum cab_flow_event)e);
			if (want < 0) {
				if (r != CAB_FLOW_NOT_HANDLED)
					fail_msg("%s + %s: expected not handled, got %d",
					         cab_flow_state_name(s), cab_flow_event_name(e), r);
				assert_int_equal(cab_flow_state(f), s);
				not_handled++;
			} else {
				if (r != CAB_FLOW_HANDLED || (int)cab_flow_state(f) != want)
					fail_msg("%s + %s: expected %s, got result %d state %s",
					         cab_flow_state_name(s), cab_flow_event_name(e),
					         cab_flow_state_name(want), r,
					         cab_flow_state_name(cab_flow_state(f)));
				handled++;
			}
			cab_flow_free(f);
		}
	}
	assert_int_equal(handled + not_handled, CAB_FLOW_STATE_COUNT * CAB_EV_COUNT);
	/* 18 journey pairs + abort/emergency x2 from 11 states + stop/timeout/still-here
	 * from the 9 in-session states, minus the 2 journey pairs that replace them
	 * (ENDED+STOP, WIPE+TIMEOUT are in the journey list, the latter outside). */
	assert_int_equal(handled, 19 + 3 * 11 + 3 * 9 - 1); /* 19 journey rows (identity -> consent: issue 16) */
}

/* Every row of the table is reachable: for each row, some concrete state takes it. */
static void every_row_is_used_and_named(void **state)
{
	(void)state;
	size_t n;
	const struct cab_flow_row *rows = cab_flow_table(&n);
	assert_int_equal(n, 25);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(rows[i].rule);
		assert_true(strlen(rows[i].rule) > 5);
		assert_true((unsigned)rows[i].event < CAB_EV_COUNT);
		bool used = false;
		for (int s = 0; s < CAB_FLOW_STATE_COUNT && !used; s++) {
			bool match = (int)rows[i].state == s || rows[i].state == CAB_FLOW_ANY ||
			             (rows[i].state == CAB_FLOW_IN_SESSION &&
			              ((s >= S(LANGUAGE) && s <= S(SUMMARY)) || s == S(ENDED)));
			if (!match)
				continue;
			/* used when no earlier row catches the same pair */
			bool shadowed = false;
			for (size_t j = 0; j < i; j++) {
				bool m2 = rows[j].event == rows[i].event &&
				          ((int)rows[j].state == s || rows[j].state == CAB_FLOW_ANY ||
				           (rows[j].state == CAB_FLOW_IN_SESSION &&
				            ((s >= S(LANGUAGE) && s <= S(SUMMARY)) || s == S(ENDED))));
				shadowed |= m2;
			}
			if (shadowed)
				continue;
			used = true;
			int want = expected_next((enum cab_flow_state)s, rows[i].event);
			int got = rows[i].next == CAB_FLOW_SAME ? s : (int)rows[i].next;
			assert_int_equal(got, want);
		}
		if (!used)
			fail_msg("row %zu (%s, %s) is never used", i, cab_flow_state_name(rows[i].state),
			         cab_flow_event_name(rows[i].event));
	}
}

static void rules_name_the_design(void **state)
{
	(void)state;
	size_t n;
	const struct cab_flow_row *rows = cab_flow_table(&n);
	const char *want[] = {"consent before sending", "identity before the doctor",
	                      "wipe after the end", "the patient may refuse"};
	for (size_t w = 0; w < 4; w++) {
		bool found = false;
		for (size_t i = 0; i < n; i++)
			found |= !strcmp(rows[i].rule, want[w]);
		if (!found)
			fail_msg("no row carries out \"%s\"", want[w]);
	}
}

static void names_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < CAB_FLOW_STATE_COUNT; s++)
		assert_int_equal(cab_flow_state_from_name(cab_flow_state_name(s)), s);
	for (int e = 0; e < CAB_EV_COUNT; e++)
		assert_int_equal(cab_flow_event_from_name(cab_flow_event_name(e)), e);
	assert_string_equal(cab_flow_state_name(CAB_FLOW_WAITING_ROOM), "waiting_room");
	assert_string_equal(cab_flow_event_name(CAB_EV_CONSENT_GIVEN), "consent_given");
	assert_string_equal(cab_flow_state_name((enum cab_flow_state)42), "unknown");
	assert_string_equal(cab_flow_event_name(CAB_EV_COUNT), "unknown");
	assert_string_equal(cab_flow_end_name(CAB_END_DECLINED), "declined");
	assert_int_equal(cab_flow_state_from_name("nowhere"), -1);
	assert_int_equal(cab_flow_event_from_name(NULL), -1);
}

/* ---- rules (guards) ----------------------------------------------------------- */

static int observed;
static struct cab_flow_transition last;
static void count_observer(void *user, const struct cab_flow_transition *t)
{
	(void)user;
	observed++;
	last = *t;
}

static void consent_before_sending(void **state)
{
	(void)state;
	struct cab_flow *f = new_flow();
	cab_flow_add_observer(f, count_observer, NULL);
	drive_to(f, S(CONSENT));
	observed = 0;
	/* no record yet: refused, nothing moves, nobody is told */
	assert_int_equal(cab_flow_handle(f, E(CONSENT_GIVEN)), CAB_FLOW_REFUSED);
	assert_int_equal(cab_flow_state(f), S(CONSENT));
	assert_int_equal(observed, 0);
	/* a record that says no to the teleconsultation cannot be "given" */
	assert_int_equal(cab_session_record_consent(cab_flow_session(f), "v1", CAB_ANSWER_NO,
	                                            CAB_ANSWER_YES, WALL0), 0);
	assert_int_equal(cab_flow_handle(f, E(CONSENT_GIVEN)), CAB_FLOW_REFUSED);
	assert_false(cab_session_consented(cab_flow_session(f)));
	/* yes to the call, no to the readings: the call goes on, readings stay here */
	assert_int_equal(cab_session_record_consent(cab_flow_session(f), "v1", CAB_ANSWER_YES,
	                                            CAB_ANSWER_NO, WALL0), 0);
	ev(f, E(CONSENT_GIVEN));
	assert_int_equal(cab_flow_state(f), S(IDENTITY));
	assert_false(cab_session_may_send_readings(cab_flow_session(f)));
	assert_string_equal(last.rule, "consent before sending");
	cab_flow_free(f);
}

static void identity_before_the_doctor(void **state)
{
	(void)state;
	struct cab_flow *f = new_flow();
	drive_to(f, S(IDENTITY));
	assert_int_equal(cab_flow_handle(f, E(IDENTITY_VALID)), CAB_FLOW_REFUSED);
	assert_int_equal(cab_flow_state(f), S(IDENTITY));
	/* an invalid identity is not stored, so it still cannot pass */
	struct cab_identity bad = synthetic_identity();
	bad.birth_name[0] = '\0';
	enum cab_id_field field;
	assert_int_equal(cab_session_set_identity(cab_flow_session(f), &bad,
	                                          (struct cab_date){2026, 11, 29}, &field),
	                 CAB_ID_NAME_EMPTY);
	assert_int_equal(field, CAB_FIELD_BIRTH_NAME);
	assert_int_equal(cab_flow_handle(f, E(IDENTITY_VALID)), CAB_FLOW_REFUSED);
	cab_flow_free(f);

	/* the doctor is refused if the identity is gone by the time they join */
	f = new_flow();
	drive_to(f, S(WAITING_ROOM));
	cab_flow_session(f)->identity_done = false;
	assert_int_equal(cab_flow_handle(f, E(DOCTOR_JOINED)), CAB_FLOW_REFUSED);
	assert_int_equal(cab_flow_state(f), S(WAITING_ROOM));
	cab_flow_session(f)->identity_done = true;
	ev(f, E(DOCTOR_JOINED));
	assert_int_equal(cab_flow_state(f), S(CONSULTATION));
	cab_flow_free(f);
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static void declining_keeps_nothing(void **state)
{
	(void)state;
	struct cab_flow *f = new_flow();
	drive_to(f, S(CONSENT));
	assert_true(cab_flow_session(f)->active);
	assert_int_equal(strlen(cab_flow_session(f)->id), 36);
	ev(f, E(CONSENT_DECLINED));
	assert_int_equal(cab_flow_state(f), S(ENDED));
	assert_int_equal(cab_flow_end_reason(f), CAB_END_DECLINED);
	assert_true(all_zero(cab_flow_session(f), sizeof *cab_flow_session(f)));
	ev(f, E(ENDED_DONE));
	assert_int_equal(cab_flow_state(f), S(WIPE));
	ev(f, E(WIPE_DONE));
	assert_int_equal(cab_flow_state(f), S(ATTRACT));
	assert_int_equal(cab_flow_end_reason(f), CAB_END_DECLINED);
	ev(f, E(START)); /* a new session forgets why the last one ended */
	assert_int_equal(cab_flow_end_reason(f), CAB_END_NONE);
	cab_flow_free(f);
}

static void wipe_after_the_end(void **state)
{
	(void)state;
	struct cab_flow *f = new_flow();
	drive_to(f, S(SUMMARY));
	assert_int_equal(cab_flow_end_reason(f), CAB_END_COMPLETED);
	assert_true(cab_flow_session(f)->identity_done);
	ev(f, E(SUMMARY_DONE));
	assert_int_equal(cab_flow_state(f), S(WIPE));
	assert_true(all_zero(cab_flow_session(f), sizeof *cab_flow_session(f)));
	cab_flow_free(f);
}

static void abort_from_every_state_wipes(void **state)
{
	(void)state;
	for (int s = 0; s < CAB_FLOW_STATE_COUNT; s++) {
		struct cab_flow *f = new_flow();
		drive_to(f, (enum cab_flow_state)s);
		ev(f, E(ABORT));
		assert_int_equal(cab_flow_state(f), S(WIPE));
		assert_true(all_zero(cab_flow_session(f), sizeof *cab_flow_session(f)));
		if (s != S(ENDED) && s != S(SUMMARY) && s != S(WIPE))
			assert_int_equal(cab_flow_end_reason(f), CAB_END_ABORTED);
		cab_flow_free(f);
	}
}

static void stop_ends_politely(void **state)
{
	(void)state;
	struct cab_flow *f = new_flow();
	drive_to(f, S(IDENTITY));
	set_identity(f);
	ev(f, E(STOP));
	assert_int_equal(cab_flow_state(f), S(ENDED));
	assert_int_equal(cab_flow_end_reason(f), CAB_END_STOPPED);
	ev(f, E(STOP)); /* a second stop leaves at once */
	assert_int_equal(cab_flow_state(f), S(WIPE));
	assert_true(all_zero(cab_flow_session(f), sizeof *cab_flow_session(f)));
	cab_flow_free(f);

	f = new_flow();
	drive_to(f, S(CHECKS));
	ev(f, E(CHECKS_FAILED));
	assert_int_equal(cab_flow_end_reason(f), CAB_END_CHECKS_FAILED);
	cab_flow_free(f);
}

static void start_draws_a_new_id(void **state)
{
	(void)state;
	struct cab_flow *f = new_flow();
	ev(f, E(START));
	char first[CAB_UUID_LEN + 1];
	strcpy(first, cab_flow_session(f)->id);
	assert_int_equal(strlen(first), 36);
	assert_int_equal(cab_flow_session(f)->started_ms, WALL0 + now_ms);
	ev(f, E(BACK));
	assert_int_equal(cab_flow_state(f), S(ATTRACT));
	assert_true(all_zero(cab_flow_session(f), sizeof *cab_flow_session(f)));
	ev(f, E(START));
	assert_string_not_equal(cab_flow_session(f)->id, first);
	cab_flow_free(f);
}

/* ---- timeouts and the "still there?" countdown -------------------------------- */

static void timeouts_of_every_state(void **state)
{
	(void)state;
	struct cab_flow_config def;
	cab_flow_config_defaults(&def);
	assert_int_equal(def.timeout_ms[S(ATTRACT)], 0);
	assert_int_equal(def.timeout_ms[S(LANGUAGE)], 60000);
	assert_int_equal(def.timeout_ms[S(IDENTITY)], 300000);
	assert_int_equal(def.timeout_ms[S(ENDED)], 20000);
	assert_int_equal(def.countdown_ms, 30000);
	for (int s = 0; s < CAB_FLOW_STATE_COUNT; s++) {
		struct cab_flow *f = new_flow();
		drive_to(f, (enum cab_flow_state)s);
		int64_t t = def.timeout_ms[s];
		if (t == 0) {
			now_ms += 24LL * 3600 * 1000;
			assert_false(cab_flow_tick(f));
			assert_int_equal(cab_flow_next_tick_ms(f), -1);
			assert_int_equal(cab_flow_state(f), s);
			cab_flow_free(f);
			continue;
		}
		assert_int_equal(cab_flow_next_tick_ms(f), t);
		now_ms += t - 1;
		assert_false(cab_flow_tick(f));
		assert_int_equal(cab_flow_still_there_left_s(f), -1);
		assert_int_equal(cab_flow_next_tick_ms(f), 1);
		now_ms += 1;
		assert_true(cab_flow_tick(f));
		if (!def.ask[s]) {
			/* summary, ended: straight on; wipe: back to attract */
			assert_int_equal(cab_flow_state(f), s == S(WIPE) ? S(ATTRACT) : S(WIPE));
			cab_flow_free(f);
			continue;
		}
		assert_int_equal(cab_flow_state(f), s);
		assert_int_equal(cab_flow_still_there_left_s(f), 30);
		assert_int_equal(cab_flow_next_tick_ms(f), 1000);
		now_ms += 29999;
		assert_true(cab_flow_tick(f));
		assert_int_equal(cab_flow_still_there_left_s(f), 1);
		assert_int_equal(cab_flow_state(f), s);
		now_ms += 1;
		assert_true(cab_flow_tick(f));
		assert_int_equal(cab_flow_state(f), S(WIPE));
		assert_int_equal(cab_flow_end_reason(f), CAB_END_TIMEOUT);
		assert_int_equal(cab_flow_still_there_left_s(f), -1);
		assert_true(all_zero(cab_flow_session(f), sizeof *cab_flow_session(f)));
		cab_flow_free(f);
	}
}

static void countdown_seconds_and_redraws(void **state)
{
	(void)state;
	struct cab_flow *f = new_flow();
	drive_to(f, S(CONSENT));
	now_ms += 180000;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_still_there_left_s(f), 30);
	now_ms += 500;
	assert_false(cab_flow_tick(f)); /* still 30 s shown: nothing to redraw */
	assert_int_equal(cab_flow_still_there_left_s(f), 30);
	assert_int_equal(cab_flow_next_tick_ms(f), 500);
	now_ms += 500;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_still_there_left_s(f), 29);
	now_ms += 10000;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_still_there_left_s(f), 19);
	cab_flow_free(f);
}

static void touching_answers_the_countdown(void **state)
{
	(void)state;
	struct cab_flow *f = new_flow();
	drive_to(f, S(IDENTITY));
	now_ms += 300000;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_still_there_left_s(f), 30);
	now_ms += 12000;
	cab_flow_activity(f);
	assert_int_equal(cab_flow_still_there_left_s(f), -1);
	assert_int_equal(cab_flow_next_tick_ms(f), 300000);
	/* the timer starts over from the touch */
	now_ms += 299999;
	assert_false(cab_flow_tick(f));
	now_ms += 1;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_still_there_left_s(f), 30);
	/* the dialog's button is an event, logged like any other */
	cab_flow_add_observer(f, count_observer, NULL);
	observed = 0;
	ev(f, E(STILL_HERE));
	assert_int_equal(observed, 1);
	assert_int_equal(last.from, S(IDENTITY));
	assert_int_equal(last.to, S(IDENTITY));
	assert_int_equal(cab_flow_still_there_left_s(f), -1);
	assert_int_equal(cab_flow_state(f), S(IDENTITY));
	/* "I need more time" (issue 16): twice the state's time before the next question */
	assert_int_equal(cab_flow_next_tick_ms(f), 600000);
	now_ms += 599999;
	assert_false(cab_flow_tick(f));
	now_ms += 1;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_still_there_left_s(f), 30);
	ev(f, E(STILL_HERE));
	/* the extra time ends with the state: the next screen has its own time */
	ev(f, E(BACK));
	assert_int_equal(cab_flow_state(f), S(CONSENT));
	assert_int_equal(cab_flow_next_tick_ms(f), test_config().timeout_ms[S(CONSENT)]);
	cab_flow_free(f);
}

static void timeouts_are_configurable(void **state)
{
	(void)state;
	now_ms = 0;
	struct cab_flow_config cfg = test_config();
	cfg.timeout_ms[S(LANGUAGE)] = 1500;
	cfg.countdown_ms = 3000;
	struct cab_flow *f = cab_flow_new(&cfg);
	ev(f, E(START));
	now_ms = 1500;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_still_there_left_s(f), 3);
	now_ms = 4500;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_state(f), S(WIPE));
	cab_flow_free(f);

	/* no countdown for a state: the timeout goes straight on */
	now_ms = 0;
	cfg.ask[S(LANGUAGE)] = false;
	f = cab_flow_new(&cfg);
	ev(f, E(START));
	now_ms = 1500;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_state(f), S(WIPE));
	assert_int_equal(cab_flow_end_reason(f), CAB_END_TIMEOUT);
	cab_flow_free(f);

	/* a timeout given to a state with no timeout row does not spin */
	now_ms = 0;
	cfg = test_config();
	cfg.timeout_ms[S(ATTRACT)] = 1000;
	cfg.ask[S(ATTRACT)] = false;
	f = cab_flow_new(&cfg);
	now_ms = 1000;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_state(f), S(ATTRACT));
	assert_int_equal(cab_flow_next_tick_ms(f), 1000);
	assert_false(cab_flow_tick(f));
	cab_flow_free(f);

	/* by name, as the configuration file gives them */
	cfg = test_config();
	assert_int_equal(cab_flow_config_set_timeout(&cfg, "identity", 300), 0);
	assert_int_equal(cfg.timeout_ms[S(IDENTITY)], 300000);
	assert_int_equal(cab_flow_config_set_timeout(&cfg, "waiting_room", 0), 0);
	assert_int_equal(cfg.timeout_ms[S(WAITING_ROOM)], 0);
	assert_int_equal(cab_flow_config_set_timeout(&cfg, "lobby", 10), -1);
	assert_int_equal(cab_flow_config_set_timeout(&cfg, "identity", -1), -1);
	assert_int_equal(cab_flow_config_set_timeout(&cfg, "identity", 90000), -1);
	assert_int_equal(cfg.timeout_ms[S(IDENTITY)], 300000);

	/* NULL config = the defaults with the system clocks */
	f = cab_flow_new(NULL);
	assert_int_equal(cab_flow_state(f), S(ATTRACT));
	assert_int_equal(cab_flow_next_tick_ms(f), -1);
	cab_flow_free(f);
	cab_flow_free(NULL);
}

static void events_reset_the_timer(void **state)
{
	(void)state;
	struct cab_flow *f = new_flow();
	drive_to(f, S(INFORMATION));
	now_ms += 100000;
	ev(f, E(EMERGENCY)); /* any handled event is activity */
	now_ms += 100000;
	assert_false(cab_flow_tick(f));
	assert_int_equal(cab_flow_next_tick_ms(f), 80000); /* information: 180 s */
	/* a not-handled event is not */
	assert_int_equal(cab_flow_handle(f, E(WIPE_DONE)), CAB_FLOW_NOT_HANDLED);
	now_ms += 80000;
	assert_true(cab_flow_tick(f));
	assert_int_equal(cab_flow_still_there_left_s(f), 30);
	cab_flow_free(f);
}

/* ---- emergency notice --------------------------------------------------------- */

static void emergency_from_every_state(void **state)
{
	(void)state;
	for (int s = 0; s < CAB_FLOW_STATE_COUNT; s++) {
		struct cab_flow *f = new_flow();
		drive_to(f, (enum cab_flow_state)s);
		assert_false(cab_flow_emergency_shown(f));
		ev(f, E(EMERGENCY));
		assert_true(cab_flow_emergency_shown(f));
		assert_int_equal(cab_flow_state(f), s);
		ev(f, E(EMERGENCY_CLOSE));
		assert_false(cab_flow_emergency_shown(f));
		cab_flow_free(f);
	}
	/* the notice does not outlive the session */
	struct cab_flow *f = new_flow();
	drive_to(f, S(CONSULTATION));
	ev(f, E(EMERGENCY));
	ev(f, E(ABORT));
	assert_false(cab_flow_emergency_shown(f));
	cab_flow_free(f);
}

/* ---- not handled, observers ---------------------------------------------------- */

static void not_handled_is_explicit_and_logged(void **state)
{
	(void)state;
	char path[] = "/tmp/cabin-flow-log-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(cab_log_open(path), 0);
	cab_log_set_level(CAB_LOG_WARN);
	struct cab_flow *f = new_flow();
	cab_flow_add_observer(f, count_observer, NULL);
	observed = 0;
	assert_int_equal(cab_flow_handle(f, E(DOCTOR_JOINED)), CAB_FLOW_NOT_HANDLED);
	assert_int_equal(cab_flow_handle(f, (enum cab_flow_event)999), CAB_FLOW_NOT_HANDLED);
	assert_int_equal(cab_flow_state(f), S(ATTRACT));
	assert_int_equal(observed, 0);
	cab_log_close();
	cab_log_set_level(CAB_LOG_ERROR);
	char buf[4096] = "";
	FILE *fp = fopen(path, "r");
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	unlink(path);
	assert_non_null(strstr(buf, "event doctor_joined not handled in state attract"));
	assert_non_null(strstr(buf, "event unknown not handled in state attract"));
	cab_flow_free(f);
}

static void observers_see_every_transition(void **state)
{
	(void)state;
	struct cab_flow *f = new_flow();
	for (int i = 0; i < CAB_FLOW_MAX_OBSERVERS; i++)
		assert_int_equal(cab_flow_add_observer(f, count_observer, NULL), 0);
	assert_int_equal(cab_flow_add_observer(f, count_observer, NULL), -1);
	assert_int_equal(cab_flow_add_observer(f, NULL, NULL), -1);
	observed = 0;
	now_ms = 4321;
	ev(f, E(START));
	assert_int_equal(observed, CAB_FLOW_MAX_OBSERVERS);
	assert_int_equal(last.t_ms, WALL0 + 4321);
	assert_int_equal(last.from, S(ATTRACT));
	assert_int_equal(last.to, S(LANGUAGE));
	assert_int_equal(last.event, E(START));
	assert_string_equal(last.rule, "a session starts with a fresh pseudonymous id");
	cab_flow_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_state_event_pair),
		cmocka_unit_test(every_row_is_used_and_named),
		cmocka_unit_test(rules_name_the_design),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(consent_before_sending),
		cmocka_unit_test(identity_before_the_doctor),
		cmocka_unit_test(declining_keeps_nothing),
		cmocka_unit_test(wipe_after_the_end),
		cmocka_unit_test(abort_from_every_state_wipes),
		cmocka_unit_test(stop_ends_politely),
		cmocka_unit_test(start_draws_a_new_id),
		cmocka_unit_test(timeouts_of_every_state),
		cmocka_unit_test(countdown_seconds_and_redraws),
		cmocka_unit_test(touching_answers_the_countdown),
		cmocka_unit_test(timeouts_are_configurable),
		cmocka_unit_test(events_reset_the_timer),
		cmocka_unit_test(emergency_from_every_state),
		cmocka_unit_test(not_handled_is_explicit_and_logged),
		cmocka_unit_test(observers_see_every_transition),
	};
	cab_log_set_level(CAB_LOG_ERROR); /* the not-handled warnings are expected */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
