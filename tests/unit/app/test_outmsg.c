/* test_outmsg.c — the cabin's data messages (kiosk/app/outmsg.c): each one parses
 * back with the link's own message parser (kiosk/link/message.c) and carries the
 * exact fields of docs/link-protocol.md. Synthetic identity only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cabin/mdc.h"
#include "clock.h"
#include "kiosk/app/outmsg.h"
#include "kiosk/link/message.h"

#define SID "6f1c2a4e-0b7d-4c1e-9a55-0d2f3b4c5d6e"
#define T0 1795950000000LL /* 2026-11-29T... */

/* Parses TEXT with the link's parser (must accept it), returns it as JSON. */
static json_t *parsed(char *text, const char *type, const char id[37])
{
	assert_non_null(text);
	struct cab_msg m;
	char ref[64], err[256] = "";
	enum cab_msg_err e = cab_msg_parse(text, strlen(text), &m, ref, err, sizeof err);
	if (e != CAB_MSGE_OK)
		print_error("refused: %s\n", err);
	assert_int_equal(e, CAB_MSGE_OK);
	assert_string_equal(cab_msg_type_name(m.type), type);
	cab_msg_free(&m);
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "id")), id);
	assert_int_equal(strlen(id), 36);
	assert_string_equal(json_string_value(json_object_get(j, "session")), SID);
	free(text);
	return j;
}

static void open_close(void **state)
{
	(void)state;
	char id[37], id2[37];
	json_t *j = parsed(cab_out_session_open(SID, T0, id), "session_open", id);
	assert_non_null(json_string_value(json_object_get(j, "time")));
	json_decref(j);
	j = parsed(cab_out_session_close_call(SID, T0, "completed", T0 - 60000, id2), "session_close", id2);
	{ /* the call it closes, as the record's Encounter.period */
		json_t *call = json_object_get(j, "call");
		char want[40];
		cab_time_rfc3339(T0 - 60000, want, sizeof want);
		assert_string_equal(json_string_value(json_object_get(call, "start")), want);
		cab_time_rfc3339(T0, want, sizeof want);
		assert_string_equal(json_string_value(json_object_get(call, "end")), want);
	}
	json_decref(j);
	j = parsed(cab_out_session_close(SID, T0, "aborted", id2), "session_close", id2);
	assert_null(json_object_get(j, "call")); /* no call: none said */
	assert_string_equal(json_string_value(json_object_get(j, "reason")), "aborted");
	assert_string_not_equal(id, id2);
	json_decref(j);
	assert_null(cab_out_session_open("", T0, id));
	assert_null(cab_out_session_open(NULL, T0, id));
}

static void consent(void **state)
{
	(void)state;
	char id[37];
	struct cab_consent c = {.text_version = "consent-2026-11-v1", .lang = "en",
	                        .teleconsultation = CAB_ANSWER_YES, .readings = CAB_ANSWER_NO,
	                        .time_ms = T0};
	json_t *j = parsed(cab_out_consent(SID, &c, id), "consent", id);
	json_t *k = json_object_get(j, "consent");
	assert_true(json_is_true(json_object_get(k, "accepted")));
	assert_true(json_is_false(json_object_get(k, "readings")));
	assert_string_equal(json_string_value(json_object_get(k, "language")), "en");
	assert_string_equal(json_string_value(json_object_get(k, "text_id")), "consent-2026-11-v1");
	assert_null(json_object_get(k, "text_sha256")); /* unknown: not sent */
	json_decref(j);
	/* the text's SHA-256 goes with the answers (and passes the link's own check) */
	snprintf(c.text_sha256, sizeof c.text_sha256, "%s",
	         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	j = parsed(cab_out_consent(SID, &c, id), "consent", id);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "consent"), "text_sha256")),
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	json_decref(j);
	c.time_ms = 0; /* not answered yet: nothing to send */
	assert_null(cab_out_consent(SID, &c, id));
}

static void identity(void **state)
{
	(void)state;
	char id[37];
	struct cab_identity p;
	memset(&p, 0, sizeof p);
	strcpy(p.birth_name, "MARTIN");
	strcpy(p.first_names, "Camille Élise");
	p.birth_date = (struct cab_date){1985, 7, 14};
	p.sex = CAB_SEX_FEMALE;
	p.birthplace.kind = CAB_PLACE_COMMUNE;
	strcpy(p.birthplace.code, "42218");
	long long body = 2850742218001LL;
	snprintf(p.ins, sizeof p.ins, "%lld%02lld", body, 97 - body % 97);
	strcpy(p.phone, "+33612345678");
	json_t *j = parsed(cab_out_identity(SID, &p, id), "identity", id);
	json_t *pt = json_object_get(j, "patient");
	assert_string_equal(json_string_value(json_object_get(pt, "birth_name")), "MARTIN");
	assert_string_equal(json_string_value(json_object_get(pt, "first_names")), "Camille Élise");
	assert_string_equal(json_string_value(json_object_get(pt, "birth_date")), "1985-07-14");
	assert_string_equal(json_string_value(json_object_get(pt, "sex")), "female");
	assert_string_equal(json_string_value(json_object_get(pt, "birth_place_insee")), "42218");
	json_t *ins = json_object_get(pt, "ins");
	assert_string_equal(json_string_value(json_object_get(ins, "kind")), "NIR");
	assert_string_equal(json_string_value(json_object_get(ins, "value")), p.ins);
	assert_string_equal(json_string_value(json_object_get(pt, "phone")), "+33612345678");
	assert_null(json_object_get(pt, "verified")); /* nobody checked a document yet */
	json_decref(j);
	/* the pharmacist checked a passport: the same identity, verified (link-valid) */
	j = parsed(cab_out_identity_verified(SID, &p, "PA", T0, id), "identity", id);
	pt = json_object_get(j, "patient");
	assert_string_equal(json_string_value(json_object_get(pt, "birth_name")), "MARTIN");
	json_t *ver = json_object_get(pt, "verified");
	assert_string_equal(json_string_value(json_object_get(ver, "document")), "PA");
	char want[40];
	cab_time_rfc3339(T0, want, sizeof want);
	assert_string_equal(json_string_value(json_object_get(ver, "time")), want);
	assert_null(cab_out_identity_verified(SID, &p, "XX", T0, id)); /* not an RNIV document */
	json_decref(j);
	j = NULL;
	p.ins[0] = 0; /* optional */
	j = parsed(cab_out_identity(SID, &p, id), "identity", id);
	assert_null(json_object_get(json_object_get(j, "patient"), "ins"));
	json_decref(j);
	p.sex = CAB_SEX_UNSET;
	assert_null(cab_out_identity(SID, &p, id));
}

static void reading_incident(void **state)
{
	(void)state;
	char id[37];
	struct cab_reading r;
	memset(&r, 0, sizeof r);
	r.mdc = MDC_FULL(MDC_PART_SCADA, MDC_PULS_OXIM_SAT_O2);
	r.value = 97;
	strcpy(r.ucum, "%");
	r.device_time_ms = INT64_MIN;
	r.cabin_time_ms = T0;
	r.person_id = 0xFFFF;
	r.device.kind = CAB_KIND_PULSE_OXIMETER;
	strcpy(r.device.model, "CMS50D+");
	json_t *j = parsed(cab_out_reading(SID, &r, id), "reading", id);
	assert_int_equal(json_integer_value(json_object_get(j, "mdc")), r.mdc);
	json_t *q = json_object_get(json_object_get(j, "observation"), "valueQuantity");
	assert_true(json_number_value(json_object_get(q, "value")) == 97.0);
	assert_string_equal(json_string_value(json_object_get(q, "code")), "%");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "device"), "kind")),
	                    "pulse-oximeter");
	json_decref(j);
	j = parsed(cab_out_incident(SID, "link-lost", T0, T0 + 5000, "restored", id), "incident", id);
	json_t *inc = json_object_get(j, "incident");
	assert_string_equal(json_string_value(json_object_get(inc, "kind")), "link-lost");
	assert_non_null(json_object_get(inc, "end"));
	assert_string_equal(json_string_value(json_object_get(inc, "detail")), "restored");
	json_decref(j);
	j = parsed(cab_out_incident(SID, "instrument-error", T0, 0, NULL, id), "incident", id);
	assert_null(json_object_get(json_object_get(j, "incident"), "end"));
	assert_null(json_object_get(json_object_get(j, "incident"), "detail"));
	json_decref(j);
	assert_null(cab_out_incident(SID, "", T0, 0, NULL, id));
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(open_close), cmocka_unit_test(consent),
	                                   cmocka_unit_test(identity), cmocka_unit_test(reading_incident)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
