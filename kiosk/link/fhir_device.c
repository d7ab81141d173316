/* fhir_device.c — the instruments and what they measured, per the HL7 Personal Health
 * Device IG (http://hl7.org/fhir/uv/phd/): a Device per instrument (IEEE 11073
 * system-id as identifier type SYSID in dash-separated EUI-64 form, or the USB
 * vid.pid and serial; type coded with the MDC device specialization), the cabin as the
 * gateway Device (MDC_MOC_VMS_MDS_AHD), each Observation with its MDC coding, its
 * device, the gateway (observation-gatewayDevice) and an identifier that makes
 * re-posting idempotent; cameras as Devices and stills as Media (R4) referencing them,
 * with a coded body site where one fits (SNOMED CT). */
#include "kiosk/link/fhir_internal.h"

#include "cabin/mdc.h"
#include "kiosk/link/fhir_observation.h"
#include "kiosk/link/still_msg.h"

#include <openssl/evp.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXT_GATEWAY "http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice"
#define SNOMED "http://snomed.info/sct"

/* MDC device specializations (IEEE 11073-10101 partition 8, MDC_DEV_SPEC_PROFILE_*). */
static const struct {
	const char *kind;
	uint32_t code;
	const char *name;
} spec_codes[] = {
    {"pulse-oximeter", MDC_FULL(8, 4100), "MDC_DEV_SPEC_PROFILE_PULS_OXIM"},
    {"blood-pressure", MDC_FULL(8, 4103), "MDC_DEV_SPEC_PROFILE_BPM"},
    {"thermometer", MDC_FULL(8, 4104), "MDC_DEV_SPEC_PROFILE_TEMP"},
    {"scale", MDC_FULL(8, 4111), "MDC_DEV_SPEC_PROFILE_SCALE"},
    {"glucometer", MDC_FULL(8, 4113), "MDC_DEV_SPEC_PROFILE_GLUCOSE"},
};
/* The gateway (PHD IG "PhdGatewayDevice"): MDC_MOC_VMS_MDS_AHD. */
#define MDC_AHD MDC_FULL(8, 7693)

static json_t *mdc_concept(uint32_t code, const char *name, const char *text)
{
	char c[16];
	snprintf(c, sizeof c, "%u", code);
	return fx_concept(CAB_FHIR_MDC, c, name, text);
}

/* 16 hex digits -> "XX-XX-XX-XX-XX-XX-XX-XX" (upper case), or "" when not 16 hex. */
static void eui64_dashed(const char *hex, char out[24])
{
	out[0] = '\0';
	if (strlen(hex) != 16)
		return;
	for (int i = 0; i < 16; i++)
		if (!isxdigit((unsigned char)hex[i]))
			return;
	char *o = out;
	for (int i = 0; i < 16; i += 2) {
		*o++ = (char)toupper((unsigned char)hex[i]);
		*o++ = (char)toupper((unsigned char)hex[i + 1]);
		*o++ = i < 14 ? '-' : '\0';
	}
}

const char *fx_device(struct fhir_ctx *c, json_t *dev)
{
	char key[200];
	snprintf(key, sizeof key, "%s|%s|%s|%s|%s|%s", fx_str(dev, "kind"),
	         fx_str(dev, "manufacturer"), fx_str(dev, "model"), fx_str(dev, "serial"),
	         fx_str(dev, "system_id"), fx_str(dev, "usb"));
	for (int i = 0; i < c->ndevs; i++)
		if (!strcmp(c->devs[i].key, key))
			return c->devs[i].url;
	if (c->ndevs == FHIR_MAX_DEVICES)
		return NULL;
	struct fhir_dev *d = &c->devs[c->ndevs++];
	snprintf(d->key, sizeof d->key, "%s", key);
	snprintf(d->kind, sizeof d->kind, "%s", fx_str(dev, "kind"));
	fx_url(d->url, NULL);

	json_t *ids = json_array();
	char sysid[24], usb[160];
	eui64_dashed(fx_str(dev, "system_id"), sysid);
	if (sysid[0]) {
		json_array_append_new(
		    ids, json_pack("{s:o, s:s, s:s}", "type",
		                   fx_concept(CAB_FHIR_CS_PHD_IDS, "SYSID", "11073 System Identifier",
		                              NULL),
		                   "system", CAB_FHIR_OID_SYSID, "value", sysid));
	} else if (*fx_str(dev, "usb")) {
		/* no system-id: the USB vendor.product and the serial ("046d.0825.SN123") */
		char vp[16];
		snprintf(vp, sizeof vp, "%s", fx_str(dev, "usb"));
		char *colon = strchr(vp, ':');
		if (colon)
			*colon = '.';
		snprintf(usb, sizeof usb, "%s%s%s", vp, *fx_str(dev, "serial") ? "." : "",
		         fx_str(dev, "serial"));
		json_array_append_new(ids, fx_ident(CAB_FHIR_SID "usb-device", usb));
	} else {
		char v[200];
		snprintf(v, sizeof v, "%s/%s/%s", d->kind, fx_str(dev, "model"), fx_str(dev, "serial"));
		json_array_append_new(ids, fx_ident(CAB_FHIR_SID "device", v));
	}
	json_t *res = json_pack("{s:s, s:o, s:s}", "resourceType", "Device", "identifier", ids,
	                        "status", "active");
	json_t *type = NULL;
	for (size_t i = 0; i < sizeof spec_codes / sizeof *spec_codes; i++)
		if (!strcmp(d->kind, spec_codes[i].kind)) {
			type = mdc_concept(spec_codes[i].code, spec_codes[i].name, d->kind);
			json_object_set_new(res, "specialization",
			                    json_pack("[{s:O}]", "systemType", type));
		}
	json_object_set_new(res, "type", type ? type : fx_concept(NULL, NULL, NULL, d->kind));
	if (*fx_str(dev, "manufacturer"))
		json_object_set_new(res, "manufacturer", json_string(fx_str(dev, "manufacturer")));
	if (*fx_str(dev, "model")) {
		json_object_set_new(res, "modelNumber", json_string(fx_str(dev, "model")));
		json_object_set_new(res, "deviceName",
		                    json_pack("[{s:s, s:s}]", "name", fx_str(dev, "model"), "type",
		                              "model-name"));
	}
	if (*fx_str(dev, "serial"))
		json_object_set_new(res, "serialNumber", json_string(fx_str(dev, "serial")));
	if (*fx_str(dev, "udi"))
		json_object_set_new(res, "udiCarrier",
		                    json_pack("[{s:s}]", "carrierHRF", fx_str(dev, "udi")));
	if (*fx_str(dev, "firmware"))
		json_object_set_new(res, "version",
		                    json_pack("[{s:s}]", "value", fx_str(dev, "firmware")));
	if (json_is_true(json_object_get(dev, "simulated")))
		json_object_set_new(res, "note",
		                    json_pack("[{s:s}]", "text", "simulator standing in for the instrument"));
	if (c->location[0])
		json_object_set_new(res, "location", fx_ref(c->location));
	fx_add(c, d->url, res);
	return d->url;
}

void fx_add_gateway(struct fhir_ctx *c)
{
	json_t *cab = json_object_get(c->in->hello, "cabin");
	if (!cab)
		return;
	json_t *res = json_pack(
	    "{s:s, s:[o], s:s, s:o, s:[{s:s, s:s}], s:s}", "resourceType", "Device", "identifier",
	    fx_ident(CAB_FHIR_SID "cabin-gateway", fx_str(cab, "id")), "status", "active", "type",
	    mdc_concept(MDC_AHD, "MDC_MOC_VMS_MDS_AHD", "cabine de téléconsultation (passerelle)"),
	    "deviceName", "name", fx_str(cab, "id"), "type", "user-friendly-name", "manufacturer",
	    "Cabin");
	if (*fx_str(c->in->hello, "software"))
		json_object_set_new(res, "version",
		                    json_pack("[{s:s}]", "value", fx_str(c->in->hello, "software")));
	if (c->location[0])
		json_object_set_new(res, "location", fx_ref(c->location));
	if (c->organization[0])
		json_object_set_new(res, "owner", fx_ref(c->organization));
	fx_url(c->gateway, NULL);
	fx_add(c, c->gateway, res);
}

/* Subject, encounter, device, gateway, identifier and the act it answers. */
static void link_observation(struct fhir_ctx *c, json_t *obs, json_t *msg)
{
	json_object_del(obs, "id");
	if (c->patient[0])
		json_object_set_new(obs, "subject", fx_ref(c->patient));
	json_object_set_new(obs, "encounter", fx_ref(c->encounter));
	json_t *dev = json_object_get(msg, "device");
	const char *durl = fx_device(c, dev);
	if (durl)
		json_object_set_new(obs, "device", fx_ref(durl));
	if (c->gateway[0])
		json_object_set_new(obs, "extension",
		                    json_pack("[{s:s, s:o}]", "url", EXT_GATEWAY, "valueReference",
		                              fx_ref(c->gateway)));
	json_object_set_new(obs, "identifier",
	                    json_pack("[o]", fx_ident(CAB_FHIR_SID "reading", fx_str(msg, "id"))));
	const char *t = fx_str(obs, "effectiveDateTime");
	struct fhir_req *r = fx_request_for(c, fx_str(dev, "kind"), fx_str(obs, "issued"));
	if (r) {
		fx_performed(c, r, t);
		json_object_set_new(obs, "basedOn", json_pack("[o]", fx_ref(r->url)));
		json_object_set_new(obs, "partOf", json_pack("[o]", fx_ref(r->procedure)));
	}
}

static int bp_part(json_t *msg)
{
	json_int_t m = json_integer_value(json_object_get(msg, "mdc"));
	return m == MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS)    ? 0
	       : m == MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA)  ? 1
	       : m == MDC_FULL(2, MDC_PRESS_BLD_NONINV_MEAN) ? 2
	                                                     : -1;
}

static int same_bp_group(json_t *a, json_t *b)
{
	json_t *oa = json_object_get(a, "observation"), *ob = json_object_get(b, "observation");
	json_t *da = json_object_get(a, "device"), *db = json_object_get(b, "device");
	return !strcmp(fx_str(oa, "effectiveDateTime"), fx_str(ob, "effectiveDateTime")) &&
	       !strcmp(fx_str(da, "serial"), fx_str(db, "serial")) &&
	       !strcmp(fx_str(da, "model"), fx_str(db, "model"));
}

static json_t *component_of(json_t *obs)
{
	json_t *c = json_pack("{s:O}", "code", json_object_get(obs, "code"));
	json_t *v = json_object_get(obs, "valueQuantity");
	if (v)
		json_object_set(c, "valueQuantity", v);
	else if ((v = json_object_get(obs, "dataAbsentReason")))
		json_object_set(c, "dataAbsentReason", v);
	return c;
}

/* The BP panel from the parts PART[0..2] (sys, dia, mean; mean may be NULL). */
static json_t *bp_panel(json_t *part[3])
{
	json_t *panel = json_deep_copy(json_object_get(part[0], "observation"));
	json_object_del(panel, "valueQuantity");
	json_object_del(panel, "dataAbsentReason");
	json_object_set_new(panel, "meta",
	                    json_pack("{s:[s]}", "profile", "http://hl7.org/fhir/StructureDefinition/bp"));
	char mdc[16];
	snprintf(mdc, sizeof mdc, "%u", (unsigned)MDC_FULL(2, MDC_PRESS_BLD_NONINV));
	json_object_set_new(
	    panel, "code",
	    json_pack("{s:[o, o], s:s}", "coding",
	              fx_coding(CAB_FHIR_LOINC, "85354-9",
	                        "Blood pressure panel with all children optional"),
	              fx_coding(CAB_FHIR_MDC, mdc, "MDC_PRESS_BLD_NONINV"), "text",
	              "Blood pressure"));
	json_t *comps = json_array();
	for (int k = 0; k < 3; k++)
		if (part[k])
			json_array_append_new(comps,
			                      component_of(json_object_get(part[k], "observation")));
	json_object_set_new(panel, "component", comps);
	return panel;
}

void fx_add_readings(struct fhir_ctx *c)
{
	const struct cab_fhir_bundle_in *in = c->in;
	unsigned char *done = calloc(in->n ? in->n : 1, 1);
	if (!done)
		return;
	for (size_t i = 0; i < in->n; i++) {
		json_t *m = in->msgs[i];
		if (done[i] || strcmp(fx_str(m, "type"), "reading"))
			continue;
		done[i] = 1;
		if (c->readings_refused) {
			/* the patient refused: nothing of it leaves in the record */
			c->readings_dropped++;
			continue;
		}
		json_t *obs = NULL;
		if (bp_part(m) >= 0) {
			json_t *part[3] = {NULL, NULL, NULL};
			size_t idx[3] = {0, 0, 0};
			for (size_t j = i; j < in->n; j++) {
				json_t *o = in->msgs[j];
				int k;
				if ((j != i && done[j]) || strcmp(fx_str(o, "type"), "reading") ||
				    (k = bp_part(o)) < 0 || !same_bp_group(m, o) || part[k])
					continue;
				part[k] = o;
				idx[k] = j;
			}
			if (part[0] && part[1]) {
				obs = bp_panel(part);
				for (int k = 0; k < 3; k++)
					if (part[k])
						done[idx[k]] = 1;
				m = part[0];
			}
		}
		if (!obs)
			obs = json_deep_copy(json_object_get(m, "observation"));
		link_observation(c, obs, m);
		char url[FHIR_URL];
		fx_url(url, fx_str(m, "id"));
		fx_add(c, url, obs);
	}
	free(done);
}

/* SNOMED CT body structures for the sites a doctor names for a still (English or
 * French words), laterality left in the text. */
static json_t *body_site(const char *text)
{
	static const struct {
		const char *word, *code, *display;
	} sites[] = {
	    {"ear", "117590005", "Ear structure"},       {"oreille", "117590005", "Ear structure"},
	    {"tympan", "117590005", "Ear structure"},    {"skin", "39937001", "Skin structure"},
	    {"peau", "39937001", "Skin structure"},      {"throat", "54066008", "Pharyngeal structure"},
	    {"gorge", "54066008", "Pharyngeal structure"}, {"eye", "81745001", "Structure of eye proper"},
	    {"oeil", "81745001", "Structure of eye proper"},
	};
	char low[256];
	size_t n = 0;
	for (; text[n] && n < sizeof low - 1; n++)
		low[n] = (char)tolower((unsigned char)text[n]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof sites / sizeof *sites; i++)
		if (strstr(low, sites[i].word))
			return fx_concept(SNOMED, sites[i].code, sites[i].display, text);
	return fx_concept(NULL, NULL, NULL, text);
}

/* The camera a still came from as a Device (kind = otoscope, dermatoscope, room-camera). */
static const char *camera_device(struct fhir_ctx *c, const char *kind)
{
	json_t *cab = json_object_get(c->in->hello, "cabin");
	char serial[200];
	snprintf(serial, sizeof serial, "%s-%s", fx_str(cab, "id"), kind);
	json_t *dev = json_pack("{s:s, s:s}", "kind", kind, "serial", serial);
	const char *url = fx_device(c, dev);
	json_decref(dev);
	return url;
}

/* One Media for a verified still: type image, capture time, camera Device, body site,
 * the JPEG inline, Attachment.hash = base64 SHA-1 (R4), the SHA-256 as an identifier. */
static void add_one_media(struct fhir_ctx *c, json_t *msg, const uint8_t *jpeg, size_t len)
{
	json_t *st = json_object_get(msg, "still");
	char sha1[29], url[FHIR_URL], file[160];
	char *b64 = malloc((len + 2) / 3 * 4 + 1);
	if (!b64 || cab_still_sha1_b64(jpeg, len, sha1)) {
		free(b64);
		return;
	}
	EVP_EncodeBlock((unsigned char *)b64, jpeg, (int)len);
	cab_still_file_name(fx_str(msg, "session"), fx_str(st, "id"), file, sizeof file);
	json_t *content =
	    json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "contentType", "image/jpeg", "data",
	              b64, "url", file, "size", (json_int_t)len, "hash", sha1, "title",
	              fx_str(st, "camera"), "creation", fx_str(st, "time"));
	free(b64);
	json_t *res = json_pack(
	    "{s:s, s:[o, {s:{s:s}, s:s, s:s}], s:s, s:o, s:s, s:s, s:I, s:I, s:o}", "resourceType",
	    "Media", "identifier", fx_ident(CAB_FHIR_SID_STILL, fx_str(st, "id")), "type", "text",
	    "SHA-256", "system", CAB_FHIR_SID_SHA256, "value", fx_str(st, "sha256"), "status",
	    "completed", "type",
	    fx_concept("http://terminology.hl7.org/CodeSystem/media-type", "image", "Image", NULL),
	    "createdDateTime", fx_str(st, "time"), "deviceName", fx_str(st, "camera"), "height",
	    json_integer_value(json_object_get(st, "height")), "width",
	    json_integer_value(json_object_get(st, "width")), "content", content);
	if (!res)
		return;
	const char *cam = camera_device(c, fx_str(st, "camera"));
	if (cam)
		json_object_set_new(res, "device", fx_ref(cam));
	if (*fx_str(st, "body_site"))
		json_object_set_new(res, "bodySite", body_site(fx_str(st, "body_site")));
	if (c->patient[0])
		json_object_set_new(res, "subject", fx_ref(c->patient));
	json_object_set_new(res, "encounter", fx_ref(c->encounter));
	struct fhir_req *r = fx_request_by_id(c, fx_str(st, "request"));
	if (r) {
		fx_performed(c, r, fx_str(st, "time"));
		json_object_set_new(res, "basedOn", json_pack("[o]", fx_ref(r->url)));
		json_object_set_new(res, "partOf", json_pack("[o]", fx_ref(r->procedure)));
	}
	fx_url(url, NULL);
	fx_add(c, url, res);
}

void fx_add_media(struct fhir_ctx *c)
{
	const struct cab_fhir_bundle_in *in = c->in;
	json_t **group = calloc(in->n ? in->n : 1, sizeof *group);
	char *done = calloc(in->n ? in->n : 1, 1);
	if (!group || !done)
		goto out;
	for (size_t i = 0; i < in->n; i++) {
		if (done[i] || strcmp(fx_str(in->msgs[i], "type"), "still"))
			continue;
		const char *id = fx_str(json_object_get(in->msgs[i], "still"), "id");
		size_t k = 0;
		for (size_t j = i; j < in->n; j++)
			if (!done[j] && !strcmp(fx_str(in->msgs[j], "type"), "still") &&
			    !strcmp(fx_str(json_object_get(in->msgs[j], "still"), "id"), id)) {
				group[k++] = in->msgs[j];
				done[j] = 1;
			}
		uint8_t *jpeg;
		size_t len;
		char err[160];
		if (cab_still_assemble(group, k, &jpeg, &len, err, sizeof err) == 0) {
			add_one_media(c, in->msgs[i], jpeg, len);
			free(jpeg);
		}
	}
out:
	free(group);
	free(done);
}
