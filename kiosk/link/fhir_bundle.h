/* fhir_bundle.h — the hand-off record: an HL7 FHIR R4 Bundle (type "collection")
 * built from the link messages of one session (docs/link.md, "Hand-off record").
 * Usable by both ends; the station writes it to DATA/<session>.json. Pure. */
#ifndef CABIN_FHIR_BUNDLE_H
#define CABIN_FHIR_BUNDLE_H

#include <jansson.h>
#include <stddef.h>

/* URL of Cabin's extension carrying one technical incident on the Encounter. */
#define CAB_FHIR_EXT_INCIDENT "https://cabin.invalid/fhir/StructureDefinition/technical-incident"
/* FR Core extension holding the INSEE code inside the birth-place Address. */
#define CAB_FHIR_EXT_INSEE                                                                         \
	"https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code"
#define CAB_FHIR_EXT_BIRTHPLACE "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
#define CAB_FHIR_OID_NIR "urn:oid:1.2.250.1.213.1.4.8"
#define CAB_FHIR_OID_NIA "urn:oid:1.2.250.1.213.1.4.9"
#define CAB_FHIR_OID_RPPS "urn:oid:1.2.250.1.71.4.2.1"
/* Cabin's identifier systems on a still's Media: the still id, and the SHA-256 of the
 * JPEG (Attachment.hash is SHA-1 in R4, so the SHA-256 travels as an identifier). */
#define CAB_FHIR_SID_STILL "https://cabin.invalid/fhir/sid/still-id"
#define CAB_FHIR_SID_SHA256 "https://cabin.invalid/fhir/sid/sha-256"

/* Inputs: the session id, the cabin's hello message (its "cabin" object gives the
 * Location), the doctor {"name","specialty","rpps"} (may be NULL), and the session's
 * data messages (validated by cab_msg_parse) in arrival order. Duplicates must
 * already be dropped. */
struct cab_fhir_bundle_in {
	const char *session;
	json_t *hello;
	json_t *doctor;
	json_t *const *msgs;
	size_t n;
};

/* Builds the Bundle: Patient (INS identifier NIR .4.8 / NIA .4.9, birth name,
 * first names, birth date, gender, birth place as an INSEE code), Consent,
 * Encounter (class VR, incidents as CAB_FHIR_EXT_INCIDENT extensions), one
 * Observation per reading (systolic + diastolic [+ mean] of one device and time as
 * one BP panel 85354-9), one Device per instrument, the cabin's Location and the
 * doctor's Practitioner (RPPS), one Media per complete exam still (the "still"
 * messages, reassembled and checked by cab_still_assemble). TIMESTAMP is the Bundle's instant (RFC
 * 3339). Returns a new reference, NULL on allocation failure. */
json_t *cab_fhir_bundle(const struct cab_fhir_bundle_in *in, const char *timestamp);

#endif
