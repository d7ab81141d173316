/* ini_edit.c — replace or add one key of an INI text (see ini_edit.h). */
#include "ini_edit.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t size, len;
	bool err;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->err || o->len + n + 1 > o->size) {
		o->err = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static size_t name_len(const char *s)
{
	size_t n = 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '-')
		n++;
	return n;
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

int cab_ini_set(const char *in, const char *assignment, char *outbuf, size_t size)
{
	char sec[64], key[64], val[512], line[640];
	const char *a = skip_ws(assignment);
	size_t n = name_len(a);
	if (!n || n >= sizeof sec || a[n] != '.')
		return -1;
	memcpy(sec, a, n);
	sec[n] = '\0';
	a += n + 1;
	n = name_len(a);
	if (!n || n >= sizeof key)
		return -1;
	memcpy(key, a, n);
	key[n] = '\0';
	a = skip_ws(a + n);
	if (*a != '=')
		return -1;
	a = skip_ws(a + 1);
	n = strlen(a);
	while (n && (a[n - 1] == ' ' || a[n - 1] == '\t'))
		n--;
	if (n >= sizeof val || memchr(a, '\n', n))
		return -1;
	memcpy(val, a, n);
	val[n] = '\0';
	snprintf(line, sizeof line, "%s = %s\n", key, val);

	struct out o = {outbuf, size, 0, false};
	if (size)
		outbuf[0] = '\0';
	bool in_sec = false, done = false, seen_sec = false;
	const char *p = in;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) + 1 : strlen(p);
		const char *s = skip_ws(p);
		if (*s == '[') {
			if (in_sec && !done) { /* leaving our section: add the key here */
				puts_(&o, line);
				done = true;
			}
			const char *q = skip_ws(s + 1);
			size_t sl = name_len(q);
			in_sec =
			    sl == strlen(sec) && !strncmp(q, sec, sl) && *skip_ws(q + sl) == ']';
			seen_sec |= in_sec;
		} else if (in_sec && !done && !strncmp(s, key, strlen(key)) &&
		           name_len(s) == strlen(key) && *skip_ws(s + strlen(key)) == '=') {
			puts_(&o, line);
			done = true;
			p += len;
			continue;
		}
		put(&o, p, len);
		if (!eol && len)
			put(&o, "\n", 1);
		p += len;
	}
	if (!done) {
		if (!seen_sec) {
			if (o.len && outbuf[o.len - 1] != '\n')
				put(&o, "\n", 1);
			puts_(&o, "[");
			puts_(&o, sec);
			puts_(&o, "]\n");
		}
		puts_(&o, line);
	}
	return o.err ? -1 : 0;
}
