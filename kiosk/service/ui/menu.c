/* menu.c — the technician's side of the staff layer: the text entry with the
 * on-screen keyboard (password, new PIN, export passphrase, configuration value)
 * and the service menu's tabs (see svc_ui.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiosk/service/log_export.h"
#include "kiosk/service/ui/svc_internal.h"
#include "kiosk/service/usb_stick.h"
#include "kiosk/ui/stage.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/layout.h"
#include "log.h"

static const char *const tab_label[SVC_TABS] = {
    N_("Instruments"), N_("Network"), N_("Data"), N_("Logs"), N_("Configuration"), N_("Software"),
    N_("Bluetooth"),
};

static void wipe_secret(struct cab_svc_ui *s)
{
	memset(s->secret, 0, sizeof s->secret);
}

static void touch(struct cab_svc_ui *s)
{
	s->last_touch_ms = s->now_ms;
}

/* --- text entry ------------------------------------------------------------------- */

static void open_entry(struct cab_svc_ui *s, enum svc_entry e)
{
	static const char *const prompt[] = {
	    [SVC_ENTRY_LOGIN] = N_("Technician password"),
	    [SVC_ENTRY_SET_TECH] = N_("New technician password (at least 12 characters)"),
	    [SVC_ENTRY_SET_PHARM] = N_("New pharmacist PIN (6 to 12 digits)"),
	    [SVC_ENTRY_EXPORT] = N_("Passphrase for the log archive (at least 12 characters)"),
	    [SVC_ENTRY_CONFIG] = N_("Change: section.key = value"),
	    [SVC_ENTRY_CALIBRATION] = N_("Calibration due: instrument number and date (2 2027-06-30)"),
	    [SVC_ENTRY_SELFTEST] = N_("Self-test: the instrument's number"),
	    [SVC_ENTRY_BT_PAIR] = N_("Pair: the Bluetooth instrument's number"),
	    [SVC_ENTRY_BT_FORGET] = N_("Forget: the Bluetooth instrument's number"),
	};
	s->mode = SVC_TECH_ENTRY;
	s->entry = e;
	wipe_secret(s);
	s->e_msg_text[0] = '\0';
	ui_group_clear(&s->eg);
	ui_label_init(&s->e_prompt, prompt[e], UI_T_H2);
	ui_label_init(&s->e_shown, s->e_shown_text, UI_T_H1);
	s->e_shown.raw = 1;
	ui_label_init(&s->e_msg, s->e_msg_text, UI_T_BODY);
	s->e_msg.raw = 1;
	ui_textfield_init(&s->e_field, s->secret, sizeof s->secret,
	                  e == SVC_ENTRY_SET_PHARM || e == SVC_ENTRY_SELFTEST || e == SVC_ENTRY_BT_PAIR ||
	                          e == SVC_ENTRY_BT_FORGET
	                      ? UI_TF_DIGITS
	                      : UI_TF_ANY,
	                  0, 0);
	if (e == SVC_ENTRY_CALIBRATION)
		snprintf(s->e_msg_text, sizeof s->e_msg_text, "%s",
		         _("Warned 30 days ahead, due and overdue. An empty date clears it."));
	s->e_field.w.flags |= UI_W_HIDDEN;
	ui_keyboard_init(&s->e_kbd, SVC_ACT_ENTRY_OK);
	s->e_kbd.target = &s->e_field;
	s->e_kbd.w.name = "keyboard";
	/* URLs, section.key = value and passwords need . : = _ / @ ...; numbers do not */
	s->e_kbd.symbols_key = s->e_field.filter != UI_TF_DIGITS;
	ui_button_init(&s->e_ok, N_("OK"), UI_BTN_PRIMARY, SVC_ACT_ENTRY_OK, 0);
	ui_button_init(&s->e_cancel, N_("Cancel"), UI_BTN_SECONDARY, SVC_ACT_ENTRY_CANCEL, 0);
	ui_group_add(&s->eg, &s->e_prompt.w);
	ui_group_add(&s->eg, &s->e_shown.w);
	ui_group_add(&s->eg, &s->e_msg.w);
	ui_group_add(&s->eg, &s->e_ok.w);
	ui_group_add(&s->eg, &s->e_cancel.w);
	ui_group_add(&s->eg, &s->e_kbd.w);
	if (e == SVC_ENTRY_SET_TECH && !cab_creds_is_set(s->cfg.creds, CAB_ROLE_TECHNICIAN))
		snprintf(s->e_msg_text, sizeof s->e_msg_text, "%s",
		         _("First start: choose the technician password."));
}

void cab_svc_ui_open_technician(struct cab_svc_ui *s, int64_t now_ms)
{
	s->now_ms = now_ms;
	touch(s);
	if (s->mode == SVC_PHARM || s->mode == SVC_PHARM_PAD)
		cab_pharm_close(&s->pharm);
	open_entry(s, cab_creds_is_set(s->cfg.creds, CAB_ROLE_TECHNICIAN) ? SVC_ENTRY_LOGIN
	                                                                  : SVC_ENTRY_SET_TECH);
}

static void refresh(struct cab_svc_ui *s);

static void open_menu(struct cab_svc_ui *s, enum svc_tab tab)
{
	s->mode = SVC_TECH_MENU;
	s->tab = tab;
	ui_group_clear(&s->mg);
	ui_label_init(&s->m_title, tab_label[tab], UI_T_H1);
	ui_label_init(&s->m_msg, s->m_msg_text, UI_T_BODY);
	s->m_msg.raw = 1;
	ui_group_add(&s->mg, &s->m_title.w);
	ui_group_add(&s->mg, &s->m_msg.w);
	for (int i = 0; i < SVC_TABS; i++) {
		ui_button_init(&s->m_tab[i], tab_label[i],
		               i == (int)tab ? UI_BTN_SELECTED : UI_BTN_SECONDARY,
		               SVC_ACT_TAB_BASE + i, i);
		ui_group_add(&s->mg, &s->m_tab[i].w);
	}
	ui_button_init(&s->m_close, N_("Close the service menu"), UI_BTN_PRIMARY, SVC_ACT_CLOSE, 0);
	ui_group_add(&s->mg, &s->m_close.w);
	refresh(s);
}

void svc_menu_close(struct cab_svc_ui *s)
{
	wipe_secret(s);
	if (s->mode == SVC_TECH_MENU)
		cab_svc_audit_emit(&s->cfg.audit, CAB_ROLE_TECHNICIAN, "menu.close", NULL);
	s->mode = s->cleaning.active ? SVC_CLEANING : SVC_NONE;
	if (s->mode == SVC_CLEANING)
		svc_pinpad_init(&s->pad, N_("Pharmacist: confirm with your PIN"), false);
}

/* The tab's action buttons and lines. */
static void refresh(struct cab_svc_ui *s)
{
	const struct cab_svc_sources *src = &s->cfg.sources;
	int64_t now = cab_wall_ms();
	s->m_nact = 0;
	s->scroll = 0;
	switch (s->tab) {
	case SVC_TAB_INSTRUMENTS: {
		static const char *const tile_state[] = {N_("waiting"), N_("measuring"), N_("done"),
		                                         N_("failed"), N_("absent")};
		int n = cab_svc_report_instruments(src, now, &s->rep);
		/* Live readings: what the patient screens show now. */
		const struct cab_view *v = s->cfg.view;
		bool head = false;
		for (int i = 0; v && i < CAB_VIEW_INSTRUMENTS && s->rep.n < CAB_SVC_LINES; i++) {
			const struct cab_tile *t = &v->instruments[i];
			if (!t->name || (t->state == CAB_TILE_IDLE && !t->detail[0]))
				continue;
			if (!head && s->rep.n < CAB_SVC_LINES - 1) {
				cab_svc_report_add(&s->rep, CAB_SVC_HEAD, "Live readings",
				                   _("Live readings"));
				head = true;
			}
			char en[CAB_SVC_LINE], shown[CAB_SVC_LINE];
			snprintf(en, sizeof en, "   %.60s: %.20s %.100s", t->name, tile_state[t->state],
			         t->detail);
			/* TRANSLATORS: live reading line: instrument, state, value */
			snprintf(shown, sizeof shown, _("   %.60s: %.30s %.100s"), _(t->name),
			         _(tile_state[t->state]), t->detail);
			cab_svc_report_add(&s->rep,
			                   t->state == CAB_TILE_FAILED ? CAB_SVC_BAD : CAB_SVC_INFO,
			                   en, shown);
		}
		if (n > 0 && src->selftest_start)
			ui_button_init(&s->m_act[s->m_nact++], N_("Run a self-test"), UI_BTN_SECONDARY,
			               SVC_ACT_MENU_BASE + 2, 2);
		if (n > 0 && src->set_calibration)
			ui_button_init(&s->m_act[s->m_nact++], N_("Calibration date"), UI_BTN_SECONDARY,
			               SVC_ACT_MENU_BASE + 3, 3);
		break;
	}
	case SVC_TAB_BLUETOOTH:
		svc_bt_refresh(s);
		break;
	case SVC_TAB_NETWORK:
		cab_svc_report_network(src, now, 2000, &s->rep);
		ui_button_init(&s->m_act[s->m_nact++], N_("Test again"), UI_BTN_SECONDARY,
		               SVC_ACT_MENU_BASE, 0);
		break;
	case SVC_TAB_DATA:
		cab_svc_report_data(src, now, &s->rep);
		ui_button_init(&s->m_act[s->m_nact++], N_("Check again"), UI_BTN_SECONDARY,
		               SVC_ACT_MENU_BASE, 0);
		break;
	case SVC_TAB_LOGS: {
		char where[400];
		cab_svc_report_log_tail(s->cfg.log_path, &s->rep);
		/* where the export goes: the first line of the tab */
		int ok = svc_export_target(s, where, sizeof where, NULL, 0);
		if (s->rep.n == CAB_SVC_LINES)
			s->rep.n--;
		memmove(&s->rep.line[1], &s->rep.line[0], (size_t)s->rep.n * sizeof s->rep.line[0]);
		snprintf(s->rep.line[0].text, CAB_SVC_LINE, "Export to: %.180s", where);
		snprintf(s->rep.line[0].shown, CAB_SVC_LINE, _("Export to: %.180s"), where);
		s->rep.line[0].level = ok == 0 ? CAB_SVC_OK : CAB_SVC_WARN;
		s->rep.n++;
		if (ok)
			s->rep.warnings++;
		ui_button_init(&s->m_act[s->m_nact++], N_("Export to the USB stick"),
		               UI_BTN_SECONDARY, SVC_ACT_MENU_BASE, 0);
		s->scroll = s->rep.n; /* newest lines: the end */
		break;
	}
	case SVC_TAB_CONFIG: {
		static char text[16384];
		memset(&s->rep, 0, sizeof s->rep);
		if (!src->config_text ||
		    src->config_text(src->config_user, text, sizeof text) < 0) {
			snprintf(s->rep.line[0].text, CAB_SVC_LINE, "%s",
			         _("Configuration not available in this build"));
			s->rep.line[0].level = CAB_SVC_WARN;
			s->rep.n = 1;
			break;
		}
		char *save = NULL;
		for (char *l = strtok_r(text, "\n", &save); l && s->rep.n < CAB_SVC_LINES;
		     l = strtok_r(NULL, "\n", &save)) {
			snprintf(s->rep.line[s->rep.n].text, CAB_SVC_LINE, "%.*s", CAB_SVC_LINE - 1,
			         l);
			s->rep.line[s->rep.n++].level = l[0] == '[' ? CAB_SVC_HEAD : CAB_SVC_INFO;
		}
		if (src->config_set)
			ui_button_init(&s->m_act[s->m_nact++], N_("Change a value"),
			               UI_BTN_SECONDARY, SVC_ACT_MENU_BASE, 0);
		break;
	}
	case SVC_TAB_SOFTWARE:
		cab_svc_report_software(s->cfg.version, s->cfg.wd ? s->cfg.wd->interval_ms : 0,
		                        &s->rep);
		ui_button_init(&s->m_act[s->m_nact++], N_("Set the pharmacist PIN"),
		               UI_BTN_SECONDARY, SVC_ACT_MENU_BASE, 0);
		ui_button_init(&s->m_act[s->m_nact++], N_("Change the technician password"),
		               UI_BTN_SECONDARY, SVC_ACT_MENU_BASE + 1, 1);
		break;
	case SVC_TABS:
		break;
	}
	for (int i = 0; i < s->m_nact; i++)
		ui_group_add(&s->mg, &s->m_act[i].w);
	/* Not the log's own lines, nor the configuration (credential hashes stay out of logs). */
	for (int i = 0; i < s->rep.n && s->tab != SVC_TAB_LOGS && s->tab != SVC_TAB_CONFIG; i++)
		if (s->rep.line[i].level != CAB_SVC_WARN && s->rep.line[i].level != CAB_SVC_BAD)
			cab_debug("service", "menu line: %s", s->rep.line[i].text);
		else
			cab_info("service", "menu %s: %s", s->rep.line[i].level == CAB_SVC_BAD ? "problem" : "warning",
			         s->rep.line[i].text);
	cab_info("service", "menu tab %s: %d lines, %d warnings", tab_label[s->tab], s->rep.n,
	         s->rep.warnings);
}

int svc_export_target(struct cab_svc_ui *s, char *where, size_t size, char *dir, size_t dirsize)
{
	struct cab_usb_stick st[CAB_USB_STICKS_MAX];
	const char *cfg = s->cfg.export_dir;
	if (cfg && *cfg && strcmp(cfg, "auto")) {
		snprintf(where, size, "%s", cfg);
		if (dir)
			snprintf(dir, dirsize, "%s", cfg);
		return 0;
	}
	int n = cab_usb_sticks_find(s->cfg.mountinfo, st, CAB_USB_STICKS_MAX);
	if (n < 0) {
		snprintf(where, size, _("USB sticks cannot be listed (%s)"), strerror(-n));
		return n;
	}
	if (n == 0 || !st[0].writable) {
		snprintf(where, size, "%s", n ? _("the USB stick is mounted read-only")
		                              : _("no USB stick mounted - plug one in"));
		return -ENODEV;
	}
	cab_usb_stick_describe(&st[0], where, size);
	if (dir)
		snprintf(dir, dirsize, "%s", st[0].mountpoint);
	return 0;
}

static void set_msg(struct cab_svc_ui *s, const char *text)
{
	snprintf(s->m_msg_text, sizeof s->m_msg_text, "%s", text);
}

/* Runs the tab's action I. */
static void menu_action(struct cab_svc_ui *s, int i)
{
	switch (s->tab) {
	case SVC_TAB_INSTRUMENTS:
		open_entry(s, i == 3 ? SVC_ENTRY_CALIBRATION : SVC_ENTRY_SELFTEST);
		break;
	case SVC_TAB_BLUETOOTH:
		if (i == 0) {
			char msg[200];
			svc_bt_scan(s, msg, sizeof msg);
			set_msg(s, msg);
		} else {
			open_entry(s, i == 1 ? SVC_ENTRY_BT_PAIR : SVC_ENTRY_BT_FORGET);
		}
		break;
	case SVC_TAB_NETWORK:
	case SVC_TAB_DATA:
		refresh(s);
		set_msg(s, _("Updated."));
		break;
	case SVC_TAB_LOGS:
		open_entry(s, SVC_ENTRY_EXPORT);
		break;
	case SVC_TAB_CONFIG:
		open_entry(s, SVC_ENTRY_CONFIG);
		break;
	case SVC_TAB_SOFTWARE:
		open_entry(s, i == 0 ? SVC_ENTRY_SET_PHARM : SVC_ENTRY_SET_TECH);
		break;
	case SVC_TABS:
		break;
	}
}

static void rule_message(struct cab_svc_ui *s, enum cab_role role, enum cab_secret_problem p)
{
	snprintf(s->e_msg_text, sizeof s->e_msg_text, "%s", _(cab_secret_problem_message(role, p)));
}

static void calibration_ok(struct cab_svc_ui *s);

/* Starts the self-test of instrument N (1-based, as listed); the menu says it runs
 * and svc_menu_selftest_poll shows the result when the instrument has answered. */
static void selftest_ok(struct cab_svc_ui *s)
{
	const struct cab_svc_sources *src = &s->cfg.sources;
	char buf[200];
	int i = 0, used = 0;
	if (sscanf(s->secret, " %d %n", &i, &used) != 1 || s->secret[used] || i < 1) {
		snprintf(s->e_msg_text, sizeof s->e_msg_text, "%s",
		         _("Type the instrument's number as listed (1, 2, ...)."));
		return;
	}
	wipe_secret(s);
	int rc = src->selftest_start(src->devices_user, i - 1);
	open_menu(s, SVC_TAB_INSTRUMENTS);
	if (rc == 0) {
		s->selftest_running = i;
		snprintf(buf, sizeof buf, _("Self-test %d running: the instrument is answering..."), i);
	} else {
		if (rc != -EBUSY)
			cab_svc_audit_emitf(&s->cfg.audit, CAB_ROLE_TECHNICIAN, "selftest.run",
			                    "instrument=%d result=error", i);
		snprintf(buf, sizeof buf, _("Self-test %d could not run (%s)."), i,
		         rc == -ENODEV  ? _("not attached")
		         : rc == -EBUSY ? _("another self-test is running")
		                        : strerror(-rc));
	}
	set_msg(s, buf);
}

bool svc_menu_selftest_poll(struct cab_svc_ui *s)
{
	const struct cab_svc_sources *src = &s->cfg.sources;
	char result[16] = "", buf[200];
	int index = 0;
	if (!s->selftest_running || !src->selftest_poll ||
	    src->selftest_poll(src->devices_user, &index, result, sizeof result) != 1)
		return false;
	s->selftest_running = 0;
	cab_svc_audit_emitf(&s->cfg.audit, CAB_ROLE_TECHNICIAN, "selftest.run",
	                    "instrument=%d result=%s", index + 1, result);
	if (s->mode != SVC_TECH_MENU && s->mode != SVC_TECH_ENTRY)
		return false;
	if (s->mode == SVC_TECH_MENU && s->tab == SVC_TAB_INSTRUMENTS)
		open_menu(s, SVC_TAB_INSTRUMENTS); /* the list shows the new result */
	snprintf(buf, sizeof buf, _("Self-test %d: %s."), index + 1, _(result));
	set_msg(s, buf);
	return true;
}

bool svc_menu_bt_poll(struct cab_svc_ui *s)
{
	char msg[200];
	if (!svc_bt_poll(s, msg, sizeof msg))
		return false;
	if (s->mode != SVC_TECH_MENU && s->mode != SVC_TECH_ENTRY)
		return false;
	if (s->mode == SVC_TECH_MENU && s->tab == SVC_TAB_BLUETOOTH)
		open_menu(s, SVC_TAB_BLUETOOTH); /* the list shows the change */
	set_msg(s, msg);
	return true;
}

/* OK on the text entry. */
static void entry_ok(struct cab_svc_ui *s)
{
	enum cab_secret_problem p = CAB_SECRET_OK;
	int64_t wait = 0;
	int rc;
	switch (s->entry) {
	case SVC_ENTRY_LOGIN: {
		enum cab_auth_result r =
		    cab_creds_check(s->cfg.creds, CAB_ROLE_TECHNICIAN, s->secret, &wait);
		wipe_secret(s);
		if (r == CAB_AUTH_OK) {
			cab_svc_audit_emit(&s->cfg.audit, CAB_ROLE_TECHNICIAN, "menu.open", NULL);
			s->m_msg_text[0] = '\0';
			open_menu(s, SVC_TAB_INSTRUMENTS);
		} else {
			svc_auth_message(s->e_msg_text, sizeof s->e_msg_text, r, wait, false);
		}
		return;
	}
	case SVC_ENTRY_SET_TECH:
	case SVC_ENTRY_SET_PHARM: {
		enum cab_role role =
		    s->entry == SVC_ENTRY_SET_TECH ? CAB_ROLE_TECHNICIAN : CAB_ROLE_PHARMACIST;
		bool first = role == CAB_ROLE_TECHNICIAN && !cab_creds_is_set(s->cfg.creds, role);
		rc = cab_creds_set(s->cfg.creds, role, s->secret, &p);
		wipe_secret(s);
		if (rc == -EINVAL) {
			rule_message(s, role, p);
			return;
		}
		if (rc) {
			snprintf(s->e_msg_text, sizeof s->e_msg_text, "%s",
			         _("Could not save it. See the logs."));
			return;
		}
		if (first)
			cab_svc_audit_emit(&s->cfg.audit, CAB_ROLE_TECHNICIAN, "menu.open",
			                   "first_start=1");
		open_menu(s, first ? SVC_TAB_INSTRUMENTS : SVC_TAB_SOFTWARE);
		set_msg(s, role == CAB_ROLE_PHARMACIST ? _("The pharmacist PIN is set.")
		                                       : _("The technician password is set."));
		return;
	}
	case SVC_ENTRY_EXPORT: {
		char dest[512], stamp[32];
		struct cab_export_stats st;
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
		char dir[256], where[400];
		int found = svc_export_target(s, where, sizeof where, dir, sizeof dir);
		snprintf(dest, sizeof dest, "%s/cabin-logs-%s.cms", dir, stamp);
		const char *paths[1] = {s->cfg.log_path};
		rc = found ? found
		     : s->cfg.log_path
		         ? cab_logs_export(paths, 1, dest, s->secret, 0, &s->cfg.audit, &st, &p)
		         : -ENOENT;
		wipe_secret(s);
		if (rc == -EINVAL && p != CAB_SECRET_OK) {
			rule_message(s, CAB_ROLE_TECHNICIAN, p);
			return;
		}
		open_menu(s, SVC_TAB_LOGS);
		char buf[200];
		if (found)
			snprintf(buf, sizeof buf, _("Export failed: %s."), where);
		else if (rc)
			snprintf(buf, sizeof buf, _("Export to %s failed: %s."), where, strerror(-rc));
		else
			snprintf(buf, sizeof buf, _("Exported %u file(s), %zu bytes, as %s to %s."),
			         st.files, st.out_bytes, strrchr(dest, '/') + 1, where);
		cab_info("service", "log export: %s", buf);
		set_msg(s, buf);
		return;
	}
	case SVC_ENTRY_CALIBRATION:
		calibration_ok(s);
		return;
	case SVC_ENTRY_SELFTEST:
		selftest_ok(s);
		return;
	case SVC_ENTRY_BT_PAIR:
	case SVC_ENTRY_BT_FORGET: {
		char msg[200];
		if (svc_bt_entry_ok(s, msg, sizeof msg) < 0)
			return;
		wipe_secret(s);
		open_menu(s, SVC_TAB_BLUETOOTH);
		set_msg(s, msg);
		return;
	}
	case SVC_ENTRY_CONFIG: {
		char err[200] = "";
		const struct cab_svc_sources *src = &s->cfg.sources;
		rc = src->config_set ? src->config_set(src->config_user, s->secret, err, sizeof err)
		                     : -ENOENT;
		if (rc == -EINVAL) {
			snprintf(s->e_msg_text, sizeof s->e_msg_text, "%s",
			         _("Write it as section.key = value"));
			return;
		}
		if (rc) {
			snprintf(s->e_msg_text, sizeof s->e_msg_text, _("Refused: %s"),
			         err[0] ? err : strerror(rc < 0 ? -rc : EIO));
			return;
		}
		char key[80];
		snprintf(key, sizeof key, "%.*s", (int)strcspn(s->secret, " ="), s->secret);
		cab_svc_audit_emitf(&s->cfg.audit, CAB_ROLE_TECHNICIAN, "config.changed", "key=%s",
		                    key);
		wipe_secret(s);
		open_menu(s, SVC_TAB_CONFIG);
		set_msg(s, _("Saved. It applies at the next start."));
		return;
	}
	}
}

/* "N YYYY-MM-DD" (or "N" to clear) on the calibration entry. */
static void calibration_ok(struct cab_svc_ui *s)
{
	const struct cab_svc_sources *src = &s->cfg.sources;
	char date[16] = "", buf[160];
	int idx = 0, used = 0;
	if (sscanf(s->secret, " %d%n", &idx, &used) != 1 ||
	    sscanf(s->secret + used, " %15s", date) > 1 || idx < 1 ||
	    (date[0] && !cab_svc_parse_date(date))) {
		snprintf(s->e_msg_text, sizeof s->e_msg_text, "%s",
		         _("Write the instrument number, a space and the date: 2 2027-06-30"));
		return;
	}
	int rc = src->set_calibration(src->store_user, idx - 1, date);
	if (rc) {
		snprintf(s->e_msg_text, sizeof s->e_msg_text, _("Not saved: %s"),
		         rc == -ENODEV ? _("no such instrument") : strerror(-rc));
		return;
	}
	cab_svc_audit_emitf(&s->cfg.audit, CAB_ROLE_TECHNICIAN, "calibration.set",
	                    "instrument=%d due=%s", idx, date[0] ? date : "none");
	wipe_secret(s);
	open_menu(s, SVC_TAB_INSTRUMENTS);
	snprintf(buf, sizeof buf, _("Instrument %d: calibration due %s."), idx,
	         date[0] ? date : _("cleared"));
	set_msg(s, buf);
}

static void entry_cancel(struct cab_svc_ui *s)
{
	wipe_secret(s);
	if (s->entry == SVC_ENTRY_LOGIN || (s->entry == SVC_ENTRY_SET_TECH &&
	                                    !cab_creds_is_set(s->cfg.creds, CAB_ROLE_TECHNICIAN)))
		svc_menu_close(s);
	else
		open_menu(s, s->entry == SVC_ENTRY_EXPORT        ? SVC_TAB_LOGS
		             : s->entry == SVC_ENTRY_CONFIG      ? SVC_TAB_CONFIG
		             : s->entry == SVC_ENTRY_BT_PAIR || s->entry == SVC_ENTRY_BT_FORGET
		                 ? SVC_TAB_BLUETOOTH
		             : s->entry == SVC_ENTRY_CALIBRATION || s->entry == SVC_ENTRY_SELFTEST
		                 ? SVC_TAB_INSTRUMENTS
		                                                 : SVC_TAB_SOFTWARE);
}

/* --- layout, drawing, input ------------------------------------------------------- */

static void entry_layout(struct cab_svc_ui *s, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	SDL_Rect all = {0, 0, t->w, t->h};
	SDL_Rect area = ui_inset(all, t->gap);
	int kh = ui_keyboard_pref_h(ctx, area.w);
	if (kh > area.h / 2)
		kh = area.h / 2;
	s->e_kbd.w.r = ui_cut_bottom(&area, kh, t->gap);
	ui_keyboard_layout(&s->e_kbd, ctx);
	s->e_panel = area;
	SDL_Rect in = ui_inset(area, t->pad / 2);
	/* What was typed: dots for secrets, the text for a configuration change. */
	size_t n = 0, chars = 0;
	for (const char *c = s->secret; *c; c++)
		if (((unsigned char)*c & 0xC0) != 0x80)
			chars++;
	bool plain = s->entry == SVC_ENTRY_CONFIG || s->entry == SVC_ENTRY_CALIBRATION ||
	             s->entry == SVC_ENTRY_SELFTEST || s->entry == SVC_ENTRY_BT_PAIR ||
	             s->entry == SVC_ENTRY_BT_FORGET;
	if (plain) {
		snprintf(s->e_shown_text, sizeof s->e_shown_text, "%s", s->secret);
		n = strlen(s->e_shown_text);
	} else {
		for (size_t i = 0; i < chars && n + 3 < sizeof s->e_shown_text; i++) {
			memcpy(s->e_shown_text + n, "\xe2\x80\xa2", 3); /* U+2022 bullet */
			n += 3;
		}
	}
	s->e_shown_text[n] = '\0';
	s->e_shown.text = n ? s->e_shown_text : " ";
	s->e_shown.role = plain ? UI_T_H2 : UI_T_H1;
	s->e_msg.text = s->e_msg_text;
	s->e_msg.color = t->error;
	SDL_Rect btns = ui_cut_bottom(&in, t->button_h, t->gap);
	SDL_Rect cols[2];
	ui_columns(btns, 2, t->gap, cols);
	s->e_cancel.w.r = cols[0];
	s->e_ok.w.r = cols[1];
	s->e_prompt.w.r = ui_cut_top(&in, ui_label_height(&s->e_prompt, ctx, in.w), t->gap);
	s->e_shown.w.r = ui_cut_top(&in, t->fs_h1 * 3 / 2, t->gap);
	s->e_msg.w.r = in;
}

static void tabs_layout(struct cab_svc_ui *s, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	SDL_Rect all = {0, 0, t->w, t->h};
	SDL_Rect area = ui_inset(all, t->gap);
	SDL_Rect left = ui_cut_left(&area, area.w / 4, t->gap);
	SDL_Rect cells[SVC_TABS + 1];
	int bh = t->button_h;
	if ((SVC_TABS + 1) * (bh + t->gap) > left.h)
		bh = left.h / (SVC_TABS + 1) - t->gap;
	for (int i = 0; i <= SVC_TABS; i++)
		cells[i] = (SDL_Rect){left.x, left.y + i * (bh + t->gap), left.w, bh};
	for (int i = 0; i < SVC_TABS; i++) {
		s->m_tab[i].w.r = cells[i];
		s->m_tab[i].font_px = t->fs_body;
	}
	s->m_close.w.r = (SDL_Rect){left.x, left.y + left.h - bh, left.w, bh};
	s->m_close.font_px = t->fs_body;
	s->m_title.w.r = ui_cut_top(&area, ui_label_height(&s->m_title, ctx, area.w), t->gap);
	s->m_msg.text = s->m_msg_text;
	s->m_msg.w.r = ui_cut_bottom(
	    &area, s->m_msg_text[0] ? ui_label_height(&s->m_msg, ctx, area.w) : 0, t->gap);
	if (s->m_nact) {
		SDL_Rect row = ui_cut_bottom(&area, t->button_h, t->gap), cols[4];
		ui_columns(row, s->m_nact, t->gap, cols);
		for (int i = 0; i < s->m_nact; i++) {
			s->m_act[i].w.r = cols[i];
			s->m_act[i].font_px = t->fs_body;
		}
	}
	s->m_lines = area;
	int lh = t->fs_small * 3 / 2, fit = (area.h - t->gap) / (lh ? lh : 1);
	int max = s->rep.n - fit;
	if (s->scroll > max)
		s->scroll = max;
	if (s->scroll < 0)
		s->scroll = 0;
}

void svc_menu_layout(struct cab_svc_ui *s, struct ui_ctx *ctx)
{
	if (s->mode == SVC_TECH_ENTRY)
		entry_layout(s, ctx);
	else
		tabs_layout(s, ctx);
}

int cab_svc_ui_write_map(struct cab_svc_ui *s, struct ui_ctx *ctx, const char *path)
{
	static char extra[CAB_SVC_LINES * (CAB_SVC_LINE + 16) + 4096];
	size_t n = 0;
	if (s->mode == SVC_TECH_ENTRY)
		return ui_group_write_map(&s->eg, ctx, "service-entry", NULL, path) ? -1 : 1;
	if (s->mode == SVC_PHARM) /* the pharmacist's overlay: its action buttons */
		return ui_group_write_map(&s->og, ctx, "pharmacist", NULL, path) ? -1 : 1;
	if (s->mode != SVC_TECH_MENU)
		return 0;
	extra[0] = '\0';
	for (int i = 0; i < s->mg.n; i++) {
		const struct ui_widget *w = s->mg.w[i];
		if (!w->name || (w->flags & UI_W_HIDDEN) || w->ops != s->m_close.w.ops)
			continue;
		char name[96];
		snprintf(name, sizeof name, "%s", w->name);
		for (char *p = name; *p; p++)
			if (*p == ' ')
				*p = '_';
		n += (size_t)snprintf(extra + n, sizeof extra - n, "# label %s %s\n", name,
		                      _(w->name));
	}
	int lh = ctx->th.fs_small * 3 / 2;
	int fit = (s->m_lines.h - ctx->th.gap / 2) / (lh ? lh : 1);
	int from = s->scroll < 0 ? 0 : s->scroll, shown = s->rep.n - from;
	if (shown > fit) /* as svc_draw_lines: the last row holds the cue */
		shown = fit - 1;
	for (int i = from; i < from + shown && n < sizeof extra - CAB_SVC_LINE - 16; i++) {
		const struct cab_svc_line *l = &s->rep.line[i];
		n += (size_t)snprintf(extra + n, sizeof extra - n, "# line %s\n",
		                      l->shown[0] ? l->shown : l->text);
	}
	if (from + shown < s->rep.n && n < sizeof extra - 200)
		snprintf(extra + n, sizeof extra - n, "# cue %s\n", svc_more_cue(s->rep.n - from - shown));
	return ui_group_write_map(&s->mg, ctx, "service-menu", extra, path) ? -1 : 1;
}

void svc_menu_draw(struct cab_svc_ui *s, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	SDL_Rect all = {0, 0, t->w, t->h};
	ui_fill_rect(ctx, all, t->bg);
	if (s->mode == SVC_TECH_ENTRY) {
		ui_fill_round(ctx, s->e_panel, t->radius * 2, t->surface);
		ui_stroke_round(ctx, s->e_panel, t->radius * 2, t->border, t->primary);
		ui_group_draw(&s->eg, ctx);
		return;
	}
	ui_group_draw(&s->mg, ctx);
	svc_draw_lines(ctx, &s->rep, s->m_lines, s->scroll);
}

void svc_menu_input(struct cab_svc_ui *s, struct ui_ctx *ctx, const struct ui_input *in)
{
	int arg = 0, act = 0;
	touch(s);
	ctx->dirty = true;
	if (s->mode == SVC_TECH_ENTRY) {
		if (in->kind == UI_IN_TEXT) {
			ui_textfield_insert(&s->e_field, in->text);
			return;
		}
		if (in->kind == UI_IN_KEY && in->key == UI_KEY_BACKSPACE) {
			ui_textfield_backspace(&s->e_field);
			return;
		}
		if (in->kind == UI_IN_KEY &&
		    (in->key == UI_KEY_ENTER || in->key == UI_KEY_ESCAPE)) {
			act = in->key == UI_KEY_ENTER ? SVC_ACT_ENTRY_OK : SVC_ACT_ENTRY_CANCEL;
		} else {
			act = svc_route(&s->eg, ctx, in, &arg);
		}
		if (act == SVC_ACT_ENTRY_OK)
			entry_ok(s);
		else if (act == SVC_ACT_ENTRY_CANCEL)
			entry_cancel(s);
		return;
	}
	/* Dragging the lines scrolls them. */
	int lh = ctx->th.fs_small * 3 / 2;
	if (in->kind == UI_IN_DOWN && ui_in_rect(s->m_lines, in->x, in->y)) {
		s->dragging = true;
		s->drag_y = in->y;
		s->drag_scroll = s->scroll;
		return;
	}
	if (s->dragging && (in->kind == UI_IN_MOVE || in->kind == UI_IN_UP)) {
		s->scroll = s->drag_scroll - (in->y - s->drag_y) / (lh ? lh : 1);
		if (in->kind == UI_IN_UP)
			s->dragging = false;
		return;
	}
	if (in->kind == UI_IN_WHEEL && ui_in_rect(s->m_lines, in->x, in->y)) {
		s->scroll -= in->wheel * 3;
		return;
	}
	if (in->kind == UI_IN_KEY && (in->key == UI_KEY_PAGEDOWN || in->key == UI_KEY_PAGEUP)) {
		s->scroll += in->key == UI_KEY_PAGEDOWN ? 10 : -10;
		return;
	}
	act = svc_route(&s->mg, ctx, in, &arg);
	if (in->kind == UI_IN_KEY && in->key == UI_KEY_ESCAPE)
		act = SVC_ACT_CLOSE;
	if (act == SVC_ACT_CLOSE) {
		svc_menu_close(s);
	} else if (act >= SVC_ACT_TAB_BASE && act < SVC_ACT_TAB_BASE + SVC_TABS) {
		s->m_msg_text[0] = '\0';
		open_menu(s, (enum svc_tab)(act - SVC_ACT_TAB_BASE));
	} else if (act >= SVC_ACT_MENU_BASE && act < SVC_ACT_MENU_BASE + 4) {
		s->m_msg_text[0] = '\0';
		menu_action(s, act - SVC_ACT_MENU_BASE);
	}
}
