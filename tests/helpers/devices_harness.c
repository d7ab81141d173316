/* devices_harness.c — replay and hotplug tests of the instrument drivers through
 * their real transports, under umockdev (run as `umockdev-wrapper devices_harness
 * SCENARIO DIR`). Prints "ok - ..." / "not ok - ..." lines (the calling script
 * numbers them). Scenarios:
 *   cms50-tty DIR      the CMS50 driver on a umockdev tty: the harness holds the PTY
 *                      master, checks the start command against the captured one,
 *                      replays the captured stream, compares the readings with
 *                      DIR/expected_replay.jsonl, checks the stop command on close.
 *   omron-hidraw DIR   the Omron driver on a umockdev hidraw node whose ioctl/read/
 *                      write handlers answer with the captured HID reports; checks
 *                      the commands and mode reports sent, compares the readings.
 *   hotplug DIR        udev add -> driver ready; remove mid-measurement -> incident
 *                      and detached; add again -> works.
 *   hotplug-bench DIR  prints {"name":"hotplug_ready_ms",...} (median of 10 cycles). */
#include <sys/ioctl.h>
#include <linux/hidraw.h>
#include <umockdev.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cabin/devices.h"
#include "cabin/mdc.h"
#include "common/clock.h"
#include "devices/core/reading_json.h"
#include "fixture.h"
#include "recorder.h"

#define WAIT 5000
#define TTY_SYSPATH "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/ttyUSB0/tty/ttyUSB0"

static int fails;

#define CHECK(cond, ...)                                                                  \
	do {                                                                              \
		int c_ = !!(cond);                                                        \
		printf("%s - ", c_ ? "ok" : "not ok");                                    \
		printf(__VA_ARGS__);                                                      \
		printf("\n");                                                             \
		fflush(stdout);                                                           \
		fails += !c_;                                                             \
	} while (0)

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static int read_exact(int fd, uint8_t *buf, size_t n, int ms)
{
	size_t got = 0;
	int64_t end = cab_mono_ms() + ms;
	while (got < n && cab_mono_ms() < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 20) <= 0)
			continue;
		ssize_t r = read(fd, buf + got, n - got);
		if (r > 0)
			got += (size_t)r;
	}
	return (int)got;
}

static void load(const char *dir, const char *name, uint8_t **buf, size_t *len)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	cab_test_load_capture(p, buf, len);
}

/* Compares every reading recorded (in order) with the JSON lines of FILE. */
static int compare_readings(const char *dir, const char *file)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	char *want = cab_test_load_text(p);
	int ok = 1, line = 0;
	char *save = NULL, *w = strtok_r(want, "\n", &save);
	for (int i = 0; i < rec_count(); i++) {
		struct rec_event e = rec_get(i);
		if (e.what != 'r')
			continue;
		char *got = cab_reading_to_json(&e.reading);
		line++;
		if (!w || strcmp(got, w)) {
			printf("# reading %d\n#  got:  %s\n#  want: %s\n", line, got, w ? w : "(nothing)");
			ok = 0;
		}
		free(got);
		if (w)
			w = strtok_r(NULL, "\n", &save);
	}
	if (w) {
		printf("# missing reading: %s\n", w);
		ok = 0;
	}
	free(want);
	return ok;
}

static struct cab_devices *start_manager(void)
{
	struct cab_devices_config cfg = {0};
	struct cab_devices *m = cab_devices_new(&cfg, &rec_callbacks);
	if (!m || cab_devices_start(m) < 0) {
		printf("not ok - device manager start\n");
		exit(1);
	}
	return m;
}

/* ---- CMS50 on a tty ---------------------------------------------------------- */

static int scenario_cms50(const char *dir)
{
	GError *err = NULL;
	char p[512];
	uint8_t *cmd, *stream, got[9];
	size_t cmd_len, stream_len;
	UMockdevTestbed *tb = umockdev_testbed_new();
	snprintf(p, sizeof p, "%s/device.umockdev", dir);
	CHECK(umockdev_testbed_add_from_file(tb, p, &err), "cms50: testbed from %s", p);
	int master = umockdev_testbed_get_dev_fd(tb, "/dev/ttyUSB0");
	CHECK(master >= 0, "cms50: PTY master of /dev/ttyUSB0");
	load(dir, "fixtures/cmd_0xA1_start_realtime.hex", &cmd, &cmd_len);
	load(dir, "fixtures/realtime_stream_7pkts_spo2_97_pr_65.hex", &stream, &stream_len);

	rec_reset();
	struct cab_devices *m = start_manager();
	int a = rec_wait(0, 'a', -1, -1, 0, 0, WAIT);
	struct rec_event e = a >= 0 ? rec_get(a) : (struct rec_event){0};
	CHECK(a >= 0 && !strcmp(e.dev.id.driver, "cms50") && !strcmp(e.dev.devnode, "/dev/ttyUSB0") &&
	      e.dev.id.vid == 0x10c4 && e.dev.id.pid == 0xea60,
	      "cms50: enumerated tty 10c4:ea60 taken by the cms50 driver");
	CHECK(read_exact(master, got, 9, WAIT) == 9 && !memcmp(got, cmd, 9),
	      "cms50: driver sent the start real-time command as captured (7d 81 a1 80...)");
	CHECK(rec_wait(0, 's', -1, CAB_DEV_READY, 0, 0, WAIT) >= 0, "cms50: driver ready");
	CHECK(cab_devices_request_measurement(m, CAB_KIND_PULSE_OXIMETER) == 1, "cms50: measurement requested");
	CHECK(write(master, stream, stream_len) == (ssize_t)stream_len, "cms50: captured stream replayed");
	int r = rec_wait(0, 'r', -1, -1, MDC_FULL(2, MDC_PULS_OXIM_PULS_RATE), 1, WAIT);
	sleep_ms(300);
	CHECK(r >= 0 && compare_readings(dir, "expected_replay.jsonl"),
	      "cms50: readings equal expected_replay.jsonl");
	cab_devices_stop(m);
	uint8_t stop[9];
	const uint8_t want_stop[9] = {0x7d, 0x81, 0xa2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};
	CHECK(read_exact(master, stop, 9, WAIT) == 9 && !memcmp(stop, want_stop, 9),
	      "cms50: stop real-time (A2) sent on close");
	CHECK(rec_wait(0, 'd', -1, -1, 0, 0, 0) >= 0, "cms50: detached reported on stop");
	cab_devices_free(m);
	free(cmd);
	free(stream);
	g_object_unref(tb);
	return fails != 0;
}

/* ---- Omron on hidraw ----------------------------------------------------------- */

static struct {
	pthread_mutex_t lock;
	GByteArray *in;          /* reports waiting for the driver's reads */
	uint8_t cmd[64];         /* command being assembled */
	size_t cmd_n;
	char log[1024];          /* what the host sent, as text */
	int gdc_seen;
	uint8_t *ver, *gdc, *gme, *end;
	size_t ver_n, gdc_n, gme_n, end_n;
} hid = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void logf_(const char *fmt, const uint8_t *b, size_t n)
{
	size_t l = strlen(hid.log);
	snprintf(hid.log + l, sizeof hid.log - l, "%s", fmt);
	for (size_t i = 0; i < n; i++) {
		l = strlen(hid.log);
		snprintf(hid.log + l, sizeof hid.log - l, "%02x%s", b[i], i + 1 < n ? " " : ";");
	}
}

static void queue(const uint8_t *b, size_t n)
{
	g_byte_array_append(hid.in, b, (guint)n);
}

static void answer(const uint8_t *c, size_t n)
{
	logf_("", c, n);
	if (n == 5 && !memcmp(c, "VER00", 5)) {
		queue(hid.ver, hid.ver_n);
	} else if (n == 8 && !memcmp(c, "GDC", 3)) {
		if (hid.gdc_seen++ == 0) {
			queue(hid.gdc, hid.gdc_n); /* captured: 2 records */
		} else { /* a new record since: the captured reply with count 3 */
			const uint8_t r[16] = {0x07, 'O', 'K', 0x00, 0x00, 0x14, 0x00, 0x03,
			                       0x01, 0x17, 0x4b, 0x00, 0x00, 0x14, 0x00, 0x02};
			queue(r, 16);
		}
	} else if (n == 8 && !memcmp(c, "GME", 3)) {
		queue(hid.gme, hid.gme_n);
	} else if (n == 5 && !memcmp(c, "END", 3)) {
		queue(hid.end + 8, 16); /* "OK" then "OFF\r\n" as captured */
	} else {
		const uint8_t no[8] = {2, 'N', 'O', 0, 0, 0, 0, 0};
		queue(no, 8);
	}
}

static gboolean hid_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer u)
{
	(void)h;
	(void)u;
	GError *e = NULL;
	gulong req = umockdev_ioctl_client_get_request(c);
	if (req == HIDIOCGRAWINFO) {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(umockdev_ioctl_client_get_arg(c), 0,
		                                                   sizeof(struct hidraw_devinfo), &e);
		struct hidraw_devinfo *info = (struct hidraw_devinfo *)d->data;
		info->bustype = 3;
		info->vendor = 0x0590;
		info->product = 0x0028;
		umockdev_ioctl_client_complete(c, 0, 0);
	} else if (req == HIDIOCSFEATURE(3)) {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(umockdev_ioctl_client_get_arg(c), 0, 3, &e);
		pthread_mutex_lock(&hid.lock);
		logf_("feature ", d->data, 3);
		pthread_mutex_unlock(&hid.lock);
		umockdev_ioctl_client_complete(c, 3, 0);
	} else {
		umockdev_ioctl_client_complete(c, -1, ENOTTY);
	}
	if (e)
		g_error_free(e);
	return TRUE;
}

static gboolean hid_write(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer u)
{
	(void)h;
	(void)u;
	UMockdevIoctlData *a = umockdev_ioctl_client_get_arg(c);
	pthread_mutex_lock(&hid.lock);
	/* report id 0 then the 8-byte report: count + valid bytes */
	if (a->data_len == 9 && a->data[0] == 0 && a->data[1] >= 1 && a->data[1] <= 7 &&
	    hid.cmd_n + a->data[1] <= sizeof hid.cmd) {
		memcpy(hid.cmd + hid.cmd_n, a->data + 2, a->data[1]);
		hid.cmd_n += a->data[1];
		size_t want = hid.cmd_n >= 3 && (!memcmp(hid.cmd, "GDC", 3) || !memcmp(hid.cmd, "GME", 3)) ? 8 : 5;
		if (a->data[1] < 7 || hid.cmd_n >= want) {
			answer(hid.cmd, hid.cmd_n);
			hid.cmd_n = 0;
		}
	} else {
		logf_("bad-write ", a->data, a->data_len);
	}
	pthread_mutex_unlock(&hid.lock);
	umockdev_ioctl_client_complete(c, (glong)a->data_len, 0);
	return TRUE;
}

static gboolean hid_read(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer u)
{
	(void)h;
	(void)u;
	UMockdevIoctlData *a = umockdev_ioctl_client_get_arg(c);
	pthread_mutex_lock(&hid.lock);
	if (hid.in->len < 8 || a->data_len < 8) {
		pthread_mutex_unlock(&hid.lock);
		umockdev_ioctl_client_complete(c, -1, EAGAIN);
		return TRUE;
	}
	memcpy(a->data, hid.in->data, 8); /* one report per read, like hidraw */
	g_byte_array_remove_range(hid.in, 0, 8);
	pthread_mutex_unlock(&hid.lock);
	umockdev_ioctl_client_complete(c, 8, 0);
	return TRUE;
}

static int scenario_omron(const char *dir)
{
	GError *err = NULL;
	char p[512];
	hid.in = g_byte_array_new();
	load(dir, "fixtures/ver_reply_M7080IT_207.hex", &hid.ver, &hid.ver_n);
	load(dir, "fixtures/gdc_reply_count_2.hex", &hid.gdc, &hid.gdc_n);
	load(dir, "fixtures/gme_reading_2007-01-01_123_78_87.hex", &hid.gme, &hid.gme_n);
	load(dir, "fixtures/end_command_and_OFF_reply.hex", &hid.end, &hid.end_n);
	UMockdevTestbed *tb = umockdev_testbed_new();
	snprintf(p, sizeof p, "%s/device.umockdev", dir);
	CHECK(umockdev_testbed_add_from_file(tb, p, &err), "omron: testbed from %s", p);
	UMockdevIoctlBase *hb = g_object_new(UMOCKDEV_TYPE_IOCTL_BASE, NULL);
	g_signal_connect(hb, "handle-ioctl", G_CALLBACK(hid_ioctl), NULL);
	g_signal_connect(hb, "handle-write", G_CALLBACK(hid_write), NULL);
	g_signal_connect(hb, "handle-read", G_CALLBACK(hid_read), NULL);
	CHECK(umockdev_testbed_attach_ioctl(tb, "/dev/hidraw0", hb, &err), "omron: hidraw0 model attached");

	rec_reset();
	struct cab_devices *m = start_manager();
	int a = rec_wait(0, 'a', -1, -1, 0, 0, WAIT);
	struct rec_event e = a >= 0 ? rec_get(a) : (struct rec_event){0};
	CHECK(a >= 0 && !strcmp(e.dev.id.driver, "omron-hem") && !strcmp(e.dev.bus, "hidraw") &&
	      e.dev.id.vid == 0x0590 && e.dev.id.pid == 0x0028,
	      "omron: enumerated hidraw 0590:0028 taken by the omron-hem driver");
	CHECK(rec_wait(0, 's', -1, CAB_DEV_READY, 0, 0, WAIT) >= 0, "omron: driver ready (VER, GDC)");
	int r = rec_wait(0, 'r', -1, -1, MDC_FULL(2, MDC_PULS_RATE_NON_INV), 1, WAIT);
	sleep_ms(200);
	CHECK(r >= 0 && compare_readings(dir, "expected_replay.jsonl"),
	      "omron: new record read with GME, readings equal expected_replay.jsonl");
	cab_devices_stop(m);
	pthread_mutex_lock(&hid.lock);
	char log[1024];
	snprintf(log, sizeof log, "%s", hid.log);
	pthread_mutex_unlock(&hid.lock);
	const char *want_start = "feature 00 01 01;56 45 52 30 30;feature 00 74 bc;47 44 43 00 00 00 00 00;";
	CHECK(!strncmp(log, want_start, strlen(want_start)),
	      "omron: mode 0101, VER00, mode 74BC, GDC sent in order as libomron does");
	CHECK(strstr(log, "47 4d 45 00 00 00 00 00;") != NULL, "omron: GME index 0 (newest) with its XOR");
	const char *tail = log + strlen(log) - strlen("45 4e 44 ff ff;");
	CHECK(strlen(log) > 15 && !strcmp(tail, "45 4e 44 ff ff;"), "omron: END FF FF sent last, on close");
	CHECK(!strstr(log, "bad-write"), "omron: every output report well formed");
	if (fails)
		printf("# host sent: %s\n", log);
	cab_devices_free(m);
	umockdev_testbed_detach_ioctl(tb, "/dev/hidraw0", NULL);
	g_object_unref(hb);
	g_object_unref(tb);
	free(hid.ver);
	free(hid.gdc);
	free(hid.gme);
	free(hid.end);
	g_byte_array_unref(hid.in);
	return fails != 0;
}

/* ---- hotplug ------------------------------------------------------------------- */

static struct {
	int master;
	volatile int stop;
	uint8_t *stream;
	size_t len;
} emu;

/* A CMS50 on the PTY master: after a start command, the captured stream, looped. */
static void *emulator(void *arg)
{
	(void)arg;
	int streaming = 0;
	while (!emu.stop) {
		uint8_t b[64];
		struct pollfd p = {.fd = emu.master, .events = POLLIN};
		if (poll(&p, 1, 20) > 0 && (p.revents & POLLIN)) {
			ssize_t n = read(emu.master, b, sizeof b);
			for (ssize_t i = 0; i + 2 < n; i++)
				if (b[i] == 0x7d && b[i + 2] == 0xa1)
					streaming = 1;
		}
		if (streaming && write(emu.master, emu.stream, emu.len) < 0) {
			/* buffer full while no driver reads: dropped, like a real line */
		}
		sleep_ms(30);
	}
	return NULL;
}

static int wait_handle_state(int from, unsigned handle, int state, int incident, int ms)
{
	int64_t end = cab_mono_ms() + ms;
	int i = from;
	while (cab_mono_ms() <= end) {
		for (; i < rec_count(); i++) {
			struct rec_event e = rec_get(i);
			if (e.what == 's' && e.dev.handle == handle && (int)e.state == state &&
			    (incident < 0 || (int)e.incident == incident))
				return i;
		}
		sleep_ms(2);
	}
	return -1;
}

static int scenario_hotplug(const char *dir, int bench)
{
	GError *err = NULL;
	char p[512];
	UMockdevTestbed *tb = umockdev_testbed_new();
	load(dir, "fixtures/realtime_stream_7pkts_spo2_97_pr_65.hex", &emu.stream, &emu.len);
	rec_reset();
	struct cab_devices *m = start_manager();
	snprintf(p, sizeof p, "%s/device.umockdev", dir);
	int64_t t0 = cab_mono_ms();
	int added = umockdev_testbed_add_from_file(tb, p, &err);
	emu.master = umockdev_testbed_get_dev_fd(tb, "/dev/ttyUSB0");
	fcntl(emu.master, F_SETFL, fcntl(emu.master, F_GETFL) | O_NONBLOCK);
	pthread_t th;
	pthread_create(&th, NULL, emulator, NULL);
	int a = rec_wait(0, 'a', -1, -1, 0, 0, WAIT);
	unsigned h1 = a >= 0 ? rec_get(a).dev.handle : 0;
	int ready = wait_handle_state(0, h1, CAB_DEV_READY, -1, WAIT);
	int64_t first_ready = cab_mono_ms() - t0;
	if (!bench) {
		CHECK(added && a >= 0 && !strcmp(rec_get(a).dev.id.driver, "cms50"),
		      "hotplug: udev add of a CMS50 tty -> attached to the cms50 driver");
		CHECK(ready >= 0, "hotplug: driver ready after the add event");
		int meas = wait_handle_state(0, h1, CAB_DEV_MEASURING, -1, WAIT);
		CHECK(meas >= 0, "hotplug: streaming (measuring)");
		umockdev_testbed_uevent(tb, TTY_SYSPATH, "remove");
		int gone = wait_handle_state(meas, h1, CAB_DEV_GONE, CAB_INC_UNPLUGGED_MID_MEASUREMENT, WAIT);
		CHECK(gone >= 0, "hotplug: remove mid-measurement -> incident unplugged-mid-measurement");
		int d = rec_wait(gone < 0 ? 0 : gone, 'd', -1, -1, 0, 0, WAIT);
		CHECK(d >= 0 && rec_get(d).dev.handle == h1, "hotplug: detached after the incident");
		struct cab_device_info info[4];
		CHECK(cab_devices_list(m, info, 4) == 0, "hotplug: nothing listed after removal");
		int from = rec_count();
		umockdev_testbed_uevent(tb, TTY_SYSPATH, "add");
		int a2 = rec_wait(from, 'a', -1, -1, 0, 0, WAIT);
		unsigned h2 = a2 >= 0 ? rec_get(a2).dev.handle : 0;
		CHECK(a2 >= 0 && h2 != h1, "hotplug: add again -> attached with a new handle");
		CHECK(wait_handle_state(from, h2, CAB_DEV_READY, -1, WAIT) >= 0, "hotplug: ready again");
		cab_devices_request_measurement_on(m, h2);
		int r = rec_wait(from, 'r', -1, -1, MDC_FULL(2, MDC_PULS_OXIM_SAT_O2), 1, WAIT);
		CHECK(r >= 0 && rec_get(r).reading.value == 97, "hotplug: measurement works after re-plug (SpO2 97)");
	} else {
		int64_t t[10];
		int n = 0;
		for (int k = 0; k < 10; k++) {
			umockdev_testbed_uevent(tb, TTY_SYSPATH, "remove");
			if (rec_wait(rec_count() > 0 ? 0 : 0, 'd', -1, -1, 0, 0, WAIT) < 0)
				break;
			sleep_ms(50);
			int from = rec_count();
			int64_t s = cab_mono_ms();
			umockdev_testbed_uevent(tb, TTY_SYSPATH, "add");
			int a2 = rec_wait(from, 'a', -1, -1, 0, 0, WAIT);
			if (a2 < 0 || wait_handle_state(from, rec_get(a2).dev.handle, CAB_DEV_READY, -1, WAIT) < 0)
				break;
			t[n++] = cab_mono_ms() - s;
			rec_reset();
		}
		for (int i = 0; i < n; i++) /* insertion sort for the median */
			for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
				int64_t x = t[j];
				t[j] = t[j - 1];
				t[j - 1] = x;
			}
		if (n)
			printf("{\"name\":\"hotplug_ready_ms\",\"value\":%lld,\"unit\":\"ms\",\"note\":\"umockdev add uevent to driver ready (CMS50 on a tty), median of %d; first add incl. enumeration %lld ms\"}\n",
			       (long long)t[n / 2], n, (long long)first_ready);
		else
			fails++;
	}
	cab_devices_free(m);
	emu.stop = 1;
	pthread_join(th, NULL);
	free(emu.stream);
	g_object_unref(tb);
	return fails != 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: umockdev-wrapper %s cms50-tty|omron-hidraw|hotplug|hotplug-bench DIR\n", argv[0]);
		return 2;
	}
	const char *pre = getenv("LD_PRELOAD");
	if (!pre || !strstr(pre, "umockdev-preload")) {
		printf("not ok - not running under umockdev-wrapper\n");
		return 2;
	}
	if (!strcmp(argv[1], "cms50-tty"))
		return scenario_cms50(argv[2]);
	if (!strcmp(argv[1], "omron-hidraw"))
		return scenario_omron(argv[2]);
	if (!strcmp(argv[1], "hotplug"))
		return scenario_hotplug(argv[2], 0);
	if (!strcmp(argv[1], "hotplug-bench"))
		return scenario_hotplug(argv[2], 1);
	fprintf(stderr, "unknown scenario %s\n", argv[1]);
	return 2;
}
