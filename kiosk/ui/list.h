/* list.h — a vertical list of one-line rows that scrolls by finger drag, mouse
 * wheel or Up/Down keys; a tap (press and release without dragging) selects a row.
 * Rows come from a callback, so the list never copies its data. */
#ifndef CABIN_UI_LIST_H
#define CABIN_UI_LIST_H

#include <stddef.h>

#include "kiosk/ui/widget.h"

/* Writes the text of row I into BUF (SIZE bytes). */
typedef void (*ui_list_row_fn)(void *user, int i, char *buf, size_t size);

struct ui_list {
	struct ui_widget w; /* action raised on selection, arg = row index */
	int count;          /* number of rows (set by the owner) */
	ui_list_row_fn row;
	void *user;
	int selected;       /* -1: none */
	int scroll;         /* pixels scrolled from the top */
	int row_h;          /* 0: theme target size */
	int press_y, press_scroll, pressed_row;
	bool dragging;
	const char *empty;  /* msgid shown when count == 0, or NULL */
};

/* Sets up L with rows from ROW(USER, i); raises ACTION with the row on a tap. */
void ui_list_init(struct ui_list *l, ui_list_row_fn row, void *user, int action);
/* Row height in pixels for the current theme. */
int ui_list_row_h(const struct ui_list *l, const struct ui_ctx *ctx);
/* Largest valid scroll offset for a list of COUNT rows of ROW_H in a view of VIEW_H. */
int ui_list_max_scroll(int count, int row_h, int view_h);
/* Row index at window Y (or -1), given the scroll offset. Pure. */
int ui_list_row_at(const struct ui_list *l, int row_h, int y);

#endif
