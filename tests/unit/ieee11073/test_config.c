/* test_config.c — configuration reports (MDC_NOTI_CONFIG) from the replay fixtures
 * (Antidote H.2.2.1 style scale configurations, LDDI's extended 10404 pulse
 * oximeter) compared object by object; the built-in standard configurations; a
 * configuration that contradicts itself refused with a clear reason; unknown
 * attribute ids skipped; configurations kept per system-id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cabin/mdc.h"
#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/config.h"
#include "devices/proto/ieee11073/nomenclature.h"
#include "fixture.h"

static uint16_t valmap_attr(const char *name)
{
	if (!strncmp(name, "NU_VAL_OBS_SIMP", 15)) return IEEE_ATTR_NU_VAL_OBS_SIMP;
	if (!strncmp(name, "NU_VAL_OBS_BASIC", 16)) return IEEE_ATTR_NU_VAL_OBS_BASIC;
	if (!strncmp(name, "TIME_STAMP_ABS", 14)) return IEEE_ATTR_TIME_STAMP_ABS;
	fail_msg("unknown value map entry %s", name);
	return 0;
}

/* Parses the config report fixture NAME into C and compares with its summary. */
static void check_config_fixture(const char *name, struct ieee_config *c)
{
	struct ieee_apdu a;
	uint8_t *b;
	size_t len, i, j;
	char err[192] = "";
	json_t *dec, *root = fx_json(name, &dec), *sum = json_object_get(dec, "summary"), *o, *v;

	b = fx_hex(name, &len);
	assert_int_equal(ieee_apdu_parse(b, len, &a, NULL, err, sizeof err), 0);
	assert_int_equal(a.u.prst.choice, IEEE_ROIV_CONF_EVENT_REPORT);
	assert_int_equal(a.u.prst.u.event.event_type, IEEE_NOTI_CONFIG);
	if (ieee_config_report_parse(a.u.prst.u.event.info, a.u.prst.u.event.info_len, c, err, sizeof err))
		fail_msg("%s: %s", name, err);
	assert_int_equal(c->dev_config_id, fx_hexval(json_object_get(sum, "config-report-id")));
	assert_int_equal(c->n_objs, json_array_size(json_object_get(sum, "objects")));
	json_array_foreach(json_object_get(sum, "objects"), i, o) {
		const struct ieee_cfg_obj *x = &c->objs[i];
		const char *type = json_string_value(json_object_get(o, "type"));
		assert_int_equal(x->handle, json_integer_value(json_object_get(o, "handle")));
		assert_int_equal(x->obj_class, IEEE_MOC_VMO_METRIC_NU);
		assert_int_equal(x->type_part, atoi(type));
		assert_int_equal(x->type_code, strtoul(strchr(type, '/') + 1, NULL, 16));
		/* the name the fixture gives is the one Cabin's table gives */
		assert_non_null(strstr(type, cab_mdc_name(MDC_FULL(x->type_part, x->type_code))));
		assert_int_equal(x->unit, fx_hexval(json_object_get(o, "unit")));
		assert_int_equal(x->n_valmap, json_array_size(json_object_get(o, "val-map")));
		json_array_foreach(json_object_get(o, "val-map"), j, v) {
			const char *e = json_string_value(v);
			assert_int_equal(x->valmap[j].attr_id, valmap_attr(e));
			assert_int_equal(x->valmap[j].len, atoi(strchr(e, ':') + 1));
		}
	}
	json_decref(root);
	free(b);
}

static void config_fixtures(void **state)
{
	(void)state;
	struct ieee_config c;

	check_config_fixture("antidote_H221_ID_05DC_config_scale_weight_height_bmi", &c);
	assert_int_equal(c.kind, CAB_KIND_SCALE);
	check_config_fixture("antidote_H221_config_ext_scale_weight_bodyfat", &c);
	check_config_fixture("lddi_ExtendedCfg10404_pulseox", &c);
	assert_int_equal(c.kind, CAB_KIND_PULSE_OXIMETER);
	/* the LDDI object 3 carries MDC_ATTR_SUPPLEMENTAL_TYPES: known, skipped */
	assert_int_equal(c.objs[2].n_unknown_attrs, 0);
}

static void standard_configs(void **state)
{
	(void)state;
	static const struct { uint16_t id; enum cab_device_kind kind; unsigned n; } s[] = {
		{0x0190, CAB_KIND_PULSE_OXIMETER, 2}, {0x0191, CAB_KIND_PULSE_OXIMETER, 2},
		{0x02BC, CAB_KIND_BLOOD_PRESSURE, 2}, {0x0320, CAB_KIND_THERMOMETER, 1},
		{0x05DC, CAB_KIND_SCALE, 1},          {0x06A4, CAB_KIND_GLUCOMETER, 1},
	};
	char err[160];
	for (size_t k = 0; k < sizeof s / sizeof s[0]; k++) {
		const struct ieee_config *c = ieee_std_config(s[k].id);
		assert_non_null(c);
		assert_int_equal(c->kind, s[k].kind);
		assert_int_equal(ieee_config_kind(c), s[k].kind);
		assert_int_equal(c->n_objs, s[k].n);
		assert_int_equal(ieee_config_validate(c, err, sizeof err), 0);
	}
	assert_null(ieee_std_config(0x4000));
	assert_null(ieee_std_config(0x0000));
	/* 10407: the NIBP compound lists systolic, diastolic, mean */
	const struct ieee_cfg_obj *o = ieee_config_find(ieee_std_config(0x02BC), 1);
	assert_int_equal(o->n_physio, 3);
	assert_int_equal(o->physio[0], MDC_PRESS_BLD_NONINV_SYS);
	assert_int_equal(o->physio[2], MDC_PRESS_BLD_NONINV_MEAN);
	assert_int_equal(ieee_attr_fixed_len(IEEE_ATTR_NU_CMPD_VAL_OBS_BASIC, o), 10);
	assert_null(ieee_config_find(ieee_std_config(0x02BC), 3));
}

/* The config report of the weight/body fat scale, as event-info bytes. */
static uint8_t *bodyfat_info(size_t *len, uint8_t **apdu)
{
	size_t n;
	*apdu = fx_hex("antidote_H221_config_ext_scale_weight_bodyfat", &n);
	*len = n - 22;
	return *apdu + 22;
}

static void contradictions_are_refused(void **state)
{
	(void)state;
	struct ieee_config c;
	char err[192];
	uint8_t *apdu, *info;
	size_t len;

	/* sanity: unmodified it is accepted */
	info = bodyfat_info(&len, &apdu);
	assert_int_equal(ieee_config_report_parse(info, len, &c, err, sizeof err), 0);
	/* duplicate handles: object 2 takes handle 1 */
	info[6 + 44 + 3] = 0x01;
	assert_int_equal(ieee_config_report_parse(info, len, &c, err, sizeof err), IEEE_E_CONFIG);
	assert_string_equal(err, "configuration: handle 1 used by objects 1 and 2");
	free(apdu);

	/* a value map giving FLOAT (Simple-Nu) 2 bytes instead of 4 */
	info = bodyfat_info(&len, &apdu);
	info[45] = 0x02; /* length of the first value-map entry */
	assert_int_equal(ieee_config_report_parse(info, len, &c, err, sizeof err), IEEE_E_CONFIG);
	assert_string_equal(err, "configuration: handle 1 maps attribute 0x0A56 with 2 bytes");
	free(apdu);

	/* handle 0 is the MDS's */
	info = bodyfat_info(&len, &apdu);
	info[9] = 0x00;
	assert_int_equal(ieee_config_report_parse(info, len, &c, err, sizeof err), IEEE_E_CONFIG);
	assert_non_null(strstr(err, "handle 0"));
	free(apdu);

	/* an object count beyond the hard maximum */
	info = bodyfat_info(&len, &apdu);
	info[2] = 0x10;
	assert_int_equal(ieee_config_report_parse(info, len, &c, err, sizeof err), IEEE_E_LIMIT);
	assert_non_null(strstr(err, "config-obj-list count 4098"));
	free(apdu);

	/* an attribute length running past its object */
	info = bodyfat_info(&len, &apdu);
	info[6 + 4 + 4 + 3] = 0x40;
	assert_int_equal(ieee_config_report_parse(info, len, &c, err, sizeof err), IEEE_E_TRUNCATED);
	free(apdu);
}

static void unknown_attributes_are_skipped(void **state)
{
	(void)state;
	struct ieee_config c;
	char err[192];
	uint8_t *apdu, *info;
	size_t len;

	/* MDC_ATTR_METRIC_SPEC_SMALL of object 1 renamed 0x7777: skipped, counted */
	info = bodyfat_info(&len, &apdu);
	info[6 + 4 + 4 + 8] = 0x77;
	info[6 + 4 + 4 + 9] = 0x77;
	assert_int_equal(ieee_config_report_parse(info, len, &c, err, sizeof err), 0);
	assert_int_equal(c.objs[0].n_unknown_attrs, 1);
	assert_int_equal(c.objs[0].metric_spec_small, 0);
	assert_int_equal(c.objs[0].unit, MDC_DIM_KILO_G);
	free(apdu);

	/* the type renamed: the metric object has no type, which contradicts itself */
	info = bodyfat_info(&len, &apdu);
	info[6 + 4 + 4] = 0x77;
	assert_int_equal(ieee_config_report_parse(info, len, &c, err, sizeof err), IEEE_E_CONFIG);
	assert_string_equal(err, "configuration: metric handle 1 has no MDC_ATTR_ID_TYPE");
	free(apdu);
}

static void store_keeps_configs_per_system_id(void **state)
{
	(void)state;
	struct ieee_mem_store mem;
	struct ieee_config_store s;
	struct ieee_config c = *ieee_std_config(0x05DC), got;
	const uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {8, 7, 6, 5, 4, 3, 2, 1};

	ieee_mem_store_init(&mem, &s);
	c.dev_config_id = 0x4000;
	assert_int_equal(s.load(s.user, a, 0x4000, &got), -1);
	assert_int_equal(s.save(s.user, a, &c), 0);
	assert_int_equal(s.load(s.user, a, 0x4000, &got), 0);
	assert_int_equal(got.objs[0].type_code, MDC_MASS_BODY_ACTUAL);
	assert_int_equal(s.load(s.user, b, 0x4000, &got), -1); /* another agent */
	assert_int_equal(s.load(s.user, a, 0x4001, &got), -1); /* another config */
	/* bounded: more agents than slots replaces the oldest */
	for (int k = 0; k < IEEE_MEM_STORE_MAX; k++) {
		uint8_t id[8] = {0xAA, (uint8_t)k};
		s.save(s.user, id, &c);
	}
	assert_int_equal(mem.n, IEEE_MEM_STORE_MAX);
	assert_int_equal(s.load(s.user, a, 0x4000, &got), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_fixtures),
		cmocka_unit_test(standard_configs),
		cmocka_unit_test(contradictions_are_refused),
		cmocka_unit_test(unknown_attributes_are_skipped),
		cmocka_unit_test(store_keeps_configs_per_system_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
