/* uimap.c — the widget map: where each touchable widget is, for screen tests and
 * accessibility tools (see cab_stage_write_map in stage.h). */
#include <stdio.h>
#include <string.h>

#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/list.h"
#include "kiosk/ui/numpad.h"
#include "kiosk/ui/radio.h"
#include "kiosk/ui/stage.h"

static void line(FILE *fp, const char *name, SDL_Rect r, bool on)
{
	fprintf(fp, "%s %d %d %d %d %d\n", name, r.x, r.y, r.w, r.h, on ? 1 : 0);
}

static void group(FILE *fp, struct ui_group *g, struct ui_ctx *ctx)
{
	for (int i = 0; i < g->n; i++) {
		struct ui_widget *w = g->w[i];
		if (!w->name || (w->flags & UI_W_HIDDEN))
			continue;
		bool on = !(w->flags & UI_W_DISABLED);
		char n[96];
		if (!strcmp(w->name, "@radio")) {
			continue;
		} else if (!strncmp(w->name, "radio:", 6)) {
			struct ui_radio *r = (struct ui_radio *)w;
			for (int k = 0; k < r->n; k++) {
				snprintf(n, sizeof n, "%s/%d", w->name + 6, k);
				line(fp, n, ui_radio_option_rect(r, k, ctx->th.gap / 2), on);
			}
		} else if (!strcmp(w->name, "keyboard")) {
			struct ui_keyboard *k = (struct ui_keyboard *)w;
			/* keys by what they type on the layer shown (key/= on the symbols layer) */
			for (int j = 0; j < ui_kbd_key_count; j++) {
				if (k->keys[j].w <= 0)
					continue;
				const struct ui_kbd_key *key = &ui_kbd_table(k->layout)[j];
				enum ui_kbd_kind kind = key->kind;
				const char *t = kind == UI_KBD_CHAR      ? (k->symbols ? key->sym : key->lower)
				                : kind == UI_KBD_SPACE   ? "space"
				                : kind == UI_KBD_DONE    ? "ok"
				                : kind == UI_KBD_SHIFT   ? "shift"
				                : kind == UI_KBD_SYMBOLS ? "symbols"
				                                         : "backspace";
				snprintf(n, sizeof n, "key/%s", t);
				line(fp, n, k->keys[j], on);
			}
		} else if (!strcmp(w->name, "numpad")) {
			struct ui_numpad *p = (struct ui_numpad *)w;
			for (int j = 0; j < UI_PAD_KEYS; j++) {
				if (p->keys[j].w <= 0)
					continue;
				snprintf(n, sizeof n, "pad/%s", ui_numpad_key_name(p, j));
				line(fp, n, p->keys[j], on);
			}
		} else if (!strncmp(w->name, "list:", 5)) {
			struct ui_list *l = (struct ui_list *)w;
			int rh = ui_list_row_h(l, ctx);
			line(fp, w->name + 5, w->r, on);
			for (int j = 0; j < l->count && j * rh - l->scroll < w->r.h; j++) {
				int y = w->r.y + j * rh - l->scroll;
				if (y + rh <= w->r.y)
					continue;
				snprintf(n, sizeof n, "%s/%d", w->name + 5, j);
				line(fp, n, (SDL_Rect){w->r.x, y, w->r.w, rh}, on);
			}
		} else {
			/* names may hold spaces (button msgids): write them with '_' */
			snprintf(n, sizeof n, "%s", w->name);
			for (char *p = n; *p; p++)
				if (*p == ' ')
					*p = '_';
			line(fp, n, w->r, on);
		}
	}
}

int ui_group_write_map(struct ui_group *g, struct ui_ctx *ctx, const char *screen,
                       const char *extra, const char *path)
{
	char tmp[1100];
	snprintf(tmp, sizeof tmp, "%.1000s.tmp", path);
	FILE *fp = fopen(tmp, "w");
	if (!fp)
		return -1;
	fprintf(fp, "# screen %s dialog 0\n", screen);
	group(fp, g, ctx);
	if (extra)
		fputs(extra, fp);
	if (fclose(fp) != 0)
		return -1;
	return rename(tmp, path);
}

int cab_stage_write_map(struct cab_stage *st, struct ui_ctx *ctx, const char *path)
{
	char tmp[1100];
	snprintf(tmp, sizeof tmp, "%.1000s.tmp", path);
	FILE *fp = fopen(tmp, "w");
	if (!fp)
		return -1;
	fprintf(fp, "# screen %s dialog %d\n", st->scr ? st->scr->name : "none", st->dlg_kind);
	if (st->dlg_kind)
		group(fp, &st->dlg.g, ctx);
	else
		group(fp, &st->g, ctx);
	if (fclose(fp) != 0)
		return -1;
	return rename(tmp, path);
}
