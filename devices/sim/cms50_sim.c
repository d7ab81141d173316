/* cms50_sim.c — a simulated Contec CMS50D+ on a pseudo-terminal (posix_openpt),
 * speaking the V7.0 byte stream (devices/proto/cms50.h): it waits for the start
 * real-time command (A1), then sends 60 real-time packets a second until stop (A2)
 * or until no keep-alive (AF) or start came for 15 s. Options:
 *   spo2=97 pr=65 pi=0 (PI x100, 0 = "PI invalid")  signal=5
 *   fault=no-finger   probe error packets (as the real device sends: zeros, pleth 64)
 *   fault=low-signal  signal strength 1, searching too long
 *   fault=garbage     a burst of bytes with bit 7 set every second
 *   fault=unplug      close the pty after unplug_ms (default 1500) of streaming */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "devices/internal/driver.h"
#include "devices/sim/pty.h"
#include "devices/proto/cms50.h"

#define KEEPALIVE_LOST_MS 15000

struct cdi_sim {
	int master;
	pthread_t thread;
	volatile int stop;
	int spo2, pr, pi, signal;
	int no_finger, low_signal, garbage, unplug;
	int64_t unplug_ms;
	char path[64];
};

/* Encodes a real-time packet from restored byte values d[0..6] (bytes 2..8). */
static void encode_rt(const uint8_t d[7], uint8_t out[9])
{
	out[0] = CMS50_TYPE_REALTIME;
	out[1] = 0x80;
	for (int i = 0; i < 7; i++) {
		if (d[i] & 0x80)
			out[1] |= (uint8_t)(1u << i);
		out[2 + i] = (uint8_t)(d[i] | 0x80);
	}
}

static void make_packet(struct cdi_sim *s, unsigned k, uint8_t out[9])
{
	uint8_t d[7];
	if (s->no_finger) { /* as captured from a real CMS50D+ with no finger */
		d[0] = 0x80 | 4; d[1] = 64; d[2] = 0x10; d[3] = 0; d[4] = 0; d[5] = 0xFF; d[6] = 0xFF;
	} else {
		int sig = s->low_signal ? 1 : s->signal;
		double ph = (double)(k % 60) / 60.0 * 2 * M_PI * (s->pr / 60.0);
		int pleth = 50 + (int)(40 * sin(ph));
		d[0] = (uint8_t)((sig & 0x0F) | (s->low_signal ? 0x10 : 0));
		d[1] = (uint8_t)(pleth & 0x7F);
		d[2] = (uint8_t)((pleth / 16) | (s->pi ? 0 : 0x10));
		d[3] = (uint8_t)s->pr;
		d[4] = (uint8_t)s->spo2;
		unsigned pi = s->pi ? (unsigned)s->pi : 0xFFFF;
		d[5] = (uint8_t)pi;
		d[6] = (uint8_t)(pi >> 8);
	}
	encode_rt(d, out);
}

static void *sim_thread(void *arg)
{
	struct cdi_sim *s = arg;
	struct cms50_parser parser;
	int streaming = 0;
	unsigned k = 0;
	int64_t next = 0, alive = 0, stream_start = 0, last_garbage = 0;
	memset(&parser, 0, sizeof parser);
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		struct pollfd p = {.fd = s->master, .events = POLLIN};
		int64_t now = cab_mono_ms();
		int wait = streaming ? (int)(next > now ? next - now : 0) : 50;
		if (poll(&p, 1, wait) > 0 && (p.revents & POLLIN)) {
			uint8_t buf[64];
			ssize_t n = read(s->master, buf, sizeof buf);
			size_t off = 0;
			while (n > 0 && off < (size_t)n) {
				struct cms50_packet pkt;
				size_t used = 0;
				enum cms50_res r = cms50_parse_next(&parser, buf + off, (size_t)n - off, &used, &pkt);
				off += used;
				if (r == CMS50_NEED_MORE)
					break;
				if (r != CMS50_PACKET || pkt.type != CMS50_TYPE_COMMAND)
					continue;
				if (pkt.u.cmd == CMS50_CMD_START_REALTIME) {
					if (!streaming)
						stream_start = cab_mono_ms();
					streaming = 1;
					alive = next = cab_mono_ms();
				} else if (pkt.u.cmd == CMS50_CMD_STOP_REALTIME) {
					streaming = 0;
				} else if (pkt.u.cmd == CMS50_CMD_KEEP_ALIVE) {
					alive = cab_mono_ms();
				}
			}
		} else if (p.revents & (POLLHUP | POLLERR)) {
			/* no one has the slave open: wait */
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		now = cab_mono_ms();
		if (!streaming)
			continue;
		if (now - alive > KEEPALIVE_LOST_MS) {
			streaming = 0;
			continue;
		}
		if (s->unplug && now - stream_start >= s->unplug_ms) {
			close(s->master); /* the cable is pulled: the slave reads EIO/hang-up */
			s->master = -1;
			break;
		}
		if (s->garbage && now - last_garbage >= 1000) {
			static const uint8_t junk[5] = {0xFF, 0x93, 0xA5, 0xC3, 0x81};
			if (write(s->master, junk, sizeof junk) < 0) { /* ignored: pty full or closed */ }
			last_garbage = now;
		}
		while (next <= now) {
			uint8_t pkt[9];
			make_packet(s, k++, pkt);
			if (write(s->master, pkt, sizeof pkt) < 0) { /* slave not reading: dropped */ }
			next += 1000 / 60 + (k % 3 == 0 ? 1 : 0); /* 60 per second on average */
		}
	}
	return NULL;
}

static int cms50_sim_start(const char *opts, struct cdi_sim **out, struct cdi_candidate *c)
{
	struct cdi_sim *s = calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return -1;
	s->spo2 = (int)cdi_sim_opt(opts, "spo2", 97);
	s->pr = (int)cdi_sim_opt(opts, "pr", 65);
	s->pi = (int)cdi_sim_opt(opts, "pi", 0);
	s->signal = (int)cdi_sim_opt(opts, "signal", 5);
	s->unplug_ms = (int64_t)cdi_sim_opt(opts, "unplug_ms", 1500);
	s->no_finger = cdi_sim_has_fault(opts, "no-finger");
	s->low_signal = cdi_sim_has_fault(opts, "low-signal");
	s->garbage = cdi_sim_has_fault(opts, "garbage");
	s->unplug = cdi_sim_has_fault(opts, "unplug");
	if (s->spo2 < 0 || s->spo2 > 127 || s->pr < 0 || s->pr > 255 || s->pi < 0 || s->pi > 0xFFFE) {
		free(s);
		return -1;
	}
	s->master = cdi_sim_pty_open("cms50", s->path, sizeof s->path);
	if (s->master < 0)
		goto fail;
	if (pthread_create(&s->thread, NULL, sim_thread, s) != 0)
		goto fail;
	cdi_sim_pty_candidate(c, s->path, "cms50", "Contec", "CMS50D+ (simulated)", CAB_KIND_PULSE_OXIMETER);
	*out = s;
	return 0;
fail:
	if (s->master >= 0)
		close(s->master);
	free(s);
	return -1;
}

static void cms50_sim_stop(struct cdi_sim *s)
{
	if (!s)
		return;
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	pthread_join(s->thread, NULL);
	if (s->master >= 0)
		close(s->master);
	free(s);
}

const struct cdi_simulator cdi_sim_cms50 = {
	.name = "cms50",
	.kind = CAB_KIND_PULSE_OXIMETER,
	.help = "spo2=N (%), pr=N (/min), pi=N (PI x100, 0 = invalid), signal=0..8,\n"
	        "fault=no-finger|low-signal|garbage|unplug, unplug_ms=N",
	.start = cms50_sim_start,
	.stop = cms50_sim_stop,
};
