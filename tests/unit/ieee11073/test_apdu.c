/* test_apdu.c — IEEE 11073-20601 APDU parsing and encoding on the replay fixtures
 * of tests/devices/ieee11073 (Antidote's Annex H vectors, nfcpy's thermometer agent),
 * compared value by value with the decoded values beside them; the manager's
 * encoders reproduce the published APDUs byte for byte; malformed input (every
 * truncation, lengths past the end, absurd counts) gives a clear error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <time.h>

#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/mds.h"
#include "devices/proto/ieee11073/nomenclature.h"
#include "fixture.h"

static const char *const aarqs[] = {
	"antidote_H211_ID_0190_aarq_pulseox_std", "antidote_H211_ID_02BC_aarq_bp_std",
	"antidote_H211_ID_05DC_aarq_scale_std", "antidote_H211_aarq_extended_cfg",
	"nfcpy_thermometer_aarq",
};
static const char *const aares[] = {
	"antidote_H212_aare_accepted_unknown_config", "antidote_rx_aare_example_one_accepted",
	"nfcpy_thermometer_aare",
};

static void parse_ok(const char *name, struct ieee_apdu *a, uint8_t **b, size_t *len)
{
	char err[160] = "";
	size_t used = 0;

	*b = fx_hex(name, len);
	if (ieee_apdu_parse(*b, *len, a, &used, err, sizeof err))
		fail_msg("%s: %s", name, err);
	assert_int_equal(used, *len);
}

static void check_info(const struct ieee_assoc_info *i, json_t *pai)
{
	char hex[17];

	assert_int_equal(i->protocol_version, fx_hexval(json_object_get(pai, "protocolVersion")));
	assert_int_equal(i->encoding_rules, fx_hexval(json_object_get(pai, "encodingRules")));
	assert_int_equal(i->nomenclature_version, fx_hexval(json_object_get(pai, "nomenclatureVersion")));
	assert_int_equal(i->functional_units, fx_hexval(json_object_get(pai, "functionalUnits")));
	assert_int_equal(i->system_type, fx_hexval(json_object_get(pai, "systemType")));
	ieee_system_id_hex(i->system_id, i->system_id_len, hex);
	assert_string_equal(hex, json_string_value(json_object_get(pai, "system-id")));
	assert_int_equal(i->dev_config_id, fx_hexval(json_object_get(pai, "dev-config-id")));
	assert_int_equal(i->data_req_mode_flags, fx_hexval(json_object_get(pai, "data-req-mode-flags")));
	assert_int_equal(i->data_req_init_agent_count,
	                 json_integer_value(json_object_get(pai, "data-req-init-agent-count")));
	assert_int_equal(i->data_req_init_manager_count,
	                 json_integer_value(json_object_get(pai, "data-req-init-manager-count")));
}

static void aarq_fixtures(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof aarqs / sizeof aarqs[0]; k++) {
		struct ieee_apdu a;
		uint8_t *b, out[128];
		size_t len;
		json_t *dec, *root = fx_json(aarqs[k], &dec), *full = json_object_get(dec, "full");
		struct ieee_wr w;

		parse_ok(aarqs[k], &a, &b, &len);
		assert_int_equal(a.type, IEEE_APDU_AARQ);
		assert_int_equal(a.length, json_integer_value(json_object_get(full, "length")));
		assert_int_equal(a.u.aarq.assoc_version, fx_hexval(json_object_get(full, "assoc-version")));
		assert_int_equal(a.u.aarq.n_protos, json_integer_value(json_object_get(full, "data-proto-list.count")));
		assert_true(a.u.aarq.has_20601);
		check_info(&a.u.aarq.info, json_object_get(full, "phd-association-information"));
		/* the simulator's encoder gives the same bytes back */
		ieee_wr_init(&w, out, sizeof out);
		ieee_aarq_encode(&w, &a.u.aarq.info);
		assert_int_equal(w.err, 0);
		assert_int_equal(w.pos, len);
		assert_memory_equal(out, b, len);
		json_decref(root);
		free(b);
	}
}

static void aare_fixtures(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof aares / sizeof aares[0]; k++) {
		struct ieee_apdu a;
		uint8_t *b, out[128];
		size_t len;
		json_t *dec, *root = fx_json(aares[k], &dec), *full = json_object_get(dec, "full");
		struct ieee_wr w;
		const char *res = json_string_value(json_object_get(full, "result"));

		parse_ok(aares[k], &a, &b, &len);
		assert_int_equal(a.type, IEEE_APDU_AARE);
		assert_int_equal(a.u.aare.result, !strcmp(res, "accepted") ? IEEE_AARE_ACCEPTED
		                                                          : IEEE_AARE_ACCEPTED_UNKNOWN_CONFIG);
		assert_int_equal(a.u.aare.proto_id, json_integer_value(json_object_get(full, "data-proto-id")));
		check_info(&a.u.aare.info, json_object_get(full, "phd-association-information"));
		/* the manager's AARE encoder reproduces the published response */
		ieee_wr_init(&w, out, sizeof out);
		ieee_aare_encode(&w, a.u.aare.result, &a.u.aare.info);
		assert_int_equal(w.pos, len);
		assert_memory_equal(out, b, len);
		json_decref(root);
		free(b);
	}
}

static void reason_fixtures(void **state)
{
	(void)state;
	static const struct { const char *name; uint16_t type, reason; } f[] = {
		{"antidote_abrt_buffer_overflow", IEEE_APDU_ABRT, IEEE_ABORT_BUFFER_OVERFLOW},
		{"antidote_abrt_config_timeout", IEEE_APDU_ABRT, IEEE_ABORT_CONFIG_TIMEOUT},
		{"antidote_abrt_response_timeout", IEEE_APDU_ABRT, IEEE_ABORT_RESPONSE_TIMEOUT},
		{"antidote_abrt_undefined", IEEE_APDU_ABRT, IEEE_ABORT_UNDEFINED},
		{"antidote_rlre_normal", IEEE_APDU_RLRE, IEEE_RELEASE_NORMAL},
		{"antidote_rlrq_normal", IEEE_APDU_RLRQ, IEEE_RELEASE_NORMAL},
	};
	for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
		struct ieee_apdu a;
		uint8_t *b, out[8];
		size_t len;
		json_t *dec, *root = fx_json(f[k].name, &dec), *sum = json_object_get(dec, "summary");
		const char *reason = json_string_value(json_object_get(sum, "reason"));
		struct ieee_wr w;

		parse_ok(f[k].name, &a, &b, &len);
		assert_string_equal(ieee_apdu_name(a.type), json_string_value(json_object_get(sum, "apdu")));
		assert_int_equal(a.type, f[k].type);
		assert_int_equal(a.u.reason, atoi(strchr(reason, '(') + 1));
		assert_int_equal(a.u.reason, f[k].reason);
		ieee_wr_init(&w, out, sizeof out);
		if (a.type == IEEE_APDU_ABRT) ieee_abrt_encode(&w, a.u.reason);
		else if (a.type == IEEE_APDU_RLRE) ieee_rlre_encode(&w, a.u.reason);
		else ieee_rlrq_encode(&w, a.u.reason);
		assert_int_equal(w.pos, len);
		assert_memory_equal(out, b, len);
		json_decref(root);
		free(b);
	}
}

static void prst_fixtures(void **state)
{
	(void)state;
	struct ieee_apdu a;
	uint8_t *b, out[128];
	size_t len;
	struct ieee_wr w;

	/* H.2.2.2 configuration response, re-encoded by the manager */
	parse_ok("antidote_H222_config_rsp_accepted", &a, &b, &len);
	assert_int_equal(a.u.prst.invoke_id, 0x4321);
	assert_int_equal(a.u.prst.choice, IEEE_RORS_CONF_EVENT_REPORT);
	assert_int_equal(a.u.prst.u.event.event_type, IEEE_NOTI_CONFIG);
	assert_int_equal(a.u.prst.u.event.info_len, 4);
	assert_int_equal(a.u.prst.u.event.info[0] << 8 | a.u.prst.u.event.info[1], 0x4000);
	assert_int_equal(a.u.prst.u.event.info[3], IEEE_CONFIG_ACCEPTED);
	ieee_wr_init(&w, out, sizeof out);
	ieee_config_rsp_encode(&w, 0x4321, 0x4000, IEEE_CONFIG_ACCEPTED);
	assert_int_equal(w.pos, len);
	assert_memory_equal(out, b, len);
	free(b);

	/* H.2.3.2 Get of all MDS attributes */
	parse_ok("antidote_H232_get_mds_all", &a, &b, &len);
	assert_int_equal(a.u.prst.choice, IEEE_ROIV_GET);
	assert_int_equal(a.u.prst.invoke_id, 0x3456);
	assert_int_equal(a.u.prst.u.get.obj_handle, 0);
	assert_int_equal(a.u.prst.u.get.n_ids, 0);
	ieee_wr_init(&w, out, sizeof out);
	ieee_get_encode(&w, 0x3456, 0, NULL, 0);
	assert_int_equal(w.pos, len);
	assert_memory_equal(out, b, len);
	free(b);

	/* H.2.4.2 confirmation of a fixed scan report */
	parse_ok("antidote_H242_event_rsp", &a, &b, &len);
	assert_int_equal(a.u.prst.choice, IEEE_RORS_CONF_EVENT_REPORT);
	assert_int_equal(a.u.prst.invoke_id, 0x4321);
	assert_int_equal(a.u.prst.u.event.event_type, IEEE_NOTI_SCAN_REPORT_FIXED);
	ieee_wr_init(&w, out, sizeof out);
	ieee_event_report_rsp_encode(&w, 0x4321, 0, 0, IEEE_NOTI_SCAN_REPORT_FIXED, NULL, 0);
	assert_int_equal(w.pos, len);
	assert_memory_equal(out, b, len);
	free(b);

	/* H.2.4.3 data request (manager-initiated transfer) */
	parse_ok("antidote_H243_data_request", &a, &b, &len);
	assert_int_equal(a.u.prst.choice, IEEE_ROIV_CONF_ACTION);
	assert_int_equal(a.u.prst.invoke_id, 0x7654);
	assert_int_equal(a.u.prst.u.action.action_type, IEEE_ACT_DATA_REQUEST);
	assert_int_equal(a.u.prst.u.action.info_len, 16);
	free(b);

	/* H.2.4.4 its response carrying a fixed report */
	parse_ok("antidote_H244_data_response_fixed", &a, &b, &len);
	assert_int_equal(a.u.prst.choice, IEEE_RORS_CONF_ACTION);
	assert_int_equal(a.u.prst.u.action.action_type, IEEE_ACT_DATA_REQUEST);
	assert_int_equal(a.u.prst.u.action.info_len, 0x32);
	free(b);
}

static void get_mds_response(void **state)
{
	(void)state;
	struct ieee_apdu a;
	uint8_t *b;
	size_t len;
	json_t *dec, *root = fx_json("antidote_H233_get_rsp_mds_scale", &dec);
	json_t *sum = json_object_get(dec, "summary");
	struct cab_device_id d = {0};
	struct ieee_mds_info info;
	char when[32];

	parse_ok("antidote_H233_get_rsp_mds_scale", &a, &b, &len);
	assert_int_equal(a.u.prst.choice, IEEE_RORS_GET);
	assert_int_equal(ieee_mds_apply(&a.u.prst.u.attrs.attrs, &d, &info), 6);
	assert_string_equal(d.manufacturer, json_string_value(json_object_get(sum, "manufacturer")));
	assert_string_equal(d.model, json_string_value(json_object_get(sum, "model")));
	assert_string_equal(d.system_id, json_string_value(json_object_get(sum, "system-id")));
	assert_string_equal(d.serial, json_string_value(json_object_get(sum, "prod-spec serial")));
	assert_int_equal(info.dev_config_id, fx_hexval(json_object_get(sum, "dev-config-id")));
	assert_int_equal(info.spec_profile, 0x100F);
	assert_int_equal(d.kind, CAB_KIND_SCALE);
	assert_true(info.has_time);
	time_t s = (time_t)(info.agent_time_ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S.00", &tm);
	assert_string_equal(when, json_string_value(json_object_get(sum, "MDC_ATTR_TIME_ABS")));
	assert_false(info.set_time_supported); /* no MdsTimeInfo in this MDS */
	json_decref(root);
	free(b);
}

/* Every prefix of every fixture is refused with an error, never read past. */
static void every_truncation_is_refused(void **state)
{
	(void)state;
	static const char *const all[] = {
		"antidote_H211_aarq_extended_cfg", "antidote_H212_aare_accepted_unknown_config",
		"antidote_H221_ID_05DC_config_scale_weight_height_bmi", "antidote_H233_get_rsp_mds_scale",
		"antidote_H241_ID_02BC_fixed_bp", "antidote_H244_data_response_fixed",
		"antidote_abrt_undefined", "antidote_H243_data_request",
	};
	for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
		size_t len;
		uint8_t *b = fx_hex(all[k], &len);
		for (size_t cut = 0; cut < len; cut++) {
			/* an exact-size copy so that ASan sees any read past the end */
			uint8_t *c = malloc(cut ? cut : 1);
			struct ieee_apdu a;
			char err[160] = "";
			memcpy(c, b, cut);
			int rc = ieee_apdu_parse(c, cut, &a, NULL, err, sizeof err);
			assert_int_not_equal(rc, 0);
			assert_true(err[0] != '\0');
			free(c);
		}
		free(b);
	}
}

static void lengths_and_counts_are_checked(void **state)
{
	(void)state;
	struct ieee_apdu a;
	char err[160];
	size_t len;
	uint8_t *b = fx_hex("antidote_H241_ID_02BC_fixed_bp", &len);

	/* PRST octet-string length contradicting the APDU length */
	b[5] ^= 0x01;
	assert_int_equal(ieee_apdu_parse(b, len, &a, NULL, err, sizeof err), IEEE_E_LENGTH);
	assert_non_null(strstr(err, "octet-string length"));
	b[5] ^= 0x01;
	/* DATA-apdu length past the end */
	b[11] = 0xFF;
	assert_int_equal(ieee_apdu_parse(b, len, &a, NULL, err, sizeof err), IEEE_E_LENGTH);
	free(b);

	/* APDU length past the end of the buffer */
	const uint8_t longer[] = {0xE4, 0x00, 0x00, 0x10, 0x00, 0x00};
	assert_int_equal(ieee_apdu_parse(longer, sizeof longer, &a, NULL, err, sizeof err),
	                 IEEE_E_TRUNCATED);
	assert_non_null(strstr(err, "RLRQ"));
	/* unknown APDU and DATA choices */
	const uint8_t unknown[] = {0xE9, 0x00, 0x00, 0x02, 0x00, 0x00};
	assert_int_equal(ieee_apdu_parse(unknown, sizeof unknown, &a, NULL, err, sizeof err),
	                 IEEE_E_INVALID);
	const uint8_t badchoice[] = {0xE7, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00, 0x01, 0x09, 0x99, 0x00, 0x00};
	assert_int_equal(ieee_apdu_parse(badchoice, sizeof badchoice, &a, NULL, err, sizeof err),
	                 IEEE_E_INVALID);
	/* a Get asking for 0xFFFF attributes */
	const uint8_t absurd[] = {0xE7, 0x00, 0x00, 0x0E, 0x00, 0x0C, 0x00, 0x01, 0x01, 0x03,
	                          0x00, 0x06, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00};
	assert_int_equal(ieee_apdu_parse(absurd, sizeof absurd, &a, NULL, err, sizeof err),
	                 IEEE_E_LIMIT);
	assert_non_null(strstr(err, "count 65535"));
	/* a system-id of 200 bytes */
	b = fx_hex("antidote_H211_aarq_extended_cfg", &len);
	b[35] = 200;
	assert_int_equal(ieee_apdu_parse(b, len, &a, NULL, err, sizeof err), IEEE_E_LIMIT);
	free(b);
	/* two APDUs back to back: the first is parsed, its size reported */
	const char *const two[] = {"antidote_rlrq_normal", "antidote_abrt_undefined", NULL};
	b = fx_concat(two, &len);
	size_t used;
	assert_int_equal(ieee_apdu_parse(b, len, &a, &used, err, sizeof err), 0);
	assert_int_equal(used, 6);
	assert_int_equal(ieee_apdu_frame_len(b + used, len - used), 6);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aarq_fixtures),
		cmocka_unit_test(aare_fixtures),
		cmocka_unit_test(reason_fixtures),
		cmocka_unit_test(prst_fixtures),
		cmocka_unit_test(get_mds_response),
		cmocka_unit_test(every_truncation_is_refused),
		cmocka_unit_test(lengths_and_counts_are_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
