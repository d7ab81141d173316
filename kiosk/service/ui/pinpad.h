/* pinpad.h — the PIN pad the pharmacist types on: a title, one dot per digit typed,
 * a message line (wrong PIN, locked for N min), keys 1-9, erase, 0, OK, a cancel
 * button when the pad can be dismissed, and the technician's button (password). Holds no digits
 * itself: it raises actions and draws the count the owner gives it. */
#ifndef CABIN_SERVICE_UI_PINPAD_H
#define CABIN_SERVICE_UI_PINPAD_H

#include "kiosk/ui/button.h"
#include "kiosk/ui/label.h"

/* Actions the pad raises (arg = digit for SVC_ACT_DIGIT). */
enum {
	SVC_ACT_DIGIT = 900,
	SVC_ACT_ERASE,
	SVC_ACT_OK,
	SVC_ACT_CANCEL,
	SVC_ACT_TECHNICIAN, /* the technician's way in: password entry */
};

struct svc_pinpad {
	struct ui_group g;
	struct ui_label title, message;
	struct ui_button key[12]; /* 1..9, erase, 0, OK */
	struct ui_button cancel, tech;
	SDL_Rect panel, dots;
	unsigned digits; /* dots to draw */
	bool cancellable;
	char msg[160];            /* raw message text */
	struct ui_rgba msg_color; /* alpha 0: ink */
};

/* Sets up P with TITLE (msgid); CANCELLABLE adds the cancel button. */
void svc_pinpad_init(struct svc_pinpad *p, const char *title, bool cancellable);

/* Lays the pad out centred in AREA. */
void svc_pinpad_layout(struct svc_pinpad *p, struct ui_ctx *ctx, SDL_Rect area);

/* Draws the panel, the dots and the keys. */
void svc_pinpad_draw(struct svc_pinpad *p, struct ui_ctx *ctx);

#endif
