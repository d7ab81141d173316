/* render.c — `cabin --render-screens DIR`: every screen and the important dialogs,
 * in French and English, at 1920x1080, 1280x800 and 1080x1920, drawn with SDL's
 * software renderer into a surface and saved as PNG. No window, no display. The
 * data shown is synthetic (patient "MARTIN Camille", a fictitious doctor). */
#include <SDL2/SDL_image.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "kiosk/app/app.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/print/print_cups.h"
#include "cabin/mdc.h"
#include "kiosk/app/idform.h"
#include "kiosk/app/readings.h"
#include "kiosk/ui/i18n.h"
#include "log.h"

/* One picture: a name and how to set the view up for it. */
struct shot {
	const char *name;
	enum cab_flow_state state;
	void (*setup)(struct cab_view *v);
	bool large;          /* large-text and high-contrast mode */
};

static void doctor(struct cab_view *v)
{
	v->doctor.known = true;
	snprintf(v->doctor.name, sizeof v->doctor.name, "Dr Alice Exemple");
	snprintf(v->doctor.specialty, sizeof v->doctor.specialty, "Médecine générale");
	snprintf(v->doctor.rpps, sizeof v->doctor.rpps, "10000000000");
}

static void patient(struct cab_view *v)
{
	struct cab_id_form *f = &v->form;
	snprintf(f->birth_name, sizeof f->birth_name, "MARTIN");
	snprintf(f->first_names, sizeof f->first_names, "Camille Élise");
	snprintf(f->birth_date, sizeof f->birth_date, "14/07/1985");
	f->sex = 0;
	f->abroad = 0;
	snprintf(f->place_query, sizeof f->place_query, "Saint-Étienne");
	snprintf(f->place_code, sizeof f->place_code, "42218");
	snprintf(f->phone, sizeof f->phone, "06 12 34 56 78");
}

static void s_none(struct cab_view *v)
{
	(void)v;
}

static void s_doctor(struct cab_view *v)
{
	doctor(v);
}

static void s_consent(struct cab_view *v)
{
	v->consent_tele = 0;
}

static void s_identity(struct cab_view *v)
{
	patient(v);
}

static void s_identity_errors(struct cab_view *v)
{
	struct cab_id_form *f = &v->form;
	snprintf(f->birth_name, sizeof f->birth_name, "MARTIN");
	snprintf(f->first_names, sizeof f->first_names, "Camille2");
	snprintf(f->birth_date, sizeof f->birth_date, "31/02/1985");
	f->abroad = 0;
	snprintf(f->nir, sizeof f->nir, "2 85 07 42 218 001 99");
	snprintf(f->phone, sizeof f->phone, "06 12 34");
	struct cab_identity id;
	cab_idform_check(f, (struct cab_date){2026, 11, 29}, &id);
}

static void s_keyboard(struct cab_view *v)
{
	snprintf(v->form.birth_name, sizeof v->form.birth_name, "MARTIN");
	cab_screen_identity_edit(v, CAB_FIELD_BIRTH_NAME);
}

static void s_place(struct cab_view *v)
{
	v->form.abroad = 0;
	snprintf(v->form.place_query, sizeof v->form.place_query, "Saint-É");
	cab_screen_identity_edit(v, CAB_FIELD_BIRTHPLACE);
}

static void s_checks(struct cab_view *v)
{
	v->checks[0].state = CAB_TILE_OK;
	v->checks[1].state = CAB_TILE_BUSY;
	v->checks[1].progress = 0.5f;
}

static void s_checks_failed(struct cab_view *v)
{
	v->checks[0].state = CAB_TILE_OK;
	v->checks[1].state = CAB_TILE_OK;
	v->checks[2].state = CAB_TILE_FAILED;
	snprintf(v->checks[2].detail, sizeof v->checks[2].detail, "%s", _("no doctor station configured"));
}

static void s_abroad(struct cab_view *v)
{
	v->form.abroad = 1;
	snprintf(v->form.place_query, sizeof v->form.place_query, "Bel");
	cab_screen_identity_edit(v, CAB_FIELD_BIRTHPLACE);
}

/* A synthetic reading, as a driver would post it. */
static void feed(struct cab_view *v, struct cab_vitals *vit, enum cab_device_kind kind,
                 uint16_t code, double value, const char *ucum, uint32_t flags)
{
	struct cab_reading r;
	memset(&r, 0, sizeof r);
	r.device.kind = kind;
	r.mdc = MDC_FULL(MDC_PART_SCADA, code);
	r.value = value;
	r.flags = flags;
	snprintf(r.ucum, sizeof r.ucum, "%s", ucum);
	cab_reading_apply(v, vit, &r, ui_i18n_lang());
}

static void s_waiting(struct cab_view *v)
{
	struct cab_vitals vit = {0};
	feed(v, &vit, CAB_KIND_THERMOMETER, MDC_TEMP_BODY, 37.2, "Cel", 0);
	feed(v, &vit, CAB_KIND_BLOOD_PRESSURE, MDC_PRESS_BLD_NONINV_SYS, 0, "mm[Hg]", CAB_RF_ONGOING);
	feed(v, &vit, CAB_KIND_PULSE_OXIMETER, MDC_PULS_OXIM_SAT_O2, 98, "%", 0);
	feed(v, &vit, CAB_KIND_PULSE_OXIMETER, MDC_PULS_OXIM_PULS_RATE, 72, "/min", 0);
	v->instruments[4].state = CAB_TILE_ABSENT;
}

static void s_consultation(struct cab_view *v)
{
	doctor(v);
	v->call_s = 312;
}

static void s_stethoscope(struct cab_view *v)
{
	s_consultation(v);
	v->steth_on = true;
}

static void s_otoscope(struct cab_view *v)
{
	s_consultation(v);
	v->exam_camera = 1;
	v->stills_taken = 1;
}

static void s_summary(struct cab_view *v)
{
	doctor(v);
	s_waiting(v);
	v->instruments[1].state = CAB_TILE_IDLE;
	v->readings_sent = 3;
	v->rx.state = CAB_RX_PRINTED;
}

static void s_prescription(struct cab_view *v)
{
	s_consultation(v);
	v->rx.state = CAB_RX_OFFERED;
	v->rx.shown = true;
	snprintf(v->rx.lines, sizeof v->rx.lines, "%s",
	         "Paracétamol 500 mg\n    1 comprimé 3 fois par jour - 5 jours\n"
	         "Amoxicilline 1 g\n    1 comprimé matin et soir - 6 jours\n    au milieu des repas");
}

static void s_prescription_failed(struct cab_view *v)
{
	s_summary(v);
	v->rx.state = CAB_RX_FAILED;
	v->rx.fail = CAB_PRINT_NO_PAPER;
	v->rx.shown = true;
}

static void s_ended(struct cab_view *v)
{
	v->end_reason = CAB_END_DECLINED;
}

static void s_wipe(struct cab_view *v)
{
	v->wipe_progress = 0.6f;
}

static void s_still_there(struct cab_view *v)
{
	patient(v);
	v->still_there_s = 24;
}

static void s_emergency(struct cab_view *v)
{
	v->emergency = true;
}

static void s_stop(struct cab_view *v)
{
	v->confirm_stop = true;
}

static void s_stop_sent(struct cab_view *v)
{
	s_waiting(v);
	v->identity_sent = true;
	v->confirm_stop = true;
}

static const struct shot shots[] = {
    {"attract", CAB_FLOW_ATTRACT, s_none, false},
    {"language", CAB_FLOW_LANGUAGE, s_none, false},
    {"information", CAB_FLOW_INFORMATION, s_none, false},
    {"information-doctor", CAB_FLOW_INFORMATION, s_doctor, false},
    {"consent", CAB_FLOW_CONSENT, s_consent, false},
    {"identity", CAB_FLOW_IDENTITY, s_identity, false},
    {"identity-errors", CAB_FLOW_IDENTITY, s_identity_errors, false},
    {"identity-keyboard", CAB_FLOW_IDENTITY, s_keyboard, false},
    {"identity-place", CAB_FLOW_IDENTITY, s_place, false},
    {"identity-abroad", CAB_FLOW_IDENTITY, s_abroad, false},
    {"checks", CAB_FLOW_CHECKS, s_checks, false},
    {"checks-failed", CAB_FLOW_CHECKS, s_checks_failed, false},
    {"waiting_room", CAB_FLOW_WAITING_ROOM, s_waiting, false},
    {"consultation", CAB_FLOW_CONSULTATION, s_consultation, false},
    {"consultation-stethoscope", CAB_FLOW_CONSULTATION, s_stethoscope, false},
    {"consultation-otoscope", CAB_FLOW_CONSULTATION, s_otoscope, false},
    {"summary", CAB_FLOW_SUMMARY, s_summary, false},
    {"prescription", CAB_FLOW_CONSULTATION, s_prescription, false},
    {"prescription-failed", CAB_FLOW_SUMMARY, s_prescription_failed, false},
    {"ended", CAB_FLOW_ENDED, s_ended, false},
    {"wipe", CAB_FLOW_WIPE, s_wipe, false},
    {"still-there", CAB_FLOW_IDENTITY, s_still_there, false},
    {"emergency", CAB_FLOW_CONSENT, s_emergency, false},
    {"stop", CAB_FLOW_INFORMATION, s_stop, false},
    {"stop-after-identity", CAB_FLOW_WAITING_ROOM, s_stop_sent, false},
    {"large-attract", CAB_FLOW_ATTRACT, s_none, true},
    {"large-information", CAB_FLOW_INFORMATION, s_none, true},
    {"large-identity", CAB_FLOW_IDENTITY, s_identity, true},
    {"large-waiting_room", CAB_FLOW_WAITING_ROOM, s_waiting, true},
};

static const int sizes[][2] = {{1920, 1080}, {1280, 800}, {1080, 1920}};
static const char *const langs[] = {"fr", "en"};

static int render_one(struct cab_app *a, const struct shot *s, const char *lang, int w, int h)
{
	int rc = -1;
	SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
	if (!r) {
		cab_err("render", "software renderer: %s", SDL_GetError());
		goto out;
	}
	if (ui_ctx_init(&a->ctx, r, w, h, 0, a->paths.fonts, a->paths.assets))
		goto out;
	ui_i18n_set(lang);
	struct cab_view *v = &a->view;
	cab_view_reset(v);
	v->state = s->state;
	v->end_reason = CAB_END_NONE;
	v->voice_level = 2; /* the header as a speaking cabin shows it */
	if (s->large)
		ui_ctx_set_large(&a->ctx, true);
	cab_stage_init(&a->stage, v);
	s->setup(v);
	cab_stage_layout(&a->stage, &a->ctx, v);
	cab_stage_draw(&a->stage, &a->ctx, v);
	SDL_RenderFlush(r);
	char path[CAB_PATH_MAX + 128];
	snprintf(path, sizeof path, "%s/%s-%s-%dx%d.png", a->opt.render_dir, s->name, lang, w, h);
	if (IMG_SavePNG(surf, path) != 0) {
		cab_err("render", "%s: %s", path, IMG_GetError());
		goto out_ctx;
	}
	rc = 0;
out_ctx:
	ui_ctx_free(&a->ctx);
out:
	if (r)
		SDL_DestroyRenderer(r);
	if (surf)
		SDL_FreeSurface(surf);
	return rc;
}

int cab_app_render_screens(const struct cab_options *o)
{
	static struct cab_app app;
	struct cab_app *a = &app;
	int rc = 1, n = 0;
	memset(a, 0, sizeof *a);
	a->opt = *o;
	cab_paths_find(&a->paths);
	if (mkdir(o->render_dir, 0755) != 0 && errno != EEXIST) {
		cab_err("render", "cannot create %s: %s", o->render_dir, strerror(errno));
		return 1;
	}
	if (SDL_Init(0) != 0 || TTF_Init() != 0) {
		cab_err("render", "SDL/TTF init: %s", SDL_GetError());
		return 1;
	}
	IMG_Init(IMG_INIT_PNG);
	ui_i18n_init(a->paths.locale, o->lang);
	cab_config_defaults(&a->cfg); /* the default fee; no pharmacy: its translated name */
	a->cfg.pharmacy_name[0] = '\0';
	cab_app_view_setup(a);
	int64_t t0 = cab_mono_ms();
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		for (size_t l = 0; l < 2; l++)
			for (size_t i = 0; i < sizeof shots / sizeof shots[0]; i++) {
				if (render_one(a, &shots[i], langs[l], sizes[k][0], sizes[k][1]))
					goto out;
				n++;
			}
	rc = 0;
	cab_info("render", "%d screens in %s (%lld ms)", n, o->render_dir, (long long)(cab_mono_ms() - t0));
out:
	cab_places_free(a->places);
	IMG_Quit();
	TTF_Quit();
	SDL_Quit();
	return rc;
}
