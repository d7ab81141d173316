/* kdf.h — secrets stored as salted scrypt hashes (RFC 7914) through OpenSSL 3's
 * EVP_KDF "SCRYPT", written as PHC strings "$scrypt$ln=15,r=8,p=1$<salt>$<hash>"
 * (salt and hash in standard base64 without padding), verified in constant time. */
#ifndef CABIN_COMMON_KDF_H
#define CABIN_COMMON_KDF_H

#include <stddef.h>
#include <stdint.h>

/* scrypt cost: N = 2^log2_n, block size r, parallelism p (RFC 7914 §2).
 * Memory used is 128 * r * N bytes: 32 MiB for the default {15, 8, 1}. */
struct cab_scrypt_params {
	unsigned log2_n; /* CPU/memory cost exponent, 1..20 */
	unsigned r;      /* block size, 1..32 */
	unsigned p;      /* parallelism, 1..16 */
};

/* The cabin's parameters for new hashes: N = 2^15, r = 8, p = 1 (32 MiB, ~0.1 s). */
extern const struct cab_scrypt_params cab_scrypt_default;

#define CAB_KDF_SALT_LEN 16          /* random salt bytes (RAND_bytes) */
#define CAB_KDF_HASH_LEN 32          /* derived key bytes stored */
#define CAB_KDF_PHC_MAX 160          /* longest PHC string we write or accept, with NUL */
#define CAB_KDF_MAX_MEM (256u << 20) /* refuse parameters needing more (bytes) */

/* Derives OUTLEN bytes from PASS and SALT with scrypt(N = 2^log2_n, r, p) via
 * EVP_KDF "SCRYPT". Returns 0, or -1 (bad parameters, memory above
 * CAB_KDF_MAX_MEM, OpenSSL failure; logged). */
int cab_scrypt(const void *pass, size_t passlen, const void *salt, size_t saltlen,
               const struct cab_scrypt_params *params, uint8_t *out, size_t outlen);

/* Hashes SECRET (NUL-terminated) with PARAMS (NULL = cab_scrypt_default) and SALT
 * of SALTLEN bytes (SALT NULL = CAB_KDF_SALT_LEN fresh random bytes) into PHC
 * (at least CAB_KDF_PHC_MAX bytes). Returns 0, or -1. */
int cab_secret_hash(const char *secret, const struct cab_scrypt_params *params, const uint8_t *salt,
                    size_t saltlen, char *phc, size_t phcsize);

/* A parsed PHC string. */
struct cab_phc {
	struct cab_scrypt_params params;
	uint8_t salt[64];
	size_t salt_len; /* 8..64 */
	uint8_t hash[64];
	size_t hash_len; /* 16..64 */
};

/* Parses "$scrypt$ln=L,r=R,p=P$SALT$HASH" (PHC string format, base64 without
 * padding) into OUT with bounds checked (ranges above, memory <= CAB_KDF_MAX_MEM).
 * Returns 0, or -1 on any malformation. */
int cab_phc_parse(const char *phc, struct cab_phc *out);

/* Checks SECRET against the PHC string: derives with the stored parameters and
 * salt and compares with CRYPTO_memcmp. Returns 1 on match, 0 on mismatch, -1
 * when PHC is malformed or the KDF failed. */
int cab_secret_verify(const char *phc, const char *secret);

#endif
