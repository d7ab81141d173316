/* mder.c — bounded MDER reader and writer (see mder.h; IEEE 11073-20601 Annex F). */
#include "devices/proto/ieee11073/mder.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ieee_rd_init(struct ieee_rd *r, const uint8_t *buf, size_t len)
{
	memset(r, 0, sizeof *r);
	r->buf = buf;
	r->end = buf ? len : 0;
}

size_t ieee_rd_left(const struct ieee_rd *r)
{
	return r->err ? 0 : r->end - r->pos;
}

void ieee_rd_fail(struct ieee_rd *r, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->err)
		return;
	r->err = code;
	va_start(ap, fmt);
	n = vsnprintf(r->msg, sizeof r->msg, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof r->msg)
		snprintf(r->msg + n, sizeof r->msg - (size_t)n, " (at byte %zu)", r->pos);
}

static int need(struct ieee_rd *r, size_t n)
{
	if (r->err)
		return 0;
	if (r->end - r->pos < n) {
		ieee_rd_fail(r, IEEE_E_TRUNCATED, "truncated: %zu bytes needed, %zu left", n,
		             r->end - r->pos);
		return 0;
	}
	return 1;
}

uint8_t ieee_rd_u8(struct ieee_rd *r)
{
	if (!need(r, 1))
		return 0;
	return r->buf[r->pos++];
}

uint16_t ieee_rd_u16(struct ieee_rd *r)
{
	uint16_t v;

	if (!need(r, 2))
		return 0;
	v = (uint16_t)(r->buf[r->pos] << 8 | r->buf[r->pos + 1]);
	r->pos += 2;
	return v;
}

uint32_t ieee_rd_u32(struct ieee_rd *r)
{
	uint32_t v;

	if (!need(r, 4))
		return 0;
	v = (uint32_t)r->buf[r->pos] << 24 | (uint32_t)r->buf[r->pos + 1] << 16 |
	    (uint32_t)r->buf[r->pos + 2] << 8 | r->buf[r->pos + 3];
	r->pos += 4;
	return v;
}

const uint8_t *ieee_rd_bytes(struct ieee_rd *r, size_t n)
{
	const uint8_t *p;

	if (!need(r, n))
		return NULL;
	p = r->buf + r->pos;
	r->pos += n;
	return p;
}

size_t ieee_rd_enter(struct ieee_rd *r, size_t n, const char *what)
{
	size_t saved = r->end;

	if (r->err)
		return saved;
	if (r->end - r->pos < n) {
		ieee_rd_fail(r, IEEE_E_TRUNCATED, "%s length %zu runs past the end (%zu left)", what,
		             n, r->end - r->pos);
		return saved;
	}
	r->end = r->pos + n;
	return saved;
}

void ieee_rd_leave(struct ieee_rd *r, size_t saved_end)
{
	if (!r->err)
		r->pos = r->end;
	r->end = saved_end;
}

uint16_t ieee_rd_list(struct ieee_rd *r, uint16_t max, const char *what, size_t *saved)
{
	uint16_t count = ieee_rd_u16(r);
	uint16_t length = ieee_rd_u16(r);

	*saved = r->end;
	if (r->err)
		return 0;
	if (count > max) {
		ieee_rd_fail(r, IEEE_E_LIMIT, "%s count %u exceeds the maximum %u", what, count, max);
		return 0;
	}
	*saved = ieee_rd_enter(r, length, what);
	return r->err ? 0 : count;
}

void ieee_wr_init(struct ieee_wr *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf ? cap : 0;
	w->pos = 0;
	w->err = IEEE_OK;
}

static int room(struct ieee_wr *w, size_t n)
{
	if (w->err)
		return 0;
	if (w->cap - w->pos < n) {
		w->err = IEEE_E_NOSPACE;
		return 0;
	}
	return 1;
}

void ieee_wr_u8(struct ieee_wr *w, uint8_t v)
{
	if (room(w, 1))
		w->buf[w->pos++] = v;
}

void ieee_wr_u16(struct ieee_wr *w, uint16_t v)
{
	if (!room(w, 2))
		return;
	w->buf[w->pos++] = (uint8_t)(v >> 8);
	w->buf[w->pos++] = (uint8_t)v;
}

void ieee_wr_u32(struct ieee_wr *w, uint32_t v)
{
	ieee_wr_u16(w, (uint16_t)(v >> 16));
	ieee_wr_u16(w, (uint16_t)v);
}

void ieee_wr_bytes(struct ieee_wr *w, const uint8_t *p, size_t n)
{
	if (!n || !room(w, n))
		return;
	memcpy(w->buf + w->pos, p, n);
	w->pos += n;
}

size_t ieee_wr_len_begin(struct ieee_wr *w)
{
	size_t mark = w->pos;

	ieee_wr_u16(w, 0);
	return mark;
}

void ieee_wr_len_end(struct ieee_wr *w, size_t mark)
{
	size_t n;

	if (w->err)
		return;
	n = w->pos - mark - 2;
	if (n > 0xFFFF) {
		w->err = IEEE_E_NOSPACE;
		return;
	}
	w->buf[mark] = (uint8_t)(n >> 8);
	w->buf[mark + 1] = (uint8_t)n;
}
