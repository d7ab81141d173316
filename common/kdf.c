/* kdf.c — scrypt through OpenSSL's EVP_KDF, PHC string encoding and constant-time
 * verification (see kdf.h). */
#include "kdf.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

const struct cab_scrypt_params cab_scrypt_default = {15, 8, 1};

static int params_ok(const struct cab_scrypt_params *p)
{
	if (p->log2_n < 1 || p->log2_n > 20 || p->r < 1 || p->r > 32 || p->p < 1 || p->p > 16)
		return 0;
	/* 128 * r * N bytes for V, plus 128 * r * p for B: bound the first. */
	return (uint64_t)128 * p->r * ((uint64_t)1 << p->log2_n) <= CAB_KDF_MAX_MEM;
}

int cab_scrypt(const void *pass, size_t passlen, const void *salt, size_t saltlen,
               const struct cab_scrypt_params *params, uint8_t *out, size_t outlen)
{
	int rc = -1;
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *ctx = NULL;
	uint64_t n, maxmem;
	uint32_t r, p;
	OSSL_PARAM op[7], *q = op;

	if (!params || !params_ok(params) || !out || !outlen) {
		cab_err("service", "scrypt: parameters out of range");
		goto out;
	}
	n = (uint64_t)1 << params->log2_n;
	r = params->r;
	p = params->p;
	maxmem = (uint64_t)CAB_KDF_MAX_MEM + 1024 * 1024;
	kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL);
	if (!kdf)
		goto ssl_err;
	ctx = EVP_KDF_CTX_new(kdf);
	if (!ctx)
		goto ssl_err;
	/* OpenSSL copies the buffers; the casts only drop const for the API. */
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
	                                         (void *)(passlen ? pass : ""), passlen);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)(saltlen ? salt : ""),
	                                         saltlen);
	*q++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n);
	*q++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r);
	*q++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p);
	*q++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem);
	*q = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, outlen, op) != 1)
		goto ssl_err;
	rc = 0;
	goto out;
ssl_err:
	cab_err("service", "scrypt: OpenSSL EVP_KDF failed");
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return rc;
}

/* Standard base64 without '=' padding (PHC string format). Returns length or -1. */
static int b64_encode(const uint8_t *in, size_t len, char *out, size_t outsize)
{
	if (((len + 2) / 3) * 4 + 1 > outsize)
		return -1;
	int n = EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	while (n > 0 && out[n - 1] == '=')
		out[--n] = '\0';
	return n;
}

/* Decodes LEN chars of unpadded base64 into OUT (at most OUTMAX bytes). */
static int b64_decode(const char *in, size_t len, uint8_t *out, size_t outmax)
{
	char buf[128];
	uint8_t tmp[96];
	size_t pad = (4 - len % 4) % 4;
	if (len == 0 || pad == 3 || len + pad >= sizeof buf)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/'))
			return -1;
	}
	memcpy(buf, in, len);
	memset(buf + len, '=', pad);
	int n = EVP_DecodeBlock(tmp, (const unsigned char *)buf, (int)(len + pad));
	if (n < 0)
		return -1;
	n -= (int)pad;
	if (n <= 0 || (size_t)n > outmax)
		return -1;
	memcpy(out, tmp, (size_t)n);
	OPENSSL_cleanse(tmp, sizeof tmp);
	return n;
}

int cab_secret_hash(const char *secret, const struct cab_scrypt_params *params, const uint8_t *salt,
                    size_t saltlen, char *phc, size_t phcsize)
{
	int rc = -1;
	uint8_t rnd[CAB_KDF_SALT_LEN], hash[CAB_KDF_HASH_LEN];
	char s64[96], h64[96];

	if (!params)
		params = &cab_scrypt_default;
	if (!secret || !phc)
		goto out;
	if (!salt) {
		if (RAND_bytes(rnd, sizeof rnd) != 1) {
			cab_err("service", "RAND_bytes failed");
			goto out;
		}
		salt = rnd;
		saltlen = sizeof rnd;
	}
	if (saltlen < 8 || saltlen > 64)
		goto out;
	if (cab_scrypt(secret, strlen(secret), salt, saltlen, params, hash, sizeof hash))
		goto out;
	if (b64_encode(salt, saltlen, s64, sizeof s64) < 0 ||
	    b64_encode(hash, sizeof hash, h64, sizeof h64) < 0)
		goto out;
	int n = snprintf(phc, phcsize, "$scrypt$ln=%u,r=%u,p=%u$%s$%s", params->log2_n, params->r,
	                 params->p, s64, h64);
	if (n < 0 || (size_t)n >= phcsize || (size_t)n >= CAB_KDF_PHC_MAX)
		goto out;
	rc = 0;
out:
	OPENSSL_cleanse(hash, sizeof hash);
	return rc;
}

/* Reads "<key>=<decimal>" at *S, advancing past it; returns 0 or -1. */
static int read_kv(const char **s, const char *key, unsigned *val)
{
	size_t kl = strlen(key);
	const char *c = *s;
	unsigned long v = 0;
	if (strncmp(c, key, kl) || c[kl] != '=')
		return -1;
	c += kl + 1;
	if (*c < '0' || *c > '9')
		return -1;
	while (*c >= '0' && *c <= '9') {
		v = v * 10 + (unsigned long)(*c++ - '0');
		if (v > 1000000)
			return -1;
	}
	*val = (unsigned)v;
	*s = c;
	return 0;
}

int cab_phc_parse(const char *phc, struct cab_phc *out)
{
	const char *c, *dollar;
	int n;

	if (!phc || !out || strlen(phc) >= CAB_KDF_PHC_MAX)
		return -1;
	memset(out, 0, sizeof *out);
	if (strncmp(phc, "$scrypt$", 8))
		return -1;
	c = phc + 8;
	if (read_kv(&c, "ln", &out->params.log2_n) || *c++ != ',' ||
	    read_kv(&c, "r", &out->params.r) || *c++ != ',' || read_kv(&c, "p", &out->params.p) ||
	    *c++ != '$')
		return -1;
	if (!params_ok(&out->params))
		return -1;
	dollar = strchr(c, '$');
	if (!dollar)
		return -1;
	n = b64_decode(c, (size_t)(dollar - c), out->salt, sizeof out->salt);
	if (n < 8)
		return -1;
	out->salt_len = (size_t)n;
	c = dollar + 1;
	n = b64_decode(c, strlen(c), out->hash, sizeof out->hash);
	if (n < 16)
		return -1;
	out->hash_len = (size_t)n;
	return 0;
}

int cab_secret_verify(const char *phc, const char *secret)
{
	struct cab_phc p;
	uint8_t got[64];
	int rc = -1;

	if (!secret || cab_phc_parse(phc, &p))
		goto out;
	if (cab_scrypt(secret, strlen(secret), p.salt, p.salt_len, &p.params, got, p.hash_len))
		goto out;
	rc = CRYPTO_memcmp(got, p.hash, p.hash_len) == 0 ? 1 : 0;
out:
	OPENSSL_cleanse(got, sizeof got);
	return rc;
}
