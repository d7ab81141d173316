/* link_sock.h — socket settings for a connection that carries live media: keep the
 * data the kernel holds unsent small, so a slow link backs up in our own queues
 * (where media is dropped oldest-first and control messages go first) instead of
 * in a send buffer that the kernel grows to megabytes (seconds of delay). */
#ifndef CABIN_LINK_SOCK_H
#define CABIN_LINK_SOCK_H

#define CAB_LINK_NOTSENT_LOWAT                                                                     \
	16384 /* bytes unsent in the socket before it stops                                        \
	         reporting writable (TCP_NOTSENT_LOWAT, tcp(7)) */

/* Sets TCP_NOTSENT_LOWAT = CAB_LINK_NOTSENT_LOWAT on the TCP socket FD (Linux 3.12+):
 * poll() reports it writable only while fewer bytes than that wait unsent. Returns
 * 0, or -1 with errno (not a TCP socket, old kernel). */
int cab_link_sock_low_latency(int fd);

#endif
