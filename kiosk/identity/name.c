/* name.c — name checks and normal form (see name.h). */
#include "kiosk/identity/name.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kiosk/identity/identity.h"

/* Decodes one UTF-8 sequence at S (LEN bytes left) into *CP; returns its length, or
 * 0 for an invalid, overlong or truncated sequence. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n;
	uint32_t min;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		min = 0x80;
		*cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		min = 0x800;
		*cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		min = 0x10000;
		*cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

static bool is_letter(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		return true;
	if (c >= 0xc0 && c <= 0xff) /* Latin-1 letters, without × and ÷ */
		return c != 0xd7 && c != 0xf7;
	if (c >= 0x100 && c <= 0x24f) /* Latin Extended-A and -B */
		return true;
	return c >= 0x1e00 && c <= 0x1eff; /* Latin Extended Additional */
}

enum { K_LETTER, K_SPACE, K_JOIN, K_OTHER };

static int kind_of(uint32_t c)
{
	if (is_letter(c))
		return K_LETTER;
	if (c == ' ')
		return K_SPACE;
	if (c == '-' || c == '\'' || c == 0x2019)
		return K_JOIN;
	return K_OTHER;
}

enum cab_id_err cab_name_normalise(const char *in, char *out, size_t size)
{
	if (!in)
		return CAB_ID_NAME_EMPTY;
	const unsigned char *s = (const unsigned char *)in;
	size_t len = strlen(in);
	char tmp[CAB_NAME_BYTES];
	size_t o = 0, chars = 0;
	int prev = K_SPACE; /* as if preceded by a space: leading spaces vanish */
	bool pending_space = false, any = false;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			return CAB_ID_NAME_CHARS;
		int k = kind_of(cp);
		if (k == K_OTHER)
			return CAB_ID_NAME_CHARS;
		if (k == K_SPACE) {
			if (prev == K_JOIN)
				return CAB_ID_NAME_SEPARATORS;
			pending_space = any;
			prev = K_SPACE;
			i += n;
			continue;
		}
		if (k == K_JOIN && prev != K_LETTER)
			return CAB_ID_NAME_SEPARATORS;
		size_t need = (pending_space ? 1 : 0) + (k == K_JOIN ? 1 : n);
		if (chars + (pending_space ? 1 : 0) + 1 > CAB_NAME_MAX_CHARS || o + need >= sizeof tmp)
			return CAB_ID_NAME_TOO_LONG;
		if (pending_space) {
			tmp[o++] = ' ';
			chars++;
			pending_space = false;
		}
		if (k == K_JOIN) {
			tmp[o++] = cp == '-' ? '-' : '\'';
		} else {
			memcpy(tmp + o, s + i, n);
			o += n;
		}
		chars++;
		any = true;
		prev = k;
		i += n;
	}
	if (!any)
		return CAB_ID_NAME_EMPTY;
	if (prev == K_JOIN)
		return CAB_ID_NAME_SEPARATORS;
	if (o + 1 > size)
		return CAB_ID_NAME_TOO_LONG;
	memcpy(out, tmp, o);
	out[o] = '\0';
	return CAB_ID_OK;
}
