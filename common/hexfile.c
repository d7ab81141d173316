/* hexfile.c — hex-text or raw capture loading (see hexfile.h). */
#include "hexfile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

int cab_hex_parse(const char *text, size_t len, uint8_t **out, size_t *out_len, char *err,
                  size_t errsz)
{
	uint8_t *buf = malloc(len / 2 + 1);
	size_t n = 0, line = 1, col = 1;
	int hi = -1;

	if (!buf) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < len; i++, col++) {
		int c = (unsigned char)text[i];
		if (c == '\n') {
			line++;
			col = 0;
		}
		if (c == '#') {
			while (i + 1 < len && text[i + 1] != '\n')
				i++;
			continue;
		}
		if (isspace(c) || c == ',' || c == ':') {
			if (hi >= 0)
				goto odd;
			continue;
		}
		if (hi < 0 && c == '0' && i + 1 < len && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
			i++;
			col++;
			continue;
		}
		int v = hexval(c);
		if (v < 0) {
			snprintf(err, errsz, "line %zu, column %zu: '%c' is not a hex digit", line,
			         col, isprint(c) ? c : '?');
			goto fail;
		}
		if (hi < 0) {
			hi = v;
		} else {
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		goto odd;
	*out = buf;
	*out_len = n;
	return 0;
odd:
	snprintf(err, errsz, "line %zu, column %zu: odd number of hex digits", line, col);
fail:
	free(buf);
	return -1;
}

/* 1 when B looks like hex text; else 0 with *BAD the offset of the first byte that
 * is not hex text (outside '#' comments). */
static int looks_like_hex(const uint8_t *b, size_t n, size_t *bad)
{
	int in_comment = 0;
	*bad = 0;
	for (size_t i = 0; i < n; i++) {
		int c = b[i];
		if (in_comment) {
			if (c == '\n')
				in_comment = 0;
			continue;
		}
		if (c == '#')
			in_comment = 1;
		else if (!(isxdigit(c) || isspace(c) || c == 'x' || c == 'X' || c == ',' || c == ':')) {
			*bad = i;
			return 0;
		}
	}
	return n > 0;
}

int cab_capture_read(FILE *f, uint8_t **out, size_t *out_len, char *err, size_t errsz)
{
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	if (!buf) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= CAB_CAPTURE_MAX) {
				snprintf(err, errsz, "capture larger than %u bytes", CAB_CAPTURE_MAX);
				free(buf);
				return -1;
			}
			cap *= 2;
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				snprintf(err, errsz, "out of memory");
				free(buf);
				return -1;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errsz, "read error");
		free(buf);
		return -1;
	}
	size_t bad;
	if (looks_like_hex(buf, n, &bad)) {
		int rc = cab_hex_parse((const char *)buf, n, out, out_len, err, errsz);
		free(buf);
		return rc;
	}
	/* Only printable ASCII and white space: text meant as hex, not a binary capture
	 * (APDUs and instrument frames hold control and high bytes). */
	size_t t = 0;
	while (t < n && ((buf[t] >= 0x20 && buf[t] < 0x7f) || buf[t] == '\n' || buf[t] == '\r' ||
	                 buf[t] == '\t'))
		t++;
	if (n && t == n) {
		snprintf(err, errsz, "not hex at byte %zu ('%c'): text input must be hex digits, "
		         "white space and '#' comments", bad, buf[bad]);
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = n;
	return 0;
}
