/* credentials.c — PIN/password storage, checking with lockout, and audit events
 * (see credentials.h; file formats in docs/service.md). */
#include "kiosk/staff/credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "log.h"

#define CREDS_FILE "credentials"
#define LOCK_FILE "lockout"
#define FILE_MAX 4096 /* both files are a few lines long */

static bool role_ok(enum cab_role role)
{
	return role == CAB_ROLE_PHARMACIST || role == CAB_ROLE_TECHNICIAN;
}

static int64_t now(const struct cab_creds *c)
{
	return c->clock.now_ms(c->clock.user);
}

static int role_from(const char *word, size_t len, const char *prefix)
{
	size_t pl = strlen(prefix);
	if (len <= pl || strncmp(word, prefix, pl))
		return -1;
	word += pl;
	len -= pl;
	for (int r = 0; r < CAB_ROLE_CREDENTIALS; r++)
		if (strlen(cab_role_name(r)) == len && !strncmp(word, cab_role_name(r), len))
			return r;
	return -1;
}

/* Parses the credentials file: "#" comments, "<role> <phc>" and
 * "config-<role> <phc>" lines. */
static int parse_creds(struct cab_creds *c, char *text)
{
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *sp = strchr(line, ' ');
		struct cab_phc phc;
		int r;
		if (!sp || cab_phc_parse(sp + 1, &phc))
			return -EINVAL;
		if ((r = role_from(line, (size_t)(sp - line), "")) >= 0)
			snprintf(c->phc[r], sizeof c->phc[r], "%s", sp + 1);
		else if ((r = role_from(line, (size_t)(sp - line), "config-")) >= 0)
			snprintf(c->config_phc[r], sizeof c->config_phc[r], "%s", sp + 1);
		else
			return -EINVAL;
	}
	return 0;
}

static int parse_lockout(struct cab_creds *c, char *text)
{
	int64_t t = now(c);
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *sp = strchr(line, ' ');
		int r = sp ? role_from(line, (size_t)(sp - line), "") : -1;
		if (r < 0 || cab_lockout_parse(&c->lock[r], sp + 1, t))
			return -EINVAL;
	}
	return 0;
}

static int save_creds(struct cab_creds *c)
{
	char buf[FILE_MAX];
	size_t n = 0;
	n += (size_t)snprintf(
	    buf, sizeof buf,
	    "# Cabin credentials: scrypt PHC strings (RFC 7914), see docs/service.md\n");
	for (int r = 0; r < CAB_ROLE_CREDENTIALS; r++) {
		if (c->phc[r][0])
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s %s\n", cab_role_name(r),
			                      c->phc[r]);
		if (c->config_phc[r][0])
			n += (size_t)snprintf(buf + n, sizeof buf - n, "config-%s %s\n",
			                      cab_role_name(r), c->config_phc[r]);
	}
	int rc = cab_atomic_write(c->dir, CREDS_FILE, buf, n);
	if (rc)
		cab_err("service", "cannot write the credentials file: %s", strerror(-rc));
	return rc;
}

static int save_lockout(struct cab_creds *c)
{
	char buf[512];
	size_t n = 0;
	int64_t t = now(c);
	for (int r = 0; r < CAB_ROLE_CREDENTIALS; r++) {
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s ", cab_role_name(r));
		int k = cab_lockout_format(&c->lock[r], t, buf + n, sizeof buf - n);
		if (k < 0)
			return -EOVERFLOW;
		n += (size_t)k;
	}
	int rc = cab_atomic_write(c->dir, LOCK_FILE, buf, n);
	if (rc)
		cab_err("service", "cannot write the lockout file: %s", strerror(-rc));
	return rc;
}

int cab_creds_open(struct cab_creds *c, const char *dir, const struct cab_clock *clock,
                   const struct cab_svc_audit *audit)
{
	char text[FILE_MAX];
	int rc;

	memset(c, 0, sizeof *c);
	c->clock = clock ? *clock : cab_clock_system;
	if (audit)
		c->audit = *audit;
	c->params = cab_scrypt_default;
	c->min_log2_n = CAB_CREDS_MIN_LOG2N;
	if (strlen(dir) >= sizeof c->dir)
		return -ENAMETOOLONG;
	snprintf(c->dir, sizeof c->dir, "%s", dir);

	rc = cab_file_read(c->dir, CREDS_FILE, text, sizeof text);
	if (rc >= 0 && (rc = parse_creds(c, text)) < 0) {
		cab_err("service", "the credentials file in %s is malformed", c->dir);
		memset(c->phc, 0, sizeof c->phc);
		memset(c->config_phc, 0, sizeof c->config_phc);
		return rc;
	}
	if (rc < 0 && rc != -ENOENT)
		return rc;
	rc = cab_file_read(c->dir, LOCK_FILE, text, sizeof text);
	if (rc >= 0 && (rc = parse_lockout(c, text)) < 0) {
		/* Fail closed: a damaged lockout file locks both roles for the longest delay. */
		cab_err("service", "the lockout file in %s is malformed: both roles locked",
		        c->dir);
		for (int r = 0; r < CAB_ROLE_CREDENTIALS; r++) {
			c->lock[r].failures = 0;
			c->lock[r].locks = 2;
			c->lock[r].locked_until_ms = now(c) + cab_lockout_delays_ms[2];
		}
		return 0;
	}
	if (rc < 0 && rc != -ENOENT)
		return rc;
	return 0;
}

bool cab_creds_is_set(const struct cab_creds *c, enum cab_role role)
{
	return role_ok(role) && c->phc[role][0] != '\0';
}

int64_t cab_creds_locked_ms(struct cab_creds *c, enum cab_role role)
{
	return role_ok(role) ? cab_lockout_remaining(&c->lock[role], now(c)) : 0;
}

enum cab_auth_result cab_creds_check(struct cab_creds *c, enum cab_role role, const char *secret,
                                     int64_t *wait_ms)
{
	int64_t left, delay, dummy;
	int v;

	if (!wait_ms)
		wait_ms = &dummy;
	*wait_ms = 0;
	if (!role_ok(role)) {
		cab_svc_audit_emit(&c->audit, CAB_ROLE_SYSTEM, "auth.error", "reason=role");
		return CAB_AUTH_ERROR;
	}
	struct cab_lockout before = c->lock[role];
	left = cab_lockout_remaining(&c->lock[role], now(c));
	if (left > 0) {
		*wait_ms = left;
		cab_svc_audit_emitf(&c->audit, role, "auth.refused", "remaining_s=%" PRId64,
		                    (left + 999) / 1000);
		return CAB_AUTH_LOCKED;
	}
	if (!c->phc[role][0]) {
		cab_svc_audit_emit(&c->audit, role, "auth.not_set", NULL);
		return CAB_AUTH_NOT_SET;
	}
	v = cab_secret_verify(c->phc[role], secret ? secret : "");
	if (v < 0) {
		cab_svc_audit_emit(&c->audit, role, "auth.error", "reason=kdf");
		return CAB_AUTH_ERROR;
	}
	if (v == 1) {
		cab_lockout_success(&c->lock[role]);
		if (memcmp(&before, &c->lock[role], sizeof before))
			save_lockout(c);
		cab_svc_audit_emit(&c->audit, role, "auth.ok", NULL);
		return CAB_AUTH_OK;
	}
	unsigned tries = c->lock[role].failures + 1;
	delay = cab_lockout_fail(&c->lock[role], now(c));
	save_lockout(c);
	cab_svc_audit_emitf(&c->audit, role, "auth.fail", "tries=%u", tries);
	if (delay) {
		*wait_ms = delay;
		cab_svc_audit_emitf(&c->audit, role, "auth.lockout", "lock=%u seconds=%" PRId64,
		                    c->lock[role].locks, delay / 1000);
		return CAB_AUTH_LOCKED;
	}
	return CAB_AUTH_WRONG;
}

int cab_creds_set(struct cab_creds *c, enum cab_role role, const char *secret,
                  enum cab_secret_problem *problem)
{
	enum cab_secret_problem dummy;
	char phc[CAB_KDF_PHC_MAX];
	int rc;

	if (!problem)
		problem = &dummy;
	*problem = cab_secret_check(role, secret);
	if (*problem != CAB_SECRET_OK) {
		if (role_ok(role))
			cab_svc_audit_emitf(&c->audit, role, "credential.rejected", "rule=%d",
			                    (int)*problem);
		return -EINVAL;
	}
	if (cab_secret_hash(secret, &c->params, NULL, 0, phc, sizeof phc))
		return -EIO;
	bool was_set = c->phc[role][0] != '\0';
	char old[CAB_KDF_PHC_MAX];
	memcpy(old, c->phc[role], sizeof old);
	memcpy(c->phc[role], phc, sizeof phc);
	if ((rc = save_creds(c))) {
		memcpy(c->phc[role], old, sizeof old);
		return rc;
	}
	cab_lockout_success(&c->lock[role]);
	save_lockout(c);
	cab_svc_audit_emit(&c->audit, role, "credential.set", was_set ? "first=0" : "first=1");
	return 0;
}

int cab_creds_change(struct cab_creds *c, enum cab_role role, const char *old_secret,
                     const char *new_secret, enum cab_secret_problem *problem)
{
	enum cab_secret_problem dummy;
	if (!problem)
		problem = &dummy;
	*problem = CAB_SECRET_OK;
	enum cab_auth_result r = cab_creds_check(c, role, old_secret, NULL);
	if (r == CAB_AUTH_ERROR)
		return -EIO;
	if (r != CAB_AUTH_OK)
		return -EACCES;
	return cab_creds_set(c, role, new_secret, problem);
}

int cab_creds_apply_config_hash(struct cab_creds *c, enum cab_role role, const char *phc)
{
	struct cab_phc p;
	int rc;
	if (!role_ok(role) || cab_phc_parse(phc, &p) || p.params.log2_n < c->min_log2_n ||
	    p.salt_len < 16 || p.hash_len < 32) {
		cab_svc_audit_emit(&c->audit, role_ok(role) ? role : CAB_ROLE_SYSTEM,
		                   "credential.config_refused", NULL);
		return -EINVAL;
	}
	if (!strcmp(c->config_phc[role], phc))
		return 0;
	char old[CAB_KDF_PHC_MAX], old_cfg[CAB_KDF_PHC_MAX];
	memcpy(old, c->phc[role], sizeof old);
	memcpy(old_cfg, c->config_phc[role], sizeof old_cfg);
	snprintf(c->phc[role], sizeof c->phc[role], "%s", phc);
	snprintf(c->config_phc[role], sizeof c->config_phc[role], "%s", phc);
	if ((rc = save_creds(c))) {
		memcpy(c->phc[role], old, sizeof old);
		memcpy(c->config_phc[role], old_cfg, sizeof old_cfg);
		return rc;
	}
	cab_lockout_success(&c->lock[role]);
	save_lockout(c);
	cab_svc_audit_emit(&c->audit, role, "credential.config", NULL);
	return 1;
}
