/* layer.c — the staff layer: routing, gestures, the pharmacist's PIN pad and
 * overlay, and the cleaning screen (see svc_ui.h). The technician's parts are in
 * menu.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/service/ui/svc_internal.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/screen.h"

static const char *const action_label[CAB_PHARM_ACTIONS] = {
    N_("Start a session"),
    N_("Cancel the session"),
    N_("Redo a measurement"),
    N_("Skip a measurement"),
    N_("Help with identity"),
    N_("Instruments"),
    N_("Link"),
    N_("Identity card checked"),
    N_("Passport checked"),
    N_("Residence permit checked"),
};

/* --- the pharmacist's actions on the flow and the view ---------------------- */

static bool measuring(enum cab_flow_state s)
{
	return s == CAB_FLOW_WAITING_ROOM || s == CAB_FLOW_CONSULTATION;
}

static int perform(void *user, enum cab_pharm_action a, int arg)
{
	struct cab_svc_ui *s = user;
	struct cab_flow *f = s->cfg.flow;
	struct cab_view *v = s->cfg.view;
	enum cab_flow_state st = f ? cab_flow_state(f) : CAB_FLOW_ATTRACT;
	(void)arg;
	switch (a) {
	case CAB_PHARM_START_SESSION:
		if (!f || st != CAB_FLOW_ATTRACT || s->cleaning.active)
			return -EBUSY;
		return cab_flow_handle(f, CAB_EV_START) == CAB_FLOW_HANDLED ? 0 : -EBUSY;
	case CAB_PHARM_CANCEL_SESSION:
		if (!f || st == CAB_FLOW_ATTRACT || st == CAB_FLOW_WIPE)
			return -EBUSY;
		return cab_flow_handle(f, CAB_EV_ABORT) == CAB_FLOW_HANDLED ? 0 : -EBUSY;
	case CAB_PHARM_REDO_MEASUREMENT: /* the last measured tile waits for a new reading */
		if (!v || !measuring(st))
			return -EBUSY;
		for (int i = CAB_VIEW_INSTRUMENTS - 1; i >= 0; i--)
			if (v->instruments[i].state == CAB_TILE_OK ||
			    v->instruments[i].state == CAB_TILE_FAILED) {
				v->instruments[i].state = CAB_TILE_IDLE;
				v->instruments[i].detail[0] = '\0';
				if (s->cfg.measure && s->cfg.measure(s->cfg.measure_user, i) < 0)
					return -EIO;
				return 0;
			}
		return -ENOENT;
	case CAB_PHARM_SKIP_MEASUREMENT: /* the first tile still to measure is skipped */
		if (!v || !measuring(st))
			return -EBUSY;
		for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++)
			if (v->instruments[i].name &&
			    (v->instruments[i].state == CAB_TILE_IDLE ||
			     v->instruments[i].state == CAB_TILE_BUSY ||
			     v->instruments[i].state == CAB_TILE_FAILED)) {
				v->instruments[i].state = CAB_TILE_ABSENT;
				snprintf(v->instruments[i].detail, sizeof v->instruments[i].detail,
				         "%s", _("skipped by the pharmacist"));
				return 0;
			}
		return -ENOENT;
	case CAB_PHARM_HELP_IDENTITY:
		if (!v || st != CAB_FLOW_IDENTITY)
			return -EBUSY;
		return 0; /* the overlay closes; the pharmacist types on the identity screen */
	case CAB_PHARM_SHOW_INSTRUMENTS:
	case CAB_PHARM_SHOW_LINK:
		return 0;
	case CAB_PHARM_ID_CARD_CHECKED: /* the identity sent again, validated (VALI) */
	case CAB_PHARM_PASSPORT_CHECKED:
	case CAB_PHARM_PERMIT_CHECKED:
		if (!s->cfg.identity_checked || st < CAB_FLOW_CHECKS || st > CAB_FLOW_SUMMARY)
			return -EBUSY;
		return s->cfg.identity_checked(s->cfg.identity_user,
		                               a == CAB_PHARM_ID_CARD_CHECKED    ? "CN"
		                               : a == CAB_PHARM_PASSPORT_CHECKED ? "PA"
		                                                                 : "CS");
	case CAB_PHARM_ACTIONS:
		break;
	}
	return -EINVAL;
}

/* --- set-up ------------------------------------------------------------------ */

void cab_svc_ui_init(struct cab_svc_ui *s, const struct cab_svc_ui_config *cfg)
{
	memset(s, 0, sizeof *s);
	s->cfg = *cfg;
	struct cab_pharm_actions acts = {perform, s};
	cab_pharm_init(&s->pharm, cfg->creds, NULL, &cfg->audit, &acts);
	cab_cleaning_init(&s->cleaning, cfg->creds, cfg->cleaning_max_ms, NULL, &cfg->audit);
	s->o_info = -1;
	cab_bt_worker_init(&s->bt);
}

bool cab_svc_ui_modal(const struct cab_svc_ui *s)
{
	return s->mode != SVC_NONE;
}

enum cab_key_screen cab_svc_ui_key_screen(const struct cab_svc_ui *s)
{
	return s->mode == SVC_NONE ? CAB_KEYS_PATIENT : CAB_KEYS_STAFF;
}

/* --- messages ------------------------------------------------------------------ */

void svc_auth_message(char *buf, size_t size, enum cab_auth_result r, int64_t wait_ms, bool pin)
{
	switch (r) {
	case CAB_AUTH_OK:
		buf[0] = '\0';
		break;
	case CAB_AUTH_WRONG:
		snprintf(buf, size, "%s",
		         pin ? _("Wrong PIN. Try again.") : _("Wrong password. Try again."));
		break;
	case CAB_AUTH_LOCKED: {
		int64_t s = (wait_ms + 999) / 1000;
		char t[64];
		if (s >= 60)
			snprintf(t, sizeof t, "%" PRId64 " min %02" PRId64 " s", s / 60, s % 60);
		else
			snprintf(t, sizeof t, "%" PRId64 " s", s);
		snprintf(buf, size, _("Too many wrong tries: locked for %s."), t);
		break;
	}
	case CAB_AUTH_NOT_SET:
		snprintf(buf, size, "%s",
		         pin ? _("No pharmacist PIN is set yet: the technician sets it in the "
		                 "service menu.")
		             : _("No technician password is set yet."));
		break;
	case CAB_AUTH_ERROR:
		snprintf(buf, size, "%s", _("The check failed. Please try again."));
		break;
	}
}

static void pad_message(struct cab_svc_ui *s, struct ui_ctx *ctx)
{
	s->pad.msg_color = ctx->th.error;
	svc_auth_message(s->pad.msg, sizeof s->pad.msg, s->pharm.last,
	                 s->pharm.last == CAB_AUTH_LOCKED
	                     ? s->pharm.locked_ms
	                     : cab_creds_locked_ms(s->cfg.creds, CAB_ROLE_PHARMACIST),
	                 true);
	if (!s->pad.msg[0] && cab_creds_locked_ms(s->cfg.creds, CAB_ROLE_PHARMACIST) > 0)
		svc_auth_message(s->pad.msg, sizeof s->pad.msg, CAB_AUTH_LOCKED,
		                 cab_creds_locked_ms(s->cfg.creds, CAB_ROLE_PHARMACIST), true);
	if (!s->pad.msg[0] && !cab_creds_is_set(s->cfg.creds, CAB_ROLE_PHARMACIST))
		svc_auth_message(s->pad.msg, sizeof s->pad.msg, CAB_AUTH_NOT_SET, 0, true);
}

/* --- opening -------------------------------------------------------------------- */

void cab_svc_ui_open_pharmacist(struct cab_svc_ui *s, int64_t now_ms)
{
	(void)now_ms;
	if (s->mode != SVC_NONE)
		return;
	cab_pharm_request(&s->pharm);
	svc_pinpad_init(&s->pad, N_("Pharmacist PIN"), true);
	s->mode = SVC_PHARM_PAD;
}

static void open_overlay(struct cab_svc_ui *s)
{
	s->mode = SVC_PHARM;
	s->o_info = -1;
	ui_group_clear(&s->og);
	ui_label_init(&s->o_title, N_("Pharmacist"), UI_T_H1);
	ui_label_init(&s->o_state, NULL, UI_T_BODY);
	s->o_state.raw = 1;
	ui_group_add(&s->og, &s->o_title.w);
	ui_group_add(&s->og, &s->o_state.w);
	for (int i = 0; i < CAB_PHARM_ACTIONS; i++) {
		ui_button_init(&s->o_btn[i], action_label[i],
		               i == CAB_PHARM_CANCEL_SESSION ? UI_BTN_DANGER : UI_BTN_SECONDARY,
		               SVC_ACT_PHARM_BASE + i, i);
		ui_group_add(&s->og, &s->o_btn[i].w);
	}
	ui_button_init(&s->o_btn[CAB_PHARM_ACTIONS], N_("Close"), UI_BTN_PRIMARY, SVC_ACT_CLOSE, 0);
	ui_group_add(&s->og, &s->o_btn[CAB_PHARM_ACTIONS].w);
}

/* --- cleaning ------------------------------------------------------------------- */

void cab_svc_ui_flow_observer(void *user, const struct cab_flow_transition *t)
{
	struct cab_svc_ui *s = user;
	if (t->from == CAB_FLOW_ATTRACT && t->to != CAB_FLOW_ATTRACT) {
		s->session_seen = true;
		const struct cab_session *ses = s->cfg.flow ? cab_flow_session(s->cfg.flow) : NULL;
		snprintf(s->session_id, sizeof s->session_id, "%s",
		         ses && ses->id[0] ? ses->id : "-");
	}
	if (t->to == CAB_FLOW_ATTRACT && t->from != CAB_FLOW_ATTRACT && s->session_seen) {
		s->session_seen = false;
		cab_cleaning_start(&s->cleaning, s->session_id);
		if (s->mode == SVC_PHARM || s->mode == SVC_PHARM_PAD)
			cab_pharm_close(&s->pharm);
		if (s->mode != SVC_TECH_MENU && s->mode != SVC_TECH_ENTRY) {
			s->mode = SVC_CLEANING;
			svc_pinpad_init(&s->pad, N_("Pharmacist: confirm with your PIN"), false);
			s->pharm.pin_len = 0;
		}
	}
}

static void cleaning_layout(struct cab_svc_ui *s, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	SDL_Rect all = {0, 0, t->w, t->h};
	SDL_Rect area = ui_inset(all, t->pad);
	SDL_Rect left = t->portrait ? ui_cut_top(&area, area.h / 3, t->gap)
	                            : ui_cut_left(&area, area.w / 2, t->pad);
	ui_label_init(&s->c_title, N_("Cleaning in progress"), UI_T_HUGE);
	s->c_title.color = t->primary_dark;
	ui_label_init(&s->c_body,
	              N_("The cabin and its instruments are being cleaned for the next "
	                 "patient. Thank you for waiting a moment."),
	              UI_T_H2);
	s->c_body.color = t->ink_soft;
	int64_t e = cab_cleaning_elapsed_s(&s->cleaning);
	snprintf(s->c_since_text, sizeof s->c_since_text, _("Since %d min"), (int)(e / 60));
	ui_label_init(&s->c_since, s->c_since_text, UI_T_BODY);
	s->c_since.raw = 1;
	s->c_since.color = t->ink_soft;
	int th = ui_label_height(&s->c_title, ctx, left.w);
	int bh = ui_label_height(&s->c_body, ctx, left.w);
	int y = left.y + (left.h - th - bh - 2 * t->gap - t->fs_body * 2) / 2;
	s->c_title.w.r = (SDL_Rect){left.x, y, left.w, th};
	y += th + t->gap;
	s->c_body.w.r = (SDL_Rect){left.x, y, left.w, bh};
	y += bh + t->gap;
	s->c_since.w.r = (SDL_Rect){left.x, y, left.w, t->fs_body * 2};
	s->pad.digits = s->pharm.pin_len;
	svc_pinpad_layout(&s->pad, ctx, area);
}

/* --- layout and drawing ---------------------------------------------------------- */

static void overlay_layout(struct cab_svc_ui *s, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	static char state_text[160];
	SDL_Rect all = {0, 0, t->w, t->h};
	int pw = t->w - 2 * t->pad, ph = t->h - 2 * t->pad;
	if (pw > ui_px(t, 1500))
		pw = ui_px(t, 1500);
	s->o_panel = ui_center(all, pw, ph);
	SDL_Rect in = ui_inset(s->o_panel, t->pad);
	s->o_title.w.r = ui_cut_top(&in, ui_label_height(&s->o_title, ctx, in.w), t->gap);
	enum cab_flow_state st = s->cfg.flow ? cab_flow_state(s->cfg.flow) : CAB_FLOW_ATTRACT;
	int64_t idle = CAB_PHARM_IDLE_MS - (s->now_ms - s->pharm.last_touch_ms);
	snprintf(state_text, sizeof state_text,
	         _("Screen: %s. Closes by itself after %d s without a touch."),
	         cab_flow_state_name(st), (int)((idle > 0 ? idle : 0) / 1000));
	s->o_state.text = state_text;
	s->o_state.w.r = ui_cut_top(&in, ui_label_height(&s->o_state, ctx, in.w), t->gap);
	SDL_Rect close = ui_cut_bottom(&in, t->button_h, t->gap);
	s->o_btn[CAB_PHARM_ACTIONS].w.r = close;
	SDL_Rect btns = s->o_info >= 0 && !t->portrait ? ui_cut_left(&in, in.w / 2, t->pad) : in;
	if (s->o_info >= 0 && t->portrait)
		btns = ui_cut_top(&in, in.h / 2, t->gap);
	int cols = btns.w > ui_px(t, 900) ? 2 : 1;
	SDL_Rect cells[CAB_PHARM_ACTIONS];
	int rows = (CAB_PHARM_ACTIONS + cols - 1) / cols;
	int bh = (btns.h - (rows - 1) * t->gap) / rows;
	if (bh > t->button_h * 3 / 2)
		bh = t->button_h * 3 / 2;
	btns.h = rows * bh + (rows - 1) * t->gap;
	ui_grid(btns, CAB_PHARM_ACTIONS, cols, t->gap, cells);
	for (int i = 0; i < CAB_PHARM_ACTIONS; i++) {
		s->o_btn[i].w.r = cells[i];
		s->o_btn[i].style = i == s->o_info                  ? UI_BTN_SELECTED
		                    : i == CAB_PHARM_CANCEL_SESSION ? UI_BTN_DANGER
		                                                    : UI_BTN_SECONDARY;
	}
	s->o_lines = s->o_info >= 0 ? in : (SDL_Rect){0, 0, 0, 0};
}

/* Lines for the overlay's instrument or link panel, from the view's tiles. */
static void overlay_info(struct cab_svc_ui *s)
{
	static const char *const tile_state[] = {N_("waiting"), N_("measuring"), N_("done"),
	                                         N_("failed"), N_("absent")};
	struct cab_svc_report *r = &s->o_rep;
	struct cab_view *v = s->cfg.view;
	memset(r, 0, sizeof *r);
	if (s->o_info == CAB_PHARM_SHOW_LINK) {
		cab_svc_report_network(&s->cfg.sources, cab_wall_ms(), 1500, r);
		if (v)
			for (int i = 0; i < CAB_VIEW_CHECKS && r->n < CAB_SVC_LINES; i++)
				if (v->checks[i].name) {
					struct cab_svc_line *l = &r->line[r->n++];
					snprintf(l->text, sizeof l->text, "%s: %s %s",
					         _(v->checks[i].name),
					         _(tile_state[v->checks[i].state]),
					         v->checks[i].detail);
					l->level = v->checks[i].state == CAB_TILE_OK ? CAB_SVC_OK
					           : v->checks[i].state == CAB_TILE_FAILED
					               ? CAB_SVC_BAD
					               : CAB_SVC_INFO;
				}
		return;
	}
	if (v)
		for (int i = 0; i < CAB_VIEW_INSTRUMENTS && r->n < CAB_SVC_LINES; i++)
			if (v->instruments[i].name) {
				struct cab_svc_line *l = &r->line[r->n++];
				snprintf(l->text, sizeof l->text, "%s: %s %s",
				         _(v->instruments[i].name),
				         _(tile_state[v->instruments[i].state]),
				         v->instruments[i].detail);
				l->level =
				    v->instruments[i].state == CAB_TILE_OK       ? CAB_SVC_OK
				    : v->instruments[i].state == CAB_TILE_FAILED ? CAB_SVC_BAD
				    : v->instruments[i].state == CAB_TILE_ABSENT ? CAB_SVC_WARN
				                                                 : CAB_SVC_INFO;
			}
	struct cab_svc_report reg;
	if (cab_svc_report_instruments(&s->cfg.sources, cab_wall_ms(), &reg) >= 0)
		for (int i = 0; i < reg.n && r->n < CAB_SVC_LINES; i++)
			r->line[r->n++] = reg.line[i];
	if (!r->n) {
		snprintf(r->line[0].text, sizeof r->line[0].text, "%s",
		         _("No instrument known yet."));
		r->n = 1;
	}
}

const char *svc_more_cue(int more)
{
	static char cue[128];
	snprintf(cue, sizeof cue, _("▼ %d more line(s): drag up"), more);
	return cue;
}

void svc_draw_lines(struct ui_ctx *ctx, const struct cab_svc_report *r, SDL_Rect area, int first)
{
	const struct ui_theme *t = &ctx->th;
	TTF_Font *reg = ui_font(ctx, UI_REGULAR, t->fs_small),
	         *bold = ui_font(ctx, UI_BOLD, t->fs_small);
	int lh = t->fs_small * 3 / 2, y = area.y + t->gap / 2;
	ui_fill_round(ctx, area, t->radius, t->bg);
	SDL_Rect clip = area;
	SDL_RenderSetClipRect(ctx->r, &clip);
	/* keep a line at the bottom for the cue when not everything fits */
	int fit = (area.h - t->gap / 2) / (lh ? lh : 1), from = first < 0 ? 0 : first;
	bool more = r->n - from > fit;
	int bottom = area.y + area.h - (more ? lh : 0);
	int i = from;
	for (; i < r->n && y + lh <= bottom; i++, y += lh) {
		struct ui_rgba c = t->ink;
		switch (r->line[i].level) {
		case CAB_SVC_OK:
			c = t->ok;
			break;
		case CAB_SVC_WARN:
			c = t->warn;
			break;
		case CAB_SVC_BAD:
			c = t->error;
			break;
		default:
			break;
		}
		if (r->line[i].level == CAB_SVC_WARN || r->line[i].level == CAB_SVC_BAD)
			ui_fill_circle(ctx, area.x + t->gap, y + lh / 2, t->fs_small / 4, c);
		const char *text = r->line[i].shown[0] ? r->line[i].shown : r->line[i].text;
		ui_text_draw(ctx, r->line[i].level == CAB_SVC_HEAD ? bold : reg, text,
		             area.x + t->gap * 2, y, c);
	}
	if (i < r->n || (from > 0 && y + lh <= area.y + area.h)) { /* more lines: drag */
		const char *cue = i < r->n ? svc_more_cue(r->n - i) : _("▲ more lines above: drag down");
		ui_text_draw(ctx, bold, cue, area.x + t->gap * 2, area.y + area.h - lh, t->primary);
	}
	SDL_RenderSetClipRect(ctx->r, NULL);
}

static void layout(struct cab_svc_ui *s, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	SDL_Rect all = {0, 0, t->w, t->h};
	switch (s->mode) {
	case SVC_PHARM_PAD:
		s->pad.digits = s->pharm.pin_len;
		pad_message(s, ctx);
		svc_pinpad_layout(&s->pad, ctx, ui_inset(all, t->gap));
		break;
	case SVC_PHARM:
		overlay_layout(s, ctx);
		break;
	case SVC_CLEANING:
		cleaning_layout(s, ctx);
		break;
	case SVC_TECH_ENTRY:
	case SVC_TECH_MENU:
		svc_menu_layout(s, ctx);
		break;
	case SVC_NONE:
		break;
	}
}

void cab_svc_ui_draw(struct cab_svc_ui *s, struct ui_ctx *ctx)
{
	const struct ui_theme *t = &ctx->th;
	SDL_Rect all = {0, 0, t->w, t->h};
	if (s->mode == SVC_NONE)
		return;
	layout(s, ctx);
	SDL_SetRenderDrawBlendMode(ctx->r, SDL_BLENDMODE_BLEND);
	switch (s->mode) {
	case SVC_PHARM_PAD:
		ui_fill_rect(ctx, all, t->shade);
		svc_pinpad_draw(&s->pad, ctx);
		break;
	case SVC_PHARM:
		ui_fill_rect(ctx, all, t->shade);
		ui_fill_round(ctx, s->o_panel, t->radius * 2, t->surface);
		ui_stroke_round(ctx, s->o_panel, t->radius * 2, t->border, t->primary);
		ui_group_draw(&s->og, ctx);
		if (s->o_info >= 0)
			svc_draw_lines(ctx, &s->o_rep, s->o_lines, 0);
		break;
	case SVC_CLEANING:
		ui_fill_rect(ctx, all, t->bg);
		s->c_title.w.ops->draw(&s->c_title.w, ctx);
		s->c_body.w.ops->draw(&s->c_body.w, ctx);
		s->c_since.w.ops->draw(&s->c_since.w, ctx);
		svc_pinpad_draw(&s->pad, ctx);
		break;
	default:
		svc_menu_draw(s, ctx);
		break;
	}
}

/* --- input ------------------------------------------------------------------------- */

/* Routes IN to group G; returns the action raised (0: none) with *ARG. */
int svc_route(struct ui_group *g, struct ui_ctx *ctx, const struct ui_input *in, int *arg)
{
	ctx->action = 0;
	ui_group_input(g, in, ctx);
	int act = ctx->action;
	*arg = ctx->action_arg;
	ctx->action = 0;
	return act;
}

/* Physical keys on the PIN pad: digits, Backspace, Enter, Esc. */
static int pad_key(const struct ui_input *in, int *arg)
{
	if (in->kind == UI_IN_TEXT && in->text[0] >= '0' && in->text[0] <= '9' && !in->text[1]) {
		*arg = in->text[0] - '0';
		return SVC_ACT_DIGIT;
	}
	if (in->kind == UI_IN_KEY) {
		if (in->key == UI_KEY_BACKSPACE)
			return SVC_ACT_ERASE;
		if (in->key == UI_KEY_ENTER)
			return SVC_ACT_OK;
		if (in->key == UI_KEY_ESCAPE)
			return SVC_ACT_CANCEL;
	}
	return 0;
}

static void pad_input(struct cab_svc_ui *s, struct ui_ctx *ctx, const struct ui_input *in)
{
	int arg = 0, act = pad_key(in, &arg);
	if (!act)
		act = svc_route(&s->pad.g, ctx, in, &arg);
	if (in->kind == UI_IN_DOWN)
		cab_pharm_touch(&s->pharm);
	switch (act) {
	case SVC_ACT_DIGIT:
		if (s->mode == SVC_CLEANING) {
			if (s->pharm.pin_len < CAB_PIN_MAX) {
				s->pharm.pin[s->pharm.pin_len++] = (char)('0' + arg);
				s->pharm.pin[s->pharm.pin_len] = '\0';
			}
		} else {
			cab_pharm_digit(&s->pharm, arg);
		}
		break;
	case SVC_ACT_ERASE:
		if (s->mode == SVC_CLEANING) {
			if (s->pharm.pin_len)
				s->pharm.pin[--s->pharm.pin_len] = '\0';
		} else {
			cab_pharm_erase(&s->pharm);
		}
		break;
	case SVC_ACT_OK:
		if (s->mode == SVC_CLEANING) {
			int64_t wait = 0;
			enum cab_auth_result r =
			    cab_cleaning_confirm(&s->cleaning, s->pharm.pin, &wait);
			memset(s->pharm.pin, 0, sizeof s->pharm.pin);
			s->pharm.pin_len = 0;
			if (r == CAB_AUTH_OK) {
				s->mode = SVC_NONE;
			} else {
				s->pad.msg_color = ctx->th.error;
				svc_auth_message(s->pad.msg, sizeof s->pad.msg, r, wait, true);
			}
		} else if (cab_pharm_submit(&s->pharm) == CAB_AUTH_OK) {
			open_overlay(s);
		}
		break;
	case SVC_ACT_CANCEL:
		if (s->mode == SVC_PHARM_PAD) {
			cab_pharm_close(&s->pharm);
			s->mode = SVC_NONE;
		}
		break;
	case SVC_ACT_TECHNICIAN:
		memset(s->pharm.pin, 0, sizeof s->pharm.pin);
		s->pharm.pin_len = 0;
		cab_svc_ui_open_technician(s, s->now_ms);
		break;
	default:
		break;
	}
	ctx->dirty = true;
}

static void overlay_input(struct cab_svc_ui *s, struct ui_ctx *ctx, const struct ui_input *in)
{
	int arg = 0, act = svc_route(&s->og, ctx, in, &arg);
	cab_pharm_touch(&s->pharm);
	if (in->kind == UI_IN_KEY && in->key == UI_KEY_ESCAPE)
		act = SVC_ACT_CLOSE;
	if (act == SVC_ACT_CLOSE) {
		cab_pharm_close(&s->pharm);
		s->mode = SVC_NONE;
	} else if (act >= SVC_ACT_PHARM_BASE && act < SVC_ACT_PHARM_BASE + CAB_PHARM_ACTIONS) {
		enum cab_pharm_action a = (enum cab_pharm_action)(act - SVC_ACT_PHARM_BASE);
		int rc = cab_pharm_act(&s->pharm, a, arg);
		if (a == CAB_PHARM_SHOW_INSTRUMENTS || a == CAB_PHARM_SHOW_LINK) {
			s->o_info = s->o_info == (int)a ? -1 : (int)a;
			if (s->o_info >= 0)
				overlay_info(s);
		} else if (rc == 0 && a != CAB_PHARM_REDO_MEASUREMENT &&
		           a != CAB_PHARM_SKIP_MEASUREMENT) {
			cab_pharm_close(&s->pharm); /* done: back to the patient screens */
			s->mode = SVC_NONE;
			if (a == CAB_PHARM_HELP_IDENTITY && s->cfg.view)
				cab_screen_identity_edit(s->cfg.view, 0);
		} else {
			memset(&s->o_rep, 0, sizeof s->o_rep);
			snprintf(s->o_rep.line[0].text, sizeof s->o_rep.line[0].text, "%s",
			         rc == 0 ? _("Done.") : _("Not possible on this screen."));
			s->o_rep.line[0].level = rc == 0 ? CAB_SVC_OK : CAB_SVC_WARN;
			s->o_rep.n = 1;
			s->o_info = (int)a;
		}
	}
	ctx->dirty = true;
}

bool cab_svc_ui_input(struct cab_svc_ui *s, struct ui_ctx *ctx, const struct ui_input *in,
                      int64_t now_ms)
{
	s->now_ms = now_ms;
	/* The staff gesture (top-left corner, over the logo: no patient control there)
	 * is watched on every screen, modal or not. */
	if (in->kind == UI_IN_DOWN)
		cab_gesture_down(&s->g_pharm, in->x, in->y, now_ms);
	else if (in->kind == UI_IN_MOVE)
		cab_gesture_move(&s->g_pharm, in->x, in->y);
	else if (in->kind == UI_IN_UP || in->kind == UI_IN_CANCEL)
		cab_gesture_up(&s->g_pharm);
	if (s->mode == SVC_NONE)
		return false;
	layout(s, ctx);
	switch (s->mode) {
	case SVC_PHARM_PAD:
	case SVC_CLEANING:
		pad_input(s, ctx, in);
		break;
	case SVC_PHARM:
		overlay_input(s, ctx, in);
		break;
	case SVC_TECH_ENTRY:
	case SVC_TECH_MENU:
		svc_menu_input(s, ctx, in);
		break;
	case SVC_NONE:
		break;
	}
	return true;
}

/* --- timers -------------------------------------------------------------------------- */

bool cab_svc_ui_poll(struct cab_svc_ui *s, int64_t now_ms)
{
	bool changed = false;
	s->now_ms = now_ms;
	if (cab_gesture_poll(&s->g_pharm, now_ms) && s->mode == SVC_NONE) {
		cab_svc_ui_open_pharmacist(s, now_ms);
		changed = true;
	}
	if ((s->mode == SVC_PHARM || s->mode == SVC_PHARM_PAD) && cab_pharm_poll(&s->pharm)) {
		s->mode = s->cleaning.active ? SVC_CLEANING : SVC_NONE;
		changed = true;
	}
	if (s->mode == SVC_PHARM)
		changed = true; /* the "closes after N s" line counts down */
	if (s->cleaning.active && cab_cleaning_poll(&s->cleaning)) {
		if (s->mode == SVC_CLEANING)
			s->mode = SVC_NONE;
		changed = true;
	}
	if (svc_menu_selftest_poll(s))
		changed = true;
	if (svc_menu_bt_poll(s))
		changed = true;
	if ((s->mode == SVC_TECH_MENU || s->mode == SVC_TECH_ENTRY) &&
	    now_ms - s->last_touch_ms >= SVC_MENU_IDLE_MS) {
		svc_menu_close(s);
		changed = true;
	}
	return changed;
}

int64_t cab_svc_ui_next_ms(const struct cab_svc_ui *s, int64_t now_ms)
{
	int64_t next = -1;
#define SOONER(ms)                                                                                 \
	do {                                                                                       \
		int64_t v_ = (ms);                                                                 \
		if (v_ < 0)                                                                        \
			v_ = 0;                                                                    \
		if (next < 0 || v_ < next)                                                         \
			next = v_;                                                                 \
	} while (0)
	if (s->g_pharm.down && !s->g_pharm.fired)
		SOONER(s->g_pharm.t0_ms + CAB_GESTURE_HOLD_MS - now_ms);
	if (s->mode == SVC_PHARM)
		SOONER(1000);
	if (s->mode == SVC_PHARM_PAD)
		SOONER(s->pharm.last_touch_ms + CAB_PHARM_IDLE_MS - now_ms);
	if (s->cleaning.active)
		SOONER(s->cleaning.max_ms ? s->cleaning.started_ms + s->cleaning.max_ms - now_ms
		                          : 60000);
	if (s->mode == SVC_TECH_MENU || s->mode == SVC_TECH_ENTRY)
		SOONER(s->last_touch_ms + SVC_MENU_IDLE_MS - now_ms);
	if (s->selftest_running)
		SOONER(50); /* collect the self-test as soon as the instrument answered */
	if (!s->bt.joined)
		SOONER(100); /* a Bluetooth operation runs or waits to be collected */
#undef SOONER
	return next;
}
