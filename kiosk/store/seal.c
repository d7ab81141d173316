/* seal.c — AES-256-GCM sealing of one value with OpenSSL EVP (NIST SP 800-38D):
 * random 96-bit nonce, 128-bit tag, and additional authenticated data that names the
 * value's table, column, row and session, so that a blob moved elsewhere fails. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/store/store_internal.h"

static const unsigned char seal_magic[ST_SEAL_HDR] = {'C', '1'};

int st_aad(char *buf, size_t size, const char *table, const char *column, const char *row,
           const char *sid)
{
	int n = snprintf(buf, size, "cabin/1|%s|%s|%s|%s", table, column, row, sid ? sid : "");
	return n < 0 || (size_t)n >= size ? -1 : n;
}

int st_seal(const unsigned char key[ST_KEY_LEN], const char *aad, const void *plain,
            size_t len, unsigned char **out, size_t *out_len)
{
	int status = CAB_STORE_ERR, n = 0;
	unsigned char *blob = NULL;
	EVP_CIPHER_CTX *ctx = NULL;

	*out = NULL;
	*out_len = 0;
	if (len > ST_MAX_PLAIN)
		return CAB_STORE_INVALID;
	blob = st_malloc(len + ST_SEAL_OVERHEAD);
	if (!blob)
		return CAB_STORE_NOMEM;
	memcpy(blob, seal_magic, ST_SEAL_HDR);
	unsigned char *nonce = blob + ST_SEAL_HDR, *ct = nonce + ST_NONCE_LEN;
	if (RAND_bytes(nonce, ST_NONCE_LEN) != 1)
		goto out;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx) {
		status = CAB_STORE_NOMEM;
		goto out;
	}
	if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) != 1 ||
	    EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)aad, (int)strlen(aad)) != 1 ||
	    EVP_EncryptUpdate(ctx, ct, &n, plain, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(ctx, ct + n, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, ST_TAG_LEN, ct + len) != 1)
		goto out;
	*out = blob;
	*out_len = len + ST_SEAL_OVERHEAD;
	blob = NULL;
	status = CAB_STORE_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	free(blob);
	return status;
}

int st_unseal(const unsigned char key[ST_KEY_LEN], const char *aad, const void *blob,
              size_t blob_len, unsigned char **out, size_t *out_len)
{
	int status = CAB_STORE_TAMPERED, n = 0;
	unsigned char *plain = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	const unsigned char *b = blob;

	*out = NULL;
	*out_len = 0;
	if (!blob || blob_len < ST_SEAL_OVERHEAD || blob_len - ST_SEAL_OVERHEAD > ST_MAX_PLAIN ||
	    memcmp(b, seal_magic, ST_SEAL_HDR) != 0)
		return CAB_STORE_TAMPERED;
	size_t len = blob_len - ST_SEAL_OVERHEAD;
	const unsigned char *nonce = b + ST_SEAL_HDR, *ct = nonce + ST_NONCE_LEN;
	plain = st_malloc(len + 1);
	if (!plain)
		return CAB_STORE_NOMEM;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx) {
		status = CAB_STORE_NOMEM;
		goto out;
	}
	if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) != 1 ||
	    EVP_DecryptUpdate(ctx, NULL, &n, (const unsigned char *)aad, (int)strlen(aad)) != 1 ||
	    EVP_DecryptUpdate(ctx, plain, &n, ct, (int)len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, ST_TAG_LEN,
	                        (void *)(ct + len)) != 1 ||
	    EVP_DecryptFinal_ex(ctx, plain + n, &n) != 1)
		goto out; /* authentication failed: return nothing */
	plain[len] = 0;
	*out = plain;
	*out_len = len;
	plain = NULL;
	status = CAB_STORE_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (plain) {
		OPENSSL_cleanse(plain, len + 1);
		free(plain);
	}
	return status;
}
