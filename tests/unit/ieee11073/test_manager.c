/* test_manager.c — the IEEE 11073-20601 manager state machine driven through whole
 * conversations: the published Annex H APDUs (Antidote fixtures) answered byte for
 * byte, the simulated agents of the five specializations, Get MDS and Set-Time,
 * release and abort, every timeout with an injected clock, "not handled" pairs,
 * malformed input, and never a clear-segment action. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>

#include "cabin/mdc.h"
#include "devices/proto/ieee11073/manager.h"
#include "devices/proto/ieee11073/nomenclature.h"
#include "devices/sim/ieee11073_agent.h"
#include "fixture.h"

/* 2026-11-29T14:00:00 as the cabin's wall clock */
#define WALL0 1796392800000LL

struct rig {
	int64_t mono, wall;
	struct ieee_manager m;
	struct ieee_mgr_out out;
	struct ieee_mem_store mem;
	struct ieee_config_store store;
	struct cab_sim11073 agent;
	size_t n_readings;
	struct cab_reading readings[64];
	unsigned events;          /* bit set of ieee_mgr_event seen since last clear */
};

static int64_t mono_now(void *u) { return ((struct rig *)u)->mono; }
static int64_t wall_now(void *u) { return ((struct rig *)u)->wall; }

static struct rig *rig_new(const uint8_t manager_id[8])
{
	struct rig *r = calloc(1, sizeof *r);
	struct ieee_mgr_opts o = {0};

	r->mono = 1000;
	r->wall = WALL0;
	memcpy(o.system_id, manager_id, 8);
	o.mono = (struct cab_clock){mono_now, r};
	o.wall = (struct cab_clock){wall_now, r};
	o.session_start_ms = WALL0 - 600000; /* the session began 10 minutes ago */
	ieee_mem_store_init(&r->mem, &r->store);
	o.store = &r->store;
	ieee_mgr_init(&r->m, &o);
	ieee_mgr_connect(&r->m, &r->out);
	assert_int_equal(r->m.state, IEEE_ST_UNASSOCIATED);
	return r;
}

/* Checks what the manager sent: never a clear-segment action (stored measurements
 * are never erased). Collects readings and events. */
static void collect(struct rig *r)
{
	for (size_t k = 0; k < r->out.n_tx; k++) {
		struct ieee_apdu a;
		assert_int_equal(ieee_apdu_parse(r->out.tx[k].buf, r->out.tx[k].len, &a, NULL, NULL, 0), 0);
		if (a.type == IEEE_APDU_PRST && (a.u.prst.choice == IEEE_ROIV_CONF_ACTION ||
		                                 a.u.prst.choice == IEEE_ROIV_ACTION))
			assert_int_not_equal(a.u.prst.u.action.action_type, IEEE_ACT_SEG_CLR);
	}
	for (size_t k = 0; k < r->out.n_readings && r->n_readings < 64; k++)
		r->readings[r->n_readings++] = r->out.readings[k];
	for (size_t k = 0; k < r->out.n_events; k++)
		r->events |= 1u << r->out.events[k];
}

/* Gives the agent's APDU to the manager, then plays the agent's answers to what
 * the manager sends until both are quiet. */
static void agent_says(struct rig *r, const uint8_t *apdu, size_t len)
{
	uint8_t q[8][IEEE_TX_MAX > 512 ? IEEE_TX_MAX : 512];
	size_t ql[8], n = 0;

	ieee_mgr_receive(&r->m, apdu, len, &r->out);
	collect(r);
	for (;;) {
		n = 0;
		for (size_t k = 0; k < r->out.n_tx && n < 8; k++) {
			size_t l = cab_sim11073_receive(&r->agent, r->out.tx[k].buf, r->out.tx[k].len, q[n],
			                                sizeof q[n]);
			if (l)
				ql[n++] = l;
		}
		if (!n)
			return;
		for (size_t k = 0; k < n; k++) {
			ieee_mgr_receive(&r->m, q[k], ql[k], &r->out);
			collect(r);
		}
	}
}

static int has_event(const struct rig *r, enum ieee_mgr_event e)
{
	return (r->events >> e) & 1u;
}

static void expect_tx_fixture(const struct rig *r, size_t k, const char *name)
{
	size_t len;
	uint8_t *b = fx_hex(name, &len);
	assert_true(k < r->out.n_tx);
	assert_int_equal(r->out.tx[k].len, len);
	assert_memory_equal(r->out.tx[k].buf, b, len);
	free(b);
}

static void feed_fixture(struct rig *r, const char *name)
{
	size_t len;
	uint8_t *b = fx_hex(name, &len);
	assert_int_equal(ieee_mgr_receive(&r->m, b, len, &r->out), 0);
	collect(r);
	free(b);
}

static const uint8_t H212_MANAGER[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};

/* Annex H: extended configuration, config report, fixed report, release by the
 * agent, every answer of the manager equal to the published one. */
static void annex_h_conversation(void **state)
{
	(void)state;
	struct rig *r = rig_new(H212_MANAGER);

	feed_fixture(r, "antidote_H211_aarq_extended_cfg");
	assert_int_equal(r->m.state, IEEE_ST_CFG_WAITING);
	assert_int_equal(r->out.n_tx, 1);
	expect_tx_fixture(r, 0, "antidote_H212_aare_accepted_unknown_config");

	feed_fixture(r, "antidote_H221_config_ext_scale_weight_bodyfat");
	assert_int_equal(r->m.state, IEEE_ST_OPERATING);
	expect_tx_fixture(r, 0, "antidote_H222_config_rsp_accepted");
	assert_true(has_event(r, IEEE_EV_CONFIGURED));
	assert_true(has_event(r, IEEE_EV_ASSOCIATED));
	assert_int_equal(r->out.n_tx, 2); /* then the Get of the MDS attributes */

	feed_fixture(r, "antidote_H241_fixed_scale");
	expect_tx_fixture(r, 0, "antidote_H242_event_rsp");
	assert_int_equal(r->n_readings, 2);
	assert_int_equal(r->readings[0].mdc, MDC_FULL(2, MDC_MASS_BODY_ACTUAL));
	assert_true(r->readings[0].value == 62.4);
	assert_string_equal(r->readings[0].ucum, "kg");
	assert_int_equal(r->readings[1].mdc, MDC_FULL(2, MDC_BODY_FAT));
	assert_true(r->readings[1].value == 25.6);
	assert_string_equal(r->readings[1].ucum, "%");
	/* measured in 2007: long before this session */
	assert_true(r->readings[0].flags & CAB_RF_BEFORE_SESSION);
	assert_string_equal(r->readings[0].device.system_id, "8877665544332211");
	assert_int_equal(r->readings[0].device.kind, CAB_KIND_SCALE);
	assert_int_equal(r->readings[0].cabin_time_ms, WALL0);

	feed_fixture(r, "antidote_rlrq_normal");
	expect_tx_fixture(r, 0, "antidote_rlre_normal");
	assert_int_equal(r->m.state, IEEE_ST_UNASSOCIATED);
	assert_true(has_event(r, IEEE_EV_RELEASED));

	/* the same agent again: its configuration is known by its system-id now */
	feed_fixture(r, "antidote_H211_aarq_extended_cfg");
	assert_int_equal(r->m.state, IEEE_ST_OPERATING);
	assert_int_equal(r->out.tx[0].buf[5], IEEE_AARE_ACCEPTED);
	free(r);
}

/* Each simulated specialization: association with its standard configuration,
 * Get MDS, Set-Time, a confirmed measurement, release by the manager. */
static void simulated_agents(void **state)
{
	(void)state;
	static const struct {
		enum cab_device_kind kind;
		size_t n;
		double v[4];
		uint32_t mdc[4];
		const char *ucum[4];
	} s[] = {
		{CAB_KIND_THERMOMETER, 1, {36.6}, {MDC_TEMP_BODY}, {"Cel"}},
		{CAB_KIND_BLOOD_PRESSURE, 4, {128, 82, 97.3, 66},
		 {MDC_PRESS_BLD_NONINV_SYS, MDC_PRESS_BLD_NONINV_DIA, MDC_PRESS_BLD_NONINV_MEAN,
		  MDC_PULS_RATE_NON_INV}, {"mm[Hg]", "mm[Hg]", "mm[Hg]", "/min"}},
		{CAB_KIND_PULSE_OXIMETER, 2, {97, 64}, {MDC_PULS_OXIM_SAT_O2, MDC_PULS_OXIM_PULS_RATE},
		 {"%", "/min"}},
		{CAB_KIND_SCALE, 1, {71.35}, {MDC_MASS_BODY_ACTUAL}, {"kg"}},
		{CAB_KIND_GLUCOMETER, 1, {104}, {MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD}, {"mg/dL"}},
	};
	for (size_t k = 0; k < sizeof s / sizeof s[0]; k++) {
		for (int extended = 0; extended <= 1; extended++) {
			struct rig *r = rig_new((const uint8_t *)"CABIN001");
			uint8_t b[512];
			size_t len;

			assert_int_equal(cab_sim11073_init(&r->agent, s[k].kind), 0);
			r->agent.extended = extended;
			r->agent.clock_ms = WALL0 - 86400000LL * 400; /* clock wrong by 400 days */
			len = cab_sim11073_aarq(&r->agent, b, sizeof b);
			agent_says(r, b, len);
			if (extended) {
				assert_int_equal(r->agent.assoc_result, IEEE_AARE_ACCEPTED_UNKNOWN_CONFIG);
				len = cab_sim11073_config_report(&r->agent, b, sizeof b);
				agent_says(r, b, len);
				assert_int_equal(r->agent.config_result, IEEE_CONFIG_ACCEPTED);
			} else {
				assert_int_equal(r->agent.assoc_result, IEEE_AARE_ACCEPTED);
			}
			assert_int_equal(r->m.state, IEEE_ST_OPERATING);
			assert_true(has_event(r, IEEE_EV_DEVICE_INFO));
			assert_true(has_event(r, IEEE_EV_TIME_SET));
			assert_int_equal(r->agent.time_set, 1);
			assert_int_equal(r->agent.clock_ms, WALL0); /* set from the cabin's clock */

			len = cab_sim11073_measurement(&r->agent, s[k].v, s[k].n, WALL0 + 5000, b, sizeof b);
			assert_true(len > 0);
			agent_says(r, b, len);
			assert_int_equal(r->agent.reports_confirmed, 1);
			assert_int_equal(r->n_readings, s[k].n);
			for (size_t j = 0; j < s[k].n; j++) {
				const struct cab_reading *x = &r->readings[j];
				assert_int_equal(x->mdc, MDC_FULL(2, s[k].mdc[j]));
				assert_true(x->value == s[k].v[j]);
				assert_string_equal(x->ucum, s[k].ucum[j]);
				assert_int_equal(x->device_time_ms, WALL0 + 5000);
				assert_int_equal(x->flags, 0);
				assert_int_equal(x->device.kind, s[k].kind);
				assert_string_equal(x->device.manufacturer, "Cabin");
				assert_string_equal(x->device.serial, "SIM00001");
				assert_string_equal(x->device.firmware, "1.0");
			}
			/* a measurement from before the session is flagged */
			len = cab_sim11073_measurement(&r->agent, s[k].v, s[k].n, WALL0 - 3600000, b, sizeof b);
			agent_says(r, b, len);
			assert_true(r->readings[s[k].n].flags & CAB_RF_BEFORE_SESSION);

			ieee_mgr_release(&r->m, &r->out);
			collect(r);
			assert_int_equal(r->m.state, IEEE_ST_DISASSOCIATING);
			assert_int_equal(r->out.n_tx, 1);
			expect_tx_fixture(r, 0, "antidote_rlrq_normal");
			len = cab_sim11073_receive(&r->agent, r->out.tx[0].buf, r->out.tx[0].len, b, sizeof b);
			assert_int_equal(len, 6); /* the agent answers RLRE */
			assert_true(r->agent.released);
			agent_says(r, b, len);
			assert_int_equal(r->m.state, IEEE_ST_UNASSOCIATED);
			assert_true(has_event(r, IEEE_EV_RELEASED));
			free(r);
		}
	}
}

static void set_time_only_when_supported(void **state)
{
	(void)state;
	struct rig *r = rig_new((const uint8_t *)"CABIN001");
	uint8_t b[256];
	size_t len;

	cab_sim11073_init(&r->agent, CAB_KIND_THERMOMETER);
	r->agent.set_time_supported = 0;
	len = cab_sim11073_aarq(&r->agent, b, sizeof b);
	agent_says(r, b, len);
	assert_true(has_event(r, IEEE_EV_DEVICE_INFO));
	assert_false(has_event(r, IEEE_EV_TIME_SET));
	assert_int_equal(r->agent.time_set, 0);
	assert_int_equal(r->m.pending_kind, 0);
	free(r);

	/* an agent whose clock is 400 days behind and cannot be set: its time stamps are
	 * corrected by the offset its MDS time showed before the session check */
	const int64_t behind = 400LL * 86400000;
	r = rig_new((const uint8_t *)"CABIN001");
	cab_sim11073_init(&r->agent, CAB_KIND_THERMOMETER);
	r->agent.set_time_supported = 0;
	r->agent.clock_ms = WALL0 - behind;
	len = cab_sim11073_aarq(&r->agent, b, sizeof b);
	agent_says(r, b, len);
	assert_int_equal(r->m.clock_offset_ms, behind);
	double t = 36.9;
	len = cab_sim11073_measurement(&r->agent, &t, 1, WALL0 - behind + 5000, b, sizeof b);
	agent_says(r, b, len);
	len = cab_sim11073_measurement(&r->agent, &t, 1, WALL0 - behind - 86400000, b, sizeof b);
	agent_says(r, b, len);
	assert_int_equal(r->n_readings, 2);
	assert_int_equal(r->readings[0].device_time_ms, WALL0 - behind + 5000); /* kept as sent */
	assert_false(r->readings[0].flags & CAB_RF_BEFORE_SESSION);
	assert_true(r->readings[1].flags & CAB_RF_BEFORE_SESSION);
	free(r);
}

static void agent_abort_and_manager_abort(void **state)
{
	(void)state;
	struct rig *r = rig_new((const uint8_t *)"CABIN001");
	uint8_t b[256];
	size_t len;

	cab_sim11073_init(&r->agent, CAB_KIND_PULSE_OXIMETER);
	len = cab_sim11073_aarq(&r->agent, b, sizeof b);
	agent_says(r, b, len);
	feed_fixture(r, "antidote_abrt_buffer_overflow");
	assert_int_equal(r->m.state, IEEE_ST_UNASSOCIATED);
	assert_true(has_event(r, IEEE_EV_ABORTED));
	assert_int_equal(r->out.n_tx, 0);

	len = cab_sim11073_aarq(&r->agent, b, sizeof b);
	agent_says(r, b, len);
	assert_int_equal(r->m.state, IEEE_ST_OPERATING);
	ieee_mgr_abort(&r->m, &r->out);
	expect_tx_fixture(r, 0, "antidote_abrt_undefined");
	assert_int_equal(r->m.state, IEEE_ST_UNASSOCIATED);

	ieee_mgr_disconnect(&r->m, &r->out);
	assert_int_equal(r->m.state, IEEE_ST_DISCONNECTED);
	assert_int_equal(r->out.events[0], IEEE_EV_DISCONNECTED);
	free(r);
}

static void timeouts(void **state)
{
	(void)state;
	struct rig *r = rig_new(H212_MANAGER);
	uint8_t b[256];
	size_t len;

	/* no AARQ within TO_assoc: reported, nothing sent */
	r->mono += IEEE_TO_ASSOC_MS - 1;
	ieee_mgr_tick(&r->m, &r->out);
	assert_int_equal(r->out.n_events, 0);
	r->mono += 1;
	ieee_mgr_tick(&r->m, &r->out);
	assert_int_equal(r->out.n_tx, 0);
	assert_int_equal(r->out.events[0], IEEE_EV_IDLE);
	assert_non_null(strstr(r->out.error, "no association request"));
	assert_int_equal(ieee_mgr_deadline(&r->m), INT64_MAX);

	/* no configuration report within TO_config (10 s) */
	feed_fixture(r, "antidote_H211_aarq_extended_cfg");
	assert_int_equal(ieee_mgr_deadline(&r->m), r->mono + 10000);
	r->mono += 9999;
	ieee_mgr_tick(&r->m, &r->out);
	assert_int_equal(r->out.n_tx, 0);
	r->mono += 1;
	ieee_mgr_tick(&r->m, &r->out);
	expect_tx_fixture(r, 0, "antidote_abrt_config_timeout");
	assert_int_equal(r->m.state, IEEE_ST_UNASSOCIATED);

	/* Get MDS unanswered within 3 s */
	cab_sim11073_init(&r->agent, CAB_KIND_SCALE);
	len = cab_sim11073_aarq(&r->agent, b, sizeof b);
	ieee_mgr_receive(&r->m, b, len, &r->out);
	assert_int_equal(r->m.state, IEEE_ST_OPERATING);
	assert_int_equal(r->m.pending_kind, IEEE_ROIV_GET);
	r->mono += IEEE_TO_RESPONSE_MS;
	ieee_mgr_tick(&r->m, &r->out);
	expect_tx_fixture(r, 0, "antidote_abrt_response_timeout");
	assert_int_equal(r->m.state, IEEE_ST_UNASSOCIATED);

	/* release unanswered within 3 s */
	len = cab_sim11073_aarq(&r->agent, b, sizeof b);
	agent_says(r, b, len);
	ieee_mgr_release(&r->m, &r->out);
	assert_int_equal(r->m.state, IEEE_ST_DISASSOCIATING);
	r->mono += IEEE_TO_RELEASE_MS;
	ieee_mgr_tick(&r->m, &r->out);
	expect_tx_fixture(r, 0, "antidote_abrt_undefined");
	assert_int_equal(r->m.state, IEEE_ST_UNASSOCIATED);
	free(r);
}

static void not_handled_pairs(void **state)
{
	(void)state;
	struct rig *r = rig_new(H212_MANAGER);
	struct ieee_manager fresh;
	struct ieee_mgr_opts o = {0};
	size_t len;
	uint8_t *b;

	/* connect twice */
	ieee_mgr_connect(&r->m, &r->out);
	assert_int_equal(r->out.events[0], IEEE_EV_NOT_HANDLED);
	assert_int_equal(r->m.state, IEEE_ST_UNASSOCIATED);
	/* APDUs and requests while disconnected */
	ieee_mgr_init(&fresh, &o);
	b = fx_hex("antidote_H211_aarq_extended_cfg", &len);
	ieee_mgr_receive(&fresh, b, len, &r->out);
	assert_int_equal(r->out.n_tx, 0);
	assert_int_equal(r->out.events[0], IEEE_EV_NOT_HANDLED);
	ieee_mgr_release(&fresh, &r->out);
	assert_int_equal(r->out.events[0], IEEE_EV_NOT_HANDLED);
	assert_int_equal(fresh.state, IEEE_ST_DISCONNECTED);
	free(b);
	free(r);
}

static void protocol_violations(void **state)
{
	(void)state;
	struct rig *r = rig_new(H212_MANAGER);
	uint8_t junk[] = {0xE7, 0x00, 0x00, 0x04, 0x00, 0x09, 0x00, 0x00};

	/* a report before any association: abort (row 2.19) */
	feed_fixture(r, "antidote_H241_fixed_scale");
	expect_tx_fixture(r, 0, "antidote_abrt_undefined");
	assert_int_equal(r->n_readings, 0);

	/* a configuration that contradicts itself: refused, the agent may try again */
	feed_fixture(r, "antidote_H211_aarq_extended_cfg");
	size_t len;
	uint8_t *b = fx_hex("antidote_H221_config_ext_scale_weight_bodyfat", &len);
	b[22 + 6 + 44 + 3] = 0x01; /* both objects handle 1 */
	ieee_mgr_receive(&r->m, b, len, &r->out);
	assert_int_equal(r->m.state, IEEE_ST_CFG_WAITING);
	assert_int_equal(r->out.n_tx, 1);
	assert_int_equal(r->out.tx[0].buf[r->out.tx[0].len - 1], IEEE_CONFIG_UNSUPPORTED);
	assert_string_equal(r->out.error, "configuration: handle 1 used by objects 1 and 2");
	free(b);
	/* a config report whose id differs from the association's */
	b = fx_hex("antidote_H221_config_ext_scale_weight_bodyfat", &len);
	b[23] = 0x01; /* report id 0x4001 */
	ieee_mgr_receive(&r->m, b, len, &r->out);
	assert_int_equal(r->m.state, IEEE_ST_CFG_WAITING);
	assert_non_null(strstr(r->out.error, "0x4001 does not match"));
	free(b);
	feed_fixture(r, "antidote_H221_config_ext_scale_weight_bodyfat");
	assert_int_equal(r->m.state, IEEE_ST_OPERATING);

	/* a report with a handle outside the configuration: roer, no guess */
	b = fx_hex("antidote_H241_fixed_scale", &len);
	b[22 + 8 + 16 + 1] = 5;
	ieee_mgr_receive(&r->m, b, len, &r->out);
	collect(r);
	assert_int_equal(r->m.state, IEEE_ST_OPERATING);
	assert_int_equal(r->out.n_readings, 1); /* the first observation was fine */
	assert_int_equal(r->out.tx[0].buf[8] << 8 | r->out.tx[0].buf[9], IEEE_ROER);
	assert_non_null(strstr(r->out.error, "handle 5 is not in configuration"));
	free(b);

	/* undecodable APDU: abort */
	assert_int_equal(ieee_mgr_receive(&r->m, junk, sizeof junk, &r->out), IEEE_E_LENGTH);
	expect_tx_fixture(r, 0, "antidote_abrt_undefined");
	assert_int_equal(r->m.state, IEEE_ST_UNASSOCIATED);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(annex_h_conversation),
		cmocka_unit_test(simulated_agents),
		cmocka_unit_test(set_time_only_when_supported),
		cmocka_unit_test(agent_abort_and_manager_abort),
		cmocka_unit_test(timeouts),
		cmocka_unit_test(not_handled_pairs),
		cmocka_unit_test(protocol_violations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
