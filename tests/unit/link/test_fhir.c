/* test_fhir.c — FHIR R4 builders (kiosk/link/fhir_*.c) with exact expected fields:
 * Observation per vital-signs profile, BP panel, special values, the Bundle. */
#include "cabin/mdc.h"
#include "kiosk/link/fhir_bundle.h"
#include "kiosk/link/fhir_observation.h"
#include "kiosk/link/message.h"

/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <stdio.h>
#include <string.h>

static struct cab_reading reading(uint32_t mdc, double v, const char *ucum)
{
	struct cab_reading r;
	memset(&r, 0, sizeof r);
	r.mdc = mdc;
	r.value = v;
	snprintf(r.ucum, sizeof r.ucum, "%s", ucum);
	r.cabin_time_ms = 1796000000000; /* 2026-11-30T00:53:20Z */
	r.device_time_ms = INT64_MIN;
	r.device.kind = CAB_KIND_THERMOMETER;
	snprintf(r.device.model, sizeof r.device.model, "M1");
	snprintf(r.device.serial, sizeof r.device.serial, "S1");
	return r;
}

static const char *path_str(json_t *o, const char *p)
{
	json_t *v = json_object_get(o, p);
	return json_string_value(v);
}

static json_t *coding(json_t *obs, size_t i)
{
	return json_array_get(json_object_get(json_object_get(obs, "code"), "coding"), i);
}

static void test_temperature(void **state)
{
	(void)state;
	struct cab_reading r = reading(MDC_FULL(2, MDC_TEMP_BODY), 37.2, "Cel");
	json_t *o = cab_fhir_observation(&r, "obs-1");
	assert_string_equal(path_str(o, "resourceType"), "Observation");
	assert_string_equal(path_str(o, "id"), "obs-1");
	assert_string_equal(path_str(o, "status"), "final");
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(json_object_get(o, "meta"), "profile"), 0)),
	                    "http://hl7.org/fhir/StructureDefinition/bodytemp");
	assert_string_equal(path_str(coding(o, 0), "system"), "http://loinc.org");
	assert_string_equal(path_str(coding(o, 0), "code"), "8310-5");
	assert_string_equal(path_str(coding(o, 1), "system"), "urn:iso:std:iso:11073:10101");
	assert_string_equal(path_str(coding(o, 1), "code"), "150364"); /* 2 << 16 | 19292 */
	assert_string_equal(path_str(coding(o, 1), "display"), "MDC_TEMP_BODY");
	json_t *cat = json_array_get(
	    json_object_get(json_array_get(json_object_get(o, "category"), 0), "coding"), 0);
	assert_string_equal(path_str(cat, "code"), "vital-signs");
	json_t *q = json_object_get(o, "valueQuantity");
	assert_true(json_real_value(json_object_get(q, "value")) == 37.2);
	assert_string_equal(path_str(q, "system"), "http://unitsofmeasure.org");
	assert_string_equal(path_str(q, "code"), "Cel");
	assert_string_equal(path_str(o, "effectiveDateTime"), "2026-11-30T00:53:20.000Z");
	assert_string_equal(path_str(json_object_get(o, "device"), "display"),
	                    "thermometer M1 #S1");
	json_decref(o);
}

static void test_spo2_glucose_unknown(void **state)
{
	(void)state;
	struct cab_reading r = reading(MDC_FULL(2, MDC_PULS_OXIM_SAT_O2), 97, "%");
	json_t *o = cab_fhir_observation(&r, NULL);
	assert_string_equal(path_str(coding(o, 0), "code"), "59408-5");
	assert_string_equal(path_str(coding(o, 1), "code"), "2708-6");
	assert_string_equal(path_str(coding(o, 2), "code"), "150456");
	json_decref(o);
	r = reading(MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD), 5.3, "mmol/L");
	o = cab_fhir_observation(&r, NULL);
	assert_string_equal(path_str(coding(o, 0), "code"), "14743-9");
	json_t *cat = json_array_get(
	    json_object_get(json_array_get(json_object_get(o, "category"), 0), "coding"), 0);
	assert_string_equal(path_str(cat, "code"), "laboratory");
	json_decref(o);
	r = reading(MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD), 95, "mg/dL");
	o = cab_fhir_observation(&r, NULL);
	assert_string_equal(path_str(coding(o, 0), "code"), "41653-7");
	assert_string_equal(path_str(coding(o, 1), "code"), "2339-0");
	json_decref(o);
	r = reading(MDC_FULL(2, MDC_PULS_OXIM_PERF_REL), 2.5, "%");
	o = cab_fhir_observation(&r, NULL);
	assert_int_equal(json_array_size(json_object_get(json_object_get(o, "code"), "coding")), 1);
	assert_string_equal(path_str(coding(o, 0), "system"), "urn:iso:std:iso:11073:10101");
	assert_null(json_object_get(o, "meta"));
	json_decref(o);
}

static void test_special_and_flags(void **state)
{
	(void)state;
	struct cab_reading r = reading(MDC_FULL(2, MDC_TEMP_BODY), 0, "Cel");
	r.value_kind = CAB_VALUE_NAN;
	r.flags = CAB_RF_ONGOING | CAB_RF_MOTION | CAB_RF_STORED;
	r.device_time_ms = 1700000000000;
	json_t *o = cab_fhir_observation(&r, NULL);
	assert_null(json_object_get(o, "valueQuantity"));
	json_t *dar =
	    json_array_get(json_object_get(json_object_get(o, "dataAbsentReason"), "coding"), 0);
	assert_string_equal(path_str(dar, "code"), "not-a-number");
	assert_string_equal(path_str(o, "status"), "preliminary");
	assert_string_equal(path_str(json_array_get(json_object_get(o, "note"), 0), "text"),
	                    "motion; from the instrument's memory");
	assert_string_equal(path_str(o, "effectiveDateTime"),
	                    "2023-11-14T22:13:20.000Z"); /* device time */
	json_decref(o);
}

static void test_bp_panel(void **state)
{
	(void)state;
	struct cab_reading s = reading(MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS), 128, "mm[Hg]");
	struct cab_reading d = reading(MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA), 82, "mm[Hg]");
	struct cab_reading m = reading(MDC_FULL(2, MDC_PRESS_BLD_NONINV_MEAN), 97, "mm[Hg]");
	assert_null(cab_fhir_bp_panel(&s, NULL, NULL, NULL));
	json_t *o = cab_fhir_bp_panel(&s, &d, &m, "bp");
	assert_string_equal(path_str(coding(o, 0), "code"), "85354-9");
	assert_null(json_object_get(o, "valueQuantity"));
	json_t *c = json_object_get(o, "component");
	assert_int_equal(json_array_size(c), 3);
	const char *codes[] = {"8480-6", "8462-4", "8478-0"};
	const double vals[] = {128, 82, 97};
	for (size_t i = 0; i < 3; i++) {
		json_t *ci = json_array_get(c, i);
		assert_string_equal(path_str(coding(ci, 0), "code"), codes[i]);
		assert_true(json_real_value(json_object_get(json_object_get(ci, "valueQuantity"),
		                                            "value")) == vals[i]);
		assert_string_equal(path_str(json_object_get(ci, "valueQuantity"), "code"),
		                    "mm[Hg]");
	}
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(json_object_get(o, "meta"), "profile"), 0)),
	                    "http://hl7.org/fhir/StructureDefinition/bp");
	json_decref(o);
}

static json_t *reading_msg(const char *id, uint32_t mdc, double v, const char *ucum,
                           const char *serial)
{
	struct cab_reading r = reading(mdc, v, ucum);
	snprintf(r.device.serial, sizeof r.device.serial, "%s", serial);
	json_t *m = cab_msg_new(CAB_MSG_READING, id);
	json_object_set_new(m, "session", json_string("s1"));
	json_object_set_new(m, "mdc", json_integer(mdc));
	json_object_set_new(m, "device", cab_fhir_device_json(&r.device));
	json_object_set_new(m, "observation", cab_fhir_observation(&r, NULL));
	return m;
}

static json_t *find(json_t *b, const char *type, int nth)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(b, "entry"), i, e)
	{
		json_t *r = json_object_get(e, "resource");
		if (!strcmp(path_str(r, "resourceType"), type) && nth-- == 0)
			return r;
	}
	return NULL;
}

/* The first entry whose resource is of TYPE and whose request is returned in REQ. */
static json_t *entry_req(json_t *b, const char *type)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(b, "entry"), i, e)
	{
		if (!strcmp(path_str(json_object_get(e, "resource"), "resourceType"), type))
			return json_object_get(e, "request");
	}
	return NULL;
}

static json_t *arr(json_t *o, const char *k, size_t i)
{
	return json_array_get(json_object_get(o, k), i);
}

/* The extension of URL in O's "extension" array. */
static json_t *ext_of(json_t *o, const char *url)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(o, "extension"), i, e)
	{
		if (!strcmp(path_str(e, "url"), url))
			return e;
	}
	return NULL;
}

static json_t *session_msgs(json_t **msgs, int readings_ok, const char *sex, int verified)
{
	msgs[0] = json_pack("{s:s, s:s, s:s, s:s}", "type", "session_open", "id",
	                    "11111111-1111-4111-8111-111111111111", "session", "s1", "time",
	                    "2026-11-29T10:00:00Z");
	msgs[1] =
	    json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}}", "type",
	              "identity", "id", "22222222-2222-4222-8222-222222222222", "session", "s1",
	              "patient", "birth_name", "TESTPATIENT", "first_names", "Camille Alix",
	              "birth_date", "1984-05-12", "sex", sex, "birth_place_insee", "75056", "ins",
	              "kind", "NIR", "value", "284057505612387");
	if (verified)
		json_object_set_new(json_object_get(msgs[1], "patient"), "verified",
		                    json_pack("{s:s, s:s, s:{s:s, s:s}}", "document", "PA", "time",
		                              "2026-11-29T10:02:00Z", "by", "name",
		                              "Pharmacien Test", "rpps", "10000000002"));
	msgs[2] = reading_msg("33333333-3333-4333-8333-333333333333",
	                      MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS), 120, "mm[Hg]", "B1");
	msgs[3] = reading_msg("44444444-4444-4444-8444-444444444444",
	                      MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA), 80, "mm[Hg]", "B1");
	msgs[4] = reading_msg("55555555-5555-4555-8555-555555555555", MDC_FULL(2, MDC_TEMP_BODY),
	                      36.6, "Cel", "T1");
	json_object_set_new(json_object_get(msgs[4], "device"), "system_id",
	                    json_string("0123456789abcdef"));
	msgs[5] =
	    json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "type", "incident", "id",
	              "66666666-6666-4666-8666-666666666666", "session", "s1", "incident", "kind",
	              "link-lost", "start", "2026-11-29T10:01:00Z", "end", "2026-11-29T10:01:05Z");
	msgs[6] = json_pack("{s:s, s:s, s:s, s:{s:b, s:b, s:s, s:s, s:s, s:s}}", "type", "consent",
	                    "id", "cons-1", "session", "s1", "consent", "accepted", 1, "readings",
	                    readings_ok, "language", "fr", "text_id", "consent-2026-11-v1", "time",
	                    "2026-11-29T09:59:00Z", "text_sha256",
	                    "0000000000000000000000000000000000000000000000000000000000000001");
	msgs[7] = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "request", "id", "req-call",
	                    "session", "s1", "action", "call", "time", "2026-11-29T10:03:00Z");
	msgs[8] = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "request", "id", "req-temp",
	                    "session", "s1", "action", "measure", "kind", "thermometer", "time",
	                    "2026-11-29T10:04:00Z");
	msgs[9] = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "request", "id", "req-msg",
	                    "session", "s1", "action", "message", "text", "Respirez <calmement> & souriez",
	                    "time", "2026-11-29T10:05:00Z");
	msgs[10] = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "request", "id", "req-end",
	                     "session", "s1", "action", "end", "time", "2026-11-29T10:09:00Z");
	msgs[11] = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "session_close", "id",
	                     "77777777-7777-4777-8777-777777777777", "session", "s1", "time",
	                     "2026-11-29T10:10:00Z", "reason", "completed");
	/* the temperature was taken after the doctor asked for it */
	json_object_set_new(json_object_get(msgs[4], "observation"), "issued",
	                    json_string("2026-11-29T10:04:30Z"));
	return NULL;
}

static json_t *build(json_t **msgs, json_t **hello, json_t **doc, json_t **rec)
{
	*hello = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}}}", "software", "cabin 1.0",
	                   "cabin", "id", "C1", "pharmacy", "Pharmacie", "finess", "750000001", "phone",
	                   "+33100000001", "address", "line", "1 rue", "postal_code", "75001", "city",
	                   "Paris");
	*doc = json_pack("{s:s, s:s, s:s}", "name", "Dr X", "specialty", "Médecine générale", "rpps",
	                 "10000000000");
	*rec = json_pack("{s:{s:s, s:s}, s:{s:s, s:[{s:s, s:s, s:s}, {s:s, s:s}]}}", "report",
	                 "reason", "Fièvre", "conclusion", "Virose <bénigne>", "prescription", "id",
	                 "9b2f4c1e-0d6a-4e8b-9c3f-1a2b3c4d5e6f", "lines", "medicine", "Paracétamol 500 mg",
	                 "dose", "1 cp x3/j", "duration", "5 jours", "medicine", "Sérum physiologique",
	                 "dose", "au besoin");
	struct cab_fhir_bundle_in in = {"s1", *hello, *doc, msgs, 12, *rec};
	return cab_fhir_bundle(&in, "2026-11-29T10:10:01Z");
}

static void free_all(json_t **msgs, json_t *b, json_t *hello, json_t *doc, json_t *rec)
{
	json_decref(b);
	for (int i = 0; i < 12; i++)
		json_decref(msgs[i]);
	json_decref(hello);
	json_decref(doc);
	json_decref(rec);
}

/* No `call` request from the station (the cabin joined the doctor itself): the
 * Encounter's period is the call the cabin reports in its session_close. */
static void test_bundle_cabin_call(void **state)
{
	(void)state;
	json_t *msgs[12], *hello, *doc, *rec;
	session_msgs(msgs, 1, "female", 0);
	json_object_set_new(msgs[7], "action", json_string("camera"));
	json_object_set_new(msgs[11], "call", json_pack("{s:s, s:s}", "start", "2026-11-29T10:02:30Z",
	                                                "end", "2026-11-29T10:08:00Z"));
	json_t *b = build(msgs, &hello, &doc, &rec);
	json_t *enc = find(b, "Encounter", 0);
	assert_string_equal(path_str(json_object_get(enc, "period"), "start"), "2026-11-29T10:02:30Z");
	assert_string_equal(path_str(json_object_get(enc, "period"), "end"), "2026-11-29T10:08:00Z");
	json_t *arrived = json_object_get(arr(enc, "statusHistory", 0), "period");
	assert_string_equal(path_str(arrived, "start"), "2026-11-29T10:00:00Z");
	assert_string_equal(path_str(arrived, "end"), "2026-11-29T10:02:30Z");
	assert_string_equal(path_str(arr(enc, "statusHistory", 1), "status"), "in-progress");
	free_all(msgs, b, hello, doc, rec);
}

static void test_bundle(void **state)
{
	(void)state;
	json_t *msgs[12], *hello, *doc, *rec;
	session_msgs(msgs, 1, "female", 0);
	json_t *b = build(msgs, &hello, &doc, &rec);
	assert_string_equal(path_str(b, "type"), "transaction");
	/* conditional creates */
	json_t *rq = entry_req(b, "Patient");
	assert_string_equal(path_str(rq, "method"), "POST");
	assert_string_equal(path_str(rq, "url"), "Patient");
	assert_string_equal(path_str(rq, "ifNoneExist"),
	                    "identifier=https%3A%2F%2Fcabin-teleconsultation.github.io%2Ffhir%2Fsid%"
	                    "2Fpatient%7Cs1");
	/* FR Core Patient: a typed NIR is not a qualified INS -> no INS, status PROV */
	json_t *p = find(b, "Patient", 0);
	assert_int_equal(json_array_size(json_object_get(p, "identifier")), 1);
	assert_string_equal(path_str(arr(p, "identifier", 0), "system"),
	                    CAB_FHIR_SID "patient");
	json_t *rel = ext_of(p, CAB_FHIR_EXT_RELIABILITY);
	json_t *st = arr(rel, "extension", 0);
	assert_string_equal(path_str(st, "url"), "identityStatus");
	assert_string_equal(path_str(json_object_get(st, "valueCoding"), "system"), CAB_FHIR_CS_0445);
	assert_string_equal(path_str(json_object_get(st, "valueCoding"), "code"), "PROV");
	json_t *name = arr(p, "name", 0);
	assert_string_equal(path_str(name, "use"), "official");
	assert_string_equal(path_str(name, "family"), "TESTPATIENT");
	assert_int_equal(json_array_size(json_object_get(name, "given")), 1);
	assert_string_equal(json_string_value(arr(name, "given", 0)), "Camille");
	assert_string_equal(path_str(ext_of(name, CAB_FHIR_EXT_BIRTH_GIVEN), "valueString"),
	                    "Camille Alix");
	assert_string_equal(path_str(p, "gender"), "female");
	/* Encounter: virtual, the call's period, the kiosk session before it, incidents */
	json_t *enc = find(b, "Encounter", 0);
	assert_string_equal(path_str(json_object_get(enc, "class"), "code"), "VR");
	assert_string_equal(path_str(enc, "status"), "finished");
	assert_string_equal(path_str(json_object_get(enc, "period"), "start"), "2026-11-29T10:03:00Z");
	assert_string_equal(path_str(json_object_get(enc, "period"), "end"), "2026-11-29T10:09:00Z");
	assert_string_equal(path_str(arr(enc, "statusHistory", 0), "status"), "arrived");
	assert_string_equal(path_str(json_object_get(arr(enc, "statusHistory", 0), "period"), "start"),
	                    "2026-11-29T10:00:00Z");
	json_t *ext = ext_of(enc, CAB_FHIR_EXT_INCIDENT);
	assert_non_null(ext);
	assert_string_equal(path_str(json_object_get(arr(ext, "extension", 0), "valueCoding"), "code"),
	                    "link-lost");
	assert_string_equal(path_str(arr(arr(arr(enc, "participant", 0), "type", 0), "coding", 0),
	                             "code"),
	                    "PPRF");
	/* Practitioner: IDNPS = 8 + RPPS; role: Médecin, specialty SM54 */
	json_t *pr = find(b, "Practitioner", 0);
	assert_string_equal(path_str(arr(pr, "identifier", 0), "system"), "urn:oid:1.2.250.1.71.4.2.1");
	assert_string_equal(path_str(arr(pr, "identifier", 0), "value"), "810000000000");
	assert_string_equal(path_str(arr(json_object_get(arr(pr, "identifier", 0), "type"), "coding", 0),
	                             "code"),
	                    "IDNPS");
	json_t *role = find(b, "PractitionerRole", 0);
	assert_string_equal(path_str(arr(arr(role, "code", 0), "coding", 0), "code"), "10");
	assert_string_equal(path_str(arr(arr(role, "specialty", 0), "coding", 0), "code"), "SM54");
	assert_null(find(b, "PractitionerRole", 1)); /* no pharmacist */
	json_t *org = find(b, "Organization", 0);
	assert_string_equal(path_str(arr(org, "identifier", 0), "system"), CAB_FHIR_OID_FINESS);
	assert_string_equal(path_str(arr(org, "identifier", 0), "value"), "750000001");
	/* Consents: one per answer, the text version and hash, the language */
	json_t *c1 = find(b, "Consent", 0), *c2 = find(b, "Consent", 1);
	assert_string_equal(path_str(c1, "status"), "active");
	assert_string_equal(path_str(arr(json_object_get(c1, "scope"), "coding", 0), "code"), "treatment");
	assert_string_equal(path_str(json_object_get(c1, "sourceAttachment"), "title"),
	                    "consent-2026-11-v1");
	assert_string_equal(path_str(json_object_get(c1, "sourceAttachment"), "language"), "fr");
	assert_string_equal(path_str(arr(c1, "identifier", 1), "value"),
	                    "0000000000000000000000000000000000000000000000000000000000000001");
	assert_string_equal(path_str(arr(json_object_get(c2, "scope"), "coding", 0), "code"),
	                    "patient-privacy");
	assert_string_equal(path_str(json_object_get(c2, "provision"), "type"), "permit");
	/* Observations: BP panel with its MDC code, device reference, gateway, identifier */
	json_t *bp = find(b, "Observation", 0);
	assert_string_equal(path_str(coding(bp, 0), "code"), "85354-9");
	assert_string_equal(path_str(coding(bp, 1), "system"), CAB_FHIR_MDC);
	assert_string_equal(path_str(coding(bp, 1), "code"), "150020");
	assert_int_equal(json_array_size(json_object_get(bp, "component")), 2);
	assert_string_equal(path_str(json_object_get(bp, "subject"), "reference"),
	                    "urn:uuid:22222222-2222-4222-8222-222222222222");
	assert_string_equal(path_str(json_object_get(bp, "encounter"), "reference"),
	                    "urn:uuid:11111111-1111-4111-8111-111111111111");
	assert_string_equal(path_str(arr(bp, "identifier", 0), "value"),
	                    "33333333-3333-4333-8333-333333333333");
	assert_non_null(ext_of(bp, "http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice"));
	json_t *t = find(b, "Observation", 1);
	assert_string_equal(path_str(coding(t, 0), "code"), "8310-5");
	assert_non_null(json_object_get(t, "basedOn")); /* the doctor asked for it */
	assert_null(find(b, "Observation", 2));
	/* Devices: gateway (MDC_MOC_VMS_MDS_AHD), BP monitor, thermometer with its SYSID */
	json_t *gw = find(b, "Device", 0);
	assert_string_equal(path_str(arr(json_object_get(gw, "type"), "coding", 0), "code"), "531981");
	json_t *therm = find(b, "Device", 2);
	assert_string_equal(path_str(arr(json_object_get(therm, "type"), "coding", 0), "code"), "528392");
	assert_string_equal(path_str(arr(therm, "identifier", 0), "value"), "01-23-45-67-89-AB-CD-EF");
	assert_string_equal(path_str(arr(therm, "identifier", 0), "system"), CAB_FHIR_OID_SYSID);
	assert_string_equal(path_str(arr(json_object_get(arr(therm, "identifier", 0), "type"), "coding", 0),
	                             "code"),
	                    "SYSID");
	assert_null(find(b, "Device", 3));
	/* Acts: the measurement asked for and performed */
	json_t *sr = find(b, "ServiceRequest", 0);
	assert_string_equal(path_str(sr, "status"), "completed");
	assert_string_equal(path_str(arr(json_object_get(sr, "code"), "coding", 0), "code"), "8310-5");
	assert_non_null(find(b, "Procedure", 0));
	/* The doctor's message */
	json_t *com = find(b, "Communication", 0);
	assert_string_equal(path_str(arr(com, "payload", 0), "contentString"),
	                    "Respirez <calmement> & souriez");
	/* Prescription: a MedicationRequest per line, the prescription id as group */
	json_t *m1 = find(b, "MedicationRequest", 0), *m2 = find(b, "MedicationRequest", 1);
	assert_string_equal(path_str(json_object_get(m1, "groupIdentifier"), "value"),
	                    "9b2f4c1e-0d6a-4e8b-9c3f-1a2b3c4d5e6f");
	assert_string_equal(path_str(arr(m2, "identifier", 0), "value"),
	                    "9b2f4c1e-0d6a-4e8b-9c3f-1a2b3c4d5e6f-2");
	assert_string_equal(path_str(json_object_get(m1, "medicationCodeableConcept"), "text"),
	                    "Paracétamol 500 mg");
	assert_string_equal(path_str(arr(m1, "dosageInstruction", 0), "text"), "1 cp x3/j, 5 jours");
	/* Composition: the compte rendu, escaped narrative */
	json_t *comp = find(b, "Composition", 0);
	assert_string_equal(path_str(comp, "status"), "final");
	json_t *s0 = arr(comp, "section", 0);
	assert_string_equal(path_str(s0, "title"), "Motif");
	json_t *s1 = arr(comp, "section", 1);
	assert_string_equal(path_str(json_object_get(s1, "text"), "div"),
	                    "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Virose &lt;bénigne&gt;</p></div>");
	free_all(msgs, b, hello, doc, rec);
}

/* Readings refused: none in the record, the Consent denies, the Composition says so;
 * pharmacist checked a passport: VALI, pharmacist present; "other" gender kept. */
static void test_bundle_refused_verified(void **state)
{
	(void)state;
	json_t *msgs[12], *hello, *doc, *rec;
	session_msgs(msgs, 0, "other", 1);
	json_t *b = build(msgs, &hello, &doc, &rec);
	assert_null(find(b, "Observation", 0));
	json_t *c2 = find(b, "Consent", 1);
	assert_string_equal(path_str(c2, "status"), "rejected");
	assert_string_equal(path_str(json_object_get(c2, "provision"), "type"), "deny");
	json_t *comp = find(b, "Composition", 0);
	json_t *readings = NULL;
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(comp, "section"), i, s)
	{
		if (!strcmp(path_str(s, "title"), "Mesures"))
			readings = s;
	}
	assert_non_null(readings);
	assert_null(json_object_get(readings, "entry"));
	assert_non_null(strstr(path_str(json_object_get(readings, "text"), "div"),
	                       "aucune mesure n'a quitté la cabine (3 laissée(s) de côté)"));
	json_t *p = find(b, "Patient", 0);
	assert_string_equal(path_str(p, "gender"), "unknown");
	json_t *gi = ext_of(p, "http://hl7.org/fhir/StructureDefinition/patient-genderIdentity");
	assert_string_equal(
	    path_str(arr(json_object_get(gi, "valueCodeableConcept"), "coding", 0), "code"), "other");
	json_t *rel = ext_of(p, CAB_FHIR_EXT_RELIABILITY);
	assert_string_equal(path_str(json_object_get(arr(rel, "extension", 0), "valueCoding"), "code"),
	                    "VALI");
	assert_string_equal(path_str(arr(rel, "extension", 1), "url"), "validationMode");
	assert_string_equal(path_str(json_object_get(arr(rel, "extension", 1), "valueCoding"), "code"),
	                    "PA");
	assert_string_equal(path_str(arr(rel, "extension", 2), "valueDate"), "2026-11-29");
	json_t *ph = find(b, "PractitionerRole", 1);
	assert_string_equal(path_str(arr(arr(ph, "code", 0), "coding", 0), "code"), "21");
	json_t *enc = find(b, "Encounter", 0);
	assert_string_equal(path_str(arr(arr(arr(enc, "participant", 1), "type", 0), "coding", 0),
	                             "code"),
	                    "PART");
	free_all(msgs, b, hello, doc, rec);
}

/* A qualified INS (NIA): typed INS-NIA, use temp, status QUAL. */
static void test_bundle_qualified_nia(void **state)
{
	(void)state;
	json_t *msgs[12], *hello, *doc, *rec;
	session_msgs(msgs, 1, "male", 0);
	json_t *ins = json_object_get(json_object_get(msgs[1], "patient"), "ins");
	json_object_set_new(ins, "kind", json_string("NIA"));
	json_object_set_new(ins, "qualified", json_true());
	json_t *b = build(msgs, &hello, &doc, &rec);
	json_t *p = find(b, "Patient", 0);
	json_t *id = arr(p, "identifier", 1);
	assert_string_equal(path_str(id, "use"), "temp");
	assert_string_equal(path_str(id, "system"), CAB_FHIR_OID_NIA);
	assert_string_equal(path_str(arr(json_object_get(id, "type"), "coding", 0), "system"),
	                    CAB_FHIR_CS_0203);
	assert_string_equal(path_str(arr(json_object_get(id, "type"), "coding", 0), "code"), "INS-NIA");
	json_t *rel = ext_of(p, CAB_FHIR_EXT_RELIABILITY);
	assert_string_equal(path_str(json_object_get(arr(rel, "extension", 0), "valueCoding"), "code"),
	                    "QUAL");
	free_all(msgs, b, hello, doc, rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_temperature),
	    cmocka_unit_test(test_spo2_glucose_unknown),
	    cmocka_unit_test(test_special_and_flags),
	    cmocka_unit_test(test_bp_panel),
	    cmocka_unit_test(test_bundle),
	    cmocka_unit_test(test_bundle_cabin_call),
	    cmocka_unit_test(test_bundle_refused_verified),
	    cmocka_unit_test(test_bundle_qualified_nia),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
