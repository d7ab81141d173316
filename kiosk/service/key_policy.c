/* key_policy.c — the kiosk's key filter decision table (see key_policy.h). */
#include "kiosk/service/key_policy.h"

#define KMOD_CTRL (CAB_KMOD_LCTRL | CAB_KMOD_RCTRL)
#define KMOD_SHIFT (CAB_KMOD_LSHIFT | CAB_KMOD_RSHIFT)
#define KMOD_GUI (CAB_KMOD_LGUI | CAB_KMOD_RGUI)

/* Keys from the scancode range that only move the cursor, type on the keypad or
 * are modifiers that do nothing alone. */
static bool typing_special(int k)
{
	switch (k) {
	case CAB_KEY_HOME:
	case CAB_KEY_END:
	case CAB_KEY_PAGEUP:
	case CAB_KEY_PAGEDOWN:
	case CAB_KEY_LEFT:
	case CAB_KEY_RIGHT:
	case CAB_KEY_UP:
	case CAB_KEY_DOWN:
	case CAB_KEY_LSHIFT:
	case CAB_KEY_RSHIFT:
	case CAB_KEY_LCTRL:
	case CAB_KEY_RCTRL:
	case CAB_KEY_RALT:
	case CAB_KEY_MODE:
	case CAB_KEY_CAPSLOCK:
	case CAB_KEY_NUMLOCK:
	case CAB_KEY_KP_EQUALS:
		return true;
	default:
		return k >= CAB_KEY_KP_DIVIDE && k <= CAB_KEY_KP_PERIOD;
	}
}

/* A character key that types something: ASCII from space, or a Unicode code point
 * (é, ç on a French keyboard); not Esc, Delete or a scancode key. */
static bool printable(int k)
{
	return k >= CAB_KEY_SPACE && k != CAB_KEY_DELETE && !(k & CAB_KEYCODE_SCANCODE_MASK);
}

static bool staff_ctrl_ok(int k)
{
	switch (k) {
	case 'a':
	case 'c':
	case 'v':
	case 'x':
	case 'y':
	case 'z':
	case CAB_KEY_BACKSPACE:
	case CAB_KEY_LEFT:
	case CAB_KEY_RIGHT:
	case CAB_KEY_LCTRL:
	case CAB_KEY_RCTRL:
	case CAB_KEY_LSHIFT:
	case CAB_KEY_RSHIFT:
		return true;
	default:
		return false;
	}
}

enum cab_key_verdict cab_key_decide(int k, unsigned mods, enum cab_key_screen screen, bool escapes)
{
	bool ctrl = mods & KMOD_CTRL, shift = mods & KMOD_SHIFT;
	bool lalt = mods & CAB_KMOD_LALT, ralt = mods & CAB_KMOD_RALT, gui = mods & KMOD_GUI;

	if (escapes && ctrl && shift && !lalt && !ralt && !gui) {
		if (k == CAB_KEY_ESCAPE)
			return CAB_KEY_DEBUG_QUIT;
		if (k == CAB_KEY_F11)
			return CAB_KEY_DEBUG_WINDOWED;
	}
	if (gui || k == CAB_KEY_LGUI || k == CAB_KEY_RGUI)
		return CAB_KEY_REFUSE;
	if (lalt || k == CAB_KEY_LALT)
		return CAB_KEY_REFUSE;
	if (ralt && (ctrl || !(printable(k) || k == CAB_KEY_RALT || k == CAB_KEY_MODE)))
		return CAB_KEY_REFUSE;
	if ((k & CAB_KEYCODE_SCANCODE_MASK) && !typing_special(k))
		return CAB_KEY_REFUSE;
	if (k == CAB_KEY_ESCAPE)
		return screen == CAB_KEYS_STAFF && !ctrl && !shift ? CAB_KEY_ALLOW : CAB_KEY_REFUSE;
	if (ctrl && k != CAB_KEY_LCTRL && k != CAB_KEY_RCTRL) {
		if (screen == CAB_KEYS_PATIENT)
			return CAB_KEY_REFUSE;
		return staff_ctrl_ok(k) ? CAB_KEY_ALLOW : CAB_KEY_REFUSE;
	}
	if (k < CAB_KEY_SPACE && k != CAB_KEY_BACKSPACE && k != CAB_KEY_TAB && k != CAB_KEY_RETURN)
		return CAB_KEY_REFUSE;
	return CAB_KEY_ALLOW;
}

bool cab_key_escapes_built(void)
{
#ifdef CABIN_DEBUG
	return true;
#else
	return false;
#endif
}

enum cab_key_verdict cab_key_policy(int keycode, unsigned mods, enum cab_key_screen screen)
{
	return cab_key_decide(keycode, mods, screen, cab_key_escapes_built());
}
