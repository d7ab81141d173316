/* media_wire.c — length-prefixed frames over loopback TCP for the media tests. */
#include "media_wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int64_t cab_wire_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

int cab_wire_listen(int port, int *bound)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = loopback(port);
	socklen_t al = sizeof a;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) < 0) {
		close(fd);
		return -1;
	}
	if (bound)
		*bound = ntohs(a.sin_port);
	return fd;
}

int cab_wire_accept(int lfd, int timeout_ms)
{
	struct pollfd p = {lfd, POLLIN, 0};
	if (poll(&p, 1, timeout_ms) <= 0)
		return -1;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC), one = 1;
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

int cab_wire_connect(int port, int timeout_ms)
{
	return cab_wire_connect_rcvbuf(port, timeout_ms, 0);
}

int cab_wire_connect_rcvbuf(int port, int timeout_ms, int rcvbuf)
{
	struct sockaddr_in a = loopback(port);
	for (int waited = 0; waited <= timeout_ms; waited += 50) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
		if (fd < 0)
			return -1;
		if (rcvbuf > 0) /* before connect: the window offered from the start */
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
		if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			return fd;
		}
		close(fd);
		usleep(50000);
	}
	return -1;
}

void cab_wire_init(struct cab_wire *w, int fd)
{
	w->fd = fd;
	pthread_mutex_init(&w->wlock, NULL);
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int read_all(int fd, uint8_t *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = recv(fd, p + got, n - got, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0)
			return got == 0 ? 0 : -1;
		if (k < 0)
			return -1;
		got += (size_t)k;
	}
	return 1;
}

int cab_wire_send(struct cab_wire *w, uint8_t kind, const uint8_t *body, size_t len)
{
	uint8_t h[5] = {(uint8_t)((len + 1) >> 24), (uint8_t)((len + 1) >> 16),
	                (uint8_t)((len + 1) >> 8), (uint8_t)(len + 1), kind};
	if (len + 1 > CAB_WIRE_MAX)
		return -1;
	pthread_mutex_lock(&w->wlock);
	int rc = write_all(w->fd, h, sizeof h);
	if (rc == 0 && len)
		rc = write_all(w->fd, body, len);
	pthread_mutex_unlock(&w->wlock);
	return rc;
}

int cab_wire_try_send(struct cab_wire *w, uint8_t kind, const uint8_t *body, size_t len)
{
	uint8_t f[64];
	if (len + 5 > sizeof f)
		return -1;
	f[0] = (uint8_t)((len + 1) >> 24);
	f[1] = (uint8_t)((len + 1) >> 16);
	f[2] = (uint8_t)((len + 1) >> 8);
	f[3] = (uint8_t)(len + 1);
	f[4] = kind;
	if (len)
		memcpy(f + 5, body, len);
	if (pthread_mutex_trylock(&w->wlock) != 0)
		return 0;
	ssize_t k = send(w->fd, f, len + 5, MSG_NOSIGNAL | MSG_DONTWAIT);
	int rc = 1;
	if (k < 0)
		rc = (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
	else if ((size_t)k < len + 5)
		rc = write_all(w->fd, f + k, len + 5 - (size_t)k) == 0 ? 1 : -1;
	pthread_mutex_unlock(&w->wlock);
	return rc;
}

int cab_wire_recv(struct cab_wire *w, uint8_t *kind, uint8_t *buf, size_t cap, size_t *len)
{
	uint8_t h[5];
	int rc = read_all(w->fd, h, sizeof h);
	if (rc <= 0)
		return rc;
	uint32_t n = ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) | ((uint32_t)h[2] << 8) | h[3];
	if (n < 1 || n > CAB_WIRE_MAX || n - 1 > cap)
		return -1;
	*kind = h[4];
	*len = n - 1;
	return *len ? (read_all(w->fd, buf, *len) == 1 ? 1 : -1) : 1;
}
