/* credentials.h — the pharmacist's PIN and the technician's password: stored only
 * as scrypt PHC strings in DATA_DIR/credentials (mode 0600), checked with the
 * escalating lockout (lockout.h, persisted in DATA_DIR/lockout), every entry,
 * failure, lock and change reported to the audit sink. Format: docs/service.md. */
#ifndef CABIN_STAFF_CREDENTIALS_H
#define CABIN_STAFF_CREDENTIALS_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "kiosk/staff/audit_sink.h"
#include "kdf.h"
#include "kiosk/staff/lockout.h"
#include "kiosk/staff/secret_rules.h"

#define CAB_CREDS_PATH_MAX 512
#define CAB_CREDS_MIN_LOG2N 14 /* weakest scrypt cost accepted from the configuration */

/* The credentials of the cabin. Open with cab_creds_open(); no teardown needed. */
struct cab_creds {
	char dir[CAB_CREDS_PATH_MAX];                           /* data directory */
	char phc[CAB_ROLE_CREDENTIALS][CAB_KDF_PHC_MAX];        /* "" when not set */
	char config_phc[CAB_ROLE_CREDENTIALS][CAB_KDF_PHC_MAX]; /* last hash taken from config */
	struct cab_lockout lock[CAB_ROLE_CREDENTIALS];          /* per role */
	struct cab_clock clock;                                 /* lockout time source */
	struct cab_svc_audit audit;                             /* where events go */
	struct cab_scrypt_params params;                        /* cost of new hashes */
	unsigned min_log2_n;                                    /* floor for config hashes */
};

/* Result of a check. */
enum cab_auth_result {
	CAB_AUTH_OK = 0,  /* the secret matches; the role's lockout is reset */
	CAB_AUTH_WRONG,   /* wrong secret, fewer than 5 in a row */
	CAB_AUTH_LOCKED,  /* locked (now, or by this very try): *wait_ms says how long */
	CAB_AUTH_NOT_SET, /* no credential yet for this role: first start set-up needed */
	CAB_AUTH_ERROR,   /* bad role, KDF or storage failure (logged) */
};

/* Opens the credentials of data directory DIR: reads DIR/credentials and
 * DIR/lockout when they exist (a missing file means "nothing set"). CLOCK (NULL =
 * cab_clock_system) times the lockout; AUDIT (NULL = none) receives events. New
 * hashes use cab_scrypt_default. Returns 0, -ENAMETOOLONG, -EINVAL (a malformed
 * file, logged without its content) or -errno of the read. */
int cab_creds_open(struct cab_creds *c, const char *dir, const struct cab_clock *clock,
                   const struct cab_svc_audit *audit);

/* True when ROLE (pharmacist or technician) has a credential. */
bool cab_creds_is_set(const struct cab_creds *c, enum cab_role role);

/* Checks SECRET for ROLE. While the role is locked the secret is not even
 * checked. WAIT_MS (may be NULL) receives the lock time left for
 * CAB_AUTH_LOCKED, else 0. Audit events: "auth.ok", "auth.fail" (tries=N),
 * "auth.lockout" (lock=L seconds=S), "auth.refused" (remaining_s=S),
 * "auth.not_set", "auth.error". The lockout state is written on every change. */
enum cab_auth_result cab_creds_check(struct cab_creds *c, enum cab_role role, const char *secret,
                                     int64_t *wait_ms);

/* Sets ROLE's credential to SECRET after the rules of secret_rules.h (the caller
 * has authenticated whoever may do this: first start set-up, or the technician in
 * the service menu). Resets the role's lockout. Audit "credential.set" or
 * "credential.rejected" (rule=...). Returns 0; -EINVAL with *PROBLEM set when a
 * rule refuses it; -EIO/-errno when hashing or writing failed. */
int cab_creds_set(struct cab_creds *c, enum cab_role role, const char *secret,
                  enum cab_secret_problem *problem);

/* Changes ROLE's credential knowing the current one: OLD_SECRET goes through
 * cab_creds_check() (lockout applies), then cab_creds_set(). Returns 0;
 * -EACCES when OLD_SECRET is wrong or the role is locked; else as cab_creds_set. */
int cab_creds_change(struct cab_creds *c, enum cab_role role, const char *old_secret,
                     const char *new_secret, enum cab_secret_problem *problem);

/* Applies a hash given in the configuration (never a clear secret): PHC must parse
 * and cost at least 2^min_log2_n. It replaces the stored credential when it differs
 * from the hash last taken from the configuration (so a later change in the
 * service menu stands until the configuration itself changes). Audit
 * "credential.config". Returns 1 when installed, 0 when already applied,
 * -EINVAL for a bad or weak hash, -errno when writing failed. */
int cab_creds_apply_config_hash(struct cab_creds *c, enum cab_role role, const char *phc);

/* Lock time left for ROLE at the clock's now, in ms (0 = may try). */
int64_t cab_creds_locked_ms(struct cab_creds *c, enum cab_role role);

#endif
