/* name.c — name checks and normal form (see name.h). */
#include "kiosk/identity/name.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kiosk/identity/identity.h"
#include "kiosk/identity/utf8.h"

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
		size_t n = cab_utf8_decode(s + i, len - i, &cp);
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
