/* outmsg.c — builds the cabin's data messages for the doctor station (outmsg.h;
 * field tables of docs/link-protocol.md), with jansson and the link's FHIR
 * Observation builder. */
#include "kiosk/app/outmsg.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "kiosk/link/fhir_observation.h"
#include "kiosk/link/message.h"

/* A new data message of TYPE for SID; its id copied to ID. */
static json_t *data_msg(enum cab_msg_type type, const char *sid, char id[37])
{
	if (!sid || !*sid)
		return NULL;
	json_t *m = cab_msg_new(type, NULL);
	if (!m)
		return NULL;
	snprintf(id, 37, "%s", json_string_value(json_object_get(m, "id")));
	json_object_set_new(m, "session", json_string(sid));
	return m;
}

static json_t *time_json(int64_t ms)
{
	char t[40];
	return json_string(cab_time_rfc3339(ms, t, sizeof t));
}

char *cab_out_session_open(const char *sid, int64_t t_ms, char id[37])
{
	json_t *m = data_msg(CAB_MSG_SESSION_OPEN, sid, id);
	if (!m)
		return NULL;
	json_object_set_new(m, "time", time_json(t_ms));
	return cab_msg_dump_take(m);
}

char *cab_out_consent(const char *sid, const struct cab_consent *c, char id[37])
{
	if (!c || !c->time_ms || !c->text_version[0])
		return NULL;
	json_t *m = data_msg(CAB_MSG_CONSENT, sid, id);
	if (!m)
		return NULL;
	json_t *k = json_object();
	json_object_set_new(k, "accepted", json_boolean(c->teleconsultation == CAB_ANSWER_YES));
	json_object_set_new(k, "readings", json_boolean(c->readings == CAB_ANSWER_YES));
	json_object_set_new(k, "language", json_string(c->lang[0] ? c->lang : "fr"));
	json_object_set_new(k, "text_id", json_string(c->text_version));
	if (c->text_sha256[0])
		json_object_set_new(k, "text_sha256", json_string(c->text_sha256));
	json_object_set_new(k, "time", time_json(c->time_ms));
	json_object_set_new(m, "consent", k);
	return cab_msg_dump_take(m);
}

char *cab_out_identity(const char *sid, const struct cab_identity *p, char id_out[37])
{
	if (!p || !p->birth_name[0] || !p->first_names[0] || p->sex == CAB_SEX_UNSET ||
	    !p->birthplace.code[0])
		return NULL;
	json_t *m = data_msg(CAB_MSG_IDENTITY, sid, id_out);
	if (!m)
		return NULL;
	char date[16];
	snprintf(date, sizeof date, "%04d-%02d-%02d", p->birth_date.year % 10000,
	         p->birth_date.month % 100, p->birth_date.day % 100);
	json_t *pt = json_object();
	json_object_set_new(pt, "birth_name", json_string(p->birth_name));
	json_object_set_new(pt, "first_names", json_string(p->first_names));
	json_object_set_new(pt, "birth_date", json_string(date));
	json_object_set_new(pt, "sex", json_string(p->sex == CAB_SEX_FEMALE ? "female" : "male"));
	json_object_set_new(pt, "birth_place_insee", json_string(p->birthplace.code));
	if (p->ins[0])
		json_object_set_new(pt, "ins",
		                    json_pack("{s:s, s:s}", "kind",
		                              (p->ins[0] == '7' || p->ins[0] == '8') ? "NIA" : "NIR",
		                              "value", p->ins));
	if (p->phone[0])
		json_object_set_new(pt, "phone", json_string(p->phone));
	json_object_set_new(m, "patient", pt);
	return cab_msg_dump_take(m);
}

char *cab_out_identity_verified(const char *sid, const struct cab_identity *p,
                                const char *document, int64_t t_ms, char id[37])
{
	if (!document || (strcmp(document, "CN") && strcmp(document, "PA") && strcmp(document, "CS")))
		return NULL;
	char *txt = cab_out_identity(sid, p, id);
	json_t *m = txt ? json_loads(txt, 0, NULL) : NULL;
	if (txt) {
		explicit_bzero(txt, strlen(txt));
		free(txt);
	}
	if (!m)
		return NULL;
	json_object_set_new(json_object_get(m, "patient"), "verified",
	                    json_pack("{s:s, s:o}", "document", document, "time", time_json(t_ms)));
	return cab_msg_dump_take(m);
}

char *cab_out_reading(const char *sid, const struct cab_reading *r, char id[37])
{
	if (!r)
		return NULL;
	json_t *obs = cab_fhir_observation(r, NULL);
	if (!obs)
		return NULL;
	json_t *m = data_msg(CAB_MSG_READING, sid, id);
	if (!m) {
		json_decref(obs);
		return NULL;
	}
	json_object_set_new(m, "mdc", json_integer(r->mdc));
	json_object_set_new(m, "device", cab_fhir_device_json(&r->device));
	json_object_set_new(m, "observation", obs);
	return cab_msg_dump_take(m);
}

char *cab_out_incident(const char *sid, const char *kind, int64_t start_ms, int64_t end_ms,
                       const char *detail, char id[37])
{
	if (!kind || !*kind)
		return NULL;
	json_t *m = data_msg(CAB_MSG_INCIDENT, sid, id);
	if (!m)
		return NULL;
	json_t *inc = json_object();
	json_object_set_new(inc, "kind", json_string(kind));
	json_object_set_new(inc, "start", time_json(start_ms));
	if (end_ms)
		json_object_set_new(inc, "end", time_json(end_ms));
	if (detail && *detail)
		json_object_set_new(inc, "detail", json_string(detail));
	json_object_set_new(m, "incident", inc);
	return cab_msg_dump_take(m);
}

char *cab_out_session_close_call(const char *sid, int64_t t_ms, const char *reason,
                                 int64_t call_start_ms, char id[37])
{
	json_t *m = data_msg(CAB_MSG_SESSION_CLOSE, sid, id);
	if (!m)
		return NULL;
	json_object_set_new(m, "time", time_json(t_ms));
	json_object_set_new(m, "reason", json_string(reason && *reason ? reason : "completed"));
	if (call_start_ms > 0 && call_start_ms <= t_ms)
		json_object_set_new(m, "call", json_pack("{s:o, s:o}", "start", time_json(call_start_ms),
		                                         "end", time_json(t_ms)));
	return cab_msg_dump_take(m);
}

char *cab_out_session_close(const char *sid, int64_t t_ms, const char *reason, char id[37])
{
	return cab_out_session_close_call(sid, t_ms, reason, 0, id);
}
