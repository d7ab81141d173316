/* test_throughput_usb.c — the acknowledged-throughput meter around an in-memory
 * outbox port (exact kbit/s over the sliding window with an injected clock), and
 * the mount-table lookup behind the USB stick search (octal escapes, read-only
 * mounts, absent devices, fstype after the separator). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* clang-format off: cmocka.h needs the four above first */
#include <cmocka.h>
/* clang-format on */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/service/throughput.h"
#include "kiosk/service/usb_stick.h"
#include "log.h"

static int64_t now_ms;
static int64_t clock_fn(void *u)
{
	(void)u;
	return now_ms;
}

/* A port with two messages: 1000 and 250 bytes of body. */
static int fake_pending(void *u, int64_t after, int64_t now, struct cab_outbox_item *it, int max)
{
	(void)u, (void)now;
	int n = 0;
	if (after < 1 && n < max) {
		memset(&it[n], 0, sizeof it[n]);
		it[n].seq = 1;
		snprintf(it[n].id, sizeof it[n].id, "id-1");
		it[n].body = calloc(1, 1001);
		memset(it[n].body, 'a', 1000);
		n++;
	}
	if (after < 2 && n < max) {
		memset(&it[n], 0, sizeof it[n]);
		it[n].seq = 2;
		snprintf(it[n].id, sizeof it[n].id, "id-2");
		it[n].body = calloc(1, 251);
		memset(it[n].body, 'b', 250);
		n++;
	}
	return n;
}
static int fake_sent(void *u, const char *id, int64_t now)
{
	(void)u, (void)id, (void)now;
	return 0;
}
static int fake_acked(void *u, const char *id)
{
	(void)u;
	return strncmp(id, "id-", 3) ? -1 : 0;
}
static int fake_reset(void *u)
{
	(void)u;
	return 0;
}

static void throughput_over_the_window(void **state)
{
	(void)state;
	struct cab_outbox_port inner = {.pending = fake_pending,
	                                .sent = fake_sent,
	                                .acked = fake_acked,
	                                .reset_backoff = fake_reset},
	                       w;
	struct cab_clock c = {clock_fn, NULL};
	struct cab_tput t;
	struct cab_outbox_item it[2];
	int msgs = -1;
	now_ms = 50000;
	cab_tput_init(&t, &inner, &c, 10000, &w);
	assert_true(cab_tput_kbps(&t, &msgs) < 0);
	assert_int_equal(msgs, 0);
	assert_int_equal(w.pending(w.user, 0, 0, it, 2), 2);
	cab_outbox_item_clear(&it[0]);
	cab_outbox_item_clear(&it[1]);
	assert_int_equal(w.sent(w.user, "id-1", 0), 0);
	assert_int_equal(w.acked(w.user, "id-1"), 0);
	/* 1000 bytes in a 10 s window: 8000 bit / 10 s = 0.8 kbit/s */
	assert_true(cab_tput_kbps(&t, &msgs) == 0.8);
	assert_int_equal(msgs, 1);
	now_ms += 4000;
	assert_int_equal(w.acked(w.user, "id-2"), 0);
	assert_true(cab_tput_kbps(&t, &msgs) == 1.0); /* 1250 bytes */
	assert_int_equal(msgs, 2);
	assert_int_equal(w.acked(w.user, "id-2"), 0); /* a duplicate ack counts nothing */
	assert_int_equal(msgs, 2);
	assert_int_equal(w.acked(w.user, "unknown"), -1);
	now_ms += 6000; /* the first ack (10 s old) leaves the window */
	assert_true(cab_tput_kbps(&t, &msgs) == 0.2);
	assert_int_equal(msgs, 1);
	now_ms += 4000;
	assert_true(cab_tput_kbps(&t, &msgs) < 0);
	assert_int_equal(msgs, 0);
	assert_true(t.total_bytes == 1250 && t.total_msgs == 2);
	assert_int_equal(w.reset_backoff(w.user), 0);
	cab_tput_free(&t);
}

static void mountinfo_lookup(void **state)
{
	(void)state;
	char path[] = "/tmp/cabin-mountinfo-XXXXXX", mnt[256], fs[16];
	bool rw = false;
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw\n"
	                   "98 22 8:17 / /media/cabin\\040usb rw,nosuid,nodev,relatime shared:52 - "
	                   "vfat /dev/sdb1 rw,fmask=0022\n"
	                   "99 22 8:33 / /media/ro ro,relatime - exfat /dev/sdc1 ro\n"
	                   "100 22 8:1 / /mnt/x rw - ext4 /dev/sda1 rw\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(cab_mountinfo_find(path, 8, 17, mnt, sizeof mnt, fs, sizeof fs, &rw), 0);
	assert_string_equal(mnt, "/media/cabin usb");
	assert_string_equal(fs, "vfat");
	assert_true(rw);
	assert_int_equal(cab_mountinfo_find(path, 8, 33, mnt, sizeof mnt, fs, sizeof fs, &rw), 0);
	assert_string_equal(mnt, "/media/ro");
	assert_string_equal(fs, "exfat");
	assert_false(rw);
	assert_int_equal(cab_mountinfo_find(path, 8, 18, mnt, sizeof mnt, NULL, 0, &rw), -ENOENT);
	assert_int_equal(cab_mountinfo_find(path, 8, 1, mnt, sizeof mnt, NULL, 0, &rw), 0);
	assert_string_equal(mnt, "/mnt/x");
	unlink(path);
	assert_int_equal(cab_mountinfo_find(path, 8, 1, mnt, sizeof mnt, NULL, 0, &rw), -ENOENT);

	struct cab_usb_stick s = {.devnode = "/dev/sdb1",
	                          .vendor = "SanDisk",
	                          .model = "Cruzer Blade",
	                          .label = "LOGS",
	                          .fstype = "vfat",
	                          .mountpoint = "/media/cabin usb",
	                          .writable = true};
	char buf[200];
	assert_string_equal(cab_usb_stick_describe(&s, buf, sizeof buf),
	                    "SanDisk Cruzer Blade \"LOGS\" (vfat, /dev/sdb1) at /media/cabin usb");
	s.writable = false;
	s.label[0] = s.vendor[0] = 0;
	assert_string_equal(cab_usb_stick_describe(&s, buf, sizeof buf),
	                    "Cruzer Blade (vfat, /dev/sdb1) at /media/cabin usb (read-only)");
}

int main(void)
{
	cab_log_set_level(CAB_LOG_ERROR);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(throughput_over_the_window),
	    cmocka_unit_test(mountinfo_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
