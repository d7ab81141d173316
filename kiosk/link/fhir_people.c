/* fhir_people.c — the people and places of the record: the patient (FR Core Patient),
 * the doctor and the assisting pharmacist (FR Core Practitioner + PractitionerRole),
 * the pharmacy (Organization) and the cabin (Location).
 * Sources: FR Core 2.x (https://hl7.fr/ig/fhir/core/): fr-core-patient (identity
 * reliability extension, birth-list-given-name, birth place with the INSEE code),
 * fr-core-patient-ins (INS only for a qualified identity; INS-NIR official, INS-NIA
 * temp; gender from fr-core-vs-patient-gender-INS = male | female | unknown),
 * fr-core-practitioner (idNatPs = IDNPS "8" + RPPS under urn:oid:1.2.250.1.71.4.2.1),
 * fr-core-practitioner-role; ANS nomenclatures TRE_G15 (professions) and TRE_R38
 * (specialties, https://mos.esante.gouv.fr/NOS/). */
#include "kiosk/link/fhir_internal.h"

#include "kiosk/link/message.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define TRE_G15 "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante"
#define TRE_R38                                                                                    \
	"https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale"
#define TRE_R13 "https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM"
#define CS_VALIDATION CAB_FRCORE "/CodeSystem/fr-core-cs-mode-validation-identity"

/* Specialties as the doctors' certificates and files name them, and their TRE_R38
 * code (display as in TRE_R38). */
static const struct {
	const char *name, *code, *display;
} specialties[] = {
    {"Médecine générale", "SM54", "Médecine générale (SM)"},
    {"Pédiatrie", "SM40", "Pédiatrie (SM)"},
    {"Dermatologie", "SM15", "Dermatologie et Vénéréologie (SM)"},
    {"Dermatologie et vénéréologie", "SM15", "Dermatologie et Vénéréologie (SM)"},
    {"Cardiologie", "SM04", "Cardiologie et Maladies vasculaires (SM)"},
    {"Gériatrie", "SM18", "Gériatrie (SM)"},
    {"Oto-rhino-laryngologie", "SM39", "Oto-rhino-laryngologie (SM)"},
    {"Pneumologie", "SM41", "Pneumologie (SM)"},
    {"Psychiatrie", "SM42", "Psychiatrie (SM)"},
    {"Endocrinologie", "SM16", "Endocrinologie et Métabolisme (SM)"},
};

/* Identity documents a pharmacist may check (RNIV), fr-core-cs-mode-validation-identity. */
static const struct {
	const char *code, *display;
} documents[] = {
    {"CN", "Carte nationale d'identité"},
    {"PA", "Passeport"},
    {"CS", "Carte de séjour"},
};

static json_t *reliability(const char *status, const char *display, json_t *verified)
{
	json_t *sub = json_pack("[{s:s, s:o}]", "url", "identityStatus", "valueCoding",
	                        fx_coding(CAB_FHIR_CS_0445, status, display));
	if (verified) {
		const char *doc = fx_str(verified, "document");
		for (size_t i = 0; i < sizeof documents / sizeof *documents; i++)
			if (!strcmp(doc, documents[i].code))
				json_array_append_new(
				    sub, json_pack("{s:s, s:o}", "url", "validationMode", "valueCoding",
				                   fx_coding(CS_VALIDATION, doc, documents[i].display)));
		char date[11];
		snprintf(date, sizeof date, "%.10s", fx_str(verified, "time"));
		if (strlen(date) == 10)
			json_array_append_new(sub, json_pack("{s:s, s:s}", "url", "validationDate",
			                                     "valueDate", date));
	}
	return json_pack("{s:s, s:o}", "url", CAB_FHIR_EXT_RELIABILITY, "extension", sub);
}

void fx_add_patient(struct fhir_ctx *c, json_t *msg)
{
	json_t *p = json_object_get(msg, "patient");
	json_t *ins = json_object_get(p, "ins");
	json_t *verified = json_object_get(p, "verified");
	/* The INS travels only with a qualified identity (INSi); a number the patient
	 * typed, even with a valid key, is not one (FR Core Patient INS, RNIV). */
	int qualified = ins && json_is_true(json_object_get(ins, "qualified"));
	const char *status = qualified ? "QUAL" : verified ? "VALI" : "PROV";
	const char *status_display = qualified  ? "Identité qualifiée"
	                             : verified ? "Identité validée"
	                                        : "Identité provisoire";
	json_t *res = json_pack(
	    "{s:s, s:{s:[s]}}", "resourceType", "Patient", "meta", "profile",
	    qualified ? CAB_FRCORE "/StructureDefinition/fr-core-patient-ins"
	              : CAB_FRCORE "/StructureDefinition/fr-core-patient");
	/* The cabin's own identifier of this patient's record (FR Core's PI slice), the
	 * session (one patient a session): what makes the conditional create find the same
	 * Patient when the record is posted again. */
	json_t *ids = json_pack(
	    "[{s:s, s:o, s:s, s:s}]", "use", "usual", "type",
	    fx_concept("http://terminology.hl7.org/CodeSystem/v2-0203", "PI",
	               "Patient internal identifier", NULL),
	    "system", CAB_FHIR_SID "patient", "value", c->in->session);
	if (qualified) {
		int nia = !strcmp(fx_str(ins, "kind"), "NIA");
		json_array_append_new(
		    ids, json_pack("{s:s, s:o, s:s, s:s}", "use", nia ? "temp" : "official", "type",
		                   fx_concept(CAB_FHIR_CS_0203, nia ? "INS-NIA" : "INS-NIR",
		                              nia ? "NIR temporaire" : "NIR définitif", NULL),
		                   "system", nia ? CAB_FHIR_OID_NIA : CAB_FHIR_OID_NIR, "value",
		                   fx_str(ins, "value")));
	}
	json_object_set_new(res, "identifier", ids);
	/* Birth name, the first first name in given, every first name in the
	 * birth-list-given-name extension (RNIV traits, as typed, in order). */
	char first[CAB_LINK_STR_MAX + 1];
	snprintf(first, sizeof first, "%s", fx_str(p, "first_names"));
	first[strcspn(first, " ")] = '\0';
	json_object_set_new(
	    res, "name",
	    json_pack("[{s:[{s:s, s:s}], s:s, s:s, s:[s]}]", "extension", "url",
	              CAB_FHIR_EXT_BIRTH_GIVEN, "valueString", fx_str(p, "first_names"), "use",
	              "official", "family", fx_str(p, "birth_name"), "given", first));
	if (*fx_str(p, "phone"))
		json_object_set_new(
		    res, "telecom",
		    json_pack("[{s:s, s:s, s:s}]", "system", "phone", "value", fx_str(p, "phone"),
		              "use", "mobile"));
	/* FR Core's gender value set has male | female | unknown; "other" is kept as the
	 * patient's gender identity (R4 extension patient-genderIdentity). */
	const char *sex = fx_str(p, "sex");
	int other = !strcmp(sex, "other");
	json_object_set_new(res, "gender",
	                    json_string(!strcmp(sex, "female") || !strcmp(sex, "male") ? sex
	                                                                                : "unknown"));
	json_object_set_new(res, "birthDate", json_string(fx_str(p, "birth_date")));
	json_t *addr = json_pack("{s:[{s:s, s:o}]}", "extension", "url", CAB_FHIR_EXT_INSEE,
	                         "valueCoding",
	                         fx_coding(TRE_R13, fx_str(p, "birth_place_insee"), NULL));
	json_t *ext = json_pack("[o, {s:s, s:o}]", reliability(status, status_display, verified),
	                        "url", CAB_FHIR_EXT_BIRTHPLACE, "valueAddress", addr);
	if (other)
		json_array_append_new(
		    ext, json_pack("{s:s, s:o}", "url",
		                   "http://hl7.org/fhir/StructureDefinition/patient-genderIdentity",
		                   "valueCodeableConcept",
		                   fx_concept("http://hl7.org/fhir/gender-identity", "other", "other",
		                              NULL)));
	json_object_set_new(res, "extension", ext);
	fx_url(c->patient, fx_str(msg, "id"));
	fx_add(c, c->patient, res);
}

/* The pharmacy hosting the cabin as an Organization: its FINESS (geographic entity)
 * when configured, else the cabin's id. */
static void add_pharmacy(struct fhir_ctx *c, json_t *cab)
{
	const char *finess = fx_str(cab, "finess");
	json_t *id = *finess ? json_pack("{s:o, s:s, s:s}", "type",
	                                 fx_concept(CAB_FHIR_CS_0203, "FINEG",
	                                            "FINESS d'entité géographique", NULL),
	                                 "system", CAB_FHIR_OID_FINESS, "value", finess)
	                     : fx_ident(CAB_FHIR_SID "pharmacy", fx_str(cab, "id"));
	json_t *res = json_pack(
	    "{s:s, s:{s:[s]}, s:[o], s:b, s:[o], s:s}", "resourceType", "Organization", "meta",
	    "profile", CAB_FRCORE "/StructureDefinition/fr-core-organization", "identifier", id,
	    "active", 1, "type",
	    fx_concept("http://terminology.hl7.org/CodeSystem/organization-type", "prov",
	               "Healthcare Provider", "Officine de pharmacie"),
	    "name", *fx_str(cab, "pharmacy") ? fx_str(cab, "pharmacy") : fx_str(cab, "id"));
	fx_url(c->organization, NULL);
	fx_add(c, c->organization, res);
}

void fx_add_location(struct fhir_ctx *c)
{
	json_t *cab = json_object_get(c->in->hello, "cabin");
	if (!cab)
		return;
	add_pharmacy(c, cab);
	json_t *a = json_object_get(cab, "address");
	json_t *addr = json_object();
	json_t *lines = json_array();
	if (*fx_str(a, "line"))
		json_array_append_new(lines, json_string(fx_str(a, "line")));
	json_object_set_new(addr, "line", lines);
	const char *keys[][2] = {
	    {"city", "city"}, {"postal_code", "postalCode"}, {"country", "country"}};
	for (size_t i = 0; i < 3; i++)
		if (*fx_str(a, keys[i][0]))
			json_object_set_new(addr, keys[i][1], json_string(fx_str(a, keys[i][0])));
	json_t *res = json_pack(
	    "{s:s, s:[o], s:s, s:s, s:s, s:s, s:o, s:[{s:s, s:s}], s:o}", "resourceType",
	    "Location", "identifier", fx_ident(CAB_FHIR_SID "cabin", fx_str(cab, "id")), "status",
	    "active", "mode", "instance", "name", fx_str(cab, "id"), "description",
	    "Cabine de téléconsultation", "address", addr, "telecom", "system", "phone", "value",
	    fx_str(cab, "phone"), "managingOrganization", fx_ref(c->organization));
	fx_url(c->location, NULL);
	fx_add(c, c->location, res);
}

/* A professional: Practitioner (FR Core: idNatPs = IDNPS "8" + RPPS, and the RPPS slice)
 * and PractitionerRole (profession from TRE_G15, specialty from TRE_R38 when known). */
static void add_professional(struct fhir_ctx *c, json_t *who, const char *profession,
                             const char *profession_display, char *url, char *role_url)
{
	const char *rpps = fx_str(who, "rpps");
	char idnps[32];
	snprintf(idnps, sizeof idnps, "8%s", rpps);
	json_t *ids;
	if (*rpps)
		ids = json_pack("[{s:o, s:s, s:s}, {s:o, s:s, s:s}]", "type",
		                fx_concept(CAB_FHIR_CS_0203, "IDNPS",
		                           "Identifiant National de Professionnel de Santé", NULL),
		                "system", CAB_FHIR_OID_RPPS, "value", idnps, "type",
		                fx_concept(CAB_FHIR_CS_0203, "RPPS", "N° RPPS", NULL), "system",
		                "https://rpps.esante.gouv.fr", "value", rpps);
	else
		ids = json_pack("[o]", fx_ident(CAB_FHIR_SID "professional", fx_str(who, "name")));
	json_t *res = json_pack("{s:s, s:{s:[s]}, s:o, s:[{s:s}]}", "resourceType",
	                        "Practitioner", "meta", "profile",
	                        CAB_FRCORE "/StructureDefinition/fr-core-practitioner",
	                        "identifier", ids, "name", "text", fx_str(who, "name"));
	fx_url(url, NULL);
	fx_add(c, url, res);

	json_t *spec = json_array();
	const char *s = fx_str(who, "specialty");
	if (*s) {
		json_t *cc = NULL;
		for (size_t i = 0; i < sizeof specialties / sizeof *specialties; i++)
			if (!strcasecmp(s, specialties[i].name))
				cc = fx_concept(TRE_R38, specialties[i].code, specialties[i].display, s);
		json_array_append_new(spec, cc ? cc : fx_concept(NULL, NULL, NULL, s));
	}
	char rid[200];
	snprintf(rid, sizeof rid, "%s-%s", *rpps ? rpps : fx_str(who, "name"), profession);
	json_t *role = json_pack(
	    "{s:s, s:{s:[s]}, s:[o], s:b, s:o, s:[o]}", "resourceType", "PractitionerRole", "meta",
	    "profile", CAB_FRCORE "/StructureDefinition/fr-core-practitioner-role", "identifier",
	    fx_ident(CAB_FHIR_SID "practitioner-role", rid), "active", 1, "practitioner",
	    fx_ref(url), "code", fx_concept(TRE_G15, profession, profession_display, NULL));
	if (json_array_size(spec))
		json_object_set_new(role, "specialty", spec);
	else
		json_decref(spec);
	if (!strcmp(profession, "21") && c->organization[0])
		json_object_set_new(role, "organization", fx_ref(c->organization));
	fx_url(role_url, NULL);
	fx_add(c, role_url, role);
}

void fx_add_professionals(struct fhir_ctx *c, json_t *identity_msg)
{
	if (c->in->doctor && *fx_str(c->in->doctor, "name"))
		add_professional(c, c->in->doctor, "10", "Médecin", c->doctor, c->doctor_role);
	/* The assisting pharmacist: the one who checked the patient's identity document. */
	json_t *by = json_object_get(
	    json_object_get(json_object_get(identity_msg, "patient"), "verified"), "by");
	if (by && *fx_str(by, "name"))
		add_professional(c, by, "21", "Pharmacien", c->pharmacist, c->pharmacist_role);
}
