/* test_link_config.c — kiosk/link/link.c without a network: configuration checks
 * that make the link fail closed, and the media queue's drop-oldest bound. */
#include "kiosk/link/link.h"
#include "kiosk/link/outbox_mem.h"

/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <string.h>

#define PIN "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static struct cab_link_config base(void)
{
	struct cab_link_config c = {
	    .url = "wss://127.0.0.1:1/", .pin_sha256 = PIN, .test_no_client_cert = 1};
	strcpy(c.cabin.id, "CABIN-UNIT");
	return c;
}

static void test_fail_closed(void **state)
{
	(void)state;
	struct cab_outbox_mem *ob = cab_outbox_mem_new(4, 0);
	struct cab_outbox_port p = cab_outbox_mem_port(ob);
	char err[256];
	struct cab_link_config c = base();
	c.url = "ws://127.0.0.1:1/";
	assert_null(cab_link_new(&c, &p, NULL, err, sizeof err));
	assert_string_equal(err, "link URL must start with wss:// (got \"ws://127.0.0.1:1/\")");
	c = base();
	c.pin_sha256 = NULL;
	assert_null(cab_link_new(&c, &p, NULL, err, sizeof err));
	assert_string_equal(
	    err, "neither a CA nor a station pin is configured: refusing to connect unchecked");
	c = base();
	c.pin_sha256 = "abcd";
	assert_null(cab_link_new(&c, &p, NULL, err, sizeof err));
	assert_string_equal(err, "station pin must be 64 hex digits (SHA-256 of the public key)");
	c = base();
	c.test_no_client_cert = 0;
	assert_null(cab_link_new(&c, &p, NULL, err, sizeof err));
	assert_string_equal(err, "no cabin certificate or key configured");
	c = base();
	c.cert = "/nonexistent/cabin.pem";
	c.key = "/nonexistent/cabin.key";
	c.test_no_client_cert = 0;
	assert_null(cab_link_new(&c, &p, NULL, err, sizeof err));
	assert_non_null(strstr(err, "cannot load the cabin certificate /nonexistent/cabin.pem"));
	c = base();
	c.cabin.id[0] = 0;
	assert_null(cab_link_new(&c, &p, NULL, err, sizeof err));
	assert_string_equal(err, "cabin id missing");
	c = base();
	c.proxy = "nohostport";
	assert_null(cab_link_new(&c, &p, NULL, err, sizeof err));
	assert_string_equal(err, "proxy must be host:port");
	c = base();
	struct cab_link *l = cab_link_new(&c, &p, NULL, err, sizeof err);
	assert_non_null(l);
	cab_link_free(l);
	cab_outbox_mem_free(ob);
}

/* The call's signalling is never queued for later: refused while not connected
 * (a call does not outlive its link), and when it is not a JSON object. */
static void test_signal_needs_connection(void **state)
{
	(void)state;
	struct cab_outbox_mem *ob = cab_outbox_mem_new(4, 0);
	struct cab_outbox_port p = cab_outbox_mem_port(ob);
	struct cab_link_config c = base();
	char err[256];
	struct cab_link *l = cab_link_new(&c, &p, NULL, err, sizeof err);
	assert_non_null(l);
	assert_int_equal(cab_link_send_signal(l, "S-1", "{\"kind\":\"bye\"}"), -1);
	assert_int_equal(cab_link_send_signal(l, "S-1", "not json"), -1);
	assert_int_equal(cab_link_send_signal(NULL, "S-1", "{}"), -1);
	cab_link_free(l);
	cab_outbox_mem_free(ob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fail_closed),
	    cmocka_unit_test(test_signal_needs_connection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
