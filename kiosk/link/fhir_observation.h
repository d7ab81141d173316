/* fhir_observation.h — a struct cab_reading as an HL7 FHIR R4 Observation (JSON)
 * following the R4 vital-signs profiles (http://hl7.org/fhir/R4/observation-vitalsigns.html),
 * and the blood-pressure panel. Used by the cabin (reading messages) and the
 * station (hand-off Bundle). Pure: no I/O, no clock. */
#ifndef CABIN_FHIR_OBSERVATION_H
#define CABIN_FHIR_OBSERVATION_H

#include "cabin/reading.h"

#include <jansson.h>

#define CAB_FHIR_LOINC "http://loinc.org"
#define CAB_FHIR_UCUM "http://unitsofmeasure.org"
#define CAB_FHIR_MDC "urn:iso:std:iso:11073:10101"

/* What Cabin knows about one measured quantity: its LOINC code(s) and profile. */
struct cab_fhir_code {
	uint32_t mdc;        /* full MDC code (partition << 16 | term) */
	const char *ucum;    /* unit this row applies to, NULL for any */
	const char *loinc;   /* primary LOINC code */
	const char *display; /* LOINC long common name (short form) */
	const char *loinc2;  /* second LOINC coding, or NULL (e.g. SpO2 2708-6) */
	const char *display2;
	const char *category; /* "vital-signs" or "laboratory" */
	const char *profile;  /* FHIR R4 profile URL, or NULL */
};

/* The table row for MDC code MDC in unit UCUM, or NULL when Cabin has no LOINC
 * mapping (the Observation then carries the MDC coding alone). */
const struct cab_fhir_code *cab_fhir_code_for(uint32_t mdc, const char *ucum);

/* An Observation for one reading: id ID (may be NULL), status "final"
 * ("preliminary" when CAB_RF_ONGOING), category, code = LOINC coding(s) + the MDC
 * coding (system urn:iso:std:iso:11073:10101, code = decimal full code),
 * effectiveDateTime (the device's time for stored readings, otherwise the cabin's),
 * valueQuantity in UCUM (or dataAbsentReason for IEEE 11073 special values),
 * quality flags as a note, and "device": {"display": ...}. The caller adds subject,
 * encounter and the device reference. NULL on allocation failure. */
json_t *cab_fhir_observation(const struct cab_reading *r, const char *id);

/* The vital-signs blood-pressure panel (LOINC 85354-9, profile
 * http://hl7.org/fhir/StructureDefinition/bp) from the systolic (8480-6) and
 * diastolic (8462-4) readings, with mean (8478-0) as a third component when MEAN is
 * not NULL. Components carry the MDC codings too. NULL when SYS or DIA is NULL. */
json_t *cab_fhir_bp_panel(const struct cab_reading *sys, const struct cab_reading *dia,
                          const struct cab_reading *mean, const char *id);

/* The "device" object of a reading message: kind, model, manufacturer, serial,
 * firmware, system_id, vid/pid, simulated (reading.h's struct cab_device_id). */
json_t *cab_fhir_device_json(const struct cab_device_id *d);

#endif
