/* svc_internal.h — what layer.c and menu.c share. */
#ifndef CABIN_SERVICE_UI_SVC_INTERNAL_H
#define CABIN_SERVICE_UI_SVC_INTERNAL_H

#include "kiosk/service/ui/svc_ui.h"

#define SVC_MENU_IDLE_MS (5 * 60 * 1000) /* the service menu closes after 5 min idle */

/* Action codes of the layer's widgets (beyond the pad's 900..903). */
enum {
	SVC_ACT_CLOSE = 910,
	SVC_ACT_PHARM_BASE = 920, /* + enum cab_pharm_action */
	SVC_ACT_TAB_BASE = 940,   /* + enum svc_tab */
	SVC_ACT_MENU_BASE = 960,  /* + tab-specific action index */
	SVC_ACT_ENTRY_OK = 980,
	SVC_ACT_ENTRY_CANCEL,
};

/* Message for an authentication result (translated), "" for OK. */
void svc_auth_message(char *buf, size_t size, enum cab_auth_result r, int64_t wait_ms, bool pin);
/* Routes IN to G and returns the action raised (0: none), its argument in *ARG. */
int svc_route(struct ui_group *g, struct ui_ctx *ctx, const struct ui_input *in, int *arg);
/* The cue under the lines when MORE (> 0) of them are below, translated. */
const char *svc_more_cue(int more);
/* Draws report lines R from line FIRST in AREA, coloured by level; when they do not
 * all fit, the last row says how many more there are (svc_more_cue). */
void svc_draw_lines(struct ui_ctx *ctx, const struct cab_svc_report *r, SDL_Rect area, int first);

/* menu.c */
void svc_menu_layout(struct cab_svc_ui *s, struct ui_ctx *ctx);
void svc_menu_draw(struct cab_svc_ui *s, struct ui_ctx *ctx);
void svc_menu_input(struct cab_svc_ui *s, struct ui_ctx *ctx, const struct ui_input *in);
void svc_menu_close(struct cab_svc_ui *s);
/* Collects a finished self-test (audited; its result shown when the menu is open).
 * Returns true when the screen changed. */
bool svc_menu_selftest_poll(struct cab_svc_ui *s);
/* Where the log export goes: the configured directory, or (export_dir "auto") the
 * first writable mounted USB stick (usb_stick.h). Writes a line for the technician
 * to WHERE and the directory to DIR (may be NULL). Returns 0, or -ENODEV (no
 * writable stick; WHERE says why) or another -errno. */
int svc_export_target(struct cab_svc_ui *s, char *where, size_t size, char *dir, size_t dirsize);

/* bt_tab.c: the Bluetooth tab. Fills s->rep, s->bt_addr and the Scan / Pair / Forget
 * buttons (actions 0, 1, 2). */
void svc_bt_refresh(struct cab_svc_ui *s);
/* Starts a scan; MSG gets what to show. 0 or -EBUSY. */
int svc_bt_scan(struct cab_svc_ui *s, char *msg, size_t size);
/* OK on SVC_ENTRY_BT_PAIR / _FORGET ("N"): starts the operation, MSG says so; 0, or
 * -EINVAL with s->e_msg_text set (stay on the entry). */
int svc_bt_entry_ok(struct cab_svc_ui *s, char *msg, size_t size);
/* Collects a finished operation (list file, device manager, audit); true with MSG. */
bool svc_bt_poll(struct cab_svc_ui *s, char *msg, size_t size);
/* menu.c: svc_bt_poll, then the tab shown again when it is open. True when the
 * screen changed. */
bool svc_menu_bt_poll(struct cab_svc_ui *s);

#endif
