/* media_link_cabin.c — the media sender bound to the real link (kiosk/link, wss with
 * mutual TLS) against a real cabin-doctor: shows the sink contract with
 * cab_link_send_media(), the link report from on_rtt and cab_link_media_dropped().
 * Streams the test sources for --seconds, then prints
 *   "MEDIA-SENT <messages> bytes=<total> video=<n> audio=<n> link_dropped=<n> rung=<r>".
 * Options: --url U --cert F --key F --ca F --cabin-id ID --seconds S --wait-ms MS */
#include "common/clock.h"
#include "kiosk/link/link.h"
#include "kiosk/link/outbox_mem.h"
#include "kiosk/media/media_packet.h"
#include "kiosk/media/media_sender.h"
#include "test_cabin.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int connected;
static _Atomic int32_t last_rtt = -1;
static _Atomic uint64_t sent_msgs, sent_bytes, sent_video, sent_audio;

static void on_status(const struct cab_link_status *st, void *u)
{
	(void)u;
	atomic_store(&connected, st->state == CAB_LINK_CONNECTED);
}

static void on_rtt(int64_t rtt_ms, void *u)
{
	(void)u;
	atomic_store(&last_rtt, (int32_t)rtt_ms);
}

/* The sink: one media packet = one binary WebSocket message. */
static int media_send(void *link, const uint8_t *msg, size_t len, int key)
{
	(void)key;
	if (cab_link_send_media(link, msg, len) < 0)
		return -1;
	atomic_fetch_add(&sent_msgs, 1);
	atomic_fetch_add(&sent_bytes, len);
	if (len > 2 && msg[2] == CAB_MEDIA_STREAM_VIDEO)
		atomic_fetch_add(&sent_video, 1);
	else
		atomic_fetch_add(&sent_audio, 1);
	return 0;
}

int main(int argc, char **argv)
{
	struct cab_link_config cfg = {0};
	double seconds = 6;
	int wait_ms = 10000;
	cab_test_cabin_config(&cfg);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
		if (cab_test_cabin_option(&cfg, a, v))
			i++;
		else if (!strcmp(a, "--seconds"))
			seconds = atof(v), i++;
		else if (!strcmp(a, "--wait-ms"))
			wait_ms = atoi(v), i++;
		else {
			fprintf(stderr, "media_link_cabin: unknown option %s\n", a);
			return 2;
		}
	}
	struct cab_outbox_mem *ob = cab_outbox_mem_new(16, 500);
	struct cab_outbox_port port = cab_outbox_mem_port(ob);
	struct cab_link_callbacks cb = {.on_status = on_status, .on_rtt = on_rtt};
	char err[256];
	cfg.media_queue_max = 128;
	struct cab_link *link = cab_link_new(&cfg, &port, &cb, err, sizeof err);
	if (!link) {
		printf("CONFIG %s\n", err);
		return 4;
	}
	cab_link_start(link);
	int64_t deadline = cab_mono_ms() + wait_ms;
	while (!atomic_load(&connected) && cab_mono_ms() < deadline)
		usleep(20000);
	if (!atomic_load(&connected)) {
		printf("NOT-CONNECTED\n");
		cab_link_free(link);
		cab_outbox_mem_free(ob);
		return 3;
	}
	printf("CONNECTED\n");
	fflush(stdout);
	struct cab_media_sender_cfg mc = {0};
	mc.cameras[0] = (struct cab_media_source_cfg){.label = "room"};
	mc.n_cameras = 1;
	mc.microphone = (struct cab_media_source_cfg){.label = "microphone"};
	mc.video = mc.audio = 1;
	mc.start_rung = 2; /* 640x360: the shared CI cores */
	mc.adapt = 1;
	mc.send = media_send;
	mc.send_user = link;
	struct cab_media_sender *tx = cab_media_sender_start(&mc);
	if (!tx)
		return 1;
	int64_t end = cab_mono_ms() + (int64_t)(seconds * 1000);
	while (cab_mono_ms() < end) {
		usleep(250000);
		/* The link writes what it is given unless it drops it; until it reports the
		 * bytes it wrote, sent bytes stand for acknowledged ones (docs/media.md). */
		struct cab_media_link_report r = {.t_ms = cab_mono_ms(),
		                                  .bytes_acked = atomic_load(&sent_bytes),
		                                  .link_drops = cab_link_media_dropped(link),
		                                  .rtt_ms = atomic_load(&last_rtt)};
		cab_media_sender_link_report(tx, &r);
	}
	struct cab_media_sender_stats st;
	cab_media_sender_finish(tx, &st);
	usleep(700000); /* let the link write what it holds */
	printf("MEDIA-SENT %llu bytes=%llu video=%llu audio=%llu link_dropped=%llu rung=%d "
	       "send_errors=%llu\n",
	       (unsigned long long)atomic_load(&sent_msgs),
	       (unsigned long long)atomic_load(&sent_bytes),
	       (unsigned long long)atomic_load(&sent_video),
	       (unsigned long long)atomic_load(&sent_audio),
	       (unsigned long long)cab_link_media_dropped(link), st.rung,
	       (unsigned long long)st.send_errors);
	fflush(stdout);
	cab_link_free(link);
	cab_outbox_mem_free(ob);
	return 0;
}
