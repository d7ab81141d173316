/* svc_ui.h — the staff layer drawn over the patient screens: the PIN pad (long
 * press in the top-left corner, over the logo) and the pharmacist's overlay, the
 * "cleaning in progress" screen after each session, and the technician's password
 * entry (the pad's "Technician" button) and service menu. The app gives it every input first; while
 * it is modal the patient screens get nothing. Main thread only. */
#ifndef CABIN_SERVICE_UI_SVC_UI_H
#define CABIN_SERVICE_UI_SVC_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/flow/flow.h"
#include "kiosk/flow/session.h"
#include "kiosk/staff/cleaning.h"
#include "kiosk/staff/gesture.h"
#include "kiosk/service/key_policy.h"
#include "kiosk/staff/pharmacist.h"
#include "kiosk/service/bluetooth.h"
#include "kiosk/service/report.h"
#include "kiosk/service/ui/pinpad.h"
#include "kiosk/app/watchdog.h"
#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/textfield.h"
#include "kiosk/ui/view.h"

/* What is on screen. */
enum svc_mode {
	SVC_NONE = 0,   /* patient screens only */
	SVC_PHARM_PAD,  /* PIN pad to open the overlay */
	SVC_PHARM,      /* the pharmacist overlay */
	SVC_CLEANING,   /* cleaning in progress, PIN to confirm */
	SVC_TECH_ENTRY, /* text entry with the on-screen keyboard (password, PIN, ...) */
	SVC_TECH_MENU,  /* the service menu */
};

/* Why text is being entered. */
enum svc_entry {
	SVC_ENTRY_LOGIN,     /* technician password to open the menu */
	SVC_ENTRY_SET_TECH,  /* new technician password (first start or change) */
	SVC_ENTRY_SET_PHARM, /* new pharmacist PIN (set by the technician) */
	SVC_ENTRY_EXPORT,    /* passphrase of the log export */
	SVC_ENTRY_CONFIG,    /* "section.key = value" to change in the configuration */
	SVC_ENTRY_CALIBRATION, /* "N YYYY-MM-DD": instrument N's calibration due date */
	SVC_ENTRY_SELFTEST,    /* "N": run instrument N's self-test */
	SVC_ENTRY_BT_PAIR,     /* "N": pair Bluetooth instrument N (bt_tab.c) */
	SVC_ENTRY_BT_FORGET,   /* "N": forget Bluetooth instrument N */
};

/* The menu's tabs. */
enum svc_tab {
	SVC_TAB_INSTRUMENTS,
	SVC_TAB_NETWORK,
	SVC_TAB_DATA,
	SVC_TAB_LOGS,
	SVC_TAB_CONFIG,
	SVC_TAB_SOFTWARE,
	SVC_TAB_BLUETOOTH, /* scan, pair, forget Bluetooth LE instruments (bt_tab.c); last, so
	                      the other tabs keep their places */
	SVC_TABS
};

/* What the layer needs from the app. */
struct cab_svc_ui_config {
	struct cab_creds *creds;        /* opened credentials (data dir) */
	struct cab_flow *flow;          /* the patient flow (start, abort, state) */
	struct cab_view *view;          /* the patient screens' data (tiles) */
	struct cab_svc_sources sources; /* providers of the service menu */
	const char *version;            /* CABIN_VERSION */
	const struct cab_watchdog *wd;  /* for the software tab; may be NULL */
	const char *log_path;           /* log file shown and exported; may be NULL */
	const char *export_dir;         /* "auto" (or NULL): the mounted USB stick found by
	                                   udev (usb_stick.h); else a directory */
	const char *mountinfo;          /* mount table read for "auto"; NULL =
	                                   /proc/self/mountinfo */
	int64_t cleaning_max_ms;        /* < 0 default 15 min, 0 no limit */
	struct cab_svc_audit audit;     /* audit sink (also the creds' one) */
	/* Asks the instrument of view tile TILE for a new measurement (bind to
	 * cab_devices_request_measurement for that tile's kind); NULL: the tile only
	 * goes back to "waiting". Returns >= 0 when asked. */
	int (*measure)(void *user, int tile);
	void *measure_user;
	/* The pharmacist confirmed they checked the patient's identity document DOCUMENT
	 * ("CN" identity card, "PA" passport, "CS" residence permit, FR Core
	 * fr-core-cs-mode-validation-identity); NULL: not possible. Returns 0, or -errno
	 * (no identity sent yet). */
	int (*identity_checked)(void *user, const char *document);
	void *identity_user;
};

#define SVC_ENTRY_MAX 200

/* The layer. Large: keep it static. */
struct cab_svc_ui {
	struct cab_svc_ui_config cfg;
	enum svc_mode mode;
	struct cab_pharm pharm;
	struct cab_cleaning cleaning;
	struct cab_gesture g_pharm; /* the staff gesture */
	bool session_seen;          /* a session ran since the last attract */
	char session_id[64];        /* its pseudonymous id (for the cleaning audit) */
	struct svc_pinpad pad;
	/* pharmacist overlay */
	struct ui_group og;
	struct ui_label o_title, o_state;
	struct ui_button o_btn[CAB_PHARM_ACTIONS + 1];
	int o_info; /* -1, or the action whose panel is shown */
	struct cab_svc_report o_rep;
	SDL_Rect o_panel, o_lines;
	/* cleaning */
	struct ui_label c_title, c_body, c_since;
	char c_since_text[96];
	/* text entry */
	enum svc_entry entry;
	char secret[SVC_ENTRY_MAX + 1];
	struct ui_group eg;
	struct ui_textfield e_field;
	struct ui_keyboard e_kbd;
	struct ui_label e_prompt, e_shown, e_msg;
	struct ui_button e_ok, e_cancel;
	char e_shown_text[SVC_ENTRY_MAX * 3 + 1];
	char e_msg_text[200];
	SDL_Rect e_panel;
	/* menu */
	struct ui_group mg;
	enum svc_tab tab;
	struct ui_button m_tab[SVC_TABS], m_close;
	struct ui_button m_act[4];
	int m_nact;
	struct ui_label m_title, m_msg;
	char m_msg_text[200];
	struct cab_svc_report rep;
	int scroll; /* first line shown */
	int drag_y, drag_scroll;
	bool dragging;
	SDL_Rect m_lines;
	int selftest_running;  /* instrument number (1-based) whose self-test runs, or 0 */
	/* Bluetooth tab (bt_tab.c): BlueZ operations off the UI thread, the numbered
	 * addresses of the tab's lines (what "Pair N" / "Forget N" refer to) */
	struct cab_bt_worker bt;
	char bt_addr[CAB_BT_MAX * 2][18];
	int bt_n;
	int64_t last_touch_ms; /* menu closes after 5 min without a touch */
	int64_t now_ms;
};

/* Sets up S (closed) from CFG. */
void cab_svc_ui_init(struct cab_svc_ui *s, const struct cab_svc_ui_config *cfg);

/* Feeds one input at NOW_MS (monotonic). Returns true when the layer used it (the
 * patient screens must not see it); the app then re-syncs its view from the flow. */
bool cab_svc_ui_input(struct cab_svc_ui *s, struct ui_ctx *ctx, const struct ui_input *in,
                      int64_t now_ms);

/* True while the layer covers the patient screens. */
bool cab_svc_ui_modal(const struct cab_svc_ui *s);

/* Which key policy applies now (staff screens while modal). */
enum cab_key_screen cab_svc_ui_key_screen(const struct cab_svc_ui *s);

/* Draws the layer over what is drawn already (nothing when closed). */
void cab_svc_ui_draw(struct cab_svc_ui *s, struct ui_ctx *ctx);

/* Writes the widget map of the technician's text entry ("service-entry") or menu
 * ("service-menu") to PATH (ui_group_write_map). The menu's map ends with what it
 * shows, as the screen shows it (UI language): "# label NAME TEXT" per button
 * (NAME as in the map), "# line TEXT" per report line on screen and "# cue TEXT"
 * for the "more lines" cue. Returns 1 when written, 0 when neither is up (the
 * caller writes the stage's map), -1 on error. */
int cab_svc_ui_write_map(struct cab_svc_ui *s, struct ui_ctx *ctx, const char *path);

/* Timers at NOW_MS: gestures held long enough, overlay idle close, cleaning maximum.
 * Returns true when the screen must be redrawn. */
bool cab_svc_ui_poll(struct cab_svc_ui *s, int64_t now_ms);

/* Milliseconds until cab_svc_ui_poll() has something to do, or -1. */
int64_t cab_svc_ui_next_ms(const struct cab_svc_ui *s, int64_t now_ms);

/* Flow observer (cab_flow_add_observer(flow, cab_svc_ui_flow_observer, s)): when a
 * session ends and the flow is back on attract, the cleaning screen comes up. */
void cab_svc_ui_flow_observer(void *user, const struct cab_flow_transition *t);

/* Opens the PIN pad / the technician's login as the gestures do (tests, renders). */
void cab_svc_ui_open_pharmacist(struct cab_svc_ui *s, int64_t now_ms);
void cab_svc_ui_open_technician(struct cab_svc_ui *s, int64_t now_ms);

#endif
