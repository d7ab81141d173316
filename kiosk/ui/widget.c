/* widget.c — input routing and focus for a group of widgets (see widget.h). */
#include "kiosk/ui/widget.h"

#include <stdio.h>
#include <string.h>

bool ui_in_rect(SDL_Rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

void ui_group_clear(struct ui_group *g)
{
	memset(g, 0, sizeof *g);
	g->focus = -1;
	g->grab = -1;
}

void ui_group_add(struct ui_group *g, struct ui_widget *w)
{
	if (g->n < UI_GROUP_MAX)
		g->w[g->n++] = w;
}

static bool usable(const struct ui_widget *w)
{
	return !(w->flags & (UI_W_HIDDEN | UI_W_DISABLED));
}

void ui_group_draw(struct ui_group *g, struct ui_ctx *ctx)
{
	for (int i = 0; i < g->n; i++)
		if (!(g->w[i]->flags & UI_W_HIDDEN) && g->w[i]->ops && g->w[i]->ops->draw)
			g->w[i]->ops->draw(g->w[i], ctx);
	for (int i = 0; i < g->n; i++)
		if (!(g->w[i]->flags & UI_W_HIDDEN))
			ui_draw_focus(ctx, g->w[i], g->focus_visible);
}

void ui_group_focus(struct ui_group *g, struct ui_widget *w)
{
	if (g->focus >= 0 && g->focus < g->n)
		g->w[g->focus]->flags &= ~(unsigned)UI_W_FOCUSED;
	g->focus = -1;
	for (int i = 0; i < g->n && w; i++)
		if (g->w[i] == w) {
			g->focus = i;
			w->flags |= UI_W_FOCUSED;
		}
}

struct ui_widget *ui_group_focused(struct ui_group *g)
{
	return g->focus >= 0 && g->focus < g->n ? g->w[g->focus] : NULL;
}

void ui_group_focus_step(struct ui_group *g, int dir)
{
	if (g->n == 0)
		return;
	int i = g->focus;
	for (int k = 0; k < g->n; k++) {
		i = i < 0 ? (dir > 0 ? 0 : g->n - 1) : (i + dir + g->n) % g->n;
		struct ui_widget *w = g->w[i];
		if ((w->flags & UI_W_FOCUSABLE) && usable(w)) {
			ui_group_focus(g, w);
			return;
		}
	}
}

static bool send(struct ui_widget *w, const struct ui_input *in, struct ui_ctx *ctx)
{
	return w->ops && w->ops->input ? w->ops->input(w, in, ctx) : false;
}

bool ui_group_input(struct ui_group *g, const struct ui_input *in, struct ui_ctx *ctx)
{
	switch (in->kind) {
	case UI_IN_DOWN:
		for (int i = g->n - 1; i >= 0; i--) {
			struct ui_widget *w = g->w[i];
			if (!usable(w) || (w->flags & UI_W_INERT) || !ui_in_rect(w->r, in->x, in->y))
				continue;
			g->grab = i;
			g->focus_visible = false;
			if (w->flags & UI_W_FOCUSABLE)
				ui_group_focus(g, w);
			ctx->dirty = true;
			send(w, in, ctx);
			return true;
		}
		return false;
	case UI_IN_MOVE:
	case UI_IN_UP:
	case UI_IN_CANCEL:
		if (g->grab < 0 || g->grab >= g->n)
			return false;
		{
			struct ui_widget *w = g->w[g->grab];
			if (in->kind != UI_IN_MOVE)
				g->grab = -1;
			return send(w, in, ctx);
		}
	case UI_IN_WHEEL:
		for (int i = g->n - 1; i >= 0; i--)
			if (usable(g->w[i]) && ui_in_rect(g->w[i]->r, in->x, in->y) && send(g->w[i], in, ctx))
				return true;
		return false;
	case UI_IN_KEY:
		if (in->key == UI_KEY_TAB || in->key == UI_KEY_BACKTAB) {
			g->focus_visible = true;
			ui_group_focus_step(g, in->key == UI_KEY_TAB ? 1 : -1);
			ctx->dirty = true;
			return g->focus >= 0;
		}
		/* other keys go to the focused widget */
		__attribute__((fallthrough));
	case UI_IN_TEXT: {
		struct ui_widget *f = ui_group_focused(g);
		if (!f || !usable(f))
			return false;
		if (in->kind == UI_IN_KEY)
			g->focus_visible = true;
		return send(f, in, ctx);
	}
	}
	return false;
}

void ui_draw_focus(struct ui_ctx *ctx, const struct ui_widget *w, bool visible)
{
	if (!visible || !(w->flags & UI_W_FOCUSED))
		return;
	int b = ctx->th.border;
	SDL_Rect r = {w->r.x - 2 * b, w->r.y - 2 * b, w->r.w + 4 * b, w->r.h + 4 * b};
	ui_stroke_round(ctx, r, ctx->th.radius + 2 * b, b, ctx->th.focus);
}

static enum ui_key map_key(SDL_Keycode k, Uint16 mod)
{
	switch (k) {
	case SDLK_TAB:
		return (mod & KMOD_SHIFT) ? UI_KEY_BACKTAB : UI_KEY_TAB;
	case SDLK_RETURN:
	case SDLK_KP_ENTER:
		return UI_KEY_ENTER;
	case SDLK_BACKSPACE:
		return UI_KEY_BACKSPACE;
	case SDLK_ESCAPE:
		return UI_KEY_ESCAPE;
	case SDLK_LEFT:
		return UI_KEY_LEFT;
	case SDLK_RIGHT:
		return UI_KEY_RIGHT;
	case SDLK_UP:
		return UI_KEY_UP;
	case SDLK_DOWN:
		return UI_KEY_DOWN;
	case SDLK_SPACE:
		return UI_KEY_SPACE;
	case SDLK_PAGEUP:
		return UI_KEY_PAGEUP;
	case SDLK_PAGEDOWN:
		return UI_KEY_PAGEDOWN;
	default:
		return UI_KEY_NONE;
	}
}

bool ui_input_from_sdl(const SDL_Event *ev, int w, int h, struct ui_input *in)
{
	memset(in, 0, sizeof *in);
	switch (ev->type) {
	case SDL_FINGERDOWN:
	case SDL_FINGERMOTION:
	case SDL_FINGERUP:
		in->kind = ev->type == SDL_FINGERDOWN ? UI_IN_DOWN
		           : ev->type == SDL_FINGERUP ? UI_IN_UP : UI_IN_MOVE;
		in->x = (int)(ev->tfinger.x * (float)w);
		in->y = (int)(ev->tfinger.y * (float)h);
		return true;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
			return false;
		in->kind = ev->type == SDL_MOUSEBUTTONDOWN ? UI_IN_DOWN : UI_IN_UP;
		in->x = ev->button.x;
		in->y = ev->button.y;
		return true;
	case SDL_MOUSEMOTION:
		if (ev->motion.which == SDL_TOUCH_MOUSEID || !(ev->motion.state & SDL_BUTTON_LMASK))
			return false;
		in->kind = UI_IN_MOVE;
		in->x = ev->motion.x;
		in->y = ev->motion.y;
		return true;
	case SDL_MOUSEWHEEL: {
		in->kind = UI_IN_WHEEL;
		in->wheel = ev->wheel.y;
		SDL_GetMouseState(&in->x, &in->y);
		return in->wheel != 0;
	}
	case SDL_KEYDOWN:
		in->kind = UI_IN_KEY;
		in->key = map_key(ev->key.keysym.sym, ev->key.keysym.mod);
		return in->key != UI_KEY_NONE;
	case SDL_TEXTINPUT:
		in->kind = UI_IN_TEXT;
		snprintf(in->text, sizeof in->text, "%s", ev->text.text);
		return in->text[0] != 0;
	default:
		return false;
	}
}
