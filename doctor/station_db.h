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

/* Every session: array of {"session","cabin","closed": bool}, oldest first. */
json_t *station_db_sessions(struct station_db *db);
#endif
