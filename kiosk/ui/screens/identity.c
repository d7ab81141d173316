/* identity.c — the identity traits the national identity rules ask for (birth name,
 * first names, date of birth, sex, place of birth) plus the optional INS/NIR and a
 * phone number. Touching a text field opens a panel in the body area: the field, a
 * hint and the on-screen keyboard (AZERTY in French, QWERTY in English) for names
 * and the place of birth (with the commune or country search list), the number pad
 * for the date, the NIR and the phone number (grouped as typed). The done key says
 * "Next" and moves on where another field follows (birth name -> first names ->
 * date; NIR -> phone), "Back" closes the panel. The NIR starts with what the other
 * traits give (sex, year and month of birth, INSEE place code): the patient types
 * the order number and the key. Issue 16: fewer taps. The validators' messages show
 * under each field. */
#include <stdio.h>
#include <string.h>

#include "kiosk/ui/i18n.h"
#include "kiosk/ui/keyboard.h"
#include "kiosk/ui/label.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/list.h"
#include "kiosk/ui/numpad.h"
#include "kiosk/ui/button.h"
#include "kiosk/ui/radio.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/textfield.h"

enum { ACT_FIELD = CAB_ACT_SCREEN_BASE, ACT_CHANGED, ACT_KBD_DONE, ACT_PICK, ACT_SEX, ACT_ABROAD,
       ACT_ENTER, ACT_EDIT_BACK };

/* Text fields, indexed by enum cab_id_field. */
static struct ui_textfield tf[8];
static struct ui_label lbl[8], sex_err, edit_title, edit_hint;
static struct ui_radio sex, abroad;
static struct ui_keyboard kbd;
static struct ui_numpad pad;
static struct ui_button edit_back;
static struct ui_list results;
static int editing = -1; /* field shown above the keyboard, -1: none */
static bool nir_prefilled; /* the NIR's start came from the other traits: say so */

/* The field the done key moves to from each field; 0: it closes the panel. */
static const int next_field[8] = {
    [CAB_FIELD_BIRTH_NAME] = CAB_FIELD_FIRST_NAMES,
    [CAB_FIELD_FIRST_NAMES] = CAB_FIELD_BIRTH_DATE,
    [CAB_FIELD_INS] = CAB_FIELD_PHONE,
};

static bool digit_field(int f)
{
	return f == CAB_FIELD_BIRTH_DATE || f == CAB_FIELD_INS || f == CAB_FIELD_PHONE;
}

static const char *const labels[8] = {
    NULL,
    N_("Birth name"),
    N_("First names (all, in order)"),
    N_("Date of birth"),
    N_("Sex"),
    N_("Place of birth"),
    N_("Social security number (optional)"),
    N_("Phone number to call you back"),
};

/* Starts an empty NIR with what the other traits give (INSEE NIR structure: sex 1/2,
 * year and month of birth, department and commune of birth, or 99 and the country
 * code for a birth abroad): the patient then types the order number and the key.
 * Nothing is filled unless sex, a full date and a chosen place are there. */
static void prefill_nir(struct cab_view *v)
{
	struct cab_id_form *f = &v->form;
	const char *d = f->birth_date;
	if (f->nir[0] || f->sex < 0 || strlen(d) != 10 || d[2] != '/' || d[5] != '/' || strlen(f->place_code) != 5)
		return;
	char raw[16];
	snprintf(raw, sizeof raw, "%c%c%c%c%c%s", f->sex == 1 ? '1' : '2', d[8], d[9], d[3], d[4], f->place_code);
	nir_prefilled = ui_textfield_insert(&tf[CAB_FIELD_INS], raw) > 0;
}

static void row_text(void *user, int i, char *buf, size_t size)
{
	struct cab_view *v = user;
	const struct cab_place *p = i < v->form.n_results ? v->form.results[i] : NULL;
	if (!p)
		buf[0] = 0;
	else if (p->type == CAB_PLACE_TYPE_COUNTRY && p->other && !strcmp(ui_i18n_lang(), "en"))
		snprintf(buf, size, "%s (%s)", p->other, p->name); /* "United Kingdom (Royaume-Uni)" */
	else if (p->type == CAB_PLACE_TYPE_COUNTRY)
		snprintf(buf, size, "%s", p->name);
	else
		snprintf(buf, size, "%s (%s)", p->name, p->dept);
}

/* Searches the places for the typed text. The chosen code is dropped only when the
 * patient edits the text (CLEAR_CHOICE), not when the field is merely reopened. */
static void search(struct cab_view *v, bool clear_choice)
{
	struct cab_id_form *f = &v->form;
	f->n_results = 0;
	if (clear_choice)
		f->place_code[0] = 0;
	if (!v->places || !f->place_query[0])
		return;
	size_t n = cab_places_search(v->places, f->place_query,
	                             f->abroad == 1 ? CAB_PLACES_COUNTRIES : CAB_PLACES_COMMUNES,
	                             f->results, CAB_PLACE_RESULTS);
	f->n_results = n > CAB_PLACE_RESULTS ? CAB_PLACE_RESULTS : (int)n;
}

/* Texts and errors that follow the view (every layout). */
static void refresh(struct cab_view *v)
{
	struct cab_id_form *f = &v->form;
	tf[CAB_FIELD_BIRTHPLACE].placeholder =
	    f->abroad == 1 ? N_("Type the country") : N_("Type the commune");
	for (int i = 1; i < 8; i++)
		if (tf[i].buf)
			tf[i].error = f->err[i];
	sex.error = f->err[CAB_FIELD_SEX] != NULL;
	sex_err.text = f->err[CAB_FIELD_SEX];
	results.count = f->n_results;
	results.empty = f->place_query[0] ? N_("No match: check the spelling") : N_("Start typing the name");
}

/* Sets every widget up and binds the fields to V's form (on entering the screen:
 * widgets keep their pressed, shift and scroll state between layouts). */
static void bind(struct cab_view *v)
{
	struct cab_id_form *f = &v->form;
	ui_textfield_init(&tf[CAB_FIELD_BIRTH_NAME], f->birth_name, sizeof f->birth_name, UI_TF_NAME, ACT_FIELD, CAB_FIELD_BIRTH_NAME);
	ui_textfield_init(&tf[CAB_FIELD_FIRST_NAMES], f->first_names, sizeof f->first_names, UI_TF_NAME, ACT_FIELD, CAB_FIELD_FIRST_NAMES);
	ui_textfield_init(&tf[CAB_FIELD_BIRTH_DATE], f->birth_date, sizeof f->birth_date, UI_TF_DATE, ACT_FIELD, CAB_FIELD_BIRTH_DATE);
	ui_textfield_init(&tf[CAB_FIELD_BIRTHPLACE], f->place_query, sizeof f->place_query, UI_TF_NAME, ACT_FIELD, CAB_FIELD_BIRTHPLACE);
	ui_textfield_init(&tf[CAB_FIELD_INS], f->nir, sizeof f->nir, UI_TF_NIR, ACT_FIELD, CAB_FIELD_INS);
	ui_textfield_init(&tf[CAB_FIELD_PHONE], f->phone, sizeof f->phone, UI_TF_PHONE, ACT_FIELD, CAB_FIELD_PHONE);
	static const char *const names[8] = {NULL, "birth_name", "first_names", "birth_date", NULL,
	                                     "place", "nir", "phone"};
	for (int i = 1; i < 8; i++)
		tf[i].w.name = names[i];
	tf[CAB_FIELD_BIRTH_DATE].placeholder = N_("DD/MM/YYYY");
	tf[CAB_FIELD_INS].placeholder = N_("15 digits, on your Carte Vitale");
	tf[CAB_FIELD_PHONE].placeholder = N_("e.g. 06 12 34 56 78");
	tf[CAB_FIELD_BIRTHPLACE].placeholder =
	    f->abroad == 1 ? N_("Type the country") : N_("Type the commune");
	tf[CAB_FIELD_BIRTHPLACE].change_action = ACT_CHANGED;
	tf[CAB_FIELD_BIRTH_NAME].caps = true; /* birth names are written in capitals */
	for (int i = 1; i < 8; i++) {
		ui_label_init(&lbl[i], labels[i], UI_T_SMALL);
		lbl[i].role = UI_T_BODY_BOLD;
		if (tf[i].buf) {
			tf[i].error = f->err[i];
			tf[i].enter_action = ACT_ENTER; /* a physical Enter closes the panel */
		}
	}
	ui_radio_init(&sex, &f->sex, ACT_SEX);
	ui_radio_add(&sex, N_("Female"));
	ui_radio_add(&sex, N_("Male"));
	sex.error = f->err[CAB_FIELD_SEX] != NULL;
	ui_radio_init(&abroad, &f->abroad, ACT_ABROAD);
	ui_radio_add(&abroad, N_("In France"));
	ui_radio_add(&abroad, N_("Abroad"));
	ui_label_init(&sex_err, f->err[CAB_FIELD_SEX], UI_T_SMALL);
	sex_err.role = UI_T_SMALL_BOLD;
	sex_err.color = (struct ui_rgba){176, 0, 32, 255};
	sex.w.name = "radio:sex";
	abroad.w.name = "radio:abroad";
	ui_keyboard_init(&kbd, ACT_KBD_DONE);
	kbd.w.name = "keyboard";
	ui_numpad_init(&pad, ACT_KBD_DONE);
	pad.w.name = "numpad";
	ui_button_init(&edit_back, N_("Back"), UI_BTN_SECONDARY, ACT_EDIT_BACK, 0);
	edit_back.w.name = "edit_back";
	ui_list_init(&results, row_text, v, ACT_PICK);
	results.w.name = "list:results";
	results.count = f->n_results;
	results.empty = f->place_query[0] ? N_("No match: check the spelling") : N_("Start typing the name");
}

/* Room kept under the fields for their error messages: two lines under every field
 * when the form has room for it, else only under the fields showing one (large text
 * at 1280x800: the form must fit, issue 16). */
static bool compact_errors;

static int err_room(struct ui_ctx *ctx, bool has_error)
{
	return !compact_errors || has_error ? ui_textfield_error_h(ctx) : 0;
}

/* Places one labelled row: label, control of height CH, then room for an error. */
static SDL_Rect row(struct ui_ctx *ctx, SDL_Rect *col, struct ui_label *l, int ch, int min_lh, bool err)
{
	const struct ui_theme *t = &ctx->th;
	int lh = ui_label_height(l, ctx, col->w);
	if (lh < min_lh) /* side-by-side rows keep their fields level */
		lh = min_lh;
	l->w.r = ui_cut_top(col, lh, t->border);
	SDL_Rect c = ui_cut_top(col, ch, 0);
	ui_cut_top(col, err_room(ctx, err), t->gap / 2);
	return c;
}

static int row_h(struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	return TTF_FontLineSkip(ui_font(ctx, UI_BOLD, t->fs_body)) + t->border + t->field_h +
	       ui_textfield_error_h(ctx) + t->gap / 2;
}

static void layout_form(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	(void)v;
	SDL_Rect left = body, right = body;
	if (!t->portrait) {
		SDL_Rect cols[2];
		ui_columns(body, 2, t->pad, cols);
		left = cols[0];
		right = cols[1];
	}
	/* the rows take their natural height; spread any spare height evenly */
	int rows = t->portrait ? 6 : 3;
	int need = rows * row_h(ctx) + t->field_h + t->gap / 2;
	/* the date's label may wrap beside the sex choice: one more line */
	compact_errors = need + TTF_FontLineSkip(ui_font(ctx, UI_BOLD, t->fs_body)) > left.h;
	int spare = (left.h - need) / (rows + 1);
	if (spare > t->gap)
		spare = t->gap;
	if (spare < 0)
		spare = 0;
	tf[CAB_FIELD_BIRTH_NAME].w.r = row(ctx, &left, &lbl[CAB_FIELD_BIRTH_NAME], t->field_h, 0, tf[CAB_FIELD_BIRTH_NAME].error);
	left.y += spare, left.h -= spare;
	tf[CAB_FIELD_FIRST_NAMES].w.r = row(ctx, &left, &lbl[CAB_FIELD_FIRST_NAMES], t->field_h, 0, tf[CAB_FIELD_FIRST_NAMES].error);
	left.y += spare, left.h -= spare;
	SDL_Rect dcol = left, scol = left;
	dcol.w = (left.w - t->gap) * 2 / 5;
	int dw = 0, dh = 0; /* the date field needs no more than its widest date */
	ui_text_size(ctx, ui_font(ctx, UI_REGULAR, t->fs_body), "00/00/00000", &dw, &dh);
	if (dw + 2 * t->gap < dcol.w)
		dcol.w = dw + 2 * t->gap;
	scol.x = dcol.x + dcol.w + t->gap;
	scol.w = left.x + left.w - scol.x;
	int pair_lh = ui_label_height(&lbl[CAB_FIELD_BIRTH_DATE], ctx, dcol.w);
	if (ui_label_height(&lbl[CAB_FIELD_SEX], ctx, scol.w) > pair_lh)
		pair_lh = ui_label_height(&lbl[CAB_FIELD_SEX], ctx, scol.w);
	tf[CAB_FIELD_BIRTH_DATE].w.r = row(ctx, &dcol, &lbl[CAB_FIELD_BIRTH_DATE], t->field_h, pair_lh,
	                                   tf[CAB_FIELD_BIRTH_DATE].error || sex_err.text);
	sex.w.r = row(ctx, &scol, &lbl[CAB_FIELD_SEX], t->field_h, pair_lh, tf[CAB_FIELD_BIRTH_DATE].error || sex_err.text);
	sex_err.w.r = (SDL_Rect){sex.w.r.x, sex.w.r.y + sex.w.r.h + t->border, sex.w.r.w, ui_textfield_error_h(ctx)};
	left.y = dcol.y + spare;
	left.h = body.y + body.h - left.y;
	if (!t->portrait)
		left = right;
	int lh = ui_label_height(&lbl[CAB_FIELD_BIRTHPLACE], ctx, left.w);
	lbl[CAB_FIELD_BIRTHPLACE].w.r = ui_cut_top(&left, lh, t->border);
	abroad.w.r = ui_cut_top(&left, t->field_h, t->gap / 2);
	tf[CAB_FIELD_BIRTHPLACE].w.r = ui_cut_top(&left, t->field_h, 0);
	ui_cut_top(&left, err_room(ctx, tf[CAB_FIELD_BIRTHPLACE].error), t->gap / 2);
	left.y += spare, left.h -= spare;
	tf[CAB_FIELD_INS].w.r = row(ctx, &left, &lbl[CAB_FIELD_INS], t->field_h, 0, tf[CAB_FIELD_INS].error);
	left.y += spare, left.h -= spare;
	tf[CAB_FIELD_PHONE].w.r = row(ctx, &left, &lbl[CAB_FIELD_PHONE], t->field_h, 0, tf[CAB_FIELD_PHONE].error);
	static const int order[] = {CAB_FIELD_BIRTH_NAME, CAB_FIELD_FIRST_NAMES, CAB_FIELD_BIRTH_DATE,
	                            CAB_FIELD_SEX, CAB_FIELD_BIRTHPLACE, CAB_FIELD_INS, CAB_FIELD_PHONE};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		int f = order[i];
		ui_group_add(g, &lbl[f].w);
		if (f == CAB_FIELD_SEX) {
			ui_group_add(g, &sex.w);
			if (sex_err.text)
				ui_group_add(g, &sex_err.w);
		} else if (f == CAB_FIELD_BIRTHPLACE) {
			ui_group_add(g, &abroad.w);
			ui_group_add(g, &tf[f].w);
		} else {
			ui_group_add(g, &tf[f].w);
		}
	}
}

static void layout_edit(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	const struct ui_theme *t = &ctx->th;
	(void)v;
	bool digits = digit_field(editing);
	const char *done = next_field[editing] ? N_("Next") : N_("OK");
	SDL_Rect all = {0, body.y, t->w, body.h + t->pad};
	if (digits) {
		pad.target = &tf[editing];
		pad.extra[0] = editing == CAB_FIELD_PHONE ? "+" : editing == CAB_FIELD_INS ? "A" : NULL;
		pad.extra[1] = editing == CAB_FIELD_INS ? "B" : NULL;
		pad.done_label = done;
		pad.w.r = ui_cut_bottom(&all, ui_numpad_pref_h(ctx), t->gap);
		ui_numpad_layout(&pad, ctx);
	} else {
		kbd.target = &tf[editing];
		kbd.layout = strcmp(ui_i18n_lang(), "en") ? UI_KBD_AZERTY : UI_KBD_QWERTY;
		kbd.done_label = done;
		kbd.w.r = ui_cut_bottom(&all, ui_keyboard_pref_h(ctx, body.w), t->gap);
		ui_keyboard_layout(&kbd, ctx);
	}
	SDL_Rect b = all;
	b.x = body.x;
	b.w = body.w;
	ui_label_init(&edit_title, labels[editing], UI_T_H2);
	/* Back on the left of the field's name */
	int bw = ui_button_pref_w(&edit_back, ctx);
	SDL_Rect top = ui_cut_top(&b, t->target * 5 / 4, t->gap / 2);
	edit_back.w.r = ui_cut_left(&top, bw, t->gap);
	edit_title.w.r = top;
	ui_group_add(g, &edit_back.w);
	if (editing == CAB_FIELD_BIRTHPLACE) {
		/* field and list side by side in landscape, stacked in portrait */
		SDL_Rect fieldcol = b, listcol = b;
		if (!t->portrait) {
			SDL_Rect c[2];
			ui_columns(b, 2, t->gap, c);
			fieldcol = c[0];
			listcol = c[1];
		}
		tf[editing].w.r = ui_cut_top(&fieldcol, t->field_h, t->fs_small * 2);
		ui_label_init(&edit_hint, v->form.abroad == 1
		                              ? N_("Type the first letters of the country, then touch it in the list.")
		                              : N_("Type the first letters of the commune, then touch it in the list. "
		                                   "For Paris, Lyon and Marseille, choose the arrondissement."),
		              UI_T_BODY);
		edit_hint.color = t->ink_soft;
		if (t->portrait) {
			int hh = ui_label_height(&edit_hint, ctx, fieldcol.w);
			edit_hint.w.r = ui_cut_top(&fieldcol, hh, t->gap);
			listcol = fieldcol;
		} else {
			edit_hint.w.r = fieldcol;
		}
		results.w.r = listcol;
		results.count = v->form.n_results;
		ui_group_add(g, &edit_title.w);
		ui_group_add(g, &tf[editing].w);
		ui_group_add(g, &edit_hint.w);
		ui_group_add(g, &results.w);
	} else {
		tf[editing].w.r = ui_cut_top(&b, t->field_h, t->fs_small * 2);
		ui_label_init(&edit_hint,
		              editing == CAB_FIELD_BIRTH_DATE ? N_("For example 14/07/1985.")
		              : editing == CAB_FIELD_INS && nir_prefilled
		                  ? N_("The start comes from your birth details: check it against your Carte Vitale, then type the last 5 digits. You may leave it empty.")
		              : editing == CAB_FIELD_INS ? N_("13 digits and a 2-digit key, as on your Carte Vitale. You may leave it empty.")
		              : editing == CAB_FIELD_PHONE ? N_("A French mobile or landline, or +country code for a foreign number.")
		              : N_("As written on your identity document, with accents and hyphens."),
		              UI_T_BODY);
		edit_hint.color = t->ink_soft;
		edit_hint.w.r = b;
		ui_group_add(g, &edit_title.w);
		ui_group_add(g, &tf[editing].w);
		ui_group_add(g, &edit_hint.w);
	}
	ui_group_add(g, digits ? &pad.w : &kbd.w);
	ui_group_focus(g, &tf[editing].w);
}

static struct cab_view *bound; /* the view the widgets are bound to */

static void layout(struct ui_ctx *ctx, struct cab_view *v, struct ui_group *g, SDL_Rect body)
{
	if (bound != v) {
		bind(v);
		bound = v;
	}
	refresh(v);
	for (int i = 1; i < 8; i++) /* only the field being typed into shows a caret */
		tf[i].w.flags &= ~(unsigned)UI_W_FOCUSED;
	if (editing > 0)
		layout_edit(ctx, v, g, body);
	else
		layout_form(ctx, v, g, body);
}

static void draw(struct ui_ctx *ctx, struct cab_view *v)
{
	(void)v;
	if (editing > 0) { /* the keyboard panel covers the body */
		const struct ui_theme *t = &ctx->th;
		SDL_Rect r = {0, t->header_h, t->w, t->h - t->header_h};
		ui_fill_rect(ctx, r, t->bg);
	}
}

static int action(struct ui_ctx *ctx, struct cab_view *v, int act, int arg)
{
	(void)ctx;
	struct cab_id_form *f = &v->form;
	switch (act) {
	case ACT_FIELD:
		editing = arg;
		if (arg == CAB_FIELD_INS)
			prefill_nir(v);
		if (arg > 0 && arg < 8)
			f->err[arg] = NULL; /* the patient is fixing it */
		if (arg == CAB_FIELD_BIRTHPLACE && f->abroad < 0)
			f->abroad = 0;
		if (arg == CAB_FIELD_BIRTHPLACE) {
			results.scroll = 0;
			results.selected = -1;
			search(v, false);
		}
		break;
	case ACT_CHANGED:
		results.scroll = 0;
		results.selected = -1;
		search(v, true);
		break;
	case ACT_PICK:
		if (arg >= 0 && arg < f->n_results) {
			const struct cab_place *p = f->results[arg];
			snprintf(f->place_query, sizeof f->place_query, "%s", p->name);
			snprintf(f->place_code, sizeof f->place_code, "%s", p->code);
			f->err[CAB_FIELD_BIRTHPLACE] = NULL;
			editing = -1;
		}
		break;
	case ACT_KBD_DONE: /* the screen's done key: on to the next field, or close */
		editing = editing > 0 && editing < 8 && next_field[editing] ? next_field[editing] : -1;
		if (editing > 0)
			f->err[editing] = NULL;
		if (editing == CAB_FIELD_INS)
			prefill_nir(v);
		break;
	case ACT_ENTER:
	case ACT_EDIT_BACK:
		editing = -1;
		break;
	case ACT_SEX:
		f->err[CAB_FIELD_SEX] = NULL;
		break;
	case ACT_ABROAD:
		f->place_query[0] = 0;
		f->place_code[0] = 0;
		f->n_results = 0;
		break;
	default:
		break;
	}
	return CAB_ACT_NONE;
}

/* Escape closes the keyboard panel (physical keyboards, service use). */
static bool input(struct ui_ctx *ctx, struct cab_view *v, const struct ui_input *in)
{
	(void)v;
	if (editing > 0 && in->kind == UI_IN_KEY && in->key == UI_KEY_ESCAPE) {
		editing = -1;
		ctx->dirty = true;
		return true;
	}
	return false;
}

static bool footer_hidden(const struct cab_view *v)
{
	(void)v;
	return editing > 0;
}

static void enter(struct cab_view *v)
{
	editing = -1;
	nir_prefilled = false;
	bind(v);
	bound = v;
}

void cab_screen_identity_edit(struct cab_view *v, int field)
{
	if (bound != v) {
		bind(v);
		bound = v;
	}
	editing = field;
	if (field == CAB_FIELD_BIRTHPLACE)
		search(v, false);
}

const struct cab_screen cab_screen_identity = {
    .name = "identity", .say = N_("Enter your identity. Touch a field to type."),
    .title = N_("Who are you?"),
    .chrome = CAB_CHROME_STOP | CAB_CHROME_BACK | CAB_CHROME_NEXT,
    .layout = layout,
    .draw = draw,
    .action = action,
    .input = input,
    .footer_hidden = footer_hidden,
    .enter = enter,
};
