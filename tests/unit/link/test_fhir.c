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

static void test_bundle(void **state)
{
	(void)state;
	json_t *msgs[8];
	msgs[0] = json_pack("{s:s, s:s, s:s, s:s}", "type", "session_open", "id",
	                    "11111111-1111-4111-8111-111111111111", "session", "s1", "time",
	                    "2026-11-29T10:00:00Z");
	msgs[1] =
	    json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}}", "type",
	              "identity", "id", "22222222-2222-4222-8222-222222222222", "session", "s1",
	              "patient", "birth_name", "TESTPATIENT", "first_names", "Camille Alix",
	              "birth_date", "1984-05-12", "sex", "female", "birth_place_insee", "75056",
	              "ins", "kind", "NIA", "value", "284057505612387");
	msgs[2] = reading_msg("33333333-3333-4333-8333-333333333333",
	                      MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS), 120, "mm[Hg]", "B1");
	msgs[3] = reading_msg("44444444-4444-4444-8444-444444444444",
	                      MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA), 80, "mm[Hg]", "B1");
	msgs[4] = reading_msg("55555555-5555-4555-8555-555555555555", MDC_FULL(2, MDC_TEMP_BODY),
	                      36.6, "Cel", "T1");
	msgs[5] =
	    json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "type", "incident", "id",
	              "66666666-6666-4666-8666-666666666666", "session", "s1", "incident", "kind",
	              "link-lost", "start", "2026-11-29T10:01:00Z", "end", "2026-11-29T10:01:05Z");
	msgs[6] = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "session_close", "id",
	                    "77777777-7777-4777-8777-777777777777", "session", "s1", "time",
	                    "2026-11-29T10:10:00Z", "reason", "completed");
	json_t *hello = json_pack("{s:{s:s, s:s, s:s, s:{s:s, s:s, s:s}}}", "cabin", "id", "C1",
	                          "pharmacy", "Pharmacie", "phone", "+33100000001", "address",
	                          "line", "1 rue", "postal_code", "75001", "city", "Paris");
	json_t *doc =
	    json_pack("{s:s, s:s, s:s}", "name", "Dr X", "specialty", "MG", "rpps", "10000000000");
	struct cab_fhir_bundle_in in = {"s1", hello, doc, msgs, 7};
	json_t *b = cab_fhir_bundle(&in, "2026-11-29T10:10:01Z");
	assert_string_equal(path_str(b, "type"), "collection");
	json_t *p = find(b, "Patient", 0);
	json_t *idf = json_array_get(json_object_get(p, "identifier"), 0);
	assert_string_equal(path_str(idf, "system"), "urn:oid:1.2.250.1.213.1.4.9"); /* NIA */
	assert_string_equal(path_str(p, "id"), "22222222-2222-4222-8222-222222222222");
	assert_int_equal(json_array_size(json_object_get(
	                     json_array_get(json_object_get(p, "name"), 0), "given")),
	                 2);
	json_t *bp = find(b, "Observation", 0);
	assert_string_equal(path_str(coding(bp, 0), "code"), "85354-9");
	assert_int_equal(json_array_size(json_object_get(bp, "component")), 2);
	assert_string_equal(path_str(json_object_get(bp, "subject"), "reference"),
	                    "urn:uuid:22222222-2222-4222-8222-222222222222");
	assert_string_equal(path_str(json_object_get(bp, "encounter"), "reference"),
	                    "urn:uuid:11111111-1111-4111-8111-111111111111");
	json_t *t = find(b, "Observation", 1);
	assert_string_equal(path_str(coding(t, 0), "code"), "8310-5");
	assert_null(find(b, "Observation", 2));
	assert_non_null(find(b, "Device", 1));
	assert_null(find(b, "Device", 2));
	json_t *enc = find(b, "Encounter", 0);
	assert_string_equal(path_str(json_object_get(enc, "class"), "code"), "VR");
	assert_string_equal(path_str(enc, "status"), "finished");
	assert_string_equal(path_str(json_object_get(enc, "period"), "end"),
	                    "2026-11-29T10:10:00Z");
	json_t *ext = json_array_get(json_object_get(enc, "extension"), 0);
	assert_string_equal(path_str(ext, "url"), CAB_FHIR_EXT_INCIDENT);
	assert_string_equal(
	    path_str(json_array_get(json_object_get(ext, "extension"), 0), "valueCode"),
	    "link-lost");
	json_t *pr = find(b, "Practitioner", 0);
	assert_string_equal(
	    path_str(json_array_get(json_object_get(pr, "identifier"), 0), "system"),
	    "urn:oid:1.2.250.1.71.4.2.1");
	json_t *loc = find(b, "Location", 0);
	assert_string_equal(path_str(json_object_get(loc, "address"), "postalCode"), "75001");
	json_decref(b);
	for (int i = 0; i < 7; i++)
		json_decref(msgs[i]);
	json_decref(hello);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_temperature),
	    cmocka_unit_test(test_spo2_glucose_unknown),
	    cmocka_unit_test(test_special_and_flags),
	    cmocka_unit_test(test_bp_panel),
	    cmocka_unit_test(test_bundle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
