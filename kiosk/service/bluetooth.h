/* bluetooth.h — the service menu's Bluetooth section without SDL: the list of the
 * Bluetooth LE instruments the cabin adopted (DATA_DIR/bluetooth-instruments, one
 * address per line, written atomically), and one worker thread that runs BlueZ's
 * blocking operations (cabin/ble_admin.h: scan, pair, forget) off the UI thread.
 * The adopted list is what the device manager drives
 * (cab_devices_config.ble_instruments, cab_devices_set_ble_instruments): pairing an
 * instrument adds it, forgetting removes it from the list and from BlueZ. */
#ifndef CABIN_SERVICE_BLUETOOTH_H
#define CABIN_SERVICE_BLUETOOTH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#define CAB_BT_FILE "bluetooth-instruments"
#define CAB_BT_MAX 16 /* adopted instruments at most */

/* Reads the adopted addresses of DATA_DIR as "AA:..,BB:.." into CSV (SIZE bytes;
 * "" when the file is absent, or unreadable: logged, e.g. a mode other than 0600). Lines that are
 * not a Bluetooth address (XX:XX:XX:XX:XX:XX, hex) and "#" comments are skipped. Returns the count.
 */
int cab_bt_adopted_load(const char *data_dir, char *csv, size_t size);

/* Adds (ADD) or removes ADDRESS in DATA_DIR's list and writes it atomically; CSV
 * gets the new list. 0, -EINVAL (not an address), -ENOSPC (CAB_BT_MAX reached), the
 * read's -errno (-EPERM: the file is readable by others; it is never overwritten
 * then), or the write's -errno. Adding a listed one or removing an absent one is 0. */
int cab_bt_adopted_edit(const char *data_dir, const char *address, bool add, char *csv,
                        size_t size);

/* 1 when S is a Bluetooth address "XX:XX:XX:XX:XX:XX" (hex digits, any case). */
bool cab_bt_is_address(const char *s);

enum cab_bt_op { CAB_BT_NONE = 0, CAB_BT_SCAN, CAB_BT_PAIR, CAB_BT_FORGET };

/* One operation at a time, on its own thread. */
struct cab_bt_worker {
	pthread_mutex_t lock;
	pthread_t thread;
	bool running, joined; /* a thread was started / has been joined */
	bool done;            /* its result is ready (cab_bt_worker_poll) */
	enum cab_bt_op op;
	char address[18];
	int scan_ms;
	int rc;        /* 0 or the ble_admin -errno */
	char err[200]; /* BlueZ's words when rc < 0 */
};

void cab_bt_worker_init(struct cab_bt_worker *w);
/* Starts OP (ADDRESS for pair/forget; SCAN_MS for scan). 0, or -EBUSY. */
int cab_bt_worker_start(struct cab_bt_worker *w, enum cab_bt_op op, const char *address,
                        int scan_ms);
/* 1 with *OP, *RC, ADDRESS (18 bytes) and ERR when an operation finished (once), 0
 * while one runs or none was started. */
int cab_bt_worker_poll(struct cab_bt_worker *w, enum cab_bt_op *op, int *rc, char *address,
                       char *err, size_t size);
/* true while an operation runs. */
bool cab_bt_worker_busy(struct cab_bt_worker *w);
/* Waits for a running operation (at the end of the program). */
void cab_bt_worker_join(struct cab_bt_worker *w);

#endif
