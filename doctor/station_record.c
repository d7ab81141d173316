/* station_record.c — the hand-off record: the FHIR R4 Bundle of a closed session's
 * stored messages and the doctor's report (kiosk/link/fhir_bundle.c), written atomically to
 * DATA/<session>.json and handed to the delivery (station_deliver.c); the requests the
 * station sends are kept with the session's messages, with their time, for the record. */
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

void stn_record_request(struct cab_station *st, const char *cabin, json_t *req)
{
	char t[40];
	json_t *copy = json_deep_copy(req);
	json_object_set_new(copy, "time", json_string(cab_time_rfc3339(cab_wall_ms(), t, sizeof t)));
	char *body = json_dumps(copy, JSON_COMPACT);
	if (!body || station_db_put_message(st->db, json_string_value(json_object_get(req, "id")),
	                                    json_string_value(json_object_get(req, "session")), cabin,
	                                    "request", body, cab_wall_ms()) < 0)
		cab_err(STN_LOG, "cannot keep a request for the record");
	free(body);
	json_decref(copy);
}

json_t *stn_bundle_json(struct cab_station *st, const char *session, const char *cabin)
{
	json_t *msgs = station_db_session_messages(st->db, session);
	json_t *hello = station_db_get_hello(st->db, cabin);
	/* the doctor who took the patient in the console, else the terminal doctor */
	json_t *doc = station_db_get_session_doctor(st->db, session);
	if (!doc)
		doc = stn_doctor_json(st);
	size_t n = json_array_size(msgs);
	json_t **arr = calloc(n ? n : 1, sizeof *arr);
	json_t *b = NULL;
	char t[40];
	if (!msgs || !arr)
		goto out;
	for (size_t i = 0; i < n; i++)
		arr[i] = json_array_get(msgs, i);
	/* the doctor's compte rendu and prescription written in the console */
	json_t *rep = station_db_get_report(st->db, session);
	struct cab_fhir_bundle_in in = {session, hello, doc, arr, n, rep};
	b = cab_fhir_bundle(&in, cab_time_rfc3339(cab_wall_ms(), t, sizeof t));
	json_decref(rep);
out:
	free(arr);
	json_decref(msgs);
	json_decref(hello);
	json_decref(doc);
	return b;
}

void stn_write_bundle(struct cab_station *st, const char *session, const char *cabin)
{
	char path[2048], tmp[2100];
	json_t *b = stn_bundle_json(st, session, cabin);
	snprintf(path, sizeof path, "%s/%s.json", st->dir, session);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (b && json_dump_file(b, tmp, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) == 0 &&
	    rename(tmp, path) == 0) {
		cab_info(STN_LOG, "session %s: bundle written", session);
		stn_emit_text(st, CAB_SEV_BUNDLE, cabin, session, path);
		stn_deliver_enqueue(st, session, b);
	} else {
		cab_err(STN_LOG, "session %s: cannot write %s", session, path);
	}
	json_decref(b);
}
