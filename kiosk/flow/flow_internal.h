/* flow_internal.h — the flow object, shared by the engine (flow.c) and the table's
 * actions (flow_table.c). Not for the screens: they use flow.h. */
#ifndef CABIN_FLOW_INTERNAL_H
#define CABIN_FLOW_INTERNAL_H

#include "kiosk/flow/flow.h"

struct cab_flow {
	struct cab_flow_config cfg;
	enum cab_flow_state state;
	struct cab_session session;
	enum cab_flow_end end;       /* why the last session ended */
	bool emergency;              /* emergency notice shown */
	int64_t last_activity_ms;    /* monotonic, last handled event or activity */
	bool asking;                 /* "still there?" countdown running */
	int64_t extra_ms;            /* more time the patient asked for in this state
	                                ("I need more time"), 0 none; cleared on a new state */
	int64_t ask_start_ms;        /* monotonic, when the countdown started */
	int last_left_s;             /* seconds left at the last tick, for redraws */
	struct {
		cab_flow_observer fn;
		void *user;
	} obs[CAB_FLOW_MAX_OBSERVERS];
	int n_obs;
};

#endif
