/* station_record.c — the hand-off record: the FHIR R4 Bundle of a closed session's
 * stored messages (kiosk/link/fhir_bundle.c), written atomically to DATA/<session>.json. */
#include "doctor/station_internal.h"

#include "common/log.h"

#include "common/clock.h"
#include "kiosk/link/fhir_bundle.h"

#include <stdio.h>
#include <stdlib.h>

json_t *stn_doctor_json(struct cab_station *st)
{
	return json_pack("{s:s, s:s, s:s}", "name", st->cfg.doctor.name, "specialty",
	                 st->cfg.doctor.specialty, "rpps", st->cfg.doctor.rpps);
}

void stn_write_bundle(struct cab_station *st, const char *session, const char *cabin)
{
	json_t *msgs = station_db_session_messages(st->db, session);
	json_t *hello = station_db_get_hello(st->db, cabin);
	json_t *doc = stn_doctor_json(st);
	size_t n = json_array_size(msgs);
	json_t **arr = calloc(n ? n : 1, sizeof *arr);
	char t[40], path[2048], tmp[2100];
	if (!msgs || !arr)
		goto out;
	for (size_t i = 0; i < n; i++)
		arr[i] = json_array_get(msgs, i);
	struct cab_fhir_bundle_in in = {session, hello, doc, arr, n};
	json_t *b = cab_fhir_bundle(&in, cab_time_rfc3339(cab_wall_ms(), t, sizeof t));
	snprintf(path, sizeof path, "%s/%s.json", st->dir, session);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (b && json_dump_file(b, tmp, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) == 0 &&
	    rename(tmp, path) == 0) {
		cab_info(STN_LOG, "session %s: bundle written", session);
		stn_emit_text(st, CAB_SEV_BUNDLE, cabin, session, path);
	} else {
		cab_err(STN_LOG, "session %s: cannot write %s", session, path);
	}
	json_decref(b);
out:
	free(arr);
	json_decref(msgs);
	json_decref(hello);
	json_decref(doc);
}
