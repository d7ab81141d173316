/* test_conversation.c — `cabin-devices decode --protocol ieee11073` on captures
 * assembled from the replay fixtures (agent's side, APDUs back to back): reports
 * read with the configuration the conversation established; one JSON line per
 * reading; on malformed input the readings before the fault, then a clear error
 * and 1. Calls the decoder's library function (devices/proto/ieee11073/
 * conversation.c) that cab_cli_decode_ieee11073 wraps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/proto/ieee11073/conversation.h"
#include "fixture.h"

struct run {
	char *out, *err;
	size_t out_len, err_len;
	int rc;
};

static void decode(const char *const *names, struct run *r, size_t cut)
{
	size_t len;
	uint8_t *b = fx_concat(names, &len);
	FILE *o = open_memstream(&r->out, &r->out_len);
	FILE *e = open_memstream(&r->err, &r->err_len);

	if (cut)
		len -= cut;
	r->rc = ieee_conversation_decode(b, len, o, e);
	fclose(o);
	fclose(e);
	free(b);
}

static size_t lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The JSON object on line K of S. */
static json_t *line_json(const char *s, size_t k)
{
	json_error_t je;
	while (k--)
		s = strchr(s, '\n') + 1;
	return json_loadb(s, strcspn(s, "\n"), 0, &je);
}

static void standard_config_conversations(void **state)
{
	(void)state;
	struct run r;
	const char *const bp[] = {"antidote_H211_ID_02BC_aarq_bp_std", "antidote_H241_ID_02BC_fixed_bp", NULL};
	json_t *j;

	decode(bp, &r, 0);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(lines(r.out), 4);
	j = line_json(r.out, 0);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "MDC_PRESS_BLD_NONINV_SYS");
	assert_int_equal(json_integer_value(json_object_get(j, "mdc")), 0x24A05);
	assert_true(json_number_value(json_object_get(j, "value")) == 120);
	assert_string_equal(json_string_value(json_object_get(j, "ucum")), "mm[Hg]");
	assert_string_equal(json_string_value(json_object_get(j, "time")), "2007-12-06T12:10:00");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "device"), "kind")),
	                    "blood-pressure");
	json_decref(j);
	j = line_json(r.out, 3);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "MDC_PULS_RATE_NON_INV");
	assert_true(json_number_value(json_object_get(j, "value")) == 60);
	assert_string_equal(json_string_value(json_object_get(j, "ucum")), "/min");
	json_decref(j);
	free(r.out);
	free(r.err);

	const char *const ox[] = {"antidote_H211_ID_0190_aarq_pulseox_std",
	                          "antidote_H241_ID_0190_fixed_pulseox", NULL};
	decode(ox, &r, 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(lines(r.out), 2);
	j = line_json(r.out, 0);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "MDC_PULS_OXIM_SAT_O2");
	assert_true(json_number_value(json_object_get(j, "value")) == 98);
	assert_string_equal(json_string_value(json_object_get(j, "ucum")), "%");
	json_decref(j);
	free(r.out);
	free(r.err);
}

static void extended_config_conversation(void **state)
{
	(void)state;
	struct run r;
	/* both sides present: the manager's AARE, confirmations are skipped */
	const char *const conv[] = {
		"antidote_H211_aarq_extended_cfg", "antidote_H212_aare_accepted_unknown_config",
		"antidote_H221_config_ext_scale_weight_bodyfat", "antidote_H222_config_rsp_accepted",
		"antidote_H241_fixed_scale", "antidote_H242_event_rsp", "antidote_rlrq_normal", NULL,
	};
	json_t *j;

	decode(conv, &r, 0);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(lines(r.out), 2);
	j = line_json(r.out, 1);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "MDC_BODY_FAT");
	assert_true(json_number_value(json_object_get(j, "value")) == 25.6);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "device"), "system_id")),
	                    "8877665544332211");
	json_decref(j);
	free(r.out);
	free(r.err);
}

static void malformed_captures(void **state)
{
	(void)state;
	struct run r;
	const char *const conv[] = {
		"antidote_H211_ID_05DC_aarq_scale_std", "antidote_H221_ID_05DC_config_scale_weight_height_bmi",
		"antidote_H241_ID_05DC_fixed_scale", "antidote_H241_ID_05DC_fixed_scale", NULL,
	};
	/* 0x05DC standard config, then a 0x4000 config report: the configuration is
	 * settled once operating, so the report is refused */
	decode(conv, &r, 0);
	assert_int_equal(r.rc, 1);
	assert_int_equal(lines(r.out), 0);
	assert_non_null(strstr(r.err, "configuration report while operating"));
	free(r.out);
	free(r.err);

	/* extended scale, two reports, the second one truncated: 2 readings, then the error */
	const char *const trunc[] = {"antidote_H211_aarq_extended_cfg",
	                             "antidote_H221_config_ext_scale_weight_bodyfat",
	                             "antidote_H241_fixed_scale", "antidote_H241_fixed_scale", NULL};
	decode(trunc, &r, 5);
	assert_int_equal(r.rc, 1);
	assert_int_equal(lines(r.out), 2);
	assert_non_null(strstr(r.err, "truncated APDU at byte 232"));
	free(r.out);
	free(r.err);

	/* a report with no association before it */
	const char *const alone[] = {"antidote_H241_fixed_scale", NULL};
	decode(alone, &r, 0);
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.err, "before any association"));
	free(r.out);
	free(r.err);

	/* garbage */
	FILE *o, *e;
	char *ob, *eb;
	size_t ol, el;
	const uint8_t junk[] = {0x41, 0x42, 0x43, 0x44, 0x45, 0x46};
	o = open_memstream(&ob, &ol);
	e = open_memstream(&eb, &el);
	assert_int_equal(ieee_conversation_decode(junk, sizeof junk, o, e), 1);
	fclose(o);
	fclose(e);
	assert_non_null(strstr(eb, "byte 0"));
	free(ob);
	free(eb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(standard_config_conversations),
		cmocka_unit_test(extended_config_conversation),
		cmocka_unit_test(malformed_captures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
