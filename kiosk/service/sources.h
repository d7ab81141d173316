/* sources.h — where the technician's service menu gets what it shows. Each field
 * of struct cab_svc_sources is one clearly named provider, bound by the
 * application to the part that owns the data (devices, store, link, config);
 * a provider left NULL shows "not available". No SDL. */
#ifndef CABIN_SERVICE_SOURCES_H
#define CABIN_SERVICE_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAB_SVC_MAX_INSTRUMENTS 16

/* One instrument as the menu lists it (the store's registry joined with what the
 * device layer sees now). Strings "" when unknown. */
struct cab_svc_instrument {
	char kind[24];   /* cab_device_kind_name(): "pulse-oximeter" */
	char driver[32]; /* driver name: "ieee11073-phdc", "contec-cms50" */
	char model[48];
	char serial[48];
	char firmware[32];
	char calibration_due[11];      /* "YYYY-MM-DD" or "" */
	int64_t last_selftest_ms;      /* epoch ms, 0 = never */
	char last_selftest_result[16]; /* "pass", "fail", "" */
	bool connected;                /* present on USB now */
	char state[24];                /* cab_dev_state_name() while connected ("ready"), or "" */
	char incident[64]; /* last incident and its detail ("timeout: no answer"), or "" */
	bool simulated;    /* a simulator stands in for it (cabin --sim) */
	int64_t first_seen_ms, last_seen_ms; /* epoch ms from the registry, 0 unknown */
	char selftest_detail[96]; /* what the last self-test run in this process found */
	int64_t registry_id;      /* the store's id, 0 when not registered */
};

/* What the link knows. */
struct cab_svc_link {
	char station_url[256]; /* wss://host:port/path from the configuration */
	bool connected;        /* the link is up now */
	char state_text[128];  /* the link's own words ("station certificate has expired"), or "" */
	double rtt_ms;         /* last WebSocket ping round trip, < 0 = unknown */
	double throughput_kbps; /* upload: bytes of outbox messages acknowledged by the
	                           station per second over the window, in kbit/s; < 0 =
	                           nothing acknowledged in the window (throughput.h) */
	int throughput_msgs;      /* messages acknowledged in that window */
	int throughput_window_s;  /* the window's length */
	char cert[256];         /* the cabin's device certificate (PEM path) */
	char ca[256];           /* the CA that signs the station's certificate */
};

/* Providers. Each returns >= 0 on success, a negative errno when it cannot tell. */
struct cab_svc_sources {
	/* devices + store: fills up to MAX instruments; returns the count. */
	int (*instruments)(void *user, struct cab_svc_instrument *out, int max);
	/* devices: starts instrument INDEX's self-test without blocking (0, -ENODEV
	 * not attached, -EBUSY one running); selftest_poll then returns 0 while it
	 * runs and 1 when it finished, with *INDEX and "pass"/"fail" in RESULT, the
	 * result recorded in the store (-ENOENT: none started). */
	int (*selftest_start)(void *user, int index);
	int (*selftest_poll)(void *user, int *index, char *result, size_t size);
	/* store: sets (DATE "YYYY-MM-DD") or clears ("") the calibration due date of
	 * the instrument listed at INDEX by `instruments`. Returns 0, -EINVAL for a bad
	 * date, -ENODEV for no such instrument. */
	int (*set_calibration)(void *user, int index, const char *date);
	/* link + config: fills OUT. */
	int (*link)(void *user, struct cab_svc_link *out);
	/* store: pending outbox messages and the enqueue time of the oldest (epoch
	 * ms, 0 when empty or unknown). */
	int (*outbox)(void *user, int *pending, int64_t *oldest_ms);
	/* store: walks the audit chain (cab_store_audit_verify); returns 0 intact with
	 * *ROWS, 1 broken with WHY, or a negative errno. */
	int (*verify_audit)(void *user, int64_t *rows, char *why, size_t size);
	/* config: the effective configuration as INI text, secrets masked. */
	int (*config_text)(void *user, char *buf, size_t size);
	/* config: applies ASSIGNMENT ("section.key = value", cab_ini_set) to the
	 * configuration file as it is on disk (comments and secrets kept, never the
	 * masked text of config_text), validates the result and, when valid, saves it
	 * atomically for the next start. Returns 0; -EINVAL for a malformed
	 * assignment; the number of problems (> 0) with the first in ERR; or another
	 * negative errno with its message in ERR. */
	int (*config_set)(void *user, const char *assignment, char *err, size_t size);
	/* devices: the adopted Bluetooth instruments changed (ADDRESSES "AA:..,BB:..", the
	 * content of DATA_DIR/bluetooth-instruments): bind to
	 * cab_devices_set_ble_instruments. NULL: they apply at the next start. */
	void (*ble_adopted)(void *user, const char *addresses);
	void *ble_user;       /* passed to ble_adopted */
	const char *data_dir; /* data directory (disk state, credentials) */
	const char *db_path;  /* sqlite database file (database state) */
	void *devices_user;   /* passed to instruments, selftest_start/_poll */
	void *link_user;      /* passed to link */
	void *store_user;     /* passed to outbox, verify_audit */
	void *config_user;    /* passed to config_text, config_set */
};

#endif
