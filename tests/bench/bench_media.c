/* bench_media.c — media figures: per-frame latency from capture to decoded at the
 * receiver (1280x720, 30 fps, H.264 over a loopback TCP socket), CPU seconds per
 * second of the send path (capture + scale + encode + send threads, getrusage per
 * thread), and the same CPU figure for a plain `ffmpeg` CLI encode of the same lavfi
 * source with the same x264 settings (child process, getrusage(RUSAGE_CHILDREN)).
 * Prints JSON lines for tests/bench/run. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/media/media_receiver.h"
#include "kiosk/media/media_sender.h"
#include "media_wire.h"

#define SECONDS 10
#define MAXF 2000
#define GRAPH                                                                                      \
	"testsrc2=size=1280x720:rate=30,drawtext=fontfile=/usr/share/fonts/truetype/dejavu/"       \
	"DejaVuSans.ttf:text='TEST room %{pts\\:hms}':x=24:y=24:fontsize=h/24:fontcolor=white:"    \
	"box=1:boxcolor=black@0.6,format=yuv420p,realtime"

static struct cab_wire tx, rxw;
static struct cab_media_receiver *rx;
static int64_t origin_us;
static double lat_ms[MAXF];
static int nlat;

static int sink(void *user, const uint8_t *msg, size_t len, int key)
{
	(void)user;
	(void)key;
	return cab_wire_send(&tx, 'M', msg, len);
}

static void on_video(void *user, const struct cab_media_video_frame *f)
{
	(void)user;
	if (nlat < MAXF)
		lat_ms[nlat++] = (double)(cab_wire_now_us() - (origin_us + f->pts_us)) / 1000.0;
}

static double reader_cpu_s;

static double cpu_of(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static void *reader(void *arg)
{
	(void)arg;
	uint8_t *buf = malloc(CAB_WIRE_MAX), kind;
	size_t len;
	while (buf && cab_wire_recv(&rxw, &kind, buf, CAB_WIRE_MAX, &len) == 1)
		if (kind == 'M')
			cab_media_receiver_push(rx, buf, len);
	free(buf);
	reader_cpu_s = cpu_of(RUSAGE_THREAD); /* the receiving side, subtracted below */
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double cpu_children(void)
{
	return cpu_of(RUSAGE_CHILDREN);
}

/* Runs the ffmpeg CLI on the same source and settings for SECONDS; returns CPU s/s
 * or -1. */
static double ffmpeg_cpu_per_s(void)
{
	char t[16];
	snprintf(t, sizeof t, "%d", SECONDS);
	double before = cpu_children();
	int64_t start = cab_wire_now_us();
	pid_t pid = fork();
	if (pid == 0) {
		execlp("ffmpeg", "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-f",
		       "lavfi", "-i", GRAPH, "-t", t, "-c:v", "libx264", "-preset", "ultrafast",
		       "-tune", "zerolatency", "-profile:v", "baseline", "-g", "60", "-keyint_min",
		       "30", "-bf", "0", "-b:v", "1500k", "-maxrate", "1500k", "-bufsize", "750k",
		       "-threads", "2", "-forced-idr", "1", "-f", "h264", "-y", "/dev/null",
		       (char *)NULL);
		_exit(127);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	double wall = (double)(cab_wire_now_us() - start) / 1e6;
	return (cpu_children() - before) / wall;
}

static void figure(const char *name, double v, const char *unit, const char *note)
{
	printf("{\"name\": \"%s\", \"value\": %.4g, \"unit\": \"%s\", \"note\": \"%s\"}\n", name, v,
	       unit, note);
}

int main(void)
{
	int bound = 0, lfd = cab_wire_listen(0, &bound);
	int cfd = lfd < 0 ? -1 : cab_wire_connect(bound, 2000);
	int afd = cfd < 0 ? -1 : cab_wire_accept(lfd, 2000);
	if (lfd >= 0)
		close(lfd);
	if (cfd < 0 || afd < 0)
		return 1;
	cab_wire_init(&tx, cfd);
	cab_wire_init(&rxw, afd);
	struct cab_media_receiver_cfg rcfg = {CAB_MEDIA_PIX_YUV420P,
	                                      0,
	                                      0,
	                                      CAB_MEDIA_SAMPLE_S16,
	                                      48000,
	                                      1,
	                                      on_video,
	                                      NULL,
	                                      NULL,
	                                      NULL,
	                                      NULL};
	rx = cab_media_receiver_new(&rcfg);
	pthread_t th;
	if (!rx || pthread_create(&th, NULL, reader, NULL) != 0)
		return 1;
	struct cab_media_sender_cfg cfg = {0};
	cfg.cameras[0] = (struct cab_media_source_cfg){.label = "room", .test_graph = GRAPH};
	cfg.n_cameras = 1;
	cfg.video = 1;
	cfg.send = sink;
	double self0 = cpu_of(RUSAGE_SELF);
	struct cab_media_sender *s = cab_media_sender_start(&cfg);
	if (!s)
		return 1;
	origin_us = cab_media_sender_origin_us(s);
	int64_t t0 = cab_wire_now_us();
	sleep(SECONDS);
	struct cab_media_sender_stats ss;
	cab_media_sender_finish(s, &ss); /* threads add their CPU time as they exit */
	double wall = (double)(cab_wire_now_us() - t0) / 1e6;
	usleep(300000);
	shutdown(cfd, SHUT_RDWR);
	pthread_join(th, NULL);
	/* Whole process (sender threads and libx264's own worker threads) minus the
	 * receiving thread; the main thread only sleeps. */
	double send_cpu = cpu_of(RUSAGE_SELF) - self0 - reader_cpu_s;
	struct cab_media_receiver_stats rs;
	cab_media_receiver_stats(rx, &rs);
	cab_media_receiver_free(rx);
	close(cfd);
	close(afd);
	if (nlat < 10)
		return 1;
	qsort(lat_ms, (size_t)nlat, sizeof lat_ms[0], cmp);
	double med = lat_ms[nlat / 2], p99 = lat_ms[(int)floor(0.99 * (nlat - 1))];
	char note[256];
	snprintf(note, sizeof note,
	         "1280x720 30 fps libx264 ultrafast zerolatency baseline 1500k, %d frames decoded, "
	         "%llu decoder errors, loopback TCP, capture = frame handed over by libavdevice",
	         nlat, (unsigned long long)rs.decode_errors);
	figure("video_latency_ms_median", med, "ms", note);
	figure("video_latency_ms_p99", p99, "ms", note);
	double ours = send_cpu / wall;
	snprintf(note, sizeof note,
	         "send path: lavfi test source + swscale + libx264 (with its threads) + send; "
	         "getrusage(SELF) minus the receiving thread; sender's own threads alone %.3f s/s",
	         ss.cpu_s / wall);
	figure("video_cpu_s_per_s", ours, "s/s", note);
	double ff = ffmpeg_cpu_per_s();
	if (ff > 0) {
		figure(
		    "video_cpu_s_per_s_ffmpeg_cli", ff, "s/s",
		    "ffmpeg CLI, same lavfi graph and x264 settings, getrusage(RUSAGE_CHILDREN)");
		snprintf(note, sizeof note,
		         "cabin %.3f s/s vs ffmpeg CLI %.3f s/s (1.0 = same cost)", ours, ff);
		figure("video_cpu_ratio_vs_ffmpeg", ours / ff, "ratio", note);
	}
	return 0;
}
