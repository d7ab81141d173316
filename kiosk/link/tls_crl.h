/* tls_crl.h — certificate revocation for both ends of the link (the cabin's link and
 * the station, cabin link and doctors' console alike): a PEM file of CRLs (RFC 5280
 * section 5) put in the TLS context's trust store beside the CA, checked for every
 * certificate of the chain (OpenSSL 3 X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL),
 * and read again when the file changes (device, inode, size or modification time,
 * looked at before each new handshake), so a CRL replaced at run time takes effect
 * without a restart. Single-threaded: call it from the thread that runs the TLS
 * handshakes. */
#ifndef CABIN_LINK_TLS_CRL_H
#define CABIN_LINK_TLS_CRL_H

#include <openssl/ssl.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* One CRL file and what it was when last loaded. */
struct cab_tls_crl {
	char ca[1024];   /* the CA file (PEM) whose certificates anchor the store */
	char path[1024]; /* the CRL file (PEM, one or more X509 CRLs); "" = no check */
	dev_t dev;       /* what the loaded file was: a change reloads it */
	ino_t ino;
	off_t size;
	struct timespec mtime;
	int loaded;      /* a list is in force */
	int count;       /* CRLs in it */
	int revoked;     /* revoked serials listed in all of them */
};

/* Sets C up for CA and PATH (either may be NULL or ""; PATH "" = no revocation check)
 * and, when PATH is set, loads it into CTX (a new X509_STORE with CA's certificates
 * and the CRLs replaces CTX's; the CRL-check flags are set on CTX's verify
 * parameters). Returns 0, or -1 with "PATH: <what is wrong>" in err[n] (unreadable,
 * no CRL in it, a CRL not in PEM, PATH set without a CA). */
int cab_tls_crl_init(struct cab_tls_crl *c, const char *ca, const char *path, SSL_CTX *ctx,
                     char *err, size_t n);

/* Reloads C's file into CTX when it changed since the last load. Returns 1 when a new
 * list was loaded, 0 when nothing changed (or no CRL is configured), -1 when the
 * changed file cannot be used: the list in force stays (revoked stays revoked) and
 * the next call tries again; err[n] says why. */
int cab_tls_crl_refresh(struct cab_tls_crl *c, SSL_CTX *ctx, char *err, size_t n);

#endif
