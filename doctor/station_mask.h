/* station_mask.h — RFC 6455 section 5.1 at the station: "a server MUST close the
 * connection upon receiving a frame that is not masked". libwebsockets 4.1 accepts
 * unmasked client frames (tests/link/abuse.test.sh proved it) and shows no frame
 * header to its user, so the station follows the plaintext the library reads from a
 * cabin's TLS connection: the HTTP upgrade request, then each frame header (RFC 6455
 * 5.2), and marks the connection when a frame's MASK bit is 0. The follower is pure;
 * the station hooks it on OpenSSL's SSL_read (station_mask.c). */
#ifndef CABIN_STATION_MASK_H
#define CABIN_STATION_MASK_H

#include <openssl/ssl.h>
#include <stddef.h>
#include <stdint.h>

/* Where the follower is in the client's byte stream. Zero-initialised = at the start
 * of the HTTP request. */
struct stn_mask {
	int state;          /* internal: HTTP, frame byte 0/1, extended length, key, payload */
	uint32_t tail;      /* the last 4 bytes of the HTTP request, to find CRLF CRLF */
	int need;           /* bytes of the extended length / key still to read */
	uint64_t len;       /* the frame's payload length being read */
	uint64_t left;      /* payload bytes still to skip */
	int unmasked;       /* a frame without mask came: the connection must be closed */
	uint64_t frames;    /* frame headers seen */
};

/* Follows N bytes of the client's stream. Returns 1 once an unmasked frame was seen
 * (sticky), else 0. */
int stn_mask_feed(struct stn_mask *m, const unsigned char *p, size_t n);

/* Follows SSL's plaintext from now on (a cabin's certificate: its TLS handshake just
 * ended). Returns 0, -1 when out of memory (then nothing is followed). */
int stn_mask_follow(SSL *ssl);

/* 1 when SSL is followed and an unmasked frame came on it. */
int stn_mask_violated(SSL *ssl);

#endif
