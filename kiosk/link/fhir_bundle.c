/* fhir_bundle.c — builds the hand-off Bundle from a session's link messages.
 * Sources: FHIR R4 (http://hl7.org/fhir/R4/), the BP profile
 * (http://hl7.org/fhir/R4/bp.html), FR Core Patient INS
 * (https://hl7.fr/ig/fhir/core/StructureDefinition-fr-core-patient-ins.html) for the
 * INS systems and the birth place (standard patient-birthPlace extension whose
 * Address carries the FR Core INSEE-code extension). */
#include "kiosk/link/fhir_bundle.h"

#include "cabin/mdc.h"
#include "kiosk/link/fhir_observation.h"
#include "kiosk/link/message.h"
#include "kiosk/link/still_msg.h"

#include <openssl/evp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEVICES 32

struct dev_entry {
	char key[200];
	char url[48];
};

struct ctx {
	json_t *entries;
	char patient_url[48], encounter_url[48], location_url[48], practitioner_url[48];
	struct dev_entry devs[MAX_DEVICES];
	int ndevs;
};

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void new_url(char out[48], const char *id)
{
	char u[37];
	if (!id) {
		if (cab_uuid4(u))
			snprintf(u, sizeof u, "00000000-0000-4000-8000-000000000000");
		id = u;
	}
	snprintf(out, 48, "urn:uuid:%.36s", id);
}

static void add_entry(struct ctx *c, const char *url, json_t *res)
{
	json_object_set_new(res, "id", json_string(url + 9));
	json_array_append_new(c->entries, json_pack("{s:s, s:o}", "fullUrl", url, "resource", res));
}

static json_t *ref(const char *url)
{
	return json_pack("{s:s}", "reference", url);
}

static json_t *find_type(const struct cab_fhir_bundle_in *in, const char *type)
{
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(str(in->msgs[i], "type"), type))
			return in->msgs[i];
	return NULL;
}

static void add_patient(struct ctx *c, json_t *msg)
{
	json_t *p = json_object_get(msg, "patient");
	json_t *res = json_pack("{s:s}", "resourceType", "Patient");
	json_t *ins = json_object_get(p, "ins");
	if (ins) {
		int nia = !strcmp(str(ins, "kind"), "NIA");
		json_object_set_new(res, "identifier",
		                    json_pack("[{s:s, s:{s:s}, s:s, s:s}]", "use", "official",
		                              "type", "text", nia ? "INS-NIA" : "INS-NIR", "system",
		                              nia ? CAB_FHIR_OID_NIA : CAB_FHIR_OID_NIR, "value",
		                              str(ins, "value")));
	}
	/* Birth name and the first names as given, in order (RNIV traits). */
	json_t *given = json_array();
	char names[CAB_LINK_STR_MAX + 1];
	snprintf(names, sizeof names, "%s", str(p, "first_names"));
	for (char *save = NULL, *tok = strtok_r(names, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		json_array_append_new(given, json_string(tok));
	json_object_set_new(res, "name",
	                    json_pack("[{s:s, s:s, s:o}]", "use", "official", "family",
	                              str(p, "birth_name"), "given", given));
	if (*str(p, "phone"))
		json_object_set_new(
		    res, "telecom",
		    json_pack("[{s:s, s:s}]", "system", "phone", "value", str(p, "phone")));
	json_object_set_new(res, "gender", json_string(str(p, "sex")));
	json_object_set_new(res, "birthDate", json_string(str(p, "birth_date")));
	json_t *addr = json_pack(
	    "{s:[{s:s, s:{s:s, s:s}}]}", "extension", "url", CAB_FHIR_EXT_INSEE, "valueCoding",
	    "system", "https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM",
	    "code", str(p, "birth_place_insee"));
	json_object_set_new(
	    res, "extension",
	    json_pack("[{s:s, s:o}]", "url", CAB_FHIR_EXT_BIRTHPLACE, "valueAddress", addr));
	new_url(c->patient_url, str(msg, "id"));
	add_entry(c, c->patient_url, res);
}

static void add_consent(struct ctx *c, json_t *msg)
{
	json_t *k = json_object_get(msg, "consent");
	int yes = json_is_true(json_object_get(k, "accepted"));
	json_t *res = json_pack(
	    "{s:s, s:s, s:{s:[{s:s, s:s}]}, s:[{s:[{s:s, s:s, s:s}]}], s:s, s:{s:[{s:s, s:s}]},"
	    " s:{s:s, s:s}, s:{s:s}}",
	    "resourceType", "Consent", "status", yes ? "active" : "rejected", "scope", "coding",
	    "system", "http://terminology.hl7.org/CodeSystem/consentscope", "code", "treatment",
	    "category", "coding", "system", "http://loinc.org", "code", "59284-0", "display",
	    "Patient Consent", "dateTime", str(k, "time"), "policyRule", "coding", "system",
	    "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code", "OPTIN", "sourceAttachment",
	    "language", str(k, "language"), "title", str(k, "text_id"), "provision", "type",
	    yes ? "permit" : "deny");
	if (c->patient_url[0])
		json_object_set_new(res, "patient", ref(c->patient_url));
	char url[48];
	new_url(url, str(msg, "id"));
	add_entry(c, url, res);
}

static const char *device_url(struct ctx *c, json_t *dev)
{
	char key[200];
	snprintf(key, sizeof key, "%s|%s|%s|%s", str(dev, "kind"), str(dev, "manufacturer"),
	         str(dev, "model"), str(dev, "serial"));
	for (int i = 0; i < c->ndevs; i++)
		if (!strcmp(c->devs[i].key, key))
			return c->devs[i].url;
	if (c->ndevs == MAX_DEVICES)
		return NULL;
	struct dev_entry *d = &c->devs[c->ndevs++];
	snprintf(d->key, sizeof d->key, "%s", key);
	new_url(d->url, NULL);
	json_t *res = json_pack("{s:s, s:s, s:{s:s}}", "resourceType", "Device", "status", "active",
	                        "type", "text", str(dev, "kind"));
	if (*str(dev, "manufacturer"))
		json_object_set_new(res, "manufacturer", json_string(str(dev, "manufacturer")));
	if (*str(dev, "model")) {
		json_object_set_new(res, "modelNumber", json_string(str(dev, "model")));
		json_object_set_new(
		    res, "deviceName",
		    json_pack("[{s:s, s:s}]", "name", str(dev, "model"), "type", "model-name"));
	}
	if (*str(dev, "serial"))
		json_object_set_new(res, "serialNumber", json_string(str(dev, "serial")));
	if (*str(dev, "udi"))
		json_object_set_new(res, "udiCarrier",
		                    json_pack("[{s:s}]", "carrierHRF", str(dev, "udi")));
	if (*str(dev, "firmware"))
		json_object_set_new(res, "version",
		                    json_pack("[{s:s}]", "value", str(dev, "firmware")));
	if (*str(dev, "system_id"))
		json_object_set_new(res, "identifier",
		                    json_pack("[{s:s, s:s}]", "system",
		                              "urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680",
		                              "value", str(dev, "system_id")));
	add_entry(c, d->url, res);
	return d->url;
}

/* Subject, encounter, device reference and an identifier on an Observation. */
static void link_observation(struct ctx *c, json_t *obs, json_t *msg)
{
	if (c->patient_url[0])
		json_object_set_new(obs, "subject", ref(c->patient_url));
	json_object_set_new(obs, "encounter", ref(c->encounter_url));
	const char *durl = device_url(c, json_object_get(msg, "device"));
	if (durl)
		json_object_set_new(obs, "device", ref(durl));
	char idv[64];
	snprintf(idv, sizeof idv, "urn:uuid:%s", str(msg, "id"));
	json_object_set_new(obs, "identifier",
	                    json_pack("[{s:s, s:s}]", "system", "urn:ietf:rfc:3986", "value", idv));
}

static int is_bp(json_t *msg)
{
	json_int_t m = json_integer_value(json_object_get(msg, "mdc"));
	return m == MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS) ||
	       m == MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA) ||
	       m == MDC_FULL(2, MDC_PRESS_BLD_NONINV_MEAN);
}

static int same_bp_group(json_t *a, json_t *b)
{
	json_t *oa = json_object_get(a, "observation"), *ob = json_object_get(b, "observation");
	json_t *da = json_object_get(a, "device"), *db = json_object_get(b, "device");
	return !strcmp(str(oa, "effectiveDateTime"), str(ob, "effectiveDateTime")) &&
	       !strcmp(str(da, "serial"), str(db, "serial")) &&
	       !strcmp(str(da, "model"), str(db, "model"));
}

static json_t *component_of(json_t *obs)
{
	json_t *c = json_pack("{s:O}", "code", json_object_get(obs, "code"));
	json_t *v = json_object_get(obs, "valueQuantity");
	if (v)
		json_object_set(c, "valueQuantity", v);
	else if ((v = json_object_get(obs, "dataAbsentReason")))
		json_object_set(c, "dataAbsentReason", v);
	return c;
}

static void add_readings(struct ctx *c, const struct cab_fhir_bundle_in *in)
{
	unsigned char *done = calloc(in->n ? in->n : 1, 1);
	if (!done)
		return;
	for (size_t i = 0; i < in->n; i++) {
		json_t *m = in->msgs[i];
		if (done[i] || strcmp(str(m, "type"), "reading"))
			continue;
		done[i] = 1;
		json_t *obs = json_deep_copy(json_object_get(m, "observation"));
		if (is_bp(m)) {
			json_t *part[3] = {NULL, NULL, NULL}; /* sys, dia, mean messages */
			size_t idx[3] = {0, 0, 0};
			for (size_t j = i; j < in->n; j++) {
				json_t *o = in->msgs[j];
				if ((j != i && done[j]) || strcmp(str(o, "type"), "reading") ||
				    !is_bp(o) || !same_bp_group(m, o))
					continue;
				json_int_t mdc = json_integer_value(json_object_get(o, "mdc"));
				int k = mdc == MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS)   ? 0
				        : mdc == MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA) ? 1
				                                                       : 2;
				if (!part[k]) {
					part[k] = o;
					idx[k] = j;
				}
			}
			if (part[0] && part[1]) {
				json_t *panel =
				    json_deep_copy(json_object_get(part[0], "observation"));
				json_object_del(panel, "valueQuantity");
				json_object_del(panel, "dataAbsentReason");
				json_object_set_new(
				    panel, "meta",
				    json_pack("{s:[s]}", "profile",
				              "http://hl7.org/fhir/StructureDefinition/bp"));
				json_object_set_new(
				    panel, "code",
				    json_pack("{s:[{s:s, s:s, s:s}], s:s}", "coding", "system",
				              CAB_FHIR_LOINC, "code", "85354-9", "display",
				              "Blood pressure panel with all children optional",
				              "text", "Blood pressure"));
				json_t *comps = json_array();
				for (int k = 0; k < 3; k++)
					if (part[k]) {
						done[idx[k]] = 1;
						json_array_append_new(comps,
						                      component_of(json_object_get(
						                          part[k], "observation")));
					}
				json_object_set_new(panel, "component", comps);
				json_decref(obs);
				obs = panel;
				m = part[0];
			}
		}
		link_observation(c, obs, m);
		char url[48];
		new_url(url, str(m, "id"));
		add_entry(c, url, obs);
	}
	free(done);
}

static json_t *incident_extension(json_t *msg)
{
	json_t *inc = json_object_get(msg, "incident");
	json_t *ext = json_array();
	json_array_append_new(
	    ext, json_pack("{s:s, s:s}", "url", "kind", "valueCode", str(inc, "kind")));
	json_t *period = json_pack("{s:s}", "start", str(inc, "start"));
	if (*str(inc, "end"))
		json_object_set_new(period, "end", json_string(str(inc, "end")));
	json_array_append_new(ext, json_pack("{s:s, s:o}", "url", "period", "valuePeriod", period));
	if (*str(inc, "detail"))
		json_array_append_new(ext, json_pack("{s:s, s:s}", "url", "detail", "valueString",
		                                     str(inc, "detail")));
	return json_pack("{s:s, s:o}", "url", CAB_FHIR_EXT_INCIDENT, "extension", ext);
}

static void add_encounter(struct ctx *c, const struct cab_fhir_bundle_in *in)
{
	json_t *open = find_type(in, "session_open"), *close = find_type(in, "session_close");
	json_t *res =
	    json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:[{s:s, s:s}]}", "resourceType", "Encounter",
	              "status", close ? "finished" : "in-progress", "class", "system",
	              "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code", "VR", "display",
	              "virtual", "identifier", "system", "urn:cabin:session", "value", in->session);
	if (c->patient_url[0])
		json_object_set_new(res, "subject", ref(c->patient_url));
	json_t *period = json_object();
	if (open)
		json_object_set_new(period, "start", json_string(str(open, "time")));
	if (close)
		json_object_set_new(period, "end", json_string(str(close, "time")));
	json_object_set_new(res, "period", period);
	if (c->practitioner_url[0])
		json_object_set_new(res, "participant",
		                    json_pack("[{s:o}]", "individual", ref(c->practitioner_url)));
	if (c->location_url[0])
		json_object_set_new(res, "location",
		                    json_pack("[{s:o}]", "location", ref(c->location_url)));
	json_t *exts = json_array();
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(str(in->msgs[i], "type"), "incident"))
			json_array_append_new(exts, incident_extension(in->msgs[i]));
	if (json_array_size(exts))
		json_object_set_new(res, "extension", exts);
	else
		json_decref(exts);
	add_entry(c, c->encounter_url, res);
}

static void add_location(struct ctx *c, json_t *hello)
{
	json_t *cab = json_object_get(hello, "cabin");
	if (!cab)
		return;
	json_t *a = json_object_get(cab, "address");
	json_t *addr = json_object();
	json_t *lines = json_array();
	if (*str(a, "line"))
		json_array_append_new(lines, json_string(str(a, "line")));
	json_object_set_new(addr, "line", lines);
	const char *keys[][2] = {
	    {"city", "city"}, {"postal_code", "postalCode"}, {"country", "country"}};
	for (size_t i = 0; i < 3; i++)
		if (*str(a, keys[i][0]))
			json_object_set_new(addr, keys[i][1], json_string(str(a, keys[i][0])));
	json_t *res =
	    json_pack("{s:s, s:s, s:s, s:s, s:o, s:[{s:s, s:s}], s:[{s:s, s:s}]}", "resourceType",
	              "Location", "status", "active", "mode", "instance", "name",
	              *str(cab, "pharmacy") ? str(cab, "pharmacy") : str(cab, "id"), "address",
	              addr, "telecom", "system", "phone", "value", str(cab, "phone"), "identifier",
	              "system", "urn:cabin:cabin-id", "value", str(cab, "id"));
	new_url(c->location_url, NULL);
	add_entry(c, c->location_url, res);
}

static void add_practitioner(struct ctx *c, json_t *doc)
{
	if (!doc)
		return;
	json_t *res = json_pack("{s:s, s:[{s:s}]}", "resourceType", "Practitioner", "name", "text",
	                        str(doc, "name"));
	if (*str(doc, "rpps"))
		json_object_set_new(res, "identifier",
		                    json_pack("[{s:s, s:s}]", "system", CAB_FHIR_OID_RPPS, "value",
		                              str(doc, "rpps")));
	if (*str(doc, "specialty"))
		json_object_set_new(
		    res, "qualification",
		    json_pack("[{s:{s:s}}]", "code", "text", str(doc, "specialty")));
	new_url(c->practitioner_url, NULL);
	add_entry(c, c->practitioner_url, res);
}

/* One Media (FHIR R4 Media, http://hl7.org/fhir/R4/media.html) for a verified still:
 * type image, the capture time, bodySite as text, the JPEG inline and by file name,
 * Attachment.hash = base64 SHA-1 (R4 Attachment.hash), the SHA-256 as an identifier
 * and a note. */
static void add_one_media(struct ctx *c, json_t *msg, const uint8_t *jpeg, size_t len)
{
	json_t *st = json_object_get(msg, "still");
	char sha1[29], url[48], file[160];
	char *b64 = malloc((len + 2) / 3 * 4 + 1);
	if (!b64 || cab_still_sha1_b64(jpeg, len, sha1)) {
		free(b64);
		return;
	}
	EVP_EncodeBlock((unsigned char *)b64, jpeg, (int)len);
	cab_still_file_name(str(msg, "session"), str(st, "id"), file, sizeof file);
	json_t *content =
	    json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "contentType", "image/jpeg", "data",
	              b64, "url", file, "size", (json_int_t)len, "hash", sha1, "title",
	              str(st, "camera"), "creation", str(st, "time"));
	free(b64);
	char note[160];
	snprintf(note, sizeof note, "SHA-256 (FIPS 180-4) of the JPEG: %s", str(st, "sha256"));
	json_t *res = json_pack(
	    "{s:s, s:s, s:{s:[{s:s, s:s, s:s}]}, s:s, s:s, s:I, s:I, s:o, s:[{s:s, s:s}, {s:{s:s}, "
	    "s:s, s:s}], s:[{s:s}]}",
	    "resourceType", "Media", "status", "completed", "type", "coding", "system",
	    "http://terminology.hl7.org/CodeSystem/media-type", "code", "image", "display", "Image",
	    "createdDateTime", str(st, "time"), "deviceName", str(st, "camera"), "height",
	    json_integer_value(json_object_get(st, "height")), "width",
	    json_integer_value(json_object_get(st, "width")), "content", content, "identifier",
	    "system", CAB_FHIR_SID_STILL, "value", str(st, "id"), "type", "text", "SHA-256",
	    "system", CAB_FHIR_SID_SHA256, "value", str(st, "sha256"), "note", "text", note);
	if (!res)
		return;
	if (*str(st, "body_site"))
		json_object_set_new(res, "bodySite",
		                    json_pack("{s:s}", "text", str(st, "body_site")));
	if (c->patient_url[0])
		json_object_set_new(res, "subject", ref(c->patient_url));
	json_object_set_new(res, "encounter", ref(c->encounter_url));
	new_url(url, NULL);
	add_entry(c, url, res);
}

/* Stills: the "still" messages grouped by still id (first arrival order); each
 * complete and verified still becomes a Media. Incomplete or damaged ones are left
 * out (the station reports them). */
static void add_media(struct ctx *c, const struct cab_fhir_bundle_in *in)
{
	json_t **group = calloc(in->n ? in->n : 1, sizeof *group);
	char *done = calloc(in->n ? in->n : 1, 1);
	if (!group || !done)
		goto out;
	for (size_t i = 0; i < in->n; i++) {
		if (done[i] || strcmp(str(in->msgs[i], "type"), "still"))
			continue;
		const char *id = str(json_object_get(in->msgs[i], "still"), "id");
		size_t k = 0;
		for (size_t j = i; j < in->n; j++)
			if (!done[j] && !strcmp(str(in->msgs[j], "type"), "still") &&
			    !strcmp(str(json_object_get(in->msgs[j], "still"), "id"), id)) {
				group[k++] = in->msgs[j];
				done[j] = 1;
			}
		uint8_t *jpeg;
		size_t len;
		char err[160];
		if (cab_still_assemble(group, k, &jpeg, &len, err, sizeof err) == 0) {
			add_one_media(c, in->msgs[i], jpeg, len);
			free(jpeg);
		}
	}
out:
	free(group);
	free(done);
}

json_t *cab_fhir_bundle(const struct cab_fhir_bundle_in *in, const char *timestamp)
{
	struct ctx c;
	memset(&c, 0, sizeof c);
	c.entries = json_array();
	if (!c.entries)
		return NULL;
	json_t *open = find_type(in, "session_open");
	new_url(c.encounter_url, open ? str(open, "id") : NULL);
	json_t *ident = find_type(in, "identity");
	if (ident)
		add_patient(&c, ident);
	add_location(&c, in->hello);
	add_practitioner(&c, in->doctor);
	add_encounter(&c, in);
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(str(in->msgs[i], "type"), "consent"))
			add_consent(&c, in->msgs[i]);
	add_readings(&c, in);
	add_media(&c, in);
	char bid[48];
	new_url(bid, NULL);
	return json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:o}", "resourceType", "Bundle", "id",
	                 bid + 9, "identifier", "system", "urn:cabin:session", "value", in->session,
	                 "type", "collection", "timestamp", timestamp, "entry", c.entries);
}
