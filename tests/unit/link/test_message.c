/* test_message.c — the link's strict message parser (kiosk/link/message.c): every
 * error class with its wire code, exact field checks, the INS key rule, builders. */
#include "kiosk/link/message.h"

/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <stdlib.h>
#include <string.h>

static enum cab_msg_err parse(const char *s, struct cab_msg *m, char *ref, char *err)
{
	return cab_msg_parse(s, strlen(s), m, ref, err, 256);
}

static void test_valid_reading(void **state)
{
	(void)state;
	struct cab_msg m;
	char ref[40], err[256];
	const char *s = "{\"type\":\"reading\",\"id\":\"r1\",\"session\":\"s1\",\"mdc\":150364,"
	                "\"device\":{\"kind\":\"thermometer\"},\"observation\":{\"resourceType\":"
	                "\"Observation\"}}";
	assert_int_equal(parse(s, &m, ref, err), CAB_MSGE_OK);
	assert_int_equal(m.type, CAB_MSG_READING);
	assert_string_equal(m.id, "r1");
	assert_string_equal(m.session, "s1");
	assert_true(cab_msg_is_data(m.type));
	cab_msg_free(&m);
	assert_null(m.root);
}

static void test_errors(void **state)
{
	(void)state;
	struct cab_msg m;
	char ref[40], err[256];
	assert_int_equal(parse("{\"type\":", &m, ref, err), CAB_MSGE_BAD_JSON);
	assert_string_equal(cab_msg_error_code(CAB_MSGE_BAD_JSON), "bad-json");
	assert_null(m.root);
	assert_int_equal(parse("[1,2]", &m, ref, err), CAB_MSGE_NOT_OBJECT);
	assert_int_equal(parse("{\"type\":\"x\",\"id\":\"a\"}", &m, ref, err),
	                 CAB_MSGE_UNKNOWN_TYPE);
	assert_string_equal(err, "unknown message type \"x\"");
	assert_string_equal(ref, "a");
	assert_int_equal(parse("{\"id\":\"a\"}", &m, ref, err), CAB_MSGE_MISSING_FIELD);
	assert_int_equal(parse("{\"type\":\"ping\"}", &m, ref, err), CAB_MSGE_MISSING_FIELD);
	assert_string_equal(err, "missing field \"id\"");
	assert_int_equal(parse("{\"type\":\"ping\",\"id\":\"p\"}", &m, ref, err),
	                 CAB_MSGE_MISSING_FIELD);
	assert_string_equal(err, "ping: missing field \"t\"");
	assert_int_equal(parse("{\"type\":\"ping\",\"id\":\"p\",\"t\":\"1\"}", &m, ref, err),
	                 CAB_MSGE_BAD_FIELD);
	assert_string_equal(err, "ping: field \"t\" has a wrong type or value");
	assert_int_equal(parse("{\"type\":7,\"id\":\"p\"}", &m, ref, err), CAB_MSGE_BAD_FIELD);
	/* duplicate keys are refused: they would let two readers see two messages */
	assert_int_equal(parse("{\"type\":\"ping\",\"id\":\"p\",\"t\":1,\"t\":2}", &m, ref, err),
	                 CAB_MSGE_BAD_JSON);
	/* ids longer than 39 characters */
	assert_int_equal(
	    parse("{\"type\":\"ping\",\"id\":\"0123456789012345678901234567890123456789\",\"t\":1}",
	          &m, ref, err),
	    CAB_MSGE_BAD_FIELD);
	/* an embedded NUL in a string (jansson refuses it without JSON_ALLOW_NUL) */
	assert_int_equal(
	    parse("{\"type\":\"ack\",\"id\":\"p\",\"ack\":\"a\\u0000b\"}", &m, ref, err),
	    CAB_MSGE_BAD_JSON);
}

static void test_too_large(void **state)
{
	(void)state;
	size_t n = CAB_LINK_MSG_MAX + 1;
	char *big = malloc(n);
	memset(big, ' ', n);
	struct cab_msg m;
	char err[256];
	assert_int_equal(cab_msg_parse(big, n, &m, NULL, err, sizeof err), CAB_MSGE_TOO_LARGE);
	assert_string_equal(cab_msg_error_code(CAB_MSGE_TOO_LARGE), "too-large");
	free(big);
}

static void test_nested_rules(void **state)
{
	(void)state;
	struct cab_msg m;
	char ref[40], err[256];
	const char *ok = "{\"type\":\"identity\",\"id\":\"i\",\"session\":\"s\",\"patient\":{"
	                 "\"birth_name\":\"B\","
	                 "\"first_names\":\"F G\",\"birth_date\":\"1984-05-12\",\"sex\":\"female\","
	                 "\"birth_place_insee\":\"2A004\",\"ins\":{\"kind\":\"NIR\",\"value\":"
	                 "\"284057505612387\"}}}";
	assert_int_equal(parse(ok, &m, ref, err), CAB_MSGE_OK);
	cab_msg_free(&m);
	const char *badsex = "{\"type\":\"identity\",\"id\":\"i\",\"session\":\"s\",\"patient\":{"
	                     "\"birth_name\":\"B\","
	                     "\"first_names\":\"F\",\"birth_date\":\"1984-05-12\",\"sex\":\"F\","
	                     "\"birth_place_insee\":\"75056\"}}";
	assert_int_equal(parse(badsex, &m, ref, err), CAB_MSGE_BAD_FIELD);
	assert_string_equal(err, "identity: field \"patient.sex\" has a wrong type or value");
	const char *baddate = "{\"type\":\"session_open\",\"id\":\"o\",\"session\":\"s\",\"time\":"
	                      "\"2026-13-01T00:00:00Z\"}";
	assert_int_equal(parse(baddate, &m, ref, err), CAB_MSGE_BAD_FIELD);
	const char *nozone = "{\"type\":\"session_open\",\"id\":\"o\",\"session\":\"s\",\"time\":"
	                     "\"2026-11-01T00:00:00\"}";
	assert_int_equal(parse(nozone, &m, ref, err), CAB_MSGE_BAD_FIELD);
	const char *offset = "{\"type\":\"session_open\",\"id\":\"o\",\"session\":\"s\",\"time\":"
	                     "\"2026-11-01T00:00:00.5+01:00\"}";
	assert_int_equal(parse(offset, &m, ref, err), CAB_MSGE_OK);
	cab_msg_free(&m);
	const char *badact =
	    "{\"type\":\"request\",\"id\":\"q\",\"session\":\"s\",\"action\":\"dance\"}";
	assert_int_equal(parse(badact, &m, ref, err), CAB_MSGE_BAD_FIELD);
	const char *vers = "{\"type\":\"hello\",\"id\":\"h\",\"versions\":[],\"cabin\":{\"id\":"
	                   "\"c\",\"pharmacy\":\"p\","
	                   "\"address\":{},\"phone\":\"1\"}}";
	assert_int_equal(parse(vers, &m, ref, err), CAB_MSGE_BAD_FIELD);
	assert_string_equal(err, "hello: field \"versions\" has a wrong type or value");
	const char *notobs = "{\"type\":\"reading\",\"id\":\"r\",\"session\":\"s\",\"mdc\":1,"
	                     "\"device\":{\"kind\":\"x\"},"
	                     "\"observation\":{\"resourceType\":\"Patient\"}}";
	assert_int_equal(parse(notobs, &m, ref, err), CAB_MSGE_BAD_FIELD);
}

static void test_nir_key(void **state)
{
	(void)state;
	assert_true(cab_nir_key_ok("284057505612387")); /* 97 - 2840575056123 mod 97 = 87 */
	assert_false(cab_nir_key_ok("284057505612388"));
	assert_false(cab_nir_key_ok("28405750561238"));
	assert_false(cab_nir_key_ok("2840575X5612387"));
	/* Corsica: 2A counts as 19, so the key of 1 84 05 2A 004 123 is 97 - (1840519004123 mod 97)
	 */
	unsigned long long v = 1840519004123ull;
	char nir[16];
	snprintf(nir, sizeof nir, "184052A004123%02llu", 97 - v % 97);
	assert_true(cab_nir_key_ok(nir));
	nir[6] = 'B';
	assert_false(cab_nir_key_ok(nir));
}

/* The record's extras: the pharmacist's document check, a qualified INS flag, the
 * readings answer and the consent text's SHA-256. */
#define IDENT(x)                                                                                   \
	"{\"type\":\"identity\",\"id\":\"i1\",\"session\":\"s\",\"patient\":{"                    \
	"\"birth_name\":\"T\",\"first_names\":\"A\",\"birth_date\":\"1984-05-12\","                 \
	"\"sex\":\"female\",\"birth_place_insee\":\"75056\"," x "}}"
#define CONSENT(h)                                                                                 \
	"{\"type\":\"consent\",\"id\":\"c1\",\"session\":\"s\",\"consent\":{"                      \
	"\"accepted\":true,\"readings\":false,\"language\":\"fr\","                                \
	"\"text_id\":\"consent-2026-11-v1\",\"time\":\"2026-11-29T09:59:00Z\","                     \
	"\"text_sha256\":\"" h "\"}}"
static void test_record_fields(void **state)
{
	(void)state;
	struct cab_msg m;
	char ref[64], err[256];
	assert_int_equal(parse(IDENT("\"verified\":{\"document\":\"PA\",\"time\":\"2026-11-29T10:02:00Z\","
	                             "\"by\":{\"name\":\"P\",\"rpps\":\"10000000002\"}}"),
	                       &m, ref, err),
	                 CAB_MSGE_OK);
	cab_msg_free(&m);
	assert_int_equal(
	    parse(IDENT("\"verified\":{\"document\":\"XX\",\"time\":\"2026-11-29T10:02:00Z\"}"), &m, ref,
	          err),
	    CAB_MSGE_BAD_FIELD);
	assert_string_equal(err, "patient.verified.document must be CN, PA or CS");
	assert_int_equal(parse(IDENT("\"verified\":{\"document\":\"CN\",\"time\":\"yesterday\"}"), &m,
	                       ref, err),
	                 CAB_MSGE_BAD_FIELD);
	assert_int_equal(
	    parse(IDENT("\"ins\":{\"kind\":\"NIR\",\"value\":\"284057505612387\",\"qualified\":\"yes\"}"),
	          &m, ref, err),
	    CAB_MSGE_BAD_FIELD);
	assert_string_equal(err, "patient.ins.qualified must be true or false");
	assert_int_equal(
	    parse(CONSENT("b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78"), &m, ref, err),
	    CAB_MSGE_OK);
	cab_msg_free(&m);
	assert_int_equal(parse(CONSENT("B5D4"), &m, ref, err), CAB_MSGE_BAD_FIELD);
}

/* The WebRTC signalling messages (docs/link-protocol.md, "WebRTC signalling"). */
static void test_webrtc_messages(void **state)
{
	(void)state;
	struct cab_msg m;
	char ref[40], err[256];
	assert_int_equal(parse("{\"type\":\"webrtc\",\"id\":\"w1\",\"session\":\"s1\","
	                       "\"signal\":{\"kind\":\"offer\",\"sdp\":\"v=0\"}}",
	                       &m, ref, err),
	                 CAB_MSGE_OK);
	assert_int_equal(m.type, CAB_MSG_WEBRTC);
	assert_int_equal(cab_msg_is_data(m.type), 0);
	cab_msg_free(&m);
	assert_int_equal(parse("{\"type\":\"webrtc\",\"id\":\"w2\",\"session\":\"s1\","
	                       "\"signal\":{\"kind\":\"answer\"}}",
	                       &m, ref, err),
	                 CAB_MSGE_MISSING_FIELD);
	assert_string_equal(err, "signal.sdp is required for an answer");
	assert_int_equal(parse("{\"type\":\"webrtc\",\"id\":\"w3\",\"session\":\"s1\","
	                       "\"signal\":{\"kind\":\"candidate\",\"candidate\":\"candidate:1 1 "
	                       "UDP 1 127.0.0.1 9 typ host\",\"sdpMLineIndex\":16}}",
	                       &m, ref, err),
	                 CAB_MSGE_BAD_FIELD);
	assert_int_equal(parse("{\"type\":\"webrtc\",\"id\":\"w4\",\"session\":\"s1\","
	                       "\"signal\":{\"kind\":\"hello\"}}",
	                       &m, ref, err),
	                 CAB_MSGE_BAD_FIELD);
	assert_int_equal(
	    parse("{\"type\":\"ice_servers\",\"id\":\"i1\",\"session\":\"s1\","
	          "\"ice_servers\":[{\"urls\":[\"turn:127.0.0.1:3478?transport=udp\","
	          "\"turns:turn.example:443?transport=tcp\"],\"username\":\"1796400000:s1\","
	          "\"credential\":\"JZmITuE1CyhEdZDQXPLUnPeDBaE=\"}],\"policy\":\"relay\"}",
	          &m, ref, err),
	    CAB_MSGE_OK);
	assert_int_equal(m.type, CAB_MSG_ICE_SERVERS);
	cab_msg_free(&m);
	assert_int_equal(parse("{\"type\":\"ice_servers\",\"id\":\"i2\",\"session\":\"s1\","
	                       "\"ice_servers\":[{\"urls\":[\"http://x\"]}],\"policy\":\"all\"}",
	                       &m, ref, err),
	                 CAB_MSGE_BAD_FIELD);
	assert_int_equal(parse("{\"type\":\"request\",\"id\":\"r1\",\"session\":\"s1\","
	                       "\"action\":\"call\"}",
	                       &m, ref, err),
	                 CAB_MSGE_OK);
	cab_msg_free(&m);
}

static void test_builders(void **state)
{
	(void)state;
	char id[37];
	assert_int_equal(cab_uuid4(id), 0);
	assert_int_equal(strlen(id), 36);
	assert_int_equal(id[14], '4');
	assert_true(strchr("89ab", id[19]) != NULL);
	char *s = cab_msg_dump_take(cab_msg_ack("abc", 1));
	struct cab_msg m;
	assert_int_equal(cab_msg_parse(s, strlen(s), &m, NULL, NULL, 0), CAB_MSGE_OK);
	assert_int_equal(m.type, CAB_MSG_ACK);
	assert_string_equal(json_string_value(json_object_get(m.root, "ack")), "abc");
	assert_true(json_is_true(json_object_get(m.root, "duplicate")));
	cab_msg_free(&m);
	free(s);
	s = cab_msg_dump_take(cab_msg_error_new("too-large", NULL, "d"));
	assert_int_equal(cab_msg_parse(s, strlen(s), &m, NULL, NULL, 0), CAB_MSGE_OK);
	assert_true(json_is_null(json_object_get(m.root, "ref")));
	assert_string_equal(json_string_value(json_object_get(m.root, "code")), "too-large");
	cab_msg_free(&m);
	free(s);
	assert_int_equal(cab_msg_type_from_name("session_close"), CAB_MSG_SESSION_CLOSE);
	assert_int_equal(cab_msg_type_from_name("nope"), -1);
	assert_int_equal(cab_req_action_from_name("stream_stop"), CAB_REQ_STREAM_STOP);
	assert_false(cab_msg_is_data(CAB_MSG_ACK));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_reading), cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_too_large),     cmocka_unit_test(test_nested_rules),
	    cmocka_unit_test(test_nir_key),       cmocka_unit_test(test_builders),
	    cmocka_unit_test(test_record_fields),
	    cmocka_unit_test(test_webrtc_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
