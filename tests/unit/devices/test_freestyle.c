/* test_freestyle.c — the Abbott FreeStyle shared HID protocol codec
 * (devices/proto/freestyle.c) on texts built by the grammar of glucometer-protocols
 * (abbott/shared-hid-protocol.md: CKSM = sum of the message bytes, record list ending
 * "count,checksum"; freestyle-precision-neo.md type-7 records with "HI";
 * freestyle-libre.md $arresult? type-2 records), value by value; framing, sync
 * packets, the unknown-message answer, CMD Fail!, bad checksums, unset clocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cabin/mdc.h"
#include "devices/proto/freestyle.h"

static void framing(void **state)
{
	(void)state;
	uint8_t rep[FS_REPORT];
	assert_int_equal(fs_encode_text("$result?", rep), FS_REPORT);
	assert_int_equal(rep[0], 0x60);
	assert_int_equal(rep[1], 8);
	assert_memory_equal(rep + 2, "$result?", 8);
	assert_int_equal(rep[10], 0);
	uint8_t init[FS_REPORT];
	fs_encode(FS_TYPE_INIT, NULL, 0, init);
	assert_int_equal(init[0], 0x01);
	assert_int_equal(init[1], 0x00);
	uint8_t type;
	const uint8_t *p;
	size_t n;
	uint8_t bad[FS_REPORT] = {0x60, 63};
	assert_int_equal(fs_report(bad, sizeof bad, &type, &p, &n), FS_E_LENGTH);
	assert_int_equal(fs_report(bad, 1, &type, &p, &n), FS_E_LENGTH);
}

/* "12,8,16\r\n" sums to 0x171 (369) ('1'+'2'+','+'8'+','+'1'+'6'+CR+LF = 49+50+44+56+44+49+54+13+10). */
static void reply_reassembly_and_checksum(void **state)
{
	(void)state;
	const char reply[] = "12,8,16\r\nCKSM:00000171\r\nCMD OK\r\n";
	struct fs_text t = {0};
	uint8_t rep[FS_REPORT];
	uint8_t sync[FS_REPORT] = {0x22, 0x01, 0x07};
	assert_int_equal(fs_text_add(&t, sync, sizeof sync), 0);
	fs_encode(FS_TYPE_TEXT, (const uint8_t *)reply, 20, rep);
	assert_int_equal(fs_text_add(&t, rep, sizeof rep), 0);
	fs_encode(FS_TYPE_TEXT, (const uint8_t *)reply + 20, strlen(reply) - 20, rep);
	assert_int_equal(fs_text_add(&t, rep, sizeof rep), 1);
	const char *m;
	size_t ml;
	assert_int_equal(fs_reply_check(t.buf, t.n, &m, &ml), 0);
	assert_int_equal(ml, 9);
	assert_memory_equal(m, "12,8,16\r\n", 9);
	t.buf[t.n - 12] = '9'; /* one checksum digit changed (7 -> 9) */
	assert_int_equal(fs_reply_check(t.buf, t.n, &m, &ml), FS_E_CHECKSUM);
	fs_text_free(&t);
	const char fail[] = "CKSM:00000000\r\nCMD Fail!\r\n";
	assert_int_equal(fs_reply_check(fail, strlen(fail), &m, &ml), FS_E_FAIL);
	assert_int_equal(fs_reply_check("garbage", 7, &m, &ml), FS_E_FORMAT);
	uint8_t unk[FS_REPORT] = {0x30, 0x01, 0x85};
	assert_int_equal(fs_text_add(&t, unk, sizeof unk), FS_E_UNKNOWN_CMD);
	fs_text_free(&t);
	char built[128];
	assert_int_equal(fs_reply_build("12,8,16\r\n", 0, built, sizeof built), (int)strlen(reply));
	assert_string_equal(built, reply);
}

struct got {
	struct fs_glucose g[4];
	int n, others;
	int libre;
};

static int each(const char *rec, size_t n, void *user)
{
	struct got *w = user;
	struct fs_glucose g;
	int r = w->libre ? fs_libre_record(rec, n, &g) : fs_neo_record(rec, n, &g);
	if (r < 0)
		return r;
	if (r == 0)
		w->others++;
	else if (w->n < 4)
		w->g[w->n++] = g;
	return 0;
}

static void build_list(const char *records, char *out, size_t size)
{
	unsigned ck = 0;
	int count = 0;
	for (const char *p = records; *p; p++) {
		ck += (uint8_t)*p;
		count += *p == '\n';
	}
	snprintf(out, size, "%s%d,%08X\r\n", records, count, ck);
}

/* Neo: a glucose record (105 mg/dL, 2024-05-17 08:30), "HI", an insulin record
 * (type 10, skipped) and one with an unset clock (255). */
static void neo_records(void **state)
{
	(void)state;
	const char recs[] = "7,12,5,17,24,8,30,0,105,0,0,0,0,0,0,0,0,0,0\r\n"
	                    "7,13,5,17,24,9,0,0,HI,0,0,0,0,0,0,0,0,0,0\r\n"
	                    "10,14,5,17,24,9,5,0,1,4,0,0,0\r\n"
	                    "7,15,255,255,255,255,255,0,88,0,0,0,0,0,0,0,0,0,0\r\n";
	char list[512];
	build_list(recs, list, sizeof list);
	struct got w = {0};
	assert_int_equal(fs_records(list, strlen(list), each, &w), 4);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.others, 1);
	assert_int_equal(w.g[0].id, 12);
	assert_int_equal(w.g[0].value_mgdl, 105);
	assert_true(w.g[0].device_time_ms == 1715934600000LL);
	struct cab_reading r = fs_glucose_reading(&w.g[0]);
	assert_int_equal(r.mdc, MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_PLASMA));
	assert_string_equal(r.ucum, "mg/dL");
	assert_true(r.value == 105);
	assert_int_equal(r.value_kind, CAB_VALUE_NUMBER);
	assert_true(r.flags & CAB_RF_STORED);
	r = fs_glucose_reading(&w.g[1]);
	assert_int_equal(r.value_kind, CAB_VALUE_PINF);
	assert_true(r.flags & CAB_RF_OUT_OF_RANGE);
	assert_true(w.g[2].device_time_ms == INT64_MIN);
	r = fs_glucose_reading(&w.g[2]);
	assert_true(r.flags & CAB_RF_CLOCK_UNSET);
	assert_true(r.value == 88);
	/* the record-set checksum covers the records: one byte changed */
	list[10] = '6';
	assert_int_equal(fs_records(list, strlen(list), each, &w), FS_E_CHECKSUM);
	/* count line disagrees with the records */
	char wrong[512];
	build_list(recs, wrong, sizeof wrong);
	char *cnt = strstr(wrong, "\r\n4,");
	cnt[2] = '5';
	assert_int_equal(fs_records(wrong, strlen(wrong), NULL, NULL), FS_E_FORMAT);
	assert_int_equal(fs_records("Log Empty\r\n", 11, each, &w), 0);
}

/* Libre $arresult?: a blood-glucose strip (reading-type 0) of 142 mg/dL with seconds,
 * a LO (field 12 = 1), an error (bitfield 0x8000 = 32768), a sensor scan (type 2,
 * skipped) and a time-change record (type 5, skipped). */
static void libre_records(void **state)
{
	(void)state;
	const char recs[] =
	    "201,2,5,17,24,8,30,15,1,0,0,0,142,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
	    "202,2,5,17,24,8,40,0,1,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
	    "203,2,5,17,24,8,45,0,1,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,32768,\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
	    "204,2,5,17,24,8,50,0,1,2,0,0,130,1,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
	    "205,5,5,17,24,9,0,0,0,5,17,24,8,0,0,0,0,0,0,0\r\n";
	char list[1024];
	build_list(recs, list, sizeof list);
	struct got w = {.libre = 1};
	assert_int_equal(fs_records(list, strlen(list), each, &w), 5);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.others, 2);
	assert_int_equal(w.g[0].id, 201);
	assert_int_equal(w.g[0].value_mgdl, 142);
	assert_true(w.g[0].device_time_ms == 1715934600000LL + 15000);
	struct cab_reading r = fs_glucose_reading(&w.g[1]);
	assert_int_equal(r.value_kind, CAB_VALUE_NINF);
	assert_true(r.flags & CAB_RF_OUT_OF_RANGE);
	r = fs_glucose_reading(&w.g[2]);
	assert_int_equal(r.value_kind, CAB_VALUE_NAN);
	assert_true(r.flags & CAB_RF_INVALID);
	struct fs_glucose g;
	assert_int_equal(fs_libre_record("201,2,5", 7, &g), FS_E_FORMAT);
}

static void clocks(void **state)
{
	(void)state;
	int64_t ms = 0;
	assert_int_equal(fs_clock("5,17,24\r\n", 9, "8,30\r\n", 6, &ms), 0);
	assert_true(ms == 1715934600000LL);
	assert_int_equal(fs_clock("255,255,255\r\n", 13, "255,255\r\n", 9, &ms), 1);
	assert_int_equal(fs_clock("13,17,24", 8, "8,30", 4, &ms), FS_E_FORMAT);
	assert_int_equal(fs_clock("5,17", 4, "8,30", 4, &ms), FS_E_FORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(framing),
		cmocka_unit_test(reply_reassembly_and_checksum),
		cmocka_unit_test(neo_records),
		cmocka_unit_test(libre_records),
		cmocka_unit_test(clocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
