/* message.c — strict parser and small builders for the link protocol's text
 * messages. Every field rule here is one row of the tables in
 * docs/link-protocol.md; keep the two in step. */
#include "kiosk/link/message.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[CAB_MSG__COUNT] = {
    [CAB_MSG_HELLO] = "hello",
    [CAB_MSG_WELCOME] = "welcome",
    [CAB_MSG_SESSION_OPEN] = "session_open",
    [CAB_MSG_SESSION_CLOSE] = "session_close",
    [CAB_MSG_CONSENT] = "consent",
    [CAB_MSG_IDENTITY] = "identity",
    [CAB_MSG_READING] = "reading",
    [CAB_MSG_INCIDENT] = "incident",
    [CAB_MSG_DOCTOR] = "doctor",
    [CAB_MSG_REQUEST] = "request",
    [CAB_MSG_ACK] = "ack",
    [CAB_MSG_ERROR] = "error",
    [CAB_MSG_PING] = "ping",
    [CAB_MSG_PONG] = "pong",
    [CAB_MSG_STILL] = "still",
    [CAB_MSG_QUEUE] = "queue",
    [CAB_MSG_PATIENT_STATE] = "patient_state",
    [CAB_MSG_WEBRTC] = "webrtc",
    [CAB_MSG_ICE_SERVERS] = "ice_servers",
    [CAB_MSG_PRESCRIPTION] = "prescription",
};

static const char *const action_names[CAB_REQ__COUNT] = {
    [CAB_REQ_MEASURE] = "measure",
    [CAB_REQ_STREAM_START] = "stream_start",
    [CAB_REQ_STREAM_STOP] = "stream_stop",
    [CAB_REQ_MESSAGE] = "message",
    [CAB_REQ_END] = "end",
    [CAB_REQ_CAMERA] = "camera",
    [CAB_REQ_STILL] = "still",
    [CAB_REQ_KEYFRAME] = "keyframe",
    [CAB_REQ_CALL] = "call",
};

const char *cab_msg_type_name(enum cab_msg_type type)
{
	return (unsigned)type < CAB_MSG__COUNT ? type_names[type] : NULL;
}

int cab_msg_type_from_name(const char *name)
{
	for (int i = 0; name && i < CAB_MSG__COUNT; i++)
		if (!strcmp(type_names[i], name))
			return i;
	return -1;
}

const char *cab_req_action_name(enum cab_req_action a)
{
	return (unsigned)a < CAB_REQ__COUNT ? action_names[a] : NULL;
}

int cab_req_action_from_name(const char *name)
{
	for (int i = 0; name && i < CAB_REQ__COUNT; i++)
		if (!strcmp(action_names[i], name))
			return i;
	return -1;
}

int cab_msg_is_data(enum cab_msg_type t)
{
	return t == CAB_MSG_SESSION_OPEN || t == CAB_MSG_SESSION_CLOSE || t == CAB_MSG_CONSENT ||
	       t == CAB_MSG_IDENTITY || t == CAB_MSG_READING || t == CAB_MSG_INCIDENT ||
	       t == CAB_MSG_STILL;
}

const char *cab_msg_error_code(enum cab_msg_err err)
{
	switch (err) {
	case CAB_MSGE_OK:
		return "ok";
	case CAB_MSGE_TOO_LARGE:
		return "too-large";
	case CAB_MSGE_BAD_JSON:
	case CAB_MSGE_NOT_OBJECT:
		return "bad-json";
	case CAB_MSGE_MISSING_FIELD:
		return "missing-field";
	case CAB_MSGE_BAD_FIELD:
		return "bad-field";
	case CAB_MSGE_UNKNOWN_TYPE:
		return "unknown-type";
	}
	return "bad-json";
}

/* --- field rules ----------------------------------------------------------- */

/* What a field must hold. */
enum fkind {
	F_ID,          /* string, 1..CAB_LINK_ID_MAX characters */
	F_STR,         /* string, 0..CAB_LINK_STR_MAX characters */
	F_NESTR,       /* string, 1..CAB_LINK_STR_MAX characters */
	F_TIME,        /* RFC 3339 date-time string "YYYY-MM-DDThh:mm:ss[.fff]Z|+hh:mm" */
	F_DATE,        /* "YYYY-MM-DD" */
	F_INT,         /* integer */
	F_BOOL,        /* true / false */
	F_OBJ,         /* object */
	F_VERS,        /* non-empty array (<= 16) of integers 1..1000 */
	F_ACTION,      /* one of action_names */
	F_SEX,         /* "female" | "male" | "other" | "unknown" (FHIR AdministrativeGender) */
	F_INSEE,       /* 5 characters: digits, or 2A/2B + 3 digits (INSEE commune code) */
	F_OBSERVATION, /* object with "resourceType": "Observation" */
	F_SHA256,      /* 64 lower-case hex digits */
	F_PART,        /* integer 0..CAB_LINK_STILL_PARTS_MAX-1 */
	F_PARTS,       /* integer 1..CAB_LINK_STILL_PARTS_MAX */
	F_SIZE,        /* integer 1..CAB_LINK_STILL_PART*CAB_LINK_STILL_PARTS_MAX */
	F_PIXELS,      /* integer 1..65535 */
	F_B64,         /* base64 text (RFC 4648 section 4, padded), 4..4*PART/3 characters */
	F_ARR,         /* array (its items are checked by the reader) */
	F_POS,         /* integer >= 0 */
	F_SIGKIND,     /* "offer" | "answer" | "candidate" | "bye" */
	F_SDP,         /* string, 1..CAB_LINK_SDP_MAX characters (an SDP offer or answer) */
	F_MLINE,       /* integer 0..15 (sdpMLineIndex) */
	F_ICE_LIST,    /* array of 1..4 objects {urls: 1..4 strings "stun:" / "turn:" /
	                  "turns:", username, credential: strings}, as RTCIceServer */
	F_POLICY,      /* "all" | "relay" (RTCIceTransportPolicy) */
};

/* One rule: PATH is "field" or "object.field" (one level). */
struct frule {
	const char *path;
	enum fkind kind;
	int required;
};

#define END                                                                                        \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}
static const struct frule r_hello[] = {{"versions", F_VERS, 1},     {"cabin", F_OBJ, 1},
                                       {"cabin.id", F_NESTR, 1},    {"cabin.pharmacy", F_STR, 1},
                                       {"cabin.address", F_OBJ, 1}, {"cabin.phone", F_NESTR, 1},
                                       {"software", F_STR, 0},      END};
static const struct frule r_welcome[] = {{"version", F_INT, 1}, {"station", F_STR, 1}, END};
static const struct frule r_session_open[] = {{"session", F_ID, 1}, {"time", F_TIME, 1}, END};
static const struct frule r_session_close[] = {
    {"session", F_ID, 1}, {"time", F_TIME, 1}, {"reason", F_NESTR, 1},
    {"call", F_OBJ, 0}, {"call.start", F_TIME, 0}, {"call.end", F_TIME, 0}, END};
static const struct frule r_consent[] = {{"session", F_ID, 1},
                                         {"consent", F_OBJ, 1},
                                         {"consent.accepted", F_BOOL, 1},
                                         {"consent.language", F_NESTR, 1},
                                         {"consent.text_id", F_NESTR, 1},
                                         {"consent.time", F_TIME, 1},
                                         {"consent.readings", F_BOOL, 0},
                                         {"consent.text_sha256", F_SHA256, 0},
                                         END};
static const struct frule r_identity[] = {{"session", F_ID, 1},
                                          {"patient", F_OBJ, 1},
                                          {"patient.birth_name", F_NESTR, 1},
                                          {"patient.first_names", F_NESTR, 1},
                                          {"patient.birth_date", F_DATE, 1},
                                          {"patient.sex", F_SEX, 1},
                                          {"patient.birth_place_insee", F_INSEE, 1},
                                          {"patient.ins", F_OBJ, 0},
                                          {"patient.phone", F_STR, 0},
                                          {"patient.verified", F_OBJ, 0},
                                          END};
static const struct frule r_reading[] = {{"session", F_ID, 1}, {"observation", F_OBSERVATION, 1},
                                         {"device", F_OBJ, 1}, {"device.kind", F_NESTR, 1},
                                         {"mdc", F_INT, 1},    END};
static const struct frule r_incident[] = {{"session", F_ID, 1},
                                          {"incident", F_OBJ, 1},
                                          {"incident.kind", F_NESTR, 1},
                                          {"incident.start", F_TIME, 1},
                                          {"incident.end", F_TIME, 0},
                                          {"incident.detail", F_STR, 0},
                                          END};
static const struct frule r_doctor[] = {{"session", F_ID, 1},        {"doctor", F_OBJ, 1},
                                        {"doctor.name", F_NESTR, 1}, {"doctor.specialty", F_STR, 1},
                                        {"doctor.rpps", F_STR, 1},   END};
static const struct frule r_request[] = {{"session", F_ID, 1},    {"action", F_ACTION, 1},
                                         {"kind", F_NESTR, 0},    {"text", F_STR, 0},
                                         {"body_site", F_STR, 0}, END};
static const struct frule r_still[] = {
    {"session", F_ID, 1},          {"still", F_OBJ, 1},          {"still.id", F_ID, 1},
    {"still.part", F_PART, 1},     {"still.parts", F_PARTS, 1},  {"still.size", F_SIZE, 1},
    {"still.sha256", F_SHA256, 1}, {"still.width", F_PIXELS, 1}, {"still.height", F_PIXELS, 1},
    {"still.camera", F_NESTR, 1},  {"still.time", F_TIME, 1},    {"still.request", F_ID, 0},
    {"still.body_site", F_STR, 0}, {"data", F_B64, 1},           END};
static const struct frule r_webrtc[] = {{"session", F_ID, 1},
                                        {"signal", F_OBJ, 1},
                                        {"signal.kind", F_SIGKIND, 1},
                                        {"signal.sdp", F_SDP, 0},
                                        {"signal.candidate", F_STR, 0},
                                        {"signal.sdpMLineIndex", F_MLINE, 0},
                                        END};
static const struct frule r_ice_servers[] = {
    {"session", F_ID, 1}, {"ice_servers", F_ICE_LIST, 1}, {"policy", F_POLICY, 1}, END};
static const struct frule r_ack[] = {{"ack", F_ID, 1}, {"duplicate", F_BOOL, 0}, END};
static const struct frule r_error[] = {{"code", F_NESTR, 1}, {"detail", F_STR, 1}, END};
static const struct frule r_ping[] = {{"t", F_INT, 1}, END};
static const struct frule r_pong[] = {{"ping", F_ID, 1}, {"t", F_INT, 1}, END};

static const struct frule r_queue[] = {
    {"session", F_ID, 1}, {"position", F_POS, 1}, {"estimate_s", F_POS, 1}, END};
static const struct frule r_patient_state[] = {
    {"session", F_ID, 1}, {"ready", F_BOOL, 1}, {"measuring", F_ARR, 1}, END};
static const struct frule r_prescription[] = {{"session", F_ID, 1},
                                              {"prescription", F_OBJ, 1},
                                              {"prescription.id", F_NESTR, 1},
                                              {"prescription.date", F_STR, 1},
                                              {"prescription.doctor", F_OBJ, 1},
                                              {"prescription.lines", F_ARR, 1},
                                              {"prescription.advice", F_STR, 0},
                                              END};

static const struct frule *const rules[CAB_MSG__COUNT] = {
    [CAB_MSG_HELLO] = r_hello,
    [CAB_MSG_WELCOME] = r_welcome,
    [CAB_MSG_SESSION_OPEN] = r_session_open,
    [CAB_MSG_SESSION_CLOSE] = r_session_close,
    [CAB_MSG_CONSENT] = r_consent,
    [CAB_MSG_IDENTITY] = r_identity,
    [CAB_MSG_READING] = r_reading,
    [CAB_MSG_INCIDENT] = r_incident,
    [CAB_MSG_DOCTOR] = r_doctor,
    [CAB_MSG_REQUEST] = r_request,
    [CAB_MSG_ACK] = r_ack,
    [CAB_MSG_ERROR] = r_error,
    [CAB_MSG_PING] = r_ping,
    [CAB_MSG_PONG] = r_pong,
    [CAB_MSG_STILL] = r_still,
    [CAB_MSG_QUEUE] = r_queue,
    [CAB_MSG_PATIENT_STATE] = r_patient_state,
    [CAB_MSG_WEBRTC] = r_webrtc,
    [CAB_MSG_ICE_SERVERS] = r_ice_servers,
    [CAB_MSG_PRESCRIPTION] = r_prescription,
};

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int date_ok(const char *s)
{
	if (strlen(s) < 10 || !is_digits(s, 4) || s[4] != '-' || !is_digits(s + 5, 2) ||
	    s[7] != '-' || !is_digits(s + 8, 2))
		return 0;
	int mo = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

/* RFC 3339 date-time with a mandatory zone (FHIR dateTime with time, or instant). */
static int time_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 20 || n > 35 || !date_ok(s) || s[10] != 'T' || !is_digits(s + 11, 2) ||
	    s[13] != ':' || !is_digits(s + 14, 2) || s[16] != ':' || !is_digits(s + 17, 2))
		return 0;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		size_t k = 0;
		while (p[k] >= '0' && p[k] <= '9')
			k++;
		if (k == 0 || k > 9)
			return 0;
		p += k;
	}
	if (!strcmp(p, "Z"))
		return 1;
	return (p[0] == '+' || p[0] == '-') && strlen(p) == 6 && is_digits(p + 1, 2) &&
	       p[3] == ':' && is_digits(p + 4, 2);
}

static int insee_ok(const char *s)
{
	if (strlen(s) != 5)
		return 0;
	if (s[0] == '2' && (s[1] == 'A' || s[1] == 'B'))
		return is_digits(s + 2, 3);
	return is_digits(s, 5);
}

int cab_nir_key_ok(const char *nir)
{
	if (!nir || strlen(nir) != 15 || !is_digits(nir + 13, 2))
		return 0;
	char body[14];
	memcpy(body, nir, 13);
	body[13] = 0;
	unsigned long long corsica = 0;
	if (body[6] == 'A' || body[6] == 'B') { /* department 2A / 2B at positions 6-7 */
		if (body[5] != '2')
			return 0;
		corsica = body[6] == 'A' ? 1000000ull : 2000000ull;
		body[6] = '0';
	}
	if (!is_digits(body, 13))
		return 0;
	unsigned long long v = strtoull(body, NULL, 10);
	v -= corsica; /* 2A -> 19, 2B -> 18: "20" - 1 and - 2 at that place */
	unsigned key = (unsigned)((nir[13] - '0') * 10 + (nir[14] - '0'));
	return key == 97 - (unsigned)(v % 97);
}

/* Padded base64 (RFC 4648 section 4): length a multiple of 4, at most one part's
 * worth, alphabet A-Z a-z 0-9 + /, '=' only as the last one or two characters. */
static int b64_ok(const char *s, size_t n)
{
	if (n == 0 || n % 4 || n > CAB_LINK_STILL_PART / 3 * 4)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '+' || c == '/')
			continue;
		if (c == '=' && (i == n - 1 || (i == n - 2 && s[n - 1] == '=')))
			continue;
		return 0;
	}
	return 1;
}

/* Looks PATH up in ROOT; one dot allowed. Returns NULL when absent. */
static json_t *lookup(json_t *root, const char *path)
{
	const char *dot = strchr(path, '.');
	if (!dot)
		return json_object_get(root, path);
	char head[64];
	size_t n = (size_t)(dot - path);
	if (n >= sizeof head)
		return NULL;
	memcpy(head, path, n);
	head[n] = 0;
	json_t *o = json_object_get(root, head);
	return json_is_object(o) ? json_object_get(o, dot + 1) : NULL;
}

/* Checks one value against KIND; 1 when it fits. */
static int fits(json_t *v, enum fkind kind)
{
	const char *s = json_string_value(v);
	size_t n = s ? json_string_length(v) : 0;
	switch (kind) {
	case F_ID:
		return s && n >= 1 && n <= CAB_LINK_ID_MAX && strlen(s) == n;
	case F_STR:
		return s && n <= CAB_LINK_STR_MAX && strlen(s) == n;
	case F_NESTR:
		return s && n >= 1 && n <= CAB_LINK_STR_MAX && strlen(s) == n;
	case F_TIME:
		return s && strlen(s) == n && time_ok(s);
	case F_DATE:
		return s && n == 10 && date_ok(s);
	case F_INT:
		return json_is_integer(v);
	case F_BOOL:
		return json_is_boolean(v);
	case F_OBJ:
		return json_is_object(v);
	case F_ACTION:
		return s && cab_req_action_from_name(s) >= 0;
	case F_SEX:
		return s && (!strcmp(s, "female") || !strcmp(s, "male") || !strcmp(s, "other") ||
		             !strcmp(s, "unknown"));
	case F_INSEE:
		return s && strlen(s) == n && insee_ok(s);
	case F_OBSERVATION: {
		const char *rt = json_string_value(json_object_get(v, "resourceType"));
		return json_is_object(v) && rt && !strcmp(rt, "Observation");
	}
	case F_SHA256:
		if (!s || n != 64 || strlen(s) != n)
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
				return 0;
		return 1;
	case F_PART:
	case F_PARTS:
	case F_SIZE:
	case F_PIXELS: {
		if (!json_is_integer(v))
			return 0;
		json_int_t x = json_integer_value(v);
		json_int_t lo = kind == F_PART ? 0 : 1;
		json_int_t hi = kind == F_PART    ? CAB_LINK_STILL_PARTS_MAX - 1
		                : kind == F_PARTS ? CAB_LINK_STILL_PARTS_MAX
		                : kind == F_SIZE
		                    ? (json_int_t)CAB_LINK_STILL_PART * CAB_LINK_STILL_PARTS_MAX
		                    : 65535;
		return x >= lo && x <= hi;
	}
	case F_B64:
		return s && strlen(s) == n && b64_ok(s, n);
	case F_ARR:
		return json_is_array(v);
	case F_POS:
		return json_is_integer(v) && json_integer_value(v) >= 0;
	case F_SIGKIND:
		return s && (!strcmp(s, "offer") || !strcmp(s, "answer") ||
		             !strcmp(s, "candidate") || !strcmp(s, "bye"));
	case F_SDP:
		return s && n >= 1 && n <= CAB_LINK_SDP_MAX && strlen(s) == n;
	case F_MLINE:
		return json_is_integer(v) && json_integer_value(v) >= 0 &&
		       json_integer_value(v) <= 15;
	case F_POLICY:
		return s && (!strcmp(s, "all") || !strcmp(s, "relay"));
	case F_ICE_LIST: {
		size_t k = json_array_size(v);
		if (!json_is_array(v) || k == 0 || k > 4)
			return 0;
		for (size_t i = 0; i < k; i++) {
			json_t *e = json_array_get(v, i), *urls = json_object_get(e, "urls");
			size_t nu = json_array_size(urls);
			if (!json_is_object(e) || !json_is_array(urls) || nu == 0 || nu > 4)
				return 0;
			for (size_t j = 0; j < nu; j++) {
				const char *u = json_string_value(json_array_get(urls, j));
				if (!u || strlen(u) > 512 ||
				    (strncmp(u, "stun:", 5) && strncmp(u, "turn:", 5) &&
				     strncmp(u, "turns:", 6)))
					return 0;
			}
			json_t *un = json_object_get(e, "username"),
			       *cr = json_object_get(e, "credential");
			if ((un && (!json_is_string(un) || json_string_length(un) > 256)) ||
			    (cr && (!json_is_string(cr) || json_string_length(cr) > 256)))
				return 0;
		}
		return 1;
	}
	case F_VERS: {
		size_t k = json_array_size(v);
		if (!json_is_array(v) || k == 0 || k > 16)
			return 0;
		for (size_t i = 0; i < k; i++) {
			json_t *e = json_array_get(v, i);
			if (!json_is_integer(e) || json_integer_value(e) < 1 ||
			    json_integer_value(e) > 1000)
				return 0;
		}
		return 1;
	}
	}
	return 0;
}

/* Rules beyond one field: the identity's INS, when given, has a valid key. */
static enum cab_msg_err extra_checks(enum cab_msg_type t, json_t *root, char *err, size_t errsz)
{
	if (t == CAB_MSG_IDENTITY) {
		json_t *ins = lookup(root, "patient.ins");
		if (ins) {
			const char *nir = json_string_value(json_object_get(ins, "value"));
			const char *kind = json_string_value(json_object_get(ins, "kind"));
			if (!kind || (strcmp(kind, "NIR") && strcmp(kind, "NIA"))) {
				snprintf(err, errsz, "patient.ins.kind must be \"NIR\" or \"NIA\"");
				return CAB_MSGE_BAD_FIELD;
			}
			if (!nir || !cab_nir_key_ok(nir)) {
				snprintf(err, errsz,
				         "patient.ins.value is not 15 characters with a valid key");
				return CAB_MSGE_BAD_FIELD;
			}
			json_t *q = json_object_get(ins, "qualified");
			if (q && !json_is_boolean(q)) {
				snprintf(err, errsz, "patient.ins.qualified must be true or false");
				return CAB_MSGE_BAD_FIELD;
			}
		}
		/* the pharmacist's check of an identity document (FR Core validationMode) */
		json_t *v = lookup(root, "patient.verified");
		if (v) {
			const char *doc = json_string_value(json_object_get(v, "document"));
			const char *time = json_string_value(json_object_get(v, "time"));
			json_t *by = json_object_get(v, "by");
			if (!doc || (strcmp(doc, "CN") && strcmp(doc, "PA") && strcmp(doc, "CS"))) {
				snprintf(err, errsz, "patient.verified.document must be CN, PA or CS");
				return CAB_MSGE_BAD_FIELD;
			}
			if (!time || !fits(json_object_get(v, "time"), F_TIME)) {
				snprintf(err, errsz, "patient.verified.time must be an RFC 3339 time");
				return CAB_MSGE_BAD_FIELD;
			}
			if (by && (!json_is_object(by) ||
			           !json_string_value(json_object_get(by, "name")) ||
			           (json_object_get(by, "rpps") &&
			            !json_string_value(json_object_get(by, "rpps"))))) {
				snprintf(err, errsz, "patient.verified.by must be {name, rpps}");
				return CAB_MSGE_BAD_FIELD;
			}
		}
	}
	if (t == CAB_MSG_WEBRTC) {
		json_t *sig = json_object_get(root, "signal");
		const char *k = json_string_value(json_object_get(sig, "kind"));
		if ((!strcmp(k, "offer") || !strcmp(k, "answer")) && !json_object_get(sig, "sdp")) {
			snprintf(err, errsz, "signal.sdp is required for an %s", k);
			return CAB_MSGE_MISSING_FIELD;
		}
		if (!strcmp(k, "candidate") && (!json_object_get(sig, "candidate") ||
		                                !json_object_get(sig, "sdpMLineIndex"))) {
			snprintf(err, errsz,
			         "signal.candidate and signal.sdpMLineIndex are required");
			return CAB_MSGE_MISSING_FIELD;
		}
	}
	if (t == CAB_MSG_STILL) {
		json_t *st = json_object_get(root, "still");
		json_int_t part = json_integer_value(json_object_get(st, "part"));
		json_int_t parts = json_integer_value(json_object_get(st, "parts"));
		json_int_t size = json_integer_value(json_object_get(st, "size"));
		if (part >= parts || size > parts * (json_int_t)CAB_LINK_STILL_PART ||
		    size <= (parts - 1) * (json_int_t)CAB_LINK_STILL_PART) {
			snprintf(err, errsz,
			         "still: part %lld of %lld does not fit a %lld-byte image",
			         (long long)part, (long long)parts, (long long)size);
			return CAB_MSGE_BAD_FIELD;
		}
	}
	return CAB_MSGE_OK;
}

enum cab_msg_err cab_msg_parse(const char *buf, size_t len, struct cab_msg *out, char *ref_id,
                               char *err, size_t errsz)
{
	enum cab_msg_err rc = CAB_MSGE_OK;
	json_error_t jerr;
	json_t *root = NULL;
	char dummy[8];

	if (!err || errsz == 0) {
		err = dummy;
		errsz = sizeof dummy;
	}
	err[0] = 0;
	memset(out, 0, sizeof *out);
	if (ref_id)
		ref_id[0] = 0;
	if (len > CAB_LINK_MSG_MAX) {
		snprintf(err, errsz, "message of %zu bytes is over the %d-byte limit", len,
		         CAB_LINK_MSG_MAX);
		rc = CAB_MSGE_TOO_LARGE;
		goto out;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errsz, "not JSON: %s at %d:%d", jerr.text, jerr.line, jerr.column);
		rc = CAB_MSGE_BAD_JSON;
		goto out;
	}
	if (!json_is_object(root)) {
		snprintf(err, errsz, "the message is not a JSON object");
		rc = CAB_MSGE_NOT_OBJECT;
		goto out;
	}
	json_t *id = json_object_get(root, "id");
	if (ref_id && fits(id, F_ID))
		snprintf(ref_id, CAB_LINK_ID_MAX + 1, "%s", json_string_value(id));
	json_t *type = json_object_get(root, "type");
	if (!type) {
		snprintf(err, errsz, "missing field \"type\"");
		rc = CAB_MSGE_MISSING_FIELD;
		goto out;
	}
	if (!json_is_string(type)) {
		snprintf(err, errsz, "field \"type\" is not a string");
		rc = CAB_MSGE_BAD_FIELD;
		goto out;
	}
	int t = cab_msg_type_from_name(json_string_value(type));
	if (t < 0) {
		snprintf(err, errsz, "unknown message type \"%.40s\"", json_string_value(type));
		rc = CAB_MSGE_UNKNOWN_TYPE;
		goto out;
	}
	if (!id) {
		snprintf(err, errsz, "missing field \"id\"");
		rc = CAB_MSGE_MISSING_FIELD;
		goto out;
	}
	if (!fits(id, F_ID)) {
		snprintf(err, errsz, "field \"id\" is not a string of 1 to %d characters",
		         CAB_LINK_ID_MAX);
		rc = CAB_MSGE_BAD_FIELD;
		goto out;
	}
	for (const struct frule *r = rules[t]; r->path; r++) {
		json_t *v = lookup(root, r->path);
		if (!v) {
			if (r->required) {
				snprintf(err, errsz, "%s: missing field \"%s\"", type_names[t],
				         r->path);
				rc = CAB_MSGE_MISSING_FIELD;
				goto out;
			}
			continue;
		}
		if (!fits(v, r->kind)) {
			snprintf(err, errsz, "%s: field \"%s\" has a wrong type or value",
			         type_names[t], r->path);
			rc = CAB_MSGE_BAD_FIELD;
			goto out;
		}
	}
	rc = extra_checks(t, root, err, errsz);
	if (rc)
		goto out;
	out->type = (enum cab_msg_type)t;
	out->id = json_string_value(id);
	out->session = json_string_value(json_object_get(root, "session"));
	out->root = root;
	root = NULL;
out:
	json_decref(root);
	return rc;
}

void cab_msg_free(struct cab_msg *m)
{
	if (!m)
		return;
	json_decref(m->root);
	memset(m, 0, sizeof *m);
}

int cab_uuid4(char out[37])
{
	unsigned char b[16];
	if (RAND_bytes(b, sizeof b) != 1)
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* variant 10 */
	static const char hex[] = "0123456789abcdef";
	int k = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[b[i] >> 4];
		out[k++] = hex[b[i] & 15];
	}
	out[k] = 0;
	return 0;
}

json_t *cab_msg_new(enum cab_msg_type type, const char *id)
{
	char uuid[37];
	if (!id) {
		if (cab_uuid4(uuid))
			return NULL;
		id = uuid;
	}
	return json_pack("{s:s, s:s}", "type", cab_msg_type_name(type), "id", id);
}

json_t *cab_msg_ack(const char *acked_id, int duplicate)
{
	json_t *m = cab_msg_new(CAB_MSG_ACK, NULL);
	if (m) {
		json_object_set_new(m, "ack", json_string(acked_id));
		json_object_set_new(m, "duplicate", json_boolean(duplicate));
	}
	return m;
}

json_t *cab_msg_error_new(const char *code, const char *ref_id, const char *detail)
{
	json_t *m = cab_msg_new(CAB_MSG_ERROR, NULL);
	if (m) {
		json_object_set_new(m, "code", json_string(code));
		json_object_set_new(m, "ref",
		                    ref_id && *ref_id ? json_string(ref_id) : json_null());
		json_object_set_new(m, "detail", json_string(detail ? detail : ""));
	}
	return m;
}

char *cab_msg_dump_take(json_t *msg)
{
	if (!msg)
		return NULL;
	char *s = json_dumps(msg, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(msg);
	return s;
}
