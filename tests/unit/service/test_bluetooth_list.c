/* test_bluetooth_list.c — the adopted Bluetooth instruments of the service menu
 * (kiosk/service/bluetooth.c): DATA_DIR/bluetooth-instruments read and edited
 * (addresses upper-cased, comments and junk lines skipped, duplicates once, add and
 * remove idempotent, not-an-address refused, the CAB_BT_MAX bound, a file readable
 * by others refused and never overwritten), and the worker
 * with no system bus: the operation finishes with BlueZ's absence, never hangs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kiosk/service/bluetooth.h"
#include "store_testlib.h"

static void list_file(void **state)
{
	(void)state;
	char dir[256], csv[512], path[300];
	tl_mkdtemp(dir);
	assert_int_equal(cab_bt_adopted_load(dir, csv, sizeof csv), 0); /* no file */
	assert_string_equal(csv, "");
	snprintf(path, sizeof path, "%s/" CAB_BT_FILE, dir);
	FILE *f = fopen(path, "w");
	fputs("# adopted\n  c0:ff:ee:00:00:01  # the BP monitor\nnot-an-address\nC0:FF:EE:00:00:01\n"
	      "C0:FF:EE:00:00:0G\nC0:FF:EE:00:00:02\n", f);
	fclose(f);
	/* readable by others: not used, and never overwritten by an edit */
	chmod(path, 0644);
	assert_int_equal(cab_bt_adopted_load(dir, csv, sizeof csv), 0);
	assert_int_equal(cab_bt_adopted_edit(dir, "C0:FF:EE:00:00:09", true, csv, sizeof csv), -EPERM);
	chmod(path, 0600);
	assert_int_equal(cab_bt_adopted_load(dir, csv, sizeof csv), 2);
	assert_string_equal(csv, "C0:FF:EE:00:00:01,C0:FF:EE:00:00:02");
	assert_int_equal(cab_bt_adopted_edit(dir, "c0:ff:ee:00:00:03", true, csv, sizeof csv), 0);
	assert_string_equal(csv, "C0:FF:EE:00:00:01,C0:FF:EE:00:00:02,C0:FF:EE:00:00:03");
	assert_int_equal(cab_bt_adopted_edit(dir, "C0:FF:EE:00:00:03", true, csv, sizeof csv), 0);
	assert_int_equal(cab_bt_adopted_load(dir, csv, sizeof csv), 3);
	assert_int_equal(cab_bt_adopted_edit(dir, "C0:FF:EE:00:00:01", false, csv, sizeof csv), 0);
	assert_string_equal(csv, "C0:FF:EE:00:00:02,C0:FF:EE:00:00:03");
	assert_int_equal(cab_bt_adopted_edit(dir, "C0:FF:EE:00:00:01", false, csv, sizeof csv), 0);
	assert_int_equal(cab_bt_adopted_edit(dir, "C0:FF:EE:00:00", true, csv, sizeof csv), -EINVAL);
	assert_int_equal(cab_bt_adopted_edit(dir, "C0:FF:EE:00:00:0Z", true, csv, sizeof csv), -EINVAL);
	assert_int_equal(cab_bt_adopted_load(dir, csv, sizeof csv), 2);
	for (int i = 0; i < CAB_BT_MAX - 2; i++) {
		char a[18];
		snprintf(a, sizeof a, "AA:00:00:00:00:%02X", i);
		assert_int_equal(cab_bt_adopted_edit(dir, a, true, csv, sizeof csv), 0);
	}
	assert_int_equal(cab_bt_adopted_edit(dir, "AA:00:00:00:01:00", true, csv, sizeof csv), -ENOSPC);
	assert_int_equal(cab_bt_adopted_load(dir, csv, sizeof csv), CAB_BT_MAX);
	assert_true(cab_bt_is_address("aa:BB:cc:00:11:22"));
	assert_false(cab_bt_is_address("aa:BB:cc:00:11:22:33"));
	assert_false(cab_bt_is_address(NULL));
	tl_rmrf(dir);
}

static void worker_without_bluez(void **state)
{
	(void)state;
	struct cab_bt_worker w;
	enum cab_bt_op op;
	int rc = 1;
	char addr[18], err[200];
	setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/cabin-test-bus", 1);
	cab_bt_worker_init(&w);
	assert_int_equal(cab_bt_worker_start(&w, CAB_BT_PAIR, "C0:FF:EE:00:00:01", 0), 0);
	int done = 0;
	for (int i = 0; i < 500 && !done; i++) { /* a deadline, not a pace */
		done = cab_bt_worker_poll(&w, &op, &rc, addr, err, sizeof err);
		if (!done) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	assert_true(done);
	assert_int_equal(op, CAB_BT_PAIR);
	assert_int_equal(rc, -ENOTCONN);
	assert_string_equal(addr, "C0:FF:EE:00:00:01");
	assert_string_equal(err, "BlueZ is not running");
	assert_false(cab_bt_worker_busy(&w));
	assert_int_equal(cab_bt_worker_poll(&w, &op, &rc, addr, err, sizeof err), 0); /* once */
	cab_bt_worker_join(&w);
}

int main(void)
{
	const struct CMUnitTest t[] = {
	    cmocka_unit_test(list_file),
	    cmocka_unit_test(worker_without_bluez),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
