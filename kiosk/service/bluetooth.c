/* bluetooth.c — adopted Bluetooth instruments and the BlueZ worker (bluetooth.h). */
#include "kiosk/service/bluetooth.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cabin/ble_admin.h"
#include "common/atomic_file.h"
#include "log.h"

bool cab_bt_is_address(const char *s)
{
	if (!s || strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Parses TEXT into up to CAB_BT_MAX upper-case addresses. */
static int parse(const char *text, char out[CAB_BT_MAX][18])
{
	int n = 0;
	const char *p = text;
	while (*p && n < CAB_BT_MAX) {
		size_t len = strcspn(p, "\n");
		char line[64];
		snprintf(line, sizeof line, "%.*s", (int)(len < 63 ? len : 63), p);
		char *s = line + strspn(line, " \t");
		s[strcspn(s, " \t\r#")] = '\0';
		if (cab_bt_is_address(s)) {
			for (char *c = s; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			bool dup = false;
			for (int i = 0; i < n; i++)
				dup |= !strcmp(out[i], s);
			if (!dup)
				snprintf(out[n++], 18, "%s", s);
		}
		p += len + (p[len] == '\n');
	}
	return n;
}

static void to_csv(char list[CAB_BT_MAX][18], int n, char *csv, size_t size)
{
	size_t k = 0;
	if (size)
		csv[0] = '\0';
	for (int i = 0; i < n && k < size; i++)
		k += (size_t)snprintf(csv + k, size - k, "%s%s", i ? "," : "", list[i]);
}

int cab_bt_adopted_load(const char *data_dir, char *csv, size_t size)
{
	char text[2048] = "", list[CAB_BT_MAX][18];
	int r = cab_file_read(data_dir, CAB_BT_FILE, text, sizeof text);
	if (r < 0) {
		if (r != -ENOENT)
			cab_warn("service", "%s/%s not read (%s): no Bluetooth instrument used",
			         data_dir, CAB_BT_FILE,
			         r == -EPERM ? "readable by others: must be mode 0600"
			                     : strerror(-r));
		text[0] = '\0';
	}
	int n = parse(text, list);
	to_csv(list, n, csv, size);
	return n;
}

int cab_bt_adopted_edit(const char *data_dir, const char *address, bool add, char *csv, size_t size)
{
	char text[2048] = "", list[CAB_BT_MAX][18], up[18];
	if (!cab_bt_is_address(address))
		return -EINVAL;
	for (int i = 0; i < 18; i++)
		up[i] = (char)toupper((unsigned char)address[i]);
	int rr = cab_file_read(data_dir, CAB_BT_FILE, text, sizeof text);
	if (rr == -ENOENT)
		text[0] = '\0';
	else if (rr < 0) /* never overwrite a list we could not read */
		return rr;
	int n = parse(text, list), at = -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], up))
			at = i;
	if (add && at < 0) {
		if (n == CAB_BT_MAX)
			return -ENOSPC;
		snprintf(list[n++], 18, "%s", up);
	} else if (!add && at >= 0) {
		memmove(list[at], list[at + 1], (size_t)(n - at - 1) * sizeof list[0]);
		n--;
	}
	size_t k = (size_t)snprintf(
	    text, sizeof text,
	    "# Bluetooth LE instruments this cabin drives (service menu, docs/devices.md)\n");
	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(text + k, sizeof text - k, "%s\n", list[i]);
	int rc = cab_atomic_write(data_dir, CAB_BT_FILE, text, k);
	if (rc < 0)
		return rc;
	to_csv(list, n, csv, size);
	return 0;
}

/* ---- worker ------------------------------------------------------------------- */

void cab_bt_worker_init(struct cab_bt_worker *w)
{
	memset(w, 0, sizeof *w);
	pthread_mutex_init(&w->lock, NULL);
	w->joined = true;
}

static void *work(void *arg)
{
	struct cab_bt_worker *w = arg;
	char err[200] = "";
	int rc;
	pthread_mutex_lock(&w->lock);
	enum cab_bt_op op = w->op;
	char address[18];
	int ms = w->scan_ms;
	memcpy(address, w->address, sizeof address);
	pthread_mutex_unlock(&w->lock);
	if (op == CAB_BT_SCAN)
		rc = cab_ble_scan(ms, err, sizeof err);
	else if (op == CAB_BT_PAIR)
		rc = cab_ble_pair(address, err, sizeof err);
	else
		rc = cab_ble_forget(address, err, sizeof err);
	pthread_mutex_lock(&w->lock);
	w->rc = rc;
	snprintf(w->err, sizeof w->err, "%s", err);
	w->done = true;
	w->running = false;
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int cab_bt_worker_start(struct cab_bt_worker *w, enum cab_bt_op op, const char *address,
                        int scan_ms)
{
	pthread_mutex_lock(&w->lock);
	bool busy = w->running;
	pthread_mutex_unlock(&w->lock);
	if (busy)
		return -EBUSY;
	if (!w->joined)
		pthread_join(w->thread, NULL);
	w->joined = true;
	pthread_mutex_lock(&w->lock);
	w->op = op;
	snprintf(w->address, sizeof w->address, "%s", address ? address : "");
	w->scan_ms = scan_ms;
	w->done = false;
	w->running = true;
	pthread_mutex_unlock(&w->lock);
	if (pthread_create(&w->thread, NULL, work, w)) {
		w->running = false;
		return -EAGAIN;
	}
	w->joined = false;
	return 0;
}

int cab_bt_worker_poll(struct cab_bt_worker *w, enum cab_bt_op *op, int *rc, char *address,
                       char *err, size_t size)
{
	pthread_mutex_lock(&w->lock);
	int done = w->done;
	if (done) {
		w->done = false;
		*op = w->op;
		*rc = w->rc;
		memcpy(address, w->address, 18);
		snprintf(err, size, "%s", w->err);
	}
	pthread_mutex_unlock(&w->lock);
	return done;
}

bool cab_bt_worker_busy(struct cab_bt_worker *w)
{
	pthread_mutex_lock(&w->lock);
	bool b = w->running;
	pthread_mutex_unlock(&w->lock);
	return b;
}

void cab_bt_worker_join(struct cab_bt_worker *w)
{
	if (!w->joined)
		pthread_join(w->thread, NULL);
	w->joined = true;
}
