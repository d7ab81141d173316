/* tls_crl.c — see tls_crl.h. A reload builds a whole new store (CA certificates and
 * CRLs) and swaps it into the SSL_CTX: an X509_STORE cannot drop a CRL it holds, and
 * a handshake under way on this thread has finished its verification by then. */
#include "kiosk/link/tls_crl.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int same_file(const struct cab_tls_crl *c, const struct stat *s)
{
	return c->loaded && c->dev == s->st_dev && c->ino == s->st_ino && c->size == s->st_size &&
	       c->mtime.tv_sec == s->st_mtim.tv_sec && c->mtime.tv_nsec == s->st_mtim.tv_nsec;
}

/* A new store holding CA's certificates and PATH's CRLs; counts into *NCRL, *NREV. */
static X509_STORE *build(const struct cab_tls_crl *c, int *ncrl, int *nrev, char *err, size_t n)
{
	X509_STORE *st = X509_STORE_new();
	BIO *b = NULL;
	STACK_OF(X509_INFO) *infos = NULL;
	*ncrl = *nrev = 0;
	if (!st) {
		snprintf(err, n, "%s: out of memory", c->path);
		return NULL;
	}
	if (X509_STORE_load_file(st, c->ca) != 1) {
		snprintf(err, n, "%s: cannot load the CA: %s", c->ca,
		         ERR_reason_error_string(ERR_peek_last_error()));
		goto fail;
	}
	if (!(b = BIO_new_file(c->path, "r"))) {
		snprintf(err, n, "%s: cannot open: %s", c->path, strerror(errno));
		goto fail;
	}
	infos = PEM_X509_INFO_read_bio(b, NULL, NULL, NULL);
	if (!infos) {
		snprintf(err, n, "%s: not a PEM CRL file: %s", c->path,
		         ERR_reason_error_string(ERR_peek_last_error()));
		goto fail;
	}
	for (int i = 0; i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *xi = sk_X509_INFO_value(infos, i);
		if (!xi->crl)
			continue;
		if (X509_STORE_add_crl(st, xi->crl) != 1) {
			snprintf(err, n, "%s: cannot use CRL %d", c->path, i + 1);
			goto fail;
		}
		STACK_OF(X509_REVOKED) *rv = X509_CRL_get_REVOKED(xi->crl);
		*nrev += rv ? sk_X509_REVOKED_num(rv) : 0;
		(*ncrl)++;
	}
	if (!*ncrl) {
		snprintf(err, n, "%s: no CRL in the file (PEM \"X509 CRL\" expected)", c->path);
		goto fail;
	}
	X509_STORE_set_flags(st, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	BIO_free(b);
	ERR_clear_error();
	return st;
fail:
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	BIO_free(b);
	X509_STORE_free(st);
	ERR_clear_error();
	return NULL;
}

static int load(struct cab_tls_crl *c, SSL_CTX *ctx, char *err, size_t n)
{
	struct stat s;
	if (stat(c->path, &s)) {
		snprintf(err, n, "%s: cannot open: %s", c->path, strerror(errno));
		return -1;
	}
	int ncrl, nrev;
	X509_STORE *st = build(c, &ncrl, &nrev, err, n);
	if (!st)
		return -1;
	SSL_CTX_set_cert_store(ctx, st); /* frees the previous store */
	X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(ctx),
	                            X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
	c->dev = s.st_dev;
	c->ino = s.st_ino;
	c->size = s.st_size;
	c->mtime = s.st_mtim;
	c->loaded = 1;
	c->count = ncrl;
	c->revoked = nrev;
	return 1;
}

int cab_tls_crl_init(struct cab_tls_crl *c, const char *ca, const char *path, SSL_CTX *ctx,
                     char *err, size_t n)
{
	memset(c, 0, sizeof *c);
	snprintf(c->ca, sizeof c->ca, "%s", ca ? ca : "");
	snprintf(c->path, sizeof c->path, "%s", path ? path : "");
	if (!c->path[0])
		return 0;
	if (!c->ca[0]) {
		snprintf(err, n, "%s: a CRL needs the CA that signed it (set the CA file too)",
		         c->path);
		return -1;
	}
	return load(c, ctx, err, n) < 0 ? -1 : 0;
}

int cab_tls_crl_refresh(struct cab_tls_crl *c, SSL_CTX *ctx, char *err, size_t n)
{
	struct stat s;
	if (!c->path[0])
		return 0;
	if (stat(c->path, &s) == 0 && same_file(c, &s))
		return 0;
	return load(c, ctx, err, n);
}
