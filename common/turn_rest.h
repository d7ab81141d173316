/* turn_rest.h — short-lived TURN credentials in coturn's shared-secret REST scheme
 * (coturn's `use-auth-secret` / `static-auth-secret`, after the expired IETF draft
 * draft-uberti-behave-turn-rest-00 §2.2): the station and coturn share a secret; for each
 * call the station hands both ends
 *   username   = "<expiry, Unix seconds>:<user>"
 *   credential = base64(HMAC-SHA1(secret, username))
 * and coturn accepts them until the expiry. The secret never leaves the station. */
#ifndef CABIN_TURN_REST_H
#define CABIN_TURN_REST_H

#include <stddef.h>
#include <stdint.h>

#define CAB_TURN_USER_MAX 96 /* username buffer, bytes with the NUL */
#define CAB_TURN_CRED_MAX 32 /* base64 of a 20-byte HMAC-SHA1 is 28 characters */

/* Writes USERNAME and CREDENTIAL for USER (e.g. the session id: letters, digits, '-')
 * valid until NOW + TTL_S (Unix seconds). Returns 0, or -1 when SECRET is empty, USER
 * holds ':' or does not fit, or TTL_S <= 0. Pure apart from OpenSSL's HMAC. */
int cab_turn_rest_credentials(const char *secret, const char *user, int64_t now, int64_t ttl_s,
                              char username[CAB_TURN_USER_MAX], char credential[CAB_TURN_CRED_MAX]);

#endif
