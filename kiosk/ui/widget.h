/* widget.h — the base of our widgets: a rectangle, state flags, an action code, and
 * two operations (draw, input). A ui_group routes input to its widgets: pointer
 * presses to the widget under the finger (which then captures it until release),
 * keys and typed text to the focused widget, Tab / Shift+Tab move the focus. */
#ifndef CABIN_UI_WIDGET_H
#define CABIN_UI_WIDGET_H

#include <stdbool.h>

#include "kiosk/ui/ui.h"

/* Keys the widgets understand (mapped from SDL keycodes in input.c). */
enum ui_key {
	UI_KEY_NONE, UI_KEY_TAB, UI_KEY_BACKTAB, UI_KEY_ENTER, UI_KEY_BACKSPACE, UI_KEY_ESCAPE,
	UI_KEY_LEFT, UI_KEY_RIGHT, UI_KEY_UP, UI_KEY_DOWN, UI_KEY_SPACE, UI_KEY_PAGEUP,
	UI_KEY_PAGEDOWN
};

/* What happened, in window pixels; touch, mouse and keyboard all end up here. */
enum ui_input_kind { UI_IN_DOWN, UI_IN_MOVE, UI_IN_UP, UI_IN_CANCEL, UI_IN_KEY, UI_IN_TEXT, UI_IN_WHEEL };

/* One input event. */
struct ui_input {
	enum ui_input_kind kind;
	int x, y;      /* pointer position (DOWN, MOVE, UP, WHEEL) */
	int wheel;     /* WHEEL: lines, positive = towards the user (scroll up) */
	enum ui_key key;
	char text[32]; /* TEXT: UTF-8 typed text */
};

/* Widget state flags. */
enum {
	UI_W_HIDDEN = 1u << 0,
	UI_W_FOCUSABLE = 1u << 1,
	UI_W_DISABLED = 1u << 2,
	UI_W_PRESSED = 1u << 3,
	UI_W_FOCUSED = 1u << 4,
	UI_W_INERT = 1u << 5, /* drawn but takes no pointer input (labels) */
};

struct ui_widget;

/* A widget class. INPUT returns true when it used the event; it may raise an
 * action with ui_raise(). Either may be NULL. */
struct ui_widget_ops {
	void (*draw)(struct ui_widget *w, struct ui_ctx *ctx);
	bool (*input)(struct ui_widget *w, const struct ui_input *in, struct ui_ctx *ctx);
};

/* The common head of every widget struct (first member). */
struct ui_widget {
	const struct ui_widget_ops *ops;
	SDL_Rect r;      /* set by the screen's layout */
	unsigned flags;  /* UI_W_* */
	int action, arg; /* raised when activated */
	const char *name; /* stable id for the widget map (test hook), or NULL */
};

#define UI_GROUP_MAX 96

/* An ordered set of widgets (drawn in order, last on top; focus in order). */
struct ui_group {
	struct ui_widget *w[UI_GROUP_MAX];
	int n;
	int focus; /* index of the focused widget, -1: none */
	int grab;  /* index of the widget holding the pointer, -1: none */
	bool focus_visible; /* draw focus rings (after keyboard use) */
};

/* Empties G. */
void ui_group_clear(struct ui_group *g);
/* Appends W (ignored when full). */
void ui_group_add(struct ui_group *g, struct ui_widget *w);
/* Draws every visible widget. */
void ui_group_draw(struct ui_group *g, struct ui_ctx *ctx);
/* Routes IN; returns true if a widget used it. */
bool ui_group_input(struct ui_group *g, const struct ui_input *in, struct ui_ctx *ctx);
/* Moves the focus to W (NULL: none). */
void ui_group_focus(struct ui_group *g, struct ui_widget *w);
/* Moves the focus to the next (DIR=1) or previous (-1) focusable widget. */
void ui_group_focus_step(struct ui_group *g, int dir);
/* The focused widget, or NULL. */
struct ui_widget *ui_group_focused(struct ui_group *g);

/* True if X,Y lies in R. */
bool ui_in_rect(SDL_Rect r, int x, int y);
/* Draws the focus ring around R when the widget is focused and rings are visible. */
void ui_draw_focus(struct ui_ctx *ctx, const struct ui_widget *w, bool visible);

/* Converts an SDL event into IN for a window of W x H pixels (touch positions are
 * normalised by SDL). Mouse events synthesised from touch are dropped (the finger
 * event is used). Returns false for events widgets do not see. */
bool ui_input_from_sdl(const SDL_Event *ev, int w, int h, struct ui_input *in);

#endif
