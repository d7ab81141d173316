/* config.h — the cabin's configuration: one INI file (inih), every value validated
 * with a message naming file, line and key, unknown keys reported, and defaults that
 * run the demo with no file at all. Sections and keys: docs/store.md
 * "Configuration" and assets/cabin.example.ini. */
#ifndef CABIN_CONFIG_H
#define CABIN_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include <stdbool.h>

/* The flow's timers: one inactivity timeout per patient flow state (in flow order,
 * named as the flow names its states), then the "are you still there?" countdown
 * and the waiting room's pre-call time. Their names are the keys of the [timeouts]
 * section; cab_timeouts[] holds every default (docs/flow.md "Timers"). */
enum cab_flow_timeout {
	CAB_TMO_ATTRACT = 0,
	CAB_TMO_LANGUAGE,
	CAB_TMO_INFORMATION,
	CAB_TMO_CONSENT,
	CAB_TMO_IDENTITY,
	CAB_TMO_CHECKS,
	CAB_TMO_WAITING_ROOM,
	CAB_TMO_CONSULTATION,
	CAB_TMO_SUMMARY,
	CAB_TMO_ENDED,
	CAB_TMO_WIPE,
	CAB_TMO_STILL_THERE, /* the countdown shown after a timeout of a state that asks */
	CAB_TMO_PRECALL,     /* waiting room: the doctor joins after this even if the
	                        pre-call measurements are not all done */
	CAB_TMO_MEASURING,   /* waiting room: how long past the pre-call time a measurement
	                        under way may hold the call back (issue 16) */
	CAB_TMO_BP_REST,     /* rest before a blood-pressure measurement (0: none; the
	                        doctors' setting, e.g. 300 s as ESH 2023 asks) */
	/* the doctor station's (cabin-doctor), not keys of the cabin's [timeouts]: a
	 * connection is closed when it has not finished each step in time
	 * (docs/link.md "The station under abuse") */
	CAB_TMO_STN_HANDSHAKE,   /* TCP accepted -> TLS handshake done */
	CAB_TMO_STN_UPGRADE,     /* TLS done -> HTTP request / WebSocket upgrade read */
	CAB_TMO_STN_HELLO,       /* cabin-link WebSocket up -> `hello` accepted */
	CAB_TMO_STN_LOG_SUMMARY, /* repeated warnings: logged once, then one summary line
	                            per period ("N connections refused from ADDR ...") */
	CAB_TMO__COUNT
};

/* One row of the table of flow timers. */
struct cab_timeout_def {
	const char *key;  /* [timeouts] key; for a state, its cab_flow_state_name() */
	int default_s;    /* seconds; for a state 0 = no timeout */
	bool state;       /* an inactivity timeout of the flow state KEY */
	bool ask;         /* state: the flow asks "are you still there?" before it ends */
	bool station;     /* the doctor station's (cabin-doctor [timeouts]), not the
	                     cabin's: not in the cabin's configuration */
};

/* The table of flow timers, indexed by enum cab_flow_timeout: the only place their
 * defaults are written. */
extern const struct cab_timeout_def cab_timeouts[CAB_TMO__COUNT];

/* Key name of a timer ("attract", ..., "waiting_room", ..., "precall"). */
const char *cab_config_timeout_name(enum cab_flow_timeout t);

#define CAB_CONFIG_MAX_LANGS 8
#define CAB_CONFIG_PATH 512
#define CAB_CONFIG_MAX_LINE 1024 /* longest line of the file, bytes, without "\n" */

/* The effective configuration. Strings are UTF-8, NUL-terminated, "" when unset. */
struct cab_config {
	/* [cabin] */
	char cabin_id[64];          /* id of this cabin (letters, digits, '-', '_', '.') */
	char pharmacy_name[128];
	char address[160];          /* street line of the pharmacy's address */
	char postal_code[16];       /* 1-10 of A-Z 0-9 space '-'; 5 digits when country
	                               is FR; "" = unset */
	char city[96];
	char country[3];            /* ISO 3166-1 alpha-2, upper case ("FR") */
	char phone[32];             /* pharmacy phone, E.164 ("+33...") */
	double latitude;            /* WGS 84 degrees, -90..90; NAN = unset (default) */
	double longitude;           /* WGS 84 degrees, -180..180; NAN = unset. Both or
	                               neither: a cabin that set none claims no position */
	char location_text[256];    /* where the cabin is, read to emergency services */
	int fee_cents;              /* the consultation's fee shown to the patient, euro
	                               cents, 0..100000 (default 3000) */
	/* [station] */
	char station_url[CAB_CONFIG_PATH];  /* wss://host[:port][/path] */
	char proxy[CAB_CONFIG_PATH];        /* [http://][user:password@]host:port or "" */
	char cert[CAB_CONFIG_PATH];         /* cabin's device certificate (PEM) */
	char key[CAB_CONFIG_PATH];          /* its private key (PEM) */
	char key_passphrase[128];           /* secret, masked when printed; "" = none */
	char ca[CAB_CONFIG_PATH];           /* CA that signed the station's certificate */
	char crl[CAB_CONFIG_PATH];          /* PEM CRL(s) of that CA, or "" (no revocation
	                                       check); re-read when it changes; needs ca */
	char pin[65];                       /* SHA-256 of the station's DER
	                                       SubjectPublicKeyInfo as 64 lower-case hex
	                                       digits (what the link takes), or "". The file
	                                       may also give "sha256//" + base64. */
	/* [ui] */
	int n_languages;
	char languages[CAB_CONFIG_MAX_LANGS][4]; /* ISO 639-1 codes, first = default */
	int voice_volume;   /* [ui] voice_volume: spoken guidance loudness, percent
	                       0..100 (0: the cabin never speaks); default 80 */
	char renderer[16];  /* [ui] renderer: "software" (default: SDL's own rasteriser
	                       into the window's shared-memory surface, no OpenGL; about
	                       100 MB less resident than Mesa's llvmpipe where the
	                       machine has no GPU, docs/memory.md) or "accelerated"
	                       (SDL's OpenGL renderer, for a cabin with a GPU driver) */
	/* [timeouts] seconds, 0 = no timeout */
	int timeout_s[CAB_TMO__COUNT];
	/* [storage] */
	char data_dir[CAB_CONFIG_PATH];
	char key_file[CAB_CONFIG_PATH];     /* "" -> DATA_DIR/cabin.key */
	int outbox_max_age_s;               /* seconds personal data may wait unsent for
	                                       the station before it is wiped and the loss
	                                       reported; 0 = no bound (21600 = 6 h) */
	/* [media] device choices: "auto", "none", a device (path or FFmpeg name), or
	 * "lavfi:GRAPH", a libavfilter source graph standing in as a test source
	 * (docs/media.md, "Test sources") */
	char camera[CAB_CONFIG_PATH];
	char microphone[CAB_CONFIG_PATH];
	char stethoscope[CAB_CONFIG_PATH];
	char otoscope[CAB_CONFIG_PATH];
	char dermatoscope[CAB_CONFIG_PATH];
	/* [printer] */
	char printer_name[128];             /* CUPS destination the prescription prints on;
	                                       "" = the CUPS default destination */
	/* [service] (docs/service.md) */
	char pharmacist_pin_hash[160];      /* scrypt PHC string ($scrypt$ln=...), "" = set
	                                       on first start / in the service menu */
	char technician_password_hash[160]; /* same for the technician's password */
	int cleaning_max_s;                 /* seconds before an unconfirmed cleaning is
	                                       logged as skipped, 0 = no limit (900) */
	char export_dir[CAB_CONFIG_PATH];   /* "auto" = the mounted USB stick found by
	                                       udev, else a directory (log export) */
};

/* One problem found while loading. */
struct cab_config_error {
	char text[384]; /* "FILE:LINE: section.key: what is wrong" */
};

#define CAB_CONFIG_MAX_ERRORS 64

/* Problems of one load, in file order. */
struct cab_config_errors {
	int count;     /* how many were found (may exceed the kept ones) */
	struct cab_config_error e[CAB_CONFIG_MAX_ERRORS];
};

/* Fills CFG with the defaults, which are what scripts/make-certs writes: cabin
 * "CABIN-DEV-0001" (the CN of its cabin certificate), station wss://127.0.0.1:8443,
 * certificates build/certs/{cabin.pem,cabin.key,ca.pem}, languages fr,en, data directory
 * $XDG_DATA_HOME/cabin, else $HOME/.local/share/cabin, else build/data. */
void cab_config_defaults(struct cab_config *cfg);

/* Loads PATH over the defaults. Returns 0 when valid; otherwise the number of
 * problems (> 0) listed in ERRS (CFG then holds defaults where values were bad).
 * A missing file is one problem ("PATH: cannot open: ..."). */
int cab_config_load(const char *path, struct cab_config *cfg, struct cab_config_errors *errs);

/* Same from a buffer (LEN bytes) named NAME in messages (fuzzing, tests). */
int cab_config_load_buffer(const char *name, const char *buf, size_t len,
                           struct cab_config *cfg, struct cab_config_errors *errs);

/* The private keys' rules, checked after every override (file, environment): the
 * cabin key ([storage] key_file) must not be inside data_dir (a copy of the data
 * directory must not hold the key that opens it), and the TLS key ([station] key) and
 * the cabin key, when they exist, must be readable by their owner only (mode & 077 =
 * 0). Returns 0, or -1 with the first problem in MSG[N]: "station.key: PATH has mode
 * 0644: a private key must be readable by its owner only (chmod 600 PATH)" or
 * "storage.key_file: PATH is inside storage.data_dir DIR: ...". */
int cab_config_check_keys(const struct cab_config *cfg, char *msg, size_t n);

/* Writes the proxy as the link wants it, "[user:password@]host:port" (no scheme),
 * into OUT (SIZE bytes); "" when no proxy. Returns OUT. */
char *cab_config_proxy_hostport(const struct cab_config *cfg, char *out, size_t size);

/* Prints CFG as an INI file with every key, secrets (key passphrase, proxy password)
 * replaced by "********". */
void cab_config_print(const struct cab_config *cfg, FILE *out);

/* `cabin --check-config FILE`: prints the effective configuration to OUT and returns
 * 0, or prints every problem to ERR and returns 2. */
int cab_config_check_main(const char *path, FILE *out, FILE *err);

#endif
