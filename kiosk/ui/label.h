/* label.h — text that wraps to its width: headings, paragraphs, hints. Holds a
 * msgid (translated when drawn) or raw text (names, numbers). Takes no input. */
#ifndef CABIN_UI_LABEL_H
#define CABIN_UI_LABEL_H

#include "kiosk/ui/widget.h"

/* Size and weight of a text, mapped to theme font sizes. */
enum ui_text_role { UI_T_SMALL, UI_T_SMALL_BOLD, UI_T_BODY, UI_T_BODY_BOLD, UI_T_H2, UI_T_H1, UI_T_HUGE };

struct ui_label {
	struct ui_widget w;
	const char *text;     /* msgid or raw text; NULL draws nothing */
	int raw;              /* 1: no translation */
	enum ui_text_role role;
	enum ui_align align;
	struct ui_rgba color; /* alpha 0: theme ink */
	float fit;            /* font scale set by auto-fitting layouts (0 or 1: none) */
};

/* Sets up L with TEXT (msgid) in ROLE. */
void ui_label_init(struct ui_label *l, const char *text, enum ui_text_role role);

/* Font of L at the current theme (and fit). */
TTF_Font *ui_label_font(struct ui_label *l, struct ui_ctx *ctx);

/* Height L needs when wrapped to width W. */
int ui_label_height(struct ui_label *l, struct ui_ctx *ctx, int w);

/* The text L shows (translated unless raw). */
const char *ui_label_text(const struct ui_label *l);

/* Font pixel size for ROLE in theme T. */
int ui_role_px(const struct ui_theme *t, enum ui_text_role role);

#endif
