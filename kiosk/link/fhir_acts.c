/* fhir_acts.c — what the doctor did and wrote: the acts asked for (ServiceRequest) and
 * performed (Procedure), the messages to the patient (Communication), the compte rendu
 * (Composition) and the prescription (one MedicationRequest per line, the prescription's
 * unique identifier as their groupIdentifier).
 * Sources: FHIR R4 ServiceRequest, Procedure, Communication, Composition,
 * MedicationRequest (http://hl7.org/fhir/R4/); LOINC section codes of a consult note
 * (11488-4); CSP R.6316-4. */
#include "kiosk/link/fhir_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The act of measuring with an instrument KIND: LOINC of what it measures. */
static const struct {
	const char *kind, *system, *code, *display;
} act_codes[] = {
    {"thermometer", "http://loinc.org", "8310-5", "Body temperature"},
    {"blood-pressure", "http://loinc.org", "85354-9",
     "Blood pressure panel with all children optional"},
    {"pulse-oximeter", "http://loinc.org", "59408-5",
     "Oxygen saturation in Arterial blood by Pulse oximetry"},
    {"scale", "http://loinc.org", "29463-7", "Body weight"},
    {"glucometer", "http://loinc.org", "41653-7",
     "Glucose [Mass/volume] in Capillary blood by Glucometer"},
    {"stethoscope", "http://snomed.info/sct", "37931006", "Auscultation"},
};

static json_t *act_code(const struct fhir_req *r)
{
	char text[160];
	if (!strcmp(r->action, "still")) {
		snprintf(text, sizeof text, "Photographie d'examen%s%s", r->kind[0] ? " : " : "",
		         r->kind);
		return fx_concept(NULL, NULL, NULL, text);
	}
	for (size_t i = 0; i < sizeof act_codes / sizeof *act_codes; i++)
		if (!strcmp(r->kind, act_codes[i].kind))
			return fx_concept(act_codes[i].system, act_codes[i].code, act_codes[i].display,
			                  r->kind);
	return fx_concept(NULL, NULL, NULL, r->kind);
}

void fx_add_acts(struct fhir_ctx *c)
{
	const struct cab_fhir_bundle_in *in = c->in;
	for (size_t i = 0; i < in->n; i++) {
		json_t *m = in->msgs[i];
		if (strcmp(fx_str(m, "type"), "request"))
			continue;
		const char *action = fx_str(m, "action");
		if (!strcmp(action, "message") && *fx_str(m, "text")) {
			char idv[64], url[FHIR_URL];
			snprintf(idv, sizeof idv, "%s", fx_str(m, "id"));
			json_t *res = json_pack(
			    "{s:s, s:[o], s:s, s:[{s:s}]}", "resourceType", "Communication",
			    "identifier", fx_ident(CAB_FHIR_SID "doctor-message", idv), "status",
			    "completed", "payload", "contentString", fx_str(m, "text"));
			if (*fx_str(m, "time"))
				json_object_set_new(res, "sent", json_string(fx_str(m, "time")));
			if (c->patient[0]) {
				json_object_set_new(res, "subject", fx_ref(c->patient));
				json_object_set_new(res, "recipient", json_pack("[o]", fx_ref(c->patient)));
			}
			json_object_set_new(res, "encounter", fx_ref(c->encounter));
			if (c->doctor_role[0])
				json_object_set_new(res, "sender", fx_ref(c->doctor_role));
			fx_url(url, NULL);
			fx_add(c, url, res);
			continue;
		}
		int measure = !strcmp(action, "measure");
		int still = !strcmp(action, "still");
		int stetho = !strcmp(action, "stream_start") && !strcmp(fx_str(m, "kind"), "stethoscope");
		if ((!measure && !still && !stetho) || c->nreqs == FHIR_MAX_REQS)
			continue;
		struct fhir_req *r = &c->reqs[c->nreqs++];
		snprintf(r->id, sizeof r->id, "%s", fx_str(m, "id"));
		snprintf(r->action, sizeof r->action, "%s", action);
		snprintf(r->kind, sizeof r->kind, "%s", fx_str(m, "kind"));
		snprintf(r->time, sizeof r->time, "%s", fx_str(m, "time"));
		fx_url(r->url, NULL);
		/* listening is performed as soon as it is asked: the sound goes to the doctor */
		if (stetho)
			fx_performed(c, r, r->time);
	}
}

struct fhir_req *fx_request_for(struct fhir_ctx *c, const char *kind, const char *time)
{
	struct fhir_req *best = NULL;
	for (int i = 0; i < c->nreqs; i++)
		if (!strcmp(c->reqs[i].action, "measure") && !strcmp(c->reqs[i].kind, kind) &&
		    strcmp(c->reqs[i].time, time) <= 0)
			best = &c->reqs[i];
	return best;
}

struct fhir_req *fx_request_by_id(struct fhir_ctx *c, const char *req_id)
{
	for (int i = 0; i < c->nreqs; i++)
		if (*req_id && !strcmp(c->reqs[i].id, req_id))
			return &c->reqs[i];
	return NULL;
}

void fx_performed(struct fhir_ctx *c, struct fhir_req *r, const char *time)
{
	if (!r || r->procedure[0])
		return;
	char idv[64];
	snprintf(idv, sizeof idv, "%s", r->id);
	json_t *res = json_pack("{s:s, s:[o], s:[o], s:s, s:o, s:o}", "resourceType", "Procedure",
	                        "identifier", fx_ident(CAB_FHIR_SID "act", idv), "basedOn",
	                        fx_ref(r->url), "status", "completed", "code", act_code(r),
	                        "encounter", fx_ref(c->encounter));
	if (c->patient[0])
		json_object_set_new(res, "subject", fx_ref(c->patient));
	if (time && *time)
		json_object_set_new(res, "performedDateTime", json_string(time));
	if (c->gateway[0])
		json_object_set_new(res, "performer",
		                    json_pack("[{s:o}]", "actor", fx_ref(c->gateway)));
	if (c->location[0])
		json_object_set_new(res, "location", fx_ref(c->location));
	fx_url(r->procedure, NULL);
	fx_add(c, r->procedure, res);
}

void fx_add_requests(struct fhir_ctx *c)
{
	for (int i = 0; i < c->nreqs; i++) {
		struct fhir_req *r = &c->reqs[i];
		json_t *res = json_pack(
		    "{s:s, s:[o], s:s, s:s, s:o, s:o}", "resourceType", "ServiceRequest", "identifier",
		    fx_ident(CAB_FHIR_SID "request", r->id), "status",
		    r->procedure[0] ? "completed" : "active", "intent", "order", "code", act_code(r),
		    "encounter", fx_ref(c->encounter));
		if (c->patient[0])
			json_object_set_new(res, "subject", fx_ref(c->patient));
		if (r->time[0])
			json_object_set_new(res, "authoredOn", json_string(r->time));
		if (c->doctor_role[0])
			json_object_set_new(res, "requester", fx_ref(c->doctor_role));
		fx_add(c, r->url, res);
	}
}

/* TEXT escaped for XHTML (& < > "), new string. */
static char *xhtml_escape(const char *text)
{
	size_t n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '&' ? 5 : (*p == '<' || *p == '>') ? 4 : *p == '"' ? 6 : 1;
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *p = text; *p; p++) {
		const char *rep = *p == '&'   ? "&amp;"
		                  : *p == '<' ? "&lt;"
		                  : *p == '>' ? "&gt;"
		                  : *p == '"' ? "&quot;"
		                              : NULL;
		if (rep) {
			memcpy(o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* A Composition section: TITLE, LOINC CODE, narrative TEXT (escaped), ENTRIES (consumed,
 * may be NULL). */
static json_t *section(const char *title, const char *code, const char *display, const char *text,
                       json_t *entries)
{
	char *esc = xhtml_escape(text);
	size_t n = (esc ? strlen(esc) : 0) + 64;
	char *div = malloc(n);
	if (div)
		snprintf(div, n, "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>%s</p></div>",
		         esc ? esc : "");
	json_t *s = json_pack("{s:s, s:o, s:{s:s, s:s}}", "title", title, "code",
	                      fx_concept("http://loinc.org", code, display, NULL), "text", "status",
	                      "generated", "div", div ? div : "");
	free(esc);
	free(div);
	if (entries && json_array_size(entries))
		json_object_set_new(s, "entry", entries);
	else
		json_decref(entries);
	return s;
}

/* References to every entry of resource TYPE, new array. */
static json_t *refs_of(struct fhir_ctx *c, const char *type)
{
	json_t *a = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(c->entries, i, e)
	{
		if (!strcmp(fx_str(json_object_get(e, "resource"), "resourceType"), type))
			json_array_append_new(a, fx_ref(fx_str(e, "fullUrl")));
	}
	return a;
}

/* The prescription: one MedicationRequest per line. */
static void add_prescription(struct fhir_ctx *c, json_t *rx, const char *date)
{
	const char *pid = fx_str(rx, "id");
	json_t *lines = json_object_get(rx, "lines");
	if (!*pid || !json_is_array(lines))
		return;
	size_t i;
	json_t *l;
	json_array_foreach(lines, i, l)
	{
		char lid[96], dose[600], url[FHIR_URL];
		snprintf(lid, sizeof lid, "%s-%zu", pid, i + 1);
		snprintf(dose, sizeof dose, "%s%s%s%s%s", fx_str(l, "dose"),
		         *fx_str(l, "duration") ? ", " : "", fx_str(l, "duration"),
		         *fx_str(l, "text") ? ". " : "", fx_str(l, "text"));
		json_t *res = json_pack(
		    "{s:s, s:[o], s:o, s:s, s:s, s:o, s:o}", "resourceType", "MedicationRequest",
		    "identifier", fx_ident(CAB_FHIR_SID "prescription-line", lid), "groupIdentifier",
		    fx_ident(CAB_FHIR_SID "prescription", pid), "status", "active", "intent", "order",
		    "medicationCodeableConcept", fx_concept(NULL, NULL, NULL, fx_str(l, "medicine")),
		    "encounter", fx_ref(c->encounter));
		if (*dose)
			json_object_set_new(res, "dosageInstruction",
			                    json_pack("[{s:i, s:s}]", "sequence", 1, "text", dose));
		if (c->patient[0])
			json_object_set_new(res, "subject", fx_ref(c->patient));
		if (*date)
			json_object_set_new(res, "authoredOn", json_string(date));
		if (c->doctor_role[0])
			json_object_set_new(res, "requester", fx_ref(c->doctor_role));
		fx_url(url, NULL);
		fx_add(c, url, res);
	}
}

void fx_add_report(struct fhir_ctx *c)
{
	json_t *rec = c->in->record;
	json_t *rep = json_object_get(rec, "report");
	json_t *rx = json_object_get(rec, "prescription");
	json_t *close = fx_find(c->in, "session_close");
	const char *date = *fx_str(rx, "date") ? fx_str(rx, "date") : close ? fx_str(close, "time") : "";
	add_prescription(c, rx, date);
	if (!c->doctor_role[0] || !*date)
		return; /* a Composition needs its author and date */
	json_t *secs = json_array();
	static const struct {
		const char *key, *title, *code, *display;
	} parts[] = {
	    {"reason", "Motif", "29299-5", "Reason for visit Narrative"},
	    {"history", "Histoire de la maladie", "10164-2", "History of Present illness Narrative"},
	    {"examination", "Examen", "29545-1", "Physical findings Narrative"},
	    {"conclusion", "Conclusion", "51848-0", "Evaluation note"},
	    {"advice", "Conseils", "69730-0", "Instructions"},
	};
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		if (*fx_str(rep, parts[i].key))
			json_array_append_new(secs, section(parts[i].title, parts[i].code,
			                                    parts[i].display, fx_str(rep, parts[i].key),
			                                    NULL));
	char text[200];
	if (c->readings_refused)
		snprintf(text, sizeof text,
		         "Le patient a refusé la transmission des mesures : aucune mesure n'a "
		         "quitté la cabine (%d laissée(s) de côté).",
		         c->readings_dropped);
	else
		snprintf(text, sizeof text, "Mesures prises en cabine.");
	json_array_append_new(secs, section("Mesures", "8716-3", "Vital signs", text,
	                                    c->readings_refused ? NULL : refs_of(c, "Observation")));
	json_t *acts = refs_of(c, "ServiceRequest");
	json_t *procs = refs_of(c, "Procedure");
	json_array_extend(acts, procs);
	json_decref(procs);
	json_array_append_new(secs, section("Actes demandés et réalisés", "29554-3",
	                                    "Procedure Narrative", "Actes demandés pendant la téléconsultation.", acts));
	if (json_array_size(json_object_get(rx, "lines")))
		json_array_append_new(secs, section("Prescription", "57828-6", "Prescription list",
		                                    fx_str(rx, "id"), refs_of(c, "MedicationRequest")));
	json_t *res = json_pack(
	    "{s:s, s:o, s:s, s:o, s:o, s:s, s:[o], s:s, s:o}", "resourceType", "Composition",
	    "identifier", fx_ident(CAB_FHIR_SID "report", c->in->session), "status",
	    rep ? "final" : "preliminary", "type",
	    fx_concept("http://loinc.org", "11488-4", "Consult note", "Compte rendu de téléconsultation"),
	    "encounter", fx_ref(c->encounter), "date", date, "author", fx_ref(c->doctor_role),
	    "title", "Compte rendu de téléconsultation", "section", secs);
	if (c->patient[0])
		json_object_set_new(res, "subject", fx_ref(c->patient));
	char url[FHIR_URL];
	fx_url(url, NULL);
	fx_add(c, url, res);
}
