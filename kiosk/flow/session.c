/* session.c — the in-memory patient session: pseudonymous id, consent record,
 * identity, doctor; erased with OPENSSL_cleanse (see session.h). */
#include "kiosk/flow/session.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

int cab_uuid_v4(char out[CAB_UUID_LEN + 1])
{
	unsigned char b[16];
	out[0] = '\0';
	if (RAND_bytes(b, sizeof b) != 1)
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 (RFC 9562 §5.4) */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10xx (RFC 9562 §4.1) */
	snprintf(out, CAB_UUID_LEN + 1,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
	         b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
	         b[14], b[15]);
	OPENSSL_cleanse(b, sizeof b);
	return 0;
}

void cab_session_clear(struct cab_session *s)
{
	OPENSSL_cleanse(s, sizeof *s);
	memset(s, 0, sizeof *s); /* cleanse leaves unspecified bytes; zero = "no session" */
}

int cab_session_begin(struct cab_session *s, int64_t now_ms)
{
	cab_session_clear(s);
	if (cab_uuid_v4(s->id) < 0)
		return -1;
	memcpy(s->lang, "fr", 3);
	s->started_ms = now_ms;
	s->active = true;
	return 0;
}

int cab_session_set_language(struct cab_session *s, const char *lang)
{
	if (!lang || (strcmp(lang, "fr") && strcmp(lang, "en")))
		return -1;
	memcpy(s->lang, lang, 3);
	return 0;
}

int cab_session_record_consent(struct cab_session *s, const char *text_version,
                               enum cab_answer teleconsultation, enum cab_answer readings,
                               int64_t time_ms)
{
	size_t n = text_version ? strlen(text_version) : 0;
	if (!s->active || n == 0 || n >= sizeof s->consent.text_version)
		return -1;
	if ((teleconsultation != CAB_ANSWER_YES && teleconsultation != CAB_ANSWER_NO) ||
	    (readings != CAB_ANSWER_YES && readings != CAB_ANSWER_NO))
		return -1;
	memcpy(s->consent.text_version, text_version, n + 1);
	memcpy(s->consent.lang, s->lang, sizeof s->consent.lang);
	s->consent.teleconsultation = teleconsultation;
	s->consent.readings = readings;
	s->consent.time_ms = time_ms;
	return 0;
}

bool cab_session_consented(const struct cab_session *s)
{
	return s->active && s->consent.text_version[0] && s->consent.lang[0] &&
	       s->consent.time_ms > 0 && s->consent.teleconsultation == CAB_ANSWER_YES &&
	       s->consent.readings != CAB_ANSWER_NONE;
}

bool cab_session_may_send_readings(const struct cab_session *s)
{
	return cab_session_consented(s) && s->consent.readings == CAB_ANSWER_YES;
}

enum cab_id_err cab_session_set_identity(struct cab_session *s, const struct cab_identity *id,
                                         struct cab_date today, enum cab_id_field *field)
{
	enum cab_id_err err = cab_identity_normalise(id, today, &s->identity, field);
	if (err != CAB_ID_OK)
		return err;
	s->identity_done = true;
	return CAB_ID_OK;
}

/* Copies SRC into DST (SIZE bytes) truncated, NUL-terminated; NULL = "". */
static void copy_field(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

void cab_session_set_doctor(struct cab_session *s, const char *name, const char *specialty,
                            const char *rpps)
{
	copy_field(s->doctor.name, sizeof s->doctor.name, name);
	copy_field(s->doctor.specialty, sizeof s->doctor.specialty, specialty);
	copy_field(s->doctor.rpps, sizeof s->doctor.rpps, rpps);
	s->doctor.known = true;
}
