/* fhir_bundle.h — the teleconsultation record: an HL7 FHIR R4 transaction Bundle
 * built from the messages of one session and the doctor's report (docs/record.md).
 * The station writes it to DATA/<session>.json and delivers it to the platform's FHIR
 * server. Pure. */
#ifndef CABIN_FHIR_BUNDLE_H
#define CABIN_FHIR_BUNDLE_H

#include <jansson.h>
#include <stddef.h>

/* Canonical base of Cabin's own FHIR definitions and identifier systems (the
 * project's GitHub Pages site; the definitions themselves are in assets/fhir/). */
#define CAB_FHIR_CANON "https://cabin-teleconsultation.github.io/fhir"
/* Cabin's extension carrying one technical incident on the Encounter
 * (assets/fhir/StructureDefinition-technical-incident.json). */
#define CAB_FHIR_EXT_INCIDENT CAB_FHIR_CANON "/StructureDefinition/technical-incident"
/* FR Core (https://hl7.fr/ig/fhir/core/) */
#define CAB_FRCORE "https://hl7.fr/ig/fhir/core"
#define CAB_FHIR_EXT_INSEE CAB_FRCORE "/StructureDefinition/fr-core-address-insee-code"
#define CAB_FHIR_EXT_RELIABILITY CAB_FRCORE "/StructureDefinition/fr-core-identity-reliability"
#define CAB_FHIR_EXT_BIRTH_GIVEN CAB_FRCORE "/StructureDefinition/fr-core-patient-birth-list-given-name"
#define CAB_FHIR_CS_0203 CAB_FRCORE "/CodeSystem/fr-core-cs-v2-0203"
#define CAB_FHIR_CS_0445 CAB_FRCORE "/CodeSystem/fr-core-cs-v2-0445"
#define CAB_FHIR_EXT_BIRTHPLACE "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
#define CAB_FHIR_OID_NIR "urn:oid:1.2.250.1.213.1.4.8"
#define CAB_FHIR_OID_NIA "urn:oid:1.2.250.1.213.1.4.9"
/* IDNPS (8 + RPPS) system of FR Core Practitioner's idNatPs slice. */
#define CAB_FHIR_OID_RPPS "urn:oid:1.2.250.1.71.4.2.1"
#define CAB_FHIR_OID_FINESS "urn:oid:1.2.250.1.71.4.2.2"
/* HL7 PHD IG: the IEEE 11073 system-id (EUI-64) system and the SYSID type. */
#define CAB_FHIR_OID_SYSID "urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680"
#define CAB_FHIR_CS_PHD_IDS "http://hl7.org/fhir/uv/phd/CodeSystem/ContinuaDeviceIdentifiers"
/* Cabin's identifier systems. */
#define CAB_FHIR_SID CAB_FHIR_CANON "/sid/"
#define CAB_FHIR_SID_STILL CAB_FHIR_SID "still-id"
#define CAB_FHIR_SID_SHA256 CAB_FHIR_SID "sha-256"

/* Inputs: the session id, the cabin's hello message (its "cabin" object gives the
 * Location, the pharmacy Organization with "finess" when configured, and the gateway
 * Device), the doctor {"name","specialty","rpps"} (may be NULL), the session's
 * messages in arrival order: the cabin's data messages (validated by cab_msg_parse,
 * duplicates dropped) and the station's own `request` messages with the "time" they
 * were sent; and the doctor's record as the console stores it (may be NULL):
 * {"report":{"reason","history","examination","conclusion","advice"},
 *  "prescription":{"id","date","lines":[{"medicine","dose","duration","text"}]}}. */
struct cab_fhir_bundle_in {
	const char *session;
	json_t *hello;
	json_t *doctor;
	json_t *const *msgs;
	size_t n;
	json_t *record;
};

/* Builds the teleconsultation record (CSP R.6316-4) as a FHIR R4 `transaction`
 * Bundle: every entry has request POST <type> with ifNoneExist on its first
 * identifier, so posting it twice creates nothing twice. Resources: Patient (FR Core:
 * identity reliability PROV, VALI when the pharmacist checked a document; the INS only
 * when qualified; birth first names; gender in FR Core's value set), Practitioner +
 * PractitionerRole (RPPS as IDNPS, specialty from TRE_R38) for the doctor and the
 * pharmacist, the pharmacy Organization (FINESS), the cabin Location, Encounter (class
 * VR, the call's period, incidents), one Consent per answer, Devices per the HL7 PHD IG
 * (system-id, MDC type, the cabin as gateway), Observations, Media for stills, the
 * acts (ServiceRequest / Procedure), the doctor's messages (Communication), the
 * compte rendu (Composition) and one MedicationRequest per prescription line.
 * A refusal to send readings leaves every reading out and the readings Consent says
 * so. TIMESTAMP is the Bundle's instant (RFC 3339). Returns a new reference, NULL on
 * allocation failure. */
json_t *cab_fhir_bundle(const struct cab_fhir_bundle_in *in, const char *timestamp);

#endif
