/* test_kdf.c — scrypt through EVP_KDF against RFC 7914 §12 test vectors, PHC
 * strings, constant-time verification round trips and malformed inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kdf.h"

/* RFC 7914 §12, vector 1: P="", S="", N=16, r=1, p=1, dkLen=64. */
static const uint8_t rfc_v1[64] = {
	0x77, 0xd6, 0x57, 0x62, 0x38, 0x65, 0x7b, 0x20, 0x3b, 0x19, 0xca, 0x42, 0xc1, 0x8a, 0x04, 0x97,
	0xf1, 0x6b, 0x48, 0x44, 0xe3, 0x07, 0x4a, 0xe8, 0xdf, 0xdf, 0xfa, 0x3f, 0xed, 0xe2, 0x14, 0x42,
	0xfc, 0xd0, 0x06, 0x9d, 0xed, 0x09, 0x48, 0xf8, 0x32, 0x6a, 0x75, 0x3a, 0x0f, 0xc8, 0x1f, 0x17,
	0xe8, 0xd3, 0xe0, 0xfb, 0x2e, 0x0d, 0x36, 0x28, 0xcf, 0x35, 0xe2, 0x0c, 0x38, 0xd1, 0x89, 0x06,
};
/* RFC 7914 §12, vector 2: P="password", S="NaCl", N=1024, r=8, p=16, dkLen=64. */
static const uint8_t rfc_v2[64] = {
	0xfd, 0xba, 0xbe, 0x1c, 0x9d, 0x34, 0x72, 0x00, 0x78, 0x56, 0xe7, 0x19, 0x0d, 0x01, 0xe9, 0xfe,
	0x7c, 0x6a, 0xd7, 0xcb, 0xc8, 0x23, 0x78, 0x30, 0xe7, 0x73, 0x76, 0x63, 0x4b, 0x37, 0x31, 0x62,
	0x2e, 0xaf, 0x30, 0xd9, 0x2e, 0x22, 0xa3, 0x88, 0x6f, 0xf1, 0x09, 0x27, 0x9d, 0x98, 0x30, 0xda,
	0xc7, 0x27, 0xaf, 0xb9, 0x4a, 0x83, 0xee, 0x6d, 0x83, 0x60, 0xcb, 0xdf, 0xa2, 0xcc, 0x06, 0x40,
};
/* RFC 7914 §12, vector 3: P="pleaseletmein", S="SodiumChloride", N=16384, r=8, p=1. */
static const uint8_t rfc_v3[64] = {
	0x70, 0x23, 0xbd, 0xcb, 0x3a, 0xfd, 0x73, 0x48, 0x46, 0x1c, 0x06, 0xcd, 0x81, 0xfd, 0x38, 0xeb,
	0xfd, 0xa8, 0xfb, 0xba, 0x90, 0x4f, 0x8e, 0x3e, 0xa9, 0xb5, 0x43, 0xf6, 0x54, 0x5d, 0xa1, 0xf2,
	0xd5, 0x43, 0x29, 0x55, 0x61, 0x3f, 0x0f, 0xcf, 0x62, 0xd4, 0x97, 0x05, 0x24, 0x2a, 0x9a, 0xf9,
	0xe6, 0x1e, 0x85, 0xdc, 0x0d, 0x65, 0x1e, 0x40, 0xdf, 0xcf, 0x01, 0x7b, 0x45, 0x57, 0x58, 0x87,
};

static void rfc7914_vectors(void **state)
{
	(void)state;
	uint8_t out[64];
	const struct cab_scrypt_params p1 = {4, 1, 1}, p2 = {10, 8, 16}, p3 = {14, 8, 1};
	assert_int_equal(cab_scrypt("", 0, "", 0, &p1, out, sizeof out), 0);
	assert_memory_equal(out, rfc_v1, 64);
	assert_int_equal(cab_scrypt("password", 8, "NaCl", 4, &p2, out, sizeof out), 0);
	assert_memory_equal(out, rfc_v2, 64);
	assert_int_equal(cab_scrypt("pleaseletmein", 13, "SodiumChloride", 14, &p3, out, sizeof out), 0);
	assert_memory_equal(out, rfc_v3, 64);
}

static void refuses_parameters_out_of_range(void **state)
{
	(void)state;
	uint8_t out[32];
	/* RFC 7914 vector 4 (N = 2^20, r = 8) needs 1 GiB: above CAB_KDF_MAX_MEM. */
	const struct cab_scrypt_params big = {20, 8, 1}, zero_r = {10, 0, 1}, p0 = {10, 8, 0};
	assert_int_equal(cab_scrypt("x", 1, "salt", 4, &big, out, sizeof out), -1);
	assert_int_equal(cab_scrypt("x", 1, "salt", 4, &zero_r, out, sizeof out), -1);
	assert_int_equal(cab_scrypt("x", 1, "salt", 4, &p0, out, sizeof out), -1);
	assert_int_equal(cab_scrypt("x", 1, "salt", 4, NULL, out, sizeof out), -1);
}

/* The PHC string of vector 3's inputs with a 32-byte key is fixed: salt and key are
 * the RFC's, base64 without padding. */
static void phc_string_exact(void **state)
{
	(void)state;
	char phc[CAB_KDF_PHC_MAX];
	const struct cab_scrypt_params p3 = {14, 8, 1};
	assert_int_equal(cab_secret_hash("pleaseletmein", &p3, (const uint8_t *)"SodiumChloride", 14,
	                                 phc, sizeof phc), 0);
	/* base64("SodiumChloride") = U29kaXVtQ2hsb3JpZGU=, key = first 32 bytes of vector 3. */
	assert_string_equal(phc, "$scrypt$ln=14,r=8,p=1$U29kaXVtQ2hsb3JpZGU"
	                         "$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofI");
	assert_int_equal(cab_secret_verify(phc, "pleaseletmein"), 1);
	assert_int_equal(cab_secret_verify(phc, "pleaseletmeiN"), 0);

	struct cab_phc parsed;
	assert_int_equal(cab_phc_parse(phc, &parsed), 0);
	assert_int_equal(parsed.params.log2_n, 14);
	assert_int_equal(parsed.params.r, 8);
	assert_int_equal(parsed.params.p, 1);
	assert_int_equal(parsed.salt_len, 14);
	assert_memory_equal(parsed.salt, "SodiumChloride", 14);
	assert_int_equal(parsed.hash_len, 32);
	assert_memory_equal(parsed.hash, rfc_v3, 32);
}

static void round_trip_default_parameters(void **state)
{
	(void)state;
	char a[CAB_KDF_PHC_MAX], b[CAB_KDF_PHC_MAX];
	assert_int_equal(cab_secret_hash("482915", NULL, NULL, 0, a, sizeof a), 0);
	assert_int_equal(cab_secret_hash("482915", NULL, NULL, 0, b, sizeof b), 0);
	assert_memory_equal(a, "$scrypt$ln=15,r=8,p=1$", 22);
	/* Fresh random salts: same secret, different strings; both verify. */
	assert_string_not_equal(a, b);
	assert_int_equal(cab_secret_verify(a, "482915"), 1);
	assert_int_equal(cab_secret_verify(b, "482915"), 1);
	assert_int_equal(cab_secret_verify(a, "482916"), 0);
	assert_int_equal(cab_secret_verify(a, ""), 0);
	struct cab_phc p;
	assert_int_equal(cab_phc_parse(a, &p), 0);
	assert_int_equal(p.salt_len, CAB_KDF_SALT_LEN);
	assert_int_equal(p.hash_len, CAB_KDF_HASH_LEN);
}

static void malformed_phc_refused(void **state)
{
	(void)state;
	struct cab_phc p;
	const char *bad[] = {
		"",
		"482915",
		"$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$scrypt$ln=15,r=8$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofI",
		"$scrypt$ln=21,r=8,p=1$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofI",
		"$scrypt$ln=15,r=8,p=1$U29k$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofI",
		"$scrypt$ln=15,r=8,p=1$U29kaXVtQ2hsb3JpZGU$cCO9",
		"$scrypt$ln=15,r=8,p=1$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdo*I",
		"$scrypt$ln=15,r=8,p=1$U29kaXVtQ2hsb3JpZGU=$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofI",
		"$scrypt$ln=15,r=8,p=1$U29kaXVtQ2hsb3JpZGU",
		"$scrypt$ln=99999999,r=8,p=1$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofI",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(cab_phc_parse(bad[i], &p), -1);
		assert_int_equal(cab_secret_verify(bad[i], "482915"), -1);
	}
	assert_int_equal(cab_secret_verify(NULL, "482915"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc7914_vectors),
		cmocka_unit_test(refuses_parameters_out_of_range),
		cmocka_unit_test(phc_string_exact),
		cmocka_unit_test(round_trip_default_parameters),
		cmocka_unit_test(malformed_phc_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
