/* dialog.h — a modal dialog: the screen behind is shaded and takes no input; a
 * panel shows a title, a wrapping message and up to three buttons (stacked when
 * they do not fit side by side). Used for "are you still there?", the emergency
 * notice and "stop the session?". */
#ifndef CABIN_UI_DIALOG_H
#define CABIN_UI_DIALOG_H

#include "kiosk/ui/button.h"
#include "kiosk/ui/label.h"

#define UI_DIALOG_BUTTONS 3

struct ui_dialog {
	struct ui_group g;
	struct ui_label title, body, extra;
	struct ui_button btn[UI_DIALOG_BUTTONS];
	int nbtn;
	SDL_Rect panel;
	struct ui_rgba band; /* colour of the panel's top band; alpha 0: primary */
	const char *icon;    /* image drawn left of the title, or NULL */
};

/* Sets up D with a TITLE and BODY (msgids; BODY_RAW=1 shows BODY as is). */
void ui_dialog_init(struct ui_dialog *d, const char *title, const char *body, int body_raw);
/* Adds a button. */
void ui_dialog_button(struct ui_dialog *d, const char *label, enum ui_button_style style, int action);
/* Lays the dialog out for the context's window size. */
void ui_dialog_layout(struct ui_dialog *d, struct ui_ctx *ctx);
/* Draws shade, panel, texts and buttons. */
void ui_dialog_draw(struct ui_dialog *d, struct ui_ctx *ctx);
/* Routes input to the dialog's buttons; always returns true (modal). */
bool ui_dialog_input(struct ui_dialog *d, const struct ui_input *in, struct ui_ctx *ctx);

#endif
