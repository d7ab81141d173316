/* key_policy.h — which key presses the kiosk lets through to its screens. Window-
 * manager shortcuts (Alt-F4, Alt-Tab, Super, Ctrl-Alt-*, F11, power and menu keys)
 * are refused; escape keys (quit, leave fullscreen) exist only in debug builds
 * (-DCABIN_DEBUG, `make DEBUG=1`). Pure; keycodes and modifiers are SDL2's values
 * passed as plain ints so this file needs no SDL header (mirrored below, checked
 * against SDL_keycode.h by tests/unit/service/test_key_policy.c). */
#ifndef CABIN_SERVICE_KEY_POLICY_H
#define CABIN_SERVICE_KEY_POLICY_H

#include <stdbool.h>

/* SDL2 SDL_Keycode values (SDL_keycode.h): printable keys are their character,
 * the others are SDL_Scancode | (1 << 30). */
#define CAB_KEYCODE_SCANCODE_MASK (1 << 30)
#define CAB_KEYCODE_FROM_SCANCODE(s) ((s) | CAB_KEYCODE_SCANCODE_MASK)
#define CAB_KEY_BACKSPACE 8
#define CAB_KEY_TAB 9
#define CAB_KEY_RETURN 13
#define CAB_KEY_ESCAPE 27
#define CAB_KEY_SPACE 32
#define CAB_KEY_DELETE 127
#define CAB_KEY_CAPSLOCK CAB_KEYCODE_FROM_SCANCODE(57)
#define CAB_KEY_F1 CAB_KEYCODE_FROM_SCANCODE(58)
#define CAB_KEY_F4 CAB_KEYCODE_FROM_SCANCODE(61)
#define CAB_KEY_F11 CAB_KEYCODE_FROM_SCANCODE(68)
#define CAB_KEY_F12 CAB_KEYCODE_FROM_SCANCODE(69)
#define CAB_KEY_PRINTSCREEN CAB_KEYCODE_FROM_SCANCODE(70)
#define CAB_KEY_HOME CAB_KEYCODE_FROM_SCANCODE(74)
#define CAB_KEY_PAGEUP CAB_KEYCODE_FROM_SCANCODE(75)
#define CAB_KEY_END CAB_KEYCODE_FROM_SCANCODE(77)
#define CAB_KEY_PAGEDOWN CAB_KEYCODE_FROM_SCANCODE(78)
#define CAB_KEY_RIGHT CAB_KEYCODE_FROM_SCANCODE(79)
#define CAB_KEY_LEFT CAB_KEYCODE_FROM_SCANCODE(80)
#define CAB_KEY_DOWN CAB_KEYCODE_FROM_SCANCODE(81)
#define CAB_KEY_UP CAB_KEYCODE_FROM_SCANCODE(82)
#define CAB_KEY_NUMLOCK CAB_KEYCODE_FROM_SCANCODE(83)
#define CAB_KEY_KP_DIVIDE CAB_KEYCODE_FROM_SCANCODE(84)
#define CAB_KEY_KP_ENTER CAB_KEYCODE_FROM_SCANCODE(88)
#define CAB_KEY_KP_PERIOD CAB_KEYCODE_FROM_SCANCODE(99)
#define CAB_KEY_APPLICATION CAB_KEYCODE_FROM_SCANCODE(101)
#define CAB_KEY_POWER CAB_KEYCODE_FROM_SCANCODE(102)
#define CAB_KEY_KP_EQUALS CAB_KEYCODE_FROM_SCANCODE(103)
#define CAB_KEY_F13 CAB_KEYCODE_FROM_SCANCODE(104)
#define CAB_KEY_MENU CAB_KEYCODE_FROM_SCANCODE(118)
#define CAB_KEY_LCTRL CAB_KEYCODE_FROM_SCANCODE(224)
#define CAB_KEY_LSHIFT CAB_KEYCODE_FROM_SCANCODE(225)
#define CAB_KEY_LALT CAB_KEYCODE_FROM_SCANCODE(226)
#define CAB_KEY_LGUI CAB_KEYCODE_FROM_SCANCODE(227)
#define CAB_KEY_RCTRL CAB_KEYCODE_FROM_SCANCODE(228)
#define CAB_KEY_RSHIFT CAB_KEYCODE_FROM_SCANCODE(229)
#define CAB_KEY_RALT CAB_KEYCODE_FROM_SCANCODE(230)
#define CAB_KEY_RGUI CAB_KEYCODE_FROM_SCANCODE(231)
#define CAB_KEY_MODE CAB_KEYCODE_FROM_SCANCODE(257)

/* SDL2 SDL_Keymod bits (SDL_keycode.h). */
#define CAB_KMOD_LSHIFT 0x0001u
#define CAB_KMOD_RSHIFT 0x0002u
#define CAB_KMOD_LCTRL 0x0040u
#define CAB_KMOD_RCTRL 0x0080u
#define CAB_KMOD_LALT 0x0100u
#define CAB_KMOD_RALT 0x0200u
#define CAB_KMOD_LGUI 0x0400u
#define CAB_KMOD_RGUI 0x0800u
#define CAB_KMOD_NUM 0x1000u
#define CAB_KMOD_CAPS 0x2000u
#define CAB_KMOD_MODE 0x4000u
#define CAB_KMOD_SCROLL 0x8000u

/* Which screens the key goes to. */
enum cab_key_screen {
	CAB_KEYS_PATIENT, /* patient flow: typing only, no shortcut at all */
	CAB_KEYS_STAFF,   /* pharmacist overlay, service menu: also Esc, Ctrl-A/C/V/X/Y/Z */
};

/* What to do with a key press. */
enum cab_key_verdict {
	CAB_KEY_ALLOW = 0,      /* hand it to the screen */
	CAB_KEY_REFUSE,         /* swallow it */
	CAB_KEY_DEBUG_QUIT,     /* debug builds only: Ctrl-Shift-Esc quits the cabin */
	CAB_KEY_DEBUG_WINDOWED, /* debug builds only: Ctrl-Shift-F11 leaves fullscreen */
};

/* Decides on KEYCODE (SDL_Keycode) pressed with MODS (SDL_Keymod bits) on SCREEN.
 * ESCAPES says whether the debug escape keys exist. Rules, first match wins:
 * escape keys (when ESCAPES); anything with Super/GUI refused; left Alt refused
 * (Alt-F4, Alt-Tab, Alt-Esc, Alt-Space); right Alt (AltGr) allowed only to type
 * printable characters without Ctrl; keys outside the typing set (function keys,
 * power, menu, print screen, media keys) refused; Esc refused on patient screens;
 * Ctrl combinations refused on patient screens and limited to Ctrl-A/C/V/X/Y/Z,
 * Ctrl-Backspace and Ctrl-arrows on staff screens; everything else allowed. */
enum cab_key_verdict cab_key_decide(int keycode, unsigned mods, enum cab_key_screen screen,
                                    bool escapes);

/* cab_key_decide() with the escape keys of this build (true only with CABIN_DEBUG). */
enum cab_key_verdict cab_key_policy(int keycode, unsigned mods, enum cab_key_screen screen);

/* True when this build was compiled with CABIN_DEBUG (escape keys present). */
bool cab_key_escapes_built(void);

#endif
