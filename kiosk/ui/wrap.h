/* wrap.h — breaking UTF-8 text into lines that fit a width (pure; the measuring
 * function is given, so tests measure with a fixed advance per character). */
#ifndef CABIN_UI_WRAP_H
#define CABIN_UI_WRAP_H

#include <stddef.h>

/* One line of wrapped text: LEN bytes of the text starting at OFF (no trailing
 * spaces, no '\n'). */
struct ui_line {
	size_t off, len;
};

/* Width in pixels of the LEN bytes at S, as the font would draw them. */
typedef int (*ui_measure_fn)(void *user, const char *s, size_t len);

/* Breaks TEXT at spaces (and always at '\n') into lines no wider than MAX_W; a word
 * wider than MAX_W alone is cut between UTF-8 characters. Writes at most MAX_LINES
 * lines into LINES. Returns the number of lines the whole text needs (may exceed
 * MAX_LINES: the caller then knows it was cut). An empty text is 0 lines. */
size_t ui_wrap(const char *text, int max_w, ui_measure_fn measure, void *user,
               struct ui_line *lines, size_t max_lines);

/* Byte length of the UTF-8 character starting at S (1..4; 1 for an invalid byte). */
size_t ui_utf8_len(const char *s);

/* Offset of the start of the UTF-8 character before byte POS in S (0 if POS is 0). */
size_t ui_utf8_prev(const char *s, size_t pos);

#endif
