/* view.c — the view model's reset and formatting helpers (see view.h). */
#include "kiosk/ui/view.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/ui/i18n.h"

static const struct cab_tile check_tiles[CAB_VIEW_CHECKS] = {
    {N_("Camera"), "camera.svg", CAB_TILE_IDLE, "", 0, false},
    {N_("Sound"), "sound.svg", CAB_TILE_IDLE, "", 0, false},
    {N_("Network"), "network.svg", CAB_TILE_IDLE, "", 0, false},
};

static const struct cab_tile instrument_tiles[CAB_VIEW_INSTRUMENTS] = {
    {N_("Thermometer"), "thermometer.svg", CAB_TILE_IDLE, "", 0, true},
    {N_("Blood pressure"), "bp.svg", CAB_TILE_IDLE, "", 0, true},
    {N_("Pulse oximeter"), "oximeter.svg", CAB_TILE_IDLE, "", 0, true},
    {N_("Scale"), "scale.svg", CAB_TILE_IDLE, "", 0, true},
    {N_("Glucose meter"), "glucose.svg", CAB_TILE_IDLE, "", 0, true},
};

void cab_view_reset(struct cab_view *v)
{
	v->still_there_s = -1;
	v->emergency = false;
	v->confirm_stop = false;
	v->identity_sent = false;
	memset(&v->doctor, 0, sizeof v->doctor);
	v->consent_tele = -1;
	v->consent_data = -1;
	memset(&v->form, 0, sizeof v->form);
	v->form.sex = -1;
	v->form.abroad = -1;
	memcpy(v->checks, check_tiles, sizeof check_tiles);
	memcpy(v->instruments, instrument_tiles, sizeof instrument_tiles);
	v->call_s = 0;
	v->readings_sent = 0;
	v->wipe_progress = 0;
	v->requested_tile = -1;
	v->queue_position = 0;
	v->queue_estimate_s = -1;
	v->released = false;
	v->patient_ready = false;
	v->bp_rest_s = -1;
	v->doctor_message[0] = 0;
	v->muted = false;
	v->steth_on = false;
	v->exam_camera = 0;
	v->stills_taken = 0;
	explicit_bzero(&v->rx, sizeof v->rx);
}

void cab_view_format_fee(int cents, const char *lang, char *buf, unsigned long size)
{
	if (cents < 0)
		cents = 0;
	if (lang && !strcmp(lang, "en"))
		snprintf(buf, size, "€%d.%02d", cents / 100, cents % 100);
	else
		snprintf(buf, size, "%d,%02d\u00a0€", cents / 100, cents % 100);
}
