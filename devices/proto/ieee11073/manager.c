/* manager.c — the IEEE 11073-20601 manager state machine as a table of
 * {state, input, next state, action} rows. Each row cites the row of the manager
 * state table of IEEE 11073-20601 Annex E it implements, numbered <state>.<event>
 * as in the standard (and as Signove Antidote's src/communication/fsm.c cites
 * them): 1 disconnected, 2 unassociated, 6 waiting for config, 7 checking config,
 * 8 operating, 9 disassociating. A (state, input) pair without a row is "not
 * handled": logged and reported, never guessed. Pure: no I/O besides logging. */
#include "devices/proto/ieee11073/manager.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "devices/proto/ieee11073/mds.h"
#include "devices/proto/ieee11073/nomenclature.h"

#define LOG "ieee11073"

typedef void (*act_fn)(struct ieee_manager *m);

struct row {
	uint8_t state;    /* enum ieee_mgr_state */
	uint8_t input;    /* enum ieee_mgr_input */
	uint8_t next;     /* enum ieee_mgr_state */
	act_fn act;       /* may be NULL */
	const char *ref;  /* row of the 20601 Annex E manager state table */
};

static void fire(struct ieee_manager *m, enum ieee_mgr_input in);

/* --- outputs -------------------------------------------------------------- */

static void event(struct ieee_manager *m, enum ieee_mgr_event e)
{
	if (m->out->n_events < IEEE_MGR_EVENTS_MAX)
		m->out->events[m->out->n_events++] = e;
}

static void error(struct ieee_manager *m, const char *msg)
{
	snprintf(m->out->error, sizeof m->out->error, "%s", msg);
	cab_warn(LOG, "%s", msg);
	event(m, IEEE_EV_ERROR);
}

/* Gives a writer over the next transmit slot; commit with tx_commit(). */
static int tx_open(struct ieee_manager *m, struct ieee_wr *w)
{
	if (m->out->n_tx >= IEEE_MGR_TX_MAX) {
		error(m, "too many APDUs to send in one step");
		ieee_wr_init(w, NULL, 0);
		return 0;
	}
	ieee_wr_init(w, m->out->tx[m->out->n_tx].buf, IEEE_TX_MAX);
	return 1;
}

static void tx_commit(struct ieee_manager *m, struct ieee_wr *w)
{
	if (!w->buf || w->err)
		return;
	m->out->tx[m->out->n_tx++].len = w->pos;
}

static int64_t now_mono(const struct ieee_manager *m)
{
	return m->o.mono.now_ms ? m->o.mono.now_ms(m->o.mono.user) : 0;
}

static int64_t now_wall(const struct ieee_manager *m)
{
	return m->o.wall.now_ms ? m->o.wall.now_ms(m->o.wall.user) : 0;
}

static void timer(struct ieee_manager *m, int64_t ms)
{
	m->deadline = now_mono(m) + ms;
}

static void manager_info(const struct ieee_manager *m, struct ieee_assoc_info *i)
{
	memset(i, 0, sizeof *i);
	i->protocol_version = IEEE_PROTOCOL_VERSION1;
	i->encoding_rules = IEEE_ENC_MDER;
	i->nomenclature_version = IEEE_NOM_VERSION1;
	i->system_type = IEEE_SYS_TYPE_MANAGER;
	memcpy(i->system_id, m->o.system_id, 8);
	i->system_id_len = 8;
}

static void send_abort(struct ieee_manager *m, uint16_t reason)
{
	struct ieee_wr w;

	if (tx_open(m, &w)) {
		ieee_abrt_encode(&w, reason);
		tx_commit(m, &w);
	}
	m->pending_kind = 0;
	event(m, IEEE_EV_ABORTED);
}

/* --- requests the manager makes in operating -------------------------------- */

static uint16_t invoke_id(struct ieee_manager *m)
{
	return m->next_invoke++;
}

/* Get of all MDS attributes (20601 8.5.3, Annex H.2.3.2). */
static void request_mds(struct ieee_manager *m)
{
	struct ieee_wr w;

	if (m->o.no_get_mds || !tx_open(m, &w))
		return;
	m->pending_invoke = invoke_id(m);
	m->pending_kind = IEEE_ROIV_GET;
	ieee_get_encode(&w, m->pending_invoke, 0, NULL, 0);
	tx_commit(m, &w);
	timer(m, IEEE_TO_RESPONSE_MS);
}

/* Confirmed action MDC_ACT_SET_TIME with the cabin's wall clock. */
static void request_set_time(struct ieee_manager *m)
{
	struct ieee_wr w;

	if (!tx_open(m, &w))
		return;
	m->pending_invoke = invoke_id(m);
	m->pending_kind = IEEE_ROIV_CONF_ACTION;
	ieee_set_time_encode(&w, m->pending_invoke, now_wall(m));
	tx_commit(m, &w);
	timer(m, IEEE_TO_RESPONSE_MS);
}

/* --- actions ---------------------------------------------------------------- */

static void act_connected(struct ieee_manager *m)
{
	m->device = m->o.device;
	m->have_cfg = 0;
	m->time_set = 0;
	m->clock_offset_ms = 0;
	timer(m, IEEE_TO_ASSOC_MS);
}

static void act_disconnected(struct ieee_manager *m)
{
	m->pending_kind = 0;
	event(m, IEEE_EV_DISCONNECTED);
}

static void act_no_aarq(struct ieee_manager *m)
{
	snprintf(m->out->error, sizeof m->out->error,
	         "no association request from the agent within the association timeout");
	cab_info(LOG, "%s", m->out->error);
	event(m, IEEE_EV_IDLE);
}

static void act_abort_undefined(struct ieee_manager *m)
{
	send_abort(m, IEEE_ABORT_UNDEFINED);
}

static void act_abort_config_timeout(struct ieee_manager *m)
{
	error(m, "no configuration report within the configuration timeout");
	send_abort(m, IEEE_ABORT_CONFIG_TIMEOUT);
}

static void act_abort_response_timeout(struct ieee_manager *m)
{
	error(m, "the agent did not answer within the response timeout");
	send_abort(m, IEEE_ABORT_RESPONSE_TIMEOUT);
}

static void act_aborted(struct ieee_manager *m)
{
	m->pending_kind = 0;
	event(m, IEEE_EV_ABORTED);
}

/* Decides on the AARQ (the checks behind rows 2.9, 2.10, 2.11). */
static void act_check_aarq(struct ieee_manager *m)
{
	const struct ieee_aarq *a = &m->cur->u.aarq;
	const struct ieee_config *std;

	m->aarq = *a;
	m->time_set = 0;
	m->set_time_supported = 0;
	m->clock_offset_ms = 0;
	if (!a->has_20601 || !(a->info.encoding_rules & IEEE_ENC_MDER) ||
	    !(a->info.protocol_version & IEEE_PROTOCOL_VERSION1) || a->info.system_id_len != 8) {
		fire(m, IEEE_IN_AARQ_UNACCEPTABLE);
		return;
	}
	ieee_system_id_hex(a->info.system_id, 8, m->device.system_id);
	snprintf(m->device.driver, sizeof m->device.driver, "%s",
	         m->o.device.driver[0] ? m->o.device.driver : "ieee11073");
	std = ieee_std_config(a->info.dev_config_id);
	if (std) {
		m->cfg = *std;
		m->have_cfg = 1;
	} else if (m->o.store && m->o.store->load &&
	           !m->o.store->load(m->o.store->user, a->info.system_id, a->info.dev_config_id,
	                             &m->cfg)) {
		m->have_cfg = 1;
	}
	if (m->have_cfg && m->device.kind == CAB_KIND_UNKNOWN)
		m->device.kind = m->cfg.kind;
	fire(m, m->have_cfg ? IEEE_IN_AARQ_KNOWN : IEEE_IN_AARQ_UNKNOWN);
}

static void send_aare(struct ieee_manager *m, uint16_t result)
{
	struct ieee_assoc_info info;
	struct ieee_wr w;

	manager_info(m, &info);
	if (tx_open(m, &w)) {
		ieee_aare_encode(&w, result, &info);
		tx_commit(m, &w);
	}
}

static void act_accept_known(struct ieee_manager *m)
{
	send_aare(m, IEEE_AARE_ACCEPTED);
	event(m, IEEE_EV_ASSOCIATED);
	request_mds(m);
}

static void act_accept_unknown(struct ieee_manager *m)
{
	send_aare(m, IEEE_AARE_ACCEPTED_UNKNOWN_CONFIG);
	timer(m, IEEE_TO_CONFIG_MS);
}

static void act_reject(struct ieee_manager *m)
{
	const struct ieee_aarq *a = &m->cur->u.aarq;

	send_aare(m, a->has_20601 ? IEEE_AARE_REJECTED_NO_COMMON_PARAMETER
	                          : IEEE_AARE_REJECTED_NO_COMMON_PROTOCOL);
	error(m, "association request refused: no 20601 MDER version-1 data protocol");
}

static void act_send_rlrq(struct ieee_manager *m)
{
	struct ieee_wr w;

	if (tx_open(m, &w)) {
		ieee_rlrq_encode(&w, IEEE_RELEASE_NORMAL);
		tx_commit(m, &w);
	}
	m->pending_kind = 0;
	timer(m, IEEE_TO_RELEASE_MS);
}

static void act_send_rlre(struct ieee_manager *m)
{
	struct ieee_wr w;

	if (tx_open(m, &w)) {
		ieee_rlre_encode(&w, IEEE_RELEASE_NORMAL);
		tx_commit(m, &w);
	}
	m->pending_kind = 0;
	event(m, IEEE_EV_RELEASED);
}

static void act_released(struct ieee_manager *m)
{
	event(m, IEEE_EV_RELEASED);
}

static void act_roer(struct ieee_manager *m)
{
	struct ieee_wr w;

	if (tx_open(m, &w)) {
		ieee_roer_encode(&w, m->cur->u.prst.invoke_id, IEEE_ROER_NOT_ALLOWED_BY_OBJECT);
		tx_commit(m, &w);
	}
}

/* Row 8.21 for MDC_NOTI_CONFIG: the configuration is settled once operating. */
static void act_config_while_operating(struct ieee_manager *m)
{
	error(m, "configuration report while operating: refused (the association's "
	         "configuration stays)");
	act_roer(m);
}

/* Row 6.24: checks the configuration report, then goes on with 7.31 or 7.32. */
static void act_check_config(struct ieee_manager *m)
{
	const struct ieee_event_report *e = &m->cur->u.prst.u.event;
	struct ieee_config c;
	char err[160];

	if (ieee_config_report_parse(e->info, e->info_len, &c, err, sizeof err)) {
		error(m, err);
		fire(m, IEEE_IN_CONFIG_UNKNOWN);
		return;
	}
	if (c.dev_config_id != m->aarq.info.dev_config_id) {
		snprintf(err, sizeof err,
		         "configuration report 0x%04X does not match the association's dev-config-id 0x%04X",
		         c.dev_config_id, m->aarq.info.dev_config_id);
		error(m, err);
		fire(m, IEEE_IN_CONFIG_UNKNOWN);
		return;
	}
	m->cfg = c;
	m->have_cfg = 1;
	if (m->device.kind == CAB_KIND_UNKNOWN)
		m->device.kind = c.kind;
	if (m->o.store && m->o.store->save)
		m->o.store->save(m->o.store->user, m->aarq.info.system_id, &c);
	fire(m, IEEE_IN_CONFIG_KNOWN);
}

static void send_config_rsp(struct ieee_manager *m, uint16_t result)
{
	const struct ieee_event_report *e = &m->cur->u.prst.u.event;
	uint16_t report_id = e->info_len >= 2 ? (uint16_t)(e->info[0] << 8 | e->info[1]) : 0;
	struct ieee_wr w;

	if (tx_open(m, &w)) {
		ieee_config_rsp_encode(&w, m->cur->u.prst.invoke_id, report_id, result);
		tx_commit(m, &w);
	}
}

static void act_config_accepted(struct ieee_manager *m)
{
	send_config_rsp(m, IEEE_CONFIG_ACCEPTED);
	event(m, IEEE_EV_CONFIGURED);
	event(m, IEEE_EV_ASSOCIATED);
	request_mds(m);
}

static void act_config_refused(struct ieee_manager *m)
{
	send_config_rsp(m, IEEE_CONFIG_UNSUPPORTED);
	timer(m, IEEE_TO_CONFIG_MS);
}

/* Row 8.21: measurement reports become readings; confirmed ones are answered. */
static void act_event_report(struct ieee_manager *m)
{
	const struct ieee_data_apdu *d = &m->cur->u.prst;
	const struct ieee_event_report *e = &d->u.event;
	int confirmed = d->choice == IEEE_ROIV_CONF_EVENT_REPORT;
	struct ieee_report_ctx ctx = {
		.cfg = &m->cfg, .device = &m->device, .cabin_time_ms = now_wall(m),
		.session_start_ms = m->o.session_start_ms, .stored = 0,
		.clock_offset_ms = m->clock_offset_ms,
	};
	struct ieee_wr w;
	size_t n = 0;
	char err[192];
	int rc;

	if (!ieee_is_scan_report(e->event_type)) {
		snprintf(err, sizeof err, "event type 0x%04X not handled", e->event_type);
		cab_info(LOG, "%s", err);
		if (confirmed && tx_open(m, &w)) {
			ieee_roer_encode(&w, d->invoke_id, IEEE_ROER_NO_SUCH_ACTION);
			tx_commit(m, &w);
		}
		return;
	}
	rc = ieee_scan_report_decode(e->event_type, e->info, e->info_len, &ctx,
	                             m->out->readings + m->out->n_readings,
	                             IEEE_REPORT_READINGS_MAX - m->out->n_readings, &n, err,
	                             sizeof err);
	m->out->n_readings += n;
	if (rc) {
		error(m, err);
		if (confirmed && tx_open(m, &w)) {
			ieee_roer_encode(&w, d->invoke_id, IEEE_ROER_PROTOCOL_VIOLATION);
			tx_commit(m, &w);
		}
		return;
	}
	if (confirmed && tx_open(m, &w)) {
		ieee_event_report_rsp_encode(&w, d->invoke_id, e->obj_handle, 0, e->event_type, NULL, 0);
		tx_commit(m, &w);
	}
}

/* Row 8.26: the answer to the manager's own Get or Set-Time. */
static void act_rors(struct ieee_manager *m)
{
	const struct ieee_data_apdu *d = &m->cur->u.prst;
	struct ieee_mds_info info;

	if (!m->pending_kind || d->invoke_id != m->pending_invoke) {
		cab_info(LOG, "%s with invoke-id %u answers nothing pending: ignored",
		         ieee_data_choice_name(d->choice), d->invoke_id);
		return;
	}
	m->pending_kind = 0;
	m->deadline = INT64_MAX;
	if (d->choice == IEEE_RORS_GET) {
		ieee_mds_apply(&d->u.attrs.attrs, &m->device, &info);
		m->set_time_supported = info.set_time_supported;
		/* an agent clock that is off is corrected before-session decisions use */
		if (info.has_time && !m->time_set)
			m->clock_offset_ms = now_wall(m) - info.agent_time_ms;
		event(m, IEEE_EV_DEVICE_INFO);
		if (m->set_time_supported && !m->time_set)
			request_set_time(m);
	} else if (d->choice == IEEE_RORS_CONF_ACTION &&
	           d->u.action.action_type == IEEE_ACT_SET_TIME) {
		m->time_set = 1;
		m->clock_offset_ms = 0;
		event(m, IEEE_EV_TIME_SET);
	}
}

/* Row 8.26 (remark): the agent refused the manager's request; the association goes on. */
static void act_request_failed(struct ieee_manager *m)
{
	const struct ieee_data_apdu *d = &m->cur->u.prst;

	if (m->pending_kind && d->invoke_id == m->pending_invoke) {
		cab_info(LOG, "agent answered %s to %s", ieee_data_choice_name(d->choice),
		         m->pending_kind == IEEE_ROIV_GET ? "Get MDS" : "Set-Time");
		m->pending_kind = 0;
		m->deadline = INT64_MAX;
	}
}

/* Row 9.26: an answer while releasing is fine when it is the one awaited. */
static void act_rors_releasing(struct ieee_manager *m)
{
	if (m->pending_kind && m->cur->u.prst.invoke_id == m->pending_invoke) {
		m->pending_kind = 0;
		return;
	}
	fire(m, IEEE_IN_REQ_ABORT);
}

/* --- the table -------------------------------------------------------------- */

enum { DISC = IEEE_ST_DISCONNECTED, UNAS = IEEE_ST_UNASSOCIATED, ASSC = IEEE_ST_ASSOCIATING,
       WAIT = IEEE_ST_CFG_WAITING, CHCK = IEEE_ST_CFG_CHECKING, OPER = IEEE_ST_OPERATING,
       DISA = IEEE_ST_DISASSOCIATING };

static const struct row table[] = {
	/* disconnected */
	{DISC, IEEE_IN_IND_CONNECT, UNAS, act_connected, "1.1"},
	/* connected, unassociated */
	{UNAS, IEEE_IN_IND_DISCONNECT, DISC, act_disconnected, "2.2"},
	/* no manager row: the agent's association timeout (agent row 3.4) seen from here */
	{UNAS, IEEE_IN_IND_TIMEOUT, UNAS, act_no_aarq, "3.4 (agent)"},
	{UNAS, IEEE_IN_REQ_RELEASE, UNAS, NULL, "2.6"},
	{UNAS, IEEE_IN_REQ_ABORT, UNAS, NULL, "2.7"},
	{UNAS, IEEE_IN_RX_AARQ, ASSC, act_check_aarq, "2.9-2.11 (check)"},
	{UNAS, IEEE_IN_RX_AARE, UNAS, act_abort_undefined, "2.12"},
	{UNAS, IEEE_IN_RX_RLRQ, UNAS, act_abort_undefined, "2.16"},
	{UNAS, IEEE_IN_RX_RLRE, UNAS, NULL, "2.17"},
	{UNAS, IEEE_IN_RX_ABRT, UNAS, NULL, "2.18"},
	{UNAS, IEEE_IN_RX_ROIV_EVENT, UNAS, act_abort_undefined, "2.19"},
	{UNAS, IEEE_IN_RX_ROIV_CONF_EVENT, UNAS, act_abort_undefined, "2.19"},
	{UNAS, IEEE_IN_RX_CONFIG_REPORT, UNAS, act_abort_undefined, "2.19"},
	{UNAS, IEEE_IN_RX_ROIV_OTHER, UNAS, act_abort_undefined, "2.19"},
	{UNAS, IEEE_IN_RX_RORS, UNAS, act_abort_undefined, "2.19"},
	{UNAS, IEEE_IN_RX_ROER, UNAS, act_abort_undefined, "2.19"},
	{UNAS, IEEE_IN_RX_RORJ, UNAS, act_abort_undefined, "2.19"},
	{UNAS, IEEE_IN_RX_BAD_APDU, UNAS, act_abort_undefined, "2.19"},
	/* associating: the outcome of the AARQ check */
	{ASSC, IEEE_IN_AARQ_KNOWN, OPER, act_accept_known, "2.9"},
	{ASSC, IEEE_IN_AARQ_UNKNOWN, WAIT, act_accept_unknown, "2.10"},
	{ASSC, IEEE_IN_AARQ_UNACCEPTABLE, UNAS, act_reject, "2.11"},
	/* associated-configuring: waiting for the configuration */
	{WAIT, IEEE_IN_IND_DISCONNECT, DISC, act_disconnected, "6.2"},
	{WAIT, IEEE_IN_IND_TIMEOUT, UNAS, act_abort_config_timeout, "6.4"},
	{WAIT, IEEE_IN_REQ_RELEASE, DISA, act_send_rlrq, "6.6"},
	{WAIT, IEEE_IN_REQ_ABORT, UNAS, act_abort_undefined, "6.7"},
	{WAIT, IEEE_IN_RX_AARQ, UNAS, act_abort_undefined, "6.8"},
	{WAIT, IEEE_IN_RX_AARE, UNAS, act_abort_undefined, "6.12"},
	{WAIT, IEEE_IN_RX_RLRQ, UNAS, act_send_rlre, "6.16"},
	{WAIT, IEEE_IN_RX_RLRE, UNAS, act_abort_undefined, "6.17"},
	{WAIT, IEEE_IN_RX_ABRT, UNAS, act_aborted, "6.18"},
	{WAIT, IEEE_IN_RX_CONFIG_REPORT, CHCK, act_check_config, "6.24"},
	{WAIT, IEEE_IN_RX_ROIV_CONF_EVENT, WAIT, act_roer, "6.25"},
	{WAIT, IEEE_IN_RX_ROIV_EVENT, WAIT, act_roer, "6.25"},
	{WAIT, IEEE_IN_RX_ROIV_OTHER, WAIT, act_roer, "6.25"},
	{WAIT, IEEE_IN_RX_RORS, UNAS, act_abort_undefined, "6.26"},
	{WAIT, IEEE_IN_RX_ROER, WAIT, NULL, "6.26 (remark)"},
	{WAIT, IEEE_IN_RX_RORJ, WAIT, NULL, "6.26 (remark)"},
	{WAIT, IEEE_IN_RX_BAD_APDU, UNAS, act_abort_undefined, "6.26"},
	/* associated-configuring: checking the configuration */
	{CHCK, IEEE_IN_IND_DISCONNECT, DISC, act_disconnected, "7.2"},
	{CHCK, IEEE_IN_CONFIG_UNKNOWN, WAIT, act_config_refused, "7.31"},
	{CHCK, IEEE_IN_CONFIG_KNOWN, OPER, act_config_accepted, "7.32"},
	/* associated-operating */
	{OPER, IEEE_IN_IND_DISCONNECT, DISC, act_disconnected, "8.2"},
	{OPER, IEEE_IN_IND_TIMEOUT, UNAS, act_abort_response_timeout, "8.4"},
	{OPER, IEEE_IN_REQ_RELEASE, DISA, act_send_rlrq, "8.6"},
	{OPER, IEEE_IN_REQ_ABORT, UNAS, act_abort_undefined, "8.7"},
	{OPER, IEEE_IN_RX_AARQ, UNAS, act_abort_undefined, "8.8"},
	{OPER, IEEE_IN_RX_AARE, UNAS, act_abort_undefined, "8.12"},
	{OPER, IEEE_IN_RX_RLRQ, UNAS, act_send_rlre, "8.16"},
	{OPER, IEEE_IN_RX_RLRE, UNAS, act_abort_undefined, "8.17"},
	{OPER, IEEE_IN_RX_ABRT, UNAS, act_aborted, "8.18"},
	{OPER, IEEE_IN_RX_ROIV_CONF_EVENT, OPER, act_event_report, "8.21"},
	{OPER, IEEE_IN_RX_ROIV_EVENT, OPER, act_event_report, "8.21"},
	{OPER, IEEE_IN_RX_CONFIG_REPORT, OPER, act_config_while_operating, "8.21"},
	{OPER, IEEE_IN_RX_ROIV_OTHER, OPER, act_roer, "8.21"},
	{OPER, IEEE_IN_RX_RORS, OPER, act_rors, "8.26"},
	{OPER, IEEE_IN_RX_ROER, OPER, act_request_failed, "8.26 (remark)"},
	{OPER, IEEE_IN_RX_RORJ, OPER, act_request_failed, "8.26 (remark)"},
	{OPER, IEEE_IN_RX_BAD_APDU, UNAS, act_abort_undefined, "8.26"},
	/* disassociating */
	{DISA, IEEE_IN_IND_DISCONNECT, DISC, act_disconnected, "9.2"},
	{DISA, IEEE_IN_IND_TIMEOUT, UNAS, act_abort_undefined, "9.4"},
	{DISA, IEEE_IN_REQ_RELEASE, DISA, NULL, "9.6"},
	{DISA, IEEE_IN_REQ_ABORT, UNAS, act_abort_undefined, "9.7"},
	{DISA, IEEE_IN_RX_AARQ, UNAS, act_abort_undefined, "9.8"},
	{DISA, IEEE_IN_RX_AARE, UNAS, act_abort_undefined, "9.12"},
	{DISA, IEEE_IN_RX_RLRQ, DISA, act_send_rlre, "9.16"},
	{DISA, IEEE_IN_RX_RLRE, UNAS, act_released, "9.17"},
	{DISA, IEEE_IN_RX_ABRT, UNAS, act_aborted, "9.18"},
	{DISA, IEEE_IN_RX_ROIV_EVENT, DISA, NULL, "9.21"},
	{DISA, IEEE_IN_RX_ROIV_CONF_EVENT, DISA, NULL, "9.21"},
	{DISA, IEEE_IN_RX_CONFIG_REPORT, DISA, NULL, "9.21"},
	{DISA, IEEE_IN_RX_ROIV_OTHER, DISA, NULL, "9.21"},
	{DISA, IEEE_IN_RX_RORS, DISA, act_rors_releasing, "9.26"},
	{DISA, IEEE_IN_RX_ROER, UNAS, act_abort_undefined, "9.26"},
	{DISA, IEEE_IN_RX_RORJ, UNAS, act_abort_undefined, "9.26"},
	{DISA, IEEE_IN_RX_BAD_APDU, UNAS, act_abort_undefined, "9.26"},
};

const char *ieee_mgr_state_name(enum ieee_mgr_state s)
{
	static const char *const names[IEEE_ST__COUNT] = {
		"disconnected", "unassociated", "associating", "waiting-for-config",
		"checking-config", "operating", "disassociating",
	};
	return (unsigned)s < IEEE_ST__COUNT ? names[s] : "?";
}

const char *ieee_mgr_input_name(enum ieee_mgr_input in)
{
	static const char *const names[IEEE_IN__COUNT] = {
		"ind-connect", "ind-disconnect", "ind-timeout", "req-release", "req-abort",
		"rx-aarq", "aarq-known-config", "aarq-unknown-config", "aarq-unacceptable",
		"rx-aare", "rx-rlrq", "rx-rlre", "rx-abrt", "rx-bad-apdu", "rx-roiv-event-report",
		"rx-roiv-confirmed-event-report", "rx-config-report", "rx-roiv-other", "rx-rors",
		"rx-roer", "rx-rorj", "config-known", "config-unknown",
	};
	return (unsigned)in < IEEE_IN__COUNT ? names[in] : "?";
}

static void fire(struct ieee_manager *m, enum ieee_mgr_input in)
{
	for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
		const struct row *r = &table[k];

		if (r->state != m->state || r->input != in)
			continue;
		cab_debug(LOG, "%s + %s -> %s (20601 Annex E row %s)", ieee_mgr_state_name(m->state),
		          ieee_mgr_input_name(in), ieee_mgr_state_name(r->next), r->ref);
		if (r->next != m->state || in == IEEE_IN_IND_TIMEOUT)
			m->deadline = INT64_MAX;
		m->state = r->next;
		if (r->act)
			r->act(m);
		return;
	}
	cab_warn(LOG, "not handled: %s in state %s", ieee_mgr_input_name(in),
	         ieee_mgr_state_name(m->state));
	event(m, IEEE_EV_NOT_HANDLED);
}

/* --- entry points ------------------------------------------------------------ */

static void begin(struct ieee_manager *m, struct ieee_mgr_out *out)
{
	out->n_tx = 0;
	out->n_readings = 0;
	out->n_events = 0;
	out->error[0] = '\0';
	m->out = out;
	m->cur = NULL;
}

void ieee_mgr_init(struct ieee_manager *m, const struct ieee_mgr_opts *o)
{
	memset(m, 0, sizeof *m);
	m->o = *o;
	m->state = IEEE_ST_DISCONNECTED;
	m->deadline = INT64_MAX;
	m->device = o->device;
}

void ieee_mgr_connect(struct ieee_manager *m, struct ieee_mgr_out *out)
{
	begin(m, out);
	fire(m, IEEE_IN_IND_CONNECT);
}

void ieee_mgr_disconnect(struct ieee_manager *m, struct ieee_mgr_out *out)
{
	begin(m, out);
	fire(m, IEEE_IN_IND_DISCONNECT);
}

void ieee_mgr_release(struct ieee_manager *m, struct ieee_mgr_out *out)
{
	begin(m, out);
	fire(m, IEEE_IN_REQ_RELEASE);
}

void ieee_mgr_abort(struct ieee_manager *m, struct ieee_mgr_out *out)
{
	begin(m, out);
	fire(m, IEEE_IN_REQ_ABORT);
}

int ieee_mgr_get_mds(struct ieee_manager *m, struct ieee_mgr_out *out)
{
	begin(m, out);
	if (m->state != IEEE_ST_OPERATING || m->pending_kind || m->o.no_get_mds)
		return -1;
	request_mds(m);
	return out->n_tx ? 0 : -1;
}

int64_t ieee_mgr_deadline(const struct ieee_manager *m)
{
	return m->deadline;
}

void ieee_mgr_tick(struct ieee_manager *m, struct ieee_mgr_out *out)
{
	begin(m, out);
	if (m->deadline != INT64_MAX && now_mono(m) >= m->deadline)
		fire(m, IEEE_IN_IND_TIMEOUT);
}

static enum ieee_mgr_input classify(const struct ieee_apdu *a)
{
	switch (a->type) {
	case IEEE_APDU_AARQ: return IEEE_IN_RX_AARQ;
	case IEEE_APDU_AARE: return IEEE_IN_RX_AARE;
	case IEEE_APDU_RLRQ: return IEEE_IN_RX_RLRQ;
	case IEEE_APDU_RLRE: return IEEE_IN_RX_RLRE;
	case IEEE_APDU_ABRT: return IEEE_IN_RX_ABRT;
	default: break;
	}
	switch (a->u.prst.choice) {
	case IEEE_ROIV_EVENT_REPORT: return IEEE_IN_RX_ROIV_EVENT;
	case IEEE_ROIV_CONF_EVENT_REPORT:
		return a->u.prst.u.event.event_type == IEEE_NOTI_CONFIG ? IEEE_IN_RX_CONFIG_REPORT
		                                                         : IEEE_IN_RX_ROIV_CONF_EVENT;
	case IEEE_ROIV_GET: case IEEE_ROIV_SET: case IEEE_ROIV_CONF_SET:
	case IEEE_ROIV_ACTION: case IEEE_ROIV_CONF_ACTION:
		return IEEE_IN_RX_ROIV_OTHER;
	case IEEE_ROER: return IEEE_IN_RX_ROER;
	case IEEE_RORJ: return IEEE_IN_RX_RORJ;
	default: return IEEE_IN_RX_RORS;
	}
}

int ieee_mgr_receive(struct ieee_manager *m, const uint8_t *apdu, size_t len,
                     struct ieee_mgr_out *out)
{
	struct ieee_apdu a;
	char err[160];
	int rc;

	begin(m, out);
	rc = ieee_apdu_parse(apdu, len, &a, NULL, err, sizeof err);
	if (rc) {
		error(m, err);
		fire(m, IEEE_IN_RX_BAD_APDU);
		return rc;
	}
	m->cur = &a;
	fire(m, classify(&a));
	m->cur = NULL;
	return 0;
}
