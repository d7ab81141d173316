/* test_config.c — the INI configuration: defaults with no file, a full valid file,
 * every validation message exactly ("FILE:LINE: section.key: why"), unknown and
 * duplicate keys, syntax errors, secrets masked in the printed configuration, and
 * the --check-config entry point's output and exit codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/config/config.h"

static int load(const char *text, struct cab_config *cfg, struct cab_config_errors *e)
{
	return cab_config_load_buffer("t.ini", text, strlen(text), cfg, e);
}

static void defaults_without_a_file(void **state)
{
	(void)state;
	struct cab_config c;
	setenv("XDG_DATA_HOME", "/var/tmp/xdg", 1);
	cab_config_defaults(&c);
	assert_string_equal(c.data_dir, "/var/tmp/xdg/cabin");
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/synth", 1);
	cab_config_defaults(&c);
	assert_string_equal(c.data_dir, "/home/synth/.local/share/cabin");
	unsetenv("HOME");
	cab_config_defaults(&c);
	assert_string_equal(c.data_dir, "build/data");
	assert_string_equal(c.cabin_id, "CABIN-DEV-0001");
	assert_string_equal(c.station_url, "wss://127.0.0.1:8443");
	assert_string_equal(c.cert, "build/certs/cabin.pem");
	assert_string_equal(c.key, "build/certs/cabin.key");
	assert_string_equal(c.ca, "build/certs/ca.pem");
	assert_string_equal(c.pin, "");
	assert_string_equal(c.proxy, "");
	assert_string_equal(c.country, "FR");
	assert_string_equal(c.postal_code, "75000");
	assert_int_equal(c.n_languages, 2);
	assert_string_equal(c.languages[0], "fr");
	assert_string_equal(c.languages[1], "en");
	assert_true(isnan(c.latitude) && isnan(c.longitude)); /* no position claimed */
	assert_int_equal(c.timeout_s[CAB_TMO_ATTRACT], 0);
	assert_int_equal(c.timeout_s[CAB_TMO_CONSENT], 180);
	assert_int_equal(c.timeout_s[CAB_TMO_WAITING_ROOM], 900);
	assert_int_equal(c.timeout_s[CAB_TMO_WIPE], 30);
	assert_int_equal(c.timeout_s[CAB_TMO_ENDED], 20);
	assert_int_equal(c.timeout_s[CAB_TMO_STILL_THERE], 30);
	assert_int_equal(c.timeout_s[CAB_TMO_PRECALL], 120);
	assert_int_equal(c.fee_cents, 3000);
	assert_string_equal(c.camera, "auto");
	assert_string_equal(cab_config_timeout_name(CAB_TMO_WAITING_ROOM), "waiting_room");
	assert_string_equal(cab_config_timeout_name(CAB_TMO__COUNT), "unknown");
	/* An empty file is the defaults. */
	struct cab_config_errors e;
	struct cab_config d;
	assert_int_equal(load("", &d, &e), 0);
	assert_memory_equal(&c, &d, sizeof c);
}

static void full_valid_file(void **state)
{
	(void)state;
	struct cab_config c;
	struct cab_config_errors e;
	const char *ini =
		"\xEF\xBB\xBF; a comment\r\n"
		"# another\n"
		"[cabin]\n"
		"id = pharma-75-001\n"
		"pharmacy_name = Pharmacie Synthétique\n"
		"  address = 3 rue Imaginaire\n"
		"postal_code = 75011\n"
		"city = Paris\n"
		"country = FR\n"
		"phone = +33140000000\n"
		"latitude = 48.8606\n"
		"longitude = -2.5\n"
		"location_text = Back room, left of the counter\n"
		"[station]\n"
		"url = wss://doctor.example.test:443/cabin\n"
		"proxy = http://proxyuser:s3cret@proxy.local:3128\n"
		"ca =\n"
		"pin = sha256//YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=\n"
		"cert =\n"
		"key =\n"
		"key_passphrase = hunter2 ; inline comment\n"
		"[ui]\n"
		"languages = en , fr\n"
		"voice_volume = 0\n"
		"[timeouts]\n"
		"attract = 0\n"
		"waiting_room = 1200\n"
		"wipe = 5\n"
		"[storage]\n"
		"data_dir = /var/lib/cabin\n"
		"key_file = /etc/cabin/cabin.key\n"
		"[media]\n"
		"camera = /dev/video2\n"
		"microphone = alsa:hw:1,0\n"
		"stethoscope = none\n"
		"otoscope = /dev/v4l/by-id/usb-otoscope\n"
		"dermatoscope = lavfi:color=c=0x2a9d4a:s=1280x960:r=30\n";
	if (load(ini, &c, &e))
		fail_msg("%s", e.e[0].text);
	assert_string_equal(c.cabin_id, "pharma-75-001");
	assert_string_equal(c.pharmacy_name, "Pharmacie Synthétique");
	assert_string_equal(c.address, "3 rue Imaginaire");
	assert_string_equal(c.postal_code, "75011");
	assert_string_equal(c.city, "Paris");
	assert_string_equal(c.country, "FR");
	assert_string_equal(c.phone, "+33140000000");
	assert_true(c.latitude == 48.8606 && c.longitude == -2.5);
	assert_string_equal(c.location_text, "Back room, left of the counter");
	assert_string_equal(c.station_url, "wss://doctor.example.test:443/cabin");
	assert_string_equal(c.proxy, "http://proxyuser:s3cret@proxy.local:3128");
	assert_string_equal(c.ca, "");
	/* base64 of "abcdefghijklmnopqrstuvwxyz123456", kept as hex for the link */
	assert_string_equal(c.pin, "6162636465666768696a6b6c6d6e6f707172737475767778797a313233343536");
	char hp[128];
	assert_string_equal(cab_config_proxy_hostport(&c, hp, sizeof hp),
	                    "proxyuser:s3cret@proxy.local:3128");
	assert_string_equal(c.key_passphrase, "hunter2");
	assert_int_equal(c.n_languages, 2);
	assert_string_equal(c.languages[0], "en");
	assert_string_equal(c.languages[1], "fr");
	assert_int_equal(c.timeout_s[CAB_TMO_WAITING_ROOM], 1200);
	assert_int_equal(c.timeout_s[CAB_TMO_WIPE], 5);
	assert_int_equal(c.timeout_s[CAB_TMO_CONSENT], 180);
	assert_string_equal(c.data_dir, "/var/lib/cabin");
	assert_string_equal(c.key_file, "/etc/cabin/cabin.key");
	assert_string_equal(c.microphone, "alsa:hw:1,0");
	assert_string_equal(c.otoscope, "/dev/v4l/by-id/usb-otoscope");
	assert_string_equal(c.dermatoscope, "lavfi:color=c=0x2a9d4a:s=1280x960:r=30");

	/* Printed: every key, secrets masked, and it loads back to the same. */
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	cab_config_print(&c, out);
	fclose(out);
	assert_null(strstr(buf, "hunter2"));
	assert_null(strstr(buf, "s3cret"));
	assert_non_null(strstr(buf, "key_passphrase = ********\n"));
	assert_non_null(strstr(buf, "proxy = http://proxyuser:********@proxy.local:3128\n"));
	assert_non_null(strstr(buf, "waiting_room = 1200\n"));
	assert_non_null(strstr(buf, "languages = en,fr\nvoice_volume = 0\nrenderer = software\n"));
	struct cab_config back;
	assert_int_equal(load(buf, &back, &e), 0);
	assert_string_equal(back.key_passphrase, "********");
	assert_string_equal(back.station_url, c.station_url);
	assert_int_equal(back.timeout_s[CAB_TMO_WIPE], 5);
	assert_true(back.latitude == 48.8606 && back.longitude == -2.5);
	free(buf);
}

/* One bad line and the exact message it gives. */
struct bad_case {
	const char *ini;
	const char *message;
};

static const struct bad_case bad_cases[] = {
	{"[cabin]\nid = bad id!\n",
	 "t.ini:2: cabin.id: must be 1 to 63 letters, digits, '-', '_' or '.'"},
	{"[cabin]\nid =\n", "t.ini:2: cabin.id: must be 1 to 63 letters, digits, '-', '_' or '.'"},
	{"[cabin]\n\nphone = 01 23 45 67 89\n",
	 "t.ini:3: cabin.phone: must be an E.164 number without spaces, like +33123456789"},
	{"[cabin]\nlatitude = 91\n",
	 "t.ini:2: cabin.latitude: must be a number of degrees from -90 to 90 (WGS 84)"},
	{"[cabin]\nlatitude = 45.0N\n",
	 "t.ini:2: cabin.latitude: must be a number of degrees from -90 to 90 (WGS 84)"},
	{"[cabin]\nlongitude = -180.5\n",
	 "t.ini:2: cabin.longitude: must be a number of degrees from -180 to 180 (WGS 84)"},
	{"[station]\nurl = https://127.0.0.1:8443\n",
	 "t.ini:2: station.url: must be a wss:// URL with a host and an optional port (got "
	 "\"https://127.0.0.1:8443\")"},
	{"[station]\nurl = wss://127.0.0.1:99999\n",
	 "t.ini:2: station.url: must be a wss:// URL with a host and an optional port (got "
	 "\"wss://127.0.0.1:99999\")"},
	{"[station]\nurl = wss://user@host\n",
	 "t.ini:2: station.url: must be a wss:// URL with a host and an optional port (got "
	 "\"wss://user@host\")"},
	{"[station]\nproxy = http://proxy.local\n",
	 "t.ini:2: station.proxy: must be [http://][user:password@]host:port or empty"},
	{"[station]\nproxy = socks5://proxy.local:1080\n",
	 "t.ini:2: station.proxy: must be [http://][user:password@]host:port or empty"},
	{"[station]\npin = sha256//tooshort=\n",
	 "t.ini:2: station.pin: must be the SHA-256 of the station's public key as 64 hex digits, "
	 "or \"sha256//\" and its base64 (44 characters), or empty"},
	{"[station]\npin = 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeZZ\n",
	 "t.ini:2: station.pin: must be the SHA-256 of the station's public key as 64 hex digits, "
	 "or \"sha256//\" and its base64 (44 characters), or empty"},
	{"[cabin]\ncountry = fr\n",
	 "t.ini:2: cabin.country: must be an ISO 3166-1 alpha-2 code in capitals, like FR"},
	{"[cabin]\npostal_code = 75_011\n",
	 "t.ini:2: cabin.postal_code: must be 1 to 10 capital letters, digits, spaces or '-', or empty"},
	{"[cabin]\ncountry = DE\npostal_code = 12345678901\n",
	 "t.ini:3: cabin.postal_code: must be 1 to 10 capital letters, digits, spaces or '-', or empty"},
	{"[cabin]\npostal_code = ABCDE\n",
	 "t.ini:2: cabin.postal_code: must be 5 digits when country is FR"},
	{"[cabin]\npostal_code = 7501\ncountry = FR\n",
	 "t.ini:2: cabin.postal_code: must be 5 digits when country is FR"},
	{"[cabin]\ncountry = F1\n",
	 "t.ini:2: cabin.country: must be an ISO 3166-1 alpha-2 code in capitals, like FR"},
	{"[cabin]\ncountry = FRA\n",
	 "t.ini:2: cabin.country: must be an ISO 3166-1 alpha-2 code in capitals, like FR"},
	{"[cabin]\n\nlongitude = 2.35\n",
	 "t.ini:3: cabin.latitude: cabin.latitude and cabin.longitude go together (both or none)"},
	{"[ui]\nlanguages = xx,fr\n",
	 "t.ini:2: ui.languages: no translation for \"xx\" (available: fr, en)"},
	{"[ui]\nlanguages = de\n",
	 "t.ini:2: ui.languages: no translation for \"de\" (available: fr, en)"},
	/* file content quoted in a message: control and non-ASCII bytes as \xHH */
	{"[k\x1b[2Jx]\nid\x9b = 1\n",
	 "t.ini:2: k\\x1b[2Jx.id\\x9b: unknown key (no section [k\\x1b[2Jx])"},
	{"[station]\nurl = wss://h\x1b]0;pwn\x07\\\n",
	 "t.ini:2: station.url: must be a wss:// URL with a host and an optional port (got "
	 "\"wss://h\\x1b]0;pwn\\x07\\\\\")"},
	{"[station]\nca = /nonexistent/ca.pem\n",
	 "t.ini:2: station.ca: cannot read \"/nonexistent/ca.pem\": No such file or directory"},
	{"[ui]\nlanguages = fr,fr\n",
	 "t.ini:2: ui.languages: must be a comma-separated list of distinct ISO 639-1 codes, at "
	 "most 8 (e.g. \"fr, en\")"},
	{"[ui]\nlanguages = french\n",
	 "t.ini:2: ui.languages: must be a comma-separated list of distinct ISO 639-1 codes, at "
	 "most 8 (e.g. \"fr, en\")"},
	{"[ui]\nvoice_volume = 101\n",
	 "t.ini:2: ui.voice_volume: must be a whole number from 0 (silent) to 100"},
	{"[ui]\nrenderer = opengl\n",
	 "t.ini:2: ui.renderer: must be software (SDL's own rasteriser, the least memory) or "
	 "accelerated (the GPU through OpenGL)"},
	{"[timeouts]\nconsent = -1\n",
	 "t.ini:2: timeouts.consent: must be a whole number of seconds from 0 (no timeout) to 86400"},
	{"[timeouts]\nsummary = 2m\n",
	 "t.ini:2: timeouts.summary: must be a whole number of seconds from 0 (no timeout) to 86400"},
	{"[timeouts]\nlobby = 5\n", "t.ini:2: timeouts.lobby: unknown key"},
	{"[timeouts]\nprecall = 1h\n",
	 "t.ini:2: timeouts.precall: must be a whole number of seconds from 0 (no timeout) to 86400"},
	{"[cabin]\nfee_cents = 30.00\n",
	 "t.ini:2: cabin.fee_cents: must be a whole number of euro cents from 0 to 100000"},
	{"[cabin]\nfee_cents = 100001\n",
	 "t.ini:2: cabin.fee_cents: must be a whole number of euro cents from 0 to 100000"},
	{"[storage]\ndata_dir =\n", "t.ini:2: storage.data_dir: must not be empty"},
	{"[media]\ncamera = my camera\n",
	 "t.ini:2: media.camera: must be auto, none, or a device name or path (letters, digits, "
	 "_:./,=-@)"},
	{"[cabin]\npharmacy_name = Caf\xe9\n",
	 "t.ini:2: cabin.pharmacy_name: must be UTF-8 text without control characters"},
	{"[cabin]\naddress = a\x01b\n",
	 "t.ini:2: cabin.address: must be UTF-8 text without control characters"},
	{"[cabin]\ncolour = blue\n", "t.ini:2: cabin.colour: unknown key"},
	{"[kiosk]\nid = 1\n", "t.ini:2: kiosk.id: unknown key (no section [kiosk])"},
	{"id = 1\n", "t.ini:1: id: key outside any section"},
	{"[cabin]\nid = a\nid = b\n", "t.ini:3: cabin.id: set twice (first at line 2)"},
	{"[cabin]\njust words\n", "t.ini:2: syntax error: expected \"key = value\""},
	{"[cabin\n", "t.ini:1: syntax error: section header without ']'"},
	{"[station]\nca =\npin =\n",
	 "t.ini:2: station.ca: the station must be authenticated: set station.ca or station.pin"},
	{"[station]\ncert =\n", "t.ini: station.cert: station.cert and station.key go together"},
	{"[station]\nca =\npin = 0000000000000000000000000000000000000000000000000000000000000000\n"
	 "crl = /dev/null\n",
	 "t.ini: station.crl: a CRL needs station.ca, the CA that signed it"},
	{"[station]\ncrl = /nonexistent/crl.pem\n",
	 "t.ini:2: station.crl: cannot read \"/nonexistent/crl.pem\": No such file or directory"},
};

static void every_bad_value_named_by_file_line_and_key(void **state)
{
	(void)state;
	struct cab_config c;
	struct cab_config_errors e;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		int n = load(bad_cases[i].ini, &c, &e);
		if (n != 1)
			fail_msg("case %zu: %d problems, first \"%s\"", i, n, n ? e.e[0].text : "");
		assert_string_equal(e.e[0].text, bad_cases[i].message);
	}
	assert_int_equal(load("[station]\npin = 00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff\n"
	                      "proxy = 127.0.0.1:3128\n", &c, &e), 0);
	assert_string_equal(c.pin, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	char hp[64];
	assert_string_equal(cab_config_proxy_hostport(&c, hp, sizeof hp), "127.0.0.1:3128");
	assert_int_equal(load("[cabin]\ncountry = GB\npostal_code = SW1A 1AA\n", &c, &e), 0);
	assert_int_equal(load("[cabin]\npostal_code = 2A004\ncountry = DE\n", &c, &e), 0);
	assert_int_equal(load("[cabin]\npostal_code =\n[ui]\nlanguages = en\n", &c, &e), 0);
	/* A bad value leaves the default in place. */
	assert_int_equal(load("[timeouts]\nwipe = x\n", &c, &e), 1);
	assert_int_equal(c.timeout_s[CAB_TMO_WIPE], 30);
}

static void long_lines_many_errors_and_missing_file(void **state)
{
	(void)state;
	struct cab_config c;
	struct cab_config_errors e;
	char ini[1100];
	memset(ini, 'a', sizeof ini);
	memcpy(ini, "[cabin]\naddress = ", 18);
	memcpy(ini + 8 + 1024 + 1, "\nid = ok\n", 10); /* line 2: 1025 bytes */
	assert_int_equal(load(ini, &c, &e), 1);
	assert_string_equal(e.e[0].text, "t.ini:2: line too long (max 1024 bytes)");
	assert_string_equal(c.cabin_id, "ok");
	ini[8 + 1024] = 0; /* 1024 bytes: read, the value then too long for the address */
	assert_int_equal(load(ini, &c, &e), 1);
	assert_string_equal(e.e[0].text, "t.ini:2: cabin.address: too long (at most 159 bytes)");
	/* a 500-byte path and a 255-byte location_text fit */
	char longer[1100] = "[storage]\ndata_dir = /", *p = longer + strlen(longer);
	memset(p, 'd', 499);
	strcpy(p + 499, "\n[cabin]\nlocation_text = ");
	p += strlen(p);
	memset(p, 'L', 255);
	strcpy(p + 255, "\n");
	assert_int_equal(load(longer, &c, &e), 0);
	assert_int_equal(strlen(c.data_dir), 500);
	assert_int_equal(strlen(c.location_text), 255);
	/* Problems are all reported, in order, and counted beyond what is kept. */
	char many[8000] = "[cabin]\n";
	for (int i = 0; i < 70; i++)
		strcat(many, "x = 1\n");
	assert_int_equal(load(many, &c, &e), 70);
	assert_int_equal(e.count, 70);
	assert_string_equal(e.e[63].text, "t.ini:65: cabin.x: unknown key");
	assert_int_equal(cab_config_load("/nonexistent/cabin.ini", &c, &e), 1);
	assert_string_equal(e.e[0].text, "/nonexistent/cabin.ini: cannot open: No such file or directory");
}

static void check_config_main_output_and_exit_codes(void **state)
{
	(void)state;
	char path[] = "/tmp/cabin-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char good[] = "[cabin]\nid = test-7\n[station]\nkey_passphrase = topsecret\n";
	assert_int_equal(write(fd, good, sizeof good - 1), (ssize_t)sizeof good - 1);
	close(fd);
	char *o = NULL, *e = NULL;
	size_t ol = 0, el = 0;
	FILE *out = open_memstream(&o, &ol), *err = open_memstream(&e, &el);
	assert_int_equal(cab_config_check_main(path, out, err), 0);
	fclose(out);
	fclose(err);
	assert_string_equal(e, "");
	assert_non_null(strstr(o, "\n[cabin]\nid = test-7\n"));
	assert_non_null(strstr(o, "key_passphrase = ********\n"));
	assert_null(strstr(o, "topsecret"));
	assert_non_null(strstr(o, "\nlatitude = \nlongitude = \n")); /* unset, not Paris */
	free(o);
	free(e);
	FILE *f = fopen(path, "w");
	fputs("[cabin]\nid = ok\nphone = 12\n[ui]\nlanguages = x\n", f);
	fclose(f);
	out = open_memstream(&o, &ol);
	err = open_memstream(&e, &el);
	assert_int_equal(cab_config_check_main(path, out, err), 2);
	fclose(out);
	fclose(err);
	assert_string_equal(o, "");
	char expect[1024];
	snprintf(expect, sizeof expect,
	         "%1$s:3: cabin.phone: must be an E.164 number without spaces, like +33123456789\n"
	         "%1$s:5: ui.languages: must be a comma-separated list of distinct ISO 639-1 codes, "
	         "at most 8 (e.g. \"fr, en\")\n"
	         "%1$s: 2 problems\n", path);
	assert_string_equal(e, expect);
	free(o);
	free(e);
	unlink(path);
}

/* [service]: defaults, a valid section, each bad value with its FILE:LINE message,
 * and the printed form reloading to the same values. */
/* The private keys: apart from the data, owner-only (cab_config_check_keys), in the
 * file's checks and on their own (the cabin checks again after the environment). */
static void private_keys_apart_and_owner_only(void **state)
{
	(void)state;
	struct cab_config c;
	struct cab_config_errors e;
	char msg[1200], want[1200], key[] = "/tmp/cabin-test-key.XXXXXX";
	int fd = mkstemp(key);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chmod(key, 0644), 0);
	char ini[1400];
	int n = snprintf(ini, sizeof ini, "[station]\ncert = %s\nkey = %s\n", key, key);
	assert_int_equal(cab_config_load_buffer("t.ini", ini, (size_t)n, &c, &e), 1);
	snprintf(want, sizeof want,
	         "t.ini: station.key: %s has mode 0644: a private key must be readable by its owner "
	         "only (chmod 600 %s)",
	         key, key);
	assert_string_equal(e.e[0].text, want);
	assert_int_equal(chmod(key, 0600), 0);
	assert_int_equal(cab_config_load_buffer("t.ini", ini, (size_t)n, &c, &e), 0);
	assert_int_equal(cab_config_check_keys(&c, msg, sizeof msg), 0);
	/* the cabin key inside the data directory: refused */
	n = snprintf(ini, sizeof ini, "[storage]\ndata_dir = /var/lib/cabin/\nkey_file = /var/lib/cabin/k\n");
	assert_int_equal(cab_config_load_buffer("t.ini", ini, (size_t)n, &c, &e), 1);
	assert_string_equal(e.e[0].text,
	                    "t.ini: storage.key_file: /var/lib/cabin/k is inside storage.data_dir "
	                    "/var/lib/cabin/: the key must be kept apart from the data it opens "
	                    "(default: DATA_DIR-private/cabin.key)");
	/* beside it is fine (a prefix of the name is not the directory) */
	snprintf(c.key_file, sizeof c.key_file, "/var/lib/cabin-private/cabin.key");
	assert_int_equal(cab_config_check_keys(&c, msg, sizeof msg), 0);
	unlink(key);
}

static void service_section(void **state)
{
	(void)state;
	struct cab_config c;
	struct cab_config_errors e;
	/* printf %s 482915 | scripts/hash-secret pin (a synthetic PIN) */
	const char *phc = "$scrypt$ln=15,r=8,p=1$naS2J53AEbXw5u1syGu/Ig$"
	                  "B/FP16FykQFsuQR5LgDSL0yKNvLtK8sD2w/g+POxLpY";
	char ini[512];
	assert_int_equal(load("[service]\n", &c, &e), 0);
	assert_int_equal(c.cleaning_max_s, 900);
	assert_string_equal(c.export_dir, "auto");
	assert_string_equal(c.pharmacist_pin_hash, "");
	snprintf(ini, sizeof ini, "[service]\npharmacist_pin_hash = %s\ntechnician_password_hash =\n"
	         "cleaning_max_s = 0\nexport_dir = /media/cabin-usb\n", phc);
	assert_int_equal(load(ini, &c, &e), 0);
	assert_string_equal(c.pharmacist_pin_hash, phc);
	assert_int_equal(c.cleaning_max_s, 0);
	assert_string_equal(c.export_dir, "/media/cabin-usb");
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	cab_config_print(&c, m);
	fclose(m);
	assert_non_null(strstr(text, "\n[service]\npharmacist_pin_hash = $scrypt$ln=15,r=8,p=1$"));
	assert_non_null(strstr(text, "\ncleaning_max_s = 0\nexport_dir = /media/cabin-usb\n"));
	struct cab_config back;
	const char *sec = strstr(text, "[service]"); /* the rest names files absent here */
	int nb = cab_config_load_buffer("p.ini", sec, strlen(sec), &back, &e);
	if (nb)
		fail_msg("reload: %s", e.e[0].text);
	assert_string_equal(back.pharmacist_pin_hash, phc);
	assert_int_equal(back.cleaning_max_s, 0);
	free(text);
	static const struct {
		const char *ini, *message;
	} bad[] = {
	    {"[service]\n\ncleaning_max_s = -1\n",
	     "t.ini:3: service.cleaning_max_s: must be a whole number of seconds from 0 (no limit) to 86400"},
	    {"[service]\ncleaning_max_s = 15m\n",
	     "t.ini:2: service.cleaning_max_s: must be a whole number of seconds from 0 (no limit) to 86400"},
	    {"[service]\nexport_dir = usb\n",
	     "t.ini:2: service.export_dir: must be auto (the USB stick found by udev) or an absolute directory"},
	    {"[service]\npharmacist_pin_hash = 482915\n",
	     "t.ini:2: service.pharmacist_pin_hash: must be an scrypt hash from scripts/hash-secret "
	     "($scrypt$ln=15,r=8,p=1$SALT$HASH, cost at least ln=14), or empty"},
	    {"[service]\ntechnician_password_hash = $scrypt$ln=10,r=8,p=1$naS2J53AEbXw5u1syGu/Ig$"
	     "B/FP16FykQFsuQR5LgDSL0yKNvLtK8sD2w/g+POxLpY\n",
	     "t.ini:2: service.technician_password_hash: must be an scrypt hash from scripts/hash-secret "
	     "($scrypt$ln=15,r=8,p=1$SALT$HASH, cost at least ln=14), or empty"},
	    {"[service]\nexport = auto\n", "t.ini:2: service.export: unknown key"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int n = load(bad[i].ini, &c, &e);
		if (n != 1)
			fail_msg("case %zu: %d problems, first \"%s\"", i, n, n ? e.e[0].text : "");
		assert_string_equal(e.e[0].text, bad[i].message);
	}
	assert_int_equal(c.cleaning_max_s, 900); /* a bad value keeps the default */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_without_a_file),
		cmocka_unit_test(full_valid_file),
		cmocka_unit_test(every_bad_value_named_by_file_line_and_key),
		cmocka_unit_test(long_lines_many_errors_and_missing_file),
		cmocka_unit_test(check_config_main_output_and_exit_codes),
		cmocka_unit_test(service_section),
		cmocka_unit_test(private_keys_apart_and_owner_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
