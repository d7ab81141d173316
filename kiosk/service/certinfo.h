/* certinfo.h — what the service menu shows about the link's certificates (the
 * cabin's device certificate, the station CA): subject, issuer and validity
 * dates read from PEM files with OpenSSL, with the 30-day expiry warning. */
#ifndef CABIN_SERVICE_CERTINFO_H
#define CABIN_SERVICE_CERTINFO_H

#include <stdint.h>

#include "kiosk/service/deadline.h"

/* One certificate. */
struct cab_cert_info {
	char subject_cn[128];          /* commonName of the subject, or "" */
	char issuer_cn[128];           /* commonName of the issuer, or "" */
	int64_t not_before_ms;         /* validity start, epoch ms (RFC 5280 §4.1.2.5) */
	int64_t not_after_ms;          /* validity end, epoch ms */
	int days_left;                 /* whole days until not_after */
	enum cab_deadline_state state; /* of not_after, CAB_WARN_DAYS window */
	int not_yet_valid;             /* 1 when now < not_before */
};

/* Reads the first certificate of the PEM file PATH and rates it at NOW_MS.
 * Returns 0, -ENOENT/-errno when the file cannot be opened, -EINVAL when it holds
 * no readable certificate. */
int cab_cert_info_read(const char *path, int64_t now_ms, struct cab_cert_info *out);

#endif
