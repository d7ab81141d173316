/* test_outbox_tls.c — the in-memory outbox (kiosk/link/outbox_mem.c) against the
 * outbox_port.h contract, and the TLS helpers (pins, refusal messages). */
#include "kiosk/link/outbox_mem.h"
#include "kiosk/link/tls_verify.h"

#include <openssl/x509_vfy.h>
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <string.h>

static void test_outbox_contract(void **state)
{
	(void)state;
	struct cab_outbox_mem *ob = cab_outbox_mem_new(3, 1000);
	struct cab_outbox_port p = cab_outbox_mem_port(ob);
	assert_int_equal(cab_outbox_mem_put(ob, "a", "s", "reading", "{\"x\":1}"), 1);
	assert_int_equal(cab_outbox_mem_put(ob, "b", "s", "reading", "{\"x\":2}"), 2);
	assert_int_equal(cab_outbox_mem_put(ob, "c", "", "incident", "{\"x\":3}"), 3);
	assert_int_equal(cab_outbox_mem_put(ob, "d", "", "incident", "{}"), -1); /* full */
	struct cab_outbox_item it[4];
	assert_int_equal(p.pending(p.user, 0, 5000, it, 4), 3);
	assert_string_equal(it[0].id, "a");
	assert_string_equal(it[2].body, "{\"x\":3}");
	assert_string_equal(it[2].type, "incident");
	for (int i = 0; i < 3; i++)
		cab_outbox_item_clear(&it[i]);
	assert_int_equal(p.pending(p.user, 1, 5000, it, 4), 2); /* after seq 1 */
	cab_outbox_item_clear(&it[0]);
	cab_outbox_item_clear(&it[1]);
	assert_int_equal(p.sent(p.user, "a", 5000), 0);
	assert_int_equal(p.pending(p.user, 0, 5999, it, 4), 2); /* a waits for its ack until 6000 */
	assert_string_equal(it[0].id, "b");
	cab_outbox_item_clear(&it[0]);
	cab_outbox_item_clear(&it[1]);
	assert_int_equal(p.pending(p.user, 0, 6000, it, 1), 1); /* due again */
	assert_string_equal(it[0].id, "a");
	assert_int_equal(it[0].attempts, 1);
	cab_outbox_item_clear(&it[0]);
	assert_int_equal(p.sent(p.user, "a", 6000), 0); /* backoff grows: 2000 */
	assert_int_equal(p.pending(p.user, 0, 7999, it, 1), 1);
	assert_string_equal(it[0].id, "b");
	cab_outbox_item_clear(&it[0]);
	assert_int_equal(p.reset_backoff(p.user), 0);
	assert_int_equal(p.pending(p.user, 0, 6001, it, 1), 1);
	assert_string_equal(it[0].id, "a");
	cab_outbox_item_clear(&it[0]);
	assert_int_equal(p.acked(p.user, "a"), 0);
	assert_int_equal(p.acked(p.user, "zz"), -1);
	assert_true(cab_outbox_mem_is_acked(ob, "a"));
	assert_int_equal(p.pending(p.user, 0, 9000, it, 4), 2);
	cab_outbox_item_clear(&it[0]);
	cab_outbox_item_clear(&it[1]);
	size_t put, acked, sends;
	cab_outbox_mem_counts(ob, &put, &acked, &sends);
	assert_int_equal(put, 3);
	assert_int_equal(acked, 1);
	assert_int_equal(sends, 2);
	cab_outbox_mem_free(ob);
}

static void test_pin_parse(void **state)
{
	(void)state;
	unsigned char pin[32];
	assert_int_equal(
	    cab_tls_parse_pin("00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF",
	                      pin),
	    0);
	assert_int_equal(pin[0], 0x00);
	assert_int_equal(pin[5], 0x55);
	assert_int_equal(pin[31], 0xFF);
	assert_int_equal(cab_tls_parse_pin("00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:"
	                                   "22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff",
	                                   pin),
	                 0);
	assert_int_equal(cab_tls_parse_pin("0011", pin), -1);
	assert_int_equal(
	    cab_tls_parse_pin("zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	                      pin),
	    -1);
	assert_int_equal(
	    cab_tls_parse_pin("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00",
	                      pin),
	    -1);
}

static void test_refusal_messages(void **state)
{
	(void)state;
	char m[256];
	assert_int_equal(
	    cab_tls_classify_verify(X509_V_ERR_CERT_HAS_EXPIRED, "station", m, sizeof m),
	    CAB_REFUSE_EXPIRED);
	assert_string_equal(m, "station certificate has expired");
	assert_int_equal(
	    cab_tls_classify_verify(X509_V_ERR_CERT_NOT_YET_VALID, "cabin", m, sizeof m),
	    CAB_REFUSE_NOT_YET_VALID);
	assert_string_equal(m, "cabin certificate is not yet valid");
	assert_int_equal(
	    cab_tls_classify_verify(X509_V_ERR_HOSTNAME_MISMATCH, "station", m, sizeof m),
	    CAB_REFUSE_HOSTNAME);
	assert_int_equal(cab_tls_classify_verify(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	                                         "station", m, sizeof m),
	                 CAB_REFUSE_UNKNOWN_CA);
	assert_int_equal(cab_tls_classify_alert(116, 0, m, sizeof m), CAB_REFUSE_NO_CLIENT_CERT);
	assert_int_equal(cab_tls_classify_alert(70, 0, m, sizeof m), CAB_REFUSE_TLS_VERSION);
	assert_int_equal(cab_tls_classify_alert(70, 1, m, sizeof m), CAB_REFUSE_TLS_VERSION);
	assert_int_equal(cab_tls_classify_alert(45, 0, m, sizeof m), CAB_REFUSE_CLIENT_CERT);
	assert_string_equal(
	    m, "the station refused the cabin certificate (alert: certificate expired)");
	assert_int_equal(cab_tls_classify_alert(0, 0, m, sizeof m), CAB_REFUSE_NONE);
	/* revocation has its own kind and message at both ends */
	assert_int_equal(cab_tls_classify_verify(X509_V_ERR_CERT_REVOKED, "cabin", m, sizeof m),
	                 CAB_REFUSE_REVOKED);
	assert_string_equal(m, "cabin certificate revoked");
	assert_int_equal(cab_tls_classify_alert(SSL_AD_CERTIFICATE_REVOKED, 0, m, sizeof m),
	                 CAB_REFUSE_REVOKED);
	assert_string_equal(
	    m, "the station says the cabin certificate is revoked (alert: certificate revoked)");
	assert_int_equal(cab_tls_classify_verify(X509_V_ERR_CRL_HAS_EXPIRED, "station", m, sizeof m),
	                 CAB_REFUSE_CRL);
	assert_string_equal(m, "station certificate cannot be checked for revocation (CRL: CRL has "
	                       "expired)");
	assert_string_equal(cab_refusal_name(CAB_REFUSE_REVOKED), "revoked");
	assert_string_equal(cab_refusal_name(CAB_REFUSE_CRL), "crl");
	assert_string_equal(cab_refusal_name(CAB_REFUSE_PIN), "pin");
	assert_string_equal(cab_refusal_name(CAB_REFUSE__COUNT), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_outbox_contract),
	    cmocka_unit_test(test_pin_parse),
	    cmocka_unit_test(test_refusal_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
