/* ustar.c — minimal ustar writer (see ustar.h; header layout from POSIX.1-2017,
 * pax, "ustar Interchange Format"). */
#include "ustar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 512

static int reserve(struct cab_ustar *t, size_t more)
{
	if (t->error)
		return t->error;
	if (more > CAB_USTAR_MAX || t->len + more > CAB_USTAR_MAX)
		return t->error = -EFBIG;
	if (t->len + more <= t->cap)
		return 0;
	size_t cap = t->cap ? t->cap : 16 * BLOCK;
	while (cap < t->len + more)
		cap *= 2;
	uint8_t *b = realloc(t->buf, cap);
	if (!b)
		return t->error = -ENOMEM;
	t->buf = b;
	t->cap = cap;
	return 0;
}

/* Writes VALUE as zero-padded octal in a field of WIDTH bytes ending with NUL. */
static void octal(char *field, size_t width, uint64_t value)
{
	field[width - 1] = '\0';
	for (size_t i = width - 1; i-- > 0; value >>= 3)
		field[i] = (char)('0' + (value & 7));
}

int cab_ustar_add(struct cab_ustar *t, const char *name, const void *data, size_t len,
                  int64_t mtime)
{
	char h[BLOCK];
	size_t nlen = strlen(name), padded = (len + BLOCK - 1) / BLOCK * BLOCK;
	unsigned sum = 0;

	if (t->error)
		return t->error;
	if (nlen == 0 || nlen > 100 || name[0] == '/' || strstr(name, ".."))
		return t->error = -ENAMETOOLONG;
	if (reserve(t, BLOCK + padded))
		return t->error;
	memset(h, 0, sizeof h);
	memcpy(h, name, nlen);                               /* name[100] */
	octal(h + 100, 8, 0600);                             /* mode */
	octal(h + 108, 8, 0);                                /* uid */
	octal(h + 116, 8, 0);                                /* gid */
	octal(h + 124, 12, len);                             /* size */
	octal(h + 136, 12, mtime > 0 ? (uint64_t)mtime : 0); /* mtime */
	memset(h + 148, ' ', 8);                             /* chksum, spaces while summing */
	h[156] = '0';                                        /* typeflag: regular file */
	memcpy(h + 257, "ustar", 6);                         /* magic "ustar\0" */
	memcpy(h + 263, "00", 2);                            /* version */
	memcpy(h + 265, "cabin", 5);                         /* uname */
	memcpy(h + 297, "cabin", 5);                         /* gname */
	for (size_t i = 0; i < BLOCK; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum); /* six octal digits, NUL, space */
	h[155] = ' ';
	memcpy(t->buf + t->len, h, BLOCK);
	t->len += BLOCK;
	if (len)
		memcpy(t->buf + t->len, data, len);
	memset(t->buf + t->len + len, 0, padded - len);
	t->len += padded;
	return 0;
}

int cab_ustar_finish(struct cab_ustar *t)
{
	if (reserve(t, 2 * BLOCK))
		return t->error;
	memset(t->buf + t->len, 0, 2 * BLOCK);
	t->len += 2 * BLOCK;
	return 0;
}

void cab_ustar_free(struct cab_ustar *t)
{
	free(t->buf);
	memset(t, 0, sizeof *t);
}
