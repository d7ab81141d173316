/* test_console_queue.c — the console's waiting queue (doctor/console_queue.c): places,
 * one doctor per patient and one patient per doctor, races decided in call order,
 * release; and the doctor's identity from a certificate subject (doctor_cert.c). */
#include "doctor/console_queue.h"
#include "doctor/doctor_cert.h"

/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static void places_and_races(void **state)
{
	(void)state;
	struct console_queue *q = calloc(1, sizeof *q);
	assert_non_null(cq_open(q, "S1", "CAB-1", 1000));
	assert_non_null(cq_open(q, "S2", "CAB-2", 2000));
	assert_non_null(cq_open(q, "S3", "CAB-3", 1500));
	assert_int_equal(cq_positions(q), 3);
	assert_int_equal(cq_find(q, "S1")->position, 1);
	assert_int_equal(cq_find(q, "S3")->position, 2);
	assert_int_equal(cq_find(q, "S2")->position, 3);
	assert_int_equal(cq_estimate_s(3, 2), 900);
	assert_int_equal(cq_estimate_s(1, 0), 600);
	/* two doctors race for S1: the first call wins, the second is told */
	assert_int_equal(cq_take(q, "S1", "10101010105", "Dr A"), CQ_TAKEN);
	assert_int_equal(cq_take(q, "S1", "10000000025", "Dr B"), CQ_TAKEN_BY_OTHER);
	assert_string_equal(cq_find(q, "S1")->doctor, "Dr A");
	assert_int_equal(cq_take(q, "S1", "10101010105", "Dr A"), CQ_ALREADY_YOURS);
	assert_int_equal(cq_take(q, "S3", "10101010105", "Dr A"), CQ_HOLDS_ANOTHER);
	assert_int_equal(cq_take(q, "S9", "10000000025", "Dr B"), CQ_UNKNOWN);
	assert_int_equal(cq_positions(q), 2);
	assert_int_equal(cq_find(q, "S1")->position, 0);
	assert_int_equal(cq_find(q, "S3")->position, 1);
	/* an offline cabin's patient waits without a place and cannot be taken */
	cq_cabin_online(q, "CAB-3", 0);
	assert_int_equal(cq_positions(q), 1);
	assert_int_equal(cq_take(q, "S3", "10000000025", "Dr B"), CQ_OFFLINE);
	/* only the holder releases; the patient gets back their place by age */
	assert_int_equal(cq_release(q, "S1", "10000000025"), -1);
	assert_int_equal(cq_release(q, "S1", "10101010105"), 0);
	assert_int_equal(cq_positions(q), 2);
	assert_int_equal(cq_find(q, "S1")->position, 1);
	assert_ptr_equal(cq_held_by(q, "10101010105"), NULL);
	assert_int_equal(cq_close(q, "S1"), 0);
	assert_int_equal(cq_close(q, "S1"), -1);
	assert_int_equal(q->n, 2);
	free(q);
}

static void rpps_key(void **state)
{
	(void)state;
	assert_int_equal(doctor_rpps_valid("10101010105"), 1);
	assert_int_equal(doctor_rpps_valid("10000000025"), 1);
	assert_int_equal(doctor_rpps_valid("10101010104"), 0);
	assert_int_equal(doctor_rpps_valid("1010101010"), 0);
	assert_int_equal(doctor_rpps_valid("1010101010a"), 0);
	assert_int_equal(doctor_rpps_valid(NULL), 0);
}

/* A certificate with SUBJECT entries (pairs of field, value), self-signed. */
static X509 *cert(const char *const *kv)
{
	X509 *x = X509_new();
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509_NAME *n = X509_get_subject_name(x);
	for (; *kv; kv += 2)
		X509_NAME_add_entry_by_txt(n, kv[0], MBSTRING_UTF8, (const unsigned char *)kv[1],
		                           -1, -1, 0);
	X509_set_pubkey(x, k);
	X509_sign(x, k, EVP_sha256());
	EVP_PKEY_free(k);
	return x;
}

static void identity(void **state)
{
	(void)state;
	struct cab_station_doctor d;
	char why[128];
	const char *doc[] = {"OU",
	                     "doctor",
	                     "CN",
	                     "Dr Jeanne Fabre",
	                     "serialNumber",
	                     "10101010105",
	                     "title",
	                     "Médecine générale",
	                     NULL};
	X509 *x = cert(doc);
	assert_int_equal(doctor_cert_identity(x, &d, why, sizeof why), 1);
	assert_string_equal(d.name, "Dr Jeanne Fabre");
	assert_string_equal(d.rpps, "10101010105");
	assert_string_equal(d.specialty, "Médecine générale");
	X509_free(x);
	const char *cabin[] = {"O", "Cabin development", "CN", "CABIN-DEV-0001", NULL};
	x = cert(cabin);
	assert_int_equal(doctor_cert_identity(x, &d, why, sizeof why), 0);
	assert_string_equal(why, "not a doctor's certificate (no OU=doctor)");
	X509_free(x);
	const char *bad[] = {"OU", "doctor", "CN", "Dr X", "serialNumber", "10101010104", NULL};
	x = cert(bad);
	assert_int_equal(doctor_cert_identity(x, &d, why, sizeof why), -1);
	assert_string_equal(why, "doctor's certificate without a valid RPPS number (serialNumber)");
	X509_free(x);
	assert_int_equal(doctor_cert_identity(NULL, &d, why, sizeof why), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(places_and_races),
	    cmocka_unit_test(rpps_key),
	    cmocka_unit_test(identity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
