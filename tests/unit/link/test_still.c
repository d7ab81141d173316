/* test_still.c — exam stills on the link (kiosk/link/still_msg.c, message.c rules,
 * the Bundle's Media): split into parts under the size limit, parsed, reassembled in
 * any order; missing, repeated, damaged or inconsistent parts refused; SHA-1 in
 * base64 for Attachment.hash; the media request actions. */
#include "kiosk/link/fhir_bundle.h"
#include "kiosk/link/message.h"
#include "kiosk/link/still_msg.h"

// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <stdlib.h>
#include <string.h>

#define JPEG_LEN 250001u /* three parts: 98304 + 98304 + 53393 */

static uint8_t *fake_jpeg(void)
{
	uint8_t *b = malloc(JPEG_LEN);
	uint32_t x = 12345;
	for (size_t i = 0; i < JPEG_LEN; i++) {
		x = x * 1103515245u + 12345u; /* any bytes will do: the format is opaque here */
		b[i] = (uint8_t)(x >> 16);
	}
	return b;
}

static const struct cab_still_meta META = {
    "still-1", "otoscope", 1600, 1200, "2026-11-29T10:00:00Z", "req-1", "left ear"};

/* Serialises and re-parses every message of ARR, as the station would receive them. */
static void reparse(json_t *arr, json_t **out)
{
	for (size_t i = 0; i < json_array_size(arr); i++) {
		char *s = json_dumps(json_array_get(arr, i), JSON_COMPACT);
		assert_true(strlen(s) < 140000);
		struct cab_msg m;
		char ref[40], err[256];
		assert_int_equal(cab_msg_parse(s, strlen(s), &m, ref, err, sizeof err),
		                 CAB_MSGE_OK);
		assert_int_equal(m.type, CAB_MSG_STILL);
		assert_true(cab_msg_is_data(m.type));
		out[i] = json_incref(m.root);
		cab_msg_free(&m);
		free(s);
	}
}

static void test_split_and_assemble(void **state)
{
	(void)state;
	uint8_t *jpeg = fake_jpeg(), *got = NULL;
	size_t len = 0;
	char err[200];
	json_t *arr = cab_still_msgs("S1", &META, jpeg, JPEG_LEN);
	assert_non_null(arr);
	assert_int_equal(json_array_size(arr), 3);
	json_t *p[3];
	reparse(arr, p);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(p[2], "still"), "part")), 2);
	/* any order */
	json_t *rev[3] = {p[2], p[0], p[1]};
	assert_int_equal(cab_still_assemble(rev, 3, &got, &len, err, sizeof err), 0);
	assert_int_equal(len, JPEG_LEN);
	assert_memory_equal(got, jpeg, JPEG_LEN);
	free(got);
	/* missing part: incomplete, not an error */
	assert_int_equal(cab_still_assemble(p, 2, &got, &len, err, sizeof err), -2);
	assert_null(got);
	/* repeated part */
	json_t *dup[3] = {p[0], p[0], p[2]};
	assert_int_equal(cab_still_assemble(dup, 3, &got, &len, err, sizeof err), -1);
	assert_non_null(strstr(err, "repeated"));
	/* one byte changed in transit: the SHA-256 catches it */
	json_t *bad = json_deep_copy(p[1]);
	char *d = strdup(json_string_value(json_object_get(bad, "data")));
	d[100] = d[100] == 'A' ? 'B' : 'A';
	json_object_set_new(bad, "data", json_string(d));
	free(d);
	json_t *dam[3] = {p[0], bad, p[2]};
	assert_int_equal(cab_still_assemble(dam, 3, &got, &len, err, sizeof err), -1);
	assert_string_equal(err, "SHA-256 mismatch: the still was damaged");
	/* metadata differing between parts */
	json_object_set_new(json_object_get(bad, "still"), "camera", json_string("dermatoscope"));
	assert_int_equal(cab_still_assemble(dam, 3, &got, &len, err, sizeof err), -1);
	assert_string_equal(err, "part 1 differs from part 0 in \"camera\"");
	json_decref(bad);
	for (int i = 0; i < 3; i++)
		json_decref(p[i]);
	json_decref(arr);
	free(jpeg);
}

static void test_parser_rules(void **state)
{
	(void)state;
	struct cab_msg m;
	char ref[40], err[256];
	const char *head =
	    "{\"type\":\"still\",\"id\":\"m1\",\"session\":\"S1\",\"still\":{\"id\":\"x\","
	    "\"camera\":\"otoscope\",\"width\":2,\"height\":2,\"time\":"
	    "\"2026-11-29T10:00:00Z\",";
	char s[600];
	snprintf(s, sizeof s,
	         "%s\"part\":0,\"parts\":1,\"size\":3,\"sha256\":\"%064d\"},\"data\":\"QUJD\"}",
	         head, 0);
	assert_int_equal(cab_msg_parse(s, strlen(s), &m, ref, err, sizeof err), CAB_MSGE_OK);
	cab_msg_free(&m);
	/* part beyond parts */
	snprintf(s, sizeof s,
	         "%s\"part\":1,\"parts\":1,\"size\":3,\"sha256\":\"%064d\"},\"data\":\"QUJD\"}",
	         head, 0);
	assert_int_equal(cab_msg_parse(s, strlen(s), &m, ref, err, sizeof err), CAB_MSGE_BAD_FIELD);
	/* upper-case hex */
	snprintf(s, sizeof s,
	         "%s\"part\":0,\"parts\":1,\"size\":3,\"sha256\":\"%064d\"},\"data\":\"QUJD\"}",
	         head, 0);
	char *h = strstr(s, "\"sha256\":\"") + 10;
	h[0] = 'A';
	assert_int_equal(cab_msg_parse(s, strlen(s), &m, ref, err, sizeof err), CAB_MSGE_BAD_FIELD);
	/* not base64 */
	snprintf(s, sizeof s,
	         "%s\"part\":0,\"parts\":1,\"size\":3,\"sha256\":\"%064d\"},\"data\":\"QU*D\"}",
	         head, 0);
	assert_int_equal(cab_msg_parse(s, strlen(s), &m, ref, err, sizeof err), CAB_MSGE_BAD_FIELD);
	/* size that needs more parts than announced */
	snprintf(s, sizeof s,
	         "%s\"part\":0,\"parts\":1,\"size\":98305,\"sha256\":\"%064d\"},\"data\":\"QUJD\"}",
	         head, 0);
	assert_int_equal(cab_msg_parse(s, strlen(s), &m, ref, err, sizeof err), CAB_MSGE_BAD_FIELD);
	/* request actions of the media commands */
	const char *rq =
	    "{\"type\":\"request\",\"id\":\"q\",\"session\":\"S1\",\"action\":\"still\","
	    "\"kind\":\"otoscope\",\"body_site\":\"left ear\"}";
	assert_int_equal(cab_msg_parse(rq, strlen(rq), &m, ref, err, sizeof err), CAB_MSGE_OK);
	cab_msg_free(&m);
	assert_int_equal(cab_req_action_from_name("camera"), CAB_REQ_CAMERA);
	assert_int_equal(cab_req_action_from_name("keyframe"), CAB_REQ_KEYFRAME);
	assert_int_equal(cab_req_action_from_name("zoom"), -1);
}

static void test_sha1_b64(void **state)
{
	(void)state;
	char out[29];
	/* FIPS 180-2 appendix A.1: SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d */
	assert_int_equal(cab_still_sha1_b64((const uint8_t *)"abc", 3, out), 0);
	assert_string_equal(out, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
}

static void test_bundle_media(void **state)
{
	(void)state;
	uint8_t *jpeg = fake_jpeg();
	json_t *arr = cab_still_msgs("S1", &META, jpeg, JPEG_LEN);
	json_t *msgs[4];
	msgs[0] = json_pack("{s:s, s:s, s:s, s:s}", "type", "session_open", "id", "open-1",
	                    "session", "S1", "time", "2026-11-29T09:59:00Z");
	for (int i = 0; i < 3; i++)
		msgs[1 + i] = json_array_get(arr, (size_t)i);
	json_t *hello = json_pack("{s:{s:s}}", "cabin", "id", "CABIN-TEST-01");
	struct cab_fhir_bundle_in in = {"S1", hello, NULL, msgs, 4, NULL};
	json_t *b = cab_fhir_bundle(&in, "2026-11-29T10:01:00Z");
	json_t *media = NULL, *e;
	size_t i;
	json_array_foreach(json_object_get(b, "entry"), i, e)
	{
		json_t *r = json_object_get(e, "resource");
		if (!strcmp(json_string_value(json_object_get(r, "resourceType")), "Media"))
			media = r;
	}
	assert_non_null(media);
	json_t *c = json_object_get(media, "content");
	char sha1[29];
	cab_still_sha1_b64(jpeg, JPEG_LEN, sha1);
	assert_string_equal(json_string_value(json_object_get(c, "hash")), sha1);
	assert_string_equal(json_string_value(json_object_get(c, "contentType")), "image/jpeg");
	assert_string_equal(json_string_value(json_object_get(c, "url")), "S1-still-still-1.jpg");
	assert_int_equal(json_integer_value(json_object_get(c, "size")), JPEG_LEN);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(media, "bodySite"), "text")),
	    "left ear");
	/* coded body site (SNOMED CT ear structure) and the camera as a Device */
	json_t *bs = json_array_get(json_object_get(json_object_get(media, "bodySite"), "coding"), 0);
	assert_string_equal(json_string_value(json_object_get(bs, "code")), "117590005");
	assert_non_null(json_object_get(json_object_get(media, "device"), "reference"));
	json_t *id1 = json_array_get(json_object_get(media, "identifier"), 1);
	assert_string_equal(json_string_value(json_object_get(id1, "system")), CAB_FHIR_SID_SHA256);
	assert_string_equal(json_string_value(json_object_get(id1, "value")),
	                    json_string_value(json_object_get(
	                        json_object_get(json_array_get(arr, 0), "still"), "sha256")));
	json_decref(b);
	json_decref(hello);
	json_decref(msgs[0]);
	json_decref(arr);
	free(jpeg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_and_assemble), cmocka_unit_test(test_parser_rules),
	    cmocka_unit_test(test_sha1_b64), cmocka_unit_test(test_bundle_media)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
