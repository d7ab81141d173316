/* test_store_binding.c — the service providers and audit sink on a real store and
 * configuration. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/service/store_binding.h"

#include "kiosk/store/store.h"

static void providers_on_a_store(void **state)
{
	(void)state;
	char dir[] = "/tmp/cabin-bind-XXXXXX", cfg[128], msg[256], why[128], text[8192], err[256];
	struct cab_store *st = NULL;
	struct cab_svc_sources s = {0};
	struct cab_svc_audit au;
	struct cab_svc_store_binding b;
	assert_non_null(mkdtemp(dir));
	struct cab_store_options opt = {.data_dir = dir};
	assert_int_equal(cab_store_open(&opt, &st, msg, sizeof msg), 0);
	snprintf(cfg, sizeof cfg, "%s/cabin.ini", dir);
	FILE *f = fopen(cfg, "w");
	fputs("# cabin 42\n[cabin]\nid = cabin-0042\n[station]\nkey_passphrase = s3cret-passphrase\n", f);
	fclose(f);
	cab_svc_bind_store(&b, st, cfg, &s, &au);

	/* Audit events land in the hash chain. */
	int64_t rows0 = 0, rows = 0;
	assert_int_equal(s.verify_audit(s.store_user, &rows0, why, sizeof why), 0);
	au.record(au.user, CAB_ROLE_PHARMACIST, "cleaning.confirmed", "session=- after_s=90");
	au.record(au.user, CAB_ROLE_TECHNICIAN, "menu.open", "");
	assert_int_equal(s.verify_audit(s.store_user, &rows, why, sizeof why), 0);
	assert_int_equal(rows, rows0 + 2);

	int pending = -1;
	int64_t oldest = -1;
	assert_int_equal(s.outbox(s.store_user, &pending, &oldest), 0);
	assert_int_equal(pending, 0);

	struct cab_store_instrument in = {0};
	snprintf(in.kind, sizeof in.kind, "thermometer");
	snprintf(in.model, sizeof in.model, "SIM-T1");
	snprintf(in.serial, sizeof in.serial, "0001");
	snprintf(in.calibration_due, sizeof in.calibration_due, "2027-01-31");
	assert_int_equal(cab_store_instrument_upsert(st, &in), 0);
	struct cab_svc_instrument out[4];
	assert_int_equal(s.instruments(s.devices_user, out, 4), 1);
	assert_string_equal(out[0].kind, "thermometer");
	assert_string_equal(out[0].calibration_due, "2027-01-31");

	assert_int_equal(s.config_text(s.config_user, text, sizeof text), 0);
	assert_non_null(strstr(text, "cabin-0042"));
	assert_true(s.config_set(s.config_user, "cabin.id = bad id!", err, sizeof err) > 0);
	assert_non_null(strstr(err, "cabin.id"));
	assert_int_equal(s.config_set(s.config_user, "no equals sign", err, sizeof err), -EINVAL);
	assert_int_equal(s.config_set(s.config_user, "cabin.id = cabin-0043", err, sizeof err), 0);
	assert_int_equal(s.config_text(s.config_user, text, sizeof text), 0);
	assert_non_null(strstr(text, "cabin-0043"));
	/* The shown text masks the passphrase; an edit keeps the file's real one, its
	 * comments and its other keys. */
	assert_non_null(strstr(text, "key_passphrase = ********"));
	assert_int_equal(s.config_set(s.config_user, "cabin.phone = +33102030405", err, sizeof err), 0);
	f = fopen(cfg, "r");
	size_t got = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[got] = '\0';
	assert_string_equal(text, "# cabin 42\n[cabin]\nid = cabin-0043\nphone = +33102030405\n"
	                          "[station]\nkey_passphrase = s3cret-passphrase\n");

	cab_store_close(st);
	snprintf(msg, sizeof msg, "rm -rf '%s' '%s-private'", dir, dir); /* and the key's directory */
	assert_int_equal(system(msg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(providers_on_a_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
