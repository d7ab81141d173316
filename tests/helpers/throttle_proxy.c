/* throttle_proxy.c — a TCP proxy on 127.0.0.1 that limits the throughput of the
 * client-to-target direction (token bucket, 10 ms ticks, 50 ms burst), or with
 * --reverse the target-to-client one, to test link adaptation with a real socket.
 * SIGUSR1 turns the limit on, SIGUSR2 off.
 * Usage: throttle_proxy --port-file F --target PORT --rate BYTES_PER_S [--throttled]
 *        [--rcvbuf BYTES] [--reverse]   (one connection; exits when either side closes) */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "media_wire.h"

static volatile sig_atomic_t throttled;

static void on_sig(int sig)
{
	throttled = sig == SIGUSR1;
}

#define BUF 16384

struct dir {
	int from, to;
	uint8_t buf[BUF];
	size_t len, off;
	int limited;
	int eof;
};

int main(int argc, char **argv)
{
	const char *port_file = NULL;
	int target = 0, rcvbuf = 16384, reverse = 0;
	double rate = 64000;
	static const struct option opts[] = {{"port-file", 1, 0, 'p'}, {"target", 1, 0, 't'},
	                                     {"rate", 1, 0, 'r'},      {"throttled", 0, 0, 'T'},
	                                     {"rcvbuf", 1, 0, 'b'},    {"reverse", 0, 0, 'R'},
	                                     {0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			port_file = optarg;
			break;
		case 't':
			target = atoi(optarg);
			break;
		case 'r':
			rate = atof(optarg);
			break;
		case 'T':
			throttled = 1;
			break;
		case 'b':
			rcvbuf = atoi(optarg);
			break;
		case 'R':
			reverse = 1;
			break;
		default:
			return 2;
		}
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sig;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	int bound = 0, lfd = cab_wire_listen(0, &bound);
	if (lfd < 0 || !port_file || target <= 0)
		return 1;
	setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	FILE *f = fopen(port_file, "w");
	if (!f)
		return 1;
	fprintf(f, "%d\n", bound);
	fclose(f);
	int cfd = -1;
	while (cfd < 0) { /* signals may interrupt the wait */
		cfd = cab_wire_accept(lfd, 20000);
		if (cfd < 0 && errno != EINTR)
			return 1;
	}
	int tfd = cab_wire_connect_rcvbuf(target, 5000, reverse ? rcvbuf : 0);
	if (tfd < 0)
		return 1;
	static struct dir d[2];
	d[0] = (struct dir){.from = cfd, .to = tfd, .limited = !reverse};
	d[1] = (struct dir){.from = tfd, .to = cfd, .limited = reverse};
	double tokens = 0;
	int64_t last = cab_wire_now_us();
	while (!d[0].eof || !d[1].eof) {
		int64_t now = cab_wire_now_us();
		tokens += rate * (double)(now - last) / 1e6;
		if (tokens > rate * 0.05)
			tokens = rate * 0.05;
		last = now;
		struct pollfd p[4];
		int n = 0, idx[4];
		for (int i = 0; i < 2; i++) {
			struct dir *x = &d[i];
			if (x->len == 0 && !x->eof) {
				if (x->limited && throttled && tokens < 1)
					continue; /* out of tokens: let poll's timeout refill them
					           */
				p[n] = (struct pollfd){x->from, POLLIN, 0};
				idx[n++] = i;
			} else if (x->len > 0) {
				p[n] = (struct pollfd){x->to, POLLOUT, 0};
				idx[n++] = i + 2;
			}
		}
		if (n == 0 && d[0].eof && d[1].eof)
			break;
		if (poll(p, (nfds_t)n, 10) < 0 && errno != EINTR)
			break;
		for (int k = 0; k < n; k++) {
			struct dir *x = &d[idx[k] % 2];
			if (!(p[k].revents & (POLLIN | POLLOUT | POLLHUP | POLLERR)))
				continue;
			if (idx[k] < 2) {
				size_t want = BUF;
				if (x->limited && throttled) {
					if (tokens < 1)
						continue;
					want = tokens < BUF ? (size_t)tokens : BUF;
				}
				ssize_t r = recv(x->from, x->buf, want, 0);
				if (r <= 0) {
					x->eof = 1;
					shutdown(x->to, SHUT_WR);
					continue;
				}
				if (x->limited && throttled)
					tokens -= (double)r;
				x->len = (size_t)r;
				x->off = 0;
			} else {
				ssize_t w =
				    send(x->to, x->buf + x->off, x->len - x->off, MSG_NOSIGNAL);
				if (w <= 0) {
					d[0].eof = d[1].eof = 1;
					break;
				}
				x->off += (size_t)w;
				if (x->off == x->len)
					x->len = x->off = 0;
			}
		}
	}
	close(cfd);
	close(tfd);
	close(lfd);
	return 0;
}
