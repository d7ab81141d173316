/* config.c — loading the INI file with inih: a line-counting reader (so that every
 * message names its line), a table of known keys with one validator each, duplicate
 * and unknown keys reported, cross-field checks at the end. */
#include "kiosk/config/config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "kdf.h"

/* The flow's timers, then the doctor station's. The attract screen waits for ever;
 * the screens that ask a question (language to consultation) show the 30-second
 * countdown first; the end screen and the wipe go straight on. The station bounds
 * each step of an unauthenticated connection to 10 s (docs/link.md). */
const struct cab_timeout_def cab_timeouts[CAB_TMO__COUNT] = {
	[CAB_TMO_ATTRACT] = {"attract", 0, true, false, false},
	[CAB_TMO_LANGUAGE] = {"language", 60, true, true, false},
	[CAB_TMO_INFORMATION] = {"information", 180, true, true, false},
	[CAB_TMO_CONSENT] = {"consent", 180, true, true, false},
	[CAB_TMO_IDENTITY] = {"identity", 300, true, true, false},
	[CAB_TMO_CHECKS] = {"checks", 120, true, true, false},
	[CAB_TMO_WAITING_ROOM] = {"waiting_room", 900, true, true, false},
	[CAB_TMO_CONSULTATION] = {"consultation", 3600, true, true, false},
	[CAB_TMO_SUMMARY] = {"summary", 120, true, false, false},
	[CAB_TMO_ENDED] = {"ended", 20, true, false, false},
	[CAB_TMO_WIPE] = {"wipe", 30, true, false, false},
	[CAB_TMO_STILL_THERE] = {"still_there", 30, false, false, false},
	[CAB_TMO_PRECALL] = {"precall", 120, false, false, false},
	[CAB_TMO_MEASURING] = {"measuring", 60, false, false, false},
	[CAB_TMO_BP_REST] = {"bp_rest", 0, false, false, false},
	[CAB_TMO_STN_HANDSHAKE] = {"link_handshake", 10, false, false, true},
	[CAB_TMO_STN_UPGRADE] = {"link_upgrade", 10, false, false, true},
	[CAB_TMO_STN_HELLO] = {"link_hello", 10, false, false, true},
	[CAB_TMO_STN_LOG_SUMMARY] = {"log_summary", 60, false, false, true},
};

const char *cab_config_timeout_name(enum cab_flow_timeout t)
{
	return (unsigned)t < CAB_TMO__COUNT ? cab_timeouts[t].key : "unknown";
}

/* How a value is checked and stored. */
enum kind {
	K_TEXT,     /* free UTF-8 text */
	K_ID,       /* cabin id */
	K_PHONE,    /* E.164 */
	K_LAT, K_LON,
	K_WSS,      /* station URL */
	K_PROXY,    /* [http://][user:password@]host:port */
	K_FILE,     /* readable file path */
	K_SECRET,   /* free text, masked */
	K_PIN,      /* 64 hex digits or sha256//base64 */
	K_POSTAL,   /* postal code */
	K_COUNTRY,  /* ISO 3166-1 alpha-2 */
	K_LANGS,
	K_TIMEOUT,
	K_DIR,      /* non-empty path */
	K_PATH,     /* path or "" */
	K_DEVICE,
	K_PHC,      /* scrypt PHC string or "" */
	K_SECONDS,  /* 0..86400 */
	K_PERCENT,  /* 0..100 */
	K_EXPORT,   /* "auto" or an absolute directory */
	K_RENDERER, /* "software" or "accelerated" */
	K_CENTS,    /* 0..100000 euro cents */
};

/* One known key: where it goes in struct cab_config. */
struct key_def {
	const char *section, *name;
	enum kind kind;
	size_t offset, size; /* field offset and size (strings) */
};

#define S(sec, nm, k, field) {sec, nm, k, offsetof(struct cab_config, field), \
                              sizeof(((struct cab_config *)0)->field)}
#define T(i) {"timeouts", NULL, K_TIMEOUT, offsetof(struct cab_config, timeout_s) + \
              (i) * sizeof(int), sizeof(int)}

static const struct key_def keys[] = {
	S("cabin", "id", K_ID, cabin_id),
	S("cabin", "pharmacy_name", K_TEXT, pharmacy_name),
	S("cabin", "address", K_TEXT, address),
	S("cabin", "postal_code", K_POSTAL, postal_code),
	S("cabin", "city", K_TEXT, city),
	S("cabin", "country", K_COUNTRY, country),
	S("cabin", "phone", K_PHONE, phone),
	S("cabin", "latitude", K_LAT, latitude),
	S("cabin", "longitude", K_LON, longitude),
	S("cabin", "location_text", K_TEXT, location_text),
	S("cabin", "fee_cents", K_CENTS, fee_cents),
	S("station", "url", K_WSS, station_url),
	S("station", "proxy", K_PROXY, proxy),
	S("station", "cert", K_FILE, cert),
	S("station", "key", K_FILE, key),
	S("station", "key_passphrase", K_SECRET, key_passphrase),
	S("station", "ca", K_FILE, ca),
	S("station", "crl", K_FILE, crl),
	S("station", "pin", K_PIN, pin),
	S("ui", "languages", K_LANGS, languages),
	S("ui", "voice_volume", K_PERCENT, voice_volume),
	S("ui", "renderer", K_RENDERER, renderer),
	T(0), T(1), T(2), T(3), T(4), T(5), T(6), T(7), T(8), T(9), T(10), T(11), T(12), T(13), T(14),
	S("storage", "data_dir", K_DIR, data_dir),
	S("storage", "key_file", K_PATH, key_file),
	S("storage", "outbox_max_age_s", K_SECONDS, outbox_max_age_s),
	S("media", "camera", K_DEVICE, camera),
	S("media", "microphone", K_DEVICE, microphone),
	S("media", "stethoscope", K_DEVICE, stethoscope),
	S("media", "otoscope", K_DEVICE, otoscope),
	S("media", "dermatoscope", K_DEVICE, dermatoscope),
	S("printer", "name", K_TEXT, printer_name),
	S("service", "pharmacist_pin_hash", K_PHC, pharmacist_pin_hash),
	S("service", "technician_password_hash", K_PHC, technician_password_hash),
	S("service", "cleaning_max_s", K_SECONDS, cleaning_max_s),
	S("service", "export_dir", K_EXPORT, export_dir),
};
#define NKEYS (sizeof keys / sizeof keys[0])

/* The state of one load. */
struct load {
	const char *name;           /* file name for messages */
	const char *buf;            /* whole file */
	size_t len, pos;
	int line;                   /* line number of the line last handed to inih */
	struct cab_config *cfg;
	struct cab_config_errors *errs;
	int first_line[NKEYS];      /* where each key was set, 0 = not set */
};

static void report(struct load *ld, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(struct load *ld, int line, const char *fmt, ...)
{
	va_list ap;
	struct cab_config_errors *e = ld->errs;
	if (e->count < CAB_CONFIG_MAX_ERRORS) {
		char *t = e->e[e->count].text;
		size_t size = sizeof e->e[0].text;
		int n = line > 0 ? snprintf(t, size, "%s:%d: ", ld->name, line)
		                 : snprintf(t, size, "%s: ", ld->name);
		va_start(ap, fmt);
		vsnprintf(t + n, size - (size_t)n, fmt, ap);
		va_end(ap);
	}
	e->count++;
}

/* Copies IN into OUT (SIZE bytes) with every byte that is not printable ASCII
 * written as \xHH and '\' as "\\", so that quoting file content in a message
 * cannot send control sequences to a terminal or a log. Truncates; returns OUT. */
static const char *esc(const char *in, char *out, size_t size)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p && o + 5 < size; p++) {
		if (*p == '\\')
			o += (size_t)snprintf(out + o, size - o, "\\\\");
		else if (*p < 0x20 || *p >= 0x7f)
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", *p);
		else
			out[o++] = (char)*p;
	}
	out[o] = 0;
	return out;
}

/* inih reader: hands over one physical line at a time, counting lines. Indented lines
 * lose their indentation (no multi-line values); lines that are not comments,
 * sections or key=value, and over-long lines, are reported here and replaced by a
 * comment so inih never guesses. */
static char *reader(char *str, int num, void *stream)
{
	struct load *ld = stream;
	if (ld->pos >= ld->len || num < 4)
		return NULL;
	const char *start = ld->buf + ld->pos;
	const char *nl = memchr(start, '\n', ld->len - ld->pos);
	size_t n = nl ? (size_t)(nl - start) : ld->len - ld->pos;
	ld->pos += n + (nl ? 1 : 0);
	ld->line++;
	if (n && start[n - 1] == '\r')
		n--;
	size_t skip = 0;
	if (ld->line == 1 && n >= 3 && !memcmp(start, "\xEF\xBB\xBF", 3))
		skip = 3; /* UTF-8 byte order mark */
	while (skip < n && (start[skip] == ' ' || start[skip] == '\t'))
		skip++;
	start += skip;
	n -= skip;
	if (memchr(start, 0, n)) {
		report(ld, ld->line, "NUL byte in line");
		goto comment;
	}
	if (n + 2 > (size_t)num) {
		report(ld, ld->line, "line too long (max %d bytes)", num - 2);
		goto comment;
	}
	if (n && start[0] != ';' && start[0] != '#') {
		if (start[0] == '[') {
			if (!memchr(start, ']', n)) {
				report(ld, ld->line, "syntax error: section header without ']'");
				goto comment;
			}
		} else if (!memchr(start, '=', n) && !memchr(start, ':', n)) {
			report(ld, ld->line, "syntax error: expected \"key = value\"");
			goto comment;
		}
	}
	memcpy(str, start, n);
	str[n] = '\n';
	str[n + 1] = 0;
	return str;
comment:
	memcpy(str, ";\n", 3);
	return str;
}

/* --- validators ------------------------------------------------------------------ */

static int all_chars(const char *s, const char *extra)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr(extra, *s)))
			return 0;
	return 1;
}

static int parse_double(const char *v, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (!*v || *end || errno || !(d >= lo && d <= hi))
		return -1;
	*out = d;
	return 0;
}

/* host[:port] with a non-empty host and a port 1..65535 if present. */
static int valid_hostport(const char *h, size_t n, int need_port)
{
	const char *colon = NULL;
	if (!n)
		return 0;
	if (h[0] == '[') { /* IPv6 literal */
		const char *rb = memchr(h, ']', n);
		if (!rb)
			return 0;
		colon = (size_t)(rb - h) + 1 < n ? rb + 1 : NULL;
		if (colon && *colon != ':')
			return 0;
	} else {
		for (size_t i = 0; i < n; i++)
			if (h[i] == ':')
				colon = h + i;
			else if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
			           (h[i] >= '0' && h[i] <= '9') || h[i] == '-' || h[i] == '.'))
				return 0;
		if (colon == h)
			return 0;
	}
	if (!colon)
		return !need_port;
	size_t plen = n - (size_t)(colon + 1 - h);
	if (!plen || plen > 5)
		return 0;
	long port = 0;
	for (size_t i = 0; i < plen; i++) {
		char c = colon[1 + i];
		if (c < '0' || c > '9')
			return 0;
		port = port * 10 + (c - '0');
	}
	return port >= 1 && port <= 65535;
}

static int valid_wss(const char *v)
{
	if (strncmp(v, "wss://", 6))
		return 0;
	const char *h = v + 6, *slash = strchr(h, '/');
	size_t n = slash ? (size_t)(slash - h) : strlen(h);
	if (memchr(h, '@', n))
		return 0;
	for (const char *p = slash ? slash : ""; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\\')
			return 0;
	return valid_hostport(h, n, 0);
}

static int valid_proxy(const char *v)
{
	const char *h = strncmp(v, "http://", 7) ? v : v + 7, *at = strrchr(h, '@');
	if (strstr(h, "://"))
		return 0;
	if (at)
		h = at + 1;
	size_t n = strlen(h);
	if (n && h[n - 1] == '/')
		n--;
	return valid_hostport(h, n, 1);
}

/* Reads a pin, "sha256//" + base64 (curl's form) or 64 hex digits, into OUT as 64
 * lower-case hex digits. Returns 0 or -1. */
static int parse_pin(const char *v, char out[65])
{
	unsigned char d[64];
	if (strlen(v) == 64) {
		for (int i = 0; i < 64; i++) {
			char c = v[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
				return -1;
			out[i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
		}
		out[64] = 0;
		return 0;
	}
	if (strncmp(v, "sha256//", 8) || strlen(v + 8) != 44)
		return -1;
	/* 44 base64 characters decode to 33 bytes including one '=' pad: 32 real ones. */
	if (v[8 + 43] != '=' || v[8 + 42] == '=')
		return -1;
	for (int i = 8; i < 8 + 43; i++)
		if (!all_chars((char[]){v[i], 0}, "+/"))
			return -1;
	/* EVP_DecodeBlock counts the pad as a zero byte: 33 = 32 + 1. */
	if (EVP_DecodeBlock(d, (const unsigned char *)v + 8, 44) != 33)
		return -1;
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return 0;
}

/* The languages the kiosk has catalogues for (assets/locale/fr.po, en.po); a code
 * outside this list would show the patient untranslated message ids. */
static const char *const ui_languages[] = {"fr", "en"};
#define UI_LANGUAGES "fr, en"

/* Reads "fr, en" into CFG. Returns 0; -1 when it is not a list of distinct ISO 639-1
 * codes; -2 when a code is not in ui_languages (copied into BAD). */
static int parse_langs(const char *v, struct cab_config *cfg, char bad[3])
{
	int n = 0;
	const char *p = v;
	char langs[CAB_CONFIG_MAX_LANGS][4];
	while (1) {
		while (*p == ' ')
			p++;
		if (!(p[0] >= 'a' && p[0] <= 'z' && p[1] >= 'a' && p[1] <= 'z'))
			return -1;
		if (n == CAB_CONFIG_MAX_LANGS)
			return -1;
		for (int i = 0; i < n; i++)
			if (!strncmp(langs[i], p, 2))
				return -1;
		memcpy(langs[n], p, 2);
		langs[n++][2] = 0;
		p += 2;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p++ != ',')
			return -1;
	}
	for (int i = 0; i < n; i++) {
		int known = 0;
		for (size_t k = 0; k < sizeof ui_languages / sizeof ui_languages[0]; k++)
			known |= !strcmp(langs[i], ui_languages[k]);
		if (!known) {
			memcpy(bad, langs[i], 3);
			return -2;
		}
	}
	memcpy(cfg->languages, langs, sizeof langs);
	cfg->n_languages = n;
	return 0;
}

static int valid_device(const char *v)
{
	return *v && strlen(v) < 256 && all_chars(v, "_:./,=-@");
}

static int valid_phone(const char *v)
{
	size_t n = strlen(v);
	if (n < 9 || n > 16 || v[0] != '+' || v[1] == '0')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

/* 1 when S is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF)
 * without control characters. */
static int valid_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, need, min, cp;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			p++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) { need = 1; min = 0x80; cp = c & 0x1f; }
		else if ((c & 0xf0) == 0xe0) { need = 2; min = 0x800; cp = c & 0x0f; }
		else if ((c & 0xf8) == 0xf0) { need = 3; min = 0x10000; cp = c & 0x07; }
		else return 0;
		for (unsigned i = 1; i <= need; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += need + 1;
	}
	return 1;
}

/* Checks VALUE for key D and stores it. Returns NULL or what is wrong. */
static const char *apply(const struct key_def *d, const char *v, struct cab_config *cfg,
                         char *why, size_t whysize)
{
	char *field = (char *)cfg + d->offset;
	size_t len = strlen(v);
	switch (d->kind) {
	case K_LAT:
	case K_LON:
		if (!*v) { /* unset: the cabin claims no position */
			*(double *)field = NAN;
			return NULL;
		}
		if (d->kind == K_LON)
			break;
		return parse_double(v, -90, 90, (double *)field) ?
		       "must be a number of degrees from -90 to 90 (WGS 84)" : NULL;
	default:
		break;
	}
	switch (d->kind) {
	case K_LON:
		return parse_double(v, -180, 180, (double *)field) ?
		       "must be a number of degrees from -180 to 180 (WGS 84)" : NULL;
	case K_TIMEOUT: {
		char *end;
		errno = 0;
		long s = strtol(v, &end, 10);
		if (!*v || *end || errno || s < 0 || s > 86400)
			return "must be a whole number of seconds from 0 (no timeout) to 86400";
		*(int *)field = (int)s;
		return NULL;
	}
	case K_CENTS: {
		char *end;
		errno = 0;
		long c = strtol(v, &end, 10);
		if (!*v || *end || errno || c < 0 || c > 100000)
			return "must be a whole number of euro cents from 0 to 100000";
		*(int *)field = (int)c;
		return NULL;
	}
	case K_SECONDS: {
		char *end;
		errno = 0;
		long s = strtol(v, &end, 10);
		if (!*v || *end || errno || s < 0 || s > 86400)
			return "must be a whole number of seconds from 0 (no limit) to 86400";
		*(int *)field = (int)s;
		return NULL;
	}
	case K_PERCENT: {
		char *end;
		errno = 0;
		long p = strtol(v, &end, 10);
		if (!*v || *end || errno || p < 0 || p > 100)
			return "must be a whole number from 0 (silent) to 100";
		*(int *)field = (int)p;
		return NULL;
	}
	case K_COUNTRY: /* before the length check: "FRA" gets this message */
		if (len != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z')
			return "must be an ISO 3166-1 alpha-2 code in capitals, like FR";
		memcpy(field, v, 3);
		return NULL;
	case K_LANGS: {
		char bad[3];
		int r = parse_langs(v, cfg, bad);
		if (r == -2) {
			snprintf(why, whysize, "no translation for \"%s\" (available: %s)", bad,
			         UI_LANGUAGES);
			return why;
		}
		return r ? "must be a comma-separated list of distinct ISO 639-1 "
		           "codes, at most 8 (e.g. \"fr, en\")" : NULL;
	}
	default:
		break;
	}
	if (len >= d->size) {
		snprintf(why, whysize, "too long (at most %zu bytes)", d->size - 1);
		return why;
	}
	switch (d->kind) {
	case K_TEXT:
	case K_SECRET:
		if (!valid_text(v))
			return "must be UTF-8 text without control characters";
		break;
	case K_ID:
		if (!len || !all_chars(v, "-_."))
			return "must be 1 to 63 letters, digits, '-', '_' or '.'";
		break;
	case K_PHONE:
		if (len && !valid_phone(v))
			return "must be an E.164 number without spaces, like +33123456789";
		break;
	case K_WSS:
		if (!valid_wss(v)) {
			char e[96];
			snprintf(why, whysize, "must be a wss:// URL with a host and an optional port "
			         "(got \"%s\")", esc(v, e, sizeof e));
			return why;
		}
		break;
	case K_PROXY:
		if (len && !valid_proxy(v))
			return "must be [http://][user:password@]host:port or empty";
		break;
	case K_POSTAL:
		if (len > 10 || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -") != len)
			return "must be 1 to 10 capital letters, digits, spaces or '-', or empty";
		break;
	case K_FILE:
		if (len && access(v, R_OK) != 0) {
			int en = errno;
			char e[208];
			snprintf(why, whysize, "cannot read \"%s\": %s", esc(v, e, sizeof e), strerror(en));
			return why;
		}
		break;
	case K_PIN:
		if (!len)
			break;
		if (parse_pin(v, field))
			return "must be the SHA-256 of the station's public key as 64 hex digits, or "
			       "\"sha256//\" and its base64 (44 characters), or empty";
		return NULL;
	case K_DIR:
		if (!len)
			return "must not be empty";
		break;
	case K_PHC: {
		struct cab_phc phc;
		if (len && (cab_phc_parse(v, &phc) || phc.params.log2_n < 14 || phc.salt_len < 16 ||
		            phc.hash_len < 32))
			return "must be an scrypt hash from scripts/hash-secret "
			       "($scrypt$ln=15,r=8,p=1$SALT$HASH, cost at least ln=14), or empty";
		break;
	}
	case K_EXPORT:
		if (strcmp(v, "auto") && (v[0] != '/' || !valid_text(v)))
			return "must be auto (the USB stick found by udev) or an absolute directory";
		break;
	case K_RENDERER:
		if (strcmp(v, "software") && strcmp(v, "accelerated"))
			return "must be software (SDL's own rasteriser, the least memory) or accelerated "
			       "(the GPU through OpenGL)";
		break;
	case K_DEVICE:
		if (!valid_device(v))
			return "must be auto, none, or a device name or path (letters, digits, _:./,=-@)";
		break;
	default:
		break;
	}
	memcpy(field, v, len + 1);
	return NULL;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;
	char why[256], sec_e[96], name_e[96];
	if (!*section) {
		report(ld, ld->line, "%s: key outside any section", esc(name, name_e, sizeof name_e));
		return 1;
	}
	for (size_t i = 0; i < NKEYS; i++) {
		const struct key_def *d = &keys[i];
		const char *kname = d->name ? d->name : cab_timeouts[(d->offset -
		                    offsetof(struct cab_config, timeout_s)) / sizeof(int)].key;
		if (strcmp(d->section, section) || strcmp(kname, name))
			continue;
		if (ld->first_line[i]) {
			report(ld, ld->line, "%s.%s: set twice (first at line %d)", section, name,
			       ld->first_line[i]);
			return 1;
		}
		ld->first_line[i] = ld->line;
		const char *err = apply(d, value, ld->cfg, why, sizeof why);
		if (err)
			report(ld, ld->line, "%s.%s: %s", section, name, err);
		return 1;
	}
	int known_section = 0;
	for (size_t i = 0; i < NKEYS; i++)
		known_section |= !strcmp(keys[i].section, section);
	esc(section, sec_e, sizeof sec_e);
	esc(name, name_e, sizeof name_e);
	if (known_section)
		report(ld, ld->line, "%s.%s: unknown key", sec_e, name_e);
	else
		report(ld, ld->line, "%s.%s: unknown key (no section [%s])", sec_e, name_e, sec_e);
	return 1;
}

int cab_config_check_keys(const struct cab_config *c, char *msg, size_t n)
{
	size_t dl = strlen(c->data_dir);
	while (dl > 1 && c->data_dir[dl - 1] == '/')
		dl--;
	if (c->key_file[0] && dl && !strncmp(c->key_file, c->data_dir, dl) &&
	    c->key_file[dl] == '/') {
		snprintf(msg, n,
		         "storage.key_file: %s is inside storage.data_dir %s: the key must be kept "
		         "apart from the data it opens (default: DATA_DIR-private/cabin.key)",
		         c->key_file, c->data_dir);
		return -1;
	}
	const struct {
		const char *name, *path;
	} priv[] = {{"station.key", c->key}, {"storage.key_file", c->key_file}};
	for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++) {
		struct stat sb;
		if (!priv[i].path[0] || stat(priv[i].path, &sb) != 0 || !(sb.st_mode & 077))
			continue;
		snprintf(msg, n,
		         "%s: %s has mode %04o: a private key must be readable by its owner only "
		         "(chmod 600 %s)",
		         priv[i].name, priv[i].path, (unsigned)(sb.st_mode & 07777), priv[i].path);
		return -1;
	}
	return 0;
}

/* Checks that involve several keys. */
static void cross_checks(struct load *ld)
{
	struct cab_config *c = ld->cfg;
	char kmsg[CAB_CONFIG_PATH * 2 + 160];
	if (cab_config_check_keys(c, kmsg, sizeof kmsg))
		report(ld, 0, "%s", kmsg);
	int ca_line = 0, pin_line = 0;
	for (size_t i = 0; i < NKEYS; i++) {
		if (keys[i].name && !strcmp(keys[i].name, "ca"))
			ca_line = ld->first_line[i];
		if (keys[i].name && !strcmp(keys[i].name, "pin"))
			pin_line = ld->first_line[i];
	}
	if (!c->ca[0] && !c->pin[0])
		report(ld, ca_line ? ca_line : pin_line,
		       "station.ca: the station must be authenticated: set station.ca or station.pin");
	int pc_line = 0, lat_line = 0, lon_line = 0;
	for (size_t i = 0; i < NKEYS; i++) {
		if (keys[i].kind == K_POSTAL)
			pc_line = ld->first_line[i];
		if (keys[i].kind == K_LAT)
			lat_line = ld->first_line[i];
		if (keys[i].kind == K_LON)
			lon_line = ld->first_line[i];
	}
	/* La Poste: a French postal code is five digits (country set after it counts). */
	if (!strcmp(c->country, "FR") && c->postal_code[0] &&
	    (strlen(c->postal_code) != 5 || strspn(c->postal_code, "0123456789") != 5))
		report(ld, pc_line, "cabin.postal_code: must be 5 digits when country is FR");
	if (isnan(c->latitude) != isnan(c->longitude))
		report(ld, lat_line ? lat_line : lon_line,
		       "cabin.latitude: cabin.latitude and cabin.longitude go together (both or none)");
	if (c->crl[0] && !c->ca[0])
		report(ld, 0, "station.crl: a CRL needs station.ca, the CA that signed it");
	if (!c->cert[0] != !c->key[0])
		report(ld, 0, "station.cert: station.cert and station.key go together");
}

int cab_config_load_buffer(const char *name, const char *buf, size_t len,
                           struct cab_config *cfg, struct cab_config_errors *errs)
{
	struct load ld = {.name = name, .buf = buf, .len = len, .cfg = cfg, .errs = errs};
	memset(errs, 0, sizeof *errs);
	cab_config_defaults(cfg);
	/* inih's line buffer: on the heap and CAB_CONFIG_MAX_LINE long (+ "\n\0"), so a
	 * long path or location_text fits (inih's compiled default is 200). */
	ini_use_stack = 0;
	ini_allow_realloc = 0;
	ini_max_line = ini_initial_alloc = CAB_CONFIG_MAX_LINE + 2;
	int rc = ini_parse_stream(reader, &ld, handler, &ld);
	if (rc > 0 && errs->count == 0)
		report(&ld, rc, "syntax error");
	else if (rc < 0)
		report(&ld, 0, "cannot parse (out of memory)");
	cross_checks(&ld);
	return errs->count;
}

#define MAX_FILE (1u << 20)

int cab_config_load(const char *path, struct cab_config *cfg, struct cab_config_errors *errs)
{
	struct load ld = {.name = path, .errs = errs};
	memset(errs, 0, sizeof *errs);
	cab_config_defaults(cfg);
	FILE *f = fopen(path, "rb");
	if (!f) {
		report(&ld, 0, "cannot open: %s", strerror(errno));
		return errs->count;
	}
	char *buf = malloc(MAX_FILE + 1);
	size_t n = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
	int bad = !buf || ferror(f);
	fclose(f);
	if (bad || n > MAX_FILE) {
		free(buf);
		report(&ld, 0, bad ? "cannot read" : "larger than 1 MiB");
		return errs->count;
	}
	int count = cab_config_load_buffer(path, buf, n, cfg, errs);
	free(buf);
	return count;
}
