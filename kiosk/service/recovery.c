/* recovery.c — start-up recovery of interrupted sessions (see recovery.h). */
#include "kiosk/service/recovery.h"

#include <string.h>

#include "log.h"

int cab_recovery_run(const struct cab_recovery_store *store, const struct cab_svc_audit *audit,
                     struct cab_recovery_result *result)
{
	struct cab_recovery_result r = {0, 0};
	char sid[CAB_RECOVERY_ID_MAX];
	int rc = 0;
	for (int i = 0; i < CAB_RECOVERY_MAX; i++) {
		memset(sid, 0, sizeof sid);
		rc = store->find_open(store->user, sid);
		if (rc == 1) {
			rc = 0;
			break;
		}
		if (rc < 0) {
			cab_err("service", "recovery: cannot inspect the store (%d)", rc);
			break;
		}
		sid[sizeof sid - 1] = '\0';
		rc = store->interrupt(store->user, sid);
		if (rc < 0) {
			cab_err("service", "recovery: cannot close session %s as interrupted (%d)", sid, rc);
			break;
		}
		cab_svc_audit_emitf(audit, CAB_ROLE_SYSTEM, "recovery.interrupted", "session=%s %s", sid,
		                    rc ? "delivering" : "wiped");
		if (rc)
			r.delivering++;
		else
			r.wiped++;
		rc = 0;
	}
	if (result)
		*result = r;
	return rc;
}
