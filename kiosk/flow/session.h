/* session.h — what the cabin holds about one patient session: a pseudonymous id,
 * the language, the consent record, the identity traits and the doctor once known.
 * It lives in memory only; cab_session_clear() erases it (OPENSSL_cleanse) after a
 * refusal, an abort or the end of the session, so nothing is left for the next
 * patient. No SDL, no I/O. */
#ifndef CABIN_FLOW_SESSION_H
#define CABIN_FLOW_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/identity/identity.h"

/* Length of a textual UUID ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"), without NUL. */
#define CAB_UUID_LEN 36

/* An answer on the consent screen. */
enum cab_answer { CAB_ANSWER_NONE = 0, CAB_ANSWER_YES, CAB_ANSWER_NO };

/* The record of consent: what was shown, in which language, the answers, the time. */
struct cab_consent {
	char text_version[32];           /* id of the consent text shown, e.g. "consent-2026-11-v1" */
	char lang[3];                    /* language it was shown in: "fr" or "en" */
	enum cab_answer teleconsultation; /* consent to the teleconsultation itself */
	enum cab_answer readings;        /* consent to sending the instruments' readings */
	int64_t time_ms;                 /* when answered, epoch milliseconds (UTC); 0 = not yet */
	char text_sha256[65];            /* SHA-256 (FIPS 180-4, lower-case hex) of the text
	                                    shown (cab_screen_consent_text), "" = unknown */
};

/* The doctor, once the doctor station has announced them. */
struct cab_doctor {
	bool known;
	char name[96];      /* as displayed, e.g. "Dr Claire Martin" */
	char specialty[64]; /* e.g. "Médecine générale" */
	char rpps[12];      /* RPPS number, 11 digits */
};

/* One patient session. All zero (or cab_session_clear()) = no session. */
struct cab_session {
	bool active;                   /* true between cab_session_begin() and clear */
	char id[CAB_UUID_LEN + 1];     /* pseudonymous session id, random UUID v4 */
	char lang[3];                  /* current language: "fr" or "en" */
	int64_t started_ms;            /* epoch milliseconds */
	struct cab_consent consent;
	bool identity_done;            /* identity checked by cab_identity_check() */
	struct cab_identity identity;
	struct cab_doctor doctor;
};

/* Writes a random (version 4, RFC 9562 section 5.4) UUID in lower-case text form to
 * OUT (CAB_UUID_LEN + 1 bytes), from OpenSSL RAND_bytes. Returns 0, or -1 when the
 * random generator fails (OUT is then ""). */
int cab_uuid_v4(char out[CAB_UUID_LEN + 1]);

/* Starts a fresh session: clears S, draws a new id, sets language "fr" and
 * started_ms = NOW_MS (epoch ms). Returns 0, or -1 if no random id could be drawn
 * (S is then cleared and inactive). */
int cab_session_begin(struct cab_session *s, int64_t now_ms);

/* Erases everything in S (OPENSSL_cleanse over the whole structure, then zeroes):
 * used on refusal, abort, timeout and after the hand-off. Safe on a cleared S. */
void cab_session_clear(struct cab_session *s);

/* Sets the language; LANG must be "fr" or "en". Returns 0, or -1 otherwise. */
int cab_session_set_language(struct cab_session *s, const char *lang);

/* Records the consent answers: TEXT_VERSION (the text shown, at most 31 bytes),
 * the current session language, both answers and TIME_MS (epoch ms).
 * Returns 0, or -1 when TEXT_VERSION is empty/too long or an answer is NONE. */
int cab_session_record_consent(struct cab_session *s, const char *text_version,
                               enum cab_answer teleconsultation, enum cab_answer readings,
                               int64_t time_ms);

/* True when the consent record is complete and the teleconsultation was accepted
 * ("consent before sending": nothing leaves the cabin before this is true). */
bool cab_session_consented(const struct cab_session *s);

/* True when the readings may be sent (consented, and the readings answer is YES). */
bool cab_session_may_send_readings(const struct cab_session *s);

/* Stores the normal form of ID (cab_identity_normalise(): names trimmed, phone in
 * E.164, INS without spaces) after checking it against TODAY; on success sets
 * identity_done. Returns CAB_ID_OK or the first error (then S is unchanged and,
 * when FIELD is not NULL, *FIELD names the wrong trait). */
enum cab_id_err cab_session_set_identity(struct cab_session *s, const struct cab_identity *id,
                                         struct cab_date today, enum cab_id_field *field);

/* Records the doctor (strings truncated to their fields). RPPS may be "". */
void cab_session_set_doctor(struct cab_session *s, const char *name, const char *specialty,
                            const char *rpps);

#endif
