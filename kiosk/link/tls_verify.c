/* tls_verify.c — see tls_verify.h. Alert numbers from RFC 8446 6.2; verify errors
 * from OpenSSL's x509_vfy.h. */
#include "kiosk/link/tls_verify.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>

static const char *const names[CAB_REFUSE__COUNT] = {
    [CAB_REFUSE_NONE] = "none",
    [CAB_REFUSE_UNKNOWN_CA] = "unknown-ca",
    [CAB_REFUSE_EXPIRED] = "expired",
    [CAB_REFUSE_NOT_YET_VALID] = "not-yet-valid",
    [CAB_REFUSE_HOSTNAME] = "hostname",
    [CAB_REFUSE_PIN] = "pin",
    [CAB_REFUSE_TLS_VERSION] = "tls-version",
    [CAB_REFUSE_NO_CLIENT_CERT] = "no-client-cert",
    [CAB_REFUSE_CLIENT_CERT] = "client-cert",
    [CAB_REFUSE_PROTOCOL] = "protocol-version",
    [CAB_REFUSE_CERT_OTHER] = "certificate",
    [CAB_REFUSE_CONFIG] = "config",
    [CAB_REFUSE_REVOKED] = "revoked",
    [CAB_REFUSE_CRL] = "crl",
};

const char *cab_refusal_name(enum cab_link_refusal r)
{
	return (unsigned)r < CAB_REFUSE__COUNT ? names[r] : "none";
}

enum cab_link_refusal cab_tls_classify_verify(int e, const char *who, char *msg, size_t n)
{
	switch (e) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		snprintf(msg, n, "%s certificate has expired", who);
		return CAB_REFUSE_EXPIRED;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		snprintf(msg, n, "%s certificate is not yet valid", who);
		return CAB_REFUSE_NOT_YET_VALID;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		snprintf(msg, n, "%s certificate is not issued by a trusted CA (unknown CA: %s)",
		         who, X509_verify_cert_error_string(e));
		return CAB_REFUSE_UNKNOWN_CA;
	case X509_V_ERR_CERT_REVOKED:
		snprintf(msg, n, "%s certificate revoked", who);
		return CAB_REFUSE_REVOKED;
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
	case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
	case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
		snprintf(msg, n, "%s certificate cannot be checked for revocation (CRL: %s)", who,
		         X509_verify_cert_error_string(e));
		return CAB_REFUSE_CRL;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		snprintf(msg, n, "%s certificate is for another host name (host name mismatch)",
		         who);
		return CAB_REFUSE_HOSTNAME;
	default:
		snprintf(msg, n, "%s certificate refused: %s", who,
		         X509_verify_cert_error_string(e));
		return CAB_REFUSE_CERT_OTHER;
	}
}

void cab_tls_serial_hex(const X509 *cert, char *out, size_t n)
{
	const ASN1_INTEGER *sn = cert ? X509_get0_serialNumber(cert) : NULL;
	BIGNUM *bn = sn ? ASN1_INTEGER_to_BN(sn, NULL) : NULL;
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	snprintf(out, n, "%s", hex ? hex : "?");
	OPENSSL_free(hex);
	BN_free(bn);
}

enum cab_link_refusal cab_tls_classify_store(X509_STORE_CTX *xs, const char *who, char *msg,
                                             size_t n)
{
	int e = X509_STORE_CTX_get_error(xs);
	enum cab_link_refusal r = cab_tls_classify_verify(e, who, msg, n);
	if (r == CAB_REFUSE_REVOKED) {
		char serial[80];
		cab_tls_serial_hex(X509_STORE_CTX_get_current_cert(xs), serial, sizeof serial);
		snprintf(msg, n, "%s certificate revoked (serial %s, depth %d)", who, serial,
		         X509_STORE_CTX_get_error_depth(xs));
	}
	return r;
}

enum cab_link_refusal cab_tls_classify_alert(int alert, int sent, char *msg, size_t n)
{
	const char *desc = SSL_alert_desc_string_long(alert);
	if (alert == SSL3_AD_CLOSE_NOTIFY)
		return CAB_REFUSE_NONE;
	if (alert == SSL_AD_PROTOCOL_VERSION) {
		snprintf(msg, n,
		         "the peer does not speak TLS 1.3 (TLS below 1.3 refused; alert %s %s)",
		         sent ? "sent:" : "received:", desc);
		return CAB_REFUSE_TLS_VERSION;
	}
	if (sent)
		return CAB_REFUSE_NONE; /* our own certificate alerts come with a verify error */
	switch (alert) {
	case 116: /* certificate_required, RFC 8446 6.2 */
		snprintf(msg, n,
		         "the station requires a client certificate and the cabin sent none "
		         "(missing client certificate)");
		return CAB_REFUSE_NO_CLIENT_CERT;
	case SSL_AD_CERTIFICATE_REVOKED:
		snprintf(msg, n, "the station says the cabin certificate is revoked (alert: %s)",
		         desc);
		return CAB_REFUSE_REVOKED;
	case SSL_AD_CERTIFICATE_EXPIRED:
	case SSL_AD_UNKNOWN_CA:
	case SSL_AD_BAD_CERTIFICATE:
	case SSL_AD_CERTIFICATE_UNKNOWN:
	case SSL_AD_UNSUPPORTED_CERTIFICATE:
		snprintf(msg, n, "the station refused the cabin certificate (alert: %s)", desc);
		return CAB_REFUSE_CLIENT_CERT;
	case SSL_AD_HANDSHAKE_FAILURE:
		snprintf(msg, n, "the station refused the TLS handshake (alert: %s)", desc);
		return CAB_REFUSE_CERT_OTHER;
	default:
		snprintf(msg, n, "the station sent TLS alert: %s", desc);
		return CAB_REFUSE_CERT_OTHER;
	}
}

int cab_tls_spki_sha256(X509 *cert, unsigned char out[32])
{
	unsigned char *der = NULL;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	unsigned int olen = 0;
	int rc = -1;
	if (len > 0 && EVP_Digest(der, (size_t)len, out, &olen, EVP_sha256(), NULL) == 1 &&
	    olen == 32)
		rc = 0;
	OPENSSL_free(der);
	return rc;
}

int cab_tls_parse_pin(const char *text, unsigned char out[32])
{
	int k = 0, half = -1;
	for (const char *p = text; p && *p; p++) {
		int v;
		if (*p == ':')
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			v = *p - 'A' + 10;
		else
			return -1;
		if (half < 0) {
			half = v;
		} else {
			if (k == 32)
				return -1;
			out[k++] = (unsigned char)(half << 4 | v);
			half = -1;
		}
	}
	return k == 32 && half < 0 ? 0 : -1;
}
