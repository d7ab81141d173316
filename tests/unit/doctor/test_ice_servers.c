/* test_ice_servers.c — the station's `ice_servers` message from [turn] (station_turn.c):
 * STUN urls alone, TURN urls with the REST credential (the vector of test_turn_rest.c),
 * the message passes the link's own parser, and nothing is made without a url. */
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

#include "doctor/station.h"
#include "kiosk/link/message.h"

static void test_ice_servers(void **st)
{
	(void)st;
	struct cab_station_turn t = {.secret = "north-wind",
	                             .uris =
	                                 "stun:127.0.0.1:3478, turn:127.0.0.1:3478?transport=udp,"
	                                 "turns:turn.example:443?transport=tcp",
	                             .ttl_s = 600};
	json_t *m = cab_station_ice_servers_msg(&t, "s-1", 1796400000 - 600);
	assert_non_null(m);
	char *text = json_dumps(m, JSON_COMPACT);
	struct cab_msg parsed;
	char ref[40], err[256];
	assert_int_equal(cab_msg_parse(text, strlen(text), &parsed, ref, err, sizeof err),
	                 CAB_MSGE_OK);
	assert_int_equal(parsed.type, CAB_MSG_ICE_SERVERS);
	cab_msg_free(&parsed);
	free(text);
	json_t *list = json_object_get(m, "ice_servers");
	assert_int_equal(json_array_size(list), 2);
	json_t *turn = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(turn, "username")), "1796400000:s-1");
	assert_string_equal(json_string_value(json_object_get(turn, "credential")),
	                    "JZmITuE1CyhEdZDQXPLUnPeDBaE=");
	assert_int_equal(json_array_size(json_object_get(turn, "urls")), 2);
	assert_string_equal(json_string_value(json_object_get(m, "policy")), "all");
	json_decref(m);
	struct cab_station_turn none = {.secret = "k", .uris = "http://x"};
	assert_null(cab_station_ice_servers_msg(&none, "s-1", 0));
	struct cab_station_turn nosecret = {.uris = "turn:h:3478"};
	assert_null(cab_station_ice_servers_msg(&nosecret, "s-1", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_ice_servers)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
