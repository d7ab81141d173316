/* onetouch.c — OneTouch Ultra 2 serial ASCII decoder (onetouch.h; source named there). */
#include "devices/proto/onetouch.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char *ot_err_text(int err)
{
	switch (err) {
	case OT_OK:
		return "ok";
	case OT_E_FORMAT:
		return "not an OneTouch Ultra 2 answer line";
	case OT_E_CHECKSUM:
		return "checksum missing or wrong";
	case OT_E_RANGE:
		return "date or value out of range";
	}
	return "unknown error";
}

size_t ot_command(const char *cmd, char *out, size_t size)
{
	int n = snprintf(out, size, "\x11\r%s\r", cmd);
	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

uint16_t ot_checksum(const char *b, size_t len)
{
	uint32_t s = 0;
	for (size_t i = 0; i < len; i++)
		s += (uint8_t)b[i];
	return (uint16_t)(s & 0xFFFF);
}

int ot_line(const char *line, size_t len, char *out, size_t size)
{
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len < 6 || line[len - 5] != ' ')
		return OT_E_CHECKSUM;
	unsigned v = 0;
	for (size_t i = len - 4; i < len; i++) {
		char c = line[i];
		if (!isdigit((unsigned char)c) && !(c >= 'A' && c <= 'F'))
			return OT_E_CHECKSUM;
		v = v * 16 + (unsigned)(isdigit((unsigned char)c) ? c - '0' : c - 'A' + 10);
	}
	size_t body = len - 5;
	for (size_t i = 0; i < body; i++)
		if ((uint8_t)line[i] < 0x20 || (uint8_t)line[i] > 0x7E)
			return OT_E_FORMAT;
	if (ot_checksum(line, body) != v)
		return OT_E_CHECKSUM;
	if (body + 1 > size)
		return OT_E_FORMAT;
	memcpy(out, line, body);
	out[body] = '\0';
	return OT_OK;
}

int ot_version(const char *body, char *out, size_t size)
{
	if (body[0] != '?' || !body[1])
		return OT_E_FORMAT;
	snprintf(out, size, "%s", body + 1);
	return OT_OK;
}

/* "XXXXXXXXX" at P: 9 [A-Z0-9] in quotes. */
static int serial_at(const char *p, char out[10])
{
	if (p[0] != '"' || p[10] != '"')
		return OT_E_FORMAT;
	for (int i = 1; i <= 9; i++)
		if (!isdigit((unsigned char)p[i]) && !isupper((unsigned char)p[i]))
			return OT_E_FORMAT;
	memcpy(out, p + 1, 9);
	out[9] = '\0';
	return OT_OK;
}

int ot_serial(const char *body, char out[10], int *ultra2)
{
	if (strncmp(body, "@ ", 2) || strlen(body) != 13 || serial_at(body + 2, out))
		return OT_E_FORMAT;
	*ultra2 = out[8] == 'Y';
	return OT_OK;
}

static int num(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* "DDD","MM/DD/YY","HH:MM:SS   " (33 characters) at P. */
static int datetime_at(const char *p, int64_t *ms, int *year)
{
	if (p[0] != '"' || !isupper((unsigned char)p[1]) || !isupper((unsigned char)p[2]) ||
	    !isupper((unsigned char)p[3]) || strncmp(p + 4, "\",\"", 3) || p[9] != '/' ||
	    p[12] != '/' || strncmp(p + 15, "\",\"", 3) || p[20] != ':' || p[23] != ':' ||
	    strncmp(p + 26, "   \"", 4))
		return OT_E_FORMAT;
	int mo = num(p + 7, 2), d = num(p + 10, 2), y = num(p + 13, 2);
	int h = num(p + 18, 2), mi = num(p + 21, 2), s = num(p + 24, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    s < 0 || s > 59)
		return OT_E_RANGE;
	struct tm tm = {.tm_year = 100 + y,
	                .tm_mon = mo - 1,
	                .tm_mday = d,
	                .tm_hour = h,
	                .tm_min = mi,
	                .tm_sec = s};
	time_t t = timegm(&tm);
	if (tm.tm_mday != d) /* 02/31 */
		return OT_E_RANGE;
	*ms = (int64_t)t * 1000;
	*year = 2000 + y;
	return OT_OK;
}

int ot_clock(const char *body, int64_t *ms, int *year)
{
	if (strncmp(body, "F ", 2) || strlen(body) != 2 + 30)
		return OT_E_FORMAT;
	return datetime_at(body + 2, ms, year);
}

static int unit_at(const char *p, int *mmol)
{
	if (!strcmp(p, "\"MG/DL \""))
		*mmol = 0;
	else if (!strcmp(p, "\"MMOL/L\""))
		*mmol = 1;
	else
		return OT_E_FORMAT;
	return OT_OK;
}

int ot_unit(const char *body, int *mmol)
{
	if (strncmp(body, "SU?,", 4))
		return OT_E_FORMAT;
	return unit_at(body + 4, mmol);
}

int ot_dump_header(const char *body, int *count, char serial[10], int *mmol)
{
	/* P NNN,"XXXXXXXXX","MG/DL " */
	if (strncmp(body, "P ", 2) || strlen(body) != 2 + 3 + 1 + 11 + 1 + 8 || body[5] != ',' ||
	    body[17] != ',')
		return OT_E_FORMAT;
	int n = num(body + 2, 3);
	if (n < 0 || serial_at(body + 6, serial) || unit_at(body + 18, mmol))
		return OT_E_FORMAT;
	*count = n;
	return OT_OK;
}

int ot_record(const char *body, struct ot_record *r)
{
	/* P "MON","05/17/24","08:30:00   ","C 095?","N","00", 00 */
	memset(r, 0, sizeof *r);
	if (strncmp(body, "P ", 2) || strlen(body) != 2 + 30 + 1 + 8 + 1 + 3 + 1 + 4 + 4)
		return OT_E_FORMAT;
	int e = datetime_at(body + 2, &r->time_ms, &r->year);
	if (e)
		return e;
	const char *v = body + 32; /* ,"C 095?" */
	if (v[0] != ',' || v[1] != '"' || (v[2] != 'C' && v[2] != ' ') || v[3] != ' ' ||
	    v[8] != '"' || (v[7] != '?' && v[7] != ' '))
		return OT_E_FORMAT;
	r->mgdl = num(v + 4, 3);
	if (r->mgdl < 0)
		return OT_E_FORMAT;
	r->control = v[2] == 'C';
	r->parity_error = v[7] == '?';
	const char *m = v + 9; /* ,"N","00", 00 */
	if (m[0] != ',' || m[1] != '"' || !strchr("NBA", m[2]) || !m[2] ||
	    strncmp(m + 3, "\",\"", 3) || strncmp(m + 8, "\", 00", 5))
		return OT_E_FORMAT;
	r->meal = m[2];
	r->comment = num(m + 6, 2);
	if (r->comment < 0 || r->comment > 11)
		return OT_E_RANGE;
	return OT_OK;
}
