/* tls_verify.h — certificate checks and plain-language TLS failure messages shared
 * by the cabin's link and the station: OpenSSL verify errors and TLS alerts mapped
 * to a refusal kind and a message that says which check failed; SPKI pins. */
#ifndef CABIN_LINK_TLS_VERIFY_H
#define CABIN_LINK_TLS_VERIFY_H

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stddef.h>

/* Why a connection was refused (docs/link.md, "Refusals"). */
enum cab_link_refusal {
	CAB_REFUSE_NONE = 0,
	CAB_REFUSE_UNKNOWN_CA,     /* peer certificate not issued by the configured CA */
	CAB_REFUSE_EXPIRED,        /* peer certificate expired */
	CAB_REFUSE_NOT_YET_VALID,  /* peer certificate not yet valid */
	CAB_REFUSE_HOSTNAME,       /* station certificate not for the host name dialled */
	CAB_REFUSE_PIN,            /* station public key does not match the pin */
	CAB_REFUSE_TLS_VERSION,    /* peer does not speak TLS 1.3 */
	CAB_REFUSE_NO_CLIENT_CERT, /* station requires a client certificate, none sent */
	CAB_REFUSE_CLIENT_CERT,    /* station refused the cabin's certificate */
	CAB_REFUSE_PROTOCOL,       /* no common link protocol version */
	CAB_REFUSE_CERT_OTHER,     /* another certificate problem */
	CAB_REFUSE_CONFIG,         /* local configuration unusable (files, no CA/pin) */
	CAB_REFUSE_REVOKED,        /* peer certificate (or its CA) is on the CRL, or the
	                              station says ours is (alert certificate_revoked) */
	CAB_REFUSE_CRL,            /* the CRL itself is unusable for this chain (none for
	                              the issuer, expired, bad signature) */
	CAB_REFUSE__COUNT
};

/* Short stable name of a refusal ("unknown-ca", "expired", "not-yet-valid",
 * "hostname", "pin", "tls-version", "no-client-cert", "client-cert",
 * "protocol-version", "certificate", "config", "revoked", "crl", "none"). */
const char *cab_refusal_name(enum cab_link_refusal r);

/* Maps an OpenSSL X509_V_ERR_* code (X509_STORE_CTX_get_error) to a refusal and
 * writes a message naming the failed check to MSG ("station certificate has
 * expired", ...). WHO is "station" or "cabin". */
enum cab_link_refusal cab_tls_classify_verify(int x509_err, const char *who, char *msg, size_t n);

/* The same for the error of a verification under way (XS), naming the certificate:
 * a revoked one gets "WHO certificate revoked (serial HEX, depth D)" where HEX is
 * its serial number in upper-case hex (RFC 5280 4.1.2.2) as the CRL lists it. */
enum cab_link_refusal cab_tls_classify_store(X509_STORE_CTX *xs, const char *who, char *msg,
                                             size_t n);

/* Writes CERT's serial number as upper-case hex digits into OUT ("?" if none). */
void cab_tls_serial_hex(const X509 *cert, char *out, size_t n);

/* Maps a TLS alert (RFC 8446 6.2 AlertDescription) received from the peer (SENT 0)
 * or sent by us (SENT 1) to a refusal and a message. Returns CAB_REFUSE_NONE for
 * alerts that are no refusal (close_notify). */
enum cab_link_refusal cab_tls_classify_alert(int alert, int sent, char *msg, size_t n);

/* SHA-256 of the DER SubjectPublicKeyInfo of CERT (RFC 7469 2.4 pin) into OUT.
 * Returns 0, or -1. */
int cab_tls_spki_sha256(X509 *cert, unsigned char out[32]);

/* Parses a pin written as 64 hex digits (colons allowed) into OUT. 0, or -1. */
int cab_tls_parse_pin(const char *text, unsigned char out[32]);

#endif
