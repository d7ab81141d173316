/* test_input.c — input routing without a window: SDL touch, mouse and key events
 * converted to widget input, then pressed/released on buttons, focus moved with
 * Tab, text typed into the focused field, radio choices, list taps and drags, and
 * the on-screen keyboard typing into its field. Touch events are built by hand, as
 * SDL would deliver them (xdotool cannot make touch events). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/ui/button.h"
#include "kiosk/ui/checkbox.h"
#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/list.h"
#include "kiosk/ui/radio.h"
#include "kiosk/ui/textfield.h"

static struct ui_ctx ctx;

static int setup(void **state)
{
	(void)state;
	memset(&ctx, 0, sizeof ctx);
	ui_theme_compute(&ctx.th, 1000, 1000, 0);
	return 0;
}

static struct ui_input pointer(enum ui_input_kind k, int x, int y)
{
	struct ui_input in = {.kind = k, .x = x, .y = y};
	return in;
}

static void finger_and_mouse_conversion(void **state)
{
	(void)state;
	SDL_Event e;
	struct ui_input in;
	memset(&e, 0, sizeof e);
	e.type = SDL_FINGERDOWN;
	e.tfinger.x = 0.25f;
	e.tfinger.y = 0.5f;
	assert_true(ui_input_from_sdl(&e, 1280, 800, &in));
	assert_int_equal(in.kind, UI_IN_DOWN);
	assert_int_equal(in.x, 320);
	assert_int_equal(in.y, 400);
	e.type = SDL_FINGERUP;
	assert_true(ui_input_from_sdl(&e, 1280, 800, &in));
	assert_int_equal(in.kind, UI_IN_UP);
	/* the mouse event SDL synthesises from the same touch is dropped */
	memset(&e, 0, sizeof e);
	e.type = SDL_MOUSEBUTTONDOWN;
	e.button.which = SDL_TOUCH_MOUSEID;
	e.button.button = SDL_BUTTON_LEFT;
	assert_false(ui_input_from_sdl(&e, 1280, 800, &in));
	e.button.which = 0;
	e.button.x = 10;
	e.button.y = 20;
	assert_true(ui_input_from_sdl(&e, 1280, 800, &in));
	assert_int_equal(in.x, 10);
	memset(&e, 0, sizeof e);
	e.type = SDL_KEYDOWN;
	e.key.keysym.sym = SDLK_TAB;
	e.key.keysym.mod = KMOD_LSHIFT;
	assert_true(ui_input_from_sdl(&e, 1280, 800, &in));
	assert_int_equal(in.key, UI_KEY_BACKTAB);
	e.key.keysym.sym = SDLK_a; /* letters come as SDL_TEXTINPUT, not as keys */
	assert_false(ui_input_from_sdl(&e, 1280, 800, &in));
	memset(&e, 0, sizeof e);
	e.type = SDL_TEXTINPUT;
	strcpy(e.text.text, "é");
	assert_true(ui_input_from_sdl(&e, 1280, 800, &in));
	assert_string_equal(in.text, "é");
}

static void press_release_and_slide_off(void **state)
{
	(void)state;
	struct ui_group g;
	struct ui_button b;
	ui_group_clear(&g);
	ui_button_init(&b, "Continue", UI_BTN_PRIMARY, 7, 3);
	b.w.r = (SDL_Rect){100, 100, 200, 80};
	ui_group_add(&g, &b.w);
	struct ui_input in = pointer(UI_IN_DOWN, 150, 120);
	assert_true(ui_group_input(&g, &in, &ctx));
	assert_true(b.w.flags & UI_W_PRESSED);
	assert_int_equal(ctx.action, 0);
	in = pointer(UI_IN_UP, 160, 130);
	ui_group_input(&g, &in, &ctx);
	assert_false(b.w.flags & UI_W_PRESSED);
	assert_int_equal(ctx.action, 7);
	assert_int_equal(ctx.action_arg, 3);
	/* press, slide off, release: nothing */
	ctx.action = 0;
	in = pointer(UI_IN_DOWN, 150, 120);
	ui_group_input(&g, &in, &ctx);
	in = pointer(UI_IN_MOVE, 500, 500);
	ui_group_input(&g, &in, &ctx);
	assert_false(b.w.flags & UI_W_PRESSED);
	in = pointer(UI_IN_UP, 500, 500);
	ui_group_input(&g, &in, &ctx);
	assert_int_equal(ctx.action, 0);
	/* a press outside every widget is not used; a disabled button takes nothing */
	in = pointer(UI_IN_DOWN, 5, 5);
	assert_false(ui_group_input(&g, &in, &ctx));
	b.w.flags |= UI_W_DISABLED;
	in = pointer(UI_IN_DOWN, 150, 120);
	assert_false(ui_group_input(&g, &in, &ctx));
}

static void tab_focus_enter_and_typing(void **state)
{
	(void)state;
	struct ui_group g;
	struct ui_button a, b;
	struct ui_textfield f;
	char buf[32] = "";
	ui_group_clear(&g);
	ui_button_init(&a, "A", UI_BTN_PRIMARY, 1, 0);
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_NAME, 0, 0);
	ui_button_init(&b, "B", UI_BTN_PRIMARY, 2, 0);
	ui_group_add(&g, &a.w);
	ui_group_add(&g, &f.w);
	ui_group_add(&g, &b.w);
	struct ui_input tab = {.kind = UI_IN_KEY, .key = UI_KEY_TAB};
	ui_group_input(&g, &tab, &ctx);
	assert_ptr_equal(ui_group_focused(&g), &a.w);
	assert_true(g.focus_visible);
	ui_group_input(&g, &tab, &ctx);
	assert_ptr_equal(ui_group_focused(&g), &f.w);
	struct ui_input text = {.kind = UI_IN_TEXT};
	strcpy(text.text, "Zoé");
	ui_group_input(&g, &text, &ctx);
	assert_string_equal(buf, "Zoé");
	struct ui_input bs = {.kind = UI_IN_KEY, .key = UI_KEY_BACKSPACE};
	ui_group_input(&g, &bs, &ctx);
	assert_string_equal(buf, "Zo");
	ui_group_input(&g, &tab, &ctx);
	ui_group_input(&g, &tab, &ctx); /* wraps round to the first */
	assert_ptr_equal(ui_group_focused(&g), &a.w);
	struct ui_input back = {.kind = UI_IN_KEY, .key = UI_KEY_BACKTAB};
	ui_group_input(&g, &back, &ctx);
	assert_ptr_equal(ui_group_focused(&g), &b.w);
	ctx.action = 0;
	struct ui_input enter = {.kind = UI_IN_KEY, .key = UI_KEY_ENTER};
	ui_group_input(&g, &enter, &ctx);
	assert_int_equal(ctx.action, 2);
}

static void radio_and_list(void **state)
{
	(void)state;
	struct ui_group g;
	struct ui_radio r;
	struct ui_list l;
	int value = -1;
	ui_group_clear(&g);
	ui_radio_init(&r, &value, 5);
	ui_radio_add(&r, "Female");
	ui_radio_add(&r, "Male");
	r.w.r = (SDL_Rect){0, 0, 410, 80};
	ui_list_init(&l, NULL, NULL, 6);
	l.w.r = (SDL_Rect){0, 200, 400, 300};
	l.row_h = 50;
	l.count = 20;
	ui_group_add(&g, &r.w);
	ui_group_add(&g, &l.w);
	struct ui_input in = pointer(UI_IN_DOWN, 300, 40);
	ui_group_input(&g, &in, &ctx);
	in = pointer(UI_IN_UP, 300, 40);
	ui_group_input(&g, &in, &ctx);
	assert_int_equal(value, 1);
	assert_int_equal(ctx.action, 5);
	struct ui_input left = {.kind = UI_IN_KEY, .key = UI_KEY_LEFT};
	ui_group_input(&g, &left, &ctx);
	assert_int_equal(value, 0);
	/* tap on the third row selects it */
	in = pointer(UI_IN_DOWN, 100, 330);
	ui_group_input(&g, &in, &ctx);
	in = pointer(UI_IN_UP, 100, 330);
	ui_group_input(&g, &in, &ctx);
	assert_int_equal(l.selected, 2);
	assert_int_equal(ctx.action, 6);
	assert_int_equal(ctx.action_arg, 2);
	/* drag up by 120 px scrolls, and selects nothing */
	ctx.action = 0;
	in = pointer(UI_IN_DOWN, 100, 450);
	ui_group_input(&g, &in, &ctx);
	in = pointer(UI_IN_MOVE, 100, 330);
	ui_group_input(&g, &in, &ctx);
	in = pointer(UI_IN_UP, 100, 330);
	ui_group_input(&g, &in, &ctx);
	assert_int_equal(l.scroll, 120);
	assert_int_equal(ctx.action, 0);
	/* the wheel scrolls by rows and stops at the end */
	in = (struct ui_input){.kind = UI_IN_WHEEL, .x = 100, .y = 300, .wheel = -100};
	ui_group_input(&g, &in, &ctx);
	assert_int_equal(l.scroll, ui_list_max_scroll(20, 50, 300));
}

static void screen_keyboard_types_into_its_field(void **state)
{
	(void)state;
	char buf[32] = "";
	struct ui_textfield f;
	struct ui_keyboard k;
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_NAME, 0, 0);
	f.change_action = 9;
	ui_keyboard_init(&k, 8);
	k.target = &f;
	k.w.r = (SDL_Rect){0, 400, 1000, 600};
	ui_keyboard_layout(&k, &ctx);
	int e = -1, shift = -1, ok = -1, bs = -1, d = -1;
	for (int i = 0; i < ui_kbd_key_count; i++) {
		const struct ui_kbd_key *key = &ui_kbd_keys[i];
		if (key->kind == UI_KBD_CHAR && !strcmp(key->lower, "é"))
			e = i;
		if (key->kind == UI_KBD_CHAR && !strcmp(key->lower, "d"))
			d = i;
		if (key->kind == UI_KBD_SHIFT)
			shift = i;
		if (key->kind == UI_KBD_DONE)
			ok = i;
		if (key->kind == UI_KBD_BACKSPACE)
			bs = i;
	}
	ui_keyboard_press(&k, e, &ctx); /* first letter of a name: capital */
	ui_keyboard_press(&k, d, &ctx);
	assert_string_equal(buf, "Éd");
	assert_int_equal(ctx.action, 9);
	ui_keyboard_press(&k, shift, &ctx);
	ui_keyboard_press(&k, e, &ctx); /* shift applies once */
	ui_keyboard_press(&k, e, &ctx);
	assert_string_equal(buf, "ÉdÉé");
	ui_keyboard_press(&k, bs, &ctx);
	assert_string_equal(buf, "ÉdÉ");
	/* a touch on a key's centre presses it */
	struct ui_input in = pointer(UI_IN_DOWN, k.keys[d].x + k.keys[d].w / 2, k.keys[d].y + 5);
	k.w.ops->input(&k.w, &in, &ctx);
	assert_int_equal(k.pressed, d);
	in.kind = UI_IN_UP;
	k.w.ops->input(&k.w, &in, &ctx);
	assert_string_equal(buf, "ÉdÉd");
	ui_keyboard_press(&k, ok, &ctx);
	assert_int_equal(ctx.action, 8);
}

/* Index of the key showing LABEL on K's current layer, -1. */
static int key_showing(const struct ui_keyboard *k, const char *label)
{
	for (int i = 0; i < ui_kbd_key_count; i++)
		if (k->keys[i].w > 0 && !strcmp(ui_keyboard_label(k, i), label))
			return i;
	return -1;
}

/* Touches the centre of the key showing LABEL. */
static void touch_key(struct ui_keyboard *k, const char *label)
{
	int i = key_showing(k, label);
	assert_true(i >= 0);
	struct ui_input in = pointer(UI_IN_DOWN, k->keys[i].x + k->keys[i].w / 2,
	                             k->keys[i].y + k->keys[i].h / 2);
	k->w.ops->input(&k->w, &in, &ctx);
	in.kind = UI_IN_UP;
	k->w.ops->input(&k->w, &in, &ctx);
}

/* A configuration change and a station URL typed by touch alone, switching between
 * the letter and symbols layers; a keyboard without the symbols key has none. */
static void screen_keyboard_symbols_layer(void **state)
{
	(void)state;
	char buf[64] = "";
	struct ui_textfield f;
	struct ui_keyboard k;
	ui_textfield_init(&f, buf, sizeof buf, UI_TF_ANY, 0, 0);
	ui_keyboard_init(&k, 8);
	k.target = &f;
	k.w.r = (SDL_Rect){0, 400, 1000, 600};
	ui_keyboard_layout(&k, &ctx);
	assert_int_equal(key_showing(&k, "&123"), -1); /* patient keyboards: no symbols key */
	k.symbols_key = true;
	ui_keyboard_layout(&k, &ctx);
	const char *seq[] = {"s", "e", "r", "v", "i", "c", "e", "&123", ".", "ABC", "c", "l", "e",
	                     "a", "n", "i", "n", "g", "&123", "_", "ABC", "m", "a", "x", "&123",
	                     "_", "ABC", "s", "space", "&123", "=", "space", "6", "0", "0"};
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
		touch_key(&k, seq[i]);
	assert_string_equal(buf, "service.cleaning_max_s = 600");
	assert_true(k.symbols); /* the layer stays until ABC */
	assert_string_equal(ui_keyboard_label(&k, key_showing(&k, "ABC")), "ABC");
	/* shift does nothing on the symbols layer */
	int shift = -1;
	for (int i = 0; i < ui_kbd_key_count; i++)
		if (ui_kbd_keys[i].kind == UI_KBD_SHIFT)
			shift = i;
	ui_keyboard_press(&k, shift, &ctx);
	assert_false(k.shift);
	buf[0] = 0;
	const char *url[] = {"ABC", "w", "s", "s", "&123", ":", "/", "/", "1", "2", "7", ".", "0",
	                     ".", "0", ".", "1", ":", "8", "4", "4", "3", "/", "ABC", "c", "a",
	                     "b", "i", "n", "&123", "?", "ABC", "k", "&123", "=", "#", "@", "\\",
	                     "%", "&", "(", ")", "[", "]", "!", ";", ",", "*", "+", "-", "'", "\"",
	                     "<", ">", "ABC"};
	for (size_t i = 0; i < sizeof url / sizeof url[0]; i++)
		touch_key(&k, url[i]);
	assert_string_equal(buf, "wss://127.0.0.1:8443/cabin?k=#@\\%&()[]!;,*+-'\"<>");
	assert_false(k.symbols);
}

static void checkbox_toggles(void **state)
{
	(void)state;
	struct ui_group g;
	struct ui_checkbox c;
	bool on = false;
	ui_group_clear(&g);
	ui_checkbox_init(&c, "I agree", &on, 4);
	c.w.r = (SDL_Rect){0, 0, 600, 60};
	ui_group_add(&g, &c.w);
	struct ui_input in = pointer(UI_IN_DOWN, 500, 30); /* on the label: the row is the target */
	ui_group_input(&g, &in, &ctx);
	in = pointer(UI_IN_UP, 500, 30);
	ui_group_input(&g, &in, &ctx);
	assert_true(on);
	assert_int_equal(ctx.action, 4);
	assert_int_equal(ctx.action_arg, 1);
	struct ui_input space = {.kind = UI_IN_KEY, .key = UI_KEY_SPACE};
	ui_group_input(&g, &space, &ctx); /* focused by the touch */
	assert_false(on);
	assert_int_equal(ctx.action_arg, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(finger_and_mouse_conversion),
	    cmocka_unit_test(press_release_and_slide_off),
	    cmocka_unit_test(tab_focus_enter_and_typing),
	    cmocka_unit_test(radio_and_list),
	    cmocka_unit_test(screen_keyboard_types_into_its_field),
	    cmocka_unit_test(screen_keyboard_symbols_layer),
	    cmocka_unit_test(checkbox_toggles),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
