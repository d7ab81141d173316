/* report.h — the text of the technician's service menu, tab by tab, as lines with
 * a level (ok / warning / problem), built from the providers (sources.h) and the
 * module's own probes. Pure formatting plus the probes' I/O; no SDL, so the
 * screens only draw lines and the content is unit-tested. */
#ifndef CABIN_SERVICE_REPORT_H
#define CABIN_SERVICE_REPORT_H

#include <stdint.h>

#include "kiosk/service/sources.h"

/* How a line is shown. */
enum cab_svc_level {
	CAB_SVC_INFO = 0, /* plain */
	CAB_SVC_OK,       /* green */
	CAB_SVC_WARN,     /* orange: due soon, expiring, slow */
	CAB_SVC_BAD,      /* red: past due, expired, unreachable, broken */
	CAB_SVC_HEAD,     /* bold heading of a group */
};

#define CAB_SVC_LINE 200
#define CAB_SVC_LINES 64

struct cab_svc_line {
	char text[CAB_SVC_LINE];  /* English: what the logs say (names and numbers) */
	char shown[CAB_SVC_LINE]; /* the same in the UI language (gettext, domain
	                           * "cabin"); "" means: show TEXT as it is */
	enum cab_svc_level level;
};

/* The lines of one tab. */
struct cab_svc_report {
	struct cab_svc_line line[CAB_SVC_LINES];
	int n;
	int warnings; /* lines at WARN or BAD */
	int tr;       /* internal: 1 while the shown text is formatted */
};

/* Appends a line of level LV (when there is room): TEXT in English, SHOWN in the UI
 * language (NULL: as TEXT). */
void cab_svc_report_add(struct cab_svc_report *r, enum cab_svc_level lv, const char *text,
                        const char *shown);

/* Instruments: one group per instrument (kind, model, driver, serial, firmware,
 * connected), calibration due with its state (warned 30 days ahead, due, past), last
 * self-test and its result. Returns the number of instruments, or -errno. */
int cab_svc_report_instruments(const struct cab_svc_sources *s, int64_t now_ms,
                               struct cab_svc_report *r);

/* Network: station URL, link state, TCP reachability and round trip of the
 * station's host:port (cab_probe_tcp, TIMEOUT_MS), throughput when the link
 * measured one, and the device certificate and CA expiry (warned 30 days ahead). */
void cab_svc_report_network(const struct cab_svc_sources *s, int64_t now_ms, int timeout_ms,
                            struct cab_svc_report *r);

/* Data: outbox length and age of the oldest entry (warned after 1 h), disk space
 * of the data directory (warned above 90 % used), database quick_check, schema
 * version and journal mode, audit chain verification. */
void cab_svc_report_data(const struct cab_svc_sources *s, int64_t now_ms, struct cab_svc_report *r);

/* Software: version, build type (release / debug with escape keys), credential
 * KDF parameters, watchdog interval (0 = none). */
void cab_svc_report_software(const char *version, int64_t watchdog_ms, struct cab_svc_report *r);

/* Logs: the last lines of the file PATH (at most CAB_SVC_LINES - 1, each cut to
 * the line width), newest last. Lines with ERROR are BAD, WARN are WARN. */
void cab_svc_report_log_tail(const char *path, struct cab_svc_report *r);

/* Splits "wss://host[:port][/path]" (host may be "[v6]") into HOST and PORT
 * (default 443 for wss, 80 for ws). Returns 0, or -1 when malformed. */
int cab_svc_parse_url(const char *url, char *host, size_t hostsize, int *port);

/* "YYYY-MM-DD" to epoch ms at 00:00 UTC; 0 when malformed or empty. */
int64_t cab_svc_parse_date(const char *ymd);

#endif
