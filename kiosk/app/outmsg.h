/* outmsg.h — the cabin's data messages for the doctor station, built as the link
 * protocol's JSON text (docs/link-protocol.md "Messages"): session_open, consent,
 * identity, reading (FHIR R4 Observation), incident, session_close. Pure: no I/O;
 * the caller writes each body to the outbox (kiosk/store) before the link sends it. */
#ifndef CABIN_APP_OUTMSG_H
#define CABIN_APP_OUTMSG_H

#include <stdint.h>

#include "cabin/reading.h"
#include "kiosk/flow/session.h"

/* Every builder returns the whole message as a malloc'd NUL-terminated JSON text
 * (free() it) and writes its fresh UUID v4 message id into ID (37 bytes); NULL on
 * allocation failure or bad argument. SID is the pseudonymous session id. Times
 * are epoch milliseconds (UTC), written as RFC 3339. */

/* {"type":"session_open","session":SID,"time":T}. */
char *cab_out_session_open(const char *sid, int64_t t_ms, char id[37]);

/* {"type":"consent","consent":{"accepted","language","text_id","time"}} from the
 * session's consent record; "accepted" is the teleconsultation answer, and
 * "readings" (extra field) the answer about sending readings. */
char *cab_out_consent(const char *sid, const struct cab_consent *c, char id[37]);

/* {"type":"identity","patient":{...}}: birth name, first names, birth date
 * (YYYY-MM-DD), sex female|male, birth_place_insee, ins {kind NIR|NIA, value} when
 * given (NIA when the first digit is 7 or 8, INS rules), phone when given. */
char *cab_out_identity(const char *sid, const struct cab_identity *id, char id_out[37]);

/* {"type":"reading","mdc":N,"device":{...},"observation":{FHIR Observation}}. */
char *cab_out_reading(const char *sid, const struct cab_reading *r, char id[37]);

/* {"type":"incident","incident":{"kind","start","end"?,"detail"?}}; END_MS 0 = none,
 * DETAIL NULL/"" = none. KIND e.g. "link-lost", "instrument-error". */
char *cab_out_incident(const char *sid, const char *kind, int64_t start_ms, int64_t end_ms,
                       const char *detail, char id[37]);

/* {"type":"session_close","time":T,"reason":REASON} ("completed", "aborted",
 * "refused", "timeout", "doctor-ended", "interrupted"). */
char *cab_out_session_close(const char *sid, int64_t t_ms, const char *reason, char id[37]);

/* The identity again with the pharmacist's check of an identity document:
 * patient.verified {document DOCUMENT ("CN", "PA" or "CS"), time T_MS} (the station
 * keeps the latest identity; the record's Patient gets identity status VALI,
 * docs/record.md). NULL on a missing trait or a bad DOCUMENT. */
char *cab_out_identity_verified(const char *sid, const struct cab_identity *p,
                                const char *document, int64_t t_ms, char id[37]);

/* The same, with the call it closes: "call" {"start": CALL_START_MS, "end": T_MS} (RFC
 * 3339) when CALL_START_MS > 0 (the record's Encounter.period when the station sent no
 * `call` request, docs/record.md). */
char *cab_out_session_close_call(const char *sid, int64_t t_ms, const char *reason,
                                 int64_t call_start_ms, char id[37]);

#endif
