/* station_db.h — the doctor station's own sqlite database (DATA/station.sqlite, WAL):
 * every data message received, deduplicated by message id, and each cabin's hello. */
#ifndef CABIN_STATION_DB_H
#define CABIN_STATION_DB_H

#include <jansson.h>
#include <stdint.h>

struct station_db;

/* Opens (creating) DIR/station.sqlite. NULL on error (logged). */
struct station_db *station_db_open(const char *dir);
void station_db_close(struct station_db *db);

/* Stores one data message. Returns 1 when new, 0 when the id was already stored
 * (a duplicate), -1 on error. */
/* Group commit: station_db_begin opens a transaction that the following writes join;
 * station_db_commit makes them durable (synchronous=FULL) in one sync, or rolls them
 * back and returns -1. Both return 0 on success, -1 on error (logged). */
int station_db_begin(struct station_db *db);
int station_db_commit(struct station_db *db);

int station_db_put_message(struct station_db *db, const char *id, const char *session,
                           const char *cabin, const char *type, const char *body, int64_t rx_ms);

/* 1 when a message of TYPE exists for SESSION, 0 when not, -1 on error. */
int station_db_has(struct station_db *db, const char *session, const char *type);

/* 1 when a message with ID is stored, 0 when not, -1 on error. */
int station_db_has_id(struct station_db *db, const char *id);

/* Cabin id that opened SESSION into OUT (N bytes); 0, or -1 when unknown. */
int station_db_session_cabin(struct station_db *db, const char *session, char *out, size_t n);

/* Every stored message of SESSION, parsed, in arrival order (new array, NULL on error). */
json_t *station_db_session_messages(struct station_db *db, const char *session);

/* Stores / reads the latest hello of a cabin (the JSON text). get returns a new
 * reference or NULL. */
int station_db_put_hello(struct station_db *db, const char *cabin, const char *body);
json_t *station_db_get_hello(struct station_db *db, const char *cabin);

/* Sessions whose id starts with PREFIX: writes the single match to OUT and returns 1,
 * 0 when none, 2 or more when ambiguous. */
int station_db_find_session(struct station_db *db, const char *prefix, char *out, size_t n);

/* Appends one line to the audit trail of doctors' actions (docs/console.md): the time
 * (CLOCK_REALTIME ms), the doctor's RPPS, the action ("take", "request", ...), the
 * session (may be NULL) and a detail without personal data (may be NULL). 0 or -1. */
int station_db_audit(struct station_db *db, int64_t time_ms, const char *rpps, const char *action,
                     const char *session, const char *detail);

/* Stores the doctor's compte rendu and prescription of SESSION as JSON text BODY
 * {"report":{"reason","history","examination","conclusion","advice"},
 *  "prescription":{"id","lines":[{"medicine","dose","duration","text"}]}}
 * (the record reads it for the Bundle), replacing an earlier one. 0 or -1. */
int station_db_put_report(struct station_db *db, const char *session, const char *body,
                          const char *rpps, int64_t time_ms);
/* The stored report of SESSION (new reference), or NULL. */
json_t *station_db_get_report(struct station_db *db, const char *session);

/* The doctor who took SESSION in the console, as JSON text {name, specialty, rpps}; 0/-1.
 * get returns a new reference or NULL when no doctor took it. */
int station_db_put_session_doctor(struct station_db *db, const char *session, const char *doctor);
json_t *station_db_get_session_doctor(struct station_db *db, const char *session);

/* Every session: array of {"session","cabin","closed": bool}, oldest first. */
json_t *station_db_sessions(struct station_db *db);
/* The records waiting for the platform's FHIR server (table delivery). put queues
 * SESSION's record BODY (JSON text) due now, replacing an older one (delivered or
 * not); 0 or -1. due returns the body (malloc'd, NULL when none is due at NOW_MS) of
 * the most overdue undelivered record, its session in SESSION (N bytes) and its
 * failed tries so far. result records a try: DELIVERED 1, or the TRIES, the next try's
 * time and the ERROR; 0 or -1. */
int station_db_delivery_put(struct station_db *db, const char *session, const char *body,
                            int64_t now_ms);
char *station_db_delivery_due(struct station_db *db, int64_t now_ms, char *session, size_t n,
                              int *tries);
int station_db_delivery_result(struct station_db *db, const char *session, int delivered,
                               int tries, int64_t next_ms, const char *error);
#endif
