/* bt_tab.c — the service menu's Bluetooth tab: the health instruments BlueZ knows and
 * the ones this cabin adopted, numbered; "Scan" (BlueZ discovery filtered on the
 * health services, 10 s, CABIN_BT_SCAN_MS), "Pair" and "Forget" by number. BlueZ's
 * blocking calls run on kiosk/service/bluetooth.c's worker; svc_bt_poll collects
 * their result, keeps DATA_DIR/bluetooth-instruments and tells the device manager
 * (sources.ble_adopted). Every operation is audited (bluetooth.scan/pair/forget). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cabin/ble_admin.h"
#include "kiosk/service/ui/svc_internal.h"
#include "kiosk/ui/i18n.h"
#include "log.h"

#define SCAN_MS 10000

static int scan_ms(void)
{
	const char *e = getenv("CABIN_BT_SCAN_MS");
	int v = e ? atoi(e) : 0;
	return v >= 1000 && v <= 60000 ? v : SCAN_MS;
}

static int adopted_index(char list[CAB_BT_MAX][18], int n, const char *address)
{
	for (int i = 0; i < n; i++)
		if (!strcasecmp(list[i], address))
			return i;
	return -1;
}

void svc_bt_refresh(struct cab_svc_ui *s)
{
	const struct cab_svc_sources *src = &s->cfg.sources;
	struct cab_ble_found f[CAB_BT_MAX];
	char csv[CAB_BT_MAX * 18 + 1] = "", adopted[CAB_BT_MAX][18];
	int na = 0;
	memset(&s->rep, 0, sizeof s->rep);
	s->bt_n = 0;
	if (src->data_dir)
		cab_bt_adopted_load(src->data_dir, csv, sizeof csv);
	for (char *save = NULL, *a = strtok_r(csv, ",", &save); a && na < CAB_BT_MAX;
	     a = strtok_r(NULL, ",", &save))
		snprintf(adopted[na++], 18, "%.17s", a);
	int n = cab_ble_list(f, CAB_BT_MAX);
	if (n < 0) {
		cab_svc_report_add(&s->rep, CAB_SVC_WARN, "Bluetooth: BlueZ is not running",
		                   _("Bluetooth: BlueZ is not running"));
		n = 0;
	} else if (n > CAB_BT_MAX) {
		n = CAB_BT_MAX;
	}
	bool listed[CAB_BT_MAX] = {false};
	char en[CAB_SVC_LINE], shown[CAB_SVC_LINE];
	/* BlueZ's health instruments, adopted ones marked */
	for (int i = 0; i < n && s->bt_n < CAB_BT_MAX * 2; i++) {
		int k = adopted_index(adopted, na, f[i].address);
		if (k >= 0)
			listed[k] = true;
		snprintf(s->bt_addr[s->bt_n++], 18, "%s", f[i].address);
		const char *kind = cab_device_kind_name(f[i].kind);
		/* two lines: what it is, then where and how it stands (fits 1280 px) */
		snprintf(en, sizeof en, "%d. %.40s (%s)", s->bt_n, f[i].name[0] ? f[i].name : "?",
		         kind);
		snprintf(shown, sizeof shown, "%d. %.40s (%s)", s->bt_n,
		         f[i].name[0] ? f[i].name : "?", _(kind));
		cab_svc_report_add(&s->rep, k >= 0 ? CAB_SVC_OK : CAB_SVC_INFO, en, shown);
		snprintf(en, sizeof en, "    %s%s%s%s", f[i].address,
		         k >= 0 ? " - used by the cabin" : "", f[i].paired ? ", paired" : "",
		         f[i].connected ? ", connected" : "");
		snprintf(shown, sizeof shown, "    %s%s%s%s", f[i].address,
		         k >= 0 ? _(" - used by the cabin") : "", f[i].paired ? _(", paired") : "",
		         f[i].connected ? _(", connected") : "");
		cab_svc_report_add(&s->rep, k >= 0 ? CAB_SVC_OK : CAB_SVC_INFO, en, shown);
	}
	/* adopted but unknown to BlueZ now (adapter off, bond lost) */
	for (int k = 0; k < na && s->bt_n < CAB_BT_MAX * 2; k++) {
		if (listed[k])
			continue;
		snprintf(s->bt_addr[s->bt_n++], 18, "%.17s", adopted[k]);
		snprintf(en, sizeof en,
		         "%d. %.17s - used by the cabin, not known to BlueZ: pair it again",
		         s->bt_n, adopted[k]);
		snprintf(shown, sizeof shown,
		         _("%d. %.17s - used by the cabin, not known to BlueZ: pair it again"),
		         s->bt_n, adopted[k]);
		cab_svc_report_add(&s->rep, CAB_SVC_WARN, en, shown);
	}
	if (!s->bt_n)
		cab_svc_report_add(
		    &s->rep, CAB_SVC_INFO,
		    "No Bluetooth instrument yet: switch one on in pairing mode, then Scan",
		    _("No Bluetooth instrument yet: switch one on in pairing mode, then Scan"));
	ui_button_init(&s->m_act[s->m_nact++], N_("Scan"), UI_BTN_SECONDARY, SVC_ACT_MENU_BASE, 0);
	if (s->bt_n) {
		ui_button_init(&s->m_act[s->m_nact++], N_("Pair"), UI_BTN_SECONDARY,
		               SVC_ACT_MENU_BASE + 1, 1);
		ui_button_init(&s->m_act[s->m_nact++], N_("Forget"), UI_BTN_SECONDARY,
		               SVC_ACT_MENU_BASE + 2, 2);
	}
}

int svc_bt_scan(struct cab_svc_ui *s, char *msg, size_t size)
{
	int ms = scan_ms();
	if (cab_bt_worker_start(&s->bt, CAB_BT_SCAN, NULL, ms) < 0) {
		snprintf(msg, size, "%s", _("Bluetooth is busy: wait for the current operation."));
		return -EBUSY;
	}
	snprintf(msg, size, _("Scanning for %d s: instruments in pairing mode appear here."),
	         ms / 1000);
	return 0;
}

int svc_bt_entry_ok(struct cab_svc_ui *s, char *msg, size_t size)
{
	int i = 0, used = 0;
	if (sscanf(s->secret, " %d %n", &i, &used) != 1 || s->secret[used] || i < 1 ||
	    i > s->bt_n) {
		snprintf(s->e_msg_text, sizeof s->e_msg_text, "%s",
		         _("Type the instrument's number as listed (1, 2, ...)."));
		return -EINVAL;
	}
	bool pair = s->entry == SVC_ENTRY_BT_PAIR;
	if (cab_bt_worker_start(&s->bt, pair ? CAB_BT_PAIR : CAB_BT_FORGET, s->bt_addr[i - 1], 0) <
	    0) {
		snprintf(msg, size, "%s", _("Bluetooth is busy: wait for the current operation."));
		return 0;
	}
	snprintf(msg, size, pair ? _("Pairing %s...") : _("Forgetting %s..."), s->bt_addr[i - 1]);
	return 0;
}

/* The adopted list changed: the device manager drives the new one. */
static void adopted_changed(struct cab_svc_ui *s, const char *csv)
{
	const struct cab_svc_sources *src = &s->cfg.sources;
	if (src->ble_adopted)
		src->ble_adopted(src->ble_user, csv);
}

bool svc_bt_poll(struct cab_svc_ui *s, char *msg, size_t size)
{
	const struct cab_svc_sources *src = &s->cfg.sources;
	enum cab_bt_op op;
	int rc;
	char address[18], err[200], csv[CAB_BT_MAX * 18 + 1];
	if (!cab_bt_worker_poll(&s->bt, &op, &rc, address, err, sizeof err))
		return false;
	switch (op) {
	case CAB_BT_SCAN: {
		struct cab_ble_found f[CAB_BT_MAX];
		int n = rc ? 0 : cab_ble_list(f, CAB_BT_MAX);
		cab_svc_audit_emitf(&s->cfg.audit, CAB_ROLE_TECHNICIAN, "bluetooth.scan",
		                    "result=%s found=%d", rc ? "error" : "ok", n < 0 ? 0 : n);
		if (rc)
			snprintf(msg, size, _("Scan failed: %s."), err);
		else
			snprintf(msg, size, _("Scan finished: %d instrument(s)."), n < 0 ? 0 : n);
		break;
	}
	case CAB_BT_PAIR:
		if (rc == 0 && src->data_dir)
			rc = cab_bt_adopted_edit(src->data_dir, address, true, csv, sizeof csv);
		cab_svc_audit_emitf(&s->cfg.audit, CAB_ROLE_TECHNICIAN, "bluetooth.pair",
		                    "address=%s result=%s", address, rc ? "error" : "ok");
		if (rc == 0) {
			adopted_changed(s, csv);
			snprintf(msg, size, _("%s paired: the cabin uses it."), address);
		} else {
			snprintf(msg, size, _("Pairing %s failed: %s."), address,
			         err[0] ? err : strerror(-rc));
		}
		break;
	case CAB_BT_FORGET:
		/* unknown to BlueZ already: still taken off the cabin's list */
		if ((rc == 0 || rc == -ENOENT) && src->data_dir)
			rc = cab_bt_adopted_edit(src->data_dir, address, false, csv, sizeof csv);
		cab_svc_audit_emitf(&s->cfg.audit, CAB_ROLE_TECHNICIAN, "bluetooth.forget",
		                    "address=%s result=%s", address, rc ? "error" : "ok");
		if (rc == 0) {
			adopted_changed(s, csv);
			snprintf(msg, size, _("%s forgotten: the cabin no longer uses it."),
			         address);
		} else {
			snprintf(msg, size, _("Forgetting %s failed: %s."), address,
			         err[0] ? err : strerror(-rc));
		}
		break;
	case CAB_BT_NONE:
		return false;
	}
	cab_info("service", "bluetooth: %s", msg);
	return true;
}
