/* fuzz_wrap.c — line breaking and text-field editing on arbitrary bytes (typed text
 * arrives from SDL_TEXTINPUT, i.e. from whatever the input method sends): no read
 * past the text, lines within the text and in order, the field buffer never
 * overflows and stays NUL-terminated. Input: first byte = width, rest = text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/ui/textfield.h"
#include "kiosk/ui/wrap.h"

static int measure(void *user, const char *s, size_t len)
{
	(void)user;
	int w = 0;
	for (size_t i = 0; i < len; i++)
		w += (unsigned char)s[i] < 0x80 ? 7 : 3; /* uneven advances */
	return w;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	int width = data[0];
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = 0;
	size_t len = strlen(text);
	struct ui_line lines[32];
	size_t n = ui_wrap(text, width, measure, NULL, lines, 32);
	size_t prev_end = 0;
	for (size_t i = 0; i < n && i < 32; i++) {
		if (lines[i].off + lines[i].len > len || lines[i].off < prev_end)
			abort();
		prev_end = lines[i].off + lines[i].len;
	}
	for (int filter = UI_TF_ANY; filter <= UI_TF_PHONE; filter++) {
		char buf[24];
		memset(buf, 0, sizeof buf);
		struct ui_textfield f;
		ui_textfield_init(&f, buf, sizeof buf, (enum ui_tf_filter)filter, 0, 0);
		ui_textfield_insert(&f, text);
		if (strnlen(buf, sizeof buf) >= sizeof buf)
			abort();
		while (ui_textfield_backspace(&f))
			;
		if (buf[0])
			abort();
	}
	free(text);
	return 0;
}
