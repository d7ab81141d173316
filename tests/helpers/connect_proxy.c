/* connect_proxy.c — a tiny HTTP CONNECT proxy (RFC 9110 9.3.6) on loopback for the
 * link's proxy test: accepts "CONNECT host:port", allows loopback targets only,
 * answers 200 and relays bytes both ways. Prints "LISTENING <port>" then one
 * "CONNECT <target>" line per tunnel. Usage: connect_proxy [PORT] */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

static void say(const char *what, const char *arg)
{
	pthread_mutex_lock(&out_mu);
	printf("%s %s\n", what, arg);
	fflush(stdout);
	pthread_mutex_unlock(&out_mu);
}

static void relay(int a, int b)
{
	char buf[16384];
	struct pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
	for (;;) {
		if (poll(p, 2, -1) < 0)
			return;
		for (int i = 0; i < 2; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(p[i].fd, buf, sizeof buf);
			if (n <= 0)
				return;
			for (ssize_t off = 0; off < n;) {
				ssize_t w = write(p[1 - i].fd, buf + off, (size_t)(n - off));
				if (w <= 0)
					return;
				off += w;
			}
		}
	}
}

static void *client(void *arg)
{
	int c = (int)(intptr_t)arg, up = -1;
	char req[4096];
	size_t len = 0;
	while (len < sizeof req - 1) { /* read the request head, byte by byte: tiny */
		ssize_t n = read(c, req + len, 1);
		if (n <= 0)
			goto out;
		len++;
		if (len >= 4 && !memcmp(req + len - 4, "\r\n\r\n", 4))
			break;
	}
	req[len] = 0;
	char host[256], port[16];
	if (sscanf(req, "CONNECT %255[^:]:%15[0-9] HTTP/1.", host, port) != 2) {
		dprintf(c, "HTTP/1.1 405 Only CONNECT\r\n\r\n");
		goto out;
	}
	if (strcmp(host, "127.0.0.1") && strcmp(host, "localhost")) {
		dprintf(c, "HTTP/1.1 403 Loopback only\r\n\r\n");
		goto out;
	}
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai = NULL;
	if (getaddrinfo(host, port, &hints, &ai) || (up = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(up, ai->ai_addr, ai->ai_addrlen)) {
		dprintf(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n");
		if (ai)
			freeaddrinfo(ai);
		goto out;
	}
	freeaddrinfo(ai);
	char target[300];
	snprintf(target, sizeof target, "%s:%s", host, port);
	say("CONNECT", target);
	dprintf(c, "HTTP/1.1 200 Connection established\r\n\r\n");
	relay(c, up);
out:
	if (up >= 0)
		close(up);
	close(c);
	return NULL;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET,
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	                        .sin_port = htons((uint16_t)(argc > 1 ? atoi(argv[1]) : 0))};
	socklen_t al = sizeof a;
	if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16) ||
	    getsockname(s, (struct sockaddr *)&a, &al)) {
		perror("connect_proxy");
		return 1;
	}
	char p[16];
	snprintf(p, sizeof p, "%d", ntohs(a.sin_port));
	say("LISTENING", p);
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		pthread_t th;
		if (pthread_create(&th, NULL, client, (void *)(intptr_t)c) == 0)
			pthread_detach(th);
		else
			close(c);
	}
}
