/* test_cabin.c — the test cabins' shared identity, link options and session
 * messages (see test_cabin.h). */
#include "test_cabin.h"

#include "common/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cab_test_cabin_config(struct cab_link_config *cfg)
{
	if (!cfg->url)
		cfg->url = "wss://127.0.0.1:8443/";
	snprintf(cfg->cabin.id, sizeof cfg->cabin.id, "%s", CAB_TEST_CABIN_ID);
	snprintf(cfg->cabin.pharmacy, sizeof cfg->cabin.pharmacy, "Pharmacie de Test");
	snprintf(cfg->cabin.address_line, sizeof cfg->cabin.address_line, "1 rue de l'Exemple");
	snprintf(cfg->cabin.postal_code, sizeof cfg->cabin.postal_code, "75001");
	snprintf(cfg->cabin.city, sizeof cfg->cabin.city, "Paris");
	snprintf(cfg->cabin.country, sizeof cfg->cabin.country, "FR");
	snprintf(cfg->cabin.phone, sizeof cfg->cabin.phone, "+33100000001"); /* synthetic */
}

int cab_test_cabin_option(struct cab_link_config *cfg, const char *opt, const char *val)
{
	if (!strcmp(opt, "--url"))
		cfg->url = val;
	else if (!strcmp(opt, "--cert"))
		cfg->cert = val;
	else if (!strcmp(opt, "--key"))
		cfg->key = val;
	else if (!strcmp(opt, "--ca"))
		cfg->ca = val;
	else if (!strcmp(opt, "--crl"))
		cfg->crl = val;
	else if (!strcmp(opt, "--cabin-id"))
		snprintf(cfg->cabin.id, sizeof cfg->cabin.id, "%s", val);
	else
		return 0;
	return 2;
}

json_t *cab_test_data_msg(const char *session, enum cab_msg_type type)
{
	json_t *m = cab_msg_new(type, NULL);
	json_object_set_new(m, "session", json_string(session));
	return m;
}

void cab_test_put(struct cab_outbox_mem *ob, const char *session, json_t *m)
{
	char idc[40], typec[32];
	snprintf(idc, sizeof idc, "%s", json_string_value(json_object_get(m, "id")));
	snprintf(typec, sizeof typec, "%s", json_string_value(json_object_get(m, "type")));
	char *body = cab_msg_dump_take(m);
	cab_outbox_mem_put(ob, idc, session, typec, body);
	free(body);
}

static void put_timed(struct cab_outbox_mem *ob, const char *session, enum cab_msg_type type,
                      const char *reason)
{
	char t[40];
	cab_time_rfc3339(cab_wall_ms(), t, sizeof t);
	json_t *m = cab_test_data_msg(session, type);
	json_object_set_new(m, "time", json_string(t));
	if (reason)
		json_object_set_new(m, "reason", json_string(reason));
	cab_test_put(ob, session, m);
}

void cab_test_put_open(struct cab_outbox_mem *ob, const char *session)
{
	put_timed(ob, session, CAB_MSG_SESSION_OPEN, NULL);
}

void cab_test_put_close(struct cab_outbox_mem *ob, const char *session)
{
	put_timed(ob, session, CAB_MSG_SESSION_CLOSE, "completed");
}

void cab_test_put_consent(struct cab_outbox_mem *ob, const char *session)
{
	char t[40];
	cab_time_rfc3339(cab_wall_ms(), t, sizeof t);
	json_t *m = cab_test_data_msg(session, CAB_MSG_CONSENT);
	json_object_set_new(m, "consent",
	                    json_pack("{s:b, s:s, s:s, s:s}", "accepted", 1, "language", "fr",
	                              "text_id", "consent-teleconsultation-v1", "time", t));
	cab_test_put(ob, session, m);
}

void cab_test_put_identity(struct cab_outbox_mem *ob, const char *session, const char *phone)
{
	json_t *m = cab_test_data_msg(session, CAB_MSG_IDENTITY);
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "birth_name",
	                      "TESTPATIENT", "first_names", "Camille Alix", "birth_date",
	                      "1984-05-12", "sex", "female", "birth_place_insee", "75056", "ins",
	                      "kind", "NIR", "value", "284057505612387");
	if (phone)
		json_object_set_new(p, "phone", json_string(phone));
	json_object_set_new(m, "patient", p);
	cab_test_put(ob, session, m);
}

int cab_test_all_acked(struct cab_outbox_mem *ob)
{
	size_t p, a;
	cab_outbox_mem_counts(ob, &p, &a, NULL);
	return p == a;
}
