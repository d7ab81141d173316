/* screen.h — one patient screen: how it lays its widgets out in the body area
 * (below the header, above the footer), what it draws under them, and how it turns
 * its own widgets' actions into app actions. One file per screen in screens/. */
#ifndef CABIN_UI_SCREEN_H
#define CABIN_UI_SCREEN_H

#include "kiosk/ui/view.h"
#include "kiosk/ui/widget.h"

/* Which parts of the frame a screen shows. */
enum {
	CAB_CHROME_STOP = 1u << 0,  /* stop button in the header (every in-session screen) */
	CAB_CHROME_BACK = 1u << 1,  /* footer back button */
	CAB_CHROME_NEXT = 1u << 2,  /* footer main button */
	CAB_CHROME_FULL = 1u << 3,  /* the screen takes the footer area too */
};

struct cab_screen {
	const char *name;   /* file-name part of renders: "identity" */
	const char *title;  /* msgid of the heading at the top of the body, or NULL */
	const char *say;    /* msgid of the essential instruction spoken when the screen
	                       appears (kiosk/voice), or NULL: nothing to say */
	unsigned chrome;    /* CAB_CHROME_* */
	/* msgid of the footer's main button (NULL: "Continue"). */
	const char *(*next_label)(const struct cab_view *v);
	/* Whether the main button can be pressed (NULL: always). */
	bool (*next_enabled)(const struct cab_view *v);
	/* Adds the screen's widgets to G with their rects inside BODY. */
	void (*layout)(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body);
	/* Draws under the widgets (cards, video area); may be NULL. */
	void (*draw)(struct ui_ctx *ctx, struct cab_view *v);
	/* Handles an action >= CAB_ACT_SCREEN_BASE raised by the screen's widgets;
	 * returns an app action (cab_ui_action) to pass on, or CAB_ACT_NONE. May be NULL. */
	int (*action)(struct ui_ctx *ctx, struct cab_view *v, int act, int arg);
	/* Input before the group sees it (e.g. the keyboard panel); true = used. May be NULL. */
	bool (*input)(struct ui_ctx *ctx, struct cab_view *v, const struct ui_input *in);
	/* Whether the footer is hidden now (e.g. while typing). May be NULL. */
	bool (*footer_hidden)(const struct cab_view *v);
	/* Called when the screen is entered (reset scroll, focus). May be NULL. */
	void (*enter)(struct cab_view *v);
};

/* The screen for each flow state. */
extern const struct cab_screen cab_screen_attract, cab_screen_language, cab_screen_information,
    cab_screen_consent, cab_screen_identity, cab_screen_checks, cab_screen_waiting,
    cab_screen_consultation, cab_screen_summary, cab_screen_ended, cab_screen_wipe;

/* The screen showing STATE (attract for out-of-range states). */
const struct cab_screen *cab_screen_for(enum cab_flow_state state);

/* The consent screen's text as it shows in the current language (title, both
 * questions with their answers, the note; UTF-8, '\n' between parts) into BUF (N
 * bytes); returns its length (truncated when >= N). Its SHA-256 goes with the answers
 * (consent.text_sha256, docs/record.md). */
size_t cab_screen_consent_text(char *buf, size_t n);

/* Opens the identity screen's keyboard panel on FIELD (enum cab_id_field), as a
 * touch on that field would; -1 closes it. For renders and tests. */
void cab_screen_identity_edit(struct cab_view *v, int field);

/* The waiting room's guide for instrument tile TILE: the msgid of its step STEP (0
 * or 1), or NULL (screens/waiting.c). The voice says them when Measure is touched. */
const char *cab_waiting_guide_step(int tile, int step);

/* Helpers shared by screens (screens/common.c). */
/* Draws a white card with a soft border. */
void cab_draw_card(struct ui_ctx *ctx, SDL_Rect r);
/* Draws a tile: icon, name, state text and colour, detail, progress if busy. */
void cab_draw_tile(struct ui_ctx *ctx, const struct cab_tile *t, SDL_Rect r);
/* Same, keeping RESERVE pixels on the right free of text (for a button there). */
void cab_draw_tile_beside(struct ui_ctx *ctx, const struct cab_tile *t, SDL_Rect r, int reserve);
/* Font scale (0.6..1) so that labels L[0..N) stacked with GAP fit H at width W. */
struct ui_label;
float cab_fit_labels(struct ui_ctx *ctx, struct ui_label **l, int n, int w, int h, int gap);

#endif
