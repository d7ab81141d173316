/* recovery.c — start-up recovery of an interrupted session (see recovery.h). */
#include "kiosk/service/recovery.h"

#include <string.h>

#include "log.h"

struct cab_recovery_plan cab_recovery_decide(const struct cab_recovery_facts *f)
{
	struct cab_recovery_plan p = {0};
	if (f->session_open && !f->handoff_acked) {
		p.queue_incident = true;
		p.incident = "session-interrupted";
		p.abort_session = true;
		p.wipe = true;
	} else if (f->session_open) {
		p.abort_session = true;
		p.wipe = true;
	} else if (f->patient_data_left) {
		p.wipe = true;
	}
	return p;
}

int cab_recovery_run(const struct cab_recovery_store *store, const struct cab_svc_audit *audit,
                     struct cab_recovery_plan *plan_out)
{
	struct cab_recovery_facts facts;
	struct cab_recovery_plan plan = {0};
	int rc;

	memset(&facts, 0, sizeof facts);
	if ((rc = store->inspect(store->user, &facts))) {
		cab_err("service", "recovery: cannot inspect the store (%d)", rc);
		goto out;
	}
	facts.session_id[sizeof facts.session_id - 1] = '\0';
	plan = cab_recovery_decide(&facts);
	if (plan.queue_incident) {
		cab_svc_audit_emitf(audit, CAB_ROLE_SYSTEM, "recovery.interrupted", "session=%s",
		                    facts.session_id);
		if ((rc = store->queue_incident(store->user, facts.session_id, plan.incident))) {
			cab_err("service", "recovery: cannot queue the incident (%d)", rc);
			goto out;
		}
	}
	if (plan.abort_session && (rc = store->abort_session(store->user, facts.session_id))) {
		cab_err("service", "recovery: cannot abort the session (%d)", rc);
		goto out;
	}
	if (plan.wipe) {
		if ((rc = store->wipe(store->user, facts.session_id))) {
			cab_err("service", "recovery: cannot wipe (%d)", rc);
			goto out;
		}
		cab_svc_audit_emitf(audit, CAB_ROLE_SYSTEM, "recovery.wiped", "session=%s",
		                    facts.session_id[0] ? facts.session_id : "-");
	}
out:
	if (plan_out)
		*plan_out = plan;
	return rc;
}
