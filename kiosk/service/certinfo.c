/* certinfo.c — certificate dates and names via OpenSSL (see certinfo.h). */
#include "kiosk/service/certinfo.h"

#include <errno.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int asn1_to_ms(const ASN1_TIME *t, int64_t *ms)
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return -1;
	*ms = (int64_t)timegm(&tm) * 1000;
	return 0;
}

static void cn_of(const X509_NAME *name, char *buf, size_t size)
{
	buf[0] = '\0';
	if (name &&
	    X509_NAME_get_text_by_NID((X509_NAME *)name, NID_commonName, buf, (int)size) < 0)
		buf[0] = '\0';
}

int cab_cert_info_read(const char *path, int64_t now_ms, struct cab_cert_info *out)
{
	int rc = -EINVAL;
	X509 *x = NULL;
	FILE *f = fopen(path, "r");
	memset(out, 0, sizeof *out);
	if (!f)
		return -errno;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ERR_clear_error();
	if (!x)
		goto out;
	if (asn1_to_ms(X509_get0_notBefore(x), &out->not_before_ms) ||
	    asn1_to_ms(X509_get0_notAfter(x), &out->not_after_ms))
		goto out;
	cn_of(X509_get_subject_name(x), out->subject_cn, sizeof out->subject_cn);
	cn_of(X509_get_issuer_name(x), out->issuer_cn, sizeof out->issuer_cn);
	out->state = cab_deadline_state(out->not_after_ms, now_ms, CAB_WARN_DAYS, &out->days_left);
	out->not_yet_valid = now_ms < out->not_before_ms;
	rc = 0;
out:
	X509_free(x);
	return rc;
}
