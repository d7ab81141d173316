/* stage.h — the whole window: the header (logo, cabin name, language, emergency,
 * stop), the current screen's body, the footer (back, main button) and the modal
 * dialogs on top (stop confirmation, "are you still there?", emergency notice).
 * The app calls layout+draw when something changed and input for every event. */
#ifndef CABIN_UI_STAGE_H
#define CABIN_UI_STAGE_H

#include "kiosk/ui/dialog.h"
#include "kiosk/ui/screen.h"

struct cab_stage {
	struct ui_group g;
	const struct cab_screen *scr;
	enum cab_flow_state shown;  /* state the screen was entered for */
	struct ui_dialog dlg;
	int dlg_kind;               /* which dialog dlg holds (0: none) */
	char countdown[32];
};

/* Prepares ST (first screen: V's state). */
void cab_stage_init(struct cab_stage *st, struct cab_view *v);

/* Lays out the frame, the screen and the dialog for the context's size and V. */
void cab_stage_layout(struct cab_stage *st, struct ui_ctx *ctx, struct cab_view *v);

/* Draws everything (call cab_stage_layout first). Does not present. */
void cab_stage_draw(struct cab_stage *st, struct ui_ctx *ctx, struct cab_view *v);

/* Routes IN; returns the app action it produced (CAB_ACT_NONE if none). */
int cab_stage_input(struct cab_stage *st, struct ui_ctx *ctx, struct cab_view *v,
                    const struct ui_input *in);

/* Writes the map of the touchable widgets now on screen to PATH (replaced
 * atomically), one line each: "NAME X Y W H ENABLED" (radio options as NAME/I,
 * keyboard keys as key/TEXT, list rows as NAME/I). Names are stable English ids, so
 * screen tests find what to click in any language and at any size. Returns 0 or -1. */
int cab_stage_write_map(struct cab_stage *st, struct ui_ctx *ctx, const char *path);
/* The same for the widgets of group G (an overlay drawn over the stage), under the
 * first line "# screen SCREEN dialog 0", then EXTRA (comment lines, may be NULL).
 * Returns 0 or -1. */
int ui_group_write_map(struct ui_group *g, struct ui_ctx *ctx, const char *screen,
                       const char *extra, const char *path);

#endif
