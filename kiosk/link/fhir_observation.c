/* fhir_observation.c — reading -> FHIR R4 Observation. LOINC codes per the R4
 * vital-signs value set (http://hl7.org/fhir/R4/valueset-observation-vitalsignresult.html)
 * and profiles (bodytemp, heartrate, oxygensat, bodyweight, bodyheight, bmi, bp);
 * glucose per LOINC 41653-7 / 14743-9 (capillary blood by glucometer) with 2339-0 /
 * 15074-8 (glucose in blood). */
#include "kiosk/link/fhir_observation.h"

#include "cabin/mdc.h"
#include "common/clock.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define VS "vital-signs"
#define SD "http://hl7.org/fhir/StructureDefinition/"

static const struct cab_fhir_code codes[] = {
    {MDC_FULL(2, MDC_TEMP_BODY), NULL, "8310-5", "Body temperature", NULL, NULL, VS, SD "bodytemp"},
    {MDC_FULL(2, MDC_TEMP_TYMP), NULL, "8310-5", "Body temperature", NULL, NULL, VS, SD "bodytemp"},
    {MDC_FULL(2, MDC_PULS_OXIM_SAT_O2), NULL, "59408-5",
     "Oxygen saturation in Arterial blood by Pulse oximetry", "2708-6",
     "Oxygen saturation in Arterial blood", VS, SD "oxygensat"},
    {MDC_FULL(2, MDC_PULS_OXIM_PULS_RATE), NULL, "8867-4", "Heart rate", NULL, NULL, VS,
     SD "heartrate"},
    {MDC_FULL(2, MDC_PULS_RATE_NON_INV), NULL, "8867-4", "Heart rate", NULL, NULL, VS,
     SD "heartrate"},
    {MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS), NULL, "8480-6", "Systolic blood pressure", NULL, NULL,
     VS, SD "vitalsigns"},
    {MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA), NULL, "8462-4", "Diastolic blood pressure", NULL, NULL,
     VS, SD "vitalsigns"},
    {MDC_FULL(2, MDC_PRESS_BLD_NONINV_MEAN), NULL, "8478-0", "Mean blood pressure", NULL, NULL, VS,
     SD "vitalsigns"},
    {MDC_FULL(2, MDC_MASS_BODY_ACTUAL), NULL, "29463-7", "Body weight", NULL, NULL, VS,
     SD "bodyweight"},
    {MDC_FULL(2, MDC_LEN_BODY_ACTUAL), NULL, "8302-2", "Body height", NULL, NULL, VS,
     SD "bodyheight"},
    {MDC_FULL(2, MDC_RATIO_MASS_BODY_LEN_SQ), NULL, "39156-5", "Body mass index (BMI) [Ratio]",
     NULL, NULL, VS, SD "bmi"},
    {MDC_FULL(2, MDC_BODY_FAT), NULL, "41982-0", "Percentage of body fat Measured", NULL, NULL,
     "exam", NULL},
    {MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD), "mmol/L", "14743-9",
     "Glucose [Moles/volume] in Capillary blood by Glucometer", "15074-8",
     "Glucose [Moles/volume] in Blood", "laboratory", NULL},
    {MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD), NULL, "41653-7",
     "Glucose [Mass/volume] in Capillary blood by Glucometer", "2339-0",
     "Glucose [Mass/volume] in Blood", "laboratory", NULL},
    {MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_PLASMA), "mmol/L", "14743-9",
     "Glucose [Moles/volume] in Capillary blood by Glucometer", "15074-8",
     "Glucose [Moles/volume] in Blood", "laboratory", NULL},
    {MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_PLASMA), NULL, "41653-7",
     "Glucose [Mass/volume] in Capillary blood by Glucometer", "2339-0",
     "Glucose [Mass/volume] in Blood", "laboratory", NULL},
};

const struct cab_fhir_code *cab_fhir_code_for(uint32_t mdc, const char *ucum)
{
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (codes[i].mdc == mdc &&
		    (!codes[i].ucum || (ucum && !strcmp(codes[i].ucum, ucum))))
			return &codes[i];
	return NULL;
}

static json_t *coding(const char *system, const char *code, const char *display)
{
	json_t *c = json_pack("{s:s, s:s}", "system", system, "code", code);
	if (c && display)
		json_object_set_new(c, "display", json_string(display));
	return c;
}

/* CodeableConcept with the LOINC coding(s) of ROW (may be NULL) and the MDC coding. */
static json_t *code_concept(const struct cab_fhir_code *row, uint32_t mdc)
{
	json_t *arr = json_array();
	char mdc_code[16];
	snprintf(mdc_code, sizeof mdc_code, "%u", mdc);
	if (row) {
		json_array_append_new(arr, coding(CAB_FHIR_LOINC, row->loinc, row->display));
		if (row->loinc2)
			json_array_append_new(arr,
			                      coding(CAB_FHIR_LOINC, row->loinc2, row->display2));
	}
	const char *name = cab_mdc_name(mdc);
	json_array_append_new(arr, coding(CAB_FHIR_MDC, mdc_code, name));
	json_t *cc = json_pack("{s:o}", "coding", arr);
	json_object_set_new(cc, "text", json_string(row ? row->display : name ? name : mdc_code));
	return cc;
}

static json_t *category(const char *cat)
{
	static const char *sys = "http://terminology.hl7.org/CodeSystem/observation-category";
	const char *display = !strcmp(cat, VS)             ? "Vital Signs"
	                      : !strcmp(cat, "laboratory") ? "Laboratory"
	                                                   : "Exam";
	return json_pack("[{s:[o], s:s}]", "coding", coding(sys, cat, display), "text", display);
}

/* valueQuantity, or dataAbsentReason for special values (IEEE 11073-20601 FLOAT). */
static void set_value(json_t *obj, const char *prefix_value, const char *prefix_absent,
                      const struct cab_reading *r)
{
	if (r->value_kind == CAB_VALUE_NUMBER && isfinite(r->value)) {
		json_object_set_new(obj, prefix_value,
		                    json_pack("{s:f, s:s, s:s, s:s}", "value", r->value, "unit",
		                              r->ucum, "system", CAB_FHIR_UCUM, "code", r->ucum));
		return;
	}
	const char *code = "error";
	switch (r->value_kind) {
	case CAB_VALUE_NAN:
		code = "not-a-number";
		break;
	case CAB_VALUE_PINF:
		code = "positive-infinity";
		break;
	case CAB_VALUE_NINF:
		code = "negative-infinity";
		break;
	default:
		code = "error";
		break;
	}
	json_object_set_new(
	    obj, prefix_absent,
	    json_pack(
	        "{s:[o]}", "coding",
	        coding("http://terminology.hl7.org/CodeSystem/data-absent-reason", code, NULL)));
}

static json_t *quality_note(uint32_t flags)
{
	static const struct {
		uint32_t bit;
		const char *text;
	} names[] = {
	    {CAB_RF_SIGNAL_WEAK, "signal weak"},
	    {CAB_RF_MOTION, "motion"},
	    {CAB_RF_NO_FINGER, "probe off"},
	    {CAB_RF_CUFF_ERROR, "cuff error"},
	    {CAB_RF_IRREGULAR_HB, "irregular heartbeat"},
	    {CAB_RF_LOW_BATTERY, "low battery"},
	    {CAB_RF_INVALID, "flagged invalid by the instrument"},
	    {CAB_RF_STORED, "from the instrument's memory"},
	    {CAB_RF_OUT_OF_RANGE, "outside the instrument's measuring range (HI/LO)"},
	    {CAB_RF_CLOCK_UNSET, "instrument clock not set: time of measurement unknown"},
	    {CAB_RF_HISTORY, "meter history asked by the doctor"},
	};
	char buf[256] = "";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (flags & names[i].bit) {
			if (buf[0])
				strncat(buf, "; ", sizeof buf - strlen(buf) - 1);
			strncat(buf, names[i].text, sizeof buf - strlen(buf) - 1);
		}
	return buf[0] ? json_pack("[{s:s}]", "text", buf) : NULL;
}

static void device_display(const struct cab_device_id *d, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s%s", cab_device_kind_name(d->kind), d->model[0] ? " " : "",
	         d->model, d->serial[0] ? " #" : "", d->serial);
}

static int64_t effective_ms(const struct cab_reading *r)
{
	return (r->flags & CAB_RF_STORED) && r->device_time_ms != INT64_MIN ? r->device_time_ms
	                                                                    : r->cabin_time_ms;
}

/* Fields common to a single observation and the panel. */
static json_t *base(const struct cab_reading *r, const char *id, const struct cab_fhir_code *row,
                    const char *cat, const char *profile)
{
	char t[40], dev[160];
	json_t *o = json_pack("{s:s}", "resourceType", "Observation");
	if (id)
		json_object_set_new(o, "id", json_string(id));
	if (profile)
		json_object_set_new(o, "meta", json_pack("{s:[s]}", "profile", profile));
	json_object_set_new(o, "status",
	                    json_string(r->flags & CAB_RF_ONGOING ? "preliminary" : "final"));
	json_object_set_new(o, "category", category(cat));
	(void)row;
	json_object_set_new(o, "effectiveDateTime",
	                    json_string(cab_time_rfc3339(effective_ms(r), t, sizeof t)));
	json_object_set_new(o, "issued",
	                    json_string(cab_time_rfc3339(r->cabin_time_ms, t, sizeof t)));
	device_display(&r->device, dev, sizeof dev);
	json_object_set_new(o, "device", json_pack("{s:s}", "display", dev));
	return o;
}

json_t *cab_fhir_observation(const struct cab_reading *r, const char *id)
{
	const struct cab_fhir_code *row = cab_fhir_code_for(r->mdc, r->ucum);
	json_t *o = base(r, id, row, row ? row->category : VS, row ? row->profile : NULL);
	if (!o)
		return NULL;
	json_object_set_new(o, "code", code_concept(row, r->mdc));
	set_value(o, "valueQuantity", "dataAbsentReason", r);
	json_t *note = quality_note(r->flags);
	if (note)
		json_object_set_new(o, "note", note);
	return o;
}

json_t *cab_fhir_bp_panel(const struct cab_reading *sys, const struct cab_reading *dia,
                          const struct cab_reading *mean, const char *id)
{
	if (!sys || !dia)
		return NULL;
	json_t *o = base(sys, id, NULL, VS, SD "bp");
	if (!o)
		return NULL;
	json_t *cc = json_pack(
	    "{s:[o], s:s}", "coding",
	    coding(CAB_FHIR_LOINC, "85354-9", "Blood pressure panel with all children optional"),
	    "text", "Blood pressure");
	json_object_set_new(o, "code", cc);
	json_t *comps = json_array();
	const struct cab_reading *parts[3] = {sys, dia, mean};
	for (int i = 0; i < 3; i++) {
		if (!parts[i])
			continue;
		json_t *c = json_object();
		json_object_set_new(
		    c, "code",
		    code_concept(cab_fhir_code_for(parts[i]->mdc, parts[i]->ucum), parts[i]->mdc));
		set_value(c, "valueQuantity", "dataAbsentReason", parts[i]);
		json_array_append_new(comps, c);
	}
	json_object_set_new(o, "component", comps);
	json_t *note = quality_note(sys->flags | dia->flags | (mean ? mean->flags : 0));
	if (note)
		json_object_set_new(o, "note", note);
	return o;
}

json_t *cab_fhir_device_json(const struct cab_device_id *d)
{
	char vidpid[16] = "";
	if (d->vid || d->pid)
		snprintf(vidpid, sizeof vidpid, "%04x:%04x", d->vid, d->pid);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "kind",
	                 cab_device_kind_name(d->kind), "driver", d->driver, "model", d->model,
	                 "manufacturer", d->manufacturer, "serial", d->serial, "firmware",
	                 d->firmware, "system_id", d->system_id, "usb", vidpid, "udi", "",
	                 "simulated", d->simulated);
}
