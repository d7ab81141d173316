/* store.h — the cabin's session store: sessions, consent, identity, readings,
 * instruments, incidents, the outbox for the doctor station and the audit chain,
 * kept in one sqlite database (WAL, synchronous=FULL). Personal data is encrypted at
 * rest (AES-256-GCM, one data key per session wrapped by the cabin key file) and wiped
 * when the session ends. kiosk/store/ is the only code that speaks SQL.
 *
 * Threads: a struct cab_store is used by one thread at a time. The link thread gets
 * its own handle (and sqlite connection) from cab_store_outbox_open(). Every
 * function that fails returns a negative enum cab_store_status, logs the cause
 * (component "store") and leaves a message for the screen in cab_store_errmsg(). */
#ifndef CABIN_STORE_H
#define CABIN_STORE_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "cabin/reading.h"
#include "kiosk/link/outbox_port.h"

/* Results: 0 is success, every failure is negative. */
enum cab_store_status {
	CAB_STORE_OK = 0,
	CAB_STORE_ERR = -1,       /* any other failure (sqlite or system), see errmsg */
	CAB_STORE_FULL = -2,      /* disk full / file size limit: nothing was written */
	CAB_STORE_READONLY = -3,  /* data directory or database not writable */
	CAB_STORE_CORRUPT = -4,   /* database file damaged or not a database; untouched */
	CAB_STORE_TAMPERED = -5,  /* ciphertext failed authentication (changed, swapped,
	                             wrong key); nothing was returned */
	CAB_STORE_NOKEY = -6,     /* the session's data key was destroyed (session wiped) */
	CAB_STORE_NOTFOUND = -7,  /* no such session / row / message */
	CAB_STORE_INVALID = -8,   /* bad argument (too long, wrong state, NULL) */
	CAB_STORE_NOMEM = -9,     /* allocation failed */
	CAB_STORE_KEYFILE = -10   /* cabin key file unreadable, wrong mode or wrong key */
};

/* Short stable name of a status ("ok", "full", "readonly", "corrupt", "tampered",
 * "nokey", "notfound", "invalid", "nomem", "keyfile", "error"). Never NULL. */
const char *cab_store_status_name(int status);

/* How a session ended. Stored as text ("completed", ...). */
enum cab_store_outcome {
	CAB_OUTCOME_COMPLETED = 0, /* hand-off record sent; wiped when acknowledged */
	CAB_OUTCOME_REFUSED,       /* consent refused */
	CAB_OUTCOME_ABORTED,       /* patient or pharmacist stopped it */
	CAB_OUTCOME_TIMEOUT,       /* inactivity timeout */
	CAB_OUTCOME_INTERRUPTED,   /* found open at start-up (crash, kill, watchdog), or its
	                              unsent data expired */
	CAB_OUTCOME_ERROR          /* technical failure */
};

/* Text of an outcome ("completed", "refused", "aborted", "timeout",
 * "interrupted", "error"). */
const char *cab_store_outcome_name(enum cab_store_outcome outcome);

/* The link message type that ends a session (docs/link-protocol.md: the station
 * writes the hand-off Bundle when it stores it); its acknowledgement wipes the
 * session (see docs/store.md). */
#define CAB_STORE_HANDOFF_TYPE "session_close"

/* Schema version written by this code (PRAGMA user_version). */
#define CAB_STORE_SCHEMA_VERSION 3

/* Where and how to open the store. */
struct cab_store_options {
	const char *data_dir;  /* directory of cabin.db; created 0700 if missing */
	const char *key_file;  /* cabin key file (32 random bytes, mode 0600); NULL ->
	                          DATA_DIR-private/cabin.key (its own 0700 directory, apart
	                          from the data: a key found in DATA_DIR/cabin.key, from an
	                          older version, is moved there); created on first start */
	int64_t (*wall_ms)(void *user); /* epoch ms clock; NULL -> cab_wall_ms() */
	void *clock_user;
	int target_version;    /* tests only: migrate up to this version; 0 = latest */
};

struct cab_store;

/* Opens (creating if needed) the database DATA_DIR/cabin.db, migrates it forward,
 * loads or creates the cabin key. Sessions left open by a crash are left as they are
 * for the application's start-up recovery (cab_store_session_find_open,
 * cab_store_session_interrupt; docs/store.md "Interrupted sessions"). On failure *OUT is NULL, a message
 * for the screen is written to MSG (MSGSIZE bytes, may be 0) and logged; the
 * database file is never modified by a failed open. Returns 0 or a status. */
int cab_store_open(const struct cab_store_options *opt, struct cab_store **out,
                   char *msg, size_t msgsize);

/* Checkpoints the WAL (TRUNCATE), closes, and cleanses key material. NULL is fine. */
void cab_store_close(struct cab_store *st);

/* Message for the screen about the last failure on ST ("" when none). */
const char *cab_store_errmsg(const struct cab_store *st);

/* Full path of the database file (DATA_DIR/cabin.db). */
const char *cab_store_db_path(const struct cab_store *st);

/* --- sessions --------------------------------------------------------------- */

/* Starts a session with a fresh random data key. ID_OUT (37 bytes) receives its
 * pseudonymous id (UUID v4). LANGUAGE is an ISO 639-1 code or "". */
int cab_store_session_begin(struct cab_store *st, const char *language, char id_out[37]);

/* Ends session SID. For CAB_OUTCOME_COMPLETED, HANDOFF_BODY (the whole
 * "session_close" link message, JSON, whose "id" is HANDOFF_ID, a UUID v4 the caller
 * made with cab_uuid_v4(); NULL lets the store make one) is queued in the outbox as
 * type CAB_STORE_HANDOFF_TYPE, sealed, and the session waits for its acknowledgement
 * (state "closing"), which wipes it. Any other outcome wipes the session now
 * (HANDOFF_ID and HANDOFF_BODY must be NULL; queue a non-personal notice with
 * cab_store_outbox_put() first if the station must hear of it). */
int cab_store_session_close(struct cab_store *st, const char *sid,
                            enum cab_store_outcome outcome, const char *handoff_id,
                            const char *handoff_body);

/* Wipes session SID now: destroys its data key, deletes identity, consent and
 * readings with secure_delete on, drops the bodies of its outbox messages (pending
 * personal messages become "dropped"), marks it "wiped" with OUTCOME (kept if one was
 * set before) and checkpoints the WAL with TRUNCATE. Idempotent. */
int cab_store_session_wipe(struct cab_store *st, const char *sid,
                           enum cab_store_outcome outcome);

/* Destroys only the session's data key (first step of a wipe): from then on its
 * encrypted rows are unreadable (CAB_STORE_NOKEY) even while still present. */
int cab_store_session_destroy_key(struct cab_store *st, const char *sid);

/* Finds the oldest session still "open" (the cabin stopped during it): SID_OUT (37
 * bytes) receives its id. Returns 0, CAB_STORE_NOTFOUND when none, or a status. */
int cab_store_session_find_open(struct cab_store *st, char sid_out[37]);

/* Closes the open session SID as interrupted, in one transaction. When the station
 * knows the session (its session_open is in the outbox: consent was given), what the
 * patient agreed to send stays in the outbox sealed with the session key, the local
 * identity, consent and readings rows are erased, INCIDENT_BODY (type "incident",
 * not personal) then CLOSE_BODY (type CAB_STORE_HANDOFF_TYPE, reason "interrupted",
 * not personal) are queued with ids INCIDENT_ID and CLOSE_ID, and the session becomes
 * "closing" with outcome "interrupted": the acknowledgement of CLOSE_BODY wipes it,
 * like a completed hand-off. Otherwise (nothing agreed to send) the session is wiped
 * now, outcome "interrupted", and nothing is queued. Returns 1 (delivering), 0
 * (wiped), or a status (CAB_STORE_INVALID when SID is not open). Audited
 * "session_interrupted". */
int cab_store_session_interrupt(struct cab_store *st, const char *sid, const char *incident_id,
                                const char *incident_body, const char *close_id,
                                const char *close_body);

/* Bounds how long personal data waits for the station: every session with a personal
 * outbox message still pending and queued at least MAX_AGE_MS ago (store clock) is
 * wiped now (its pending personal messages become "dropped", outcome "interrupted" if
 * none was set), an incident "data-expired" is recorded, and FN (may be NULL) is
 * called with its id and the age in ms of its oldest such message, so that the caller
 * reports the loss to the station (a non-personal "incident" message). At most 16
 * sessions per call. MAX_AGE_MS <= 0: nothing expires. Returns the number of
 * sessions wiped or a status. */
int cab_store_outbox_expire(struct cab_store *st, int64_t max_age_ms,
                            void (*fn)(void *user, const char *sid, int64_t age_ms), void *user);

/* What is kept about a session (pseudonymous). Strings NUL-terminated. */
struct cab_store_session_info {
	char id[37];
	char state[12];     /* "open", "closing", "wiped" */
	char outcome[16];   /* cab_store_outcome_name() or "" while open */
	char language[8];
	int64_t started_ms, ended_ms, wiped_ms; /* epoch ms, 0 when not yet */
};

/* Reads what is kept about session SID. */
int cab_store_session_get(struct cab_store *st, const char *sid,
                          struct cab_store_session_info *out);

/* --- personal data (encrypted) ---------------------------------------------- */

/* A patient's identity as the national identity rules ask for it (INS traits).
 * Strings are UTF-8; empty when not given. */
struct cab_store_identity {
	char birth_name[128];
	char first_names[128];
	char used_name[128];
	char birth_date[11];   /* YYYY-MM-DD */
	char sex[2];           /* "F", "M" or "I" (indeterminate) */
	char birth_place[6];   /* INSEE code of the commune / country of birth */
	char nir[16];          /* NIR / INS with its key, 15 digits, or "" */
	char phone[24];        /* to reach the patient, E.164 */
};

/* Stores (or replaces) the identity of session SID, encrypted. */
int cab_store_identity_put(struct cab_store *st, const char *sid,
                           const struct cab_store_identity *id);
/* Decrypts the identity of SID into OUT (zeroed on any failure). */
int cab_store_identity_get(struct cab_store *st, const char *sid,
                           struct cab_store_identity *out);

/* One answer of the consent form, e.g. {"teleconsultation", 1}. */
struct cab_store_consent_answer {
	char question[32]; /* stable id of the question */
	int accepted;      /* 1 yes, 0 no */
};

#define CAB_STORE_MAX_ANSWERS 16

/* The consent record: which text (version) was shown, in which language, the
 * answers and when. Answers are encrypted; version, language and time are not. */
struct cab_store_consent {
	char text_version[32];
	char language[8];
	int n_answers;
	struct cab_store_consent_answer answers[CAB_STORE_MAX_ANSWERS];
	int64_t recorded_ms;   /* epoch ms; 0 on put -> now */
};

/* Stores (or replaces) the consent record of session SID; answers sealed. At most
 * CAB_STORE_MAX_ANSWERS answers (else CAB_STORE_INVALID). */
int cab_store_consent_put(struct cab_store *st, const char *sid,
                          const struct cab_store_consent *c);
/* Reads the consent record of SID into OUT (zeroed on any failure). */
int cab_store_consent_get(struct cab_store *st, const char *sid,
                          struct cab_store_consent *out);

/* Stores one reading of session SID, encrypted; registers the instrument
 * (kind, model, serial, firmware) in the registry and notes that the session used
 * it. ID_OUT (37 bytes, may be NULL) receives the reading's id. */
int cab_store_reading_put(struct cab_store *st, const char *sid,
                          const struct cab_reading *r, char id_out[37]);

/* Calls FN for each reading of SID in insertion order (decrypted; stops at the
 * first failure, which is returned). Returns the count or a status. */
int cab_store_readings_each(struct cab_store *st, const char *sid,
                            int (*fn)(void *user, const struct cab_reading *r),
                            void *user);

/* --- instruments and incidents --------------------------------------------- */

/* One instrument of the registry. Dates as text: calibration_due "YYYY-MM-DD". */
struct cab_store_instrument {
	int64_t id;               /* registry id (filled by the store) */
	char kind[24];            /* cab_device_kind_name() */
	char model[48];
	char serial[48];
	char firmware[32];
	char calibration_due[11]; /* "" when unknown */
	int64_t last_selftest_ms; /* epoch ms, 0 never */
	char last_selftest_result[16]; /* "pass", "fail", "" */
	char driver[24];          /* cab_device_id.driver ("cms50"), "" unknown (v3) */
	int64_t first_seen_ms;    /* epoch ms, filled by the store */
	int64_t last_seen_ms;     /* epoch ms of the last upsert (attach, ready, reading) */
};

/* Registers the instrument keyed by (kind, model, serial), or updates it: firmware,
 * calibration_due and driver when given (non-empty; "" keeps the stored value),
 * last_seen_ms = now (first_seen_ms = now on insert). IN->id is filled. */
int cab_store_instrument_upsert(struct cab_store *st, struct cab_store_instrument *in);
/* Records a self-test result ("pass" / "fail") at AT_MS. */
int cab_store_instrument_selftest(struct cab_store *st, int64_t id, int64_t at_ms,
                                  const char *result);
/* Sets (DATE "YYYY-MM-DD") or clears (DATE "") the calibration due date of
 * instrument ID, audited as the technician's. CAB_STORE_NOTFOUND if no such id. */
int cab_store_instrument_set_calibration(struct cab_store *st, int64_t id, const char *date);
/* Calls FN for each instrument, by id. Returns the count or a status. */
int cab_store_instruments_each(struct cab_store *st,
                               int (*fn)(void *user, const struct cab_store_instrument *in),
                               void *user);

/* Records a technical incident (e.g. kind "link_lost", "instrument_error") with a
 * DETAIL that must hold no personal data; SID may be NULL or "". */
int cab_store_incident_add(struct cab_store *st, const char *sid, const char *kind,
                           const char *detail);
/* Counts incidents of SID (NULL: all). */
int cab_store_incident_count(struct cab_store *st, const char *sid);

/* One technical incident, for the hand-off record and the technician. */
struct cab_store_incident {
	int64_t id;
	int64_t time_ms;       /* epoch ms */
	char session_id[37];   /* "" for cabin-level incidents */
	char kind[65];
	char detail[1025];
};

/* Calls FN for each incident of SID (NULL: all) in time order; FN returning non-zero
 * stops the walk. Returns the count visited or a status. */
int cab_store_incidents_each(struct cab_store *st, const char *sid,
                             int (*fn)(void *user, const struct cab_store_incident *in),
                             void *user);

/* --- outbox ----------------------------------------------------------------- */

/* Queues one message for the doctor station before it is sent. SID is the session
 * ("" or NULL for cabin-level messages); PERSONAL = 1 means BODY carries personal
 * data: it is encrypted with the session key and dropped by the wipe if still
 * unsent. ID (a UUID v4 the caller already put in BODY) or NULL to let the store make
 * one; ID_OUT (37 bytes, may be NULL) receives it. Due at once (attempts 0). */
int cab_store_outbox_put(struct cab_store *st, const char *sid, const char *type,
                         const char *body, int personal, const char *id, char id_out[37]);

/* Outbox counts by state ("pending", "done", "dropped"): the technician's queue of
 * unsent data. */
struct cab_store_outbox_counts { int pending, done, dropped; };
/* Fills OUT with the counts. */
int cab_store_outbox_counts(struct cab_store *st, struct cab_store_outbox_counts *out);

/* Age of the oldest pending outbox entry: *AGE_MS = now (the store's clock, see
 * cab_store_options.wall_ms) minus its created_ms, in ms (never negative), and
 * *CREATED_MS (may be NULL) its enqueue time in epoch ms. Both 0 when nothing is
 * pending. The technician's measure of how long data has waited for the station. */
int cab_store_outbox_oldest_age(struct cab_store *st, int64_t *age_ms, int64_t *created_ms);

/* Retry policy of sent(): next try after min(CAP, BASE * 2^(attempts-1)) ms. */
#define CAB_OUTBOX_BACKOFF_BASE_MS 1000
#define CAB_OUTBOX_BACKOFF_CAP_MS 60000

/* Opens a second handle on the same database for the link thread (own sqlite
 * connection, same cabin key). Fill PORT with the kiosk/link/outbox_port.h
 * operations bound to it with cab_store_outbox_port(). */
int cab_store_outbox_open(const struct cab_store *main_store, struct cab_store **out);
/* Fills PORT so that port->user is ST. */
void cab_store_outbox_port(struct cab_store *st, struct cab_outbox_port *port);

/* The port's acked_many (outbox_port.h) on the store given as USER: one durable
 * transaction for the N acknowledged IDS (the link collects the acks of one service
 * round). An unknown id is refused alone (OK[i] = 0, logged); the others are kept.
 * Returns how many were marked, or -1 when the commit failed (every OK[i] = 0: the
 * messages stay pending, are resent and acknowledged again as duplicates). */
int cab_store_outbox_acked_many(void *user, const char *const *ids, int n, int *ok);

/* --- audit log --------------------------------------------------------------- */

/* Who did it. */
enum cab_audit_actor {
	CAB_ACTOR_CABIN = 0,   /* the cabin itself ("cabin") */
	CAB_ACTOR_SESSION,     /* a patient session (actor = session id) */
	CAB_ACTOR_PHARMACIST,
	CAB_ACTOR_TECHNICIAN,
	CAB_ACTOR_STATION      /* the doctor station (actor = station id) */
};

/* Appends one row to the hash-chained audit log. ACTOR_ID is a pseudonymous id
 * ("" allowed), ACTION a short verb ("session_begin"), DETAIL free text: none of
 * them may hold personal data. */
int cab_store_audit(struct cab_store *st, enum cab_audit_actor kind, const char *actor_id,
                    const char *action, const char *detail);

/* Walks the audit chain. Returns 0 with *ROWS = row count when every row's
 * prev_hash and hash match the canonical form (docs/store.md); 1 when a row is
 * broken, with *BAD_SEQ its seq and WHY (WHYSIZE bytes) the reason; or a negative
 * status. */
int cab_store_audit_verify(struct cab_store *st, int64_t *rows, int64_t *bad_seq,
                           char *why, size_t whysize);

/* Same on a database file opened read-only (no key needed, nothing written). */
int cab_store_audit_verify_file(const char *db_path, int64_t *rows, int64_t *bad_seq,
                                char *why, size_t whysize);

/* `cabin --verify-audit [--data DIR]`: prints "ok N" (N rows) or
 * "broken at row SEQ: WHY" or an error to OUT. Returns 0 when intact, 1 otherwise. */
int cab_audit_verify_main(const char *data_dir, FILE *out);

/* UUID v4 (RFC 9562 §5.4) from RAND_bytes into OUT (37 bytes). Returns 0 or -1. */
int cab_uuid_v4(char out[37]);

#endif
