/* manager.h — the IEEE 11073-20601 manager, pure: it takes APDUs and time and
 * returns the APDUs to send, the readings and the events. A driver pumps it
 * (transport reads -> ieee_mgr_receive, poll timeout -> ieee_mgr_tick). The state
 * machine is the table in manager.c whose rows cite the manager state table of
 * IEEE 11073-20601 Annex E. Timeouts (20601 clause 8, as used by Antidote):
 * association 10 s, configuration 10 s, confirmed get/set/action 3 s, release 3 s.
 * Cabin's manager never sends anything that erases an agent's stored measurements
 * (no MDC_ACT_SEG_CLR). Internal: prefix ieee_. */
#ifndef CABIN_IEEE11073_MANAGER_H
#define CABIN_IEEE11073_MANAGER_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"
#include "clock.h"
#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/config.h"
#include "devices/proto/ieee11073/report.h"

#define IEEE_TO_ASSOC_MS    10000
#define IEEE_TO_CONFIG_MS   10000
#define IEEE_TO_RESPONSE_MS 3000
#define IEEE_TO_RELEASE_MS  3000

/* Manager states (20601 Annex E manager state table; "associated-configuring" is
 * split into waiting for and checking the configuration). */
enum ieee_mgr_state {
	IEEE_ST_DISCONNECTED = 0,
	IEEE_ST_UNASSOCIATED,     /* connected, unassociated */
	IEEE_ST_ASSOCIATING,      /* AARQ received, being checked */
	IEEE_ST_CFG_WAITING,      /* associated-configuring: waiting for the config report */
	IEEE_ST_CFG_CHECKING,     /* associated-configuring: checking the config report */
	IEEE_ST_OPERATING,        /* associated-operating */
	IEEE_ST_DISASSOCIATING,
	IEEE_ST__COUNT
};

/* Inputs of the state machine. RX_* come from the agent's APDUs, IND_* from the
 * transport/clock, REQ_* from the driver, the rest are results of the manager's
 * own checks (the standard's "acceptable and known configuration" etc.). */
enum ieee_mgr_input {
	IEEE_IN_IND_CONNECT = 0,
	IEEE_IN_IND_DISCONNECT,
	IEEE_IN_IND_TIMEOUT,
	IEEE_IN_REQ_RELEASE,
	IEEE_IN_REQ_ABORT,
	IEEE_IN_RX_AARQ,
	IEEE_IN_AARQ_KNOWN,       /* acceptable and known configuration */
	IEEE_IN_AARQ_UNKNOWN,     /* acceptable and unknown configuration */
	IEEE_IN_AARQ_UNACCEPTABLE,
	IEEE_IN_RX_AARE,
	IEEE_IN_RX_RLRQ,
	IEEE_IN_RX_RLRE,
	IEEE_IN_RX_ABRT,
	IEEE_IN_RX_BAD_APDU,      /* undecodable APDU */
	IEEE_IN_RX_ROIV_EVENT,    /* unconfirmed event report */
	IEEE_IN_RX_ROIV_CONF_EVENT,
	IEEE_IN_RX_CONFIG_REPORT, /* confirmed event report MDC_NOTI_CONFIG */
	IEEE_IN_RX_ROIV_OTHER,    /* get/set/action invoked by the agent */
	IEEE_IN_RX_RORS,          /* any rors (get, confirmed set/action/event report) */
	IEEE_IN_RX_ROER,
	IEEE_IN_RX_RORJ,
	IEEE_IN_CONFIG_KNOWN,     /* the reported configuration is acceptable */
	IEEE_IN_CONFIG_UNKNOWN,   /* the reported configuration is not */
	IEEE_IN__COUNT
};

/* What the manager tells its driver. */
enum ieee_mgr_event {
	IEEE_EV_ASSOCIATED = 1,   /* association accepted (standard or stored config) */
	IEEE_EV_CONFIGURED,       /* an extended configuration was accepted */
	IEEE_EV_DEVICE_INFO,      /* MDS attributes learned (model, serial, firmware...) */
	IEEE_EV_TIME_SET,         /* the agent's clock was set from the cabin's */
	IEEE_EV_RELEASED,         /* association released (either side) */
	IEEE_EV_ABORTED,          /* association aborted (either side) */
	IEEE_EV_DISCONNECTED,
	IEEE_EV_ERROR,            /* see ieee_mgr_out.error */
	IEEE_EV_IDLE,             /* connected but no AARQ within TO_assoc: the agent is
	                             idle (many associate only once they have measured) */
	IEEE_EV_NOT_HANDLED       /* an input the state table has no row for */
};

#define IEEE_MGR_TX_MAX     4
#define IEEE_MGR_EVENTS_MAX 8

/* Results of one call. Caller-owned; reset by every call. */
struct ieee_mgr_out {
	size_t n_tx;
	struct {
		size_t len;
		uint8_t buf[IEEE_TX_MAX];
	} tx[IEEE_MGR_TX_MAX];           /* APDUs to send, in order */
	size_t n_readings;
	struct cab_reading readings[IEEE_REPORT_READINGS_MAX];
	size_t n_events;
	enum ieee_mgr_event events[IEEE_MGR_EVENTS_MAX];
	char error[192];                 /* last error, "" if none */
};

/* Set-up of a manager. */
struct ieee_mgr_opts {
	uint8_t system_id[8];            /* the cabin's EUI-64 */
	struct cab_clock mono;           /* monotonic ms, for timeouts */
	struct cab_clock wall;           /* epoch ms of the cabin's local wall time, for
	                                    Set-Time, cabin_time_ms and session start */
	int64_t session_start_ms;        /* wall ms; INT64_MIN = no session (decode) */
	const struct ieee_config_store *store; /* extended configs per system-id (may be NULL) */
	struct cab_device_id device;     /* identity known from the transport (VID:PID...) */
	int no_get_mds;                  /* 1: do not ask for MDS attributes (decode) */
};

/* The manager. Fields are read-only for drivers. */
struct ieee_manager {
	struct ieee_mgr_opts o;
	enum ieee_mgr_state state;
	struct ieee_aarq aarq;           /* the agent's association request */
	struct ieee_config cfg;          /* configuration in use */
	int have_cfg;
	struct cab_device_id device;     /* identity, completed from the MDS */
	uint16_t next_invoke;
	uint16_t pending_invoke;         /* outstanding confirmed request, if pending */
	uint16_t pending_kind;           /* IEEE_ROIV_GET / IEEE_ROIV_CONF_ACTION, 0 none */
	int64_t deadline;                /* mono ms of the running timer, INT64_MAX none */
	int set_time_supported;          /* from MDS time info */
	int64_t clock_offset_ms;         /* cabin wall minus agent clock (MDS time), 0 unknown
	                                    or after Set-Time */
	int time_set;
	const struct ieee_apdu *cur;     /* APDU being handled (during a call) */
	struct ieee_mgr_out *out;        /* results of the call in progress */
};

/* Initialises M in DISCONNECTED. */
void ieee_mgr_init(struct ieee_manager *m, const struct ieee_mgr_opts *o);
/* The transport is up (row 1.1): DISCONNECTED -> UNASSOCIATED. */
void ieee_mgr_connect(struct ieee_manager *m, struct ieee_mgr_out *out);
/* The transport went away. */
void ieee_mgr_disconnect(struct ieee_manager *m, struct ieee_mgr_out *out);
/* One whole APDU from the agent. Returns 0, or an ieee_err when the APDU could not
 * be decoded (the manager then aborts, as the state table says). */
int ieee_mgr_receive(struct ieee_manager *m, const uint8_t *apdu, size_t len,
                     struct ieee_mgr_out *out);
/* Checks the running timer against the monotonic clock. */
void ieee_mgr_tick(struct ieee_manager *m, struct ieee_mgr_out *out);
/* The driver wants to release / abort the association. */
void ieee_mgr_release(struct ieee_manager *m, struct ieee_mgr_out *out);
void ieee_mgr_abort(struct ieee_manager *m, struct ieee_mgr_out *out);
/* Monotonic ms of the next timeout, INT64_MAX when no timer runs. */
/* Asks the associated agent for its MDS attributes again (Get, 20601 8.5.3): the
 * answer raises IEEE_EV_DEVICE_INFO (the cabin's self-test). Returns 0 when sent,
 * -1 when not in Operating or another confirmed request is outstanding. */
int ieee_mgr_get_mds(struct ieee_manager *m, struct ieee_mgr_out *out);

int64_t ieee_mgr_deadline(const struct ieee_manager *m);
/* Stable names for logs and tests. */
const char *ieee_mgr_state_name(enum ieee_mgr_state s);
const char *ieee_mgr_input_name(enum ieee_mgr_input in);

#endif
