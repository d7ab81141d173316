/* fhir_internal.h — what the hand-off record's builder files share (fhir_bundle.h is
 * the public side). One concern a file:
 *   fhir_bundle.c   the transaction Bundle: entries, conditional creates, Encounter,
 *                   Consents, incidents
 *   fhir_people.c   Patient (FR Core), Practitioner/PractitionerRole (FR Core),
 *                   the pharmacy (Organization) and the cabin (Location)
 *   fhir_acts.c     the doctor's record: Composition, MedicationRequest, ServiceRequest,
 *                   Procedure, Communication
 *   fhir_device.c   instruments and cameras (HL7 PHD IG Device), the cabin as gateway,
 *                   Observations linked to them, Media for stills
 * Pure: no I/O, no clock (ids come from cab_uuid4). */
#ifndef CABIN_FHIR_INTERNAL_H
#define CABIN_FHIR_INTERNAL_H

#include "kiosk/link/fhir_bundle.h"

#include <jansson.h>

#define FHIR_MAX_DEVICES 32
#define FHIR_URL 48 /* "urn:uuid:" + 36 + NUL, rounded */

/* One Device already in the Bundle, found again by its key. */
struct fhir_dev {
	char key[200];
	char url[FHIR_URL];
	char kind[32];
};

/* One act the doctor asked for (a station `request`), as a ServiceRequest. */
struct fhir_req {
	char id[48];   /* the request message's id */
	char action[16];
	char kind[32]; /* instrument kind, "" for a still of the live camera */
	char time[40];
	char url[FHIR_URL];
	char procedure[FHIR_URL]; /* the Procedure that performed it, "" when none yet */
};
#define FHIR_MAX_REQS 128

/* The builder's state: the entries and the fullUrls other resources point to. */
struct fhir_ctx {
	const struct cab_fhir_bundle_in *in;
	json_t *entries;
	char patient[FHIR_URL], encounter[FHIR_URL], location[FHIR_URL], organization[FHIR_URL];
	char doctor[FHIR_URL], doctor_role[FHIR_URL], pharmacist[FHIR_URL],
	    pharmacist_role[FHIR_URL], gateway[FHIR_URL];
	struct fhir_dev devs[FHIR_MAX_DEVICES];
	int ndevs;
	struct fhir_req reqs[FHIR_MAX_REQS];
	int nreqs;
	int readings_refused; /* the patient refused that readings leave the cabin */
	int readings_dropped; /* readings left out because of that refusal */
};

/* --- fhir_bundle.c -------------------------------------------------------------- */
/* STR of key K of object O, "" when absent or not a string. */
const char *fx_str(json_t *o, const char *k);
/* A fresh "urn:uuid:..." into OUT; from ID (a UUID or message id) when not NULL. */
void fx_url(char out[FHIR_URL], const char *id);
/* {"reference": URL}, new reference. */
json_t *fx_ref(const char *url);
/* A Coding {system, code, display?}, new reference (display omitted when NULL). */
json_t *fx_coding(const char *system, const char *code, const char *display);
/* A CodeableConcept with one coding and text (either may be NULL), new reference. */
json_t *fx_concept(const char *system, const char *code, const char *display, const char *text);
/* An Identifier {system, value}, new reference. */
json_t *fx_ident(const char *system, const char *value);
/* Adds RES (consumed) as a transaction entry at URL: request POST TYPE with
 * ifNoneExist "identifier=SYSTEM|VALUE" of RES's first identifier (every resource the
 * builder makes has one, so that posting the record twice creates nothing twice). */
void fx_add(struct fhir_ctx *c, const char *url, json_t *res);
/* The first message of TYPE, or NULL. */
json_t *fx_find(const struct cab_fhir_bundle_in *in, const char *type);

/* --- fhir_people.c ---------------------------------------------------------------- */
void fx_add_patient(struct fhir_ctx *c, json_t *identity_msg);
void fx_add_location(struct fhir_ctx *c);
void fx_add_professionals(struct fhir_ctx *c, json_t *identity_msg);

/* --- fhir_device.c ---------------------------------------------------------------- */
/* The fullUrl of the Device for the "device" object DEV of a reading (added on first
 * use), or NULL when there are too many. */
const char *fx_device(struct fhir_ctx *c, json_t *dev);
/* The cabin as the PHD gateway Device. */
void fx_add_gateway(struct fhir_ctx *c);
/* Observations of the readings (BP panel for sys/dia/mean), linked to patient,
 * encounter, device, gateway and the ServiceRequest they answer (REQ_URL_FOR). */
void fx_add_readings(struct fhir_ctx *c);
/* One Media per complete and verified still, with its camera Device. */
void fx_add_media(struct fhir_ctx *c);

/* --- fhir_acts.c ------------------------------------------------------------------ */
/* Registers the doctor's measure / still / stethoscope requests (their ServiceRequest
 * fullUrls) and adds a Communication per message the doctor sent the patient. */
void fx_add_acts(struct fhir_ctx *c);
/* Adds the ServiceRequests (status completed when performed). After the readings and
 * the Media, which mark what was performed. */
void fx_add_requests(struct fhir_ctx *c);
/* The fullUrl of the ServiceRequest a reading of instrument KIND at TIME answers
 * (the latest request of that kind before TIME), or NULL. */
struct fhir_req *fx_request_for(struct fhir_ctx *c, const char *kind, const char *time);
/* The ServiceRequest of the still request REQ_ID, or NULL. */
struct fhir_req *fx_request_by_id(struct fhir_ctx *c, const char *req_id);
/* Marks R performed by a Procedure at TIME (added once; FOCUS is the result's
 * fullUrl, added to Procedure.report when it is an Observation or Media). */
void fx_performed(struct fhir_ctx *c, struct fhir_req *r, const char *time);
/* The Composition (compte rendu) and the MedicationRequests of the prescription. */
void fx_add_report(struct fhir_ctx *c);

#endif
