/* test_ini_edit.c — one-key edits of an INI text for the configuration editor, and
 * the providers known before store, link and devices are bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ini_edit.h"
#include "kiosk/service/known_sources.h"

static const char *ini = "; Cabin\n"
                         "[cabin]\n"
                         "cabin_id = cabin-0042\n"
                         "phone = +33100000000\n"
                         "\n"
                         "[timeouts]\n"
                         "language = 60\n"
                         "identity = 300\n";

static void replace_add_append(void **state)
{
	(void)state;
	char out[512];
	assert_int_equal(cab_ini_set(ini, "timeouts.identity = 240", out, sizeof out), 0);
	assert_string_equal(out, "; Cabin\n[cabin]\ncabin_id = cabin-0042\nphone = +33100000000\n\n"
	                         "[timeouts]\nlanguage = 60\nidentity = 240\n");
	assert_int_equal(cab_ini_set(ini, "  cabin.pharmacy_name=Pharmacie du Port  ", out, sizeof out), 0);
	assert_string_equal(out, "; Cabin\n[cabin]\ncabin_id = cabin-0042\nphone = +33100000000\n\n"
	                         "pharmacy_name = Pharmacie du Port\n"
	                         "[timeouts]\nlanguage = 60\nidentity = 300\n");
	assert_int_equal(cab_ini_set(ini, "station.url = wss://10.0.0.2:8443", out, sizeof out), 0);
	assert_string_equal(out, "; Cabin\n[cabin]\ncabin_id = cabin-0042\nphone = +33100000000\n\n"
	                         "[timeouts]\nlanguage = 60\nidentity = 300\n"
	                         "[station]\nurl = wss://10.0.0.2:8443\n");
	/* A key with the same prefix is not the key. */
	assert_int_equal(cab_ini_set("[a]\nkey2 = 1\n", "a.key = 5", out, sizeof out), 0);
	assert_string_equal(out, "[a]\nkey2 = 1\nkey = 5\n");
	/* No trailing newline in the input. */
	assert_int_equal(cab_ini_set("[a]\nk = 1", "a.k = 2", out, sizeof out), 0);
	assert_string_equal(out, "[a]\nk = 2\n");
}

static void malformed(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(cab_ini_set(ini, "identity = 240", out, sizeof out), -1);
	assert_int_equal(cab_ini_set(ini, "timeouts.identity 240", out, sizeof out), -1);
	assert_int_equal(cab_ini_set(ini, ".identity = 240", out, sizeof out), -1);
	assert_int_equal(cab_ini_set(ini, "timeouts. = 240", out, sizeof out), -1);
	/* Too small an output. */
	assert_int_equal(cab_ini_set(ini, "timeouts.identity = 240", out, sizeof out), -1);
}

static void known(void **state)
{
	(void)state;
	struct cab_svc_sources s;
	struct cab_svc_known k;
	struct cab_svc_link l;
	unsetenv("CABIN_STATION_URL");
	setenv("CABIN_CA", "/etc/cabin/ca.pem", 1);
	cab_svc_known_sources(&s, &k, "/var/lib/cabin");
	assert_int_equal(s.link(s.link_user, &l), 0);
	assert_string_equal(l.station_url, "wss://127.0.0.1:8443");
	assert_string_equal(l.cert, "build/certs/cabin.pem");
	assert_string_equal(l.ca, "/etc/cabin/ca.pem");
	assert_false(l.connected);
	assert_true(l.throughput_kbps < 0);
	assert_string_equal(s.data_dir, "/var/lib/cabin");
	assert_string_equal(s.db_path, "/var/lib/cabin/cabin.db");
	assert_null(s.instruments);
	assert_null(s.outbox);
	int64_t rows;
	char why[64];
	assert_int_equal(s.verify_audit(s.store_user, &rows, why, sizeof why), -ENOENT); /* no db yet */
	unsetenv("CABIN_CA");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replace_add_append),
		cmocka_unit_test(malformed),
		cmocka_unit_test(known),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
