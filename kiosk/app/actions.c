/* actions.c — what the patient's actions do: flow events, consent record, identity
 * check, language switch; the app's timers (check runner, wipe, call clock) and
 * when the doctor joins the call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/bind_devices.h"
#include "kiosk/app/bind_link.h"
#include "kiosk/app/bind_media.h"
#include "kiosk/app/bind_print.h"
#include "kiosk/app/idform.h"
#include "kiosk/app/test_hook.h"
#include "kiosk/ui/i18n.h"
#include "log.h"

#define CHECK_STEP_MS cab_test_hook_ms(700)
#define WIPE_SHOW_MS cab_test_hook_ms(1500)

void cab_app_view_setup(struct cab_app *a)
{
	struct cab_view *v = &a->view;
	memset(v, 0, sizeof *v);
	cab_view_reset(v);
	/* the pharmacy's name ([cabin] pharmacy_name; "" = a translated default) */
	snprintf(v->cabin_name, sizeof v->cabin_name, "%.63s", a->cfg.pharmacy_name);
	v->fee_cents = a->cfg.fee_cents;
	v->state = a->flow ? cab_flow_state(a->flow) : CAB_FLOW_ATTRACT;
}

void cab_app_places_load(struct cab_app *a)
{
	a->places = cab_places_load(access(a->paths.communes, R_OK) == 0 ? a->paths.communes : NULL,
	                            access(a->paths.countries, R_OK) == 0 ? a->paths.countries : NULL);
	if (!a->places)
		cab_warn("app", "no place list loaded (%s, %s)", a->paths.communes, a->paths.countries);
	a->view.places = a->places;
}

void cab_app_sync(struct cab_app *a)
{
	struct cab_view *v = &a->view;
	enum cab_flow_state before = v->state;
	v->state = cab_flow_state(a->flow);
	bool asked = v->still_there_s >= 0;
	v->still_there_s = cab_flow_still_there_left_s(a->flow);
	if (!asked && v->still_there_s >= 0)
		cab_app_voice_alert(a);
	v->emergency = cab_flow_emergency_shown(a->flow);
	v->end_reason = cab_flow_end_reason(a->flow);
	struct cab_session *s = cab_flow_session(a->flow);
	v->doctor = s->doctor;
	if (v->state != before) {
		int64_t now = cab_mono_ms();
		v->confirm_stop = false;
		a->checks_due = 0;
		a->wipe_start = 0;
		a->second_due = 0;
		switch (v->state) {
		case CAB_FLOW_CHECKS:
			for (int i = 0; i < CAB_VIEW_CHECKS; i++)
				v->checks[i].state = CAB_TILE_IDLE;
			a->checks_step = 0;
			a->checks_due = now + CHECK_STEP_MS / 2;
			break;
		case CAB_FLOW_WAITING_ROOM:
			a->waiting_since = now;
			memset(a->measure_asked, 0, sizeof a->measure_asked);
			cab_bind_devices_fill_tiles(a->devices);
			break;
		case CAB_FLOW_CONSULTATION:
			a->call_start = now;
			v->call_s = 0;
			a->second_due = now + 1000;
			break;
		case CAB_FLOW_WIPE: {
			/* nothing about the patient stays in the view either */
			struct cab_view keep = *v;
			explicit_bzero(&v->form, sizeof v->form);
			explicit_bzero(&a->vitals, sizeof a->vitals);
			cab_bind_print_clear(a->print);
			cab_view_reset(v);
			v->state = keep.state;
			v->end_reason = keep.end_reason;
			a->wipe_start = now;
			a->second_due = now + 100;
			explicit_bzero(&keep, sizeof keep);
			break;
		}
		case CAB_FLOW_ATTRACT:
			cab_bind_print_clear(a->print);
			cab_view_reset(v);
			explicit_bzero(&a->vitals, sizeof a->vitals);
			ui_i18n_set(a->opt.lang);
			if (a->voice) /* the next patient hears the guidance again */
				v->voice_level = 2;
			break;
		default:
			break;
		}
		/* the identity leaves for the station once checked (identity -> checks) */
		if (v->state >= CAB_FLOW_CHECKS && v->state <= CAB_FLOW_SUMMARY)
			v->identity_sent = true;
		if (v->state != CAB_FLOW_WAITING_ROOM)
			a->waiting_since = 0;
		cab_bind_media_follow(a->media);
		cab_app_voice_screen(a);
	}
	a->ctx.dirty = true;
}

static void handle(struct cab_app *a, enum cab_flow_event ev)
{
	enum cab_flow_result r = cab_flow_handle(a->flow, ev);
	if (r != CAB_FLOW_HANDLED)
		cab_warn("app", "flow did not take %s in %s", cab_flow_event_name(ev),
		         cab_flow_state_name(cab_flow_state(a->flow)));
	cab_app_sync(a);
}

static void set_language(struct cab_app *a, const char *lang)
{
	ui_i18n_set(lang);
	struct cab_session *s = cab_flow_session(a->flow);
	if (s->active)
		cab_session_set_language(s, lang);
	a->ctx.dirty = true;
}

/* OUT (65 bytes) = SHA-256 in hex of the consent text as shown now ("" on failure). */
static void consent_hash(char out[65])
{
	char text[2048];
	unsigned char md[32];
	unsigned mdlen = 0;
	size_t n = cab_screen_consent_text(text, sizeof text);
	out[0] = 0;
	if (n && n < sizeof text && EVP_Digest(text, n, md, &mdlen, EVP_sha256(), NULL) && mdlen == 32)
		for (int i = 0; i < 32; i++)
			snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void next(struct cab_app *a)
{
	struct cab_view *v = &a->view;
	struct cab_session *s = cab_flow_session(a->flow);
	switch (v->state) {
	case CAB_FLOW_INFORMATION:
		handle(a, CAB_EV_INFORMATION_READ);
		break;
	case CAB_FLOW_CONSENT: {
		if (v->consent_tele < 0 || v->consent_data < 0)
			break;
		enum cab_answer tele = v->consent_tele == 0 ? CAB_ANSWER_YES : CAB_ANSWER_NO;
		enum cab_answer data = v->consent_data == 0 ? CAB_ANSWER_YES : CAB_ANSWER_NO;
		if (cab_session_record_consent(s, CAB_CONSENT_TEXT_VERSION, tele, data, cab_wall_ms())) {
			cab_err("app", "consent could not be recorded");
			break;
		}
		consent_hash(s->consent.text_sha256);
		handle(a, tele == CAB_ANSWER_YES ? CAB_EV_CONSENT_GIVEN : CAB_EV_CONSENT_DECLINED);
		break;
	}
	case CAB_FLOW_IDENTITY: {
		struct cab_identity id;
		struct cab_date today = cab_date_from_epoch_ms(cab_wall_ms());
		if (!cab_idform_check(&v->form, today, &id)) {
			cab_info("app", "identity form has errors; staying");
			explicit_bzero(&id, sizeof id);
			a->ctx.dirty = true;
			break;
		}
		enum cab_id_field field = CAB_FIELD_NONE;
		enum cab_id_err e = cab_session_set_identity(s, &id, today, &field);
		explicit_bzero(&id, sizeof id);
		if (e != CAB_ID_OK) {
			cab_idform_set_error(&v->form, field, e);
			a->ctx.dirty = true;
			break;
		}
		handle(a, CAB_EV_IDENTITY_VALID);
		break;
	}
	case CAB_FLOW_CHECKS:
		handle(a, CAB_EV_CHECKS_PASSED);
		break;
	case CAB_FLOW_SUMMARY:
		handle(a, CAB_EV_SUMMARY_DONE);
		break;
	case CAB_FLOW_ENDED:
		handle(a, CAB_EV_ENDED_DONE);
		break;
	default:
		break;
	}
}

void cab_app_action(struct cab_app *a, int act, int arg)
{
	struct cab_view *v = &a->view;
	switch (act) {
	case CAB_ACT_RX_PRINT:
	case CAB_ACT_RX_DECLINE:
	case CAB_ACT_RX_CLOSE:
		cab_bind_print_action(a->print, act);
		break;
	case CAB_ACT_START:
		handle(a, CAB_EV_START);
		set_language(a, a->opt.lang);
		break;
	case CAB_ACT_LANG_TOGGLE:
		set_language(a, strcmp(ui_i18n_lang(), "fr") ? "fr" : "en");
		cab_app_voice_screen(a); /* again, in the new language */
		break;
	case CAB_ACT_VOICE_CYCLE:
	case CAB_ACT_VOICE_REPEAT:
		cab_app_voice_action(a, act);
		break;
	case CAB_ACT_LANG_PICK:
		set_language(a, arg == 1 ? "en" : "fr");
		handle(a, CAB_EV_LANGUAGE_CHOSEN);
		break;
	case CAB_ACT_EMERGENCY:
		handle(a, CAB_EV_EMERGENCY);
		break;
	case CAB_ACT_EMERGENCY_CLOSE:
		handle(a, CAB_EV_EMERGENCY_CLOSE);
		break;
	case CAB_ACT_STOP:
		v->confirm_stop = true;
		break;
	case CAB_ACT_STOP_CANCEL:
		v->confirm_stop = false;
		break;
	case CAB_ACT_STOP_CONFIRM:
		v->confirm_stop = false;
		handle(a, CAB_EV_STOP);
		break;
	case CAB_ACT_STILL_HERE:
		handle(a, CAB_EV_STILL_HERE);
		break;
	case CAB_ACT_BACK:
		handle(a, CAB_EV_BACK);
		break;
	case CAB_ACT_NEXT:
		next(a);
		break;
	case CAB_ACT_CHECKS_RETRY:
		for (int i = 0; i < CAB_VIEW_CHECKS; i++)
			v->checks[i].state = CAB_TILE_IDLE;
		a->checks_step = 0;
		a->checks_due = cab_mono_ms() + CHECK_STEP_MS / 2;
		break;
	case CAB_ACT_END_CALL:
		handle(a, CAB_EV_CONSULTATION_ENDED);
		break;
	case CAB_ACT_MEASURE:
		if (v->state == CAB_FLOW_WAITING_ROOM) /* the guide's steps, heard */
			cab_app_voice_guide(a, arg);
		if (arg >= 0 && arg < CAB_VIEW_INSTRUMENTS)
			a->measure_asked[arg] = true;
		/* blood pressure after the rest the doctors' settings ask for ([timeouts] bp_rest) */
		if (arg == 1 && a->cfg.timeout_s[CAB_TMO_BP_REST] > 0 && v->state == CAB_FLOW_WAITING_ROOM) {
			if (!a->bp_rest_due) {
				int64_t now = cab_mono_ms();
				a->bp_rest_due = now + (int64_t)a->cfg.timeout_s[CAB_TMO_BP_REST] * 1000;
				v->bp_rest_s = a->cfg.timeout_s[CAB_TMO_BP_REST];
				cab_info("app", "blood pressure after %d s of rest", v->bp_rest_s);
			}
			break;
		}
		cab_bind_devices_measure(a->devices, arg);
		break;
	case CAB_ACT_READY:
		v->patient_ready = true;
		cab_info("app", "the patient is ready");
		cab_app_maybe_join(a, cab_mono_ms());
		break;
	case CAB_ACT_MUTE:
		v->muted = !v->muted;
		cab_bind_media_mute(a->media, v->muted);
		break;
	default:
		break;
	}
	a->ctx.dirty = true;
}

/* The checks: with --sim the camera and sound are simulated (the camera is the test
 * source) and work; otherwise a camera and a sound card must exist. The network
 * check passes when the link to the doctor station is up. */
static enum cab_tile_state check_result(struct cab_app *a, int i, char *detail, size_t size)
{
	detail[0] = 0;
	if (i == 2) {
		if (!cab_bind_link_configured(a->link) && a->opt.sim) { /* no usable station configuration: simulated */
			snprintf(detail, size, "%s", _("simulated"));
			return CAB_TILE_OK;
		}
		if (cab_bind_link_up(a->link)) {
			snprintf(detail, size, "%s", _("doctor station reachable"));
			return CAB_TILE_OK;
		}
		snprintf(detail, size, "%s", cab_bind_link_configured(a->link) ? _("doctor station not reachable") : _("no doctor station configured"));
		return CAB_TILE_FAILED;
	}
	if (a->opt.sim) {
		snprintf(detail, size, "%s", i == 0 ? _("test picture") : _("simulated"));
		return CAB_TILE_OK;
	}
	if (i == 0)
		return access("/dev/video0", R_OK) == 0 ? CAB_TILE_OK : CAB_TILE_FAILED;
	return access("/dev/snd", R_OK) == 0 ? CAB_TILE_OK : CAB_TILE_FAILED;
}

static int64_t precall_ms(const struct cab_app *a)
{
	return (int64_t)a->cfg.timeout_s[CAB_TMO_PRECALL] * 1000;
}

/* How long past the pre-call time a measurement under way may hold the call back (an
 * instrument that never finishes must not keep the patient from the doctor). */
static int64_t measuring_grace_ms(const struct cab_app *a)
{
	return (int64_t)a->cfg.timeout_s[CAB_TMO_MEASURING] * 1000;
}

/* Whether a measurement the patient started (Measure touched) is under way with no
 * value yet: a streaming instrument (the oximeter) is busy on its own, before and
 * after its value shows, and that must not hold the call back. */
static bool measuring(const struct cab_app *a)
{
	const struct cab_view *v = &a->view;
	for (int i = 0; i < CAB_VIEW_INSTRUMENTS; i++)
		if (a->measure_asked[i] && v->instruments[i].state == CAB_TILE_BUSY &&
		    !v->instruments[i].detail[0])
			return true;
	return false;
}

int64_t cab_app_join_due(const struct cab_app *a, int64_t now)
{
	if (a->view.state != CAB_FLOW_WAITING_ROOM || !a->view.doctor.known || !a->waiting_since)
		return -1;
	int64_t due = a->waiting_since + precall_ms(a);
	if (measuring(a)) /* the reading that ends it tries again; a stuck one only delays */
		due += measuring_grace_ms(a);
	return due > now ? due - now : 0;
}

/* The call starts when a doctor has taken the patient and either the doctor asks
 * (the console's "Start call"), the patient says "I'm ready", the pre-call
 * measurements are done, or the pre-call time has run out; not in the middle of a
 * measurement unless the doctor asks or it has run a minute past the pre-call time
 * (issue 16: the patient may finish measuring). */
void cab_app_maybe_join(struct cab_app *a, int64_t now)
{
	if (a->view.state == CAB_FLOW_WAITING_ROOM) /* the doctor's console waits for it */
		cab_bind_link_patient_state(a->link, &a->view);
	if (a->view.state != CAB_FLOW_WAITING_ROOM || !a->view.doctor.known)
		return;
	if (!a->doctor_asked && measuring(a) &&
	    !(a->waiting_since && now - a->waiting_since >= precall_ms(a) + measuring_grace_ms(a)))
		return;
	if (a->doctor_asked || a->view.patient_ready || cab_bind_devices_precall_done(a->devices) ||
	    (a->waiting_since && now - a->waiting_since >= precall_ms(a))) {
		cab_info("app", "the doctor joins the call");
		cab_flow_handle(a->flow, CAB_EV_DOCTOR_JOINED);
		cab_app_sync(a);
	}
}

void cab_app_timers(struct cab_app *a, int64_t now)
{
	struct cab_view *v = &a->view;
	if (a->checks_due && now >= a->checks_due && v->state == CAB_FLOW_CHECKS) {
		int i = a->checks_step / 2;
		if (i < CAB_VIEW_CHECKS) {
			struct cab_tile *t = &v->checks[i];
			if (a->checks_step % 2 == 0) {
				t->state = CAB_TILE_BUSY;
				t->progress = 0.5f;
			} else {
				t->state = check_result(a, i, t->detail, sizeof t->detail);
			}
			a->checks_step++;
			a->checks_due = a->checks_step < 2 * CAB_VIEW_CHECKS ? now + CHECK_STEP_MS / 2 : 0;
			a->ctx.dirty = true;
		} else {
			a->checks_due = 0;
		}
	}
	if (a->waiting_since && cab_app_join_due(a, now) == 0)
		cab_app_maybe_join(a, now);
	if (a->bp_rest_due && v->state != CAB_FLOW_WAITING_ROOM) {
		a->bp_rest_due = 0;
		v->bp_rest_s = -1;
	} else if (a->bp_rest_due) {
		int left = now >= a->bp_rest_due ? 0 : (int)((a->bp_rest_due - now + 999) / 1000);
		if (left != v->bp_rest_s)
			a->ctx.dirty = true;
		v->bp_rest_s = left;
		if (left == 0) {
			a->bp_rest_due = 0;
			v->bp_rest_s = -1;
			cab_info("app", "rest done: blood pressure now");
			cab_bind_devices_measure(a->devices, 1);
		}
	}
	if (a->second_due && now >= a->second_due) {
		if (v->state == CAB_FLOW_CONSULTATION) {
			v->call_s = (int)((now - a->call_start) / 1000);
			a->second_due = now + 1000 - (now - a->call_start) % 1000;
		} else if (v->state == CAB_FLOW_WIPE && a->wipe_start) {
			v->wipe_progress = (float)(now - a->wipe_start) / WIPE_SHOW_MS;
			a->second_due = now + 100;
			if (now - a->wipe_start >= WIPE_SHOW_MS) {
				a->second_due = 0;
				a->wipe_start = 0;
				handle(a, CAB_EV_WIPE_DONE);
			}
		} else {
			a->second_due = 0;
		}
		a->ctx.dirty = true;
	}
}

int64_t cab_app_next_timer(const struct cab_app *a, int64_t now)
{
	int64_t best = cab_flow_next_tick_ms(a->flow);
	int64_t join = cab_app_join_due(a, now);
	/* the rest countdown redraws every second */
	int64_t rest = a->bp_rest_due ? (a->bp_rest_due - now) % 1000 + now : 0;
	int64_t due[4] = {a->checks_due, a->second_due, join >= 0 ? now + join : 0, rest};
	for (int i = 0; i < 4; i++) {
		if (!due[i])
			continue;
		int64_t d = due[i] > now ? due[i] - now : 0;
		if (best < 0 || d < best)
			best = d;
	}
	return best;
}
