/* media_wire.h — test transport standing in for the wss link: frames on a TCP
 * socket, each "u32 big-endian length, u8 kind, body". Kinds: 'M' one media
 * message, 'A' ack (u64 media bytes received), 'P' ping / 'Q' pong (u64 send time,
 * monotonic microseconds). Writers share a mutex so threads can interleave frames. */
#ifndef CABIN_TEST_MEDIA_WIRE_H
#define CABIN_TEST_MEDIA_WIRE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define CAB_WIRE_MAX (9u * 1024 * 1024)

struct cab_wire {
	int fd;
	pthread_mutex_t wlock;
};

/* Listens on 127.0.0.1:PORT (0: any; the chosen port is stored in *BOUND) and
 * returns the listening fd, or -1. */
int cab_wire_listen(int port, int *bound);

/* Accepts one connection on LFD within TIMEOUT_MS. Returns the fd or -1. */
int cab_wire_accept(int lfd, int timeout_ms);

/* Connects to 127.0.0.1:PORT, retrying for up to TIMEOUT_MS. Returns the fd or -1. */
int cab_wire_connect(int port, int timeout_ms);

/* The same with SO_RCVBUF = RCVBUF bytes set before connecting (0: default), so the
 * peer's sending is limited by a small window from the start. */
int cab_wire_connect_rcvbuf(int port, int timeout_ms, int rcvbuf);

/* Sets up W on FD. */
void cab_wire_init(struct cab_wire *w, int fd);

/* Writes one frame (blocking, whole). Returns 0 or -1. */
int cab_wire_send(struct cab_wire *w, uint8_t kind, const uint8_t *body, size_t len);

/* Sends a small control frame only if it can go now: the write lock is free and
 * the socket takes the first bytes without waiting (then the rest is finished).
 * Returns 1 sent, 0 skipped (busy), -1 on error. For acks and pongs, which must
 * never stall a reading thread behind a slow media write. */
int cab_wire_try_send(struct cab_wire *w, uint8_t kind, const uint8_t *body, size_t len);

/* Reads one frame into BUF (CAP bytes): kind in *KIND, body length in *LEN.
 * Returns 1, 0 at end of stream, -1 on error or oversize. */
int cab_wire_recv(struct cab_wire *w, uint8_t *kind, uint8_t *buf, size_t cap, size_t *len);

/* Monotonic microseconds. */
int64_t cab_wire_now_us(void);

#endif
