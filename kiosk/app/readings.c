/* readings.c — instrument readings to waiting-room tiles (see readings.h). Codes are
 * IEEE 11073-10101 (devices/include/cabin/mdc.h), units UCUM. */
#include "kiosk/app/readings.h"

#include <stdio.h>
#include <string.h>

#include "cabin/mdc.h"
#include "kiosk/ui/i18n.h"

int cab_reading_tile(enum cab_device_kind kind)
{
	switch (kind) {
	case CAB_KIND_THERMOMETER:
		return 0;
	case CAB_KIND_BLOOD_PRESSURE:
		return 1;
	case CAB_KIND_PULSE_OXIMETER:
		return 2;
	case CAB_KIND_SCALE:
		return 3;
	case CAB_KIND_GLUCOMETER:
		return 4;
	default:
		return -1;
	}
}

void cab_format_number(double value, int decimals, const char *lang, char *buf, unsigned long size)
{
	snprintf(buf, size, "%.*f", decimals, value);
	if (lang && !strcmp(lang, "fr")) {
		char *dot = strchr(buf, '.');
		if (dot)
			*dot = ',';
	}
}

/* The unit as printed on screen for a UCUM code. */
static const char *shown_unit(const char *ucum)
{
	static const struct {
		const char *ucum, *shown;
	} units[] = {
	    {"Cel", "°C"}, {"[degF]", "°F"}, {"mm[Hg]", "mmHg"}, {"kPa", "kPa"}, {"/min", "/min"},
	    {"%", "%"},    {"kg", "kg"},     {"[lb_av]", "lb"},  {"cm", "cm"},   {"kg/m2", "kg/m²"},
	    {"mg/dL", "mg/dL"}, {"mmol/L", "mmol/L"},
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(ucum, units[i].ucum))
			return units[i].shown;
	return ucum;
}

static uint16_t term(uint32_t mdc)
{
	return (uint16_t)(mdc & 0xFFFF);
}

bool cab_reading_apply(struct cab_view *v, struct cab_vitals *vitals, const struct cab_reading *r,
                       const char *lang)
{
	if (r->flags & (CAB_RF_BEFORE_SESSION | CAB_RF_CONTROL_SOLUTION | CAB_RF_HISTORY))
		return false;
	int i = cab_reading_tile(r->device.kind);
	if (i < 0)
		return false;
	struct cab_tile *t = &v->instruments[i];
	if (r->flags & CAB_RF_ONGOING) {
		t->state = CAB_TILE_BUSY;
		t->progress = 0.5f;
		return true;
	}
	if ((r->flags & CAB_RF_OUT_OF_RANGE) && !(r->flags & CAB_RF_INVALID) &&
	    (r->value_kind == CAB_VALUE_PINF || r->value_kind == CAB_VALUE_NINF)) {
		t->state = CAB_TILE_OK; /* the meter's own HI / LO, shown as it shows it */
		snprintf(t->detail, sizeof t->detail, "%s %s", r->value_kind == CAB_VALUE_PINF ? "HI" : "LO",
		         shown_unit(r->ucum));
		return true;
	}
	if ((r->flags & CAB_RF_INVALID) || r->value_kind != CAB_VALUE_NUMBER) {
		t->state = CAB_TILE_FAILED;
		snprintf(t->detail, sizeof t->detail, "%s", _("Please measure again"));
		return true;
	}
	char a[24], b[24], c[24];
	t->state = CAB_TILE_OK;
	switch (r->device.kind) {
	case CAB_KIND_BLOOD_PRESSURE:
		if (term(r->mdc) == MDC_PRESS_BLD_NONINV_SYS)
			vitals->sys = r->value;
		else if (term(r->mdc) == MDC_PRESS_BLD_NONINV_DIA)
			vitals->dia = r->value;
		else if (term(r->mdc) == MDC_PULS_RATE_NON_INV)
			vitals->bp_pulse = r->value;
		else if (term(r->mdc) == MDC_PRESS_BLD_NONINV_MEAN)
			vitals->bp_mean = r->value;
		else
			return true;
		if (vitals->sys <= 0 || vitals->dia <= 0) { /* the primary result is not complete */
			t->state = CAB_TILE_BUSY;
			return true;
		}
		cab_format_number(vitals->sys, 0, lang, a, sizeof a);
		cab_format_number(vitals->dia, 0, lang, b, sizeof b);
		cab_format_number(vitals->bp_pulse, 0, lang, c, sizeof c);
		if (vitals->bp_pulse > 0)
			snprintf(t->detail, sizeof t->detail, "%.8s/%.8s mmHg · %.8s /min", a, b, c);
		else
			snprintf(t->detail, sizeof t->detail, "%.8s/%.8s mmHg", a, b);
		if (vitals->bp_mean > 0) { /* secondary: mean arterial pressure */
			char d[24];
			size_t l = strlen(t->detail);
			cab_format_number(vitals->bp_mean, 0, lang, d, sizeof d);
			snprintf(t->detail + l, sizeof t->detail - l, " · %s %.8s", _("MAP"), d);
		}
		return true;
	case CAB_KIND_PULSE_OXIMETER:
		if (term(r->mdc) == MDC_PULS_OXIM_SAT_O2)
			vitals->spo2 = r->value;
		else if (term(r->mdc) == MDC_PULS_OXIM_PULS_RATE)
			vitals->ox_pulse = r->value;
		else
			return true; /* perfusion index, pleth: not shown */
		cab_format_number(vitals->spo2, 0, lang, a, sizeof a);
		cab_format_number(vitals->ox_pulse, 0, lang, b, sizeof b);
		snprintf(t->detail, sizeof t->detail, "SpO₂ %.8s %% · %.8s /min", a, b);
		return true;
	case CAB_KIND_SCALE:
		if (term(r->mdc) == MDC_MASS_BODY_ACTUAL) {
			vitals->weight = r->value;
			snprintf(vitals->weight_ucum, sizeof vitals->weight_ucum, "%s", r->ucum);
		} else if (term(r->mdc) == MDC_RATIO_MASS_BODY_LEN_SQ) {
			vitals->bmi = r->value;
		} else if (term(r->mdc) == MDC_BODY_FAT) {
			vitals->fat = r->value;
		} else {
			return true; /* height: kept in the record, not on the tile */
		}
		if (vitals->weight <= 0) { /* secondary values never stand in for the weight */
			t->state = CAB_TILE_BUSY;
			return true;
		}
		cab_format_number(vitals->weight, 1, lang, a, sizeof a);
		snprintf(t->detail, sizeof t->detail, "%.12s %.8s", a, shown_unit(vitals->weight_ucum));
		if (vitals->bmi > 0) {
			size_t l = strlen(t->detail);
			cab_format_number(vitals->bmi, 1, lang, b, sizeof b);
			snprintf(t->detail + l, sizeof t->detail - l, " · %s %.8s", _("BMI"), b);
		}
		if (vitals->fat > 0) {
			size_t l = strlen(t->detail);
			cab_format_number(vitals->fat, 1, lang, c, sizeof c);
			snprintf(t->detail + l, sizeof t->detail - l, " · %s %.8s %%", _("fat"), c);
		}
		return true;
	default: {
		int dec = !strcmp(r->ucum, "mg/dL") ? 0 : 1; /* mg/dL in whole units, the rest to 0.1 */
		cab_format_number(r->value, dec, lang, a, sizeof a);
		snprintf(t->detail, sizeof t->detail, "%.16s %.16s", a, shown_unit(r->ucum));
		return true;
	}
	}
}
