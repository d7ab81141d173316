/* store_recovery.c — recovery of an interrupted session on kiosk/store (see
 * store_recovery.h). The incident message follows docs/link-protocol.md
 * ("incident": session, incident {kind, start, detail}). */
#include "kiosk/service/store_recovery.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "kiosk/link/message.h"
#include "kiosk/store/store.h"
#include "log.h"

static int inspect(void *user, struct cab_recovery_facts *out)
{
	struct cab_svc_store_recovery *r = user;
	struct cab_store_session_info info;
	int rc = r->markers_if.inspect(r->markers_if.user, out);
	if (rc || !out->session_open)
		return rc;
	out->patient_data_left = false; /* the store keeps personal data; it wiped it */
	rc = cab_store_session_get(r->st, out->session_id, &info);
	if (rc == CAB_STORE_NOTFOUND)
		return 0; /* begun on screen, never stored: still an interruption */
	if (rc)
		return -EIO;
	/* A session closing with its hand-off queued (the store delivers it and wipes on
	 * the acknowledgement), or completed, was not interrupted: nothing to do but
	 * forget the marker. */
	if (!strcmp(info.state, "closing") || !strcmp(info.outcome, "completed")) {
		memset(out, 0, sizeof *out);
		return cab_marker_session_close(&r->markers);
	}
	return 0;
}

static int queue_incident(void *user, const char *sid, const char *code)
{
	struct cab_svc_store_recovery *r = user;
	char when[32], msgid[37];
	/* One incident per session: a second run (recovery itself interrupted) finds the
	 * first in the store's incident registry. */
	if (cab_store_incident_count(r->st, sid) > 0)
		return 0;
	cab_time_rfc3339(cab_wall_ms(), when, sizeof when);
	json_t *m = cab_msg_new(CAB_MSG_INCIDENT, NULL);
	if (!m)
		return -ENOMEM;
	snprintf(msgid, sizeof msgid, "%s", json_string_value(json_object_get(m, "id")));
	json_object_set_new(m, "session", json_string(sid));
	json_object_set_new(
	    m, "incident",
	    json_pack("{s:s, s:s, s:s}", "kind", code, "start", when, "detail",
	              "the cabin restarted during the session (crash or watchdog)"));
	char *body = cab_msg_dump_take(m);
	if (!body)
		return -ENOMEM;
	int rc = cab_store_incident_add(r->st, sid, code, "cabin restarted during the session");
	if (!rc)
		rc = cab_store_outbox_put(r->st, sid, "incident", body, 0, msgid, NULL);
	free(body);
	return rc ? -EIO : 0;
}

static int abort_session(void *user, const char *sid)
{
	struct cab_svc_store_recovery *r = user;
	struct cab_store_session_info info;
	if (cab_store_session_get(r->st, sid, &info) == 0 && !strcmp(info.state, "open") &&
	    cab_store_session_close(r->st, sid, CAB_OUTCOME_CRASH, NULL, NULL))
		return -EIO;
	return 0;
}

static int wipe(void *user, const char *sid)
{
	struct cab_svc_store_recovery *r = user;
	int rc = cab_store_session_wipe(r->st, sid, CAB_OUTCOME_CRASH);
	if (rc && rc != CAB_STORE_NOTFOUND)
		return -EIO;
	return cab_marker_session_close(&r->markers);
}

void cab_svc_store_recovery_init(struct cab_svc_store_recovery *r, struct cab_store *st,
                                 const char *dir, struct cab_recovery_store *out)
{
	r->st = st;
	cab_marker_store_init(&r->markers, dir, &r->markers_if);
	*out = (struct cab_recovery_store){inspect, queue_incident, abort_session, wipe, r};
}

int cab_svc_store_recovery_begin(struct cab_svc_store_recovery *r, const char *store_sid)
{
	return cab_marker_session_open(&r->markers, store_sid);
}

int cab_svc_store_recovery_end(struct cab_svc_store_recovery *r)
{
	return cab_marker_session_close(&r->markers);
}
