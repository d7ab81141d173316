/* test_credentials.c — credentials file, checks with the lockout under an injected
 * clock (1, 5, 30 min; reset after success), persistence across re-opens,
 * configuration hashes, and the exact audit events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/staff/credentials.h"

#define MIN (60 * 1000LL)
#define PIN "482915"
#define PWD "service-cabin-42"

struct fixture {
	char dir[64];
	int64_t now;
	char events[64][96];
	int n_events;
	struct cab_clock clock;
	struct cab_svc_audit audit;
	struct cab_creds c;
};

static int64_t fake_now(void *user)
{
	return ((struct fixture *)user)->now;
}

static void record(void *user, enum cab_role who, const char *what, const char *detail)
{
	struct fixture *f = user;
	if (f->n_events < 64)
		snprintf(f->events[f->n_events++], sizeof f->events[0], "%s %s%s%s", cab_role_name(who),
		         what, *detail ? " " : "", detail);
}

/* Opens (or re-opens) the credentials with cheap scrypt parameters for speed. */
static void reopen(struct fixture *f)
{
	assert_int_equal(cab_creds_open(&f->c, f->dir, &f->clock, &f->audit), 0);
	f->c.params = (struct cab_scrypt_params){10, 8, 1};
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cabin-creds-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->now = 1000000;
	f->clock = (struct cab_clock){fake_now, f};
	f->audit = (struct cab_svc_audit){record, f};
	reopen(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-private'", f->dir, f->dir); /* and the key's directory */
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void read_file(struct fixture *f, const char *name, char *buf, size_t size)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	size_t n = fread(buf, 1, size - 1, fp);
	buf[n] = '\0';
	fclose(fp);
}

static void first_start_and_rules(void **state)
{
	struct fixture *f = *state;
	enum cab_secret_problem why;
	char text[1024], path[128];
	struct stat st;

	assert_false(cab_creds_is_set(&f->c, CAB_ROLE_PHARMACIST));
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_PHARMACIST, PIN, NULL), CAB_AUTH_NOT_SET);
	assert_int_equal(cab_creds_set(&f->c, CAB_ROLE_PHARMACIST, "123456", &why), -EINVAL);
	assert_int_equal(why, CAB_SECRET_TRIVIAL);
	assert_int_equal(cab_creds_set(&f->c, CAB_ROLE_PHARMACIST, "4829", &why), -EINVAL);
	assert_int_equal(why, CAB_SECRET_TOO_SHORT);
	assert_int_equal(cab_creds_set(&f->c, CAB_ROLE_PHARMACIST, PIN, &why), 0);
	assert_int_equal(why, CAB_SECRET_OK);
	assert_int_equal(cab_creds_set(&f->c, CAB_ROLE_TECHNICIAN, "too-short", &why), -EINVAL);
	assert_int_equal(cab_creds_set(&f->c, CAB_ROLE_TECHNICIAN, PWD, &why), 0);
	assert_true(cab_creds_is_set(&f->c, CAB_ROLE_TECHNICIAN));

	snprintf(path, sizeof path, "%s/credentials", f->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	read_file(f, "credentials", text, sizeof text);
	assert_non_null(strstr(text, "\npharmacist $scrypt$ln=10,r=8,p=1$"));
	assert_non_null(strstr(text, "\ntechnician $scrypt$ln=10,r=8,p=1$"));
	assert_null(strstr(text, PIN));
	assert_null(strstr(text, PWD));

	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_PHARMACIST, PIN, NULL), CAB_AUTH_OK);
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_TECHNICIAN, PWD, NULL), CAB_AUTH_OK);
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_TECHNICIAN, PIN, NULL), CAB_AUTH_WRONG);
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_SYSTEM, PIN, NULL), CAB_AUTH_ERROR);

	/* A reopened store knows both. */
	reopen(f);
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_PHARMACIST, PIN, NULL), CAB_AUTH_OK);

	const char *expect[] = {
		"pharmacist auth.not_set",
		"pharmacist credential.rejected rule=4",
		"pharmacist credential.rejected rule=1",
		"pharmacist credential.set first=1",
		"technician credential.rejected rule=1",
		"technician credential.set first=1",
		"pharmacist auth.ok",
		"technician auth.ok",
		"technician auth.fail tries=1",
		"system auth.error reason=role",
		"pharmacist auth.ok",
	};
	assert_int_equal(f->n_events, sizeof expect / sizeof *expect);
	for (int i = 0; i < f->n_events; i++)
		assert_string_equal(f->events[i], expect[i]);
}

/* Five wrong tries at T; returns the wait reported by the fifth. */
static int64_t five_wrong(struct fixture *f, enum cab_role role)
{
	int64_t wait = -1;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(cab_creds_check(&f->c, role, "000001", &wait), CAB_AUTH_WRONG);
		assert_int_equal(wait, 0);
	}
	assert_int_equal(cab_creds_check(&f->c, role, "000001", &wait), CAB_AUTH_LOCKED);
	return wait;
}

static void lockout_escalates_and_resets(void **state)
{
	struct fixture *f = *state;
	int64_t wait;
	assert_int_equal(cab_creds_set(&f->c, CAB_ROLE_PHARMACIST, PIN, NULL), 0);
	f->n_events = 0;

	assert_int_equal(five_wrong(f, CAB_ROLE_PHARMACIST), 1 * MIN);
	/* Locked: even the right PIN is refused without being checked. */
	f->now += 1 * MIN - 1000;
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_PHARMACIST, PIN, &wait), CAB_AUTH_LOCKED);
	assert_int_equal(wait, 1000);
	/* The other role is not affected. */
	assert_int_equal(cab_creds_locked_ms(&f->c, CAB_ROLE_TECHNICIAN), 0);
	f->now += 1000;
	assert_int_equal(five_wrong(f, CAB_ROLE_PHARMACIST), 5 * MIN);
	f->now += 5 * MIN;
	assert_int_equal(five_wrong(f, CAB_ROLE_PHARMACIST), 30 * MIN);
	f->now += 29 * MIN;
	assert_int_equal(cab_creds_locked_ms(&f->c, CAB_ROLE_PHARMACIST), 1 * MIN);
	f->now += 1 * MIN;
	assert_int_equal(five_wrong(f, CAB_ROLE_PHARMACIST), 30 * MIN);
	f->now += 30 * MIN;
	/* A success resets the escalation: the next lock is 1 min again. */
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_PHARMACIST, PIN, &wait), CAB_AUTH_OK);
	assert_int_equal(five_wrong(f, CAB_ROLE_PHARMACIST), 1 * MIN);

	assert_string_equal(f->events[3], "pharmacist auth.fail tries=4");
	assert_string_equal(f->events[4], "pharmacist auth.fail tries=5");
	assert_string_equal(f->events[5], "pharmacist auth.lockout lock=1 seconds=60");
	assert_string_equal(f->events[6], "pharmacist auth.refused remaining_s=1");
	assert_string_equal(f->events[12], "pharmacist auth.lockout lock=2 seconds=300");
	assert_string_equal(f->events[18], "pharmacist auth.lockout lock=3 seconds=1800");
	assert_string_equal(f->events[24], "pharmacist auth.lockout lock=4 seconds=1800");
	assert_string_equal(f->events[25], "pharmacist auth.ok");
	assert_string_equal(f->events[31], "pharmacist auth.lockout lock=1 seconds=60");
	assert_int_equal(f->n_events, 32);
}

static void lockout_survives_restart(void **state)
{
	struct fixture *f = *state;
	char text[256];
	assert_int_equal(cab_creds_set(&f->c, CAB_ROLE_TECHNICIAN, PWD, NULL), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_TECHNICIAN, "wrong-password-1", NULL),
		                 CAB_AUTH_WRONG);
	/* Restart with a clock of another origin: three tries are remembered. */
	f->now = 42;
	reopen(f);
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_TECHNICIAN, "wrong-password-1", NULL),
	                 CAB_AUTH_WRONG);
	int64_t wait;
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_TECHNICIAN, "wrong-password-1", &wait),
	                 CAB_AUTH_LOCKED);
	assert_int_equal(wait, 1 * MIN);
	f->now += 20000;
	read_file(f, "lockout", text, sizeof text);
	assert_string_equal(text, "pharmacist failures=0 locks=0 remaining_ms=0\n"
	                          "technician failures=0 locks=1 remaining_ms=60000\n");
	f->now = 7;
	reopen(f);
	assert_int_equal(cab_creds_locked_ms(&f->c, CAB_ROLE_TECHNICIAN), 1 * MIN);
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_TECHNICIAN, PWD, NULL), CAB_AUTH_LOCKED);
	f->now += 1 * MIN;
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_TECHNICIAN, PWD, NULL), CAB_AUTH_OK);
}

static void damaged_files(void **state)
{
	struct fixture *f = *state;
	char path[128];
	assert_int_equal(cab_creds_set(&f->c, CAB_ROLE_PHARMACIST, PIN, NULL), 0);
	/* A damaged lockout file fails closed: both roles locked 30 min. */
	snprintf(path, sizeof path, "%s/lockout", f->dir);
	FILE *fp = fopen(path, "w");
	fputs("pharmacist failures=banana\n", fp);
	fclose(fp);
	reopen(f);
	assert_int_equal(cab_creds_locked_ms(&f->c, CAB_ROLE_PHARMACIST), 30 * MIN);
	assert_int_equal(cab_creds_locked_ms(&f->c, CAB_ROLE_TECHNICIAN), 30 * MIN);
	/* A credentials file readable by others is refused. */
	snprintf(path, sizeof path, "%s/credentials", f->dir);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(cab_creds_open(&f->c, f->dir, &f->clock, &f->audit), -EPERM);
	assert_false(cab_creds_is_set(&f->c, CAB_ROLE_PHARMACIST));
	/* A malformed one too. */
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(write(fd, "pharmacist 482915\n", 18) == 18);
	close(fd);
	assert_int_equal(cab_creds_open(&f->c, f->dir, &f->clock, &f->audit), -EINVAL);
	assert_false(cab_creds_is_set(&f->c, CAB_ROLE_PHARMACIST));
}

static void change_and_config_hash(void **state)
{
	struct fixture *f = *state;
	char cfg[CAB_KDF_PHC_MAX], cfg2[CAB_KDF_PHC_MAX], weak[CAB_KDF_PHC_MAX];
	const struct cab_scrypt_params p14 = {14, 8, 1};
	enum cab_secret_problem why;

	assert_int_equal(cab_secret_hash("735102", &p14, NULL, 0, cfg, sizeof cfg), 0);
	assert_int_equal(cab_secret_hash("735103", &p14, NULL, 0, cfg2, sizeof cfg2), 0);
	assert_int_equal(cab_secret_hash("735102", &f->c.params, NULL, 0, weak, sizeof weak), 0);
	f->n_events = 0;
	assert_int_equal(cab_creds_apply_config_hash(&f->c, CAB_ROLE_PHARMACIST, weak), -EINVAL);
	assert_int_equal(cab_creds_apply_config_hash(&f->c, CAB_ROLE_PHARMACIST, "735102"), -EINVAL);
	assert_int_equal(cab_creds_apply_config_hash(&f->c, CAB_ROLE_PHARMACIST, cfg), 1);
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_PHARMACIST, "735102", NULL), CAB_AUTH_OK);
	reopen(f);
	assert_int_equal(cab_creds_apply_config_hash(&f->c, CAB_ROLE_PHARMACIST, cfg), 0);
	/* Changed in the service menu: stands while the configuration keeps the old hash. */
	assert_int_equal(cab_creds_change(&f->c, CAB_ROLE_PHARMACIST, "999999", PIN, &why), -EACCES);
	assert_int_equal(cab_creds_change(&f->c, CAB_ROLE_PHARMACIST, "735102", "111111", &why), -EINVAL);
	assert_int_equal(why, CAB_SECRET_TRIVIAL);
	assert_int_equal(cab_creds_change(&f->c, CAB_ROLE_PHARMACIST, "735102", PIN, &why), 0);
	reopen(f);
	assert_int_equal(cab_creds_apply_config_hash(&f->c, CAB_ROLE_PHARMACIST, cfg), 0);
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_PHARMACIST, PIN, NULL), CAB_AUTH_OK);
	/* A new hash in the configuration wins once. */
	assert_int_equal(cab_creds_apply_config_hash(&f->c, CAB_ROLE_PHARMACIST, cfg2), 1);
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_PHARMACIST, PIN, NULL), CAB_AUTH_WRONG);
	assert_int_equal(cab_creds_check(&f->c, CAB_ROLE_PHARMACIST, "735103", NULL), CAB_AUTH_OK);

	const char *expect[] = {
		"pharmacist credential.config_refused",
		"pharmacist credential.config_refused",
		"pharmacist credential.config",
		"pharmacist auth.ok",
		"pharmacist auth.fail tries=1",
		"pharmacist auth.ok",
		"pharmacist credential.rejected rule=4",
		"pharmacist auth.ok",
		"pharmacist credential.set first=0",
		"pharmacist auth.ok",
		"pharmacist credential.config",
		"pharmacist auth.fail tries=1",
		"pharmacist auth.ok",
	};
	assert_int_equal(f->n_events, sizeof expect / sizeof *expect);
	for (int i = 0; i < f->n_events; i++)
		assert_string_equal(f->events[i], expect[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(first_start_and_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(lockout_escalates_and_resets, setup, teardown),
		cmocka_unit_test_setup_teardown(lockout_survives_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(damaged_files, setup, teardown),
		cmocka_unit_test_setup_teardown(change_and_config_hash, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
