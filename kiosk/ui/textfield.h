/* textfield.h — a one-line text entry bound to a caller's buffer. Typed text
 * (SDL_TEXTINPUT or the on-screen keyboard) is appended at the end, Backspace
 * removes the last character; an input filter keeps only what the field accepts.
 * A validation message (msgid) is drawn just below the field, in the error colour. */
#ifndef CABIN_UI_TEXTFIELD_H
#define CABIN_UI_TEXTFIELD_H

#include <stddef.h>

#include "kiosk/ui/widget.h"

/* What a field accepts. */
enum ui_tf_filter {
	UI_TF_ANY,    /* printable text */
	UI_TF_NAME,   /* letters (accented too), space, hyphen, apostrophe */
	UI_TF_DATE,   /* digits and '/' (DD/MM/YYYY) */
	UI_TF_DIGITS, /* digits and spaces (phone) */
	UI_TF_NIR,    /* digits, A/B (Corsica 2A/2B), spaces */
	UI_TF_PHONE,  /* digits, spaces, leading '+' */
};

struct ui_textfield {
	struct ui_widget w;        /* action: raised on touch (open the keyboard) */
	char *buf;                 /* NUL-terminated UTF-8, owned by the caller */
	size_t cap;                /* size of buf */
	enum ui_tf_filter filter;
	const char *placeholder;   /* msgid shown grey when empty, or NULL */
	const char *error;         /* msgid of the current validation error, or NULL */
	int change_action;         /* raised (with w.arg) after every edit; 0: none */
	int enter_action;          /* raised on Enter; 0: focus moves on */
	bool caps;                 /* letters stored in capitals (birth names: "MARTIN") */
};

/* Binds F to BUF of CAP bytes. */
void ui_textfield_init(struct ui_textfield *f, char *buf, size_t cap, enum ui_tf_filter filter,
                       int action, int arg);

/* Appends UTF-8 TEXT (characters the filter refuses are dropped); date, NIR and
 * French phone fields are regrouped as typed (tf_group.h). Returns the number
 * of bytes added. Pure: usable without SDL. */
size_t ui_textfield_insert(struct ui_textfield *f, const char *text);

/* Removes the last character (the last digit of a grouped field). Returns true if something was removed. */
bool ui_textfield_backspace(struct ui_textfield *f);

/* True if the UTF-8 character C (of LEN bytes) is accepted by FILTER at byte
 * position POS of the field. */
bool ui_tf_accepts(enum ui_tf_filter filter, const char *c, size_t len, size_t pos);

/* Height of the area under a field kept for its error message (two lines). */
int ui_textfield_error_h(struct ui_ctx *ctx);

#endif
