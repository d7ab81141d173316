/* test_key_policy.c — the kiosk key filter table, and the mirrored SDL2 constants
 * checked against SDL_keycode.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <SDL2/SDL_keycode.h>

#include "kiosk/service/key_policy.h"

static void constants_match_sdl(void **state)
{
	(void)state;
	assert_int_equal(CAB_KEY_ESCAPE, SDLK_ESCAPE);
	assert_int_equal(CAB_KEY_TAB, SDLK_TAB);
	assert_int_equal(CAB_KEY_RETURN, SDLK_RETURN);
	assert_int_equal(CAB_KEY_BACKSPACE, SDLK_BACKSPACE);
	assert_int_equal(CAB_KEY_DELETE, SDLK_DELETE);
	assert_int_equal(CAB_KEY_CAPSLOCK, SDLK_CAPSLOCK);
	assert_int_equal(CAB_KEY_F1, SDLK_F1);
	assert_int_equal(CAB_KEY_F4, SDLK_F4);
	assert_int_equal(CAB_KEY_F11, SDLK_F11);
	assert_int_equal(CAB_KEY_F12, SDLK_F12);
	assert_int_equal(CAB_KEY_F13, SDLK_F13);
	assert_int_equal(CAB_KEY_PRINTSCREEN, SDLK_PRINTSCREEN);
	assert_int_equal(CAB_KEY_HOME, SDLK_HOME);
	assert_int_equal(CAB_KEY_END, SDLK_END);
	assert_int_equal(CAB_KEY_PAGEUP, SDLK_PAGEUP);
	assert_int_equal(CAB_KEY_PAGEDOWN, SDLK_PAGEDOWN);
	assert_int_equal(CAB_KEY_LEFT, SDLK_LEFT);
	assert_int_equal(CAB_KEY_RIGHT, SDLK_RIGHT);
	assert_int_equal(CAB_KEY_UP, SDLK_UP);
	assert_int_equal(CAB_KEY_DOWN, SDLK_DOWN);
	assert_int_equal(CAB_KEY_NUMLOCK, SDLK_NUMLOCKCLEAR);
	assert_int_equal(CAB_KEY_KP_DIVIDE, SDLK_KP_DIVIDE);
	assert_int_equal(CAB_KEY_KP_ENTER, SDLK_KP_ENTER);
	assert_int_equal(CAB_KEY_KP_PERIOD, SDLK_KP_PERIOD);
	assert_int_equal(CAB_KEY_KP_EQUALS, SDLK_KP_EQUALS);
	assert_int_equal(CAB_KEY_APPLICATION, SDLK_APPLICATION);
	assert_int_equal(CAB_KEY_POWER, SDLK_POWER);
	assert_int_equal(CAB_KEY_MENU, SDLK_MENU);
	assert_int_equal(CAB_KEY_LCTRL, SDLK_LCTRL);
	assert_int_equal(CAB_KEY_LSHIFT, SDLK_LSHIFT);
	assert_int_equal(CAB_KEY_LALT, SDLK_LALT);
	assert_int_equal(CAB_KEY_LGUI, SDLK_LGUI);
	assert_int_equal(CAB_KEY_RCTRL, SDLK_RCTRL);
	assert_int_equal(CAB_KEY_RSHIFT, SDLK_RSHIFT);
	assert_int_equal(CAB_KEY_RALT, SDLK_RALT);
	assert_int_equal(CAB_KEY_RGUI, SDLK_RGUI);
	assert_int_equal(CAB_KEY_MODE, SDLK_MODE);
	assert_int_equal(CAB_KMOD_LSHIFT, KMOD_LSHIFT);
	assert_int_equal(CAB_KMOD_RSHIFT, KMOD_RSHIFT);
	assert_int_equal(CAB_KMOD_LCTRL, KMOD_LCTRL);
	assert_int_equal(CAB_KMOD_RCTRL, KMOD_RCTRL);
	assert_int_equal(CAB_KMOD_LALT, KMOD_LALT);
	assert_int_equal(CAB_KMOD_RALT, KMOD_RALT);
	assert_int_equal(CAB_KMOD_LGUI, KMOD_LGUI);
	assert_int_equal(CAB_KMOD_RGUI, KMOD_RGUI);
	assert_int_equal(CAB_KMOD_NUM, KMOD_NUM);
	assert_int_equal(CAB_KMOD_CAPS, KMOD_CAPS);
	assert_int_equal(CAB_KMOD_MODE, KMOD_MODE);
	assert_int_equal(CAB_KMOD_SCROLL, KMOD_SCROLL);
}

struct row {
	int key;
	unsigned mods;
	enum cab_key_verdict patient, staff, patient_debug;
	const char *what;
};

#define A CAB_KEY_ALLOW
#define R CAB_KEY_REFUSE
#define Q CAB_KEY_DEBUG_QUIT
#define W CAB_KEY_DEBUG_WINDOWED

static const struct row table[] = {
	/* typing */
	{'a', 0, A, A, A, "a"},
	{'a', KMOD_LSHIFT, A, A, A, "Shift-a"},
	{'7', KMOD_NUM, A, A, A, "7 with NumLock on"},
	{'e', KMOD_CAPS, A, A, A, "e with CapsLock on"},
	{0xe9, 0, A, A, A, "e acute (French keyboard)"},
	{'@', KMOD_RALT, A, A, A, "AltGr-@ (AZERTY)"},
	{0xe9, KMOD_MODE, A, A, A, "Mode switch e acute"},
	{SDLK_SPACE, 0, A, A, A, "space"},
	{SDLK_BACKSPACE, 0, A, A, A, "Backspace"},
	{SDLK_DELETE, 0, A, A, A, "Delete"},
	{SDLK_RETURN, 0, A, A, A, "Return"},
	{SDLK_KP_ENTER, 0, A, A, A, "keypad Enter"},
	{SDLK_KP_5, KMOD_NUM, A, A, A, "keypad 5"},
	{SDLK_TAB, 0, A, A, A, "Tab"},
	{SDLK_TAB, KMOD_LSHIFT, A, A, A, "Shift-Tab"},
	{SDLK_LEFT, 0, A, A, A, "Left"},
	{SDLK_HOME, KMOD_LSHIFT, A, A, A, "Shift-Home"},
	{SDLK_LSHIFT, KMOD_LSHIFT, A, A, A, "Shift alone"},
	{SDLK_RALT, KMOD_RALT, A, A, A, "AltGr alone"},
	{SDLK_LCTRL, KMOD_LCTRL, A, A, A, "Ctrl alone"},
	/* window manager and desktop shortcuts */
	{SDLK_F4, KMOD_LALT, R, R, R, "Alt-F4"},
	{SDLK_TAB, KMOD_LALT, R, R, R, "Alt-Tab"},
	{SDLK_TAB, KMOD_LALT | KMOD_LSHIFT, R, R, R, "Alt-Shift-Tab"},
	{SDLK_ESCAPE, KMOD_LALT, R, R, R, "Alt-Esc"},
	{SDLK_SPACE, KMOD_LALT, R, R, R, "Alt-Space"},
	{SDLK_LALT, KMOD_LALT, R, R, R, "Alt alone"},
	{SDLK_F4, KMOD_RALT, R, R, R, "AltGr-F4"},
	{SDLK_TAB, KMOD_RALT, R, R, R, "AltGr-Tab"},
	{SDLK_LGUI, KMOD_LGUI, R, R, R, "Super alone"},
	{SDLK_RGUI, 0, R, R, R, "right Super"},
	{'d', KMOD_LGUI, R, R, R, "Super-D"},
	{SDLK_TAB, KMOD_RGUI, R, R, R, "Super-Tab"},
	{SDLK_BACKSPACE, KMOD_LCTRL | KMOD_LALT, R, R, R, "Ctrl-Alt-Backspace"},
	{SDLK_DELETE, KMOD_LCTRL | KMOD_LALT, R, R, R, "Ctrl-Alt-Delete"},
	{SDLK_F1, KMOD_LCTRL | KMOD_LALT, R, R, R, "Ctrl-Alt-F1"},
	{'t', KMOD_LCTRL | KMOD_LALT, R, R, R, "Ctrl-Alt-T"},
	{'t', KMOD_LCTRL | KMOD_RALT, R, R, R, "Ctrl-AltGr-T"},
	{SDLK_F11, 0, R, R, R, "F11"},
	{SDLK_F1, 0, R, R, R, "F1"},
	{SDLK_F12, 0, R, R, R, "F12"},
	{SDLK_F13, 0, R, R, R, "F13"},
	{SDLK_PRINTSCREEN, 0, R, R, R, "Print Screen"},
	{SDLK_POWER, 0, R, R, R, "Power"},
	{SDLK_MENU, 0, R, R, R, "Menu"},
	{SDLK_APPLICATION, 0, R, R, R, "Application (context menu)"},
	{SDLK_AUDIOMUTE, 0, R, R, R, "Mute"},
	{SDLK_AC_HOME, 0, R, R, R, "browser Home"},
	{SDLK_SLEEP, 0, R, R, R, "Sleep"},
	{SDLK_INSERT, 0, R, R, R, "Insert"},
	/* Esc and Ctrl */
	{SDLK_ESCAPE, 0, R, A, R, "Esc"},
	{SDLK_ESCAPE, KMOD_LCTRL, R, R, R, "Ctrl-Esc"},
	{'q', KMOD_LCTRL, R, R, R, "Ctrl-Q"},
	{'w', KMOD_LCTRL, R, R, R, "Ctrl-W"},
	{'c', KMOD_LCTRL, R, A, R, "Ctrl-C"},
	{'v', KMOD_RCTRL, R, A, R, "Ctrl-V"},
	{'z', KMOD_LCTRL, R, A, R, "Ctrl-Z"},
	{SDLK_LEFT, KMOD_LCTRL, R, A, R, "Ctrl-Left"},
	{SDLK_TAB, KMOD_LCTRL, R, R, R, "Ctrl-Tab"},
	{SDLK_PLUS, KMOD_LCTRL, R, R, R, "Ctrl-+ (zoom)"},
	{'\a', 0, R, R, R, "a control character"},
	/* debug escape keys */
	{SDLK_ESCAPE, KMOD_LCTRL | KMOD_LSHIFT, R, R, Q, "Ctrl-Shift-Esc"},
	{SDLK_F11, KMOD_RCTRL | KMOD_RSHIFT, R, R, W, "Ctrl-Shift-F11"},
	{SDLK_ESCAPE, KMOD_LCTRL | KMOD_LSHIFT | KMOD_LALT, R, R, R, "Ctrl-Alt-Shift-Esc"},
	{SDLK_F11, KMOD_LSHIFT, R, R, R, "Shift-F11"},
};

static void decision_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
		const struct row *r = &table[i];
		enum cab_key_verdict p = cab_key_decide(r->key, r->mods, CAB_KEYS_PATIENT, false);
		enum cab_key_verdict s = cab_key_decide(r->key, r->mods, CAB_KEYS_STAFF, false);
		enum cab_key_verdict d = cab_key_decide(r->key, r->mods, CAB_KEYS_PATIENT, true);
		if (p != r->patient || s != r->staff || d != r->patient_debug)
			fail_msg("%s: patient %d (want %d), staff %d (want %d), debug %d (want %d)",
			         r->what, p, r->patient, s, r->staff, d, r->patient_debug);
	}
}

/* A release build (no CABIN_DEBUG) has no escape keys; a debug build has them. */
static void escape_keys_follow_build_type(void **state)
{
	(void)state;
#ifdef CABIN_DEBUG
	assert_true(cab_key_escapes_built());
	assert_int_equal(cab_key_policy(SDLK_ESCAPE, KMOD_LCTRL | KMOD_LSHIFT, CAB_KEYS_PATIENT),
	                 CAB_KEY_DEBUG_QUIT);
#else
	assert_false(cab_key_escapes_built());
	assert_int_equal(cab_key_policy(SDLK_ESCAPE, KMOD_LCTRL | KMOD_LSHIFT, CAB_KEYS_PATIENT),
	                 CAB_KEY_REFUSE);
	assert_int_equal(cab_key_policy(SDLK_F11, KMOD_LCTRL | KMOD_LSHIFT, CAB_KEYS_STAFF),
	                 CAB_KEY_REFUSE);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(constants_match_sdl),
		cmocka_unit_test(decision_table),
		cmocka_unit_test(escape_keys_follow_build_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
