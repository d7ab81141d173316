/* test_media_adapt.c — the ladder controller against a simulated link: a bottleneck
 * of given capacity, the sender's rate from the chosen rung, samples every 250 ms. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <string.h>

#include "kiosk/media/media_adapt.h"

struct sim {
	struct cab_media_adapt a;
	int64_t t_ms;
	double sent, acked;  /* bytes */
	double capacity_bps; /* link, bit/s */
	int32_t extra_rtt;   /* added RTT, ms */
	int changes, offs, last_rung;
	int64_t first_change_ms, first_up_ms;
};

static void sim_init(struct sim *s, int rung, double capacity)
{
	memset(s, 0, sizeof *s);
	cab_media_adapt_init(&s->a, rung);
	s->capacity_bps = capacity;
	s->first_change_ms = s->first_up_ms = -1;
	s->last_rung = rung;
}

/* Advances the simulation to END_MS. */
static void sim_run(struct sim *s, int64_t end_ms)
{
	for (; s->t_ms < end_ms; s->t_ms += 250) {
		double rate =
		    32000.0 + (s->a.video_off ? 0 : cab_media_ladder[s->a.rung].kbps * 1000.0);
		s->sent += rate / 8 * 0.25;
		double can = s->capacity_bps / 8 * 0.25, backlog = s->sent - s->acked;
		s->acked += backlog < can ? backlog : can;
		backlog = s->sent - s->acked;
		struct cab_media_link_sample smp = {
		    .t_ms = s->t_ms,
		    .bytes_sent = (uint64_t)s->sent,
		    .bytes_acked = (uint64_t)s->acked,
		    .rtt_ms = 20 + s->extra_rtt + (int32_t)(backlog * 8 * 1000 / s->capacity_bps)};
		struct cab_media_adapt_out o = cab_media_adapt_update(&s->a, &smp);
		if (o.changed) {
			s->changes++;
			if (s->first_change_ms < 0)
				s->first_change_ms = s->t_ms;
			if (o.video_off)
				s->offs++;
			if (!o.video_off && o.rung < s->last_rung && s->first_up_ms < 0)
				s->first_up_ms = s->t_ms;
			assert_true(o.reason[0] != 0);
		}
		s->last_rung = o.rung;
	}
}

static void good_link_stays_at_top(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s, 0, 5e6);
	sim_run(&s, 60000);
	assert_int_equal(s.changes, 0);
	assert_int_equal(s.a.rung, 0);
	assert_int_equal(s.a.video_off, 0);
}

static void poor_link_steps_down_then_back_up(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s, 0, 5e6);
	sim_run(&s, 10000);
	s.capacity_bps = 600e3; /* 600 kbit/s from t = 10 s */
	sim_run(&s, 30000);
	assert_true(s.first_change_ms >= 10000 && s.first_change_ms <= 15000);
	assert_true(cab_media_ladder[s.a.rung].kbps + 32 <= 600); /* settled on a rung that fits */
	assert_int_equal(s.a.video_off, 0);
	int settled = s.changes;
	s.first_up_ms = -1;   /* count the first step up after the restoration */
	s.capacity_bps = 5e6; /* restored at t = 30 s */
	sim_run(&s, 70000);
	assert_true(s.changes > settled);
	assert_true(s.first_up_ms >= 30000 && s.first_up_ms <= 40000);
	assert_int_equal(s.a.rung, 0); /* all the way back */
}

static void too_poor_means_audio_only(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s, 0, 5e6);
	sim_run(&s, 5000);
	s.capacity_bps = 150e3; /* below the lowest rung (300 kbit/s) */
	sim_run(&s, 25000);
	assert_int_equal(s.a.video_off, 1);
	assert_int_equal(s.a.rung, CAB_MEDIA_LADDER_LEN - 1);
	assert_int_equal(s.offs, 1);
	s.capacity_bps = 5e6;
	sim_run(&s, 60000);
	assert_int_equal(s.a.video_off, 0); /* video back, then climbing */
	assert_true(s.a.rung < CAB_MEDIA_LADDER_LEN - 1);
}

/* A link between two rungs (700 kbit/s: rung 2 fits, rung 1 does not): probing up
 * fails, the hold doubles, so the rung changes only a few times a minute. */
static void hysteresis_limits_oscillation(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s, 2, 700e3);
	sim_run(&s, 120000);
	assert_true(s.changes <= 10);
	assert_true(s.a.cur_up_hold_ms > s.a.p.up_hold_ms);
	assert_int_equal(s.a.video_off, 0);
}

/* RTT alone (a congested path shared with others) triggers a step down. */
static void rtt_rise_is_congestion(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s, 0, 50e6);
	sim_run(&s, 5000);
	for (int i = 0; i < 12; i++) { /* RTT climbing 60 ms per sample */
		s.extra_rtt += 60;
		sim_run(&s, s.t_ms + 250);
	}
	assert_true(s.a.rung > 0);
}

/* Samples must move forward in time; a repeated time changes nothing. */
/* The station's return video: its configured rung is a ceiling the ladder never
 * climbs above, even on a clear link; congestion still steps it down and back. */
static void best_rung_is_a_ceiling(void **state)
{
	(void)state;
	struct sim s;
	sim_init(&s, 2, 5e6);
	s.a.p.best_rung = 2;
	sim_run(&s, 60000);
	assert_int_equal(s.changes, 0);
	assert_int_equal(s.a.rung, 2);
	s.capacity_bps = 400e3; /* 500 kbit/s + audio no longer fit */
	sim_run(&s, 65000);
	assert_int_equal(s.a.rung, 3);
	assert_int_equal(s.first_change_ms, 61750); /* 1.75 s after the limit */
	s.capacity_bps = 5e6;
	for (int64_t t = 65000; t <= 130000; t += 250) {
		sim_run(&s, t);
		assert_true(s.a.rung >= 2); /* never above the ceiling */
	}
	assert_int_equal(s.a.rung, 2);
	assert_int_equal(s.a.video_off, 0);
}

static void time_must_advance(void **state)
{
	(void)state;
	struct cab_media_adapt a;
	cab_media_adapt_init(&a, 99);
	assert_int_equal(a.rung, CAB_MEDIA_LADDER_LEN - 1);
	cab_media_adapt_init(&a, -3);
	assert_int_equal(a.rung, 0);
	struct cab_media_link_sample smp = {.t_ms = 1000, .rtt_ms = -1};
	struct cab_media_adapt_out o = cab_media_adapt_update(&a, &smp);
	assert_int_equal(o.changed, 0);
	smp.drops = 50; /* same time: ignored */
	o = cab_media_adapt_update(&a, &smp);
	assert_int_equal(o.changed, 0);
	assert_int_equal(a.congested, 0);
	smp.t_ms = 1250; /* drops grew: congestion */
	cab_media_adapt_update(&a, &smp);
	assert_int_equal(a.congested, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(good_link_stays_at_top),
	    cmocka_unit_test(poor_link_steps_down_then_back_up),
	    cmocka_unit_test(too_poor_means_audio_only),
	    cmocka_unit_test(hysteresis_limits_oscillation),
	    cmocka_unit_test(rtt_rise_is_congestion),
	    cmocka_unit_test(best_rung_is_a_ceiling),
	    cmocka_unit_test(time_must_advance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
