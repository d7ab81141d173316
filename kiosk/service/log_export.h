/* log_export.h — the technician's export of logs to a USB stick as an encrypted
 * archive: a ustar archive of the log files inside CMS AuthEnvelopedData (RFC 5083)
 * with AES-256-GCM content encryption (RFC 5084) and a password recipient (RFC
 * 3211: PBKDF2 key derivation, AES-256-CBC key wrap). Any machine with OpenSSL
 * opens it: `openssl cms -decrypt -binary -inform DER -in FILE -pwri_password PASS
 * | tar x`. The logs hold no personal data (common/log.h rule); encryption keeps
 * the cabin's technical details private on a stick that may get lost. */
#ifndef CABIN_SERVICE_LOG_EXPORT_H
#define CABIN_SERVICE_LOG_EXPORT_H

#include <stddef.h>

#include "kiosk/staff/audit_sink.h"
#include "kiosk/staff/secret_rules.h"

#define CAB_EXPORT_PBKDF2_ITER 600000   /* PBKDF2 iterations for exports */
#define CAB_EXPORT_FILE_MAX (16u << 20) /* largest log file taken, bytes (tail kept) */
#define CAB_EXPORT_FILES_MAX 32         /* files in one export */

/* What an export wrote. */
struct cab_export_stats {
	unsigned files;   /* files archived */
	size_t tar_bytes; /* archive size before encryption */
	size_t out_bytes; /* size of the encrypted file */
};

/* Archives the N files of PATHS as "cabin-logs/<basename>" (a file larger than
 * CAB_EXPORT_FILE_MAX keeps its last CAB_EXPORT_FILE_MAX bytes; a missing file is
 * skipped), encrypts with PASSPHRASE (technician password rules: >= 12 characters,
 * checked into *PROBLEM when not NULL) and PBKDF2 ITER iterations (0 =
 * CAB_EXPORT_PBKDF2_ITER), and writes DEST atomically (mode 0600). Audit
 * "logs.exported" (files=N bytes=B) as technician. Returns 0; -EINVAL for a weak
 * passphrase or N out of 1..CAB_EXPORT_FILES_MAX; -ENOENT when no file could be read;
 * -EFBIG, -ENOMEM, -EIO (OpenSSL) or -errno of the write. */
int cab_logs_export(const char *const *paths, size_t n, const char *dest, const char *passphrase,
                    unsigned iter, const struct cab_svc_audit *audit,
                    struct cab_export_stats *stats, enum cab_secret_problem *problem);

#endif
