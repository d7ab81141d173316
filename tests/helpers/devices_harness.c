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
 *   usb-transport DIR  the libusb transport on a USB device model (the EFM32 PHDC
 *                      glucometer descriptors): candidate from udev, claim, class
 *                      descriptors, bulk echo, timeout, control IN, unplug -> gone.
 *   hotplug-bench DIR  prints {"name":"hotplug_ready_ms",...} (median of 10 cycles). */
#include <sys/ioctl.h>
#include <linux/hidraw.h>
#include <linux/usbdevice_fs.h>
#include <umockdev.h>
#include <libudev.h>
#include <stddef.h>

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
#include "devices/core/candidate.h"
#include "devices/core/reading_json.h"
#include "devices/internal/transports.h"
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
	/* no more data: within 6 s the driver restarts real-time (3 s of silence) and
	 * sends the keep-alive the V7.0 document asks for every 5 s */
	uint8_t more[64];
	int got_n = read_exact(master, more, sizeof more, 6000);
	const uint8_t ka[9] = {0x7d, 0x81, 0xaf, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};
	CHECK(got_n >= 18 && memmem(more, (size_t)got_n, cmd, 9) && memmem(more, (size_t)got_n, ka, 9),
	      "cms50: after 3 s of silence real-time is restarted (A1), keep-alive (AF) at 5 s");
	CHECK(rec_wait(0, 's', CAB_INC_TIMEOUT, -1, 0, 0, 0) >= 0, "cms50: the silence is reported (incident timeout)");
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
		/* a camera and a sound card: listed for the media module, no driver */
		from = rec_count();
		CHECK(umockdev_testbed_add_from_string(tb,
		          "P: /devices/pci0000:00/0000:00:14.0/usb1/1-5/1-5:1.0/video4linux/video0\n"
		          "N: video0\nE: SUBSYSTEM=video4linux\nE: DEVNAME=/dev/video0\nE: ID_VENDOR_ID=046d\n"
		          "E: ID_MODEL_ID=0825\nA: dev=81:0\n\n"
		          "P: /devices/pci0000:00/0000:00:14.0/usb1/1-6/1-6:1.0/sound/card1/controlC1\n"
		          "N: snd/controlC1\nE: SUBSYSTEM=sound\nE: DEVNAME=/dev/snd/controlC1\nE: ID_BUS=usb\nA: dev=116:1\n",
		          &err), "hotplug: add a UVC camera and a USB sound card");
		int v = rec_wait(from, 'a', -1, -1, 0, 0, WAIT);
		int snd = v >= 0 ? rec_wait(v + 1, 'a', -1, -1, 0, 0, WAIT) : -1;
		struct rec_event ev = v >= 0 ? rec_get(v) : (struct rec_event){0};
		struct rec_event es = snd >= 0 ? rec_get(snd) : (struct rec_event){0};
		CHECK(v >= 0 && !ev.dev.has_driver && !strcmp(ev.dev.bus, "video4linux") &&
		      ev.dev.id.kind == CAB_KIND_ROOM_CAMERA && ev.dev.id.vid == 0x046d,
		      "hotplug: video4linux node listed as a camera without driver (media module)");
		CHECK(snd >= 0 && !es.dev.has_driver && !strcmp(es.dev.bus, "sound") &&
		      !strcmp(es.dev.devnode, "/dev/snd/controlC1"), "hotplug: sound control node listed without driver");
		CHECK(cab_devices_list(m, info, 4) == 3, "hotplug: list holds the oximeter, the camera and the sound card");
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

/* ---- libusb transport on a USB device model ------------------------------------ */

struct urb_pending {
	UMockdevIoctlData *urbd, *bufd;
	int cancelled;
};

static struct {
	GMutex lock;
	GQueue pending;
	GByteArray *bulk_in;
	int gone;
	int set_reports;
} usbm;

/* Completes P if it can: returns 1 when done (status and length filled). */
static int usb_process(struct urb_pending *p)
{
	struct usbdevfs_urb *urb = (struct usbdevfs_urb *)p->urbd->data;
	uint8_t *buf = p->bufd ? p->bufd->data : NULL;
	if (p->cancelled) {
		urb->status = -ENOENT;
		urb->actual_length = 0;
		return 1;
	}
	if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
		unsigned rt = buf[0], req = buf[1], wlen = buf[6] | buf[7] << 8;
		int len = -1;
		if (rt == 0x80 && req == 0x00) { /* GET_STATUS (device) */
			buf[8] = 0;
			buf[9] = 0;
			len = 2;
		} else if (rt == 0x21 && req == 0x09) { /* SET_REPORT */
			usbm.set_reports++;
			len = (int)wlen; /* control OUT: the data stage was taken whole */
		}
		urb->status = len < 0 ? -EPIPE : 0;
		urb->actual_length = len < 0 ? 0 : (int)MIN((unsigned)len, wlen);
		return 1;
	}
	if (urb->endpoint == 0x02) { /* bulk OUT: echoed to bulk IN */
		g_byte_array_append(usbm.bulk_in, buf, (guint)urb->buffer_length);
		urb->status = 0;
		urb->actual_length = urb->buffer_length;
		return 1;
	}
	if (urb->endpoint == 0x81) {
		if (usbm.bulk_in->len == 0)
			return 0;
		guint n = MIN(usbm.bulk_in->len, (guint)urb->buffer_length);
		memcpy(buf, usbm.bulk_in->data, n);
		g_byte_array_remove_range(usbm.bulk_in, 0, n);
		urb->status = 0;
		urb->actual_length = (int)n;
		return 1;
	}
	urb->status = -EPIPE;
	urb->actual_length = 0;
	return 1;
}

static gboolean usb_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer u)
{
	(void)h;
	(void)u;
	gulong req = umockdev_ioctl_client_get_request(c);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(c);
	GError *err = NULL;
	g_mutex_lock(&usbm.lock);
	if (usbm.gone) {
		g_mutex_unlock(&usbm.lock);
		umockdev_ioctl_client_complete(c, -1, ENODEV);
		return TRUE;
	}
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), &err);
		*(guint32 *)d->data = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM;
		umockdev_ioctl_client_complete(c, 0, 0);
		break;
	}
	case USBDEVFS_CLAIMINTERFACE: case USBDEVFS_RELEASEINTERFACE: case USBDEVFS_SETINTERFACE:
	case USBDEVFS_CLEAR_HALT: case USBDEVFS_RESET: case USBDEVFS_RESETEP: case USBDEVFS_SETCONFIGURATION:
		umockdev_ioctl_client_complete(c, 0, 0);
		break;
	case USBDEVFS_GETDRIVER:
		umockdev_ioctl_client_complete(c, -1, ENODATA);
		break;
	case USBDEVFS_SUBMITURB: {
		struct urb_pending *p = g_new0(struct urb_pending, 1);
		p->urbd = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), &err);
		struct usbdevfs_urb *urb = (struct usbdevfs_urb *)p->urbd->data;
		if (urb->buffer_length > 0)
			p->bufd = umockdev_ioctl_data_resolve(p->urbd, offsetof(struct usbdevfs_urb, buffer),
			                                      (gsize)urb->buffer_length, &err);
		g_object_ref(p->urbd);
		if (p->bufd)
			g_object_ref(p->bufd);
		g_queue_push_tail(&usbm.pending, p);
		umockdev_ioctl_client_complete(c, 0, 0);
		break;
	}
	case USBDEVFS_DISCARDURB: {
		gulong addr = *(gulong *)arg->data;
		int found = 0;
		for (GList *l = usbm.pending.head; l; l = l->next) {
			struct urb_pending *p = l->data;
			if (p->urbd->client_addr == addr) {
				p->cancelled = 1;
				found = 1;
			}
		}
		umockdev_ioctl_client_complete(c, found ? 0 : -1, found ? 0 : EINVAL);
		break;
	}
	case USBDEVFS_REAPURB: case USBDEVFS_REAPURBNDELAY: {
		struct urb_pending *done = NULL;
		for (GList *l = usbm.pending.head; l; l = l->next)
			if (usb_process(l->data)) {
				done = l->data;
				g_queue_delete_link(&usbm.pending, l);
				break;
			}
		if (!done) {
			umockdev_ioctl_client_complete(c, -1, EAGAIN);
			break;
		}
		UMockdevIoctlData *pp = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), &err);
		umockdev_ioctl_data_set_ptr(pp, 0, done->urbd);
		umockdev_ioctl_client_complete(c, 0, 0);
		g_object_unref(done->urbd);
		if (done->bufd)
			g_object_unref(done->bufd);
		g_free(done);
		break;
	}
	default:
		umockdev_ioctl_client_complete(c, -1, ENOTTY);
	}
	if (err)
		g_error_free(err);
	g_mutex_unlock(&usbm.lock);
	return TRUE;
}

static int scenario_usb(const char *dir)
{
	GError *err = NULL;
	char p[512];
	usbm.bulk_in = g_byte_array_new();
	UMockdevTestbed *tb = umockdev_testbed_new();
	snprintf(p, sizeof p, "%s/device.umockdev", dir);
	CHECK(umockdev_testbed_add_from_file(tb, p, &err), "usb: testbed from %s", p);
	UMockdevIoctlBase *hb = g_object_new(UMOCKDEV_TYPE_IOCTL_BASE, NULL);
	g_signal_connect(hb, "handle-ioctl", G_CALLBACK(usb_ioctl), NULL);
	CHECK(umockdev_testbed_attach_ioctl(tb, "/dev/bus/usb/001/007", hb, &err), "usb: device model attached");

	struct udev *udev = udev_new();
	struct udev_device *ud = udev_device_new_from_syspath(udev, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-7");
	struct cdi_candidate c;
	int r = ud ? cdi_candidate_from_udev(ud, &c) : -1;
	CHECK(r == 0 && c.bus == CDI_BUS_USB && c.vid == 0x2544 && c.pid == 0x0006 && c.busnum == 1 && c.devnum == 7,
	      "usb: candidate from udev (2544:0006 at 1/7)");
	CHECK(r == 0 && c.n_ifaces == 1 && c.ifaces[0].if_class == 0x0F && c.ifaces[0].number == 0,
	      "usb: interfaces from the sysfs descriptors: one PHDC (class 0x0F) interface");
	const struct cdi_match phdc = {.bus = CDI_BUS_USB, .if_class = 0x0F, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY};
	const struct cdi_match hidm = {.bus = CDI_BUS_USB, .if_class = 0x03, .if_subclass = CDI_ANY, .if_protocol = CDI_ANY};
	CHECK(cdi_match_candidate(&phdc, &c) && !cdi_match_candidate(&hidm, &c), "usb: match by interface class");

	struct cdi_transport *t = NULL;
	const struct cdi_usb_config cfg = {.iface = 0, .mode = CDI_USB_BULK};
	r = cdi_usb_open(&c, &cfg, &t);
	CHECK(r == 0 && t, "usb: libusb transport opened, interface claimed");
	if (!t)
		return 1;
	uint8_t in, out, intr, extra[64];
	cdi_usb_endpoints(t, &in, &out, &intr);
	CHECK(in == 0x81 && out == 0x02 && intr == 0, "usb: endpoints found from the descriptor (IN 0x81, OUT 0x02)");
	int n = cdi_usb_iface_extra(t, extra, sizeof extra);
	const uint8_t want_extra[10] = {0x04, 0x20, 0x02, 0x00, 0x06, 0x30, 0x00, 0x01, 0x11, 0x10};
	CHECK(n == 10 && !memcmp(extra, want_extra, 10),
	      "usb: PHDC class descriptors (0x20 data code 0x02, 0x30 spec 0x1011) as interface extra");
	const uint8_t apdu[8] = {0xE2, 0x00, 0x00, 0x04, 0x50, 0x79, 0x00, 0x00};
	uint8_t buf[64];
	CHECK(t->ops->write(t, apdu, 8, 500) == 8, "usb: bulk OUT write");
	n = t->ops->read(t, buf, sizeof buf, 1000);
	CHECK(n == 8 && !memcmp(buf, apdu, 8), "usb: bulk IN read returns what the device sent");
	int64_t t0 = cab_mono_ms();
	n = t->ops->read(t, buf, sizeof buf, 150);
	CHECK(n == CDI_T_TIMEOUT && cab_mono_ms() - t0 < 2000, "usb: read with nothing to read -> CDI_T_TIMEOUT");
	n = cdi_usb_control(t, 0x80, 0x00, 0, 0, buf, 2, 500);
	CHECK(n == 2 && buf[0] == 0 && buf[1] == 0, "usb: control IN GET_STATUS");
	n = cdi_usb_control(t, 0xC0, 0x77, 0, 0, buf, 4, 500);
	CHECK(n == CDI_T_IO, "usb: stalled request -> CDI_T_IO");
	struct cdi_transport *t2 = NULL;
	const struct cdi_usb_config hcfg = {.iface = 0, .mode = CDI_USB_HID};
	const uint8_t rep[8] = {5, 'V', 'E', 'R', '0', '0', 0, 0};
	const uint8_t feat[3] = {0, 0x74, 0xBC};
	r = cdi_usb_open(&c, &hcfg, &t2);
	int w1 = t2 ? t2->ops->write(t2, rep, 8, 500) : -99;
	int w2 = t2 ? cdi_transport_set_feature(t2, feat, 3) : -99;
	CHECK(r == 0 && w1 == 8 && w2 == 3 && usbm.set_reports == 2,
	      "usb: HID mode writes output and feature reports with SET_REPORT (open %d, output %d, feature %d, seen %d)",
	      r, w1, w2, usbm.set_reports);
	if (t2)
		t2->ops->close(t2);
	g_mutex_lock(&usbm.lock);
	usbm.gone = 1;
	g_mutex_unlock(&usbm.lock);
	n = t->ops->read(t, buf, sizeof buf, 500);
	CHECK(n == CDI_T_GONE, "usb: device gone (ENODEV) -> CDI_T_GONE (got %d)", n);
	t->ops->close(t);
	udev_device_unref(ud);
	udev_unref(udev);
	umockdev_testbed_detach_ioctl(tb, "/dev/bus/usb/001/007", NULL);
	g_object_unref(hb);
	g_object_unref(tb);
	g_byte_array_unref(usbm.bulk_in);
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
	if (!strcmp(argv[1], "usb-transport"))
		return scenario_usb(argv[2]);
	if (!strcmp(argv[1], "hotplug-bench"))
		return scenario_hotplug(argv[2], 1);
	fprintf(stderr, "unknown scenario %s\n", argv[1]);
	return 2;
}
