/* still_msg.h — an exam still (JPEG) on the link: split into "still" data messages
 * (base64 parts of CAB_LINK_STILL_PART bytes, each under the text-message limit) by
 * the cabin, reassembled and verified (size, SHA-256) by the station or the Bundle
 * builder. Wire rules: docs/link-protocol.md, "Stills". Pure (no I/O). */
#ifndef CABIN_LINK_STILL_MSG_H
#define CABIN_LINK_STILL_MSG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* What travels with every part besides the bytes. Strings are copied. */
struct cab_still_meta {
	const char *still_id;  /* 1-39 chars of [A-Za-z0-9._-]; NULL: a fresh UUID v4 */
	const char *camera;    /* instrument kind: "otoscope", "dermatoscope", "room-camera" */
	int width, height;     /* pixels of the JPEG */
	const char *time;      /* RFC 3339 capture time */
	const char *request;   /* id of the doctor's "still" request, or NULL */
	const char *body_site; /* as the doctor gave it, or NULL */
};

/* Builds the "still" data messages for SESSION carrying JPEG (LEN bytes, 1 ..
 * CAB_LINK_STILL_PART * CAB_LINK_STILL_PARTS_MAX): a new JSON array of message
 * objects in part order, each with its own message id, ready for the outbox. Each
 * serialises to under 140 KB. Returns NULL on a bad argument or allocation failure. */
json_t *cab_still_msgs(const char *session, const struct cab_still_meta *meta, const uint8_t *jpeg,
                       size_t len);

/* Reassembles one still from its messages PARTS (N, any order, already validated by
 * cab_msg_parse, all with the same still.id): every part 0..parts-1 present exactly
 * once, the same metadata in each, each part's size right, the SHA-256 (FIPS 180-4)
 * of the whole equal to still.sha256. On success returns 0 and sets *JPEG (malloc'd,
 * caller frees) and *LEN. On failure returns -1 with a sentence in ERR; a still that
 * is merely incomplete (parts missing) returns -2. */
int cab_still_assemble(json_t *const *parts, size_t n, uint8_t **jpeg, size_t *len, char *err,
                       size_t errsz);

/* The file name the station keeps a still under, next to the Bundle:
 * "<session>-still-<still id>.jpg" into OUT (N bytes). Returns OUT. */
const char *cab_still_file_name(const char *session, const char *still_id, char *out, size_t n);

/* Base64 (RFC 4648 section 4) of SHA-1 (FIPS 180-4) of DATA into OUT (29 bytes
 * incl. NUL): what FHIR R4 Attachment.hash holds. Returns 0 or -1. */
int cab_still_sha1_b64(const uint8_t *data, size_t len, char out[29]);

#endif
