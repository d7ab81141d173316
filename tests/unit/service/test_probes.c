/* test_probes.c — deadline states (calibration, certificates), certificate dates
 * read with OpenSSL, TCP probe on loopback, disk and database state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kiosk/service/certinfo.h"
#include "kiosk/service/probes.h"

#define DAY CAB_DAY_MS
static const int64_t NOW = 1795959900000LL; /* 2026-11-29T13:45:00Z */

static void deadline_states(void **state)
{
	(void)state;
	int d;
	assert_int_equal(cab_deadline_state(0, NOW, 30, &d), CAB_DEADLINE_UNKNOWN);
	assert_int_equal(cab_deadline_state(NOW + 31 * DAY, NOW, 30, &d), CAB_DEADLINE_OK);
	assert_int_equal(d, 31);
	assert_int_equal(cab_deadline_state(NOW + 30 * DAY, NOW, 30, &d), CAB_DEADLINE_SOON);
	assert_int_equal(d, 30);
	assert_int_equal(cab_deadline_state(NOW + 1, NOW, 30, &d), CAB_DEADLINE_SOON);
	assert_int_equal(d, 0);
	assert_int_equal(cab_deadline_state(NOW, NOW, 30, &d), CAB_DEADLINE_DUE);
	assert_int_equal(cab_deadline_state(NOW - DAY + 1, NOW, 30, &d), CAB_DEADLINE_DUE);
	assert_int_equal(d, -1);
	assert_int_equal(cab_deadline_state(NOW - DAY, NOW, 30, &d), CAB_DEADLINE_PAST);
	assert_int_equal(d, -1);
	assert_int_equal(cab_deadline_state(NOW - 10 * DAY - 5, NOW, 30, &d), CAB_DEADLINE_PAST);
	assert_int_equal(d, -11);
	assert_string_equal(cab_deadline_name(CAB_DEADLINE_SOON), "soon");
	assert_string_equal(cab_deadline_name(CAB_DEADLINE_PAST), "past");
}

/* Writes a self-signed certificate valid from FROM to TO (epoch s) to PATH. */
static void make_cert(const char *path, const char *cn, time_t from, time_t to)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	assert_non_null(k);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	ASN1_TIME_set(X509_getm_notBefore(x), from);
	ASN1_TIME_set(X509_getm_notAfter(x), to);
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, k);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	PEM_write_X509(f, x);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void certificate_dates(void **state)
{
	(void)state;
	char p[] = "/tmp/cabin-cert-XXXXXX";
	int fd = mkstemp(p);
	struct cab_cert_info ci;
	time_t now = NOW / 1000;
	close(fd);
	make_cert(p, "cabin-0042", now - 300 * 86400, now + 20 * 86400 + 3600);
	assert_int_equal(cab_cert_info_read(p, NOW, &ci), 0);
	assert_string_equal(ci.subject_cn, "cabin-0042");
	assert_string_equal(ci.issuer_cn, "cabin-0042");
	assert_int_equal(ci.not_after_ms, (now + 20 * 86400 + 3600) * 1000LL);
	assert_int_equal(ci.days_left, 20);
	assert_int_equal(ci.state, CAB_DEADLINE_SOON);
	assert_int_equal(ci.not_yet_valid, 0);
	make_cert(p, "station-ca", now - 10, now + 400 * 86400);
	assert_int_equal(cab_cert_info_read(p, NOW, &ci), 0);
	assert_int_equal(ci.state, CAB_DEADLINE_OK);
	assert_int_equal(ci.days_left, 400);
	make_cert(p, "old", now - 400 * 86400, now - 3 * 86400);
	assert_int_equal(cab_cert_info_read(p, NOW, &ci), 0);
	assert_int_equal(ci.state, CAB_DEADLINE_PAST);
	assert_int_equal(ci.days_left, -3);
	make_cert(p, "future", now + 86400, now + 500 * 86400);
	assert_int_equal(cab_cert_info_read(p, NOW, &ci), 0);
	assert_int_equal(ci.not_yet_valid, 1);
	FILE *f = fopen(p, "w");
	fputs("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n", f);
	fclose(f);
	assert_int_equal(cab_cert_info_read(p, NOW, &ci), -EINVAL);
	unlink(p);
	assert_int_equal(cab_cert_info_read(p, NOW, &ci), -ENOENT);
}

static void tcp_probe_loopback(void **state)
{
	(void)state;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sa;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	double rtt = -1;
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(ls, 4), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&sa, &len), 0);
	int port = ntohs(sa.sin_port);
	assert_int_equal(cab_probe_tcp("127.0.0.1", port, 2000, &rtt), 0);
	assert_true(rtt >= 0 && rtt < 2000);
	close(ls);
	/* The port is closed now: refused, immediately. */
	assert_int_equal(cab_probe_tcp("127.0.0.1", port, 2000, &rtt), -ECONNREFUSED);
	assert_int_equal(cab_probe_tcp("127.0.0.1", 0, 2000, &rtt), -EINVAL);
}

static void disk_and_database(void **state)
{
	(void)state;
	struct cab_disk_state ds;
	struct cab_db_state db;
	char p[] = "/tmp/cabin-db-XXXXXX";
	int fd = mkstemp(p);
	close(fd);
	unlink(p);
	assert_int_equal(cab_probe_disk("/tmp", &ds), 0);
	assert_true(ds.total_bytes > 0 && ds.free_bytes <= ds.total_bytes);
	assert_true(ds.used_percent >= 0 && ds.used_percent <= 100);
	assert_int_equal(cab_probe_disk("/nonexistent/dir", &ds), -ENOENT);

	assert_int_equal(cab_probe_db(p, &db), -ENOENT);
	sqlite3 *s;
	assert_int_equal(sqlite3_open(p, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA journal_mode=WAL; PRAGMA user_version=3;"
	                                 "CREATE TABLE t(x); INSERT INTO t VALUES(1);", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(cab_probe_db(p, &db), 0);
	assert_true(db.ok);
	assert_string_equal(db.message, "ok");
	assert_int_equal(db.user_version, 3);
	assert_string_equal(db.journal_mode, "wal");
	assert_int_equal(db.size_bytes, 2 * 4096);
	/* Not a database. */
	FILE *f = fopen(p, "w");
	fputs("this is not an sqlite database, only some text that is long enough to matter\n", f);
	fclose(f);
	char wal[64];
	snprintf(wal, sizeof wal, "%s-wal", p);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", p);
	unlink(wal);
	assert_int_equal(cab_probe_db(p, &db), -EIO);
	assert_false(db.ok);
	assert_string_equal(db.message, "file is not a database");
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deadline_states),
		cmocka_unit_test(certificate_dates),
		cmocka_unit_test(tcp_probe_loopback),
		cmocka_unit_test(disk_and_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
