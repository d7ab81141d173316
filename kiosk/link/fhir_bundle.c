/* fhir_bundle.c — the teleconsultation record as a FHIR R4 transaction Bundle: the
 * entries and their conditional creates, the Encounter (the call's period, the
 * technical incidents) and the Consents. The other resources come from fhir_people.c,
 * fhir_device.c and fhir_acts.c (fhir_internal.h says which).
 * Sources: FHIR R4 transaction (http://hl7.org/fhir/R4/http.html#transaction,
 * conditional create http://hl7.org/fhir/R4/http.html#ccreate), Encounter
 * (http://hl7.org/fhir/R4/encounter.html), Consent (http://hl7.org/fhir/R4/consent.html),
 * Code de la santé publique art. R.6316-4 (what the record of a telemedicine act holds). */
#include "kiosk/link/fhir_internal.h"

#include "kiosk/link/message.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fx_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

void fx_url(char out[FHIR_URL], const char *id)
{
	char u[37];
	if (!id || !*id) {
		if (cab_uuid4(u))
			snprintf(u, sizeof u, "00000000-0000-4000-8000-000000000000");
		id = u;
	}
	snprintf(out, FHIR_URL, "urn:uuid:%.36s", id);
}

json_t *fx_ref(const char *url)
{
	return json_pack("{s:s}", "reference", url);
}

json_t *fx_coding(const char *system, const char *code, const char *display)
{
	json_t *c = json_pack("{s:s, s:s}", "system", system, "code", code);
	if (display)
		json_object_set_new(c, "display", json_string(display));
	return c;
}

json_t *fx_concept(const char *system, const char *code, const char *display, const char *text)
{
	json_t *cc = json_object();
	if (system && code)
		json_object_set_new(cc, "coding",
		                    json_pack("[o]", fx_coding(system, code, display)));
	if (text && *text)
		json_object_set_new(cc, "text", json_string(text));
	return cc;
}

json_t *fx_ident(const char *system, const char *value)
{
	return json_pack("{s:s, s:s}", "system", system, "value", value);
}

/* Appends S to Q (size N, used USED) as a FHIR search token part: ',' '|' '$' '\\'
 * escaped with a backslash (R4 search 3.1.1.4.7), then every byte but RFC 3986's
 * unreserved ones percent-encoded (the condition is a URL query). Returns the new
 * length, N when it does not fit. */
static size_t search_escape(char *q, size_t n, size_t used, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s && used < n; s++) {
		unsigned char ch = (unsigned char)*s;
		char two[2] = {(char)ch, 0};
		int k = 0;
		if (ch == ',' || ch == '|' || ch == '$' || ch == '\\')
			two[k++] = '\\', two[k] = (char)ch;
		for (int j = 0; j <= k; j++) {
			unsigned char b = (unsigned char)two[j];
			if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
			    b == '-' || b == '.' || b == '_' || b == '~') {
				if (used + 1 >= n)
					return n;
				q[used++] = (char)b;
			} else {
				if (used + 3 >= n)
					return n;
				q[used++] = '%';
				q[used++] = hex[b >> 4];
				q[used++] = hex[b & 15];
			}
		}
	}
	if (used >= n)
		return n;
	q[used] = '\0';
	return used;
}

void fx_add(struct fhir_ctx *c, const char *url, json_t *res)
{
	if (!res)
		return;
	const char *type = fx_str(res, "resourceType");
	json_t *req = json_pack("{s:s, s:s}", "method", "POST", "url", type);
	json_t *ids = json_object_get(res, "identifier"); /* 0..1 on Composition */
	json_t *id0 = json_is_object(ids) ? ids : json_array_get(ids, 0);
	if (id0) {
		char q[1200];
		size_t n = 0;
		n += (size_t)snprintf(q, sizeof q, "identifier=");
		n = search_escape(q, sizeof q, n, fx_str(id0, "system"));
		if (n + 3 < sizeof q) {
			memcpy(q + n, "%7C", 4); /* the system|value separator, URL-encoded */
			n += 3;
		}
		n = search_escape(q, sizeof q, n, fx_str(id0, "value"));
		if (n < sizeof q)
			json_object_set_new(req, "ifNoneExist", json_string(q));
	}
	json_array_append_new(c->entries, json_pack("{s:s, s:o, s:o}", "fullUrl", url,
	                                             "resource", res, "request", req));
}

json_t *fx_find(const struct cab_fhir_bundle_in *in, const char *type)
{
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(fx_str(in->msgs[i], "type"), type))
			return in->msgs[i];
	return NULL;
}

/* The time the station sent the first `request` ACTION at or after AFTER ("" = any). */
static const char *request_time(const struct cab_fhir_bundle_in *in, const char *action,
                                const char *after)
{
	for (size_t i = 0; i < in->n; i++) {
		json_t *m = in->msgs[i];
		if (!strcmp(fx_str(m, "type"), "request") && !strcmp(fx_str(m, "action"), action) &&
		    *fx_str(m, "time") && strcmp(fx_str(m, "time"), after) >= 0)
			return fx_str(m, "time");
	}
	return NULL;
}

/* One technical incident as the CAB_FHIR_EXT_INCIDENT extension (complex: kind
 * code, period, detail). */
static json_t *incident_extension(json_t *msg)
{
	json_t *inc = json_object_get(msg, "incident");
	json_t *ext = json_array();
	json_array_append_new(ext, json_pack("{s:s, s:o}", "url", "kind", "valueCoding",
	                                     fx_coding(CAB_FHIR_CANON "/CodeSystem/incident-kind",
	                                               fx_str(inc, "kind"), NULL)));
	json_t *period = json_pack("{s:s}", "start", fx_str(inc, "start"));
	if (*fx_str(inc, "end"))
		json_object_set_new(period, "end", json_string(fx_str(inc, "end")));
	json_array_append_new(ext, json_pack("{s:s, s:o}", "url", "period", "valuePeriod", period));
	if (*fx_str(inc, "detail"))
		json_array_append_new(ext, json_pack("{s:s, s:s}", "url", "detail", "valueString",
		                                     fx_str(inc, "detail")));
	return json_pack("{s:s, s:o}", "url", CAB_FHIR_EXT_INCIDENT, "extension", ext);
}

static json_t *period(const char *start, const char *end)
{
	json_t *p = json_object();
	if (start && *start)
		json_object_set_new(p, "start", json_string(start));
	if (end && *end)
		json_object_set_new(p, "end", json_string(end));
	return p;
}

/* The Encounter: the teleconsultation itself. Its period is the call (from the
 * station's `call` request to its `end` request or the session's close; without a
 * `call` request, the call times the cabin put in its session_close); the kiosk
 * session before the call is its "arrived" status history. */
static void add_encounter(struct fhir_ctx *c)
{
	const struct cab_fhir_bundle_in *in = c->in;
	json_t *open = fx_find(in, "session_open"), *close = fx_find(in, "session_close");
	const char *t_open = open ? fx_str(open, "time") : "";
	const char *t_close = close ? fx_str(close, "time") : "";
	const char *call = request_time(in, "call", "");
	const char *end = call ? request_time(in, "end", call) : NULL;
	json_t *cab_call = close ? json_object_get(close, "call") : NULL;
	if (!call && *fx_str(cab_call, "start")) { /* no `call` request: the cabin's call times */
		call = fx_str(cab_call, "start");
		end = *fx_str(cab_call, "end") ? fx_str(cab_call, "end") : NULL;
	}
	if (!end)
		end = t_close;
	json_t *res = json_pack(
	    "{s:s, s:[o], s:s, s:o, s:[o]}", "resourceType", "Encounter", "identifier",
	    fx_ident(CAB_FHIR_SID "session", in->session), "status",
	    close ? "finished" : "in-progress", "class",
	    fx_coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"), "type",
	    fx_concept(NULL, NULL, NULL, "Téléconsultation en cabine"));
	json_t *hist = json_array();
	if (call) {
		json_object_set_new(res, "period", period(call, end));
		json_array_append_new(hist, json_pack("{s:s, s:o}", "status", "arrived", "period",
		                                      period(t_open, call)));
		json_array_append_new(hist, json_pack("{s:s, s:o}", "status", "in-progress",
		                                      "period", period(call, end)));
	} else {
		/* no call took place (the patient left before the doctor called) */
		json_object_set_new(res, "period", period(t_open, t_close));
		json_array_append_new(hist, json_pack("{s:s, s:o}", "status", "arrived", "period",
		                                      period(t_open, t_close)));
	}
	json_object_set_new(res, "statusHistory", hist);
	if (c->patient[0])
		json_object_set_new(res, "subject", fx_ref(c->patient));
	json_t *parts = json_array();
	if (c->doctor_role[0])
		json_array_append_new(
		    parts, json_pack("{s:[o], s:o}", "type",
		                     fx_concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
		                                "PPRF", "primary performer", NULL),
		                     "individual", fx_ref(c->doctor_role)));
	if (c->pharmacist_role[0])
		json_array_append_new(
		    parts, json_pack("{s:[o], s:o}", "type",
		                     fx_concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
		                                "PART", "participation", NULL),
		                     "individual", fx_ref(c->pharmacist_role)));
	if (json_array_size(parts))
		json_object_set_new(res, "participant", parts);
	else
		json_decref(parts);
	if (c->location[0])
		json_object_set_new(res, "location",
		                    json_pack("[{s:o}]", "location", fx_ref(c->location)));
	json_t *reason = json_object_get(json_object_get(in->record, "report"), "reason");
	if (json_string_value(reason) && *json_string_value(reason))
		json_object_set_new(res, "reasonCode",
		                    json_pack("[{s:O}]", "text", reason));
	json_t *exts = json_array();
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(fx_str(in->msgs[i], "type"), "incident"))
			json_array_append_new(exts, incident_extension(in->msgs[i]));
	if (json_array_size(exts))
		json_object_set_new(res, "extension", exts);
	else
		json_decref(exts);
	fx_add(c, c->encounter, res);
}

/* One Consent for one answer (WHAT "teleconsultation" or "readings"). */
static void add_one_consent(struct fhir_ctx *c, json_t *msg, const char *what, int yes)
{
	json_t *k = json_object_get(msg, "consent");
	int tele = !strcmp(what, "teleconsultation");
	char idv[96], url[FHIR_URL];
	snprintf(idv, sizeof idv, "%s-%s", fx_str(msg, "id"), what);
	/* the text shown: its version (title, and a URL naming it) and its language */
	char turl[300];
	snprintf(turl, sizeof turl, CAB_FHIR_CANON "/consent-text/%s", fx_str(k, "text_id"));
	json_t *att = json_pack("{s:s, s:s, s:s, s:s}", "contentType", "text/plain", "language",
	                        fx_str(k, "language"), "title", fx_str(k, "text_id"), "url", turl);
	json_t *ids = json_pack("[o]", fx_ident(CAB_FHIR_SID "consent", idv));
	if (*fx_str(k, "text_sha256"))
		json_array_append_new(ids, json_pack("{s:s, s:s, s:{s:s}}", "system",
		                                     CAB_FHIR_SID_SHA256, "value",
		                                     fx_str(k, "text_sha256"), "type", "text",
		                                     "SHA-256 of the consent text shown"));
	json_t *prov = json_pack("{s:s}", "type", yes ? "permit" : "deny");
	if (!tele) {
		/* what the answer covers: the instruments' readings leaving the cabin */
		json_object_set_new(prov, "action",
		                    json_pack("[o]", fx_concept("http://terminology.hl7.org/CodeSystem/consentaction",
		                                                "disclose", "Disclose", NULL)));
		json_object_set_new(prov, "class",
		                    json_pack("[o]", fx_coding("http://hl7.org/fhir/resource-types",
		                                               "Observation", NULL)));
	}
	json_t *res = json_pack(
	    "{s:s, s:o, s:s, s:o, s:[o], s:s, s:o, s:o, s:o}", "resourceType", "Consent",
	    "identifier", ids, "status", yes ? "active" : "rejected", "scope",
	    fx_concept("http://terminology.hl7.org/CodeSystem/consentscope",
	               tele ? "treatment" : "patient-privacy", tele ? "Treatment" : "Privacy Consent",
	               NULL),
	    "category",
	    fx_concept("http://loinc.org", "59284-0", "Patient Consent",
	               tele ? "Consentement à la téléconsultation"
	                    : "Consentement à la transmission des mesures"),
	    "dateTime", fx_str(k, "time"), "policyRule",
	    fx_concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", NULL, NULL),
	    "sourceAttachment", att, "provision", prov);
	if (c->patient[0]) {
		json_object_set_new(res, "patient", fx_ref(c->patient));
		json_object_set_new(res, "performer", json_pack("[o]", fx_ref(c->patient)));
	}
	if (c->organization[0])
		json_object_set_new(res, "organization", json_pack("[o]", fx_ref(c->organization)));
	fx_url(url, NULL);
	fx_add(c, url, res);
}

static void add_consents(struct fhir_ctx *c)
{
	for (size_t i = 0; i < c->in->n; i++) {
		json_t *m = c->in->msgs[i];
		if (strcmp(fx_str(m, "type"), "consent"))
			continue;
		json_t *k = json_object_get(m, "consent");
		add_one_consent(c, m, "teleconsultation", json_is_true(json_object_get(k, "accepted")));
		/* An older cabin sends no "readings" answer: sending them was its consent. */
		json_t *r = json_object_get(k, "readings");
		add_one_consent(c, m, "readings", r ? json_is_true(r) : 1);
	}
}

/* 1 when the patient's latest consent refuses that readings leave the cabin. */
static int readings_refused(const struct cab_fhir_bundle_in *in)
{
	int refused = 0;
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(fx_str(in->msgs[i], "type"), "consent")) {
			json_t *r = json_object_get(json_object_get(in->msgs[i], "consent"), "readings");
			refused = r && json_is_false(r);
		}
	return refused;
}

json_t *cab_fhir_bundle(const struct cab_fhir_bundle_in *in, const char *timestamp)
{
	struct fhir_ctx c;
	memset(&c, 0, sizeof c);
	c.in = in;
	c.entries = json_array();
	if (!c.entries)
		return NULL;
	c.readings_refused = readings_refused(in);
	json_t *open = fx_find(in, "session_open");
	fx_url(c.encounter, open ? fx_str(open, "id") : NULL);
	/* the latest identity: a later one carries the pharmacist's document check */
	json_t *ident = NULL;
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(fx_str(in->msgs[i], "type"), "identity"))
			ident = in->msgs[i];
	if (ident)
		fx_add_patient(&c, ident);
	fx_add_location(&c);
	fx_add_professionals(&c, ident);
	add_encounter(&c);
	add_consents(&c);
	fx_add_gateway(&c);
	fx_add_acts(&c);
	fx_add_readings(&c);
	fx_add_media(&c);
	fx_add_requests(&c);
	fx_add_report(&c);
	char bid[FHIR_URL];
	fx_url(bid, NULL);
	return json_pack("{s:s, s:s, s:o, s:s, s:s, s:o}", "resourceType", "Bundle", "id", bid + 9,
	                 "identifier", fx_ident(CAB_FHIR_SID "session", in->session), "type",
	                 "transaction", "timestamp", timestamp, "entry", c.entries);
}
