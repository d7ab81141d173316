/* wrap.c — greedy line breaking of UTF-8 text (see wrap.h). */
#include "kiosk/ui/wrap.h"

#include <string.h>

size_t ui_utf8_len(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

size_t ui_utf8_prev(const char *s, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && ((unsigned char)s[pos] & 0xC0) == 0x80)
		pos--;
	return pos;
}

static void emit(struct ui_line *lines, size_t max_lines, size_t *n, size_t off, size_t len)
{
	if (*n < max_lines)
		lines[*n] = (struct ui_line){off, len};
	(*n)++;
}

size_t ui_wrap(const char *text, int max_w, ui_measure_fn measure, void *user,
               struct ui_line *lines, size_t max_lines)
{
	size_t n = 0, total = strlen(text), pos = 0;
	if (total == 0)
		return 0;
	while (pos <= total) {
		/* one paragraph: [pos, end) */
		const char *nl = memchr(text + pos, '\n', total - pos);
		size_t end = nl ? (size_t)(nl - text) : total;
		size_t start = pos;
		if (start == end)
			emit(lines, max_lines, &n, start, 0);
		while (start < end) {
			while (start < end && text[start] == ' ')
				start++;
			if (start == end)
				break;
			size_t fit = start; /* end of the longest fitting prefix ending at a word end */
			size_t cur = start;
			while (cur < end) {
				size_t we = cur;
				while (we < end && text[we] == ' ')
					we++;
				while (we < end && text[we] != ' ')
					we += ui_utf8_len(text + we);
				if (measure(user, text + start, we - start) > max_w)
					break;
				fit = we;
				cur = we;
			}
			if (fit == start) {
				/* the first word alone is too wide: cut between characters */
				size_t c = start + ui_utf8_len(text + start);
				while (c < end && text[c] != ' ') {
					size_t nx = c + ui_utf8_len(text + c);
					if (measure(user, text + start, nx - start) > max_w)
						break;
					c = nx;
				}
				fit = c;
			}
			emit(lines, max_lines, &n, start, fit - start);
			start = fit;
		}
		if (!nl)
			break;
		pos = end + 1;
		if (pos == total)
			break; /* a final '\n' adds no empty line */
	}
	return n;
}
