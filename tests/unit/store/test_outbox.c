/* test_outbox.c — the outbox through the link's port (kiosk/link/outbox_port.h):
 * order, acknowledgement, growing capped backoff, reconnect, restart, encryption of
 * personal bodies, and unreadable messages dropped instead of blocking the queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/store/store_internal.h"
#include "store_testlib.h"

struct fx {
	char dir[256];
	char db[300];
	struct cab_store *st, *link;
	struct cab_outbox_port port;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	tl_mkdtemp(f->dir);
	snprintf(f->db, sizeof f->db, "%s/cabin.db", f->dir);
	f->st = tl_open(f->dir);
	assert_int_equal(cab_store_outbox_open(f->st, &f->link), 0);
	cab_store_outbox_port(f->link, &f->port);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	cab_store_close(f->link);
	cab_store_close(f->st);
	tl_rmrf(f->dir);
	free(f);
	return 0;
}

static void clear(struct cab_outbox_item *it, int n)
{
	for (int i = 0; i < n; i++)
		cab_outbox_item_clear(&it[i]);
}

static void pending_in_order_with_after_seq_and_max(void **state)
{
	struct fx *f = *state;
	char a[37], b[37], ids[6][37], body[64];
	struct cab_outbox_item it[8];
	assert_int_equal(cab_store_session_begin(f->st, "fr", a), 0);
	assert_int_equal(cab_store_session_begin(f->st, "fr", b), 0);
	for (int i = 0; i < 6; i++) {
		snprintf(body, sizeof body, "{\"n\":%d}", i);
		assert_int_equal(cab_store_outbox_put(f->st, i % 2 ? b : a, "reading", body, 1, NULL,
		                                      ids[i]), 0);
	}
	int n = f->port.pending(f->port.user, 0, 0, it, 8);
	assert_int_equal(n, 6);
	for (int i = 0; i < 6; i++) {
		snprintf(body, sizeof body, "{\"n\":%d}", i);
		assert_string_equal(it[i].id, ids[i]);
		assert_string_equal(it[i].body, body);
		assert_string_equal(it[i].session_id, i % 2 ? b : a);
		assert_string_equal(it[i].type, "reading");
		assert_int_equal(it[i].attempts, 0);
		if (i)
			assert_true(it[i].seq > it[i - 1].seq);
	}
	int64_t third = it[2].seq;
	clear(it, n);
	n = f->port.pending(f->port.user, third, 0, it, 2);
	assert_int_equal(n, 2);
	assert_string_equal(it[0].id, ids[3]);
	assert_string_equal(it[1].id, ids[4]);
	clear(it, n);
	/* A caller-made id is kept; the same id twice is refused. */
	const char *mine = "0b7e2a3c-1d4f-4a5b-9c6d-7e8f9a0b1c2d";
	assert_int_equal(cab_store_outbox_put(f->st, "", "hello", "{}", 0, mine, body), 0);
	assert_string_equal(body, mine);
	assert_int_equal(cab_store_outbox_put(f->st, "", "hello", "{}", 0, mine, NULL),
	                 CAB_STORE_INVALID);
	assert_int_equal(cab_store_outbox_put(f->st, "", "x", "{}", 1, NULL, NULL), CAB_STORE_INVALID);
	assert_int_equal(cab_store_outbox_put(f->st, a, "x", "{}", 0, "not-a-uuid", NULL),
	                 CAB_STORE_INVALID);
}

static void backoff_grows_to_its_cap_and_reset_makes_due(void **state)
{
	struct fx *f = *state;
	char id[37];
	struct cab_outbox_item it[2];
	assert_int_equal(cab_store_outbox_put(f->st, NULL, "hello", "{\"h\":1}", 0, NULL, id), 0);
	int64_t now = 1000000, expect[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
	for (int i = 0; i < 9; i++) {
		assert_int_equal(f->port.pending(f->port.user, 0, now, it, 2), 1);
		assert_int_equal(it[0].attempts, i);
		clear(it, 1);
		assert_int_equal(f->port.sent(f->port.user, id, now), 0);
		/* Not due one millisecond before its time, due at it. */
		assert_int_equal(f->port.pending(f->port.user, 0, now + expect[i] - 1, it, 2), 0);
		assert_int_equal(f->port.pending(f->port.user, 0, now + expect[i], it, 2), 1);
		assert_int_equal(it[0].next_try_ms, now + expect[i]);
		clear(it, 1);
		now += expect[i];
	}
	assert_int_equal(f->port.sent(f->port.user, id, now), 0);
	assert_int_equal(f->port.pending(f->port.user, 0, now, it, 2), 0);
	assert_int_equal(f->port.reset_backoff(f->port.user), 0);
	assert_int_equal(f->port.pending(f->port.user, 0, now, it, 2), 1);
	assert_int_equal(it[0].attempts, 10);
	clear(it, 1);
}

static void acked_is_done_and_only_that_one(void **state)
{
	struct fx *f = *state;
	char a[37], b[37];
	struct cab_outbox_item it[4];
	struct cab_store_outbox_counts c;
	assert_int_equal(cab_store_outbox_put(f->st, NULL, "t", "{\"a\":1}", 0, NULL, a), 0);
	assert_int_equal(cab_store_outbox_put(f->st, NULL, "t", "{\"b\":1}", 0, NULL, b), 0);
	assert_int_equal(f->port.sent(f->port.user, a, 5), 0);
	/* sent alone never completes a message */
	assert_int_equal(cab_store_outbox_counts(f->st, &c), 0);
	assert_int_equal(c.pending, 2);
	assert_int_equal(c.done, 0);
	assert_int_equal(f->port.acked(f->port.user, a), 0);
	assert_int_equal(cab_store_outbox_counts(f->st, &c), 0);
	assert_int_equal(c.pending, 1);
	assert_int_equal(c.done, 1);
	assert_int_equal(f->port.pending(f->port.user, 0, INT64_MAX, it, 4), 1);
	assert_string_equal(it[0].id, b);
	clear(it, 1);
	/* A duplicate ack is harmless; an ack for an unknown id is an error. */
	assert_int_equal(f->port.acked(f->port.user, a), 0);
	assert_int_equal(f->port.acked(f->port.user, "00000000-0000-4000-8000-000000000000"), -1);
	/* The acknowledged body is no longer kept. */
	char q[200];
	snprintf(q, sizeof q, "SELECT body IS NULL FROM outbox WHERE id = '%s'", a);
	assert_int_equal(tl_sql_int(f->db, q), 1);
}

static void outbox_survives_restart_and_personal_bodies_are_sealed(void **state)
{
	struct fx *f = *state;
	char sid[37], id[37];
	struct cab_outbox_item it[2];
	const char *body = "{\"patient\":\"ZORGLUBOVSKI\",\"nir\":\"284127505612345\"}";
	assert_int_equal(cab_store_session_begin(f->st, "fr", sid), 0);
	assert_int_equal(cab_store_outbox_put(f->st, sid, "identity", body, 1, NULL, id), 0);
	assert_int_equal(f->port.sent(f->port.user, id, 100), 0);
	/* Close the session first so that crash recovery does not drop it at restart. */
	assert_int_equal(cab_store_session_close(f->st, sid, CAB_OUTCOME_COMPLETED, NULL, "{\"h\":1}"), 0);
	cab_store_close(f->link);
	cab_store_close(f->st);
	assert_int_equal(tl_sql_int(f->db, "SELECT count(*) FROM outbox WHERE instr(body, "
	                                   "CAST('ZORGLUB' AS BLOB)) > 0"), 0);
	f->st = tl_open(f->dir);
	assert_int_equal(cab_store_outbox_open(f->st, &f->link), 0);
	cab_store_outbox_port(f->link, &f->port);
	assert_int_equal(f->port.reset_backoff(f->port.user), 0);
	assert_int_equal(f->port.pending(f->port.user, 0, 0, it, 2), 2);
	assert_string_equal(it[0].id, id);
	assert_string_equal(it[0].body, body);
	assert_int_equal(it[0].attempts, 1);
	assert_string_equal(it[1].type, CAB_STORE_HANDOFF_TYPE);
	clear(it, 2);
}

static void unreadable_message_is_dropped_with_an_incident(void **state)
{
	struct fx *f = *state;
	char sid[37], a[37], b[37], q[300];
	struct cab_outbox_item it[4];
	assert_int_equal(cab_store_session_begin(f->st, "fr", sid), 0);
	assert_int_equal(cab_store_outbox_put(f->st, sid, "reading", "{\"v\":1}", 1, NULL, a), 0);
	assert_int_equal(cab_store_outbox_put(f->st, sid, "reading", "{\"v\":2}", 1, NULL, b), 0);
	snprintf(q, sizeof q, "UPDATE outbox SET body = (SELECT body FROM outbox WHERE id = '%s') "
	         "WHERE id = '%s'", b, a);
	assert_int_equal(tl_sql_exec(f->db, q), 0);
	assert_int_equal(f->port.pending(f->port.user, 0, 0, it, 4), 1);
	assert_string_equal(it[0].id, b);
	assert_string_equal(it[0].body, "{\"v\":2}");
	clear(it, 1);
	snprintf(q, sizeof q, "SELECT state = 'dropped' FROM outbox WHERE id = '%s'", a);
	assert_int_equal(tl_sql_int(f->db, q), 1);
	assert_int_equal(tl_sql_int(f->db, "SELECT count(*) FROM incidents WHERE kind = "
	                                   "'outbox_unreadable'"), 1);
}

/* The kiosk thread writes sessions while the link thread drains the outbox, each on
 * its own connection, as in the cabin. */
struct race {
	struct fx *f;
	_Atomic int kiosk_done;
	int kiosk_errors, link_errors, acked;
	char sids[20][37];
};

static void *kiosk_thread(void *arg)
{
	struct race *r = arg;
	struct cab_store_identity id;
	struct cab_reading rd;
	tl_patient(&id);
	tl_reading(&rd, 1);
	for (int s = 0; s < 20; s++) {
		char *sid = r->sids[s];
		if (cab_store_session_begin(r->f->st, "fr", sid) ||
		    cab_store_identity_put(r->f->st, sid, &id))
			r->kiosk_errors++;
		for (int i = 0; i < 10; i++)
			if (cab_store_reading_put(r->f->st, sid, &rd, NULL) ||
			    cab_store_outbox_put(r->f->st, sid, "reading", "{\"v\":97}", 1, NULL, NULL))
				r->kiosk_errors++;
		if (cab_store_session_close(r->f->st, sid, CAB_OUTCOME_COMPLETED, NULL, "{\"h\":1}"))
			r->kiosk_errors++;
	}
	r->kiosk_done = 1;
	return NULL;
}

static void *link_thread(void *arg)
{
	struct race *r = arg;
	struct cab_outbox_port *p = &r->f->port;
	struct cab_outbox_item it[16];
	for (;;) {
		int done = r->kiosk_done;
		int n = p->pending(p->user, 0, INT64_MAX, it, 16);
		if (n < 0) {
			r->link_errors++;
			continue;
		}
		for (int i = 0; i < n; i++) {
			if (p->sent(p->user, it[i].id, 1) || p->acked(p->user, it[i].id))
				r->link_errors++;
			else
				r->acked++;
			cab_outbox_item_clear(&it[i]);
		}
		if (done && n == 0)
			break;
	}
	return NULL;
}

static void kiosk_and_link_threads_at_once(void **state)
{
	struct race r = {.f = *state};
	pthread_t a, b;
	assert_int_equal(pthread_create(&a, NULL, kiosk_thread, &r), 0);
	assert_int_equal(pthread_create(&b, NULL, link_thread, &r), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert_int_equal(r.kiosk_errors, 0);
	assert_int_equal(r.link_errors, 0);
	assert_int_equal(r.acked, 20 * 11);
	struct cab_store_outbox_counts c;
	assert_int_equal(cab_store_outbox_counts(r.f->st, &c), 0);
	assert_int_equal(c.done, 220);
	assert_int_equal(c.pending + c.dropped, 0);
	for (int s = 0; s < 20; s++) {
		struct cab_store_session_info info;
		assert_int_equal(cab_store_session_get(r.f->st, r.sids[s], &info), 0);
		assert_string_equal(info.state, "wiped");
	}
	assert_int_equal(tl_sql_int(r.f->db, "SELECT count(*) FROM readings"), 0);
}

static int64_t fake_now;
static int64_t fake_clock(void *user)
{
	(void)user;
	return fake_now;
}

/* The age of the oldest pending entry, with the store's clock injected: exact values,
 * 0 when empty, the next oldest after an ack. */
static void oldest_pending_age_is_exact(void **state)
{
	struct fx *f = *state;
	char dir[256], sid[37], id1[37], id2[37];
	struct cab_store *st, *link;
	struct cab_outbox_port port;
	int64_t age = -1, created = -1;
	(void)f;
	tl_mkdtemp(dir);
	struct cab_store_options o = {.data_dir = dir, .wall_ms = fake_clock};
	fake_now = 1700000000000;
	assert_int_equal(cab_store_open(&o, &st, NULL, 0), 0);
	assert_int_equal(cab_store_outbox_oldest_age(st, &age, &created), 0);
	assert_true(age == 0 && created == 0);
	assert_int_equal(cab_store_session_begin(st, "fr", sid), 0);
	assert_int_equal(cab_store_outbox_put(st, sid, "reading", "{\"n\":1}", 0, NULL, id1), 0);
	fake_now += 2500;
	assert_int_equal(cab_store_outbox_put(st, sid, "reading", "{\"n\":2}", 0, NULL, id2), 0);
	fake_now += 60000;
	assert_int_equal(cab_store_outbox_oldest_age(st, &age, &created), 0);
	assert_int_equal(age, 62500);
	assert_int_equal(created, 1700000000000);
	assert_int_equal(cab_store_outbox_open(st, &link), 0);
	cab_store_outbox_port(link, &port);
	assert_int_equal(port.acked(port.user, id1), 0);
	assert_int_equal(cab_store_outbox_oldest_age(st, &age, NULL), 0);
	assert_int_equal(age, 60000);
	assert_int_equal(port.acked(port.user, id2), 0);
	assert_int_equal(cab_store_outbox_oldest_age(st, &age, &created), 0);
	assert_true(age == 0 && created == 0);
	cab_store_close(link);
	cab_store_close(st);
	tl_rmrf(dir);
}

int main(void)
{
	cab_log_set_level(CAB_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pending_in_order_with_after_seq_and_max, setup, teardown),
		cmocka_unit_test_setup_teardown(backoff_grows_to_its_cap_and_reset_makes_due, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(acked_is_done_and_only_that_one, setup, teardown),
		cmocka_unit_test_setup_teardown(outbox_survives_restart_and_personal_bodies_are_sealed,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(unreadable_message_is_dropped_with_an_incident, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(kiosk_and_link_threads_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(oldest_pending_age_is_exact, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
