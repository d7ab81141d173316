/* report.c — the service menu's tab contents (see report.h). Each line is made
 * twice from one msgid: in English for the logs, and through gettext for the
 * screen; words inside a line go through T(), which translates only the latter. */
#include "kiosk/service/report.h"

#include <errno.h>
#include <inttypes.h>
#include <libintl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/service/certinfo.h"
#include "kiosk/service/deadline.h"
#include "kdf.h"
#include "kiosk/service/key_policy.h"
#include "kiosk/service/probes.h"

#define _(s) gettext(s)
#define N_(s) s

/* Word W for the line being formatted: English for the log text, translated for the
 * shown text (xgettext keyword T:2). */
static const char *T(const struct cab_svc_report *r, const char *w)
{
	return r->tr ? gettext(w) : w;
}

static void put(char *dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One line's text into DST (CAB_SVC_LINE bytes, cut when longer). */
static void put(char *dst, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, CAB_SVC_LINE, fmt, ap);
	va_end(ap);
}

/* Words the providers put in lines (instrument kinds, device states, self-test
 * results), listed for xgettext. */
static const char *const provider_words[] __attribute__((unused)) = {
    N_("pulse-oximeter"), N_("thermometer"), N_("blood-pressure"), N_("scale"),
    N_("glucometer"), N_("stethoscope"), N_("otoscope"), N_("dermatoscope"), N_("room-camera"),
    N_("attached"), N_("ready"), N_("measuring"), N_("idle"), N_("error"), N_("gone"),
    N_("pass"), N_("fail"),
};

static void push(struct cab_svc_report *r, enum cab_svc_level lv)
{
	r->line[r->n++].level = lv;
	if (lv == CAB_SVC_WARN || lv == CAB_SVC_BAD)
		r->warnings++;
}

/* Appends a line made from the msgid FMT: English, then translated (the arguments
 * are evaluated twice, T() words differ between the two). */
#define add(r, lv, fmt, ...)                                                                  \
	do {                                                                                  \
		if ((r)->n < CAB_SVC_LINES) {                                                 \
			(r)->tr = 0;                                                          \
			put((r)->line[(r)->n].text, fmt, ##__VA_ARGS__);                       \
			(r)->tr = 1;                                                          \
			put((r)->line[(r)->n].shown, _(fmt), ##__VA_ARGS__);                    \
			(r)->tr = 0;                                                          \
			push((r), (lv));                                                      \
		}                                                                             \
	} while (0)

void cab_svc_report_add(struct cab_svc_report *r, enum cab_svc_level lv, const char *text,
                        const char *shown)
{
	if (r->n >= CAB_SVC_LINES)
		return;
	snprintf(r->line[r->n].text, CAB_SVC_LINE, "%s", text);
	snprintf(r->line[r->n].shown, CAB_SVC_LINE, "%s", shown ? shown : "");
	push(r, lv);
}

static void date_of(int64_t ms, char *buf, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm);
}

int64_t cab_svc_parse_date(const char *s)
{
	struct tm tm = {0};
	int y, m, d, used = 0;
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 || s[10])
		return 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	if (back.tm_mday != d) /* 2026-02-30 */
		return 0;
	return (int64_t)t * 1000;
}

int cab_svc_parse_url(const char *url, char *host, size_t hostsize, int *port)
{
	const char *h, *end;
	size_t n;
	if (!strncmp(url, "wss://", 6)) {
		h = url + 6;
		*port = 443;
	} else if (!strncmp(url, "ws://", 5)) {
		h = url + 5;
		*port = 80;
	} else {
		return -1;
	}
	if (*h == '[') {
		end = strchr(h, ']');
		if (!end)
			return -1;
		n = (size_t)(end - h - 1);
		h++;
		end++;
	} else {
		end = h + strcspn(h, ":/");
		n = (size_t)(end - h);
	}
	if (n == 0 || n >= hostsize)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	if (*end == ':') {
		char *e;
		long p = strtol(end + 1, &e, 10);
		if (p <= 0 || p > 65535 || (*e && *e != '/'))
			return -1;
		*port = (int)p;
	} else if (*end && *end != '/') {
		return -1;
	}
	return 0;
}

static enum cab_svc_level level_of(enum cab_deadline_state s)
{
	switch (s) {
	case CAB_DEADLINE_OK:
		return CAB_SVC_OK;
	case CAB_DEADLINE_SOON:
		return CAB_SVC_WARN;
	case CAB_DEADLINE_DUE:
	case CAB_DEADLINE_PAST:
		return CAB_SVC_BAD;
	case CAB_DEADLINE_UNKNOWN:
		break;
	}
	return CAB_SVC_WARN;
}

int cab_svc_report_instruments(const struct cab_svc_sources *s, int64_t now_ms,
                               struct cab_svc_report *r)
{
	struct cab_svc_instrument in[CAB_SVC_MAX_INSTRUMENTS];
	memset(r, 0, sizeof *r);
	if (!s->instruments) {
		add(r, CAB_SVC_WARN, "Instrument list not available in this build");
		return -ENOSYS;
	}
	int n = s->instruments(s->devices_user, in, CAB_SVC_MAX_INSTRUMENTS);
	if (n < 0) {
		add(r, CAB_SVC_BAD, "Instrument list could not be read (%s)", strerror(-n));
		return n;
	}
	if (n == 0)
		add(r, CAB_SVC_INFO, "No instrument registered yet");
	for (int i = 0; i < n && i < CAB_SVC_MAX_INSTRUMENTS; i++) {
		const struct cab_svc_instrument *x = &in[i];
		char when[40];
		int days;
		add(r, CAB_SVC_HEAD, "%d. %s  %s", i + 1, x->kind[0] ? T(r, x->kind) : T(r, N_("instrument")),
		    x->model[0] ? x->model : T(r, N_("(model unknown)")));
		add(r, x->connected ? CAB_SVC_OK : CAB_SVC_WARN,
		    "   %s%s%s%s, driver %s, serial %s, firmware %s",
		    x->connected ? T(r, N_("connected")) : T(r, N_("not connected")),
		    x->state[0] ? " (" : "", x->state[0] ? T(r, x->state) : "",
		    x->state[0] ? (x->simulated ? T(r, N_(", simulated)")) : ")") : "",
		    x->driver[0] ? x->driver : T(r, N_("unknown")),
		    x->serial[0] ? x->serial : T(r, N_("unknown")),
		    x->firmware[0] ? x->firmware : T(r, N_("unknown")));
		if (x->last_seen_ms > 0) {
			char first[40];
			date_of(x->first_seen_ms, first, sizeof first);
			date_of(x->last_seen_ms, when, sizeof when);
			add(r, CAB_SVC_INFO, "   first seen %s, last seen %s", first, when);
		}
		if (x->incident[0])
			add(r, CAB_SVC_WARN, "   last incident: %s", x->incident);
		int64_t due = cab_svc_parse_date(x->calibration_due);
		enum cab_deadline_state st = cab_deadline_state(due, now_ms, CAB_WARN_DAYS, &days);
		switch (st) {
		case CAB_DEADLINE_UNKNOWN:
			add(r, CAB_SVC_WARN, "   calibration due date unknown");
			break;
		case CAB_DEADLINE_OK:
		case CAB_DEADLINE_SOON:
			add(r, level_of(st), "   calibration due %s (in %d days)",
			    x->calibration_due, days);
			break;
		case CAB_DEADLINE_DUE:
			add(r, CAB_SVC_BAD, "   calibration due today (%s)", x->calibration_due);
			break;
		case CAB_DEADLINE_PAST:
			add(r, CAB_SVC_BAD, "   calibration overdue since %s (%d days)",
			    x->calibration_due, -days);
			break;
		}
		if (!x->last_selftest_ms) {
			add(r, CAB_SVC_WARN, "   no self-test yet");
		} else {
			date_of(x->last_selftest_ms, when, sizeof when);
			bool pass = !strcmp(x->last_selftest_result, "pass");
			add(r, pass ? CAB_SVC_OK : CAB_SVC_BAD, "   last self-test %s: %s", when,
			    x->last_selftest_result[0] ? T(r, x->last_selftest_result) : T(r, N_("unknown")));
			if (x->selftest_detail[0])
				add(r, CAB_SVC_INFO, "      %s", x->selftest_detail);
		}
	}
	return n;
}

static void cert_lines(struct cab_svc_report *r, const char *what, const char *path, int64_t now_ms)
{
	struct cab_cert_info ci;
	char when[40];
	if (!path || !path[0]) {
		add(r, CAB_SVC_WARN, "%s: not configured", T(r, what));
		return;
	}
	int rc = cab_cert_info_read(path, now_ms, &ci);
	if (rc) {
		add(r, CAB_SVC_BAD, "%s: cannot read %s (%s)", T(r, what), path,
		    rc == -EINVAL ? T(r, N_("no certificate")) : strerror(-rc));
		return;
	}
	date_of(ci.not_after_ms, when, sizeof when);
	if (ci.not_yet_valid)
		add(r, CAB_SVC_BAD, "%s \"%s\": not valid yet", T(r, what), ci.subject_cn);
	else if (ci.state == CAB_DEADLINE_DUE || ci.state == CAB_DEADLINE_PAST)
		add(r, CAB_SVC_BAD, "%s \"%s\": EXPIRED on %s", T(r, what), ci.subject_cn, when);
	else
		add(r, level_of(ci.state), "%s \"%s\": expires %s (in %d days)%s", T(r, what),
		    ci.subject_cn, when, ci.days_left,
		    ci.state == CAB_DEADLINE_SOON ? T(r, N_(" - renew it")) : "");
}

void cab_svc_report_network(const struct cab_svc_sources *s, int64_t now_ms, int timeout_ms,
                            struct cab_svc_report *r)
{
	struct cab_svc_link l;
	char host[256];
	int port;
	double rtt;
	memset(r, 0, sizeof *r);
	memset(&l, 0, sizeof l);
	l.throughput_kbps = -1;
	l.rtt_ms = -1;
	if (!s->link || s->link(s->link_user, &l) < 0) {
		add(r, CAB_SVC_WARN, "Link state not available in this build");
		return;
	}
	add(r, CAB_SVC_INFO, "Station: %s", l.station_url[0] ? l.station_url : T(r, N_("(not configured)")));
	add(r, l.connected ? CAB_SVC_OK : CAB_SVC_WARN, "Link: %s%s%s",
	    l.connected ? T(r, N_("connected")) : T(r, N_("not connected")), l.state_text[0] ? " - " : "",
	    l.state_text);
	if (l.rtt_ms >= 0)
		add(r, l.rtt_ms > 300 ? CAB_SVC_WARN : CAB_SVC_OK,
		    "Link round trip (WebSocket ping) %.0f ms", l.rtt_ms);
	if (cab_svc_parse_url(l.station_url, host, sizeof host, &port)) {
		add(r, CAB_SVC_BAD, "Station address is not a ws:// or wss:// URL");
	} else {
		int rc = cab_probe_tcp(host, port, timeout_ms, &rtt);
		if (rc)
			add(r, CAB_SVC_BAD, "Station %s port %d unreachable: %s", host, port,
			    strerror(-rc));
		else
			add(r, rtt > 300 ? CAB_SVC_WARN : CAB_SVC_OK,
			    "Station %s port %d reachable, round trip %.1f ms", host, port, rtt);
	}
	if (l.throughput_kbps >= 0)
		add(r, CAB_SVC_INFO,
		    "Upload throughput %.*f kbit/s acknowledged by the station (%d message(s) in "
		    "the last %d s)",
		    l.throughput_kbps < 10 ? 2 : l.throughput_kbps < 100 ? 1 : 0, l.throughput_kbps,
		    l.throughput_msgs, l.throughput_window_s);
	else if (l.throughput_window_s > 0)
		add(r, CAB_SVC_INFO, "Upload throughput: nothing acknowledged in the last %d s",
		    l.throughput_window_s);
	else
		add(r, CAB_SVC_INFO, "Upload throughput: not measured in this build");
	cert_lines(r, N_("Cabin certificate"), l.cert, now_ms);
	cert_lines(r, N_("Station CA"), l.ca, now_ms);
}

void cab_svc_report_data(const struct cab_svc_sources *s, int64_t now_ms, struct cab_svc_report *r)
{
	memset(r, 0, sizeof *r);
	int pending = 0;
	int64_t oldest = 0;
	if (!s->outbox || s->outbox(s->store_user, &pending, &oldest) < 0) {
		add(r, CAB_SVC_WARN, "Outbox state not available in this build");
	} else if (pending == 0) {
		add(r, CAB_SVC_OK, "Outbox: empty (everything acknowledged by the station)");
	} else if (oldest > 0) {
		int64_t age_s = now_ms > oldest ? (now_ms - oldest) / 1000 : 0;
		char age[48];
		if (age_s >= 3600)
			snprintf(age, sizeof age, "%" PRId64 " h %" PRId64 " min %" PRId64 " s",
			         age_s / 3600, age_s / 60 % 60, age_s % 60);
		else
			snprintf(age, sizeof age, "%" PRId64 " min %" PRId64 " s", age_s / 60, age_s % 60);
		add(r, age_s > 3600 ? CAB_SVC_WARN : CAB_SVC_INFO,
		    "Outbox: %d message(s) waiting, oldest %s old%s", pending, age,
		    age_s > 3600 ? T(r, N_(" - is the station reachable?")) : "");
	} else {
		add(r, CAB_SVC_INFO, "Outbox: %d message(s) waiting", pending);
	}
	struct cab_disk_state d;
	if (!s->data_dir || cab_probe_disk(s->data_dir, &d)) {
		add(r, CAB_SVC_BAD, "Disk: data directory %s not readable",
		    s->data_dir ? s->data_dir : T(r, N_("(unset)")));
	} else {
		add(r, d.used_percent > 90 ? CAB_SVC_WARN : CAB_SVC_OK,
		    "Disk: %.1f GB free of %.1f GB (%d %% used)", (double)d.free_bytes / 1e9,
		    (double)d.total_bytes / 1e9, d.used_percent);
	}
	struct cab_db_state db;
	int rc = s->db_path ? cab_probe_db(s->db_path, &db) : -ENOENT;
	if (rc == -ENOENT)
		add(r, CAB_SVC_WARN, "Database: not created yet");
	else if (rc)
		add(r, CAB_SVC_BAD, "Database: cannot be read (%s)", db.message);
	else
		add(r, db.ok ? CAB_SVC_OK : CAB_SVC_BAD,
		    "Database: %s, schema %d, journal %s, %.1f MB",
		    db.ok ? T(r, N_("integrity ok")) : db.message, db.user_version, db.journal_mode,
		    (double)db.size_bytes / 1e6);
	int64_t rows = 0;
	char why[128] = "";
	rc = s->verify_audit ? s->verify_audit(s->store_user, &rows, why, sizeof why) : -ENOSYS;
	if (rc == 0)
		add(r, CAB_SVC_OK, "Audit log: chain intact, %" PRId64 " entries", rows);
	else if (rc == 1)
		add(r, CAB_SVC_BAD, "Audit log: BROKEN - %s", why);
	else if (rc == -ENOSYS)
		add(r, CAB_SVC_WARN, "Audit log: verification not available in this build");
	else if (rc == -ENOENT)
		add(r, CAB_SVC_WARN, "Audit log: no database yet");
	else
		add(r, CAB_SVC_BAD, "Audit log: cannot be verified (%s)", strerror(-rc));
}

void cab_svc_report_software(const char *version, int64_t watchdog_ms, struct cab_svc_report *r)
{
	memset(r, 0, sizeof *r);
	add(r, CAB_SVC_INFO, "Cabin version %s", version);
	add(r, cab_key_escapes_built() ? CAB_SVC_WARN : CAB_SVC_OK, "Build: %s",
	    cab_key_escapes_built() ? T(r, N_("DEBUG (escape keys enabled - not for patients)"))
	                            : T(r, N_("release (no escape keys)")));
	add(r, CAB_SVC_INFO, "Credentials: scrypt N=2^%u r=%u p=%u, 5 tries then 1/5/30 min lock",
	    cab_scrypt_default.log2_n, cab_scrypt_default.r, cab_scrypt_default.p);
	if (watchdog_ms > 0)
		add(r, CAB_SVC_OK, "Watchdog: every %" PRId64 " ms (systemd)", watchdog_ms);
	else
		add(r, CAB_SVC_WARN, "Watchdog: not requested (not started by systemd)");
}

void cab_svc_report_log_tail(const char *path, struct cab_svc_report *r)
{
	char ring[CAB_SVC_LINES - 1][CAB_SVC_LINE];
	char buf[4096];
	int count = 0;
	memset(r, 0, sizeof *r);
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f) {
		add(r, CAB_SVC_WARN, "No log file (%s)",
		    path ? path : T(r, N_("logging to the journal only")));
		return;
	}
	/* Only the end matters: start 256 KiB before it. */
	if (fseek(f, -256 * 1024, SEEK_END) == 0 && !fgets(buf, sizeof buf, f))
		rewind(f);
	else if (ftell(f) <= 0)
		rewind(f);
	while (fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		size_t len = strlen(buf);
		if (len >= CAB_SVC_LINE)
			len = CAB_SVC_LINE - 1; /* cut to the line width */
		memcpy(ring[count % (CAB_SVC_LINES - 1)], buf, len);
		ring[count % (CAB_SVC_LINES - 1)][len] = '\0';
		count++;
	}
	fclose(f);
	int first = count > CAB_SVC_LINES - 1 ? count - (CAB_SVC_LINES - 1) : 0;
	for (int i = first; i < count; i++) {
		const char *t = ring[i % (CAB_SVC_LINES - 1)];
		cab_svc_report_add(r,
		                   strstr(t, " ERROR ")  ? CAB_SVC_BAD
		                   : strstr(t, " WARN ") ? CAB_SVC_WARN
		                                         : CAB_SVC_INFO,
		                   t, NULL);
	}
	if (!count)
		add(r, CAB_SVC_INFO, "Log file is empty");
}
