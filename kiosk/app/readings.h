/* readings.h — what a reading from an instrument changes on screen: the instrument's
 * tile in the waiting room (state and the value with its unit, written the way the
 * patient reads it in their language). Pure: no SDL, no flow. */
#ifndef CABIN_APP_READINGS_H
#define CABIN_APP_READINGS_H

#include <stdbool.h>

#include "cabin/reading.h"
#include "kiosk/ui/view.h"

/* The last values shown per instrument (blood pressure and oximetry need several
 * readings for one line). Zero = nothing yet. */
struct cab_vitals {
	double sys, dia, bp_pulse;  /* mm[Hg], mm[Hg], /min */
	double spo2, ox_pulse;      /* %, /min */
	double bp_mean;             /* mm[Hg], secondary (0: none) */
	double weight;              /* the scale's primary value, in WEIGHT_UCUM (0: none yet) */
	char weight_ucum[16];
	double bmi, fat;            /* kg/m2, % : secondary (0: none) */
};

/* Index of the instrument tile for KIND in struct cab_view.instruments, or -1. */
int cab_reading_tile(enum cab_device_kind kind);

/* Applies R to V's instrument tiles (VITALS keeps the parts of multi-value
 * instruments), formatting numbers for LANG ("fr": decimal comma). A tile shows its
 * instrument's primary result whatever arrived last: weight (BMI and body fat after it,
 * as secondary values), systolic/diastolic and pulse (mean pressure secondary), SpO2
 * and pulse. Readings flagged BEFORE_SESSION (not this patient's) or CONTROL_SOLUTION
 * (a meter check, not the patient's blood) are ignored; OUT_OF_RANGE glucose shows
 * "HI"/"LO", never a number. Returns true if the view changed. */
bool cab_reading_apply(struct cab_view *v, struct cab_vitals *vitals, const struct cab_reading *r,
                       const char *lang);

/* Formats VALUE with DECIMALS digits after the separator of LANG into BUF. */
void cab_format_number(double value, int decimals, const char *lang, char *buf, unsigned long size);

#endif
