/* tf_group.c — digit grouping of date, NIR and phone fields (see tf_group.h). */
#include "kiosk/ui/tf_group.h"

#include <string.h>

#define RAW_MAX 16

bool ui_tf_grouped(enum ui_tf_filter filter, const char *buf)
{
	return filter == UI_TF_DATE || filter == UI_TF_NIR || (filter == UI_TF_PHONE && buf[0] != '+');
}

static size_t raw_max(enum ui_tf_filter filter)
{
	return filter == UI_TF_DATE ? 8 : filter == UI_TF_NIR ? 15 : 14;
}

/* The characters of BUF without separators into RAW (at most RAW_MAX - 1). */
static size_t compact(const char *buf, char *raw)
{
	size_t n = 0;
	for (const char *p = buf; *p && n < RAW_MAX - 1; p++)
		if ((*p >= '0' && *p <= '9') || *p == 'A' || *p == 'B')
			raw[n++] = *p;
	raw[n] = 0;
	return n;
}

/* Whether a separator goes before raw character I. */
static char separator_before(enum ui_tf_filter filter, size_t i)
{
	switch (filter) {
	case UI_TF_DATE:
		return i == 2 || i == 4 ? '/' : 0;
	case UI_TF_NIR: /* sex, year, month, department, commune, order, key */
		return i == 1 || i == 3 || i == 5 || i == 7 || i == 10 || i == 13 ? ' ' : 0;
	default: /* phone: pairs */
		return i && i % 2 == 0 ? ' ' : 0;
	}
}

/* Writes RAW grouped into BUF if it fits CAP; returns false (BUF unchanged) if not. */
static bool format(enum ui_tf_filter filter, const char *raw, char *buf, size_t cap)
{
	char out[2 * RAW_MAX];
	size_t o = 0;
	for (size_t i = 0; raw[i]; i++) {
		char sep = separator_before(filter, i);
		if (sep)
			out[o++] = sep;
		out[o++] = raw[i];
	}
	out[o] = 0;
	if (o + 1 > cap)
		return false;
	memcpy(buf, out, o + 1);
	return true;
}

size_t ui_tf_group_insert(enum ui_tf_filter filter, char *buf, size_t cap, const char *text)
{
	char raw[RAW_MAX];
	size_t n = compact(buf, raw), added = 0, max = raw_max(filter);
	for (const char *p = text; *p; p++) {
		char c = *p;
		if (filter == UI_TF_NIR && (c == 'a' || c == 'b'))
			c = (char)(c - 'a' + 'A');
		bool digit = c >= '0' && c <= '9';
		if (filter == UI_TF_DATE && c == '/' && (n == 1 || n == 3)) {
			raw[n] = raw[n - 1]; /* "1/" is day 01 */
			raw[n - 1] = '0';
			raw[++n] = 0;
			added++;
			continue;
		}
		bool corsica = filter == UI_TF_NIR && (c == 'A' || c == 'B') && n == 6;
		if ((!digit && !corsica) || n >= max)
			continue;
		raw[n++] = c;
		raw[n] = 0;
		added++;
	}
	if (!added || !format(filter, raw, buf, cap))
		return 0;
	return added;
}

bool ui_tf_group_backspace(enum ui_tf_filter filter, char *buf, size_t cap)
{
	char raw[RAW_MAX];
	size_t n = compact(buf, raw);
	if (!n)
		return false;
	raw[n - 1] = 0;
	return format(filter, raw, buf, cap);
}
