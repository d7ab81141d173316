/* test_log_export.c — the encrypted log export opened with standard tools: the
 * openssl CLI decrypts it (CMS, password recipient) and tar lists and extracts it;
 * contents exact, wrong passphrase refused, weak passphrase refused, audit event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosk/service/log_export.h"
#include "ustar.h"

static char dir[64];
static char last_event[128];

static void record(void *user, enum cab_role who, const char *what, const char *detail)
{
	(void)user;
	snprintf(last_event, sizeof last_event, "%s %s %s", cab_role_name(who), what, detail);
}

static void put(const char *name, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *cmd)
{
	static char out[8192];
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	return st == 0 ? out : NULL;
}

static void export_opens_with_openssl_and_tar(void **state)
{
	(void)state;
	char p1[128], p2[128], p3[128], dest[128], cmd[768];
	struct cab_export_stats st;
	struct cab_svc_audit au = {record, NULL};
	struct stat sb;

	snprintf(dir, sizeof dir, "/tmp/cabin-export-XXXXXX");
	assert_non_null(mkdtemp(dir));
	put("cabin.log", "2026-11-29T13:45:00.123Z INFO flow: session s-1 started\n");
	put("devices.log", "2026-11-29T13:45:01.000Z WARN devices: oximeter signal weak\n");
	snprintf(p1, sizeof p1, "%s/cabin.log", dir);
	snprintf(p2, sizeof p2, "%s/devices.log", dir);
	snprintf(p3, sizeof p3, "%s/absent.log", dir);
	snprintf(dest, sizeof dest, "%s/cabin-logs.cms", dir);
	const char *paths[] = {p1, p3, p2};

	enum cab_secret_problem why;
	assert_int_equal(cab_logs_export(paths, 3, dest, "short", 1000, &au, &st, &why), -EINVAL);
	assert_int_equal(why, CAB_SECRET_TOO_SHORT);
	assert_int_equal(cab_logs_export(paths, 3, dest, "export-pass-2026", 1000, &au, &st, &why), 0);
	assert_int_equal(st.files, 2);
	/* two headers + two one-block bodies + two end blocks */
	assert_int_equal(st.tar_bytes, 6 * 512);
	assert_true(st.out_bytes > st.tar_bytes);
	assert_int_equal(stat(dest, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal((size_t)sb.st_size, st.out_bytes);
	char want[64];
	snprintf(want, sizeof want, "technician logs.exported files=2 bytes=%zu", st.out_bytes);
	assert_string_equal(last_event, want);

	/* The structure is CMS AuthEnvelopedData with AES-256-GCM and PBKDF2. */
	snprintf(cmd, sizeof cmd, "openssl asn1parse -inform DER -in '%s'", dest);
	char *asn = slurp(cmd);
	assert_non_null(asn);
	assert_non_null(strstr(asn, "id-smime-ct-authEnvelopedData"));
	assert_non_null(strstr(asn, "aes-256-gcm"));
	assert_non_null(strstr(asn, "PBKDF2"));
	assert_null(strstr(asn, "session s-1"));

	snprintf(cmd, sizeof cmd,
	         "openssl cms -decrypt -binary -inform DER -in '%s' -pwri_password export-pass-2026 "
	         "| tar -tvf - | awk '{print $1, $3, $6}'", dest);
	char *list = slurp(cmd);
	assert_non_null(list);
	assert_string_equal(list, "-rw------- 56 cabin-logs/cabin.log\n"
	                          "-rw------- 60 cabin-logs/devices.log\n");
	snprintf(cmd, sizeof cmd,
	         "openssl cms -decrypt -binary -inform DER -in '%s' -pwri_password export-pass-2026 "
	         "| tar -xOf - cabin-logs/devices.log", dest);
	char *body = slurp(cmd);
	assert_non_null(body);
	assert_string_equal(body, "2026-11-29T13:45:01.000Z WARN devices: oximeter signal weak\n");
	snprintf(cmd, sizeof cmd,
	         "openssl cms -decrypt -binary -inform DER -in '%s' -pwri_password export-pass-2027 "
	         ">/dev/null 2>&1", dest);
	assert_null(slurp(cmd));

	/* Nothing readable: nothing written. */
	const char *none[] = {p3};
	assert_int_equal(cab_logs_export(none, 1, dest, "export-pass-2026", 1000, &au, &st, NULL), -ENOENT);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-private'", dir, dir); /* and the key's directory */
	assert_int_equal(system(cmd), 0);
}

static void ustar_bounds(void **state)
{
	(void)state;
	struct cab_ustar t = {0};
	assert_int_equal(cab_ustar_add(&t, "../etc/passwd", "x", 1, 0), -ENAMETOOLONG);
	assert_int_equal(cab_ustar_add(&t, "ok.txt", "x", 1, 0), -ENAMETOOLONG); /* sticky */
	cab_ustar_free(&t);
	assert_int_equal(cab_ustar_add(&t, "/abs", "x", 1, 0), -ENAMETOOLONG);
	cab_ustar_free(&t);
	assert_int_equal(cab_ustar_add(&t, "big", "x", CAB_USTAR_MAX, 0), -EFBIG);
	cab_ustar_free(&t);
	assert_int_equal(cab_ustar_add(&t, "a.txt", "hello", 5, 1795959900), 0);
	assert_int_equal(cab_ustar_finish(&t), 0);
	assert_int_equal(t.len, 4 * 512);
	/* Header fields at their POSIX offsets. */
	assert_string_equal((char *)t.buf, "a.txt");
	assert_string_equal((char *)t.buf + 124, "00000000005");
	assert_string_equal((char *)t.buf + 136, "15303026134");
	assert_memory_equal(t.buf + 257, "ustar\0" "00", 8);
	assert_memory_equal(t.buf + 512, "hello", 5);
	cab_ustar_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(export_opens_with_openssl_and_tar),
		cmocka_unit_test(ustar_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
