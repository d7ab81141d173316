/* link_sock.c — TCP_NOTSENT_LOWAT on media-carrying connections (link_sock.h). */
#include "kiosk/link/link_sock.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

int cab_link_sock_low_latency(int fd)
{
	int v = CAB_LINK_NOTSENT_LOWAT;
	return setsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &v, sizeof v);
}
