/* test_report.c — the service menu's tab texts from fake providers: instrument
 * calibration warnings, network reachability on loopback and certificate expiry,
 * outbox / disk / database / audit lines, log tail, URL and date parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libintl.h>
#include <locale.h>
#include <unistd.h>

#include "kiosk/service/link_watch.h"
#include "kiosk/service/report.h"

static const int64_t NOW = 1795959900000LL; /* 2026-11-29T13:45:00Z */

static int fake_instruments(void *user, struct cab_svc_instrument *out, int max)
{
	(void)user;
	assert_int_equal(max, CAB_SVC_MAX_INSTRUMENTS);
	memset(out, 0, 4 * sizeof *out);
	snprintf(out[0].kind, sizeof out[0].kind, "pulse-oximeter");
	snprintf(out[0].driver, sizeof out[0].driver, "contec-cms50");
	snprintf(out[0].model, sizeof out[0].model, "CMS50D+");
	snprintf(out[0].serial, sizeof out[0].serial, "SIM-0001");
	snprintf(out[0].firmware, sizeof out[0].firmware, "2.1");
	snprintf(out[0].calibration_due, sizeof out[0].calibration_due, "2027-06-01");
	out[0].last_selftest_ms = 1795910400000LL; /* 2026-11-29T00:00Z */
	snprintf(out[0].last_selftest_result, sizeof out[0].last_selftest_result, "pass");
	snprintf(out[0].selftest_detail, sizeof out[0].selftest_detail,
	         "60 real-time packets in 1004 ms, 0 framing error(s)");
	out[0].first_seen_ms = 1795824000000LL; /* 2026-11-28T00:00Z */
	out[0].last_seen_ms = 1795910400000LL + 3600000;
	out[0].connected = true;
	snprintf(out[1].kind, sizeof out[1].kind, "thermometer");
	snprintf(out[1].calibration_due, sizeof out[1].calibration_due, "2026-12-20");
	snprintf(out[2].kind, sizeof out[2].kind, "blood-pressure");
	snprintf(out[2].calibration_due, sizeof out[2].calibration_due, "2026-11-19");
	out[2].last_selftest_ms = 1795910400000LL;
	snprintf(out[2].last_selftest_result, sizeof out[2].last_selftest_result, "fail");
	snprintf(out[3].kind, sizeof out[3].kind, "weighing-scale");
	return 4;
}

static void instruments_tab(void **state)
{
	(void)state;
	struct cab_svc_sources s = {.instruments = fake_instruments};
	struct cab_svc_report r;
	assert_int_equal(cab_svc_report_instruments(&s, NOW, &r), 4);
	const char *want[] = {
		"1. pulse-oximeter  CMS50D+",
		"   connected, driver contec-cms50, serial SIM-0001, firmware 2.1",
		"   first seen 2026-11-28 00:00 UTC, last seen 2026-11-29 01:00 UTC",
		"   calibration due 2027-06-01 (in 183 days)",
		"   last self-test 2026-11-29 00:00 UTC: pass",
		"      60 real-time packets in 1004 ms, 0 framing error(s)",
		"2. thermometer  (model unknown)",
		"   not connected, driver unknown, serial unknown, firmware unknown",
		"   calibration due 2026-12-20 (in 20 days)",
		"   no self-test yet",
		"3. blood-pressure  (model unknown)",
		"   not connected, driver unknown, serial unknown, firmware unknown",
		"   calibration overdue since 2026-11-19 (11 days)",
		"   last self-test 2026-11-29 00:00 UTC: fail",
		"4. weighing-scale  (model unknown)",
		"   not connected, driver unknown, serial unknown, firmware unknown",
		"   calibration due date unknown",
		"   no self-test yet",
	};
	const enum cab_svc_level lv[] = {
		CAB_SVC_HEAD, CAB_SVC_OK, CAB_SVC_INFO, CAB_SVC_OK, CAB_SVC_OK, CAB_SVC_INFO,
		CAB_SVC_HEAD, CAB_SVC_WARN, CAB_SVC_WARN, CAB_SVC_WARN,
		CAB_SVC_HEAD, CAB_SVC_WARN, CAB_SVC_BAD, CAB_SVC_BAD,
		CAB_SVC_HEAD, CAB_SVC_WARN, CAB_SVC_WARN, CAB_SVC_WARN,
	};
	assert_int_equal(r.n, 18);
	for (int i = 0; i < r.n; i++) {
		assert_string_equal(r.line[i].text, want[i]);
		assert_int_equal(r.line[i].level, lv[i]);
	}
	assert_int_equal(r.warnings, 9);
	struct cab_svc_sources none = {0};
	assert_int_equal(cab_svc_report_instruments(&none, NOW, &r), -ENOSYS);
	assert_string_equal(r.line[0].text, "Instrument list not available in this build");
}

/* The same tab with French as the UI language (the build's cabin.mo): every line
 * shown in French, exactly, while the log text stays English. */
static void instruments_tab_french(void **state)
{
	(void)state;
	char exe[512], dir[600];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0'; /* build/tests/unit/service */
	snprintf(dir, sizeof dir, "%s/../../../locale", exe);
	char mo[700];
	snprintf(mo, sizeof mo, "%s/fr/LC_MESSAGES/cabin.mo", dir);
	if (access(mo, R_OK)) {
		skip(); /* translations not built */
		return;
	}
	assert_non_null(setlocale(LC_MESSAGES, "C.UTF-8"));
	setlocale(LC_CTYPE, "C.UTF-8");
	bindtextdomain("cabin", dir);
	bind_textdomain_codeset("cabin", "UTF-8");
	textdomain("cabin");
	setenv("LANGUAGE", "fr", 1);
	struct cab_svc_sources s = {.instruments = fake_instruments};
	struct cab_svc_report r;
	assert_int_equal(cab_svc_report_instruments(&s, NOW, &r), 4);
	const char *want[] = {
		"1. oxymètre de pouls  CMS50D+",
		"   connecté, pilote contec-cms50, n° série SIM-0001, firmware 2.1",
		"   vu la première fois 2026-11-28 00:00 UTC, la dernière fois 2026-11-29 01:00 UTC",
		"   étalonnage à faire le 2027-06-01 (dans 183 jours)",
		"   dernier autotest 2026-11-29 00:00 UTC : réussi",
		"      60 real-time packets in 1004 ms, 0 framing error(s)",
		"2. thermomètre  (modèle inconnu)",
		"   non connecté, pilote inconnu, n° série inconnu, firmware inconnu",
		"   étalonnage à faire le 2026-12-20 (dans 20 jours)",
		"   aucun autotest pour l'instant",
		"3. tensiomètre  (modèle inconnu)",
		"   non connecté, pilote inconnu, n° série inconnu, firmware inconnu",
		"   étalonnage en retard depuis le 2026-11-19 (11 jours)",
		"   dernier autotest 2026-11-29 00:00 UTC : échec",
		"4. weighing-scale  (modèle inconnu)",
		"   non connecté, pilote inconnu, n° série inconnu, firmware inconnu",
		"   date d'étalonnage inconnue",
		"   aucun autotest pour l'instant",
	};
	assert_int_equal(r.n, 18);
	for (int i = 0; i < r.n; i++)
		assert_string_equal(r.line[i].shown, want[i]);
	assert_string_equal(r.line[1].text,
	                    "   connected, driver contec-cms50, serial SIM-0001, firmware 2.1");
	assert_string_equal(r.line[16].text, "   calibration due date unknown");
	setenv("LANGUAGE", "en", 1);
}

static char cert_path[64];
static int port_open;
static int fake_link(void *user, struct cab_svc_link *out)
{
	(void)user;
	snprintf(out->station_url, sizeof out->station_url, "wss://127.0.0.1:%d/cabin", port_open);
	out->connected = false;
	out->throughput_kbps = 850;
	out->throughput_msgs = 4;
	out->throughput_window_s = 10;
	snprintf(out->cert, sizeof out->cert, "%s", cert_path);
	out->ca[0] = '\0';
	return 0;
}

static void network_tab(void **state)
{
	(void)state;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sa;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	char cmd[256];
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(ls, 2), 0);
	getsockname(ls, (struct sockaddr *)&sa, &len);
	port_open = ntohs(sa.sin_port);
	snprintf(cert_path, sizeof cert_path, "/tmp/cabin-report-cert-%d.pem", (int)getpid());
	/* A certificate valid for 20 more days from the real now. */
	snprintf(cmd, sizeof cmd,
	         "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null "
	         "-subj /CN=cabin-0042 -days 20 -out %s 2>/dev/null", cert_path);
	assert_int_equal(system(cmd), 0);

	struct cab_svc_sources s = {.link = fake_link};
	struct cab_svc_report r;
	int64_t now = (int64_t)time(NULL) * 1000;
	cab_svc_report_network(&s, now, 2000, &r);
	assert_int_equal(r.n, 6);
	char want[128];
	snprintf(want, sizeof want, "Station: wss://127.0.0.1:%d/cabin", port_open);
	assert_string_equal(r.line[0].text, want);
	assert_string_equal(r.line[1].text, "Link: not connected");
	assert_int_equal(r.line[1].level, CAB_SVC_WARN);
	snprintf(want, sizeof want, "Station 127.0.0.1 port %d reachable, round trip ", port_open);
	assert_memory_equal(r.line[2].text, want, strlen(want));
	assert_string_equal(r.line[3].text, "Upload throughput 850 kbit/s acknowledged by the "
	                                    "station (4 message(s) in the last 10 s)");
	assert_int_equal(r.line[3].level, CAB_SVC_INFO);
	assert_non_null(strstr(r.line[4].text, "Cabin certificate \"cabin-0042\": expires "));
	assert_non_null(strstr(r.line[4].text, " - renew it"));
	assert_int_equal(r.line[4].level, CAB_SVC_WARN);
	assert_string_equal(r.line[5].text, "Station CA: not configured");

	close(ls);
	cab_svc_report_network(&s, now, 2000, &r);
	snprintf(want, sizeof want, "Station 127.0.0.1 port %d unreachable: Connection refused", port_open);
	assert_string_equal(r.line[2].text, want);
	assert_int_equal(r.line[2].level, CAB_SVC_BAD);
	unlink(cert_path);
}

static int fake_outbox(void *user, int *pending, int64_t *oldest)
{
	(void)user;
	*pending = 3;
	*oldest = NOW - 2 * 3600 * 1000 - 5000;
	return 0;
}
static int fake_verify(void *user, int64_t *rows, char *why, size_t size)
{
	(void)user;
	*rows = 41;
	snprintf(why, size, "row 17: hash mismatch");
	return 1;
}

static void data_tab(void **state)
{
	(void)state;
	struct cab_svc_sources s = {.outbox = fake_outbox, .verify_audit = fake_verify,
	                            .data_dir = "/tmp", .db_path = "/nonexistent/cabin.db"};
	struct cab_svc_report r;
	cab_svc_report_data(&s, NOW, &r);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.line[0].text, "Outbox: 3 message(s) waiting, oldest 2 h 0 min 5 s old - is the station reachable?");
	assert_int_equal(r.line[0].level, CAB_SVC_WARN);
	assert_memory_equal(r.line[1].text, "Disk: ", 6);
	assert_string_equal(r.line[2].text, "Database: not created yet");
	assert_string_equal(r.line[3].text, "Audit log: BROKEN - row 17: hash mismatch");
	assert_int_equal(r.line[3].level, CAB_SVC_BAD);
}

static void software_and_logs(void **state)
{
	(void)state;
	struct cab_svc_report r;
	cab_svc_report_software("1.2.3", 10000, &r);
	assert_string_equal(r.line[0].text, "Cabin version 1.2.3");
	assert_string_equal(r.line[1].text, "Build: release (no escape keys)");
	assert_string_equal(r.line[2].text, "Credentials: scrypt N=2^15 r=8 p=1, 5 tries then 1/5/30 min lock");
	assert_string_equal(r.line[3].text, "Watchdog: every 10000 ms (systemd)");

	char p[] = "/tmp/cabin-logtail-XXXXXX";
	int fd = mkstemp(p);
	FILE *f = fdopen(fd, "w");
	for (int i = 0; i < 100; i++)
		fprintf(f, "2026-11-29T13:45:%02d.000Z %s app: line %d\n", i % 60,
		        i == 99 ? "ERROR" : i == 98 ? "WARN" : "INFO", i);
	fclose(f);
	cab_svc_report_log_tail(p, &r);
	assert_int_equal(r.n, CAB_SVC_LINES - 1);
	assert_string_equal(r.line[0].text, "2026-11-29T13:45:37.000Z INFO app: line 37");
	assert_string_equal(r.line[r.n - 1].text, "2026-11-29T13:45:39.000Z ERROR app: line 99");
	assert_int_equal(r.line[r.n - 1].level, CAB_SVC_BAD);
	assert_int_equal(r.line[r.n - 2].level, CAB_SVC_WARN);
	unlink(p);
	cab_svc_report_log_tail(p, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.line[0].level, CAB_SVC_WARN);
}

static void url_and_date(void **state)
{
	(void)state;
	char host[64];
	int port;
	assert_int_equal(cab_svc_parse_url("wss://station.example:8443/cabin", host, sizeof host, &port), 0);
	assert_string_equal(host, "station.example");
	assert_int_equal(port, 8443);
	assert_int_equal(cab_svc_parse_url("wss://[::1]/x", host, sizeof host, &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 443);
	assert_int_equal(cab_svc_parse_url("ws://h", host, sizeof host, &port), 0);
	assert_int_equal(port, 80);
	assert_int_equal(cab_svc_parse_url("https://h", host, sizeof host, &port), -1);
	assert_int_equal(cab_svc_parse_url("wss://h:99999", host, sizeof host, &port), -1);
	assert_int_equal(cab_svc_parse_url("wss://", host, sizeof host, &port), -1);
	assert_int_equal(cab_svc_parse_date("2026-11-29"), 1795910400000LL);
	assert_int_equal(cab_svc_parse_date("2026-02-30"), 0);
	assert_int_equal(cab_svc_parse_date("2026-11-29x"), 0);
	assert_int_equal(cab_svc_parse_date(""), 0);
}

/* The link's callbacks feed the watch; the network tab reads it. */
static void link_watch_feeds_network_tab(void **state)
{
	(void)state;
	struct cab_link_watch w;
	struct cab_svc_link l;
	struct cab_svc_report r;
	cab_link_watch_init(&w, "wss://127.0.0.1:1/cabin", "", "");
	struct cab_link_status refused = {CAB_LINK_REFUSED, CAB_REFUSE_NONE, "station certificate has expired", 0};
	cab_link_watch_status(&w, &refused);
	assert_int_equal(cab_link_watch_provider(&w, &l), 0);
	assert_false(l.connected);
	assert_string_equal(l.state_text, "station certificate has expired");
	struct cab_link_status up = {CAB_LINK_CONNECTED, CAB_REFUSE_NONE, "connected", 1};
	cab_link_watch_status(&w, &up);
	cab_link_watch_rtt(&w, 12);
	struct cab_svc_sources s = {.link = cab_link_watch_provider, .link_user = &w};
	cab_svc_report_network(&s, NOW, 500, &r);
	assert_string_equal(r.line[1].text, "Link: connected - protocol version 1");
	assert_int_equal(r.line[1].level, CAB_SVC_OK);
	assert_string_equal(r.line[2].text, "Link round trip (WebSocket ping) 12 ms");
	cab_link_watch_status(&w, &refused);
	cab_link_watch_provider(&w, &l);
	assert_true(l.rtt_ms < 0);
	cab_link_watch_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(instruments_tab),
		cmocka_unit_test(instruments_tab_french),
		cmocka_unit_test(network_tab),
		cmocka_unit_test(data_tab),
		cmocka_unit_test(software_and_logs),
		cmocka_unit_test(url_and_date),
		cmocka_unit_test(link_watch_feeds_network_tab),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
