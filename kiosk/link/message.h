/* message.h — the link protocol's text messages (docs/link-protocol.md): a strict
 * parser shared by the cabin and the station, builders for the control messages,
 * and message ids. JSON through jansson; no I/O, no globals except the RNG. */
#ifndef CABIN_LINK_MESSAGE_H
#define CABIN_LINK_MESSAGE_H

#include <jansson.h>
#include <stddef.h>

#define CAB_LINK_MSG_MAX (256 * 1024)     /* bytes: larger text messages are refused */
#define CAB_LINK_ID_MAX 39                /* longest message / session id accepted */
#define CAB_LINK_STR_MAX 4096             /* longest string field accepted */
#define CAB_LINK_SDP_MAX 65536            /* longest SDP (webrtc offer / answer) accepted */
#define CAB_LINK_VERSION 1                /* the protocol version this code speaks */
#define CAB_LINK_SUBPROTOCOL "cabin-link" /* WebSocket subprotocol name */
#define CAB_LINK_STILL_PART                                                                        \
	98304u                       /* JPEG bytes per "still" message (3 * 32768:                 \
	                                the parts' base64 texts concatenate) */
#define CAB_LINK_STILL_PARTS_MAX 80u /* parts per still: 7.5 MiB of JPEG at most */

/* Message types (docs/link-protocol.md, "Messages"). */
enum cab_msg_type {
	CAB_MSG_HELLO = 0,     /* cabin -> station: identity, supported versions */
	CAB_MSG_WELCOME,       /* station -> cabin: chosen version */
	CAB_MSG_SESSION_OPEN,  /* cabin -> station, data */
	CAB_MSG_SESSION_CLOSE, /* cabin -> station, data */
	CAB_MSG_CONSENT,       /* cabin -> station, data */
	CAB_MSG_IDENTITY,      /* cabin -> station, data */
	CAB_MSG_READING,       /* cabin -> station, data (FHIR R4 Observation) */
	CAB_MSG_INCIDENT,      /* cabin -> station, data */
	CAB_MSG_DOCTOR,        /* station -> cabin: the doctor's identity */
	CAB_MSG_REQUEST,       /* station -> cabin: what the doctor asks */
	CAB_MSG_ACK,           /* either way: acknowledges one message id */
	CAB_MSG_ERROR,         /* either way: a refused message */
	CAB_MSG_PING,          /* either way */
	CAB_MSG_PONG,          /* either way */
	CAB_MSG_STILL,         /* cabin -> station, data: one part of an exam still (JPEG) */
	CAB_MSG_QUEUE,         /* station -> cabin: the waiting patient's place and estimate */
	CAB_MSG_PATIENT_STATE, /* cabin -> station: patient ready, measurements under way */
	CAB_MSG_WEBRTC,        /* both ways, relayed to/from the doctor's console: signalling */
	CAB_MSG_ICE_SERVERS,   /* station -> cabin (and console): STUN/TURN servers for the call */
	CAB_MSG_PRESCRIPTION,  /* station -> cabin: the doctor's prescription (acknowledged) */
	CAB_MSG__COUNT
};

/* Why a message was refused; cab_msg_error_code() gives the wire code. */
enum cab_msg_err {
	CAB_MSGE_OK = 0,
	CAB_MSGE_TOO_LARGE,     /* "too-large": over CAB_LINK_MSG_MAX */
	CAB_MSGE_BAD_JSON,      /* "bad-json": not JSON, or duplicate keys */
	CAB_MSGE_NOT_OBJECT,    /* "bad-json": top level is not an object */
	CAB_MSGE_MISSING_FIELD, /* "missing-field" */
	CAB_MSGE_BAD_FIELD,     /* "bad-field": wrong JSON type, length or value */
	CAB_MSGE_UNKNOWN_TYPE,  /* "unknown-type" */
};

/* Request actions the doctor may send (CAB_MSG_REQUEST "action"). */
enum cab_req_action {
	CAB_REQ_MEASURE = 0,  /* "measure": take a measurement with instrument "kind" */
	CAB_REQ_STREAM_START, /* "stream_start": start streaming instrument "kind" */
	CAB_REQ_STREAM_STOP,  /* "stream_stop" */
	CAB_REQ_MESSAGE,      /* "message": show "text" to the patient */
	CAB_REQ_END,          /* "end": end the consultation */
	CAB_REQ_CAMERA,       /* "camera": switch the live video to camera "kind" */
	CAB_REQ_STILL,        /* "still": send a still of camera "kind" ("body_site" opt.) */
	CAB_REQ_KEYFRAME,     /* "keyframe": the station lost video packets, send an IDR */
	CAB_REQ_CALL,         /* "call": the doctor starts the call (the cabin offers, WebRTC) */
	CAB_REQ__COUNT
};

/* A parsed, validated message. ROOT owns everything; the strings point into it. */
struct cab_msg {
	enum cab_msg_type type;
	const char *id;      /* never NULL after a successful parse */
	const char *session; /* "session" field, or NULL when the type has none */
	json_t *root;
};

/* Parses and validates one text message of LEN bytes (need not be NUL-terminated).
 * Checks the size limit, JSON syntax (duplicate keys refused), the type, and every
 * required field's presence, JSON type, length and allowed values per
 * docs/link-protocol.md. On success fills OUT (free with cab_msg_free) and returns
 * CAB_MSGE_OK. On failure returns the reason, writes a one-line explanation to ERR
 * (ERRSZ bytes) and leaves OUT->root NULL; OUT->id is then a copy (in REF_ID,
 * CAB_LINK_ID_MAX+1 bytes, may be NULL) of the message's id when one was readable. */
enum cab_msg_err cab_msg_parse(const char *buf, size_t len, struct cab_msg *out, char *ref_id,
                               char *err, size_t errsz);

/* Releases OUT->root and zeroes OUT. NULL-safe. */
void cab_msg_free(struct cab_msg *out);

/* Wire name of a type ("hello", "session_open", ...), NULL when out of range. */
const char *cab_msg_type_name(enum cab_msg_type type);

/* Type from its wire name, or -1 when unknown. */
int cab_msg_type_from_name(const char *name);

/* 1 for the data messages the cabin sends from its outbox and the station must
 * acknowledge (session_open/close, consent, identity, reading, incident, still). */
int cab_msg_is_data(enum cab_msg_type type);

/* Wire code of an error ("too-large", "bad-json", "missing-field", "bad-field",
 * "unknown-type"). */
const char *cab_msg_error_code(enum cab_msg_err err);

/* Wire name of a request action ("measure", ...); -1 / NULL when unknown. */
const char *cab_req_action_name(enum cab_req_action a);
int cab_req_action_from_name(const char *name);

/* Writes a random UUID version 4 (RFC 4122 4.4) as 36 lower-case characters plus NUL
 * into OUT (37 bytes), from OpenSSL's RAND_bytes. Returns 0, or -1 if the RNG fails. */
int cab_uuid4(char out[37]);

/* A new message object {"type": TYPE, "id": ID} (ID NULL: a fresh UUID). NULL on
 * allocation failure. The caller adds the type's fields. */
json_t *cab_msg_new(enum cab_msg_type type, const char *id);

/* {"type":"ack","id":new,"ack":ACKED_ID,"duplicate":DUP}. */
json_t *cab_msg_ack(const char *acked_id, int duplicate);

/* {"type":"error","id":new,"code":CODE,"ref":REF_ID or null,"detail":DETAIL}. */
json_t *cab_msg_error_new(const char *code, const char *ref_id, const char *detail);

/* Compact JSON text of MSG (malloc'd, NUL-terminated) and decrements MSG's
 * reference. NULL on failure. */
char *cab_msg_dump_take(json_t *msg);

/* Checks the key of a 15-character NIR / NIA (13 digits, or 2A/2B for Corsica at
 * positions 6-7, then a 2-digit key = 97 - (number mod 97)); Corsica per the INSEE
 * rule (2A -> 19, 2B -> 18 before the modulus). Returns 1 when valid. */
int cab_nir_key_ok(const char *nir);

#endif
