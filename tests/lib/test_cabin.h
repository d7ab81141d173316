/* test_cabin.h — what the test cabins (tests/helpers/link_cabin.c and the others)
 * share: the synthetic cabin's identity and link options, and a
 * session's data messages queued in the in-memory outbox (kiosk/link/outbox_mem.h)
 * for kiosk/link to send. Synthetic data only. */
#ifndef CABIN_TEST_CABIN_H
#define CABIN_TEST_CABIN_H

#include "kiosk/link/link.h"
#include "kiosk/link/outbox_mem.h"

/* The cabin id of scripts/make-certs' default cabin certificate (its CN). */
#define CAB_TEST_CABIN_ID "CABIN-DEV-0001"

/* Fills CFG->cabin with the synthetic cabin (CAB_TEST_CABIN_ID, "Pharmacie de Test",
 * 1 rue de l'Exemple, 75001 Paris, FR, +33100000001) and CFG->url with
 * wss://127.0.0.1:8443/ when it is NULL; other fields are left as they are. */
void cab_test_cabin_config(struct cab_link_config *cfg);

/* Takes the link option OPT with its value VAL ("" when missing) into CFG: --url,
 * --cert, --key, --ca, --crl, --cabin-id. Returns 2 (option and value used), or 0 when OPT
 * is not one of them. VAL must outlive CFG (argv does). */
int cab_test_cabin_option(struct cab_link_config *cfg, const char *opt, const char *val);

/* A data message of TYPE for SESSION (a new id; "session" set). New reference. */
json_t *cab_test_data_msg(const char *session, enum cab_msg_type type);

/* Queues M (a data message with "id" and "type"; the reference is taken) in OB for
 * SESSION. */
void cab_test_put(struct cab_outbox_mem *ob, const char *session, json_t *m);

/* Queue one message each: session_open (now); consent (accepted, fr,
 * consent-teleconsultation-v1, now); the synthetic patient's identity (TESTPATIENT
 * Camille Alix, 1984-05-12, female, born 75056, NIR 284057505612387 whose key 87 is
 * 97 - (2840575056123 mod 97)) with PHONE (E.164) when not NULL; session_close
 * ("completed", now). */
void cab_test_put_open(struct cab_outbox_mem *ob, const char *session);
void cab_test_put_consent(struct cab_outbox_mem *ob, const char *session);
void cab_test_put_identity(struct cab_outbox_mem *ob, const char *session, const char *phone);
void cab_test_put_close(struct cab_outbox_mem *ob, const char *session);

/* 1 when every message put in OB is acknowledged. */
int cab_test_all_acked(struct cab_outbox_mem *ob);

#endif
