/* freestyle.c — Abbott FreeStyle shared HID protocol codec (see freestyle.h). */
#include "devices/proto/freestyle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabin/mdc.h"

const char *fs_err_text(int err)
{
	switch (err) {
	case FS_OK: return "ok";
	case FS_E_LENGTH: return "report length byte out of range";
	case FS_E_LIMIT: return "reply larger than Cabin accepts";
	case FS_E_FORMAT: return "reply does not follow the FreeStyle text grammar";
	case FS_E_CHECKSUM: return "checksum mismatch";
	case FS_E_FAIL: return "the meter answered CMD Fail!";
	case FS_E_UNKNOWN_CMD: return "the meter does not know the message (30 01 85)";
	default: return "unknown error";
	}
}

int fs_encode(uint8_t type, const uint8_t *payload, size_t len, uint8_t out[FS_REPORT])
{
	if (len > FS_PAYLOAD)
		return FS_E_LENGTH;
	memset(out, 0, FS_REPORT);
	out[0] = type;
	out[1] = (uint8_t)len;
	if (len)
		memcpy(out + 2, payload, len);
	return FS_REPORT;
}

int fs_encode_text(const char *cmd, uint8_t out[FS_REPORT])
{
	return fs_encode(FS_TYPE_TEXT, (const uint8_t *)cmd, strlen(cmd), out);
}

int fs_report(const uint8_t *report, size_t len, uint8_t *type, const uint8_t **payload,
              size_t *plen)
{
	if (len < 2 || report[1] > FS_PAYLOAD || (size_t)report[1] + 2 > len)
		return FS_E_LENGTH;
	*type = report[0];
	*payload = report + 2;
	*plen = report[1];
	return 0;
}

void fs_text_reset(struct fs_text *t)
{
	t->n = 0;
	if (t->buf)
		t->buf[0] = 0;
}

void fs_text_free(struct fs_text *t)
{
	free(t->buf);
	memset(t, 0, sizeof *t);
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && !memcmp(s + n - k, suffix, k);
}

int fs_text_add(struct fs_text *t, const uint8_t *report, size_t len)
{
	uint8_t type;
	const uint8_t *p;
	size_t pl;
	int r = fs_report(report, len, &type, &p, &pl);
	if (r < 0)
		return r;
	if (type == FS_TYPE_ERROR)
		return FS_E_UNKNOWN_CMD;
	if (type != FS_TYPE_TEXT)
		return 0; /* sync packets (0x22) and binary replies are not part of the text */
	if (t->n + pl + 1 > FS_REPLY_MAX)
		return FS_E_LIMIT;
	if (t->n + pl + 1 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		while (cap < t->n + pl + 1)
			cap *= 2;
		if (cap > FS_REPLY_MAX)
			cap = FS_REPLY_MAX;
		char *nb = realloc(t->buf, cap);
		if (!nb)
			return FS_E_LIMIT;
		t->buf = nb;
		t->cap = cap;
	}
	memcpy(t->buf + t->n, p, pl);
	t->n += pl;
	t->buf[t->n] = 0;
	return ends_with(t->buf, t->n, "CMD OK\r\n") || ends_with(t->buf, t->n, "CMD Fail!\r\n");
}

static uint32_t sum(const char *s, size_t n)
{
	uint32_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += (uint8_t)s[i];
	return c;
}

static int hex8(const char *s, uint32_t *v)
{
	uint32_t x = 0;
	for (int i = 0; i < 8; i++) {
		char ch = s[i];
		int d = ch >= '0' && ch <= '9' ? ch - '0'
		      : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
		      : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return 0;
}

int fs_reply_check(const char *text, size_t len, const char **msg, size_t *msglen)
{
	static const char ok[] = "\r\nCMD OK\r\n", fail[] = "\r\nCMD Fail!\r\n";
	int failed = 0;
	size_t tail;
	if (ends_with(text, len, ok))
		tail = sizeof ok - 1;
	else if (ends_with(text, len, fail))
		tail = sizeof fail - 1, failed = 1;
	else
		return FS_E_FORMAT;
	/* message "CKSM:" 8HEXDIG, then the tail */
	if (len < tail + 13 || memcmp(text + len - tail - 13, "CKSM:", 5))
		return FS_E_FORMAT;
	uint32_t ck;
	if (hex8(text + len - tail - 8, &ck))
		return FS_E_FORMAT;
	if (failed)
		return FS_E_FAIL;
	size_t ml = len - tail - 13;
	if (sum(text, ml) != ck)
		return FS_E_CHECKSUM;
	*msg = text;
	*msglen = ml;
	return 0;
}

int fs_reply_build(const char *msg, int fail, char *out, size_t size)
{
	int n = fail ? snprintf(out, size, "CKSM:00000000\r\nCMD Fail!\r\n")
	             : snprintf(out, size, "%sCKSM:%08X\r\nCMD OK\r\n", msg,
	                        (unsigned)sum(msg, strlen(msg)));
	return n < 0 || (size_t)n >= size ? -1 : n;
}

int fs_records(const char *msg, size_t len, int (*each)(const char *, size_t, void *), void *user)
{
	if (len == 11 && !memcmp(msg, "Log Empty\r\n", 11))
		return 0;
	/* the last line: count "," 8HEXDIG, optionally followed by CRLF */
	size_t end = len;
	if (end >= 2 && msg[end - 2] == '\r' && msg[end - 1] == '\n')
		end -= 2;
	size_t ls = end;
	while (ls > 0 && msg[ls - 1] != '\n')
		ls--;
	const char *last = msg + ls;
	size_t ll = end - ls;
	const char *comma = memchr(last, ',', ll);
	if (!comma || (size_t)(last + ll - comma - 1) != 8 || comma == last)
		return FS_E_FORMAT;
	long count = 0;
	for (const char *p = last; p < comma; p++) {
		if (*p < '0' || *p > '9' || count > 100000)
			return FS_E_FORMAT;
		count = count * 10 + (*p - '0');
	}
	uint32_t ck;
	if (hex8(comma + 1, &ck))
		return FS_E_FORMAT;
	if (sum(msg, ls) != ck)
		return FS_E_CHECKSUM;
	long seen = 0;
	size_t pos = 0;
	while (pos < ls) {
		const char *nl = memchr(msg + pos, '\n', ls - pos);
		if (!nl || nl == msg + pos || nl[-1] != '\r')
			return FS_E_FORMAT;
		size_t rl = (size_t)(nl - 1 - (msg + pos));
		seen++;
		if (each) {
			int r = each(msg + pos, rl, user);
			if (r)
				return r;
		}
		pos = (size_t)(nl - msg) + 1;
	}
	if (seen != count)
		return FS_E_FORMAT;
	return (int)count;
}

/* Splits REC into at most MAX comma-separated fields (pointers into a copy). */
#define FIELDS_MAX 64
struct fields {
	char copy[1024];
	char *f[FIELDS_MAX];
	int n;
};

static int split(const char *rec, size_t n, struct fields *fs)
{
	if (n >= sizeof fs->copy)
		return FS_E_FORMAT;
	memcpy(fs->copy, rec, n);
	fs->copy[n] = 0;
	fs->n = 0;
	char *p = fs->copy;
	for (;;) {
		if (fs->n == FIELDS_MAX)
			return FS_E_FORMAT;
		fs->f[fs->n++] = p;
		char *c = strchr(p, ',');
		if (!c)
			break;
		*c = 0;
		p = c + 1;
	}
	return 0;
}

/* A whole decimal number 0..999999 (leading spaces allowed), or -1. */
static long num(const char *s)
{
	while (*s == ' ')
		s++;
	if (!*s)
		return -1;
	long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 99999)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + (int64_t)(yoe * 365 + yoe / 4 - yoe / 100 + doy) - 719468;
}

/* Wall time of month/day/2-digit year h:m:s; 1 when any field is 255 (unset clock),
 * -1 out of range. */
static int wall(long mo, long d, long y, long h, long mi, long s, int64_t *ms)
{
	if (mo == 255 || d == 255 || y == 255 || h == 255 || mi == 255)
		return 1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 0 || y > 99 || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || s < 0 || s > 59)
		return -1;
	*ms = ((days_from_civil(2000 + (int)y, (unsigned)mo, (unsigned)d) * 24 + h) * 60 + mi) *
	          60000LL + s * 1000LL;
	return 0;
}

int fs_neo_record(const char *rec, size_t n, struct fs_glucose *g)
{
	struct fields fs;
	if (split(rec, n, &fs))
		return FS_E_FORMAT;
	long type = num(fs.f[0]);
	if (type < 0)
		return FS_E_FORMAT;
	if (type != 7)
		return 0;
	if (fs.n < 9)
		return FS_E_FORMAT;
	memset(g, 0, sizeof *g);
	g->id = num(fs.f[1]);
	long mo = num(fs.f[2]), d = num(fs.f[3]), y = num(fs.f[4]), h = num(fs.f[5]),
	     mi = num(fs.f[6]);
	if (g->id < 0 || mo < 0 || d < 0 || y < 0 || h < 0 || mi < 0)
		return FS_E_FORMAT;
	int w = wall(mo, d, y, h, mi, 0, &g->device_time_ms);
	if (w < 0)
		return FS_E_FORMAT;
	if (w == 1)
		g->device_time_ms = INT64_MIN;
	const char *v = fs.f[8];
	if (!strcmp(v, "HI")) {
		g->high = 1;
	} else if (!strcmp(v, "LO")) {
		g->low = 1;
	} else {
		long x = num(v);
		if (x < 0)
			return FS_E_FORMAT;
		g->value_mgdl = (int)x;
	}
	return 1;
}

int fs_libre_record(const char *rec, size_t n, struct fs_glucose *g)
{
	struct fields fs;
	if (split(rec, n, &fs))
		return FS_E_FORMAT;
	if (fs.n < 2)
		return FS_E_FORMAT;
	long id = num(fs.f[0]), type = num(fs.f[1]);
	if (id < 0 || type < 0)
		return FS_E_FORMAT;
	if (type != 2)
		return 0;
	if (fs.n < 29)
		return FS_E_FORMAT;
	if (num(fs.f[9]) != 0)
		return 0; /* ketone (1) or sensor scan (2): not a blood-glucose strip result */
	memset(g, 0, sizeof *g);
	g->id = id;
	long mo = num(fs.f[2]), d = num(fs.f[3]), y = num(fs.f[4]), h = num(fs.f[5]),
	     mi = num(fs.f[6]), s = num(fs.f[7]);
	long lo_or_err = num(fs.f[11]), value = num(fs.f[12]), errbits = num(fs.f[28]);
	if (mo < 0 || d < 0 || y < 0 || h < 0 || mi < 0 || s < 0 || lo_or_err < 0 || value < 0 ||
	    errbits < 0)
		return FS_E_FORMAT;
	int w = wall(mo, d, y, h, mi, s, &g->device_time_ms);
	if (w < 0)
		return FS_E_FORMAT;
	if (w == 1)
		g->device_time_ms = INT64_MIN;
	if (errbits & 0x8000)
		g->error = 1;
	else if (lo_or_err == 1)
		g->low = 1; /* field 12: 1 when an error is present or the value is LO */
	g->value_mgdl = (int)value;
	return 1;
}

int fs_clock(const char *dm, size_t dl, const char *tm, size_t tl, int64_t *ms)
{
	char d[64], t[64];
	if (dl >= sizeof d || tl >= sizeof t)
		return FS_E_FORMAT;
	memcpy(d, dm, dl);
	d[dl] = 0;
	memcpy(t, tm, tl);
	t[tl] = 0;
	struct fields a, b;
	/* strip the CRLF the messages end with */
	for (char *p = d; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = 0;
	for (char *p = t; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = 0;
	if (split(d, strlen(d), &a) || split(t, strlen(t), &b) || a.n != 3 || b.n != 2)
		return FS_E_FORMAT;
	long mo = num(a.f[0]), dd = num(a.f[1]), y = num(a.f[2]), h = num(b.f[0]), mi = num(b.f[1]);
	if (mo < 0 || dd < 0 || y < 0 || h < 0 || mi < 0)
		return FS_E_FORMAT;
	int w = wall(mo, dd, y, h, mi, 0, ms);
	return w < 0 ? FS_E_FORMAT : w;
}

struct cab_reading fs_glucose_reading(const struct fs_glucose *g)
{
	struct cab_reading r;
	memset(&r, 0, sizeof r);
	r.mdc = MDC_FULL(MDC_PART_SCADA, MDC_CONC_GLU_CAPILLARY_PLASMA);
	snprintf(r.ucum, sizeof r.ucum, "mg/dL");
	r.person_id = 0xFFFF;
	r.flags = CAB_RF_STORED;
	r.device_time_ms = g->device_time_ms;
	if (g->device_time_ms == INT64_MIN)
		r.flags |= CAB_RF_CLOCK_UNSET;
	if (g->error) {
		r.value_kind = CAB_VALUE_NAN;
		r.flags |= CAB_RF_INVALID;
	} else if (g->high) {
		r.value_kind = CAB_VALUE_PINF;
		r.flags |= CAB_RF_OUT_OF_RANGE;
	} else if (g->low) {
		r.value_kind = CAB_VALUE_NINF;
		r.flags |= CAB_RF_OUT_OF_RANGE;
	} else {
		r.value = g->value_mgdl;
	}
	return r;
}
