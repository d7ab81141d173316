/* test_doctor_args.c — cabin-doctor's strict --listen, --ca and --config checks
 * (doctor/doctor_args.c): exact accepted values and exact messages. */
#include "doctor/doctor_args.h"

/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void listen_accepts(void **state)
{
	(void)state;
	char host[64] = "";
	int port = -1;
	assert_int_equal(doctor_parse_listen("127.0.0.1:8443", host, sizeof host, &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8443);
	assert_int_equal(doctor_parse_listen("localhost:65535", host, sizeof host, &port), 0);
	assert_int_equal(port, 65535);
	assert_int_equal(doctor_parse_listen("127.0.0.1:1", host, sizeof host, &port), 0);
	assert_int_equal(port, 1);
	assert_int_equal(doctor_parse_listen("127.0.0.1:0", host, sizeof host, &port), 0);
	assert_int_equal(port, 0); /* any free port */
}

static void listen_refuses(void **state)
{
	(void)state;
	const char *bad[] = {"127.0.0.1:99999",
	                     "127.0.0.1:65536",
	                     "127.0.0.1:abc",
	                     "127.0.0.1:",
	                     "127.0.0.1:-1",
	                     "127.0.0.1:+80",
	                     "127.0.0.1: 80",
	                     "127.0.0.1:80x",
	                     "127.0.0.1",
	                     ":8443",
	                     "127.0.0.1:99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char host[64] = "kept";
		int port = 7;
		assert_int_equal(doctor_parse_listen(bad[i], host, sizeof host, &port), -1);
		assert_string_equal(host, "kept");
		assert_int_equal(port, 7);
	}
	char small[4];
	int port = 0;
	assert_int_equal(doctor_parse_listen("localhost:80", small, sizeof small, &port), -1);
	assert_int_equal(doctor_parse_listen(NULL, small, sizeof small, &port), -1);
}

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/cabin-doctor-args.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void config_messages(void **state)
{
	(void)state;
	struct cab_station_config c;
	char err[512];
	memset(&c, 0, sizeof c);
	assert_int_equal(doctor_config_load("/nonexistent/doctor.ini", &c, err, sizeof err), -1);
	assert_string_equal(err, "/nonexistent/doctor.ini: cannot open: No such file or directory");

	char *p = write_tmp("[doctor]\nname = Dr Test\n[station]\nname = S1\n");
	assert_int_equal(doctor_config_load(p, &c, err, sizeof err), 0);
	assert_string_equal(c.doctor.name, "Dr Test");
	assert_string_equal(c.name, "S1");
	unlink(p);
	free(p);

	char want[600];
	p = write_tmp("\x01\x02garbage\n");
	assert_int_equal(doctor_config_load(p, &c, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:1: expected [section] or name = value", p);
	assert_string_equal(err, want);
	unlink(p);
	free(p);

	p = write_tmp("; comment\n[doctor]\nname = X\ncolour = blue\n");
	assert_int_equal(doctor_config_load(p, &c, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:4: unknown setting colour in [doctor]", p);
	assert_string_equal(err, want);
	unlink(p);
	free(p);

	/* a syntax error before an unknown setting: the first one is reported */
	p = write_tmp("[doctor]\n[broken\nfoo = 1\n");
	assert_int_equal(doctor_config_load(p, &c, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:2: expected [section] or name = value", p);
	assert_string_equal(err, want);
	unlink(p);
	free(p);

	p = write_tmp("name = X\n");
	assert_int_equal(doctor_config_load(p, &c, err, sizeof err), -1);
	snprintf(want, sizeof want,
	         "%s:1: setting name outside a section ([doctor], [station], [fhir], [turn] or "
	         "[timeouts])",
	         p);
	assert_string_equal(err, want);
	unlink(p);
	free(p);

	/* abuse limits and the station's timeouts (cab_timeouts[] rows) */
	memset(&c, 0, sizeof c);
	p = write_tmp("[station]\nmax_unauthenticated_per_address = 4\nmax_unauthenticated = 9\n"
	              "crl = /x/crl.pem\n[timeouts]\nlink_hello = 3\nlog_summary = 5\n");
	assert_int_equal(doctor_config_load(p, &c, err, sizeof err), 0);
	assert_int_equal(c.max_unauth_per_addr, 4);
	assert_int_equal(c.max_unauth, 9);
	assert_string_equal(c.crl, "/x/crl.pem");
	assert_int_equal(c.timeout_s[CAB_TMO_STN_HELLO], 3);
	assert_int_equal(c.timeout_s[CAB_TMO_STN_LOG_SUMMARY], 5);
	assert_int_equal(c.timeout_s[CAB_TMO_STN_HANDSHAKE], 0);
	unlink(p);
	free(p);
	p = write_tmp("[timeouts]\nlink_hello = 0\n");
	assert_int_equal(doctor_config_load(p, &c, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:2: timeouts.link_hello must be 1 to 3600 seconds", p);
	assert_string_equal(err, want);
	unlink(p);
	free(p);
	/* the cabin's flow timers are not the station's */
	p = write_tmp("[timeouts]\nconsent = 10\n");
	assert_int_equal(doctor_config_load(p, &c, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:2: unknown setting consent in [timeouts]", p);
	assert_string_equal(err, want);
	unlink(p);
	free(p);
	p = write_tmp("[station]\nmax_unauthenticated = lots\n");
	assert_int_equal(doctor_config_load(p, &c, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:2: max_unauthenticated must be 1 to 100000 connections", p);
	assert_string_equal(err, want);
	unlink(p);
	free(p);
}

static void ca_file(void **state)
{
	(void)state;
	char err[512], want[600];
	char *p = write_tmp("this is not a certificate\n");
	assert_int_equal(doctor_check_ca_file(p, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: not a PEM CA certificate", p);
	assert_string_equal(err, want);
	unlink(p);
	free(p);
	assert_int_equal(doctor_check_ca_file("/nonexistent/ca.pem", err, sizeof err), -1);
	assert_string_equal(err, "/nonexistent/ca.pem: cannot open: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(listen_accepts),
	    cmocka_unit_test(listen_refuses),
	    cmocka_unit_test(config_messages),
	    cmocka_unit_test(ca_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
